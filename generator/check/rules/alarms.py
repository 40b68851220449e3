"""Alarms that page when nothing is wrong, or stay green when something is
(docs/aws-facts.md, "False pages").

PAGE-BEFORE-DEPLOY: an alarm that notifies and treats missing data as breaching (itself, or a
    member of a composite alarm that notifies), with no `actions_suppressor`: it pages from the
    first minute, before what it watches exists (a canary of a service not yet deployed).
HEARTBEAT-FIRST-RUN: an alarm on a cron canary that treats missing data as breaching
    and pages (itself, or in a composite rule) without a gate that is OK only once the canary
    has run: a cron canary has no data until its schedule's first run, so the alarm pages as
    soon as it is created, for a service that is deployed and fine.
SERVICE-UNVERIFIED: alarms on services of a cluster the module looks up, with no `check`
    block that looks each service up (`data "aws_ecs_service"`): a misspelt service name
    gives alarms with no data, INSUFFICIENT_DATA forever, never ALARM.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from generator.check.findings import Finding, Severity
from generator.check.hcl import Block
from generator.check.rules.base import (
    RuleContext,
    finding,
    known_instances,
    literal_values,
    plan_instances,
)


def _notifies(values: Mapping[str, Any]) -> bool:
    return bool(values.get("alarm_actions"))


def _instances(ctx: RuleContext, block: Block) -> list[Mapping[str, Any]]:
    # not known_instances: without a plan the whole body counts, expressions included, since
    # alarm_actions = [aws_sns_topic.x.arn] does notify
    planned = [] if ctx.plan is None else list(plan_instances(ctx.plan, block.address))
    return [r.get("values", {}) for r in planned] or [block.body]


class PageBeforeDeploy:
    id = "PAGE-BEFORE-DEPLOY"
    description = (
        "alarms that page on missing data are suppressed until there is something to watch"
    )
    severity = Severity.WARNING

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        breaching: dict[str, Block] = {}  # alarm name (or block address) -> its block
        for alarm in ctx.hcl.resources("aws_cloudwatch_metric_alarm"):
            for values in _instances(ctx, alarm):
                if values.get("treat_missing_data") != "breaching":
                    continue
                breaching[str(values.get("alarm_name", alarm.address))] = alarm
                breaching[alarm.address] = alarm
                if _notifies(values):
                    yield self._finding(alarm, "notifies and treats missing data as breaching")
                    break
        for composite in ctx.hcl.resources("aws_cloudwatch_composite_alarm"):
            if composite.generated("actions_suppressor"):
                continue
            for values in _instances(ctx, composite):
                rule = str(values.get("alarm_rule", ""))
                members = [b for key, b in breaching.items() if key in rule]
                if _notifies(values) and (
                    members or any(composite.refers_to(a) for a in breaching)
                ):
                    yield self._finding(
                        composite, "notifies when an alarm that treats missing data as breaching is"
                    )
                    break

    def _finding(self, alarm: Block, what: str) -> Finding:
        return finding(
            self,
            f"{alarm.address} {what}, and nothing suppresses it: it pages from the first "
            "minute, before the service it watches is deployed; add an actions_suppressor "
            "(e.g. an alarm in ALARM while ECS reports no DesiredTaskCount for the service)",
            alarm,
        )


class HeartbeatBeforeFirstRun:
    id = "HEARTBEAT-FIRST-RUN"
    description = "alarms that page when a cron canary has no data wait for its first run"
    severity = Severity.WARNING

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        cron_canaries = {
            str(values.get("name"))
            for canary in ctx.hcl.resources("aws_synthetics_canary")
            for values in known_instances(ctx, canary)
            if any(
                str(s.get("expression", "")).startswith("cron(")
                for s in values.get("schedule") or []
            )
        }
        if not cron_canaries:
            return
        composites = [
            values
            for composite in ctx.hcl.resources("aws_cloudwatch_composite_alarm")
            for values in _instances(ctx, composite)
            if _notifies(values)
        ]
        for alarm in ctx.hcl.resources("aws_cloudwatch_metric_alarm"):
            for values in _instances(ctx, alarm):
                if values.get("treat_missing_data") != "breaching":
                    continue
                read = values if ctx.plan is not None else literal_values(alarm)
                if not cron_canaries & _canary_dimensions(read):
                    continue
                name = str(values.get("alarm_name", ""))
                if _notifies(values) or any(
                    _ungated_member(str(c.get("alarm_rule", "")), name) for c in composites
                ):
                    yield finding(
                        self,
                        f"{alarm.address} ({name}) treats missing data as breaching on a cron "
                        "canary, which has no data until its schedule's first run: it pages "
                        "as soon as it is created; count it only once the canary has run, e.g. "
                        'in the composite rule (ALARM("<it>") AND OK("<first-run>")), with a '
                        "first-run alarm on the canary's SuccessPercent SampleCount whose "
                        'missing data is "ignore"',
                        alarm,
                    )
                    break


def _canary_dimensions(values: Mapping[str, Any]) -> set[str]:
    """The CanaryName dimensions an alarm reads (values in the plan's shape): its own
    metric's, or its metric queries'."""
    metrics = [m for q in values.get("metric_query") or [] for m in q.get("metric") or []]
    dimensions = [values.get("dimensions"), *(m.get("dimensions") for m in metrics)]
    return {
        str(d["CanaryName"]) for d in dimensions if isinstance(d, Mapping) and "CanaryName" in d
    }


def _ungated_member(rule: str, name: str) -> bool:
    """Whether `rule` has ALARM(name) other than as `ALARM(name) AND OK(...)`/`AND NOT ...`
    (or the gate first): a term that a gate does not hold back."""
    alarm = rf'ALARM\(\s*"?{re.escape(name)}"?\s*\)'
    gate = r"(?:OK\([^)]*\)|NOT\s+\w+\([^)]*\))"
    terms = len(re.findall(alarm, rule))
    gated = len(re.findall(rf"{alarm}\s+AND\s+{gate}|{gate}\s+AND\s+{alarm}", rule))
    return terms > gated


class ServiceUnverified:
    id = "SERVICE-UNVERIFIED"
    description = "services of a looked-up cluster are checked to exist at plan time"
    severity = Severity.WARNING

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        if not ctx.monitors_existing_cluster():
            return
        checks = ctx.hcl.of_kind("check")
        if any(
            block.kind == "data" and block.type == "aws_ecs_service"
            for check in checks
            for block in check.blocks
        ) or any(c.refers_to("data.aws_ecs_service") for c in checks):
            return
        for alarm in ctx.hcl.resources("aws_cloudwatch_metric_alarm"):
            if "ServiceName" in alarm.text():
                yield finding(
                    self,
                    f"{alarm.address} watches services of a cluster this module looks up, and "
                    "no check verifies they exist: a wrong name stays INSUFFICIENT_DATA, never "
                    'ALARM; add a check block per service with a data "aws_ecs_service" and an '
                    "error_message naming the service and the cluster",
                    alarm,
                )
                return
