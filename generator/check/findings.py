"""Immutable records the check produces: one Finding per problem, one Report per run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # worth knowing, never fails the check (an untested toggle of a reusable module)

    @property
    def rank(self) -> int:
        """Higher is more severe: `--min-severity` keeps findings of at least this rank."""
        return {"info": 0, "warning": 1, "error": 2}[self.value]


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in a module. `rule` is a stable id (F1..F9, TF-VALIDATE, NAME-LIMIT, ...)."""

    rule: str
    severity: Severity
    message: str
    file: str | None = None  # relative to the module directory
    line: int | None = None
    suppressed: str | None = None  # the reason of a `cw-scaffold:ignore` comment that hides it

    def location(self) -> str:
        if self.file is None:
            return "-"
        return f"{self.file}:{self.line}" if self.line else self.file

    def to_dict(self) -> dict[str, object]:
        document: dict[str, object] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
        }
        if self.suppressed is not None:
            document["reason"] = self.suppressed
        return document


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
    # findings a `cw-scaffold:ignore` comment hides, each with its reason (`suppressed`)
    suppressed: tuple[Finding, ...] = field(default_factory=tuple)

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
        """No errors and no warnings (info findings never fail the check)."""
        return not (self.errors or self.warnings)

    def at_least(self, severity: Severity) -> Report:
        """The report with only the findings of `severity` or more severe (`--min-severity`)."""
        kept = tuple(f for f in self.findings if f.severity.rank >= severity.rank)
        hidden = tuple(f for f in self.suppressed if f.severity.rank >= severity.rank)
        return replace(self, findings=kept, suppressed=hidden)
