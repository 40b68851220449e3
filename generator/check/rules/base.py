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
from generator.check.hcl import Block, HclModule, refers_to

Plan = Mapping[str, Any]  # `terraform show -json` of a saved plan

_ADDRESS = re.compile(r"^(?:data\.)?[^.\[]+\.[^.\[]+")


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


class Rule(Protocol):
    id: str
    description: str

    def run(self, ctx: RuleContext) -> Iterable[Finding]: ...


def finding(
    rule: Rule,
    message: str,
    at: Block | None = None,
    severity: Severity = Severity.ERROR,
    *,
    attribute: str | None = None,
) -> Finding:
    """A Finding located at a block, or at one of its attributes when named."""
    line = None
    if at is not None:
        line = at.line_of(attribute) if attribute else at.line
    return Finding(
        rule=rule.id,
        severity=severity,
        message=message,
        file=at.file if at else None,
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


def rejected_by_aws_value(ctx: RuleContext, resource_type: str, values: Mapping[str, Any]) -> bool:
    """Whether AWS-VALUE (rules/values.py, which reads the plan) reports one of these values: a
    rule that watches the same attribute for a reason of its own stays silent then, so that
    one problem is reported once. Without a plan AWS-VALUE is silent, and so is this."""
    from generator.check.constraints import violations

    return ctx.plan is not None and bool(violations(resource_type, values))
