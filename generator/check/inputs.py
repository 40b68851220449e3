"""Values for a module's input variables at plan time.

A reusable module declares required variables (no `default`) and ships no values for them.
Rather than stop at "No value for required variable", the check plans with a placeholder
for each one that nothing sets: a value of the variable's type (one element for a
collection, the required attributes of an object), or the first choice (string or number) a
`contains([...], var.x)` validation lists. The report names them. The user's `--var
NAME=VALUE` and `--var-file FILE` come after the placeholders on Terraform's command line,
so they win, as do the module's terraform.tfvars and *.auto.tfvars (placeholders are given
only for variables those leave unset).

Reusable modules (terraform-aws-modules' among them) also give many inputs `default = null`
(or an empty string, list or map) and pass them straight to arguments the provider requires:
planned alone, such a module fails ("Missing required argument", or a function such as
`coalesce` or `element` refusing the empty value), though every caller sets them. When the
plan fails at an argument of the module's own files that reads such a variable (directly or
through locals), `PlanValues.refill` gives that variable a placeholder too, and the check
plans again; the report names these apart. Nothing is guessed for a plan that succeeds, and a
failure that reads no such variable stays reported. When a variable's validation refuses such
a placeholder, the plan got no further: the placeholders are withdrawn and the failure they
were meant to get past is reported as it was, since it may be the module's own bug.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.check.findings import Finding
from generator.check.hcl import Block, HclModule
from generator.errors import UserError

PLACEHOLDER = "placeholder"
_TOKEN = re.compile(r'\s*(?:(?P<name>[A-Za-z_][\w-]*)|(?P<string>"[^"]*")|(?P<other>\S))')
# the first element of `contains([...], var.x)`: a string or a number, as JSON reads it
_CHOICES = re.compile(r'contains\(\s*\[\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?)\s*[,\]]')


@dataclass(frozen=True)
class Inputs:
    """Variable values the user passes: `--var NAME=VALUE` and `--var-file FILE`."""

    values: tuple[str, ...] = ()
    files: tuple[Path, ...] = ()

    def names(self) -> set[str]:
        """The variables these inputs set; UserError for a malformed one."""
        names = set()
        for item in self.values:
            name, equals, _ = item.partition("=")
            if not equals or not name.strip():
                raise UserError(f"--var {item!r}: expected NAME=VALUE")
            names.add(name.strip())
        for path in self.files:
            names.update(_names_in_file(path))
        return names

    def arguments(self) -> list[str]:
        return [f"-var-file={p.resolve()}" for p in self.files] + [f"-var={v}" for v in self.values]


def _names_in_file(path: Path) -> set[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"--var-file {path}: cannot be read ({exc})") from exc
    try:
        if path.name.endswith(".json"):
            return set(json.loads(text))
        import hcl2

        return set(hcl2.loads(text))
    except Exception as exc:  # any parser error is the file's problem
        raise UserError(f"--var-file {path}: not a variables file ({exc})") from exc


def _set_by_module(model: HclModule) -> set[str]:
    names = {a.name for a in model.tfvars}
    for path in [
        *model.root.glob("terraform.tfvars.json"),
        *model.root.glob("*.auto.tfvars.json"),
    ]:
        try:
            names.update(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return names


def placeholders(model: HclModule, inputs: Inputs) -> dict[str, Any]:
    """A placeholder value for each required variable that nothing sets."""
    given = _set_by_module(model) | inputs.names()
    return {
        variable.labels[0]: _placeholder(variable)
        for variable in model.of_kind("variable")
        if variable.labels and "default" not in variable.body and variable.labels[0] not in given
    }


class PlanValues:
    """The variable values one check plans with: placeholders (written to `path`, a
    .tfvars.json file), then the user's --var and --var-file, which win."""

    def __init__(self, model: HclModule, inputs: Inputs, path: Path) -> None:
        self.model = model
        self.inputs = inputs
        self.path = path
        self.given = _set_by_module(model) | inputs.names()
        self.required = placeholders(model, inputs)
        self.defaulted: dict[str, Any] = {}  # null or empty defaults a failed plan read
        self._write()

    @property
    def names(self) -> tuple[str, ...]:
        """Every variable planned with a placeholder."""
        return (*self.required, *self.defaulted)

    def arguments(self) -> list[str]:
        return [f"-var-file={self.path}", *self.inputs.arguments()]

    def refill(self, failures: Iterable[Finding]) -> tuple[str, ...]:
        """Placeholders for the variables with a null or empty default that the arguments
        where the plan failed read (see the module docstring); their names.
        """
        taken = self.given | set(self.names)
        more = {
            name: _placeholder(variable)
            for name, variable in _defaulted_variables(self.model).items()
            if name not in taken
            and any(name in _read_at(self.model, f.file, f.line) for f in failures)
        }
        self.defaulted.update(more)
        self._write()
        return tuple(more)

    def withdraw(self, names: Iterable[str]) -> None:
        """Drop placeholders that refill gave: the plan is reported without them."""
        for name in names:
            self.defaulted.pop(name, None)
        self._write()

    def _write(self) -> None:
        self.path.write_text(json.dumps({**self.required, **self.defaulted}))


_EMPTY: tuple[Any, ...] = (None, "", [], {})
_REFERENCE = re.compile(r"(?<![\w.-])(var|local)\.([A-Za-z_][\w-]*)")


def _defaulted_variables(model: HclModule) -> dict[str, Block]:
    """The variables whose default is null or empty: left to the caller."""
    return {
        v.labels[0]: v
        for v in model.of_kind("variable")
        if v.labels and "default" in v.body and any(v.body["default"] == e for e in _EMPTY)
    }


def _read_at(model: HclModule, file: str | None, line: int | None) -> set[str]:
    """The variables read, directly or through locals, by the argument at file:line: the one
    starting last at or before that line, unless a block starts between the two (the line is
    then a block's own, such as one missing an argument)."""
    if not file or not line:
        return set()
    arguments: list[tuple[int, Any]] = []
    starts: list[int] = []
    pending = [b for b in model.blocks if b.file == file]
    while pending:
        block = pending.pop()
        starts.append(block.line)
        arguments += [(at, block.body.get(n)) for n, at in block.attribute_lines.items()]
        pending += block.blocks
    before = [(at, value) for at, value in arguments if at <= line]
    if not before:
        return set()
    at, value = max(before, key=lambda item: item[0])
    if any(at < start <= line for start in starts):
        return set()
    return _variables_read(value, model.local_values())


def _variables_read(value: Any, local_values: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    seen: set[str] = set()
    pending = [value]
    while pending:
        item = pending.pop()
        text = item if isinstance(item, str) else json.dumps(item)
        for kind, name in _REFERENCE.findall(text):
            if kind == "var":
                found.add(name)
            elif name in local_values and name not in seen:
                seen.add(name)
                pending.append(local_values[name])
    return found


def _placeholder(variable: Block) -> Any:
    for validation in variable.nested("validation"):
        choice = _CHOICES.search(str(validation.body.get("condition", "")))
        if choice:
            return json.loads(choice[1])
    expression = str(variable.body.get("type", "any"))
    tokens = [m.group(m.lastgroup or "other") for m in _TOKEN.finditer(expression.strip("${}"))]
    value, _ = _value(tokens, 0)
    return value


def _value(tokens: list[str], at: int) -> tuple[Any, int]:
    """The placeholder for the type expression starting at tokens[at], and where it ends."""
    if at >= len(tokens):
        return PLACEHOLDER, at
    kind = tokens[at]
    at += 1
    scalars = {"string": PLACEHOLDER, "number": 1, "bool": False, "any": PLACEHOLDER}
    if kind in scalars:
        return scalars[kind], at
    if at >= len(tokens) or tokens[at] != "(":
        return PLACEHOLDER, at
    at += 1  # "("
    if kind in ("list", "set", "map"):
        element, at = _value(tokens, at)
        value: Any = {"key": element} if kind == "map" else [element]
    elif kind == "tuple":
        value, at = _sequence(tokens, at + 1, "]")
    elif kind == "object":
        value, at = _attributes(tokens, at + 1)
    elif kind == "optional":
        value, at = _value(tokens, at)
        while at < len(tokens) and tokens[at] != ")":  # optional(T, default)
            at = _skip(tokens, at)
    else:
        value = PLACEHOLDER
        while at < len(tokens) and tokens[at] != ")":
            at = _skip(tokens, at)
    return value, at + 1  # ")"


def _sequence(tokens: list[str], at: int, end: str) -> tuple[list[Any], int]:
    items = []
    while at < len(tokens) and tokens[at] != end:
        if tokens[at] == ",":
            at += 1
            continue
        item, at = _value(tokens, at)
        items.append(item)
    return items, at + 1


def _attributes(tokens: list[str], at: int) -> tuple[dict[str, Any], int]:
    """The required attributes of `object({name = T, ...})`; `optional(...)` ones left out."""
    found: dict[str, Any] = {}
    while at < len(tokens) and tokens[at] != "}":
        if tokens[at] == ",":
            at += 1
            continue
        name = tokens[at].strip('"')
        optional = at + 2 < len(tokens) and tokens[at + 2] == "optional"
        value, at = _value(tokens, at + 2)  # name "=" type
        if not optional:
            found[name] = value
    return found, at + 1


def _skip(tokens: list[str], at: int) -> int:
    """Past one token, or one bracketed group."""
    opening = {"(": ")", "[": "]", "{": "}"}
    if tokens[at] not in opening:
        return at + 1
    depth = 0
    while at < len(tokens):
        if tokens[at] in opening:
            depth += 1
        elif tokens[at] in opening.values():
            depth -= 1
            if depth == 0:
                return at + 1
        at += 1
    return at
