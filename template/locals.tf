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
    health_max_latency_ms      = 2000
    cpu_high_percent           = 80
    memory_high_percent        = 80
    max_missing_tasks          = 0
    canary_success_min_percent = 90
    canary_duration_max_ms     = 10000
    canary_schedule            = var.canary_schedule
    canary_alarm_period        = 3600
    checks                     = []
    log_group                  = null
  }

  services = {
    for name in var.service_names : name => merge(local.service_defaults, {
      for key, value in try(var.service_settings[name], {}) : key => value if value != null
    })
  }

  # A service gets a canary when it has an endpoint (its own, or from the pattern).
  canaries = {
    for name, s in local.services : name => {
      name     = lower("${local.name_prefix}-${name}")
      schedule = s.canary_schedule
      # A cron schedule may leave periods without a run (nights, weekends); a rate never does.
      runs_every_period = startswith(s.canary_schedule, "rate(")
      # A canary's metrics are evaluated per run interval: rate(N minutes) gives N x 60 s,
      # rate(1 hour) 3600 s, both periods CloudWatch accepts (docs/aws-facts.md, "Alarm
      # periods"); a cron schedule's interval is the service's canary_alarm_period.
      period = (
        startswith(s.canary_schedule, "rate(")
        ? tonumber(regex("[0-9]+", s.canary_schedule)) * (strcontains(s.canary_schedule, "hour") ? 3600 : 60)
        : s.canary_alarm_period
      )
      # canary_config.json: what the canary script checks, step by step (see canaries/).
      config = {
        service = name
        # Below the run timeout (canaries.tf), so a hung service fails its step with a
        # message instead of using up the whole run.
        request_timeout_ms = 15000
        base_url           = trimsuffix(s.endpoint != null ? s.endpoint : replace(var.service_endpoint_pattern, "{service}", name), "/")
        steps = concat([{
          name               = "health"
          method             = "GET"
          path               = s.health_path
          headers            = {}
          body               = null
          expected_status    = 200
          max_latency_ms     = s.health_max_latency_ms
          required_json_keys = []
          json_equals        = {}
          body_contains      = null
          required_headers   = []
        }], s.checks)
      }
    } if s.canary && (s.endpoint != null || var.service_endpoint_pattern != "")
  }
}

# The monitoring plan: which alarms each service gets. Alarms, composite alarms and
# dashboards only iterate over what is decided here.
locals {
  # Each definition fixes its metrics, comparison, evaluation and missing-data treatment;
  # `threshold_setting` names the per-service setting that holds its threshold.
  alarm_definitions = {
    cpu-high = {
      description         = "CPU use of the service's tasks is above its threshold"
      scope               = "service"
      comparison_operator = "GreaterThanThreshold"
      threshold_setting   = "cpu_high_percent"
      evaluation_periods  = 3
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
      evaluation_periods  = 3
      treat_missing_data  = "notBreaching"
      expression          = null
      metrics             = [{ id = "memory", namespace = "AWS/ECS", metric_name = "MemoryUtilization", stat = "Average" }]
    }
    tasks-below-desired = {
      description         = "Fewer tasks are running than the service wants (Container Insights)"
      scope               = "service"
      comparison_operator = "GreaterThanThreshold"
      threshold_setting   = "max_missing_tasks"
      # Deployments run fewer tasks for a few minutes: alarm only when it lasts.
      evaluation_periods = 5
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
      evaluation_periods  = 2
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
      evaluation_periods  = 2
      # canary-success-low already reports a canary that stops running.
      treat_missing_data = "notBreaching"
      expression         = null
      metrics            = [{ id = "duration", namespace = "CloudWatchSynthetics", metric_name = "Duration", stat = "Average" }]
    }
  }

  alarm_kinds = {
    for name in var.service_names : name => [
      for kind, definition in local.alarm_definitions : kind
      if definition.scope == "service" || can(local.canaries[name])
    ]
  }

  alarms = merge([
    for name, kinds in local.alarm_kinds : {
      for kind in kinds : "${name}/${kind}" => {
        service             = name
        name                = "${local.name_prefix}-${name}-${kind}"
        description         = "${local.alarm_definitions[kind].description} (${name})."
        comparison_operator = local.alarm_definitions[kind].comparison_operator
        threshold           = local.services[name][local.alarm_definitions[kind].threshold_setting]
        evaluation_periods  = local.alarm_definitions[kind].evaluation_periods
        # Where a cron schedule leaves periods without a run, missing data is no failure:
        # only a failed run pages.
        treat_missing_data = local.alarm_definitions[kind].scope == "canary" && !local.canaries[name].runs_every_period ? "notBreaching" : local.alarm_definitions[kind].treat_missing_data
        expression         = local.alarm_definitions[kind].expression
        period             = local.alarm_definitions[kind].scope == "canary" ? local.canaries[name].period : 60
        dimensions = (
          local.alarm_definitions[kind].scope == "canary"
          ? { CanaryName = local.canaries[name].name }
          : { ClusterName = local.cluster_name, ServiceName = name }
        )
        metrics = local.alarm_definitions[kind].metrics
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
