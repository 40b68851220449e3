data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

# Naming: every resource name comes from here.
locals {
  name_prefix = "${var.project_name}-${var.environment_suffix}"
  account_id  = data.aws_caller_identity.current.account_id
  partition   = data.aws_partition.current.partition
  # The console of each partition (docs/aws-facts.md, "Partitions").
  console_host = lookup({
    aws        = "console.aws.amazon.com"
    aws-us-gov = "console.amazonaws-us-gov.com"
    aws-cn     = "console.amazonaws.cn"
  }, local.partition, "console.aws.amazon.com")

  names = {
    # Bucket names are global: the account and region make this one unique.
    artifacts_bucket   = "${local.name_prefix}-artifacts-${local.account_id}-${var.aws_region}"
    canary_role        = "${local.name_prefix}-canary-${var.aws_region}"
    canary_sg          = "${local.name_prefix}-canary"
    endpoint_sg        = "${local.name_prefix}-vpc-endpoints"
    alarm_topic        = "${local.name_prefix}-alarms"
    kms_alias          = "alias/${local.name_prefix}"
    overview_dashboard = "${local.name_prefix}-overview"
    accounts_dashboard = "${local.name_prefix}-accounts"
    oam_sink           = local.name_prefix
    oam_stack_set      = "${local.name_prefix}-oam-links"
  }

  # Environment comes from the suffix only; the module's own tags win over additional_tags.
  tags = merge(var.additional_tags, {
    Environment = var.environment_suffix
    Project     = var.project_name
    ManagedBy   = "terraform"
  })
}

# Services: the names from service_names, each with its settings filled in.
locals {
  # The one place per-service defaults live; service_settings overrides them one by one.
  service_defaults = {
    endpoint                   = null
    canary                     = true
    health_path                = "/health"
    health_expected_status     = "200" # or codes and ranges, as a target group's matcher: "200-299"
    health_max_latency_ms      = 2000
    cpu_high_percent           = 80
    memory_high_percent        = 80
    max_missing_tasks          = 0
    canary_success_min_percent = 90
    canary_duration_max_ms     = 10000
    canary_max_failed_runs     = 0
    canary_schedule            = var.canary_schedule
    canary_alarm_period        = 3600
    canary_heartbeat_hours     = 72
    checks                     = []
    log_group                  = null
    # Behind an Application Load Balancer: the ARN suffixes CloudWatch names it by
    # (app/<name>/<id>, targetgroup/<name>/<id>); both set, or no load-balancer alarms.
    load_balancer            = null
    target_group             = null
    error_rate_max_percent   = 5
    response_time_p99_max_ms = 2000
    min_healthy_targets      = 1
    max_unhealthy_targets    = 0
  }

  services = {
    for name in var.service_names : name => merge(local.service_defaults, {
      for key, value in try(var.service_settings[name], {}) : key => value if value != null
    })
  }

  # What each service's canary checks, step by step: its health endpoint, then its contract checks.
  canary_steps = {
    for name, s in local.services : name => concat([{
      name               = "health"
      method             = "GET"
      path               = s.health_path
      headers            = {}
      body               = null
      expected_status    = s.health_expected_status
      max_latency_ms     = s.health_max_latency_ms
      required_json_keys = []
      json_equals        = {}
      body_contains      = null
      required_headers   = []
      header_matches     = {}
      json_types         = {}
      json_bounds        = {}
      json_non_empty     = []
      capture            = {}
    }], try(var.derived_checks[name].checks, []), s.checks)
  }

  # Seconds between a service's canary runs, the period its canary alarms evaluate:
  # rate(N minutes) gives N x 60 s, rate(1 hour) 3600 s, both periods CloudWatch accepts
  # (docs/aws-facts.md, "Alarm periods"); a cron schedule's is the service's canary_alarm_period.
  canary_intervals = {
    for name, s in local.services : name => (
      startswith(s.canary_schedule, "rate(")
      ? tonumber(regex("[0-9]+", s.canary_schedule)) * (strcontains(s.canary_schedule, "hour") ? 3600 : 60)
      : s.canary_alarm_period
    )
  }

  # A run may last at most the interval between runs, and 840 s (docs/aws-facts.md, "Run
  # timeout"); 30 s of it are kept for the runtime's start and the artifact upload. Each step's
  # request gets an equal share of the rest, at most 15 s, so that a hung service fails its step
  # with a message instead of the whole run timing out.
  canary_request_timeouts = {
    for name, steps in local.canary_steps : name => min(15, floor((min(840, local.canary_intervals[name]) - 30) / length(steps)))
  }

  # A service gets a canary when it has an endpoint (its own, or from the pattern).
  canaries = {
    for name, s in local.services : name => {
      name     = lower("${local.name_prefix}-${name}")
      schedule = s.canary_schedule
      # A cron schedule may leave periods without a run (nights, weekends); a rate never does.
      runs_every_period = startswith(s.canary_schedule, "rate(")
      period            = local.canary_intervals[name]
      # Every step's request timeout, and the runtime's start and upload; at least the 60 s
      # runs had before, for a slow start.
      run_timeout_seconds = min(840, local.canary_intervals[name], max(60, length(local.canary_steps[name]) * local.canary_request_timeouts[name] + 30))
      # canary_config.json: what the canary script checks, step by step (see canaries/).
      config = {
        service            = name
        request_timeout_ms = 1000 * local.canary_request_timeouts[name]
        base_url           = trimsuffix(s.endpoint != null ? s.endpoint : replace(var.service_endpoint_pattern, "{service}", name), "/")
        steps              = local.canary_steps[name]
      }
    } if s.canary && (s.endpoint != null || var.service_endpoint_pattern != "")
  }
}

# The monitoring plan: which alarms each service gets. Alarms, composite alarms and
# dashboards only iterate over what is decided here.
locals {
  # Each definition fixes its metrics, comparison, evaluation and missing-data treatment;
  # `threshold_setting` names the per-service setting that holds its threshold (or `threshold`
  # is fixed). `period` null: 60 s for a service alarm, the run interval for a canary alarm;
  # `datapoints_to_alarm` null: all evaluation periods. Scope "cron-canary": canaries on a
  # cron schedule only.
  alarm_definitions = {
    cpu-high = {
      description         = "CPU use of the service's tasks is above its threshold"
      scope               = "service"
      comparison_operator = "GreaterThanThreshold"
      threshold_setting   = "cpu_high_percent"
      threshold           = null
      period              = null
      evaluation_periods  = 3
      datapoints_to_alarm = null
      # No datapoints means no running tasks, which tasks-below-desired reports.
      treat_missing_data = "notBreaching"
      expression         = null
      metrics            = [{ id = "cpu", namespace = "AWS/ECS", metric_name = "CPUUtilization", stat = "Average" }]
    }
    memory-high = {
      description         = "Memory use of the service's tasks is above its threshold"
      scope               = "service"
      comparison_operator = "GreaterThanThreshold"
      threshold_setting   = "memory_high_percent"
      threshold           = null
      period              = null
      evaluation_periods  = 3
      datapoints_to_alarm = null
      treat_missing_data  = "notBreaching"
      expression          = null
      metrics             = [{ id = "memory", namespace = "AWS/ECS", metric_name = "MemoryUtilization", stat = "Average" }]
    }
    tasks-below-desired = {
      description         = "Fewer tasks are running than the service wants (Container Insights)"
      scope               = "service"
      comparison_operator = "GreaterThanThreshold"
      threshold_setting   = "max_missing_tasks"
      threshold           = null
      period              = null
      # 10 of the last 15 minutes: a rolling deployment, a slow image pull or a health-check
      # grace period runs fewer tasks for several minutes and must not page; a service that
      # cannot keep its tasks (crash loop, no capacity) is short most of the time and pages
      # within 10 to 15 minutes (docs/aws-facts.md, "False pages").
      evaluation_periods  = 15
      datapoints_to_alarm = 10
      # INSUFFICIENT_DATA until Container Insights reports: visible, never silently OK.
      treat_missing_data = "missing"
      expression         = "desired - running"
      metrics = [
        { id = "desired", namespace = "ECS/ContainerInsights", metric_name = "DesiredTaskCount", stat = "Average" },
        { id = "running", namespace = "ECS/ContainerInsights", metric_name = "RunningTaskCount", stat = "Average" },
      ]
    }
    canary-success-low = {
      description         = "The service's canary fails its checks"
      scope               = "canary"
      comparison_operator = "LessThanThreshold"
      threshold_setting   = "canary_success_min_percent"
      threshold           = null
      period              = null
      evaluation_periods  = 2
      datapoints_to_alarm = null
      # A canary that stops reporting is as bad as one that fails.
      treat_missing_data = "breaching"
      expression         = null
      metrics            = [{ id = "success", namespace = "CloudWatchSynthetics", metric_name = "SuccessPercent", stat = "Average" }]
    }
    canary-duration-high = {
      description         = "The service's canary takes longer than its threshold"
      scope               = "canary"
      comparison_operator = "GreaterThanThreshold"
      threshold_setting   = "canary_duration_max_ms"
      threshold           = null
      period              = null
      evaluation_periods  = 2
      datapoints_to_alarm = null
      # canary-success-low already reports a canary that stops running.
      treat_missing_data = "notBreaching"
      expression         = null
      metrics            = [{ id = "duration", namespace = "CloudWatchSynthetics", metric_name = "Duration", stat = "Average" }]
    }
    # A cron canary's other alarms treat the gaps between its runs as fine, so one that stops
    # would never page: this one counts its runs per hour and pages when the last
    # canary_heartbeat_hours had none (docs/aws-facts.md, "False pages").
    canary-heartbeat = {
      description         = "The service's cron canary has not run for canary_heartbeat_hours"
      scope               = "cron-canary"
      comparison_operator = "LessThanThreshold"
      threshold_setting   = null
      threshold           = 1
      period              = 3600
      evaluation_periods  = null # the service's canary_heartbeat_hours
      datapoints_to_alarm = null
      treat_missing_data  = "breaching"
      expression          = null
      metrics             = [{ id = "runs", namespace = "CloudWatchSynthetics", metric_name = "SuccessPercent", stat = "SampleCount", dimensions = "canary" }]
    }
    # Runs that failed to execute at all (the canary itself: its Lambda function errored or
    # timed out), counted apart from runs whose checks failed (docs/aws-facts.md, "Synthetics metrics").
    canary-failed = {
      description         = "Runs of the service's canary fail to execute"
      scope               = "canary"
      comparison_operator = "GreaterThanThreshold"
      threshold_setting   = "canary_max_failed_runs"
      threshold           = null
      period              = null
      evaluation_periods  = 2
      datapoints_to_alarm = null
      # canary-success-low already reports a canary that stops running.
      treat_missing_data = "notBreaching"
      expression         = null
      metrics            = [{ id = "failed", namespace = "CloudWatchSynthetics", metric_name = "Failed", stat = "Sum" }]
    }
    # Load-balancer golden signals. An Application Load Balancer reports its metrics only
    # while requests flow (docs/aws-facts.md, "Load balancer metrics"): no traffic is missing
    # data, and missing data is not a breach. A service that stops taking traffic because it
    # is down shows as the load balancer's own 5xx, and as tasks below desired.
    lb-5xx-rate = {
      description         = "More of the requests to the service's target group fail with a 5xx (its own, or the load balancer's) than its error_rate_max_percent"
      scope               = "target_group"
      comparison_operator = "GreaterThanThreshold"
      threshold_setting   = "error_rate_max_percent"
      threshold           = null
      period              = null
      evaluation_periods  = 5
      datapoints_to_alarm = null
      treat_missing_data  = "notBreaching"
      # FILL(m, 0): a minute without 5xx (the counts are reported only when non-zero) is 0
      # errors, and a minute without requests is a rate of 0, never a division by zero. The
      # load balancer's own 5xx (502/503/504: no healthy target, target reset or timed out)
      # never reach RequestCount, which counts only requests given to a target.
      expression = "IF(FILL(requests, 0) + FILL(elb5xx, 0) > 0, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / (FILL(requests, 0) + FILL(elb5xx, 0)), 0)"
      metrics = [
        { id = "target5xx", namespace = "AWS/ApplicationELB", metric_name = "HTTPCode_Target_5XX_Count", stat = "Sum" },
        { id = "elb5xx", namespace = "AWS/ApplicationELB", metric_name = "HTTPCode_ELB_5XX_Count", stat = "Sum", dimensions = "load_balancer" },
        { id = "requests", namespace = "AWS/ApplicationELB", metric_name = "RequestCount", stat = "Sum" },
      ]
    }
    lb-latency-p99 = {
      description         = "The slowest 1% of the service's responses take longer than its response_time_p99_max_ms"
      scope               = "target_group"
      comparison_operator = "GreaterThanThreshold"
      threshold_setting   = "response_time_p99_max_ms"
      threshold           = null
      period              = null
      # TargetResponseTime is in seconds; the setting in milliseconds like the canary's.
      threshold_scale     = 0.001
      evaluation_periods  = 5
      datapoints_to_alarm = null
      treat_missing_data  = "notBreaching"
      expression          = null
      metrics             = [{ id = "latency", namespace = "AWS/ApplicationELB", metric_name = "TargetResponseTime", stat = "p99" }]
    }
    lb-unhealthy = {
      description         = "More of the service's targets fail the load balancer's health check than its max_unhealthy_targets"
      scope               = "target_group"
      comparison_operator = "GreaterThanThreshold"
      threshold_setting   = "max_unhealthy_targets"
      threshold           = null
      period              = null
      # A task that is being replaced fails a check or two: alarm only when it lasts.
      evaluation_periods  = 5
      datapoints_to_alarm = null
      treat_missing_data  = "notBreaching"
      expression          = null
      metrics             = [{ id = "unhealthy", namespace = "AWS/ApplicationELB", metric_name = "UnHealthyHostCount", stat = "Maximum" }]
    }
    lb-healthy-low = {
      description         = "Fewer of the service's targets pass the load balancer's health check than its min_healthy_targets"
      scope               = "target_group"
      comparison_operator = "LessThanThreshold"
      threshold_setting   = "min_healthy_targets"
      threshold           = null
      period              = null
      evaluation_periods  = 5
      datapoints_to_alarm = null
      treat_missing_data  = "notBreaching"
      expression          = null
      metrics             = [{ id = "healthy", namespace = "AWS/ApplicationELB", metric_name = "HealthyHostCount", stat = "Minimum" }]
    }
  }

  alarm_kinds = {
    for name in var.service_names : name => [
      for kind, definition in local.alarm_definitions : kind
      if definition.scope == "service" || (definition.scope == "canary" && can(local.canaries[name])) || (
        definition.scope == "cron-canary" && !try(local.canaries[name].runs_every_period, true)
      ) || (definition.scope == "target_group" && contains(keys(local.load_balanced), name))
    ]
  }

  # Services behind an Application Load Balancer, with the dimensions of their metrics:
  # target metrics by LoadBalancer and TargetGroup, the load balancer's own 5xx by
  # LoadBalancer alone (docs/aws-facts.md, "Load balancer metrics").
  load_balanced = {
    for name, s in local.services : name => {
      target_group  = { LoadBalancer = s.load_balancer, TargetGroup = s.target_group }
      load_balancer = { LoadBalancer = s.load_balancer }
    } if s.load_balancer != null && s.target_group != null
  }

  # The dimensions of each scope's metrics, by service; a metric may name another scope of
  # its service (`dimensions`, e.g. the load balancer's own 5xx of a target group alarm).
  metric_dimensions = {
    for name in var.service_names : name => merge(
      { service = { ClusterName = local.cluster_name, ServiceName = name } },
      can(local.canaries[name]) ? { canary = { CanaryName = local.canaries[name].name } } : {},
      try(local.load_balanced[name], {}),
    )
  }

  alarms = merge([
    for name, kinds in local.alarm_kinds : {
      for kind in kinds : "${name}/${kind}" => {
        service             = name
        name                = "${local.name_prefix}-${name}-${kind}"
        description         = "${local.alarm_definitions[kind].description} (${name})."
        comparison_operator = local.alarm_definitions[kind].comparison_operator
        threshold = (
          local.alarm_definitions[kind].threshold_setting == null
          ? local.alarm_definitions[kind].threshold
          : local.services[name][local.alarm_definitions[kind].threshold_setting] * try(local.alarm_definitions[kind].threshold_scale, 1)
        )
        evaluation_periods  = coalesce(local.alarm_definitions[kind].evaluation_periods, local.services[name].canary_heartbeat_hours)
        datapoints_to_alarm = coalesce(local.alarm_definitions[kind].datapoints_to_alarm, local.alarm_definitions[kind].evaluation_periods, local.services[name].canary_heartbeat_hours)
        # Where a cron schedule leaves periods without a run, missing data is no failure:
        # only a failed run pages.
        treat_missing_data = local.alarm_definitions[kind].scope == "canary" && !local.canaries[name].runs_every_period ? "notBreaching" : local.alarm_definitions[kind].treat_missing_data
        expression         = local.alarm_definitions[kind].expression
        period = coalesce(
          local.alarm_definitions[kind].period,
          local.alarm_definitions[kind].scope == "canary" ? local.canaries[name].period : 60,
        )
        metrics = [
          for metric in local.alarm_definitions[kind].metrics : merge(metric, {
            dimensions = local.metric_dimensions[name][try(metric.dimensions, local.alarm_definitions[kind].scope)]
          })
        ]
      }
    }
  ]...)

  # One composite alarm per service: the one that notifies, so an incident pages once.
  composite_alarms = {
    for name, kinds in local.alarm_kinds : name => {
      name    = "${local.name_prefix}-${name}-health"
      members = [for kind in kinds : "${name}/${kind}"]
    }
  }

  # While ECS reports no desired tasks for a service (not deployed yet, deleted, or scaled to
  # zero) its canary fails and its alarms would page: this alarm, in ALARM then, suppresses
  # the composite's notifications. It never notifies itself (docs/aws-facts.md, "False pages").
  not_deployed_alarms = {
    for name in var.service_names : name => {
      name = "${local.name_prefix}-${name}-not-deployed"
    }
  }
  # Seconds the composite waits for the suppressor before notifying (so a service that is
  # being removed does not page), and stays silent after a deployment appears (first runs).
  suppression = {
    wait_period      = 120
    extension_period = 600
  }
}
