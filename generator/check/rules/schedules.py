"""Canary schedules and alarm periods AWS refuses (docs/aws-facts.md, "Schedules" and
"Alarm periods"); the rules themselves are in generator/schedules.py, shared with the module's
validations and `cw-scaffold cost`.

CANARY-SCHEDULE: a canary schedule Synthetics refuses for a recurring canary (rate(0 ...)
    runs once; rate(61 minutes) and beyond, rate(2 hours), ... are refused).
ALARM-PERIOD: a metric alarm whose period is not 10, 20, 30 or a multiple of 60, or whose
    evaluation periods x period cover more than a day.
Both read the planned values when Terraform ran, else the literals of the HCL. A value
AWS-VALUE already rejects (a malformed schedule, a period the provider refuses) is left to it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from generator.check.findings import Finding, Severity
from generator.check.rules.base import (
    RuleContext,
    finding,
    known_instances,
    rejected_by_aws_value,
)
from generator.schedules import alarm_period_problem, schedule_problem


class CanarySchedule:
    id = "CANARY-SCHEDULE"
    description = "canary schedules are ones Synthetics accepts for a recurring canary"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for canary in ctx.hcl.resources("aws_synthetics_canary"):
            expressions = [
                schedule.get("expression")
                for values in known_instances(ctx, canary)
                for schedule in values.get("schedule") or []
            ]
            at = next(iter(canary.nested("schedule")), canary)
            for expression in dict.fromkeys(e for e in expressions if isinstance(e, str)):
                problem = schedule_problem(expression)
                planned_value = {"schedule": [{"expression": expression}]}
                if problem and not rejected_by_aws_value(ctx, canary.type, planned_value):
                    yield finding(
                        self,
                        f"{canary.address}: {problem}; an alarm on a canary that never runs "
                        "again, or a schedule AWS refuses, fails at apply or pages forever",
                        at,
                        attribute="expression",
                    )


class AlarmPeriod:
    id = "ALARM-PERIOD"
    description = "alarm periods are ones CloudWatch accepts"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for alarm in ctx.hcl.resources("aws_cloudwatch_metric_alarm"):
            problems = dict.fromkeys(
                p
                for values in known_instances(ctx, alarm)
                for period in _periods(values)
                if (p := alarm_period_problem(period, values.get("evaluation_periods")))
                and not rejected_by_aws_value(ctx, alarm.type, {"period": period})
            )
            for problem in problems:
                yield finding(
                    self,
                    f"{alarm.address}: {problem}: PutMetricAlarm refuses it; derive the period "
                    "from the data's interval (a canary's schedule) within those limits",
                    alarm,
                    attribute="period",
                )


def _periods(values: Mapping[str, Any]) -> list[Any]:
    periods = [values.get("period")]
    for query in values.get("metric_query") or []:
        periods.extend(metric.get("period") for metric in query.get("metric") or [])
    return [p for p in periods if isinstance(p, int)]
