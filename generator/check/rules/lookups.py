"""Data sources that look up infrastructure the module does not create.

F2: a lookup of an ECS cluster, ECS service or non-default VPC that nothing guards: if the
    thing does not exist, plan fails with an opaque "empty result". A guard is a
    `lifecycle { postcondition }` on the data source, or a `check` block that refers to it.
F5: a VPC lookup that can match several VPCs ("multiple EC2 VPCs matched"):
    - unambiguous: `id = ...`, `default = true`, or a `vpc-id` filter with one exact value;
    - error: no selector at all (every VPC of the region), or a wildcard (`*`, `?`) in a
      filter or tag value;
    - warning: any other selector (exact tags, cidr_block, ...): unique today, maybe not tomorrow.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.check.findings import Finding, Severity
from generator.check.hcl import Block
from generator.check.rules.base import RuleContext, finding

GUARDED_LOOKUPS = ("aws_ecs_cluster", "aws_ecs_service", "aws_vpc")
VPC_SELECTORS = ("cidr_block", "dhcp_options_id", "state", "tags")


def _is_default_vpc(block: Block) -> bool:
    return block.type == "aws_vpc" and block.body.get("default") is True


def _has_postcondition(block: Block) -> bool:
    return any(lc.nested("postcondition") for lc in block.nested("lifecycle"))


class UnguardedLookup:
    id = "F2"
    description = "lookups of clusters, services and VPCs fail early with a clear message"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        checks = ctx.hcl.of_kind("check")
        for type_ in GUARDED_LOOKUPS:
            for data in ctx.hcl.data(type_):
                if _is_default_vpc(data) or _has_postcondition(data):
                    continue
                if any(check.refers_to(data.address) for check in checks):
                    continue
                yield finding(
                    self,
                    f"{data.address} looks up something this module does not create and "
                    "nothing checks it exists: add lifecycle { postcondition } with an "
                    "error_message that names the fix",
                    data,
                )


def _values(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _wildcard(value: Any) -> bool:
    return isinstance(value, str) and "${" not in value and ("*" in value or "?" in value)


class AmbiguousVpcLookup:
    id = "F5"
    description = (
        "VPC lookups select exactly one VPC: id or default = true (warning: tags or attributes, "
        "unique today, maybe not tomorrow)"
    )
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for data in ctx.hcl.data("aws_vpc"):
            problem = self._problem(data)
            if problem is not None:
                message, severity = problem
                yield finding(self, f"{data.address} {message}", data, severity)

    @staticmethod
    def _problem(data: Block) -> tuple[str, Severity] | None:
        body = data.body
        if "id" in body or _is_default_vpc(data):
            return None
        filters = data.nested("filter")
        for f in filters:
            values = _values(f.body.get("values"))
            if f.body.get("name") == "vpc-id" and len(values) == 1 and not _wildcard(values[0]):
                return None
            if any(_wildcard(v) for v in values):
                message = (
                    f'filter "{f.body.get("name")}" uses a wildcard: several VPCs can match '
                    "and plan fails; look it up by id or default = true"
                )
                return message, Severity.ERROR
        tags = body.get("tags")
        if isinstance(tags, dict) and any(_wildcard(v) for v in tags.values()):
            return "selects tags by wildcard: several VPCs can match", Severity.ERROR
        if not filters and not any(key in body for key in VPC_SELECTORS):
            return "has no selector: it matches every VPC of the region", Severity.ERROR
        message = (
            "selects by tags or attributes that may match several VPCs: prefer id or default = true"
        )
        return message, Severity.WARNING
