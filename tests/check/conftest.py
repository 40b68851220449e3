"""Helpers for rule tests: a module written into tmp_path, and hand-written plan JSON."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.check.findings import Finding
from generator.check.hcl import load_module
from generator.check.rules import RULES, RuleContext

Module = Callable[..., RuleContext]


@pytest.fixture
def module(tmp_path: Path) -> Module:
    """module({"main.tf": "..."}, plan=...) writes the files and returns a RuleContext. Rule
    tests write their module out in full, alike in shape on purpose: the HCL is the case."""

    def make(files: dict[str, str], plan: dict[str, Any] | None = None) -> RuleContext:
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
        return RuleContext(module_dir=tmp_path, hcl=load_module(tmp_path), plan=plan)

    return make


@pytest.fixture
def run() -> Callable[[str, RuleContext], list[Finding]]:
    """run("F1", ctx): the findings of one rule."""
    return lambda rule_id, ctx: list(RULES[rule_id].run(ctx))


@pytest.fixture
def plan_of() -> Callable[..., dict[str, Any]]:
    return _plan_of


def _plan_of(
    *resources: dict[str, Any], unknown: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A `terraform show -json` document holding `resources` (address and values; type and
    name are read from the address unless given); `unknown` maps an address to its
    after_unknown."""
    unknown = unknown or {}
    planned = [{"mode": "managed", "index": None, **_named(r["address"]), **r} for r in resources]
    changes = [
        {
            "address": r["address"],
            "type": r["type"],
            "name": r["name"],
            "change": {
                "actions": ["create"],
                "after": r.get("values", {}),
                "after_unknown": unknown.get(r["address"], {}),
            },
        }
        for r in planned
    ]
    return {"planned_values": {"root_module": {"resources": planned}}, "resource_changes": changes}


def _named(address: str) -> dict[str, str]:
    """type and name of a resource address: `module.m.aws_sns_topic.this["a"]` → aws_sns_topic, this."""
    type_, name = re.sub(r"\[[^\]]*\]$", "", address).split(".")[-2:]
    return {"type": type_, "name": name}
