"""Real Terraform plans of rendered modules (`cw-scaffold check` without checkov), read the
way the tests need them."""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path
from typing import Any

from generator.check import Report, check


@functools.cache
def checked(module: Path) -> Report:
    """The check of `module`, once per test session."""
    return check(module, checkov=False)


def planned_values(module: Path, kind: str) -> dict[str, dict[str, Any]]:
    """The planned values of every `kind` resource of a module that plans cleanly, by address."""
    report = checked(module)
    assert report.plan is not None, report.findings
    assert not report.errors, report.errors
    return {
        r["address"]: r.get("values", {})
        for r in report.plan["planned_values"]["root_module"]["resources"]
        if r["type"] == kind
    }


def with_service_settings(source: Path, dest: Path, settings: dict[str, Any]) -> Path:
    """A copy of the rendered module `source` at `dest`, with `settings` as its service_settings."""
    shutil.copytree(source, dest)
    (dest / "services.auto.tfvars").unlink()
    (dest / "services.auto.tfvars.json").write_text(json.dumps({"service_settings": settings}))
    return dest
