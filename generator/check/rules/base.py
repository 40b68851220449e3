"""What every rule shares: the Rule protocol, the context it reads, and plan-JSON helpers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from generator.check.findings import Finding, Severity
from generator.check.hcl import Block, HclModule, is_literal, refers_to

Plan = Mapping[str, Any]  # `terraform show -json` of a saved plan

_ADDRESS = re.compile(r"^(?:data\.)?[^.\[]+\.[^.\[]+")
_ONE_VARIABLE = re.compile(r"\$\{var\.([\w-]+)\}")


@dataclass(frozen=True)
class RuleContext:
    """What a rule may look at. `plan` is None when Terraform did not run or the plan failed:
    rules then fall back to what the HCL says literally, or stay silent."""

    module_dir: Path
    hcl: HclModule
    plan: Plan | None = None
    # required variables the check gave placeholder values (inputs.py): values derived
    # from them are the checker's invention, not the module's
    placeholders: frozenset[str] = frozenset()

    def monitors_existing_cluster(self) -> bool:
        """Whether the module watches an ECS cluster it looks up rather than creates."""
        return bool(self.hcl.data("aws_ecs_cluster"))

    def invented(self, block: Block) -> bool:
        """Whether `block` uses a placeholder variable, directly or through locals."""
        return any(block.refers_to(address) for address in self._placeholder_addresses)

    @cached_property  # a frozen dataclass still has an instance __dict__ for it
    def _placeholder_addresses(self) -> frozenset[str]:
        addresses = {f"var.{name}" for name in self.placeholders}
        pending = dict(self.hcl.local_values()) if addresses else {}
        spread = True
        while spread:  # a local using a tainted address is tainted, to a fixed point
            spread = False
            for name, expression in list(pending.items()):
                if any(refers_to(expression, address) for address in addresses):
                    addresses.add(f"local.{name}")
                    del pending[name]
                    spread = True
        return frozenset(addresses)


class Rule(Protocol):  # each rule class repeats this header (id, description, severity) on purpose
    id: str
    # what it checks, in a line: `check --list-rules`, the JSON report, SARIF's shortDescription
    description: str
    # the severity of its findings; some rules report less where the problem is possible but
    # not certain (their description says when, in brackets)
    severity: Severity

    def run(self, ctx: RuleContext) -> Iterable[Finding]: ...


def finding(
    rule: Rule,
    message: str,
    at: Block | None = None,
    severity: Severity | None = None,
    *,
    attribute: str | None = None,
    file: str | None = None,
    line: int | None = None,
) -> Finding:
    """A Finding of `rule` (at its severity unless given) located at a block, or at one of
    its attributes when named; or at `file` and `line` for what is not a block (a tfvars
    line, a script)."""
    if at is not None:
        file = at.file
        line = at.line_of(attribute) if attribute else at.line
    return Finding(
        rule=rule.id,
        severity=rule.severity if severity is None else severity,
        message=message,
        file=file,
        line=line,
    )


def plan_resources(plan: Plan, type_: str | None = None) -> Iterator[Mapping[str, Any]]:
    """Managed resources of `planned_values`, child modules included, optionally of one type."""
    modules = [plan.get("planned_values", {}).get("root_module", {})]
    while modules:
        module = modules.pop(0)
        for resource in module.get("resources", []):
            if resource.get("mode", "managed") != "managed":
                continue  # data sources read at apply time: lookups, not things we create
            if type_ is None or resource.get("type") == type_:
                yield resource
        modules.extend(module.get("child_modules", []))


def unknown_after_apply(plan: Plan, address: str) -> Mapping[str, Any]:
    """The `after_unknown` map of a resource: attributes only known after apply are true."""
    for change in plan.get("resource_changes", []):
        if change.get("address") == address:
            unknown = change.get("change", {}).get("after_unknown")
            return unknown if isinstance(unknown, dict) else {}
    return {}


def block_of(ctx: RuleContext, address: str) -> Block | None:
    """The HCL block a plan address comes from: `aws_s3_bucket.this["a"]` → that resource;
    anything inside `module.x` → the module call."""
    if address.startswith("module."):
        return ctx.hcl.find(".".join(address.split(".")[:2]).split("[")[0])
    match = _ADDRESS.match(address)
    return ctx.hcl.find(match.group(0)) if match else None


def json_value(value: Any) -> Any:
    """A JSON document held in a string attribute, or None when it is not valid JSON."""
    if not isinstance(value, str):
        return None
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return None


def plan_instances(plan: Plan, address: str) -> Iterator[Mapping[str, Any]]:
    """The planned instances (count/for_each) of the root-module block at `address`."""
    for resource in plan_resources(plan):
        match = _ADDRESS.match(resource.get("address", ""))
        if match and match.group(0) == address:
            yield resource


def literal_values(block: Block) -> dict[str, Any]:
    """What the HCL of `block` says without evaluating anything, in the plan's shape: its
    literal attributes, and its nested blocks (dynamic ones' content too) as lists of the
    same. Expressions are left out."""
    kinds = [b.kind for b in block.blocks if b.kind != "dynamic"]
    nested = dict.fromkeys(kinds + [d.labels[0] for d in block.nested("dynamic") if d.labels])
    values = {
        key: value
        for key, value in block.body.items()
        if key not in nested and key != "dynamic" and is_literal(value)
    }
    for kind in nested:
        values[kind] = [literal_values(b) for b in block.generated(kind)]
    return values


def known_instances(ctx: RuleContext, block: Block) -> list[Mapping[str, Any]]:
    """The values of `block`: those of each of its planned instances when Terraform planned
    the module (values known only after apply are absent), else what its HCL says literally
    (literal_values)."""
    if ctx.plan is None:
        return [literal_values(block)]
    return [r.get("values", {}) for r in plan_instances(ctx.plan, block.address)]


def known_values(ctx: RuleContext, block: Block, attribute: str) -> list[Any]:
    """`attribute` of `block` in each planned instance, else its literal in the HCL (None
    when it is not set); nothing when it is an expression and there is no plan."""
    return [
        values.get(attribute)
        for values in known_instances(ctx, block)
        if ctx.plan is not None or attribute in values or attribute not in block.body
    ]


def known_resources(
    ctx: RuleContext, type_: str
) -> Iterator[tuple[str, Block | None, Mapping[str, Any]]]:
    """(address, block, values) of every resource of `type_`: each planned instance, child
    modules' included (their block is the module call), when Terraform planned the module;
    else each block of the HCL with its literal values."""
    if ctx.plan is None:
        for block in ctx.hcl.resources(type_):
            yield block.address, block, literal_values(block)
        return
    for resource in plan_resources(ctx.plan, type_):
        address = resource.get("address", type_)
        yield address, block_of(ctx, address), resource.get("values", {})


def resolve_variable(ctx: RuleContext, value: Any) -> Any:
    """The value a plain plan gives an expression that is exactly one variable (`var.x`:
    tfvars, else its default); any other value as it is."""
    match = _ONE_VARIABLE.fullmatch(value) if isinstance(value, str) else None
    return ctx.hcl.variable_value(match.group(1)) if match else value


def rejected_by_aws_value(ctx: RuleContext, resource_type: str, values: Mapping[str, Any]) -> bool:
    """Whether AWS-VALUE (rules/values.py, which reads the plan) reports one of these values: a
    rule that watches the same attribute for a reason of its own stays silent then, so that
    one problem is reported once. Without a plan AWS-VALUE is silent, and so is this."""
    from generator.check.constraints import violations

    return ctx.plan is not None and bool(violations(resource_type, values))
