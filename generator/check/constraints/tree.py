"""Constraint trees: a resource type's attributes matched to API members, and checking values.

`constraints_for(type)` pairs each configurable attribute of the type's Terraform schema
(generator/check/schemas/aws.json.gz, the real provider's) with the API member it becomes
(mapping.py), and keeps the pair only when the two agree in kind (a Terraform string and an
API string, a number and an integer/double, a list and a list, a nested block and a
structure or list of structures) and the member constrains something. The result is cached
per type, and built only for the types a plan holds.

Building them means loading the provider schema and the botocore models, about half a CPU
second for a module's types. So the package ships the result for every type
(constraints/table.json.gz, generator/check/shipped.py), which loads in a few hundredths of a
second, for the botocore version it was built from; with any other botocore the constraints
are built from that version's models.

`problems(constraint, value)` walks a planned value: unknown (absent or null) values are
skipped, and so are empty strings and empty collections, which the provider treats as unset.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from generator.check.constraints import models
from generator.check.constraints.mapping import Target, exception, target
from generator.check.shipped import shipped

SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "aws.json.gz"
TABLE = Path(__file__).with_name("table.json.gz")
_NUMBERS = {"integer", "long", "double", "float"}
Path_ = tuple[str | int, ...]  # attribute names and list indices, from the resource down


@dataclass(frozen=True)
class Constraint:
    """What the API accepts for one attribute. `source` names the member
    ("cloudwatch PutMetricAlarm ComparisonOperator")."""

    source: str
    kind: str  # "string" | "number" | "list" | "map" | "block"
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    min: float | None = None  # length, value or entry count, by kind
    max: float | None = None
    item: Constraint | None = None  # list items, map values
    key: Constraint | None = None  # map keys
    fields: Mapping[str, Constraint] = field(default_factory=dict)  # a block's attributes


@cache
def resource_schemas() -> Mapping[str, Any]:
    with gzip.open(SCHEMA, "rt", encoding="utf-8") as handle:
        resources: Mapping[str, Any] = json.load(handle)["resources"]
    return resources


def resource_types() -> tuple[str, ...]:
    """Every resource type of the provider schema the check serves."""
    return tuple(sorted(resource_schemas()))


@dataclass(frozen=True)
class Scope:
    """A structure whose members attributes are matched to: `operation` ("cloudwatch
    PutMetricAlarm"), the member path to it ("Metrics[].MetricStat"), and its shape."""

    operation: str
    members: str
    shape: models.Shape

    @property
    def label(self) -> str:
        return f"{self.operation} {self.members}".rstrip()

    def below(self, member: str, shape: models.Shape) -> Scope:
        members = f"{self.members}.{member}" if self.members else member
        return Scope(self.operation, members, shape)


@cache
def constraints_for(resource_type: str) -> Mapping[str, Constraint]:
    """attribute → Constraint for the attributes of `resource_type` the API constrains."""
    table = shipped_table()
    if table is None:
        return built_constraints(resource_type)
    return {name: decoded(data) for name, data in table.get(resource_type, {}).items()}


def built_constraints(resource_type: str) -> Mapping[str, Constraint]:
    """constraints_for(), built from the provider schema and this botocore's models."""
    tgt = target(resource_type)
    schema = resource_schemas().get(resource_type)
    if tgt is None or schema is None:
        return {}
    return _Builder(resource_type, tgt).fields(schema, top_scopes(tgt), "")


@cache
def shipped_table() -> Mapping[str, Mapping[str, Any]] | None:
    """The shipped constraints (type → attribute → encoded Constraint) when they were built
    from the botocore installed here, else None."""
    table: Mapping[str, Mapping[str, Any]] | None = shipped(TABLE, "botocore")
    return table


def table_data(resource_types: Iterable[str]) -> dict[str, Any]:
    """The shipped table's data for `resource_types`, built here (types without constraints
    are left out)."""
    data = {}
    for resource_type in resource_types:
        built = built_constraints(resource_type)
        if built:
            data[resource_type] = {name: encoded(c) for name, c in built.items()}
    return data


def encoded(c: Constraint) -> dict[str, Any]:
    """`c` as JSON data, leaving out what is unset."""
    data: dict[str, Any] = {"source": c.source, "kind": c.kind}
    for name in ("enum", "pattern", "min", "max"):
        value = getattr(c, name)
        if value is not None and value != ():
            data[name] = list(value) if name == "enum" else value
    for name in ("item", "key"):
        inner = getattr(c, name)
        if inner is not None:
            data[name] = encoded(inner)
    if c.fields:
        data["fields"] = {name: encoded(sub) for name, sub in c.fields.items()}
    return data


def decoded(data: Mapping[str, Any]) -> Constraint:
    return Constraint(
        source=data["source"],
        kind=data["kind"],
        enum=tuple(data.get("enum", ())),
        pattern=data.get("pattern"),
        min=data.get("min"),
        max=data.get("max"),
        item=decoded(data["item"]) if "item" in data else None,
        key=decoded(data["key"]) if "key" in data else None,
        fields={name: decoded(sub) for name, sub in data.get("fields", {}).items()},
    )


def top_scopes(tgt: Target) -> list[Scope]:
    scopes = []
    for operation in tgt.operations:
        shape = models.operation_input(tgt.service, operation)
        if shape is None:
            continue
        top = Scope(f"{tgt.service} {operation}", "", shape)
        scopes.append(top)
        for root in tgt.roots:
            inner = resolve(tgt.service, top, root)
            if inner is not None:
                scopes.append(inner)
    return scopes


def resolve(service: str, scope: Scope, path: str) -> Scope | None:
    """The member at dotted `path` below `scope` ("" is the scope itself; `x[]` an item)."""
    shape = scope.shape
    for step in filter(None, path.split(".")):
        found = models.member_shape(service, shape, step.removesuffix("[]"))
        if found is None:
            return None
        name, shape = found
        if step.endswith("[]"):
            if shape.get("type") != "list":
                return None
            shape, name = models.item_shape(service, shape), f"{name}[]"
        scope = scope.below(name, shape)
    return scope


class _Builder:
    def __init__(self, resource_type: str, tgt: Target) -> None:
        self.resource_type = resource_type
        self.service = tgt.service

    def fields(
        self, block: Mapping[str, Any], scopes: list[Scope], prefix: str
    ) -> dict[str, Constraint]:
        out: dict[str, Constraint] = {}
        for name, attribute in block.get("attributes", {}).items():
            if not (attribute.get("optional") or attribute.get("required")):
                continue  # computed only: the provider's value, not the module's
            member = self._member(scopes, prefix + name)
            made = member and self._attribute(attribute["type"], member)
            if made:
                out[name] = made
        for name, nested in block.get("blocks", {}).items():
            member = self._member(scopes, prefix + name)
            made = member and self._block(nested["block"], member, f"{prefix}{name}.")
            if made:
                out[name] = made
        return out

    def _member(self, scopes: list[Scope], path: str) -> Scope | None:
        override = exception(self.resource_type, path)
        if override is not None and override.member is None:
            return None
        step = path.rsplit(".", 1)[-1] if override is None else override.member
        for scope in scopes:
            found = resolve(self.service, scope, step or "")
            if found is not None:
                return found
        return None

    def _attribute(self, tf_type: Any, member: Scope) -> Constraint | None:
        shape, api = member.shape, member.shape.get("type")
        if tf_type == "string" and api == "string":
            enum = tuple(shape.get("enum", ()))
            pattern = shape.get("pattern")
            if pattern is not None and models.compiled(pattern) is None:
                pattern = None
            made = Constraint(member.label, "string", enum, pattern, *_bounds(shape))
            return made if (enum or pattern or made.min or made.max is not None) else None
        if tf_type == "number" and api in _NUMBERS:
            low, high = _bounds(shape)
            return (
                None
                if low is None and high is None
                else Constraint(member.label, "number", min=low, max=high)
            )
        if isinstance(tf_type, list) and tf_type[0] in ("list", "set") and api == "list":
            item = self._attribute(
                tf_type[1],
                Scope(
                    member.operation, member.members + "[]", models.item_shape(self.service, shape)
                ),
            )
            return _collection(member.label, "list", shape, item=item)
        if isinstance(tf_type, list) and tf_type[0] == "map" and api == "map":
            value = self._attribute(
                tf_type[1],
                Scope(
                    member.operation,
                    member.members,
                    models.item_shape(self.service, shape, "value"),
                ),
            )
            key = self._attribute(
                "string",
                Scope(
                    member.operation, member.members, models.item_shape(self.service, shape, "key")
                ),
            )
            return _collection(member.label, "map", shape, item=value, key=key)
        return None

    def _block(self, block: Mapping[str, Any], member: Scope, prefix: str) -> Constraint | None:
        shape, api = member.shape, member.shape.get("type")
        if api == "list":
            inner = models.item_shape(self.service, shape)
            if inner.get("type") != "structure":
                return None
            fields = self.fields(
                block, [Scope(member.operation, member.members + "[]", inner)], prefix
            )
            return _collection(member.label, "block", shape, fields=fields)
        if api == "structure":
            fields = self.fields(block, [member], prefix)
            return Constraint(member.label, "block", fields=fields) if fields else None
        return None


def _bounds(shape: models.Shape) -> tuple[float | None, float | None]:
    low, high = shape.get("min"), shape.get("max")
    return (None if low is None else float(low)), (None if high is None else float(high))


def _collection(
    source: str,
    kind: str,
    shape: models.Shape,
    *,
    item: Constraint | None = None,
    key: Constraint | None = None,
    fields: Mapping[str, Constraint] | None = None,
) -> Constraint | None:
    low, high = _bounds(shape)
    if item is None and key is None and not fields and not low and high is None:
        return None
    return Constraint(source, kind, min=low, max=high, item=item, key=key, fields=fields or {})


def _unset(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and not value)


def problems(c: Constraint, value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """(where, what is wrong) for each way `value` breaks `c`."""
    if _unset(value):
        return
    if c.kind == "string" and isinstance(value, str):
        yield from ((path, p) for p in _string_problems(c, value))
    elif c.kind == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        yield from ((path, p) for p in _number_problems(c, value))
    elif c.kind in ("list", "block") and isinstance(value, (list, dict)):
        yield from _list_problems(c, [value] if isinstance(value, dict) else value, path)
    elif c.kind == "map" and isinstance(value, dict):
        yield from _map_problems(c, value, path)


def _number_problems(c: Constraint, value: float) -> Iterator[str]:
    if c.min is not None and value < c.min:
        yield f"{number_text(value)} is below the minimum, {number_text(c.min)}"
    elif c.max is not None and value > c.max:
        yield f"{number_text(value)} is above the maximum, {number_text(c.max)}"


def _list_problems(c: Constraint, items: list[Any], path: Path_) -> Iterator[tuple[Path_, str]]:
    count = _count_problem(c, len(items), "items")
    if count:
        yield path, count
    for index, item in enumerate(items):
        here = (*path, index)
        if c.kind == "block" and isinstance(item, dict):
            for name, sub in c.fields.items():
                yield from problems(sub, item.get(name), (*here, name))
        elif c.item is not None:
            yield from problems(c.item, item, here)


def _map_problems(c: Constraint, value: dict[Any, Any], path: Path_) -> Iterator[tuple[Path_, str]]:
    count = _count_problem(c, len(value), "entries")
    if count:
        yield path, count
    for key, item in value.items():
        if c.key is not None:
            yield from ((p, f"key {m}") for p, m in problems(c.key, key, path))
        if c.item is not None:
            yield from problems(c.item, item, (*path, str(key)))


def _string_problems(c: Constraint, value: str) -> Iterator[str]:
    if c.enum and value not in c.enum:
        shown = ", ".join(c.enum[:12]) + (", ..." if len(c.enum) > 12 else "")
        yield f"{value!r} is not one of {shown}"
        return
    if (c.min is not None and len(value) < c.min) or (c.max is not None and len(value) > c.max):
        yield f"{_short(value)} is {len(value)} characters: {_range(c)} allowed"
    pattern = models.compiled(c.pattern) if c.pattern else None
    if pattern is not None and pattern.fullmatch(value) is None:
        yield f"{_short(value)} does not match the pattern {c.pattern}"


def _count_problem(c: Constraint, count: int, what: str) -> str | None:
    if (c.min is not None and count < c.min) or (c.max is not None and count > c.max):
        return f"has {count} {what}: {_range(c)} allowed"
    return None


def _range(c: Constraint) -> str:
    if c.max is None:
        return f"at least {number_text(c.min or 0)}"
    if c.min is None:
        return f"at most {number_text(c.max)}"
    return f"{number_text(c.min)}-{number_text(c.max)}"


def number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _short(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")
