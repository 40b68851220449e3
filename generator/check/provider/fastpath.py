"""Fast answers to the RPCs Terraform sends once per resource, for the common case.

Terraform validates every resource and data source configuration and plans every resource
instance through the provider: a 100-service module is some 2,000 such calls per check.
pyvider answers each by decoding the msgpack value into cty objects, validating them
against the schema, converting them to Python and back, and logging as it goes: several
milliseconds a call, nine tenths of the provider's time. Terraform has already decoded the configuration against
the same schema, so the value is well-typed when it arrives; what is left to decide is
small and is decided here on the msgpack value itself:

- ValidateResourceConfig / ValidateDataResourceConfig: no required attribute is null and
  no computed-only attribute is set (components.py). Then pyvider's answer is "no
  diagnostics", and so is this one.
- PlanResourceChange for a create (no prior state): the proposed new state with every
  null computed attribute, at any depth of blocks, made unknown ("known after apply"),
  except those a value hook knows (utility.py), which is what components.py plans and
  pyvider then encodes.

- The same validations, when a required top-level argument is null (a variable whose
  default is null, say): the diagnostic the real providers give (terraform-plugin-sdk's
  "Missing required argument"), naming the argument, where pyvider's says only
  "Attribute cannot be null".

Anything else (another problem to report, a prior state, a value of an unexpected shape, a
missing or unknown type) goes to pyvider's own handler, so every other diagnostic still
comes from pyvider.
"""

from __future__ import annotations

from typing import Any

import msgpack

from generator.check.provider import utility
from generator.check.provider.pyvider_seam import Handler, pyvider_handler, replace_handlers
from generator.check.provider.schema import ProviderSchema, SchemaBlock, read_only_attributes_set

UNKNOWN = msgpack.ExtType(0, b"\x00")  # cty's unknown value, as Terraform encodes it
_BLOCK_NESTINGS = ("list", "set")


class _Unusual(Exception):
    """A value the fast path leaves to pyvider."""


def unpack(data: bytes) -> Any:
    return msgpack.unpackb(data, raw=False, strict_map_key=False)


def pack(value: Any) -> bytes:
    data: bytes = msgpack.packb(value, use_bin_type=True)
    return data


def check_shape(block: SchemaBlock, value: Any) -> None:
    """Raise _Unusual unless `value` is an object with exactly the block's attributes and
    blocks, each block list/set a list (or unknown) and each single block an object (or
    null or unknown), all the way down."""
    if not isinstance(value, dict) or len(value) != len(block["attributes"]) + len(block["blocks"]):
        raise _Unusual
    for name in block["attributes"]:
        if name not in value:
            raise _Unusual
    for name, nested in block["blocks"].items():
        if name not in value:
            raise _Unusual
        _check_nested_shape(nested, value[name])


def _check_nested_shape(nested: dict[str, Any], items: Any) -> None:
    """check_shape for the value of one nested block (its schema entry `nested`)."""
    if isinstance(items, msgpack.ExtType):
        return  # unknown, e.g. a dynamic block over an unknown collection
    if nested["nesting"] in _BLOCK_NESTINGS:
        if not isinstance(items, list):
            raise _Unusual  # a null list or set block: pyvider would plan it empty
        for item in items:
            check_shape(nested["block"], item)
    elif items is not None:
        check_shape(nested["block"], items)


def required_nulls(block: SchemaBlock, value: Any) -> bool:
    """Whether a required attribute is null anywhere in `value` (pyvider reports it)."""
    if not isinstance(value, dict):
        return False
    if any(
        spec.get("required") and value.get(name) is None
        for name, spec in block["attributes"].items()
    ):
        return True
    for name, nested in block["blocks"].items():
        items = value.get(name)
        for item in items if isinstance(items, list) else [items]:
            if required_nulls(nested["block"], item):
                return True
    return False


def computed_unknown(block: SchemaBlock, value: Any) -> Any:
    """`value` with each null computed attribute unknown, in nested blocks too."""
    if not isinstance(value, dict):
        return value
    result = dict(value)
    for name, spec in block["attributes"].items():
        if spec.get("computed") and result.get(name) is None:
            result[name] = UNKNOWN
    for name, nested in block["blocks"].items():
        items = result.get(name)
        if isinstance(items, list):
            result[name] = [computed_unknown(nested["block"], item) for item in items]
        elif isinstance(items, dict):
            result[name] = computed_unknown(nested["block"], items)
    return result


def config_is_clean(block: SchemaBlock, data: bytes) -> bool:
    """Whether pyvider would validate this msgpack configuration without a diagnostic."""
    if not data:
        return False
    try:
        config = unpack(data)
        check_shape(block, config)
    except (_Unusual, ValueError, msgpack.UnpackException):
        return False
    return not required_nulls(block, config) and not read_only_attributes_set(block, config)


def with_known(block: SchemaBlock, planned: Any, known: dict[str, Any]) -> Any:
    """`planned` with the top-level computed attributes that a value hook knows."""
    result = dict(planned)
    for name, value in known.items():
        spec = block["attributes"].get(name)
        if spec and spec.get("computed") and result.get(name) == UNKNOWN:
            result[name] = UNKNOWN if value is utility.UNKNOWN else value
    return result


def missing_required(block: SchemaBlock, data: bytes) -> list[str]:
    """Required top-level arguments that are null in this msgpack configuration."""
    try:
        config = unpack(data)
        check_shape(block, config)
    except (_Unusual, ValueError, msgpack.UnpackException):
        return []
    return [
        name
        for name, spec in block["attributes"].items()
        if spec.get("required") and config.get(name) is None
    ]


def planned_state(block: SchemaBlock, request: Any) -> bytes | None:
    """The planned state of a create, or None to leave the request to pyvider."""
    if request.prior_private or (request.prior_state.msgpack or b"\xc0") != b"\xc0":
        return None
    try:
        proposed = unpack(request.proposed_new_state.msgpack)
        config = unpack(request.config.msgpack)
        check_shape(block, proposed)
        check_shape(block, config)
    except (_Unusual, ValueError, msgpack.UnpackException):
        return None
    if required_nulls(block, proposed) or read_only_attributes_set(block, config):
        return None
    known = utility.planned(request.type_name, config)
    return pack(with_known(block, computed_unknown(block, proposed), known))


def _missing_argument(pb: Any, name: str) -> Any:
    return pb.Diagnostic(
        severity=pb.Diagnostic.ERROR,
        summary="Missing required argument",
        detail=f'The argument "{name}" is required, but no definition was found.',
        attribute=pb.AttributePath(steps=[pb.AttributePath.Step(attribute_name=name)]),
    )


def install(schema: ProviderSchema) -> None:
    """Answer the hot RPCs of pyvider's ProviderHandler here when the answer is simple, for
    the types of `schema` that are registered with pyvider (components.register)."""
    import pyvider.protocols.tfprotov6.protobuf as pb
    from pyvider.hub import hub

    resources = {t: b for t, b in schema.resources.items() if hub.get_component("resource", t)}
    data_sources = {
        t: b for t, b in schema.data_sources.items() if hub.get_component("data_source", t)
    }

    def validator(types: dict[str, SchemaBlock], method: str, response: Any) -> Handler:
        original = pyvider_handler(method)

        async def validate(self: Any, request: Any, context: Any) -> Any:
            block = types.get(request.type_name)
            if block is None or not request.config.msgpack:
                return await original(self, request, context)
            if config_is_clean(block, request.config.msgpack):
                return response()
            missing = missing_required(block, request.config.msgpack)
            if missing:
                return response(diagnostics=[_missing_argument(pb, name) for name in missing])
            return await original(self, request, context)

        return validate

    original_plan = pyvider_handler("PlanResourceChange")

    async def plan(self: Any, request: Any, context: Any) -> Any:
        block = resources.get(request.type_name)
        planned = None if block is None else planned_state(block, request)
        if planned is None:
            return await original_plan(self, request, context)
        answer = pb.PlanResourceChange.Response()
        answer.planned_state.msgpack = planned
        return answer

    handlers = {
        "ValidateResourceConfig": validator(
            resources, "ValidateResourceConfig", pb.ValidateResourceConfig.Response
        ),
        "ValidateDataResourceConfig": validator(
            data_sources,
            "ValidateDataResourceConfig",
            pb.ValidateDataResourceConfig.Response,
        ),
        "PlanResourceChange": plan,
    }
    replace_handlers(handlers)
