"""pyvider classes for the stand-in provider, its resources and its data sources.

pyvider normally wants one hand-written class per resource; here classes are made from the
extracted schema. Configuration and state are handled as plain Python values converted from
cty (`to_python`) rather than as attrs classes, because attribute names such as `lambda`
cannot be attrs fields and nothing here needs typed access.

Behaviour, kept to what a plan needs:
- validation rejects computed-only attributes set in configuration, as the real provider
  does (Terraform core leaves that check to providers);
- a resource plans the configuration as proposed by Terraform, with every computed
  attribute that is still null planned as unknown ("known after apply"); nothing is ever
  applied (`terraform test` runs use `mock_provider` or `command = plan`);
  except those a value hook knows (utility.py);
- a data source answers with realistic values (values.py, utility.py) and placeholders
  elsewhere; `utility.UNKNOWN` from a hook is answered as unknown.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from pyvider.common.utils.attrs_factory import create_attrs_class_from_schema
from pyvider.cty import CtyValue
from pyvider.data_sources.base import BaseDataSource
from pyvider.hub import hub
from pyvider.providers import BaseProvider, ProviderMetadata, register_provider
from pyvider.resources.base import BaseResource
from pyvider.resources.context import ResourceContext
from pyvider.schema import PvsSchema, s_data_source, s_provider, s_resource

from generator.check.provider import utility, values
from generator.check.provider.schema import (
    ProviderSchema,
    SchemaBlock,
    cty_type,
    object_block,
    read_only_attributes_set,
)

# A resource's context, its config and state untyped: the stand-ins read them as dicts.
_Context = ResourceContext[Any, Any, Any]


def to_python(value: Any) -> Any:
    """A cty value as plain Python; unknown values stay CtyValues (opaque, never None)."""
    if not isinstance(value, CtyValue):
        return value
    if value.is_unknown:
        return value
    if value.is_null:
        return None
    inner = value.value
    if isinstance(inner, CtyValue):  # a dynamic value wraps the real one
        return to_python(inner)
    if isinstance(inner, dict):
        return {key: to_python(item) for key, item in inner.items()}
    if isinstance(inner, list | tuple | set | frozenset):
        return [to_python(item) for item in inner]
    if isinstance(inner, Decimal):
        return int(inner) if inner == inner.to_integral_value() else float(inner)
    return inner


def _read_only_errors(block: SchemaBlock, config: Any) -> list[str]:
    return [
        f'Value for unconfigurable attribute: can\'t configure a value for "{path}": its value '
        "will be decided automatically based on the result of applying this configuration."
        for path in read_only_attributes_set(block, to_python(config))
    ]


def _with_computed(block: SchemaBlock, value: Any, fill: Callable[[str, Any], Any]) -> Any:
    """`value` with each null computed attribute replaced by `fill(name, type)`, recursively.

    A resource plan fills in unknowns; a data source, placeholder values.
    """
    if not isinstance(value, dict):
        return value
    result = dict(value)
    for name, spec in block["attributes"].items():
        current = result.get(name)
        if spec.get("computed") and current is None:
            result[name] = fill(name, spec["type"])
    for name, nested in block["blocks"].items():
        items = result.get(name)
        if isinstance(items, list):
            result[name] = [_with_computed(nested["block"], item, fill) for item in items]
        elif isinstance(items, dict):
            result[name] = _with_computed(nested["block"], items, fill)
    return result


def _unknown(name: str, schema_type: Any) -> CtyValue[Any]:
    return CtyValue.unknown(cty_type(schema_type))


def _hook_values(block: SchemaBlock, known: dict[str, Any]) -> dict[str, Any]:
    """Values from a hook (values.py, utility.py), `utility.UNKNOWN` made a cty unknown of
    the attribute's type."""
    return {
        name: (
            _unknown(name, block["attributes"][name]["type"]) if value is utility.UNKNOWN else value
        )
        for name, value in known.items()
        if value is not utility.UNKNOWN or name in block["attributes"]
    }


def _environment() -> values.Environment:
    provider = hub.get_component("singleton", "provider")
    region = getattr(provider, "region", None) or values.DEFAULT_REGION
    return values.Environment(region=region, working_dir=Path.cwd())


def make_provider_class(schema: ProviderSchema) -> type[BaseProvider]:
    """The provider, configured from the extracted provider block; it remembers the region."""
    built = object_block(schema.provider)
    provider_schema = s_provider(built.attributes, list(built.block_types))
    meta_schema = None
    if schema.provider_meta is not None:
        meta = object_block(schema.provider_meta)
        meta_schema = s_provider(meta.attributes, list(meta.block_types))

    class StandInProvider(BaseProvider):
        region: str | None = None

        def __init__(self) -> None:
            super().__init__(metadata=ProviderMetadata(name=schema.name, version=schema.version))

        async def setup(self) -> None:
            await super().setup()
            self._final_schema = provider_schema
            self.config_class = create_attrs_class_from_schema(
                "ProviderConfig", provider_schema.block.attributes
            )

        @classmethod
        def get_provider_meta_schema(cls) -> PvsSchema | None:
            return meta_schema

        async def configure(self, config: Any) -> None:
            await super().configure(config)
            self.region = getattr(config, "region", None)

    return register_provider(schema.name)(StandInProvider)


def _plan(type_name: str, block: SchemaBlock, ctx: _Context) -> dict[str, Any] | None:
    """The planned state: Terraform's proposal, with what the hooks know (values.py,
    utility.py) and the other computed attributes unknown; None to destroy, or on errors."""
    proposed = ctx.planned_state_cty
    if proposed is None or proposed.is_null:
        return None  # destroy
    errors = _read_only_errors(block, ctx.config_cty)
    for error in errors:
        ctx.add_error(error)
    if errors:
        return None
    planned = to_python(proposed)
    known = _hook_values(block, utility.planned(type_name, to_python(ctx.config_cty)))
    for name, value in known.items():
        if planned.get(name) is None or utility.is_unknown(planned.get(name)):
            planned[name] = value
    filled: dict[str, Any] = _with_computed(block, planned, _unknown)
    return filled


def make_resource_class(type_name: str, block: SchemaBlock) -> type[BaseResource[Any, Any, Any]]:
    built = object_block(block)
    schema = s_resource(built.attributes, list(built.block_types))

    class StandInResource(BaseResource[Any, Any, Any]):
        @classmethod
        def get_schema(cls) -> PvsSchema:
            return schema

        async def _validate_config(self, config: Any) -> list[str]:
            return _read_only_errors(block, config)

        async def plan(self, ctx: _Context) -> tuple[dict[str, Any] | None, None]:
            return _plan(type_name, block, ctx), None

        async def read(self, ctx: _Context) -> Any:
            return ctx.state

        async def _delete_apply(self, ctx: _Context) -> None:
            return None

    StandInResource.__name__ = StandInResource.__qualname__ = type_name
    hub.register("resource", type_name, StandInResource)
    return StandInResource


def make_data_source_class(
    type_name: str, block: SchemaBlock
) -> type[BaseDataSource[Any, Any, Any]]:
    built = object_block(block)
    schema = s_data_source(built.attributes, list(built.block_types))
    reader = values.DATA_SOURCES.get(type_name)

    class StandInDataSource(BaseDataSource[Any, Any, Any]):
        @classmethod
        def get_schema(cls) -> PvsSchema:
            return schema

        async def _validate_config(self, config: Any) -> list[str]:
            return _read_only_errors(block, config)

        async def read(self, ctx: _Context) -> dict[str, Any]:
            config = to_python(ctx.config) or {}
            env = _environment()
            state = dict(config)
            if reader is not None:
                state.update(_hook_values(block, reader(config, env)))
            filled: dict[str, Any] = _with_computed(
                block, state, lambda n, t: values.placeholder(n, t, env)
            )
            return filled

    StandInDataSource.__name__ = StandInDataSource.__qualname__ = type_name
    hub.register("data_source", type_name, StandInDataSource)
    return StandInDataSource


def register(schema: ProviderSchema) -> None:
    """Register the provider and each of its types with pyvider's component hub.

    A type pyvider cannot express (aws_wafv2_rule_group and aws_wafv2_web_acl put a
    dynamic attribute in a set block) is left out with a note on stderr, which
    Terraform keeps in its log: the rest of the module is still checked.
    """
    make_provider_class(schema)
    for kind, types, make in (
        ("resource", schema.resources, make_resource_class),
        ("data source", schema.data_sources, make_data_source_class),
    ):
        for type_name, block in types.items():
            try:
                make(type_name, block)
            except ValueError as exc:
                print(f"stand-in cannot serve {kind} {type_name}: {exc}", file=sys.stderr)
