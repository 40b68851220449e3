# Dashboards are built with jsonencode from structures that follow the CloudWatch
# "Dashboard Body Structure and Syntax" reference: every metric widget names its region, and
# every metric entry is [Namespace, MetricName, DimensionName, DimensionValue, ..., {options}].

locals {
  # 20 services (80 widgets, at most 140 metrics) per dashboard: far inside the limits of
  # 500 widgets and 2,500 metrics a dashboard, and still readable.
  services_per_dashboard = 20
  alarm_arn_prefix       = "arn:${local.partition}:cloudwatch:${var.aws_region}:${local.account_id}:alarm:"

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
            yAxis = { left = { min = 0 } }
            metrics = [
              ["AWS/ECS", "CPUUtilization", "ClusterName", local.cluster_name, "ServiceName", name, { label = "CPU" }],
              ["AWS/ECS", "MemoryUtilization", "ClusterName", local.cluster_name, "ServiceName", name, { label = "Memory" }],
            ]
          }
        },
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
            metrics = [
              ["CloudWatchSynthetics", "SuccessPercent", "CanaryName", local.canaries[name].name, { label = "Success (%)" }],
              ["CloudWatchSynthetics", "Duration", "CanaryName", local.canaries[name].name, { label = "Duration (ms)", yAxis = "right" }],
            ]
          }
        },
      ] : [],
      [
        {
          type = "alarm"
          properties = {
            title  = "${name}: alarms"
            alarms = [for key in local.composite_alarms[name].members : "${local.alarm_arn_prefix}${local.alarms[key].name}"]
          }
        },
      ],
    )
  }

  # Rows of 6-unit-wide widgets, one row per service.
  service_dashboards = {
    for index, names in chunklist(var.service_names, local.services_per_dashboard) :
    format("%s-services-%02d", local.name_prefix, index + 1) => flatten([
      for row, name in names : [
        for column, widget in local.service_widgets[name] : merge(widget, { x = column * 6, y = row * 6, width = 6, height = 6 })
      ]
    ])
  }

  overview_widgets = concat(
    [
      {
        type   = "text"
        x      = 0
        y      = 0
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
    # An alarm widget shows at most 100 alarms.
    [
      for index, names in chunklist(var.service_names, 100) : {
        type   = "alarm"
        x      = 0
        y      = 3 + index * 6
        width  = 24
        height = 6
        properties = {
          title  = "Service health (${index * 100 + 1}-${index * 100 + length(names)})"
          alarms = [for name in names : "${local.alarm_arn_prefix}${local.composite_alarms[name].name}"]
        }
      }
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
