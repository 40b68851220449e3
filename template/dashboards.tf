# Dashboards are built with jsonencode from structures that follow the CloudWatch
# "Dashboard Body Structure and Syntax" reference: every metric widget names its region, and
# every metric entry is [Namespace, MetricName, DimensionName, DimensionValue, ..., {options}].

locals {
  # 20 services (at most 9 widgets and 20 metrics plus one per canary step each) per
  # dashboard: far inside the limits of 500 widgets and 2,500 metrics a dashboard
  # (docs/aws-facts.md, "Dashboard limits"), and still readable.
  services_per_dashboard = 20
  alarm_arn_prefix       = "arn:${local.partition}:cloudwatch:${var.aws_region}:${local.account_id}:alarm:"

  # Each alarm's threshold by "<service>/<kind>", one line per severity tier, drawn as a
  # horizontal annotation on the widget of its metric (docs/aws-facts.md, "Dashboard
  # annotations"): orange notifies, red pages.
  tier_colors = { critical = "#d62728", warning = "#ff7f0e" }
  thresholds = {
    for key, alarm in local.alarms : "${alarm.service}/${alarm.kind}" => {
      label = "${alarm.kind} ${alarm.tier}"
      value = alarm.threshold
      color = local.tier_colors[alarm.tier]
    }...
  }

  # A service's row: CPU and memory, tasks, its canary (when it has one) and its alarms.
  service_widgets = {
    for name in var.service_names : name => concat(
      [
        {
          type = "metric"
          properties = {
            title  = "${name}: CPU and memory (%)"
            region = var.aws_region
            view   = "timeSeries"
            stat   = "Average"
            period = 60
            # No maximum: a task without a CPU limit uses more than 100% of its reservation.
            yAxis       = { left = { min = 0 } }
            annotations = { horizontal = concat(local.thresholds["${name}/cpu-high"], local.thresholds["${name}/memory-high"]) }
            metrics = [
              ["AWS/ECS", "CPUUtilization", "ClusterName", local.cluster_name, "ServiceName", name, { label = "CPU" }],
              ["AWS/ECS", "MemoryUtilization", "ClusterName", local.cluster_name, "ServiceName", name, { label = "Memory" }],
            ]
          }
        },
      ],
      # Task counts come from Container Insights: none without it.
      local.container_insights == "disabled" ? [] : [
        {
          type = "metric"
          properties = {
            title  = "${name}: tasks"
            region = var.aws_region
            view   = "timeSeries"
            stat   = "Average"
            period = 60
            metrics = [
              ["ECS/ContainerInsights", "DesiredTaskCount", "ClusterName", local.cluster_name, "ServiceName", name, { label = "Desired" }],
              ["ECS/ContainerInsights", "RunningTaskCount", "ClusterName", local.cluster_name, "ServiceName", name, { label = "Running" }],
              ["ECS/ContainerInsights", "PendingTaskCount", "ClusterName", local.cluster_name, "ServiceName", name, { label = "Pending" }],
            ]
          }
        },
      ],
      # Enhanced Container Insights reports each task by ClusterName, ServiceName and TaskId
      # (docs/aws-facts.md, "Container Insights"): a search draws every task of the service,
      # however its tasks come and go.
      local.container_insights == "enhanced" ? [
        {
          type = "metric"
          properties = {
            title  = "${name}: CPU and memory per task (%)"
            region = var.aws_region
            view   = "timeSeries"
            period = 60
            yAxis  = { left = { min = 0 } }
            metrics = [
              for id, metric in { cpu = "TaskCpuUtilization", memory = "TaskMemoryUtilization" } : [{
                id         = id
                label      = "${id == "cpu" ? "CPU" : "Memory"} $${PROP('Dim.TaskId')}"
                expression = "SEARCH('{ECS/ContainerInsights,ClusterName,ServiceName,TaskId} MetricName=\"${metric}\" ClusterName=\"${local.cluster_name}\" ServiceName=\"${name}\"', 'Average', 60)"
              }]
            ]
          }
        },
      ] : [],
      contains(keys(local.load_balanced), name) ? [
        {
          type = "metric"
          properties = {
            title  = "${name}: requests and 5xx"
            region = var.aws_region
            view   = "timeSeries"
            stat   = "Sum"
            period = 60
            yAxis  = { left = { min = 0 }, right = { min = 0 } }
            annotations = {
              horizontal = [for line in try(local.thresholds["${name}/lb-5xx-rate"], []) : merge(line, { yAxis = "right" })]
            }
            # The rate the lb-5xx-rate alarm evaluates, with the counts it is made of; with
            # anomaly_bands, the band lb-requests-anomaly compares the requests with.
            metrics = concat([
              ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", local.load_balanced[name].target_group.LoadBalancer, "TargetGroup", local.load_balanced[name].target_group.TargetGroup, { id = "requests", label = "Requests" }],
              ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", local.load_balanced[name].target_group.LoadBalancer, "TargetGroup", local.load_balanced[name].target_group.TargetGroup, { id = "target5xx", label = "Target 5xx" }],
              ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", local.load_balanced[name].load_balancer.LoadBalancer, { id = "elb5xx", label = "Load balancer 5xx (whole ALB)" }],
              [{ expression = local.alarm_definitions["lb-5xx-rate"].expression, id = "rate", label = "5xx rate (%)", yAxis = "right" }],
              ],
              [for alarm in try([local.alarms["${name}/lb-requests-anomaly"]], []) : [{ expression = alarm.expression, id = "result", label = "Requests (0 without any)", visible = false }]],
              [for alarm in try([local.alarms["${name}/lb-requests-anomaly"]], []) : [{ expression = alarm.band_expression, id = "band", label = "Requests: expected band" }]],
            )
          }
        },
      ] : [],
      # One widget per conditional: a conditional's two results must have one type.
      contains(keys(local.load_balanced), name) ? [
        {
          type = "metric"
          properties = {
            title  = "${name}: p99 response time and targets"
            region = var.aws_region
            view   = "timeSeries"
            period = 60
            yAxis  = { left = { min = 0 }, right = { min = 0 } }
            annotations = {
              horizontal = concat(
                try(local.thresholds["${name}/lb-latency-p99"], []),
                [for line in concat(try(local.thresholds["${name}/lb-unhealthy"], []), try(local.thresholds["${name}/lb-healthy-low"], [])) : merge(line, { yAxis = "right" })],
              )
            }
            # With anomaly_bands, the band lb-latency-anomaly compares the p99 with.
            metrics = concat([
              ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", local.load_balanced[name].target_group.LoadBalancer, "TargetGroup", local.load_balanced[name].target_group.TargetGroup, { id = "latency", stat = "p99", label = "p99 response time (s)" }],
              ["AWS/ApplicationELB", "HealthyHostCount", "LoadBalancer", local.load_balanced[name].target_group.LoadBalancer, "TargetGroup", local.load_balanced[name].target_group.TargetGroup, { stat = "Minimum", label = "Healthy targets", yAxis = "right" }],
              ["AWS/ApplicationELB", "UnHealthyHostCount", "LoadBalancer", local.load_balanced[name].target_group.LoadBalancer, "TargetGroup", local.load_balanced[name].target_group.TargetGroup, { stat = "Maximum", label = "Unhealthy targets", yAxis = "right" }],
              ],
              [for alarm in try([local.alarms["${name}/lb-latency-anomaly/warning"]], []) : [{ expression = alarm.band_expression, id = "band", label = "p99 response time: expected band" }]],
            )
          }
        },
      ] : [],
      can(local.canaries[name]) ? [
        {
          type = "metric"
          properties = {
            title  = "${name}: canary"
            region = var.aws_region
            view   = "timeSeries"
            stat   = "Average"
            period = local.canaries[name].period
            yAxis  = { left = { min = 0, max = 100 } }
            annotations = {
              horizontal = concat(
                try(local.thresholds["${name}/canary-success-low"], []),
                [for line in try(local.thresholds["${name}/canary-duration-high"], []) : merge(line, { yAxis = "right" })],
              )
            }
            metrics = [
              ["CloudWatchSynthetics", "SuccessPercent", "CanaryName", local.canaries[name].name, { label = "Success (%)" }],
              ["CloudWatchSynthetics", "Duration", "CanaryName", local.canaries[name].name, { label = "Duration (ms)", yAxis = "right" }],
              ["CloudWatchSynthetics", "Failed", "CanaryName", local.canaries[name].name, { stat = "Sum", label = "Runs failed to execute", yAxis = "right" }],
            ]
          }
        },
      ] : [],
      # Each step of the canary (the health check, then each check) reports its own
      # SuccessPercent by CanaryName and StepName (docs/aws-facts.md, "Synthetics metrics").
      can(local.canaries[name]) ? [
        {
          type = "metric"
          properties = {
            title  = "${name}: canary steps (success %)"
            region = var.aws_region
            view   = "timeSeries"
            stat   = "Average"
            period = local.canaries[name].period
            yAxis  = { left = { min = 0, max = 100 } }
            metrics = [
              for step in local.canaries[name].config.steps :
              ["CloudWatchSynthetics", "SuccessPercent", "CanaryName", local.canaries[name].name, "StepName", step.name, { label = step.name }]
            ]
          }
        },
      ] : [],
      # The service's latest error lines: a Logs Insights query of its log group, run each
      # time the dashboard loads or refreshes (docs/aws-facts.md, "Log metric filters").
      # Alike the widgets above on purpose: each widget is written out as the body has it.
      contains(keys(local.log_groups), name) ? [
        {
          type = "log"
          properties = {
            title  = "${name}: recent errors"
            region = var.aws_region
            view   = "table"
            query  = "SOURCE '${local.log_groups[name]}' | fields @timestamp, @message | ${local.log_error_query_filter} | sort @timestamp desc | limit 20"
          }
        },
      ] : [],
      [
        {
          type = "alarm"
          properties = {
            title  = "${name}: alarms (critical, then warning)"
            alarms = flatten([for tier in local.severity_tiers : [for key in local.composite_alarms[tier][name].members : "${local.alarm_arn_prefix}${local.alarms[key].name}"]])
          }
        },
      ],
    )
  }

  # Each service starts a new line of 6-unit-wide widgets, four a line (24 units): a service
  # with more widgets takes more lines.
  widgets_per_line = 4
  service_lines    = { for name, widgets in local.service_widgets : name => ceil(length(widgets) / local.widgets_per_line) }
  service_dashboards = {
    for index, names in chunklist(var.service_names, local.services_per_dashboard) :
    format("%s-services-%02d", local.name_prefix, index + 1) => flatten([
      for row, name in names : [
        for column, widget in local.service_widgets[name] : merge(widget, {
          x      = (column % local.widgets_per_line) * 6
          y      = 6 * (sum(concat([0], [for above in slice(names, 0, row) : local.service_lines[above]])) + floor(column / local.widgets_per_line))
          width  = 6
          height = 6
        })
      ]
    ])
  }

  # The overview: first the alarm status of every service's composite alarms, critical and
  # warning (an alarm widget shows at most 100 alarms: docs/aws-facts.md, "Dashboard limits";
  # 50 services a row), then the links.
  services_per_status_row = floor(100 / length(local.severity_tiers))
  status_rows             = chunklist(var.service_names, local.services_per_status_row)
  overview_widgets = concat(
    [
      for index, names in local.status_rows : {
        type   = "alarm"
        x      = 0
        y      = index * 6
        width  = 24
        height = 6
        properties = {
          title  = "Alarm status: services ${index * local.services_per_status_row + 1}-${index * local.services_per_status_row + length(names)} (critical pages, warning notifies)"
          alarms = flatten([for name in names : [for tier in local.severity_tiers : "${local.alarm_arn_prefix}${local.composite_alarms[tier][name].name}"]])
        }
      }
    ],
    [
      {
        type   = "text"
        x      = 0
        y      = length(local.status_rows) * 6
        width  = 24
        height = 3
        properties = {
          markdown = join("\n", concat(
            ["# ${local.name_prefix}: service health", "", "Service dashboards:"],
            [for name in keys(local.service_dashboards) : "* [${name}](#dashboards:name=${name})"],
          ))
        }
      },
    ],
  )
}

resource "aws_cloudwatch_dashboard" "overview" {
  dashboard_name = local.names.overview_dashboard
  dashboard_body = jsonencode({ widgets = local.overview_widgets })
}

resource "aws_cloudwatch_dashboard" "services" {
  for_each = local.service_dashboards

  dashboard_name = each.key
  dashboard_body = jsonencode({ widgets = each.value })

  lifecycle {
    precondition {
      condition = (
        length(each.value) <= 500
        && sum(concat([0], [for widget in each.value : length(try(widget.properties.metrics, []))])) <= 2500
      )
      error_message = "Dashboard ${each.key} would exceed CloudWatch's limits of 500 widgets and 2,500 metrics: lower services_per_dashboard in dashboards.tf."
    }
  }
}
