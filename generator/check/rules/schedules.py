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

from generator.check.findings import Finding
from generator.check.hcl import Block, is_literal
from generator.check.rules.base import (
    RuleContext,
    finding,
    plan_instances,
    rejected_by_aws_value,
)
from generator.schedules import alarm_period_problem, schedule_problem


def _planned(ctx: RuleContext, block: Block) -> list[Mapping[str, Any]]:
    if ctx.plan is None:
        return []
    return [r.get("values", {}) for r in plan_instances(ctx.plan, block.address)]


class CanarySchedule:
    id = "CANARY-SCHEDULE"
    description = "canary schedules are ones Synthetics accepts for a recurring canary"

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for canary in ctx.hcl.resources("aws_synthetics_canary"):
            planned = _planned(ctx, canary)
            expressions = [
                schedule.get("expression")
                for values in planned
                for schedule in values.get("schedule") or []
            ]
            if not planned:
                expressions = [
                    s.body.get("expression")
                    for s in canary.nested("schedule")
                    if is_literal(s.body.get("expression"))
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

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for alarm in ctx.hcl.resources("aws_cloudwatch_metric_alarm"):
            planned = _planned(ctx, alarm) or [_literals(alarm)]
            problems = dict.fromkeys(
                p
                for values in planned
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


def _literals(alarm: Block) -> dict[str, Any]:
    values = {k: v for k, v in alarm.body.items() if is_literal(v)}
    values["metric_query"] = [
        {"metric": [{k: v for k, v in m.body.items() if is_literal(v)} for m in q.nested("metric")]}
        for q in alarm.generated("metric_query")
    ]
    return values


def _periods(values: Mapping[str, Any]) -> list[Any]:
    periods = [values.get("period")]
    for query in values.get("metric_query") or []:
        periods.extend(metric.get("period") for metric in query.get("metric") or [])
    return [p for p in periods if isinstance(p, int)]
