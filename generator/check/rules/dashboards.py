"""F3: dashboard bodies that CloudWatch rejects at apply time.

With a plan, every planned `aws_cloudwatch_dashboard` body is parsed and validated
(dashboard_body.py). Without one, only bodies written as literal JSON in the HCL can be read.
A body only known after apply cannot be checked: that is a warning, because it also means the
plan shows nothing of the dashboard for review.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from generator.check.findings import Finding, Severity
from generator.check.hcl import Block
from generator.check.rules.base import RuleContext, finding, known_resources, unknown_after_apply
from generator.check.rules.dashboard_body import problems

MAX_PER_DASHBOARD = 20  # beyond this, one summary line: the first ones show the pattern


class DashboardBody:
    id = "F3"
    description = (
        "dashboard bodies follow the CloudWatch Dashboard Body Structure (warning: a body known "
        "only after apply, not checked)"
    )
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for address, source, values in known_resources(ctx, "aws_cloudwatch_dashboard"):
            body = values.get("dashboard_body")
            unknown = {} if ctx.plan is None else unknown_after_apply(ctx.plan, address)
            if body is None and unknown.get("dashboard_body"):
                yield finding(
                    self,
                    f"{address}: the body is only known after apply, so it was not checked; "
                    "build it from values known at plan time (names, not ARNs of new resources)",
                    source,
                    Severity.WARNING,
                    attribute="dashboard_body",
                )
            elif isinstance(body, str):
                yield from self._check(address, body, source)

    def _check(self, address: str, text: str, block: Block | None) -> Iterator[Finding]:
        try:
            body: Any = json.loads(text)
        except json.JSONDecodeError as exc:
            message = f"{address}: the body is not valid JSON ({exc.msg})"
            yield finding(self, message, block, attribute="dashboard_body")
            return
        found = list(problems(body))
        if len(found) > MAX_PER_DASHBOARD:
            more = len(found) - MAX_PER_DASHBOARD
            found = [*found[:MAX_PER_DASHBOARD], f"{more} more problems like these"]
        for message in found:
            yield finding(self, f"{address}: {message}", block, attribute="dashboard_body")
