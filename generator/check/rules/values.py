"""AWS-VALUE: attribute values the AWS API or the provider would reject (issue: the stand-in
provider serves the schema's types, not the provider's value validations).

Reads the plan only: values Terraform knows at plan time, from literals, variable defaults
and tfvars alike; unknown values are absent from the plan and skipped. Each finding points at
the attribute's line (inside nested blocks too) and, when the attribute is a variable, says
where that variable got its value (tfvars or default). The constraints themselves, and why each
holds, live in generator/check/constraints (docs/constraints.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.check.constraints import Violation, violations
from generator.check.findings import Finding, Severity
from generator.check.hcl import Block
from generator.check.rules.base import RuleContext, block_of, finding, plan_resources

_VARIABLE = re.compile(r"\$\{var\.(\w+)\}")


class AwsValues:
    id = "AWS-VALUE"
    description = "attribute values the AWS API or the AWS provider would reject"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.plan is None:
            return
        for resource in plan_resources(ctx.plan):
            address = resource.get("address", "")
            found = violations(resource.get("type", ""), resource.get("values") or {})
            if not found:
                continue
            block = block_of(ctx, address)
            if block is not None and ctx.invented(block):
                continue  # its values come from the check's placeholders, not the module
            secret = resource.get("sensitive_values") or {}
            for violation in found:
                message = f"{address} {_shown(violation)} {violation.message}"
                if _sensitive(secret, violation.path):
                    message = f"{address} {_shown(violation)}: its (sensitive) value is rejected"
                if block is None or block.kind != "resource":
                    # in a child module: the module call's line is the best we know
                    yield finding(self, f"{message} ({violation.source})", block)
                    continue
                at, attribute = attribute_at(block, violation.path)
                origin = _variable_origin(ctx, at.body.get(attribute) if attribute else None)
                yield finding(
                    self, f"{message}{origin} ({violation.source})", at, attribute=attribute
                )


def _shown(violation: Violation) -> str:
    return "".join(
        f"[{step}]" if isinstance(step, int) else f".{step}" for step in violation.path
    ).lstrip(".")


def _sensitive(marks: Any, path: tuple[str | int, ...]) -> bool:
    """Whether the plan's `sensitive_values` (the values' shape, true where sensitive) marks
    `path` or a value around it: such a value is never printed."""
    for step in path:
        if marks is True:
            return True
        if isinstance(marks, dict) and isinstance(step, str):
            marks = marks.get(step)
        elif isinstance(marks, list) and isinstance(step, int) and step < len(marks):
            marks = marks[step]
        else:
            return False
    return marks is True


def _variable_origin(ctx: RuleContext, expression: Any) -> str:
    """ ", set by var.x at terraform.tfvars:3" when the attribute is exactly a variable."""
    match = _VARIABLE.fullmatch(expression) if isinstance(expression, str) else None
    if match is None:
        return ""
    name = match.group(1)
    for attr in reversed(ctx.hcl.tfvars):
        if attr.name == name:
            return f", set by var.{name} at {attr.file}:{attr.line}"
    variable = ctx.hcl.find(f"var.{name}")
    if variable is None or "default" not in variable.body:
        return ""
    return f", set by var.{name}'s default at {variable.file}:{variable.line_of('default')}"


def attribute_at(block: Block, path: tuple[str | int, ...]) -> tuple[Block, str | None]:
    """The (nested) block that writes the attribute at `path` (names and list indices), and
    the attribute's name; through nested and dynamic blocks. When the value is not written
    there (a default, a computed block), the nearest enclosing block and None."""
    current = block
    for position, step in enumerate(path):
        if not isinstance(step, str):
            continue
        if step in current.attribute_lines:
            return current, step
        nested = current.generated(step)
        if not nested:
            return current, None
        following = path[position + 1] if position + 1 < len(path) else 0
        index = following if isinstance(following, int) and following < len(nested) else 0
        current = nested[index]
    return current, None
