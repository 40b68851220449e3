"""PAGE-BEFORE-DEPLOY and SERVICE-UNVERIFIED: false pages, and alarms that stay green."""

from __future__ import annotations

from generator.check.findings import Severity

ALARMS_TF = """
resource "aws_cloudwatch_metric_alarm" "canary" {
  alarm_name          = "orders-canary"
  treat_missing_data  = "breaching"
  comparison_operator = "LessThanThreshold"
  evaluation_periods  = 2
  threshold           = 90
}

resource "aws_cloudwatch_composite_alarm" "orders" {
  alarm_name    = "orders-health"
  alarm_rule    = "ALARM(${aws_cloudwatch_metric_alarm.canary.alarm_name})"
  alarm_actions = ["arn:aws:sns:us-east-1:123456789012:alarms"]
}
"""

SUPPRESSED_TF = ALARMS_TF.replace(
    '  alarm_actions = ["arn:aws:sns:us-east-1:123456789012:alarms"]\n',
    '  alarm_actions = ["arn:aws:sns:us-east-1:123456789012:alarms"]\n'
    "  actions_suppressor {\n"
    '    alarm            = "orders-not-deployed"\n'
    "    wait_period      = 120\n"
    "    extension_period = 600\n"
    "  }\n",
)


def test_a_composite_that_pages_on_missing_data_is_reported(module, run):
    (found,) = run("PAGE-BEFORE-DEPLOY", module({"alarms.tf": ALARMS_TF}))
    assert (found.file, found.line, found.severity) == ("alarms.tf", 10, Severity.WARNING)
    assert "actions_suppressor" in found.message
    assert run("PAGE-BEFORE-DEPLOY", module({"alarms.tf": SUPPRESSED_TF})) == []


def test_a_breaching_alarm_that_notifies_itself_is_reported(module, run):
    tf = ALARMS_TF.replace(
        "  threshold           = 90\n",
        '  threshold           = 90\n  alarm_actions       = ["arn:aws:sns:us-east-1:1:a"]\n',
        1,
    )
    found = run("PAGE-BEFORE-DEPLOY", module({"alarms.tf": tf}))
    assert [f.line for f in found] == [2, 11]


def test_planned_missing_data_treatment_counts(module, run, plan_of):
    tf = ALARMS_TF.replace('"breaching"', "each.value.missing")
    plan = plan_of(
        {
            "address": "aws_cloudwatch_metric_alarm.canary",
            "values": {"alarm_name": "orders-canary", "treat_missing_data": "breaching"},
        },
        {
            "address": "aws_cloudwatch_composite_alarm.orders",
            "values": {
                "alarm_rule": 'ALARM("orders-canary")',
                "alarm_actions": ["arn:aws:sns:us-east-1:123456789012:alarms"],
            },
        },
    )
    (found,) = run("PAGE-BEFORE-DEPLOY", module({"alarms.tf": tf}, plan=plan))
    assert found.line == 10
    assert run("PAGE-BEFORE-DEPLOY", module({"alarms.tf": tf})) == [], "unknown without a plan"


EXISTING_TF = """
data "aws_ecs_cluster" "this" {
  cluster_name = "platform"
}

resource "aws_cloudwatch_metric_alarm" "cpu" {
  alarm_name = "orders-cpu"
  dimensions = { ClusterName = "platform", ServiceName = "orders" }
}
"""


def test_services_of_a_looked_up_cluster_need_a_check(module, run):
    (found,) = run("SERVICE-UNVERIFIED", module({"main.tf": EXISTING_TF}))
    assert (found.file, found.line) == ("main.tf", 6)
    assert 'data "aws_ecs_service"' in found.message
    checked = (
        EXISTING_TF
        + """
check "orders_exists" {
  data "aws_ecs_service" "orders" {
    cluster_arn  = data.aws_ecs_cluster.this.arn
    service_name = "orders"
  }

  assert {
    condition     = data.aws_ecs_service.orders.status == "ACTIVE"
    error_message = "ECS service orders is not ACTIVE in cluster platform."
  }
}
"""
    )
    assert run("SERVICE-UNVERIFIED", module({"main.tf": checked})) == []


CRON_CANARY_TF = """
resource "aws_synthetics_canary" "orders" {
  name = "orders"

  schedule {
    expression = "cron(0 8 ? * MON-FRI *)"
  }
}

resource "aws_cloudwatch_metric_alarm" "heartbeat" {
  alarm_name         = "orders-heartbeat"
  treat_missing_data = "breaching"

  metric_query {
    id = "runs"

    metric {
      namespace   = "CloudWatchSynthetics"
      metric_name = "SuccessPercent"
      stat        = "SampleCount"
      period      = 3600
      dimensions  = { CanaryName = "orders" }
    }
  }
}

resource "aws_cloudwatch_composite_alarm" "orders" {
  alarm_name    = "orders-health"
  alarm_rule    = "ALARM(\\"orders-heartbeat\\") OR ALARM(\\"orders-cpu\\")"
  alarm_actions = ["arn:aws:sns:us-east-1:123456789012:alarms"]

  actions_suppressor {
    alarm = "orders-not-deployed"
  }
}
"""


def test_a_cron_canary_heartbeat_without_a_first_run_gate_is_reported(module, run):
    (found,) = run("HEARTBEAT-FIRST-RUN", module({"alarms.tf": CRON_CANARY_TF}))
    assert (found.file, found.line, found.severity) == ("alarms.tf", 10, Severity.WARNING)
    assert "first run" in found.message and "OK(" in found.message


def test_a_heartbeat_gated_by_the_first_run_is_silent(module, run):
    gated = CRON_CANARY_TF.replace(
        'ALARM(\\"orders-heartbeat\\") OR',
        '(ALARM(\\"orders-heartbeat\\") AND OK(\\"orders-canary-first-run\\")) OR',
    )
    assert run("HEARTBEAT-FIRST-RUN", module({"alarms.tf": gated})) == []


def test_a_rate_canary_heartbeat_is_silent(module, run):
    rate = CRON_CANARY_TF.replace("cron(0 8 ? * MON-FRI *)", "rate(5 minutes)")
    assert run("HEARTBEAT-FIRST-RUN", module({"alarms.tf": rate})) == []


def test_a_planned_heartbeat_that_notifies_itself_is_reported(module, run, plan_of):
    tf = CRON_CANARY_TF.replace('"cron(0 8 ? * MON-FRI *)"', "var.schedule")
    plan = plan_of(
        {
            "address": "aws_synthetics_canary.orders",
            "values": {"name": "orders", "schedule": [{"expression": "cron(0 8 * * ? *)"}]},
        },
        {
            "address": "aws_cloudwatch_metric_alarm.heartbeat",
            "values": {
                "alarm_name": "orders-heartbeat",
                "treat_missing_data": "breaching",
                "alarm_actions": ["arn:aws:sns:us-east-1:123456789012:alarms"],
                "metric_query": [{"metric": [{"dimensions": {"CanaryName": "orders"}}]}],
            },
        },
    )
    (found,) = run("HEARTBEAT-FIRST-RUN", module({"alarms.tf": tf}, plan=plan))
    assert found.line == 10
    assert run("HEARTBEAT-FIRST-RUN", module({"alarms.tf": tf})) == [], "unknown schedule"
