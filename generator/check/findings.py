"""Immutable records the check produces: one Finding per problem, one Report per run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # what the check did not do, or did with placeholders: never fails it


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in a module. `rule` is a stable id (F1..F9, TF-VALIDATE, NAME-LIMIT, ...)."""

    rule: str
    severity: Severity
    message: str
    file: str | None = None  # relative to the module directory
    line: int | None = None

    def location(self) -> str:
        if self.file is None:
            return "-"
        return f"{self.file}:{self.line}" if self.line else self.file

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
        }


@dataclass(frozen=True)
class Report:
    """The outcome of checking one module directory."""

    module: str
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    stages: tuple[str, ...] = field(default_factory=tuple)  # stages that ran, in order
    skipped: tuple[str, ...] = field(default_factory=tuple)  # "terraform", "checkov"
    # `terraform show -json` of the plan, when the plan ran: for callers that want to look
    # further (the tests check AWS limits on it).
    plan: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def notes(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.INFO)

    @property
    def clean(self) -> bool:
        """No errors and no warnings (info findings only say what the check left out)."""
        return not (self.errors or self.warnings)
