"""Value constraints for planned AWS resource attributes: what the AWS API and the provider
would reject, checked offline.

    for v in violations("aws_cloudwatch_metric_alarm", planned_values):
        print(v.path, v.message, v.source)

Two sources, both data: the AWS API's own constraints from the botocore models boto3 ships
(models.py), matched to Terraform attributes through a reviewed mapping (mapping.py,
tree.py); and the validations the provider adds beyond them (provider.py). `coverage()`
says which resource types and attributes are constrained. docs/constraints.md describes both.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from generator.check.constraints.provider import ProviderRule, rules_for
from generator.check.constraints.tree import (
    Constraint,
    Path_,
    constraints_for,
    number_text,
    problems,
)

__all__ = ["Coverage", "ProviderRule", "Violation", "coverage", "violations", "warm"]


@dataclass(frozen=True)
class Violation:
    path: Path_  # ("schedule", 0, "expression"): attribute names and list indices
    message: str
    source: str  # the API member or the provider rule's source

    @property
    def attribute(self) -> str:
        """The attribute path without indices: "schedule.expression"."""
        return ".".join(str(p) for p in self.path if isinstance(p, str))


def violations(resource_type: str, values: Mapping[str, Any]) -> list[Violation]:
    """Every rejected value among a planned resource's `values`, one per attribute: where the
    provider and the API both object, the provider's (more specific) reason wins."""
    found: dict[Path_, Violation] = {}
    for rule in rules_for(resource_type):
        for path, value in _at(values, tuple(rule.path.split("."))):
            message = None if value is None or value == "" else rule.problem(value)
            if message is not None and path not in found:
                found[path] = Violation(path, message, f"provider: {rule.source}")
    for name, constraint in constraints_for(resource_type).items():
        for path, message in problems(constraint, values.get(name), (name,)):
            if not any(path[: len(p)] == p for p in found):
                found[path] = Violation(path, message, f"AWS API: {_source(constraint, path)}")
    return list(found.values())


def warm(resource_types: Iterable[str]) -> None:
    """Build (and cache) the constraints of `resource_types` ahead of the plan."""
    for resource_type in resource_types:
        constraints_for(resource_type)


def _at(value: Any, steps: tuple[str, ...], path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """The values at dotted `steps`, through lists (each item, with its index)."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _at(item, steps, (*path, index))
    elif not steps:
        yield path, value
    elif isinstance(value, dict):
        yield from _at(value.get(steps[0]), steps[1:], (*path, steps[0]))


def _source(constraint: Constraint, path: Path_) -> str:
    """The member a problem at `path` comes from: the deepest constraint on the path."""
    for step in path[1:]:
        if isinstance(step, str) and step in constraint.fields:
            constraint = constraint.fields[step]
    return (
        constraint.item.source
        if constraint.kind == "list" and constraint.item and isinstance(path[-1], int)
        else constraint.source
    )


@dataclass(frozen=True)
class Coverage:
    resource_type: str
    attribute: str  # dotted through blocks
    what: str  # "enum", "pattern", "length 1-255", "provider: ...", ...


def coverage(resource_types: tuple[str, ...]) -> Iterator[Coverage]:
    """What is checked for each of `resource_types`, attribute by attribute."""
    for resource_type in resource_types:
        for name, constraint in constraints_for(resource_type).items():
            yield from _describe(resource_type, name, constraint)
        for rule in rules_for(resource_type):
            yield Coverage(resource_type, rule.path, f"provider ({rule.source})")


def _describe(resource_type: str, path: str, c: Constraint) -> Iterator[Coverage]:
    if c.kind == "block":
        if c.min is not None or c.max is not None:
            yield Coverage(resource_type, path, f"blocks {_bounds(c)}")
        for name, sub in c.fields.items():
            yield from _describe(resource_type, f"{path}.{name}", sub)
        return
    parts = []
    if c.enum:
        parts.append(f"enum ({len(c.enum)})")
    if c.pattern:
        parts.append("pattern")
    if c.min is not None or c.max is not None:
        unit = {"string": "length", "number": "range"}.get(c.kind, "entries")
        parts.append(f"{unit} {_bounds(c)}")
    for inner, label in ((c.item, "items"), (c.key, "keys")):
        if inner is not None:
            parts.append(
                f"{label}: " + ", ".join(p.what for p in _describe(resource_type, path, inner))
            )
    yield Coverage(resource_type, path, "; ".join(parts))


def _bounds(c: Constraint) -> str:
    low = "" if c.min is None else number_text(c.min)
    high = "" if c.max is None else number_text(c.max)
    return f"{low}..{high}"
