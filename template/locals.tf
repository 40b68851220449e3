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
    warning_topic      = "${local.name_prefix}-warnings"
    kms_alias          = "alias/${local.name_prefix}"
    overview_dashboard = "${local.name_prefix}-overview"
    accounts_dashboard = "${local.name_prefix}-accounts"
    oam_sink           = local.name_prefix
    oam_stack_set      = "${local.name_prefix}-oam-links"
    # The services' log metrics (one per service: {service} is its name) and the folder of
    # the saved Logs Insights queries (a "/" in a query's name makes a folder).
    log_metrics_namespace = "${local.name_prefix}/Logs"
    log_error_metric      = "{service}-errors"
    queries_folder        = local.name_prefix
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
    cpu_high_percent           = 95
    memory_high_percent        = 95
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
    # Anomaly-detection bands on the load balancer's request count and p99 response time:
    # opt-in, since a band learns from up to two weeks of the metric's history and is too
    # narrow or too wide before (docs/aws-facts.md, "Anomaly detection"). The width is in
    # standard deviations: wider bands alarm less often.
    anomaly_bands      = false
    anomaly_band_width = 2
    # Severity tiers (the README): the settings above page (critical), these
    # notify (warning); a warning threshold is on the safe side of its page's.
    cpu_warning_percent          = 80
    memory_warning_percent       = 80
    canary_duration_warning_ms   = 5000
    error_rate_warning_percent   = 1
    response_time_p99_warning_ms = 1000
    # Error lines in the service's log group, one metric filter per pattern, all counting
    # into its error metric (docs/aws-facts.md, "Log metric filters"). A filter pattern is
    # either text terms or JSON selectors, never both: the first counts lines with these
    # (case-sensitive) words, the second JSON lines whose level is error, fatal or critical.
    # [] counts nothing: no filter and no log-errors alarm.
    log_error_patterns = [
      "?ERROR ?FATAL ?CRITICAL ?Exception",
      "{ $.level = \"error\" || $.level = \"fatal\" || $.level = \"critical\" }",
    ]
    log_errors_max_per_minute = 10
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
  # Each definition fixes its metrics, comparison, period and missing-data treatment, and its
  # severity tiers: `critical` pages (the alarm topic), `warning` notifies (the warning topic).
  # A definition without a tier leaves it out. Each tier names the per-service setting that
  # holds its threshold (`threshold_setting`, or a fixed `threshold`) and alarms when
  # `datapoints_to_alarm` of the last `evaluation_periods` breach (M of N; null: the
  # service's canary_heartbeat_hours). `period` null: 60 s for a service alarm, the run
  # interval for a canary alarm. Scope "cron-canary": canaries on a cron schedule only.
  # Why each tier and default: the README, "Severity tiers" (docs/severity-tiers.md in cw-scaffold).
  alarm_definitions = {
    # A busy service runs hot for a while (a batch, a burst): that is worth a look, not a
    # page; pinned near 100% it throttles and its latency follows.
    cpu-high = {
      description         = "CPU use of the service's tasks is above its threshold"
      scope               = "service"
      comparison_operator = "GreaterThanThreshold"
      period              = null
      # No datapoints means no running tasks, which tasks-below-desired reports.
      treat_missing_data = "notBreaching"
      expression         = null
      metrics            = [{ id = "cpu", namespace = "AWS/ECS", metric_name = "CPUUtilization", stat = "Average" }]
      tiers = {
        warning  = { threshold_setting = "cpu_warning_percent", evaluation_periods = 15, datapoints_to_alarm = 10 }
        critical = { threshold_setting = "cpu_high_percent", evaluation_periods = 5, datapoints_to_alarm = 4 }
      }
    }
    # Memory near the task's limit ends in an OutOfMemoryError kill.
    memory-high = {
      description         = "Memory use of the service's tasks is above its threshold"
      scope               = "service"
      comparison_operator = "GreaterThanThreshold"
      period              = null
      treat_missing_data  = "notBreaching"
      expression          = null
      metrics             = [{ id = "memory", namespace = "AWS/ECS", metric_name = "MemoryUtilization", stat = "Average" }]
      tiers = {
        warning  = { threshold_setting = "memory_warning_percent", evaluation_periods = 15, datapoints_to_alarm = 10 }
        critical = { threshold_setting = "memory_high_percent", evaluation_periods = 5, datapoints_to_alarm = 3 }
      }
    }
    tasks-below-desired = {
      description         = "Fewer tasks are running than the service wants (Container Insights)"
      scope               = "service"
      comparison_operator = "GreaterThanThreshold"
      period              = null
      # INSUFFICIENT_DATA until Container Insights reports: visible, never silently OK.
      treat_missing_data = "missing"
      expression         = "desired - running"
      metrics = [
        { id = "desired", namespace = "ECS/ContainerInsights", metric_name = "DesiredTaskCount", stat = "Average" },
        { id = "running", namespace = "ECS/ContainerInsights", metric_name = "RunningTaskCount", stat = "Average" },
      ]
      tiers = {
        # 10 of the last 15 minutes: a rolling deployment, a slow image pull or a health-check
        # grace period runs fewer tasks for several minutes and must not page; a service that
        # cannot keep its tasks (crash loop, no capacity) is short most of the time and pages
        # within 10 to 15 minutes (docs/aws-facts.md, "False pages").
        critical = { threshold_setting = "max_missing_tasks", evaluation_periods = 15, datapoints_to_alarm = 10 }
      }

      # Only Container Insights reports desired and running tasks: no such alarm without it.
      needs_container_insights = true
    }
    canary-success-low = {
      description         = "The service's canary fails its checks"
      scope               = "canary"
      comparison_operator = "LessThanThreshold"
      period              = null
      # A canary that stops reporting is as bad as one that fails.
      treat_missing_data = "breaching"
      expression         = null
      metrics            = [{ id = "success", namespace = "CloudWatchSynthetics", metric_name = "SuccessPercent", stat = "Average" }]
      # A user-facing check that fails twice in a row: page.
      tiers = {
        critical = { threshold_setting = "canary_success_min_percent", evaluation_periods = 2, datapoints_to_alarm = 2 }
      }
    }
    canary-duration-high = {
      description         = "The service's canary takes longer than its threshold"
      scope               = "canary"
      comparison_operator = "GreaterThanThreshold"
      period              = null
      # canary-success-low already reports a canary that stops running.
      treat_missing_data = "notBreaching"
      expression         = null
      metrics            = [{ id = "duration", namespace = "CloudWatchSynthetics", metric_name = "Duration", stat = "Average" }]
      tiers = {
        warning  = { threshold_setting = "canary_duration_warning_ms", evaluation_periods = 3, datapoints_to_alarm = 2 }
        critical = { threshold_setting = "canary_duration_max_ms", evaluation_periods = 2, datapoints_to_alarm = 2 }
      }
    }
    # A cron canary's other alarms treat the gaps between its runs as fine, so one that stops
    # would never page: this one counts its runs per hour and pages when the last
    # canary_heartbeat_hours had none (docs/aws-facts.md, "False pages").
    canary-heartbeat = {
      description         = "The service's cron canary has not run for canary_heartbeat_hours"
      scope               = "cron-canary"
      comparison_operator = "LessThanThreshold"
      period              = 3600
      treat_missing_data  = "breaching"
      expression          = null
      metrics             = [{ id = "runs", namespace = "CloudWatchSynthetics", metric_name = "SuccessPercent", stat = "SampleCount", dimensions = "canary" }]
      tiers = {
        critical = { threshold = 1, evaluation_periods = null, datapoints_to_alarm = null } # the service's canary_heartbeat_hours
      }
    }
    # Runs that failed to execute at all (the canary itself: its Lambda function errored or
    # timed out), counted apart from runs whose checks failed (docs/aws-facts.md, "Synthetics metrics").
    canary-failed = {
      description         = "Runs of the service's canary fail to execute"
      scope               = "canary"
      comparison_operator = "GreaterThanThreshold"
      period              = null
      # canary-success-low already reports a canary that stops running.
      treat_missing_data = "notBreaching"
      expression         = null
      metrics            = [{ id = "failed", namespace = "CloudWatchSynthetics", metric_name = "Failed", stat = "Sum" }]
      # The service is unwatched while its canary cannot run: as urgent as a failing check.
      tiers = {
        critical = { threshold_setting = "canary_max_failed_runs", evaluation_periods = 2, datapoints_to_alarm = 2 }
      }
    }
    # Load-balancer golden signals. An Application Load Balancer reports its metrics only
    # while requests flow (docs/aws-facts.md, "Load balancer metrics"): no traffic is missing
    # data, and missing data is not a breach. A service that stops taking traffic because it
    # is down shows as the load balancer's own 5xx, and as tasks below desired.
    lb-5xx-rate = {
      description         = "More of the requests to the service's target group fail with a 5xx (its own, or the load balancer's) than its threshold"
      scope               = "target_group"
      comparison_operator = "GreaterThanThreshold"
      period              = null
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
      # A steady trickle of errors is a ticket; a burst that lasts 3 of 5 minutes is an outage.
      tiers = {
        warning  = { threshold_setting = "error_rate_warning_percent", evaluation_periods = 15, datapoints_to_alarm = 10 }
        critical = { threshold_setting = "error_rate_max_percent", evaluation_periods = 5, datapoints_to_alarm = 3 }
      }
    }
    lb-latency-p99 = {
      description         = "The slowest 1% of the service's responses take longer than its threshold"
      scope               = "target_group"
      comparison_operator = "GreaterThanThreshold"
      period              = null
      # TargetResponseTime is in seconds; the settings in milliseconds like the canary's.
      threshold_scale    = 0.001
      treat_missing_data = "notBreaching"
      expression         = null
      metrics            = [{ id = "latency", namespace = "AWS/ApplicationELB", metric_name = "TargetResponseTime", stat = "p99" }]
      tiers = {
        warning  = { threshold_setting = "response_time_p99_warning_ms", evaluation_periods = 15, datapoints_to_alarm = 10 }
        critical = { threshold_setting = "response_time_p99_max_ms", evaluation_periods = 5, datapoints_to_alarm = 3 }
      }
    }
    lb-unhealthy = {
      description         = "More of the service's targets fail the load balancer's health check than its max_unhealthy_targets"
      scope               = "target_group"
      comparison_operator = "GreaterThanThreshold"
      period              = null
      treat_missing_data  = "notBreaching"
      expression          = null
      metrics             = [{ id = "unhealthy", namespace = "AWS/ApplicationELB", metric_name = "UnHealthyHostCount", stat = "Maximum" }]
      # ECS replaces a target that fails its health check; while enough stay healthy
      # (lb-healthy-low pages otherwise) users see nothing: notify only. A task that is being
      # replaced fails a check or two: alarm only when it lasts.
      tiers = {
        warning = { threshold_setting = "max_unhealthy_targets", evaluation_periods = 5, datapoints_to_alarm = 5 }
      }
    }
    # Anomaly-detection bands (opt-in per service: anomaly_bands): `band_width_setting` makes
    # an alarm compare what it evaluates (its expression, or else its one metric) with
    # ANOMALY_DETECTION_BAND(that, width) instead of a threshold; `threshold_metric_id` names
    # that band (docs/aws-facts.md, "Anomaly detection"). `enabled_setting`: the alarm exists
    # only for services whose setting of that name is true.
    # A traffic spike, or a drop: a minute without requests is 0 requests (FILL), so a
    # service that suddenly gets none when it normally gets some leaves the band below, and one
    # that gets none every night does not (the band learns the night).
    lb-requests-anomaly = {
      description         = "The service's request count leaves its anomaly-detection band (a spike, or a drop such as no traffic when there normally is)"
      scope               = "target_group"
      enabled_setting     = "anomaly_bands"
      band_width_setting  = "anomaly_band_width"
      comparison_operator = "LessThanLowerOrGreaterThanUpperThreshold"
      # Five-minute sums: per-minute counts of a small service are too noisy for a band.
      period = 300
      # FILL makes every period a datapoint while the metric exists; missing data remains
      # only when the target group reported no request for the whole window queried.
      treat_missing_data = "notBreaching"
      expression         = "FILL(requests, 0)"
      metrics            = [{ id = "requests", namespace = "AWS/ApplicationELB", metric_name = "RequestCount", stat = "Sum" }]
      # Pages: traffic that stops (or floods in) for 15 minutes when it normally flows is an
      # outage whatever the other alarms say. The band is the threshold.
      tiers = {
        critical = { evaluation_periods = 3, datapoints_to_alarm = 3 }
      }
    }
    # Slower than usual for the time of day, long before the fixed lb-latency-p99 threshold.
    # Faster than usual is no problem: above the band only. No requests, no response time:
    # missing data is no breach. (Alike the other definitions on purpose: every alarm of the
    # plan states each field, so that a reader sees all of its choices in one place.)
    lb-latency-anomaly = {
      description         = "The service's p99 response time rises above its anomaly-detection band"
      scope               = "target_group"
      enabled_setting     = "anomaly_bands"
      band_width_setting  = "anomaly_band_width"
      comparison_operator = "GreaterThanUpperThreshold"
      period              = 300
      treat_missing_data  = "notBreaching"
      expression          = null
      metrics             = [{ id = "latency", namespace = "AWS/ApplicationELB", metric_name = "TargetResponseTime", stat = "p99" }]
      # Notifies only: slower than usual is worth a look; lb-latency-p99 pages when it hurts.
      tiers = {
        warning = { evaluation_periods = 3, datapoints_to_alarm = 3 }
      }
    }
    lb-healthy-low = {
      description         = "Fewer of the service's targets pass the load balancer's health check than its min_healthy_targets"
      scope               = "target_group"
      comparison_operator = "LessThanThreshold"
      period              = null
      treat_missing_data  = "notBreaching"
      expression          = null
      metrics             = [{ id = "healthy", namespace = "AWS/ApplicationELB", metric_name = "HealthyHostCount", stat = "Minimum" }]
      tiers = {
        critical = { threshold_setting = "min_healthy_targets", evaluation_periods = 5, datapoints_to_alarm = 5 }
      }
    }
    # Error lines counted by the service's log metric filters (logs.tf). The filters publish
    # only when a line matches (no default value): no data is no error, never a breach. A few
    # error lines are everyday noise in many services: the alarm wants more than
    # log_errors_max_per_minute in 3 of 5 minutes; a crash loop pages sooner through
    # tasks-below-desired and the ECS task events.
    log-errors = {
      description         = "The service logs more error lines a minute than its log_errors_max_per_minute, in 3 of 5 minutes"
      scope               = "log"
      comparison_operator = "GreaterThanThreshold"
      period              = null
      treat_missing_data  = "notBreaching"
      expression          = null
      metrics             = [{ id = "errors", namespace = local.names.log_metrics_namespace, metric_name = local.names.log_error_metric, stat = "Sum" }]
      # Notifies only: error lines are a lead, not an outage; what users see pages through the
      # canary, load-balancer and task alarms.
      tiers = {
        warning = { threshold_setting = "log_errors_max_per_minute", evaluation_periods = 5, datapoints_to_alarm = 3 }
      }
    }
  }

  # The tiers, most severe first: critical pages, warning notifies (sns.tf).
  severity_tiers = ["critical", "warning"]

  alarm_kinds = {
    for name in var.service_names : name => [
      for kind, definition in local.alarm_definitions : kind
      if(
        definition.scope == "service"
        || (definition.scope == "canary" && can(local.canaries[name]))
        || (definition.scope == "cron-canary" && !try(local.canaries[name].runs_every_period, true))
        || (definition.scope == "target_group" && contains(keys(local.load_balanced), name))
        || (definition.scope == "log" && contains(keys(local.log_error_metrics), name))
      ) && (try(definition.enabled_setting, null) == null || try(local.services[name][definition.enabled_setting], false) == true)
      && (local.container_insights != "disabled" || !try(definition.needs_container_insights, false))
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
      # One metric per service, without dimensions (a metric filter's dimensions take their
      # values from the log event, never a fixed one).
      contains(keys(local.log_error_metrics), name) ? { log = {} } : {},
    )
  }

  # Every (service, definition, tier) the plan holds. A critical alarm keeps the key and name
  # an alarm had before tiers ("<service>/<kind>", "<prefix>-<service>-<kind>"), so existing
  # alarms are updated in place; a warning alarm's end in "/warning" and "-warning".
  alarm_tiers = flatten([
    for name, kinds in local.alarm_kinds : [
      for kind in kinds : [
        for tier in local.severity_tiers : {
          key      = tier == "critical" ? "${name}/${kind}" : "${name}/${kind}/${tier}"
          name     = tier == "critical" ? "${local.name_prefix}-${name}-${kind}" : "${local.name_prefix}-${name}-${kind}-${tier}"
          service  = name
          kind     = kind
          tier     = tier
          setting  = try(local.alarm_definitions[kind].tiers[tier].threshold_setting, null)
          periods  = try(local.alarm_definitions[kind].tiers[tier].evaluation_periods, null)
          m_of_n   = try(local.alarm_definitions[kind].tiers[tier].datapoints_to_alarm, null)
          constant = try(local.alarm_definitions[kind].tiers[tier].threshold, null)
        } if try(local.alarm_definitions[kind].tiers[tier], null) != null
      ]
    ]
  ])

  alarms = {
    for a in local.alarm_tiers : a.key => {
      service             = a.service
      kind                = a.kind
      tier                = a.tier
      name                = a.name
      description         = "${local.alarm_definitions[a.kind].description} (${a.service}; ${a.tier}: ${a.tier == "critical" ? "pages" : "notifies"})."
      comparison_operator = local.alarm_definitions[a.kind].comparison_operator
      threshold           = a.setting == null ? a.constant : local.services[a.service][a.setting] * try(local.alarm_definitions[a.kind].threshold_scale, 1)
      # An anomaly-detection alarm: the band it compares with, in place of the threshold.
      threshold_metric_id = try(local.alarm_definitions[a.kind].band_width_setting, null) == null ? null : "band"
      band_expression = try(local.alarm_definitions[a.kind].band_width_setting, null) == null ? null : format(
        "ANOMALY_DETECTION_BAND(%s, %s)",
        local.alarm_definitions[a.kind].expression == null ? local.alarm_definitions[a.kind].metrics[0].id : "result",
        local.services[a.service][local.alarm_definitions[a.kind].band_width_setting],
      )
      evaluation_periods  = coalesce(a.periods, local.services[a.service].canary_heartbeat_hours)
      datapoints_to_alarm = coalesce(a.m_of_n, a.periods, local.services[a.service].canary_heartbeat_hours)
      # Where a cron schedule leaves periods without a run, missing data is no failure:
      # only a failed run pages.
      treat_missing_data = local.alarm_definitions[a.kind].scope == "canary" && !local.canaries[a.service].runs_every_period ? "notBreaching" : local.alarm_definitions[a.kind].treat_missing_data
      expression         = local.alarm_definitions[a.kind].expression
      period = coalesce(
        local.alarm_definitions[a.kind].period,
        local.alarm_definitions[a.kind].scope == "canary" ? local.canaries[a.service].period : 60,
      )
      metrics = [
        for metric in local.alarm_definitions[a.kind].metrics : merge(metric, {
          metric_name = replace(metric.metric_name, "{service}", a.service)
          dimensions  = local.metric_dimensions[a.service][try(metric.dimensions, local.alarm_definitions[a.kind].scope)]
        })
      ]
    }
  }

  # Warning alarms whose threshold is not on the safe side of their page's (an equal one would
  # notify and page at once): sns.tf refuses the plan unless there is none. An alarm without a
  # threshold (an anomaly band's) or without a critical tier has nothing to compare. Checked
  # once here, not per alarm: a precondition on each of thousands of alarms that reads this
  # map made the plan of 500 services many times slower.
  tier_inversions = [
    for a in values(local.alarms) : format(
      "%s: the warning threshold %s must be %s the critical one of %s for service %s",
      a.name, a.threshold, strcontains(a.comparison_operator, "Greater") ? "below" : "above", a.kind, a.service,
    )
    if a.tier == "warning" && a.threshold != null && try(
      strcontains(a.comparison_operator, "Greater")
      ? a.threshold >= local.alarms["${a.service}/${a.kind}"].threshold
      : a.threshold <= local.alarms["${a.service}/${a.kind}"].threshold
    , false)
  ]

  # One composite alarm per service and tier: the ones that notify, so an incident pages (or
  # notifies) once. The critical one keeps the name it had before tiers.
  composite_alarms = {
    for tier in local.severity_tiers : tier => {
      for name, kinds in local.alarm_kinds : name => {
        name = tier == "critical" ? "${local.name_prefix}-${name}-health" : "${local.name_prefix}-${name}-${tier}"
        members = [
          for kind in kinds : tier == "critical" ? "${name}/${kind}" : "${name}/${kind}/${tier}"
          if try(local.alarm_definitions[kind].tiers[tier], null) != null
        ]
      }
    }
  }

  # Their resource instances (alarms.tf): a critical one keyed by its service, as before
  # tiers, so existing projects update it in place; a warning one by "<service>/warning".
  composite_alarm_instances = merge([
    for tier, by_service in local.composite_alarms : {
      for service, composite in by_service : (tier == "critical" ? service : "${service}/${tier}") => merge(composite, {
        service = service
        tier    = tier
      })
    }
  ]...)

  # While ECS reports no desired tasks for a service (not deployed yet, deleted, or scaled to
  # zero) its canary fails and its alarms would page: this alarm, in ALARM then, suppresses
  # the composite's notifications. It never notifies itself (docs/aws-facts.md, "False pages").
  not_deployed_alarms = {
    for name in var.service_names : name => {
      name = "${local.name_prefix}-${name}-not-deployed"
    }
  }
  # What the not-deployed alarm reads. With Container Insights: the service's desired tasks
  # and its deployments. Without (container_insights = "disabled"): whether AWS/ECS has any
  # CPU sample of the service, which it reports only while a task of it runs; a service none
  # of whose tasks runs then counts as not deployed (its stopped tasks still notify through
  # their ECS events, events.tf), and its deployments are not recognised
  # (docs/aws-facts.md, "Container Insights").
  not_deployed_signal = local.container_insights == "disabled" ? {
    expression  = "IF(FILL(samples, 0) < 1, 1, 0)"
    description = "no task of it runs (not deployed yet, scaled to zero, or stopped)"
    metrics     = [{ id = "samples", namespace = "AWS/ECS", metric_name = "CPUUtilization", stat = "SampleCount" }]
    } : {
    expression  = "IF(FILL(desired, 0) < 1, 1, 0) + IF(FILL(deployments, 1) > 1, 1, 0)"
    description = "ECS reports no desired tasks for it (not deployed yet, or scaled to zero), or a deployment of it is in progress"
    metrics = [
      { id = "desired", namespace = "ECS/ContainerInsights", metric_name = "DesiredTaskCount", stat = "Maximum" },
      { id = "deployments", namespace = "ECS/ContainerInsights", metric_name = "DeploymentCount", stat = "Maximum" },
    ]
  }
  # Seconds the composite waits for the suppressor before notifying (so a service that is
  # being removed does not page), and stays silent after a deployment appears (first runs).
  suppression = {
    wait_period      = 120
    extension_period = 600
  }
}
