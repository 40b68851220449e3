# A canary's alarms that treat missing data as breaching (locals.tf: canary-success-low, and a
# cron canary's canary-heartbeat) are in ALARM from their first evaluation, before the canary
# has run at all: the alarms are created before the canary (which waits for its role) and
# before its first run, so on a service that is deployed already the composite paged once for
# nothing. A cron canary created outside its schedule's hours has no runs for hours.
#
# This alarm tells "not run yet" from "stopped". Its missing data is "ignore" (the state is
# kept), so it is INSUFFICIENT_DATA from its creation until the canary's first run, and OK
# from then on, for good: SampleCount is at least 1 whenever there is a datapoint, and minutes
# without one keep it OK; its period is a minute, so it turns OK within minutes of the first
# run. The composite counts those alarms only while this one is OK
# (`ALARM(<alarm>) AND OK(first-run)`, alarms.tf). Trade-off: a canary that never runs at all
# (say, stopped before its first run, or a schedule that never fires) pages through neither;
# this alarm stays INSUFFICIENT_DATA, visible in the console. An update of an alarm keeps its
# state, so a later apply does not re-arm the gate; a replaced canary (new name) gets a new one
# (docs/aws-facts.md, "False pages").
locals {
  canary_first_run_alarms = {
    for name, canary in local.canaries : name => {
      name   = "${local.name_prefix}-${name}-canary-first-run"
      canary = canary.name
    }
  }
  # The alarm kinds (locals.tf) that count in a composite only once the canary has run.
  first_run_gated_kinds = ["canary-success-low", "canary-heartbeat"]
}

resource "aws_cloudwatch_metric_alarm" "canary_first_run" {
  for_each = local.canary_first_run_alarms

  alarm_name          = each.value.name
  alarm_description   = "INSUFFICIENT_DATA until the canary of service ${each.key} has run once, OK from then on: until then its canary-success-low and canary-heartbeat alarms do not count in the service's composite alarm. Never notifies."
  namespace           = "CloudWatchSynthetics"
  metric_name         = "SuccessPercent"
  dimensions          = { CanaryName = each.value.canary }
  statistic           = "SampleCount"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  treat_missing_data  = "ignore"
}

locals {
  # By service, from the resources: a composite alarm that names one is created after it.
  canary_first_run_names = { for name, alarm in aws_cloudwatch_metric_alarm.canary_first_run : name => alarm.alarm_name }
}
