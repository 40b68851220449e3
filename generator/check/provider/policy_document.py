"""`data "aws_iam_policy_document"`: the JSON the real provider renders, byte for byte.

Rules of `cw-scaffold check` read policies out of the plan (does the canary role allow
`ec2:CreateNetworkInterface`? does the topic policy name CloudWatch?), and read a document's
statements from the HCL only when the plan has no JSON for it (rules/policies.py: no plan, or
a document read at apply); so the stand-in must render statements exactly as hashicorp/aws
does (internal/service/iam/policy_document_data_source.go and policy_model.go):
- fields in the order Version, Id, Statement; per statement Sid, Effect, Action, NotAction,
  Resource, NotResource, Principal, NotPrincipal, Condition; empty ones left out;
- a list of one string becomes that string; longer lists are sorted in reverse order,
  except condition values, whose order is kept;
- principals of the same type merge into one entry; `{"*": ["*"]}` alone becomes `"*"`;
- conditions group by test, then variable; `&{` becomes `${` (version 2012-10-17);
- `json` is indented with two spaces, `minified_json` compact, both with Go's HTML
  escaping, and `id` is the CRC-32 of `json`.
`source_policy_documents` and `override_policy_documents` are merged by Sid, as the
provider does; the deprecated `source_json`/`override_json` are not supported.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

_DEFAULT_VERSION = "2012-10-17"
_DEFAULT_EFFECT = "Allow"


def _string_or_reverse_sorted(values: list[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else sorted(values, reverse=True)


def _replace_vars(value: str | list[str]) -> str | list[str]:
    if isinstance(value, str):
        return value.replace("&{", "${")
    return [item.replace("&{", "${") for item in value]


def _principals(blocks: list[dict[str, Any]]) -> str | dict[str, Any]:
    if len(blocks) == 1 and blocks[0]["type"] == "*" and list(blocks[0]["identifiers"]) == ["*"]:
        return "*"
    merged: dict[str, Any] = {}
    for block in blocks:
        identifiers = _replace_vars(_string_or_reverse_sorted(list(block["identifiers"])))
        previous = merged.get(block["type"])
        if previous is None:
            merged[block["type"]] = identifiers
        else:
            previous_list = [previous] if isinstance(previous, str) else previous
            added = [identifiers] if isinstance(identifiers, str) else identifiers
            merged[block["type"]] = previous_list + added
    return dict(sorted(merged.items()))


def _conditions(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    grouped: dict[str, dict[str, list[str]]] = {}
    for block in blocks:
        values = _replace_vars(list(block["values"]))
        by_variable = grouped.setdefault(block["test"], {})
        by_variable.setdefault(block["variable"], []).extend(values)
    return {
        test: {
            variable: values[0] if len(values) == 1 else values
            for variable, values in sorted(variables.items())
        }
        for test, variables in sorted(grouped.items())
    }


def _statement(block: dict[str, Any]) -> dict[str, Any]:
    statement: dict[str, Any] = {}
    if block.get("sid"):
        statement["Sid"] = block["sid"]
    statement["Effect"] = block.get("effect") or _DEFAULT_EFFECT
    for key, name, replace in (
        ("actions", "Action", False),
        ("not_actions", "NotAction", False),
        ("resources", "Resource", True),
        ("not_resources", "NotResource", True),
    ):
        if block.get(key):
            value = _string_or_reverse_sorted(list(block[key]))
            statement[name] = _replace_vars(value) if replace else value
    if block.get("principals"):
        statement["Principal"] = _principals(block["principals"])
    if block.get("not_principals"):
        statement["NotPrincipal"] = _principals(block["not_principals"])
    if block.get("condition"):
        statement["Condition"] = _conditions(block["condition"])
    return statement


def _merge(into: dict[str, Any], document: dict[str, Any]) -> None:
    """Merge a document into another the way the provider does: statements by Sid."""
    if document.get("Id"):
        into["Id"] = document["Id"]
    if document.get("Version", "") > into.get("Version", ""):
        into["Version"] = document["Version"]
    statements = into.setdefault("Statement", [])
    for statement in document.get("Statement", []):
        sid = statement.get("Sid")
        same = [i for i, existing in enumerate(statements) if sid and existing.get("Sid") == sid]
        if same:
            statements[same[0]] = statement
        else:
            statements.append(statement)


def _ordered(document: dict[str, Any]) -> dict[str, Any]:
    ordered = {key: document[key] for key in ("Version", "Id") if document.get(key)}
    if document.get("Statement"):
        ordered["Statement"] = document["Statement"]
    return ordered


def _go_json(value: Any, indent: int | None) -> str:
    """JSON as Go's encoding/json writes it: HTML characters escaped."""
    separators = (",", ": ") if indent else (",", ":")
    text = json.dumps(value, indent=indent, separators=separators, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render(config: dict[str, Any]) -> dict[str, Any]:
    """The computed attributes (json, minified_json, id) for a configuration."""
    merged: dict[str, Any] = {}
    for source in config.get("source_policy_documents") or []:
        if source is not None:
            _merge(merged, json.loads(source))
    own: dict[str, Any] = {"Version": config.get("version") or _DEFAULT_VERSION}
    if config.get("policy_id"):
        own["Id"] = config["policy_id"]
    own["Statement"] = [_statement(block) for block in config.get("statement") or []]
    _merge(merged, own)
    for override in config.get("override_policy_documents") or []:
        if override is not None:
            _merge(merged, json.loads(override))
    document = _ordered(merged)
    pretty = _go_json(document, indent=2)
    return {
        "json": pretty,
        "minified_json": _go_json(document, indent=None),
        "id": str(zlib.crc32(pretty.encode("utf-8"))),
    }
