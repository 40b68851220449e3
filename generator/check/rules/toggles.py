"""F8: optional code behind a variable toggle that no test ever switches.

A toggle is a `count` or `for_each` whose expression is a conditional (`?:`) on variables,
directly or through one local. Each toggled variable must take at least two values across
what `terraform test` plans: the value it has without tests (terraform.tfvars, else its
default) and every value that a tests/*.tftest.hcl `variables` block (file-level or in a
`run`) gives it. One value means one path is never planned: a warning, because the other
path may be unreachable by design.

A reusable module (no backend and no provider configuration: its caller sets both) is
planned here with its defaults, and its toggles are its interface, switched by callers, not
by its own tests. There each untested toggle variable is reported once, as info, at the
variable, rather than a warning per resource it toggles.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from generator.check.findings import Finding, Severity
from generator.check.hcl import Block
from generator.check.rules.base import RuleContext, finding

_VAR = re.compile(r"\bvar\.([A-Za-z_][\w-]*)")
_LOCAL = re.compile(r"\blocal\.([A-Za-z_][\w-]*)")


def toggle_variables(ctx: RuleContext, block: Block) -> set[str]:
    """Variables a block's `count`/`for_each` conditional depends on."""
    names: set[str] = set()
    locals_ = ctx.hcl.local_values()
    for key in ("count", "for_each"):
        expression = block.body.get(key)
        if not (isinstance(expression, str) and "?" in expression):
            continue
        names.update(_VAR.findall(expression))
        for local in _LOCAL.findall(expression):
            names.update(_VAR.findall(json.dumps(locals_.get(local))))
    return names


def _tested_values(ctx: RuleContext) -> dict[str, set[str]]:
    """variable → the values (as JSON) tests set it to."""
    values: dict[str, set[str]] = {}
    blocks = [*ctx.hcl.tests]
    blocks += [n for run in ctx.hcl.tests if run.kind == "run" for n in run.blocks]
    for block in blocks:
        if block.kind == "variables":
            for name, value in block.body.items():
                values.setdefault(name, set()).add(json.dumps(value, sort_keys=True))
    return values


def _baseline(ctx: RuleContext, name: str) -> set[str]:
    """The value a plan without test variables uses; none for a required variable."""
    variable = ctx.hcl.find(f"var.{name}")
    if any(a.name == name for a in ctx.hcl.tfvars) or (
        variable is not None and "default" in variable.body
    ):
        return {json.dumps(ctx.hcl.variable_value(name), sort_keys=True)}
    return set()


def is_reusable(ctx: RuleContext) -> bool:
    """A module with no backend and no provider configuration: others call it."""
    has_backend = any(t.nested("backend") for t in ctx.hcl.of_kind("terraform"))
    return not has_backend and not ctx.hcl.of_kind("provider")


class UntestedToggle:
    id = "F8"
    description = (
        "every path behind a count/for_each toggle is planned by some test (info: a reusable "
        "module's toggle variables)"
    )
    severity = Severity.WARNING

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        if is_reusable(ctx):
            yield from self._per_variable(ctx)
            return
        tested = _tested_values(ctx)
        for block in (*ctx.hcl.of_kind("resource"), *ctx.hcl.of_kind("module")):
            toggle = "count" if "count" in block.body else "for_each"
            for name in sorted(toggle_variables(ctx, block)):
                values = tested.get(name, set()) | _baseline(ctx, name)
                if len(values) < 2:
                    planned = (
                        f"only with var.{name} = {next(iter(values))}"
                        if values
                        else f"with no value for var.{name}"
                    )
                    yield finding(
                        self,
                        f"{block.address} is toggled by var.{name}, but it is planned "
                        f"{planned}: its other path is never planned; add a test run whose "
                        "variables { } switch it",
                        block,
                        attribute=toggle,
                    )

    def _per_variable(self, ctx: RuleContext) -> Iterator[Finding]:
        """Once per untested toggle variable of a reusable module, as info."""
        tested = _tested_values(ctx)
        toggled: dict[str, list[str]] = {}
        for block in (*ctx.hcl.of_kind("resource"), *ctx.hcl.of_kind("module")):
            for name in toggle_variables(ctx, block):
                toggled.setdefault(name, []).append(block.address)
        for name in sorted(toggled):
            if len(tested.get(name, set()) | _baseline(ctx, name)) >= 2:
                continue
            blocks = toggled[name]
            shown = ", ".join(blocks[:3]) + (
                f" and {len(blocks) - 3} more" if len(blocks) > 3 else ""
            )
            variable = ctx.hcl.find(f"var.{name}")
            yield finding(
                self,
                f"var.{name} toggles {shown}; no test of this reusable module switches it, "
                "so callers are the first to plan its other path",
                variable,
                Severity.INFO,
            )
