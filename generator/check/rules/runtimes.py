"""CANARY-RUNTIME: canary runtimes that break a first deploy or change canaries unplanned
(docs/aws-facts.md, "Runtimes").

- `data "aws_synthetics_runtime_version"` with `latest = true`: it returns the version with the
  newest release date for the prefix, not the highest, and does not skip deprecated or beta
  ones; and each AWS release updates every canary at the next apply. Pin `version`.
- A runtime version AWS has deprecated (older than the oldest supported one of its family,
  `canary_runtimes` in copier.yml): AWS creates no canary on it. Read from a canary's
  `runtime_version` (planned value, else literal) and from a lookup's literal `version`
  (or the variable's effective value).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from generator.check.findings import Finding, Severity
from generator.check.rules.base import (
    RuleContext,
    finding,
    known_values,
    rejected_by_aws_value,
    resolve_variable,
)

_RUNTIME = re.compile(r"(syn-[a-z]+-[a-z]+)-(\d+)\.(\d+)")


@cache
def oldest_supported() -> Mapping[str, tuple[int, int]]:
    """Runtime family prefix -> oldest version AWS has not deprecated."""
    from generator.questions import load_questions

    table: Mapping[str, Any] = load_questions()["canary_runtimes"].default
    oldest: dict[str, tuple[int, int]] = {}
    for runtime in table.values():
        major, minor = str(runtime["oldest_supported"]).split(".")
        oldest[str(runtime["prefix"])] = (int(major), int(minor))
    return oldest


def deprecated(runtime: str) -> str | None:
    """The oldest supported version of `runtime`'s family when `runtime` is older, else None."""
    match = _RUNTIME.fullmatch(runtime)
    if match is None or match[1] not in oldest_supported():
        return None
    oldest = oldest_supported()[match[1]]
    if (int(match[2]), int(match[3])) < oldest:
        return f"{match[1]}-{oldest[0]}.{oldest[1]}"
    return None


class CanaryRuntime:
    id = "CANARY-RUNTIME"
    description = "canary runtimes are pinned and not deprecated"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for lookup in ctx.hcl.data("aws_synthetics_runtime_version"):
            if lookup.body.get("latest") is True:
                yield finding(
                    self,
                    f"{lookup.address} uses latest = true: that is the newest release date, not "
                    "the highest version, deprecated or beta included, and every AWS release "
                    "changes the canaries; pin version (e.g. a variable) instead",
                    lookup,
                    attribute="latest",
                )
            version = resolve_variable(ctx, lookup.body.get("version"))
            prefix = lookup.body.get("prefix")
            if isinstance(version, str) and isinstance(prefix, str):
                yield from self._deprecated(f"{prefix}-{version}", lookup, "version")
        for canary in ctx.hcl.resources("aws_synthetics_canary"):
            runtimes = known_values(ctx, canary, "runtime_version")
            for runtime in dict.fromkeys(r for r in runtimes if isinstance(r, str)):
                if not rejected_by_aws_value(ctx, canary.type, {"runtime_version": runtime}):
                    yield from self._deprecated(runtime, canary, "runtime_version")

    def _deprecated(self, runtime: str, at: Any, attribute: str) -> Iterator[Finding]:
        oldest = deprecated(runtime)
        if oldest:
            yield finding(
                self,
                f"{at.address} runs on {runtime}, which AWS has deprecated (no new canaries on "
                f"it): use {oldest} or later",
                at,
                attribute=attribute,
            )
