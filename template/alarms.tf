# Alarms come from the monitoring plan in locals.tf; nothing here decides which exist.
resource "aws_cloudwatch_metric_alarm" "service" {
  for_each = local.alarms

  alarm_name          = each.value.name
  alarm_description   = each.value.description
  comparison_operator = each.value.comparison_operator
  threshold           = each.value.threshold
  threshold_metric_id = each.value.threshold_metric_id
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

  # An anomaly-detection alarm: the band, which returns data too, and which threshold_metric_id
  # names; CloudWatch creates the band's model with the alarm (docs/aws-facts.md, "Anomaly detection").
  dynamic "metric_query" {
    for_each = each.value.band_expression == null ? [] : [each.value.band_expression]

    content {
      id          = each.value.threshold_metric_id
      expression  = metric_query.value
      label       = "${each.value.name} (expected band)"
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
# Without Container Insights: in ALARM while no task of the service runs.
resource "aws_cloudwatch_metric_alarm" "not_deployed" {
  for_each = local.not_deployed_alarms

  alarm_name          = each.value.name
  alarm_description   = "Service ${each.key}: ${local.not_deployed_signal.description}: its alarms do not notify."
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  # 2 of the last 3 minutes: a Container Insights datapoint that arrives late counts as 0
  # desired tasks (FILL) for one evaluation, and one quiet minute must not hold the service's
  # pages back for the extension period (ten minutes) after it.
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  # No datapoints: the cluster has no such service (yet).
  treat_missing_data = "breaching"

  metric_query {
    id          = "quiet"
    expression  = local.not_deployed_signal.expression
    label       = "Service ${each.key} not deployed, or being deployed"
    return_data = true
  }

  # Container Insights' desired tasks and deployments, or without it AWS/ECS's CPU samples
  # (locals.tf, not_deployed_signal).
  dynamic "metric_query" {
    for_each = local.not_deployed_signal.metrics

    content {
      id          = metric_query.value.id
      return_data = false

      metric {
        namespace   = metric_query.value.namespace
        metric_name = metric_query.value.metric_name
        dimensions  = { ClusterName = local.cluster_name, ServiceName = each.key }
        stat        = metric_query.value.stat
        period      = 60
      }
    }
  }
}

# The names of the alarms the composites name, read from the resources (so that a composite is
# created after its alarms) once, in a local: a reference to one instance of a resource from
# each instance of another makes Terraform build the whole resource's value per reference,
# which made the plan of 500 services many times slower.
locals {
  created_alarm_names        = { for key, alarm in aws_cloudwatch_metric_alarm.service : key => alarm.alarm_name }
  created_not_deployed_names = { for name, alarm in aws_cloudwatch_metric_alarm.not_deployed : name => alarm.alarm_name }

  # Each composite's rule. A canary's success and heartbeat alarms count once the canary has
  # run (canary_first_run.tf).
  composite_rules = {
    for composite_key, composite in local.composite_alarm_instances : composite_key => join(" OR ", [for key in composite.members : (
      contains(local.first_run_gated_kinds, local.alarms[key].kind)
      ? "(ALARM(\"${local.created_alarm_names[key]}\") AND OK(\"${local.canary_first_run_names[local.alarms[key].service]}\"))"
      : "ALARM(\"${local.created_alarm_names[key]}\")"
    )])
  }
}

# The alarms that notify: per service one that pages (critical, the alarm topic) and one that
# notifies (warning, the warning topic), each in ALARM when any of the service's alarms of its
# tier is, both silent while the service is not deployed or is being deployed.
resource "aws_cloudwatch_composite_alarm" "service" {
  for_each = local.composite_alarm_instances

  alarm_name        = each.value.name
  alarm_description = "Any ${each.value.tier} alarm of service ${each.value.service} is in ALARM: ${each.value.tier == "critical" ? "pages" : "notifies, does not page"} (no notification while the service is not deployed, or is being deployed)."
  alarm_rule        = local.composite_rules[each.key]
  alarm_actions     = [each.value.tier == "critical" ? aws_sns_topic.alarms.arn : aws_sns_topic.warnings.arn]
  ok_actions        = [each.value.tier == "critical" ? aws_sns_topic.alarms.arn : aws_sns_topic.warnings.arn]

  actions_suppressor {
    alarm            = local.created_not_deployed_names[each.value.service]
    wait_period      = local.suppression.wait_period
    extension_period = local.suppression.extension_period
  }

  lifecycle {
    # PutCompositeAlarm takes a rule of at most 10,240 characters (docs/aws-facts.md, "Composite alarms").
    precondition {
      condition     = length(local.composite_rules[each.key]) <= 10240
      error_message = "Composite alarm ${each.value.name}: its rule would exceed the 10,240 characters CloudWatch accepts: shorten project_name or the service name."
    }
  }
}
