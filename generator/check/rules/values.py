"""AWS-VALUE: attribute values the AWS API or the provider would reject (issue: the stand-in
provider serves the schema's types, not the provider's value validations).

Reads the plan only: values Terraform knows at plan time, from literals, variable defaults
and tfvars alike; unknown values are absent from the plan and skipped. Each finding points at
the attribute's line (inside nested blocks too). The constraints themselves, and why each
holds, live in generator/check/constraints (docs/constraints.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from generator.check.constraints import Violation, violations
from generator.check.findings import Finding
from generator.check.hcl import Block
from generator.check.rules.base import RuleContext, block_of, finding, plan_resources


class AwsValues:
    id = "AWS-VALUE"
    description = "attribute values the AWS API or the AWS provider would reject"

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.plan is None:
            return
        for resource in plan_resources(ctx.plan):
            address = resource.get("address", "")
            found = violations(resource.get("type", ""), resource.get("values") or {})
            if not found:
                continue
            block = block_of(ctx, address)
            for violation in found:
                message = f"{address} {_shown(violation)} {violation.message} ({violation.source})"
                yield _located(finding(self, message, block), block, violation)


def _shown(violation: Violation) -> str:
    return "".join(
        f"[{step}]" if isinstance(step, int) else f".{step}" for step in violation.path
    ).lstrip(".")


def _located(found: Finding, block: Block | None, violation: Violation) -> Finding:
    if block is None or block.kind != "resource":
        return found  # in a child module: the module call's line is the best we know
    return replace(found, line=attribute_line(block, violation.path))


def attribute_line(block: Block, path: tuple[str | int, ...]) -> int:
    """The line of the attribute at `path` (names and list indices) inside `block`, through
    nested and dynamic blocks; the nearest enclosing block's line when it is not written
    there (a value from a default or a computed block)."""
    current, line = block, block.line
    for position, step in enumerate(path):
        if not isinstance(step, str):
            continue
        if step in current.attribute_lines:
            return current.attribute_lines[step]
        nested = current.generated(step)
        if not nested:
            return line
        following = path[position + 1] if position + 1 < len(path) else 0
        index = following if isinstance(following, int) and following < len(nested) else 0
        current = nested[index]
        line = current.line
    return line
