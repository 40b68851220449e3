"""`cw-scaffold canary ...`: a project's canary steps, from an OpenAPI document.

`derive_into(project, service, openapi)` writes the steps generator/openapi.py derives into
the project's derived_checks.auto.tfvars.json (the `derived_checks` variable of
derived_checks.tf): one entry per service, with the document it came from, so that deriving
again after the document changed needs only the service's name. That file is the user's to
edit; deriving again replaces the service's entry (and only that), and a template update
never touches it.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from generator.errors import UserError
from generator.openapi import DEFAULT_MAX_STEPS, Derivation, derive, load

DERIVED_FILE = "derived_checks.auto.tfvars.json"


def derive_into(
    project: Path,
    service: str,
    openapi: Path | None = None,
    *,
    max_steps: int = DEFAULT_MAX_STEPS,
) -> Derivation:
    """Derive `service`'s canary steps from `openapi` (default: the document it was derived
    from last time) into the project's DERIVED_FILE. Nothing is written on any error."""
    _check_service(project, service)
    if max_steps < 1:
        raise UserError(f"--max-steps must be 1 or more, not {max_steps}")
    derived = _read_derived(project)
    if openapi is None:
        recorded = derived.get(service, {}).get("openapi")
        if recorded is None:
            raise UserError(f"{service} has no OpenAPI document yet: give one with --openapi FILE")
        openapi = project / recorded
        shown = str(recorded)
    else:
        shown = _relative_to(openapi, project)
    derivation = derive(load(openapi), max_steps=max_steps)
    derived[service] = {"openapi": shown, "checks": derivation.steps}
    _write_json(project / DERIVED_FILE, {"derived_checks": dict(sorted(derived.items()))})
    return derivation


def _check_service(project: Path, service: str) -> None:
    answers_file = project / ".copier-answers.yml"
    if not answers_file.is_file():
        raise UserError(f"{project} is not a cw-scaffold project: it has no .copier-answers.yml")
    from generator.questions import read_answers_file

    services = [str(s) for s in read_answers_file(answers_file).get("services") or []]
    if service not in services:
        raise UserError(f"{service!r} is not one of the project's services ({', '.join(services)})")


def _read_derived(project: Path) -> dict[str, Any]:
    path = project / DERIVED_FILE
    if not path.exists():
        return {}
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        derived = content["derived_checks"]
        if not isinstance(derived, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise UserError(
            f'{path} is not what `canary derive` writes ({{"derived_checks": {{...}}}}):'
            " fix it or remove it"
        ) from None
    return derived


def _relative_to(path: Path, project: Path) -> str:
    """`path` as the project records it: relative to the project when it is inside."""
    try:
        return path.resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def _write_json(path: Path, content: Any) -> None:
    """Replace `path` at once: an interrupted write leaves the old file."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(content, file, indent=2)
            file.write("\n")
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
