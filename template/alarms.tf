# Alarms come from the monitoring plan in locals.tf; nothing here decides which exist.
resource "aws_cloudwatch_metric_alarm" "service" {
  for_each = local.alarms

  alarm_name          = each.value.name
  alarm_description   = each.value.description
  comparison_operator = each.value.comparison_operator
  threshold           = each.value.threshold
  evaluation_periods  = each.value.evaluation_periods
  datapoints_to_alarm = each.value.datapoints_to_alarm
  treat_missing_data  = each.value.treat_missing_data

  dynamic "metric_query" {
    for_each = each.value.metrics

    content {
      id          = metric_query.value.id
      return_data = each.value.expression == null

      metric {
        namespace   = metric_query.value.namespace
        metric_name = metric_query.value.metric_name
        stat        = metric_query.value.stat
        period      = each.value.period
        dimensions  = metric_query.value.dimensions
      }
    }
  }

  dynamic "metric_query" {
    for_each = each.value.expression == null ? [] : [each.value.expression]

    content {
      id          = "result"
      expression  = metric_query.value
      label       = each.value.name
      return_data = true
    }
  }

  lifecycle {
    # PutMetricAlarm's limits (docs/aws-facts.md, "Alarm periods").
    precondition {
      condition     = (contains([10, 20, 30], each.value.period) || each.value.period % 60 == 0) && each.value.period * each.value.evaluation_periods <= (each.value.period < 3600 ? 86400 : 604800)
      error_message = "Alarm ${each.value.name}: period ${each.value.period} s x ${each.value.evaluation_periods} evaluation periods must be 10, 20, 30 or a multiple of 60 seconds, and cover at most one day (seven days for periods of an hour or more): check the service's canary_schedule, canary_alarm_period and canary_heartbeat_hours."
    }
  }
}

# In ALARM while ECS reports no desired tasks for the service, or while a deployment of it is
# in progress (more than one deployment: the new one and the one it replaces): the suppressor
# of its composite alarm, so that a service pages only once it is deployed, and not for the
# tasks a rolling deployment stops and starts. A deployment that fails still pages, through
# its SERVICE_DEPLOYMENT_FAILED event (events.tf), and an alarm still in ALARM when the
# deployment ends notifies after the extension period (docs/aws-facts.md, "False pages").
resource "aws_cloudwatch_metric_alarm" "not_deployed" {
  for_each = local.not_deployed_alarms

  alarm_name          = each.value.name
  alarm_description   = "ECS reports no desired tasks for service ${each.key} (not deployed yet, or scaled to zero), or a deployment of it is in progress: its alarms do not notify. Needs Container Insights."
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  evaluation_periods  = 1
  # No datapoints: the cluster has no such service (yet).
  treat_missing_data = "breaching"

  metric_query {
    id          = "quiet"
    expression  = "IF(FILL(desired, 0) < 1, 1, 0) + IF(FILL(deployments, 1) > 1, 1, 0)"
    label       = "Service ${each.key} not deployed, or being deployed"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = { desired = "DesiredTaskCount", deployments = "DeploymentCount" }

    content {
      id          = metric_query.key
      return_data = false

      metric {
        namespace   = "ECS/ContainerInsights"
        metric_name = metric_query.value
        dimensions  = { ClusterName = local.cluster_name, ServiceName = each.key }
        stat        = "Maximum"
        period      = 60
      }
    }
  }
}

# The alarm that notifies: one per service, in ALARM when any of the service's alarms is,
# silent while the service is not deployed.
resource "aws_cloudwatch_composite_alarm" "service" {
  for_each = local.composite_alarms

  alarm_name        = each.value.name
  alarm_description = "Any alarm of service ${each.key} is in ALARM (no notification while the service is not deployed, or is being deployed)."
  # A cron canary's heartbeat counts once the canary has run (canary_first_run.tf).
  alarm_rule = join(" OR ", [for key in each.value.members : (
    endswith(key, "/canary-heartbeat")
    ? "(ALARM(\"${aws_cloudwatch_metric_alarm.service[key].alarm_name}\") AND OK(\"${local.canary_first_run_names[local.alarms[key].service]}\"))"
    : "ALARM(\"${aws_cloudwatch_metric_alarm.service[key].alarm_name}\")"
  )])
  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]

  actions_suppressor {
    alarm            = aws_cloudwatch_metric_alarm.not_deployed[each.key].alarm_name
    wait_period      = local.suppression.wait_period
    extension_period = local.suppression.extension_period
  }
}
