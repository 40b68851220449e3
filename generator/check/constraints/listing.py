"""The coverage report: which resource types and attributes AWS-VALUE checks, and how.

`cw-scaffold check --list-constraints` prints `text(...)` (or `as_json(...)`); the README's
table for this project's resource types is `markdown(...)`, kept equal by a test.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import groupby

from generator.check.constraints import coverage
from generator.check.constraints.mapping import TARGETS, target
from generator.check.constraints.tree import resource_types


def covered_types() -> tuple[str, ...]:
    """Every resource type with at least one checked attribute: the table's, then derived."""
    from generator.check.constraints.provider import RULES
    from generator.check.constraints.tree import constraints_for

    ruled = {rule.resource_type for rule in RULES}
    return tuple(t for t in resource_types() if t in ruled or constraints_for(t))


def _origin(resource_type: str) -> str:
    tgt = target(resource_type)
    if tgt is None:
        return "provider rules only"
    how = "table" if resource_type in TARGETS else "derived"
    return f"{tgt.service} {', '.join(tgt.operations)}; {how}"


def text(types: Iterable[str]) -> str:
    rows = list(coverage(tuple(types)))
    lines = []
    for resource_type, group in groupby(rows, key=lambda row: row.resource_type):
        lines.append(f"{resource_type} ({_origin(resource_type)})")
        lines += [f"  {row.attribute:<48} {row.what}" for row in group]
    kinds = len({row.resource_type for row in rows})
    lines.append(f"{kinds} resource types, {len(rows)} attribute constraints")
    return "\n".join(lines)


def as_json(types: Iterable[str]) -> str:
    rows = [
        {"resource_type": r.resource_type, "attribute": r.attribute, "constraint": r.what}
        for r in coverage(tuple(types))
    ]
    return json.dumps(rows, indent=2)


def markdown(types: Iterable[str]) -> str:
    """One row per resource type: the attributes the API model constrains, and those the
    provider's (or service's) own rules check; "-" where nothing is."""
    lines = ["| resource type | API model (botocore) | provider / service rules |", "|---|---|---|"]
    for resource_type in types:
        rows = list(coverage((resource_type,)))
        api = [r.attribute for r in rows if not r.what.startswith("provider")]
        provider = [r.attribute for r in rows if r.what.startswith("provider")]
        lines.append(
            f"| `{resource_type}` | {', '.join(api) or '-'} | {', '.join(provider) or '-'} |"
        )
    return "\n".join(lines)


def exceptions_markdown() -> str:
    """The reviewed exception table, as docs/constraints.md shows it."""
    from generator.check.constraints.mapping import COMMON, EXCEPTIONS

    lines = ["| resource type | attribute | API member | why |", "|---|---|---|---|"]
    rows = [("(every type)", path, o) for path, o in COMMON.items()]
    rows += [(t, path, o) for t, overrides in EXCEPTIONS.items() for path, o in overrides.items()]
    for resource_type, path, override in rows:
        member = "none" if override.member is None else f"`{override.member or '(parent)'}`"
        lines.append(f"| `{resource_type}` | `{path}` | {member} | {override.reason} |")
    return "\n".join(lines)


def provider_rules_markdown() -> str:
    """The provider's (and services') own rules, as docs/constraints.md shows them."""
    from generator.check.constraints.provider import RULES

    lines = ["| resource type | attribute | source |", "|---|---|---|"]
    lines += [f"| `{r.resource_type}` | `{r.path}` | {r.source} |" for r in RULES]
    return "\n".join(lines)
