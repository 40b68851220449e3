"""Canary steps derived from a service's OpenAPI 3.x document.

`load(path)` reads a document (YAML or JSON) and validates it with openapi-spec-validator;
`derive(document)` turns its operations into canary steps, in the form of a service's
`checks` in services.auto.tfvars:

- every safe operation (GET or HEAD) whose required parameters all have an example in
  the document becomes a step, with those examples in its path, query and headers;
- each step expects the operation's documented 2xx status (the lowest, if several);
- the JSON response schema's `required` properties become required keys, and their
  `type`s type assertions (a property of a required object property too, as "a.b"); their
  `minimum`/`maximum` become numeric bounds, and `minItems` of 1 or more a non-empty array;
- operations (or paths) marked `x-canary: false` are left out;
- a canary has a step budget: the first `max_steps` operations, in document order.

Whatever is left out is listed with the reason, so the user sees what the canary does not
check.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import UserError

DEFAULT_MAX_STEPS = 10
SAFE_METHODS = ("get", "head")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# The JSON types a step's json_types can check (canaries/, "is_type").
JSON_TYPES = {"boolean", "integer", "number", "string", "array", "object", "null"}
STEP_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what variables.tf accepts for a check name
NESTING = 3  # how deep required object properties are followed


@dataclass(frozen=True)
class Derivation:
    """The steps derived from a document, and each operation left out with the reason."""

    steps: list[dict[str, Any]]
    skipped: list[str] = field(default_factory=list)  # "POST /orders: not GET or HEAD"


def load(path: Path) -> dict[str, Any]:
    """The OpenAPI 3.x document in `path`, validated; UserError naming the file if it is not."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))  # JSON is YAML too
    except OSError as error:
        raise UserError(f"{path}: cannot read the OpenAPI document: {error.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise UserError(f"{path} is neither YAML nor JSON: {error}") from None
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3."):
        raise UserError(
            f"{path} is not an OpenAPI 3.x document: it has no `openapi: 3.x` field"
            " (Swagger 2.0 documents can be converted, e.g. with swagger2openapi)"
        )
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    try:
        validate(document, base_uri=path.resolve().as_uri())
    except OpenAPIValidationError as error:
        raise UserError(f"{path} is not a valid OpenAPI document: {_reason(error)}") from None
    return document


def _reason(error: Any) -> str:
    """The validator's message and where in the document: for "not valid under any of the
    given schemas" (oneOf), the alternative that came closest, which says what is wrong
    (jsonschema's best_match)."""
    from jsonschema.exceptions import best_match

    while error.context:
        # Not the alternative "a $ref instead": the object was meant as what it is.
        meant = [e for e in error.context if e.message != "'$ref' is a required property"]
        error = best_match(meant or error.context)
    text: str = error.message
    message = text if len(text) <= 300 else text[:300] + "..."
    where = " > ".join(str(part) for part in error.absolute_path)
    return message + (f" (at {where})" if where else "")


def derive(document: Mapping[str, Any], *, max_steps: int = DEFAULT_MAX_STEPS) -> Derivation:
    """The canary steps of a validated OpenAPI 3.x document (see the module docstring)."""
    steps: list[dict[str, Any]] = []
    skipped: list[str] = []
    names: set[str] = {"health"}  # the module's own first step
    for path, item in (document.get("paths") or {}).items():
        item = _resolved(document, item)
        for method in METHODS:
            if method not in item:
                continue
            operation = _resolved(document, item[method])
            label = f"{method.upper()} {path}"
            reason = _left_out(method, item, operation)
            if reason is None and len(steps) >= max_steps:
                reason = f"over the step budget of {max_steps}"
            step = None
            if reason is None:
                step, reason = _step(document, path, method, item, operation)
            if step is None:
                skipped.append(f"{label}: {reason}")
                continue
            name = _unique_name(operation.get("operationId"), method, path, names)
            steps.append({"name": name, **step})
    return Derivation(steps, skipped)


def _left_out(method: str, item: Mapping[str, Any], operation: Mapping[str, Any]) -> str | None:
    if method not in SAFE_METHODS:
        return "not GET or HEAD (a canary must not change the service)"
    if item.get("x-canary") is False or operation.get("x-canary") is False:
        return "marked x-canary: false"
    return None


def _step(
    document: Mapping[str, Any],
    path: str,
    method: str,
    item: Mapping[str, Any],
    operation: Mapping[str, Any],
) -> tuple[dict[str, Any] | None, str]:
    """The step of one safe operation, or None and why not."""
    statuses = sorted(
        int(code) for code in operation.get("responses", {}) if re.fullmatch(r"2\d\d", str(code))
    )
    if not statuses:
        return None, "no documented 2xx status (a range such as 2XX names none)"
    request = _request(document, path, item, operation)
    if isinstance(request, str):
        return None, request
    target, headers = request
    step: dict[str, Any] = {"path": target, "method": method.upper()}
    if headers:
        step["headers"] = headers
    if statuses[0] != 200:
        step["expected_status"] = statuses[0]
    response = _resolved(document, operation["responses"][str(statuses[0])])
    schema = _json_schema(document, response) if method == "get" else None
    if schema is not None:
        found = _Assertions()
        _required(document, schema, "", found, NESTING)
        step.update(found.fields())
    return step, ""


@dataclass
class _Assertions:
    """What a response schema's required properties say about the response."""

    keys: list[str] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)
    bounds: dict[str, dict[str, float]] = field(default_factory=dict)
    non_empty: list[str] = field(default_factory=list)

    def add(self, key: str, schema: Mapping[str, Any]) -> str | None:
        """Add what `schema` says of the value at `key`; return its JSON type, if one."""
        self.keys.append(key)
        kind = _json_type(schema)
        if kind is None:
            return None
        self.types[key] = kind
        if kind in ("integer", "number"):
            limits = {
                limit: schema[word]
                for limit, word in (("min", "minimum"), ("max", "maximum"))
                if isinstance(schema.get(word), (int, float)) and not isinstance(schema[word], bool)
            }
            if limits:
                self.bounds[key] = limits
        if kind == "array" and isinstance(schema.get("minItems"), int) and schema["minItems"] > 0:
            self.non_empty.append(key)
        return kind

    def fields(self) -> dict[str, Any]:
        """The step fields, those with something in them."""
        fields = {
            "required_json_keys": self.keys,
            "json_types": self.types,
            "json_bounds": self.bounds,
            "json_non_empty": self.non_empty,
        }
        return {name: value for name, value in fields.items() if value}


def _request(
    document: Mapping[str, Any], path: str, item: Mapping[str, Any], operation: Mapping[str, Any]
) -> tuple[str, dict[str, str]] | str:
    """The path with query, and the headers, that fill in the required parameters with their
    examples; or why the operation cannot be called."""
    parameters: dict[tuple[str, str], Mapping[str, Any]] = {}
    for parameter in [*item.get("parameters", []), *operation.get("parameters", [])]:
        parameter = _resolved(document, parameter)
        if "name" not in parameter:
            return "a parameter is defined in another file, which derive does not read"
        parameters[(parameter["name"], parameter["in"])] = parameter  # the operation's win
    query: list[tuple[str, str]] = []
    headers: dict[str, str] = {}
    for (name, place), parameter in parameters.items():
        if not (parameter.get("required") or place == "path"):
            continue
        example = _example(document, parameter)
        if example is None:
            return f"required {place} parameter '{name}' has no example"
        if place == "path":
            path = path.replace(f"{{{name}}}", urllib.parse.quote(example, safe="!'()*"))
        elif place == "query":
            query.append((name, example))
        elif place == "header":
            headers[name] = example
        else:
            return f"required {place} parameter '{name}': a canary sends no cookies"
    return path + (f"?{urllib.parse.urlencode(query)}" if query else ""), headers


def _example(document: Mapping[str, Any], parameter: Mapping[str, Any]) -> str | None:
    """A parameter's example value as text: `example`, the first of `examples`, or its
    schema's `example`."""
    value: Any = parameter.get("example")
    if value is None and parameter.get("examples"):
        first = _resolved(document, next(iter(parameter["examples"].values())))
        value = first.get("value")
    if value is None:
        value = _resolved(document, parameter.get("schema", {})).get("example")
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json_schema(document: Mapping[str, Any], response: Mapping[str, Any]) -> Any:
    for media_type, content in (response.get("content") or {}).items():
        base = media_type.split(";")[0].strip().lower()
        if base == "application/json" or base.endswith("+json"):
            return _resolved(document, content.get("schema", {}))
    return None


def _required(
    document: Mapping[str, Any],
    schema: Mapping[str, Any],
    prefix: str,
    found: _Assertions,
    depth: int,
) -> None:
    """Add the required properties of an object schema (and of its allOf parts) under their
    dotted keys, following required object properties `depth` levels down."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in [schema, *(_resolved(document, s) for s in schema.get("allOf", []))]:
        properties.update(part.get("properties") or {})
        required.extend(r for r in part.get("required", []) if r not in required)
    for name in required:
        if "." in name:
            continue  # a dotted path could not tell this key from a nested one
        declared = _resolved(document, properties.get(name, {}))
        if found.add(f"{prefix}{name}", declared) == "object" and depth > 1:
            _required(document, declared, f"{prefix}{name}.", found, depth - 1)


def _json_type(schema: Mapping[str, Any]) -> str | None:
    """The one JSON type a schema allows, or None (no type, several, or nullable)."""
    kind = schema.get("type")
    if isinstance(kind, list):  # OpenAPI 3.1: ["string", "null"]
        kind = kind[0] if len(kind) == 1 else None
    if kind not in JSON_TYPES or schema.get("nullable"):
        return None
    return str(kind)


def _resolved(document: Mapping[str, Any], node: Any) -> Any:
    """`node`, or what its local `$ref` ("#/components/...") points at; {} for a reference
    to another file, which the derivation does not follow."""
    seen = 0
    while isinstance(node, Mapping) and "$ref" in node and seen < 20:
        reference = str(node["$ref"])
        if not reference.startswith("#/"):
            return {}
        node = document
        for part in reference[2:].split("/"):
            part = urllib.parse.unquote(part).replace("~1", "/").replace("~0", "~")
            node = node.get(part, {}) if isinstance(node, Mapping) else {}
        seen += 1
    return node if node is not None else {}


def _unique_name(operation_id: Any, method: str, path: str, taken: set[str]) -> str:
    """A step name variables.tf accepts: the operationId, or method and path, made unique."""
    base = str(operation_id) if operation_id else f"{method}-{path}"
    base = re.sub(r"[^A-Za-z0-9_]+", "-", base).strip("-")[:60] or method
    name, number = base, 2
    while name in taken or not STEP_NAME.fullmatch(name):
        name, number = f"{base}-{number}", number + 1
    taken.add(name)
    return name
