"""The stand-in provider's schema: loading the extracted JSON and turning it into pyvider's.

generator/check/schemas/<provider>.json.gz holds the real provider's schema in the compact
format written by scripts/extract_provider_schema.py (see its docstring). Terraform starts
a provider several times per command and asks each time for its whole schema; serving all
2,400 aws types made a start take ~11 s in the prototype, against ~1.5 s for the few types
a module uses. So only the types a module mentions are served (`catalog.types_in_module`). A type
the module mentions that the real provider lacks stays absent, and Terraform reports it as
unsupported, as it would against the real provider.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, NotRequired, Required, TypedDict

from pyvider.cty import (
    CtyBool,
    CtyDynamic,
    CtyList,
    CtyMap,
    CtyNumber,
    CtyObject,
    CtySet,
    CtyString,
    CtyType,
)
from pyvider.schema import NestingMode, PvsAttribute, PvsNestedBlock, b_main

from generator.check.provider import catalog
from generator.check.provider.catalog import SCHEMA_DIR

SchemaType = str | list[Any]  # "string", or ["list", "string"], ["object", {...}], ...


class SchemaAttribute(TypedDict, total=False):
    """One attribute as extracted: its type and which of the flags are set."""

    type: Required[SchemaType]
    required: bool
    optional: bool
    computed: bool


class NestedBlock(TypedDict):
    """A nested block type: how it nests ("list", "set", "single") and its own block."""

    nesting: str
    block: SchemaBlock
    min_items: NotRequired[int]
    max_items: NotRequired[int]


class SchemaBlock(TypedDict):
    """A block of a provider's schema as extracted (not hcl.Block, a block of a module)."""

    attributes: dict[str, SchemaAttribute]
    blocks: dict[str, NestedBlock]


_SCALARS: dict[str, CtyType[Any]] = {
    "string": CtyString(),
    "number": CtyNumber(),
    "bool": CtyBool(),
    "dynamic": CtyDynamic(),
}
_NESTING = {"list": NestingMode.LIST, "set": NestingMode.SET, "single": NestingMode.SINGLE}


# The `provider_meta` block a provider accepts in a module's `terraform` block; the cdktn
# packages do not carry it. aws and awscc take `user_agent`, a list of User-Agent products
# (docs/stand-in-providers.md; the aws provider's docs of its `user_agent` function).
_USER_AGENT: SchemaBlock = {
    "attributes": {"user_agent": {"type": ["list", "string"], "optional": True}},
    "blocks": {},
}
PROVIDER_META: dict[str, SchemaBlock] = {"aws": _USER_AGENT, "awscc": _USER_AGENT}


@dataclass(frozen=True)
class ProviderSchema:
    """What one stand-in provider serves: its configuration block and its types."""

    name: str
    version: str
    provider: SchemaBlock
    resources: dict[str, SchemaBlock]
    data_sources: dict[str, SchemaBlock]
    provider_meta: SchemaBlock | None = None


def provider_version(name: str) -> str:
    """The version of the real provider the schema was extracted from."""
    return str(catalog.versions()[name]["version"])


@cache
def _full_schema(name: str) -> dict[str, Any]:
    with gzip.open(SCHEMA_DIR / f"{name}.json.gz", "rt", encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def load_schema(name: str, only: set[str] | None = None) -> ProviderSchema:
    """The schema of provider `name`, restricted to the type names in `only` if given."""
    full = _full_schema(name)

    def kept(types: dict[str, SchemaBlock]) -> dict[str, SchemaBlock]:
        return {t: b for t, b in types.items() if only is None or t in only}

    return ProviderSchema(
        name=name,
        version=provider_version(name),
        provider=full.get("provider") or SchemaBlock(attributes={}, blocks={}),
        resources=kept(full["resources"]),
        data_sources=kept(full["data_sources"]),
        provider_meta=PROVIDER_META.get(name),
    )


def cty_type(schema_type: SchemaType) -> CtyType[Any]:
    """The cty type of an extracted TYPE (see the module docstring)."""
    if isinstance(schema_type, str):
        return _SCALARS[schema_type]
    kind, inner = schema_type
    if kind == "object":
        return CtyObject(attribute_types={k: cty_type(v) for k, v in inner.items()})
    element = cty_type(inner)
    if kind == "list":
        return CtyList(element_type=element)
    if kind == "set":
        return CtySet(element_type=element)
    if kind == "map":
        return CtyMap(element_type=element)
    raise ValueError(f"unknown schema type {schema_type!r}")


def attribute(name: str, spec: SchemaAttribute) -> PvsAttribute:
    return PvsAttribute(
        name=name,
        type=cty_type(spec["type"]),
        required=bool(spec.get("required")),
        optional=bool(spec.get("optional")),
        computed=bool(spec.get("computed")),
    )


def nested_blocks(block: SchemaBlock) -> list[PvsNestedBlock]:
    return [
        PvsNestedBlock(
            type_name=name,
            nesting=_NESTING[nested["nesting"]],
            block=object_block(nested["block"]),
            min_items=nested.get("min_items"),
            max_items=nested.get("max_items"),
        )
        for name, nested in block["blocks"].items()
    ]


def object_block(block: SchemaBlock) -> Any:
    """pyvider's block object (PvsObjectType) for an extracted BLOCK."""
    attributes = {name: attribute(name, spec) for name, spec in block["attributes"].items()}
    return b_main(attributes=attributes, block_types=nested_blocks(block))


def objects(
    block: SchemaBlock, value: Any, path: str = ""
) -> Iterator[tuple[SchemaBlock, dict[str, Any], str]]:
    """Each object in `value` (plain Python: dicts for objects, lists for list and set
    blocks) with its block and path (`rule[0].`), the value itself first, then its nested
    blocks' depth first: the one walk of a value along its schema."""
    if not isinstance(value, dict):
        return
    yield block, value, path
    for name, nested in block["blocks"].items():
        items = value.get(name)
        if isinstance(items, dict):  # a single block
            yield from objects(nested["block"], items, f"{path}{name}.")
        elif isinstance(items, list):
            for index, item in enumerate(items):
                yield from objects(nested["block"], item, f"{path}{name}[{index}].")


def fill_computed(block: SchemaBlock, value: Any, fill: Callable[[str, Any], Any]) -> Any:
    """`value` with each null computed attribute replaced by `fill(name, type)`, in nested
    blocks too: a resource plan fills in unknowns, a data source placeholder values."""
    if not isinstance(value, dict):
        return value
    result = dict(value)
    for name, spec in block["attributes"].items():
        if spec.get("computed") and result.get(name) is None:
            result[name] = fill(name, spec["type"])
    for name, nested in block["blocks"].items():
        items = result.get(name)
        if isinstance(items, list):
            result[name] = [fill_computed(nested["block"], item, fill) for item in items]
        elif isinstance(items, dict):
            result[name] = fill_computed(nested["block"], items, fill)
    return result


def read_only_attributes_set(block: SchemaBlock, value: Any) -> list[str]:
    """Paths of computed-only attributes that the configuration `value` sets.

    Terraform core leaves this check to the provider; the real provider rejects such a
    configuration, so the stand-in must too. `value` is the configuration as plain Python
    (dicts for objects, lists for list/set blocks, None for null).
    """
    return [
        f"{path}{name}"
        for inner, item, path in objects(block, value)
        for name, spec in inner["attributes"].items()
        if spec.get("computed") and not spec.get("optional") and item.get(name) is not None
    ]
