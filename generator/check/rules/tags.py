"""F7: an Environment tag written as a literal instead of derived from the environment suffix.

- error: an `Environment` key in a variable default or in terraform.tfvars (extra tags must
  never carry it: the suffix is the one source);
- error: a literal `Environment` value in locals, provider `default_tags` or a `tags` argument
  that differs from the module's environment (the value of `environment_suffix`, `environment`
  or `env`, from terraform.tfvars or the default);
- warning: such a literal that happens to match it today (it will not once the suffix changes).
Keys are compared case-insensitively; expressions such as `merge(..., { Environment = "x" })`
are searched for the literal too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.check.findings import Finding, Severity
from generator.check.hcl import Block
from generator.check.rules.base import RuleContext, finding

SUFFIX_VARIABLES = ("environment_suffix", "environment", "env")
_IN_EXPRESSION = re.compile(r'(?<![\w.])"?environment"?\s*=\s*"([^"$]*)"', re.IGNORECASE)


def literal_environments(value: Any) -> Iterator[str]:
    """Literal values given to an Environment key anywhere inside `value`."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key.lower() == "environment" and isinstance(item, str) and "${" not in item:
                yield item
            yield from literal_environments(item)
    elif isinstance(value, list):
        for item in value:
            yield from literal_environments(item)
    elif isinstance(value, str) and "${" in value:
        yield from _IN_EXPRESSION.findall(value)


def _tag_sources(ctx: RuleContext) -> Iterator[tuple[Block, str, Any]]:
    """(block, attribute, value) of every place that sets tags (or a local that may)."""
    for block in ctx.hcl.of_kind("locals"):
        for name, value in block.body.items():
            yield block, name, {name: value}
    for provider in ctx.hcl.of_kind("provider"):
        for default_tags in provider.nested("default_tags"):
            yield default_tags, "tags", default_tags.body.get("tags")
    for block in (*ctx.hcl.of_kind("resource"), *ctx.hcl.of_kind("module")):
        for name in ("tags", "tags_all"):
            if name in block.body:
                yield block, name, block.body[name]


class HardCodedEnvironment:
    id = "F7"
    description = (
        "the Environment tag comes from the environment suffix only (warning: a literal that "
        "matches it today)"
    )
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for variable in ctx.hcl.of_kind("variable"):
            for value in literal_environments(variable.body.get("default")):
                yield finding(
                    self,
                    f"{variable.address} default sets Environment = {value!r}: remove it, "
                    "the Environment tag comes from the environment suffix",
                    variable,
                    attribute="default",
                )
        for attr in ctx.hcl.tfvars:
            for value in literal_environments(attr.value):
                yield finding(
                    self,
                    f"{attr.name} sets Environment = {value!r}: remove it, the Environment tag "
                    "comes from the environment suffix",
                    file=attr.file,
                    line=attr.line,
                )
        suffix = self._suffix(ctx)
        for block, attribute, value in _tag_sources(ctx):
            for literal in literal_environments(value):
                yield self._literal(block, attribute, literal, suffix)

    def _literal(self, block: Block, attribute: str, literal: str, suffix: str | None) -> Finding:
        where = {"locals": f"local.{attribute}", "default_tags": "provider default_tags"}.get(
            block.kind, block.address
        )
        if suffix is not None and literal != suffix:
            return finding(
                self,
                f"{where} tags Environment = {literal!r} but the environment is {suffix!r}: "
                "derive the tag from the suffix variable",
                block,
                attribute=attribute,
            )
        return finding(
            self,
            f"{where} hard-codes Environment = {literal!r}: derive it from the suffix variable",
            block,
            Severity.WARNING,
            attribute=attribute,
        )

    @staticmethod
    def _suffix(ctx: RuleContext) -> str | None:
        for name in SUFFIX_VARIABLES:
            value = ctx.hcl.variable_value(name)
            if isinstance(value, str) and "${" not in value:
                return value
        return None
