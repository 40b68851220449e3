"""Read IAM actions out of the three shapes a policy takes in a module.

1. JSON (a literal string in the HCL, or a policy attribute in the plan JSON). When Terraform
   reads a `data "aws_iam_policy_document"` during plan, the stand-in provider renders its
   `json` as the real one does (provider/policy_document.py) and the plan carries that JSON;
2. a `data "aws_iam_policy_document"` block read from the HCL (its `statement` blocks), for
   when there is no plan, or the document is read only at apply because its arguments are
   unknown until then (the ARN of a resource the plan creates);
3. an HCL expression such as `jsonencode({...})` without a plan: action-looking string literals
   are picked out of it; anything built from variables or locals cannot be read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.check.hcl import Block, HclModule, is_literal
from generator.check.rules.base import json_value

_ACTION_LITERAL = re.compile(r'\\?"([a-z0-9-]+:[A-Za-z0-9*?]+)\\?"')
_ACTION_STAR = re.compile(r'Action\\?"?\s*[=:]\s*\[?\s*\\?"\*\\?"')
_DOCUMENT_REF = re.compile(r"data\.aws_iam_policy_document\.([\w-]+)")


@dataclass(frozen=True)
class Grants:
    """Action patterns a policy allows; `complete` is False when part of it could not be read."""

    actions: frozenset[str] = frozenset()
    complete: bool = True

    def __or__(self, other: Grants) -> Grants:
        return Grants(self.actions | other.actions, self.complete and other.complete)


def statements(document: Any) -> list[dict[str, Any]]:
    """The statements of a parsed JSON policy (Statement may be one object or a list)."""
    if not isinstance(document, dict):
        return []
    found = document.get("Statement", [])
    found = found if isinstance(found, list) else [found]
    return [s for s in found if isinstance(s, dict)]


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def json_grants(document: Any) -> Grants:
    actions = {
        a
        for s in statements(document)
        if s.get("Effect", "Allow") == "Allow"
        for a in as_list(s.get("Action"))
        if isinstance(a, str)
    }
    return Grants(frozenset(actions))


def document_grants(block: Block) -> Grants:
    actions: set[str] = set()
    complete = not any(
        key in block.body for key in ("source_policy_documents", "override_policy_documents")
    )
    for statement in block.generated("statement"):
        if statement.body.get("effect", "Allow") != "Allow":
            continue
        value = statement.body.get("actions", [])
        if is_literal(value):
            actions.update(a for a in as_list(value) if isinstance(a, str))
        else:
            complete = False
    return Grants(frozenset(actions), complete)


def expression_grants(hcl: HclModule, value: Any) -> Grants:
    """What a `policy = ...` expression grants, read from the HCL alone."""
    parsed = json_value(value) if is_literal(value) else None
    if parsed is not None:
        return json_grants(parsed)
    text = str(value)
    match = _DOCUMENT_REF.search(text)
    if match:
        document = hcl.find(f"data.aws_iam_policy_document.{match.group(1)}")
        return document_grants(document) if document else Grants(complete=False)
    actions = set(_ACTION_LITERAL.findall(text))
    if _ACTION_STAR.search(text):
        actions.add("*")
    complete = not any(token in text for token in ("var.", "local.", " for "))
    return Grants(frozenset(actions), complete)
