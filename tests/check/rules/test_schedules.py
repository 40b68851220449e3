"""CANARY-SCHEDULE and ALARM-PERIOD: from the HCL's literals, and from the plan."""

from __future__ import annotations

import pytest

CANARY_TF = """
resource "aws_synthetics_canary" "orders" {
  name = "orders"
  schedule {
    expression = "{schedule}"
  }
}
"""

ALARM_TF = """
resource "aws_cloudwatch_metric_alarm" "slow" {
  alarm_name          = "slow"
  evaluation_periods  = {evaluations}
  period              = {period}
  metric_name         = "Duration"
  namespace           = "CloudWatchSynthetics"
  statistic           = "Average"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 1000
}
"""


@pytest.mark.parametrize(
    "schedule", ["rate(0 minute)", "rate(61 minutes)", "rate(2 hours)", "rate(1 minutes)"]
)
def test_a_schedule_synthetics_refuses_is_reported(module, run, schedule):
    (found,) = run(
        "CANARY-SCHEDULE", module({"main.tf": CANARY_TF.replace("{schedule}", schedule)})
    )
    assert (found.rule, found.file, found.line) == ("CANARY-SCHEDULE", "main.tf", 5)
    assert f"'{schedule}' is not a recurring canary schedule" in found.message


@pytest.mark.parametrize(
    "schedule", ["rate(1 minute)", "rate(60 minutes)", "rate(1 hour)", "cron(0 9 * * ? *)"]
)
def test_a_schedule_synthetics_accepts_is_silent(module, run, schedule):
    assert (
        run("CANARY-SCHEDULE", module({"main.tf": CANARY_TF.replace("{schedule}", schedule)})) == []
    )


def test_the_planned_schedule_is_what_counts(module, run, plan_of):
    tf = CANARY_TF.replace('"{schedule}"', "var.schedule")
    plan = plan_of(
        {
            "address": "aws_synthetics_canary.orders",
            "values": {"schedule": [{"expression": "rate(0 minutes)"}]},
        }
    )
    (found,) = run("CANARY-SCHEDULE", module({"main.tf": tf}, plan=plan))
    assert "rate(0 minutes)" in found.message
    assert run("CANARY-SCHEDULE", module({"main.tf": tf})) == [], "unknown without a plan"


@pytest.mark.parametrize(
    ("period", "evaluations", "fragment"),
    [
        (0, 2, "period 0 is not"),
        (90, 2, "period 90 is not"),
        (1800, 49, "more than one day"),
        (3600, 169, "more than seven days"),
    ],
)
def test_an_alarm_period_cloudwatch_refuses_is_reported(module, run, period, evaluations, fragment):
    tf = ALARM_TF.replace("{period}", str(period)).replace("{evaluations}", str(evaluations))
    (found,) = run("ALARM-PERIOD", module({"main.tf": tf}))
    assert (found.rule, found.file, found.line) == ("ALARM-PERIOD", "main.tf", 5)
    assert fragment in found.message


@pytest.mark.parametrize(
    ("period", "evaluations"), [(10, 5), (30, 2), (300, 2), (3600, 25), (3600, 168)]
)
def test_an_alarm_period_cloudwatch_accepts_is_silent(module, run, period, evaluations):
    tf = ALARM_TF.replace("{period}", str(period)).replace("{evaluations}", str(evaluations))
    assert run("ALARM-PERIOD", module({"main.tf": tf})) == []


def test_metric_query_periods_from_the_plan(module, run, plan_of):
    tf = """
    resource "aws_cloudwatch_metric_alarm" "canary" {
      for_each            = var.alarms
      alarm_name          = each.key
      evaluation_periods  = 2
      comparison_operator = "LessThanThreshold"
      threshold           = 90
    }
    """
    plan = plan_of(
        {
            "address": 'aws_cloudwatch_metric_alarm.canary["orders"]',
            "values": {
                "evaluation_periods": 2,
                "metric_query": [{"metric": [{"period": 0}]}],
            },
        }
    )
    context = module({"main.tf": tf}, plan=plan)
    # AWS-VALUE reads the plan and owns a period the provider refuses: reported once, there
    assert run("ALARM-PERIOD", context) == []
    (found,) = run("AWS-VALUE", context)
    assert found.line == 2 and "metric_query[0].metric[0].period 0" in found.message
