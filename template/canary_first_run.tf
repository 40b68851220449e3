# A cron canary's heartbeat (locals.tf, canary-heartbeat) treats missing data as breaching:
# that is how a canary that stops running pages. But a cron canary created outside its
# schedule's hours has no runs yet either, and its heartbeat is in ALARM from the first
# evaluation: on a service that is deployed already, the composite paged for nothing.
#
# This alarm tells the two apart. Its missing data is "ignore" (the state is kept), so it is
# INSUFFICIENT_DATA from its creation until the canary's first run, and OK from then on, for
# good: SampleCount is at least 1 whenever there is a datapoint, and hours without one keep
# it OK. The composite counts the heartbeat only while this alarm is OK
# (`ALARM(heartbeat) AND OK(first-run)`, alarms.tf). Trade-off: a cron canary that never runs
# at all (say, a schedule that never fires) is not paged by its heartbeat; this alarm stays
# INSUFFICIENT_DATA, visible in the console. An update of an alarm keeps its state, so a
# later apply does not re-arm the gate; a replaced canary (new name) gets a new one
# (docs/aws-facts.md, "False pages").
locals {
  canary_first_run_alarms = {
    for name, canary in local.canaries : name => {
      name   = "${local.name_prefix}-${name}-canary-first-run"
      canary = canary.name
    } if !canary.runs_every_period
  }
}

resource "aws_cloudwatch_metric_alarm" "canary_first_run" {
  for_each = local.canary_first_run_alarms

  alarm_name          = each.value.name
  alarm_description   = "INSUFFICIENT_DATA until the cron canary of service ${each.key} has run once, OK from then on: until then its canary-heartbeat alarm does not count in the service's composite alarm. Never notifies."
  namespace           = "CloudWatchSynthetics"
  metric_name         = "SuccessPercent"
  dimensions          = { CanaryName = each.value.canary }
  statistic           = "SampleCount"
  period              = 3600
  evaluation_periods  = 1
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  treat_missing_data  = "ignore"
}

locals {
  # By service, from the resources: a composite alarm that names one is created after it.
  canary_first_run_names = { for name, alarm in aws_cloudwatch_metric_alarm.canary_first_run : name => alarm.alarm_name }
}
