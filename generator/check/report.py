"""How a Report is shown: text for people, JSON for scripts, and the exit status.

Exit status: 1 when there is at least one error, else 0. Warnings are printed but do not fail
the check: they flag what may be intended (an untested toggle, a tag lookup that is unique
today), while errors are what makes a first deploy fail or breaks a rule the project holds.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from generator.check.findings import Finding, Report

_FAILURE_CLASS = re.compile(r"F\d+")


def _rank(rule: str) -> tuple[int, int, str]:
    """Terraform's own findings first, then F1-F9 in order, our other rules, then checkov's."""
    if rule.startswith("TF-"):
        return (0, 0, rule)
    if _FAILURE_CLASS.fullmatch(rule):
        return (1, int(rule[1:]), rule)
    if rule.startswith("CKV"):
        return (3, 0, rule)
    return (2, 0, rule)


def ordered(findings: tuple[Finding, ...]) -> list[Finding]:
    """Findings grouped by rule, then by place in the module."""
    return sorted(findings, key=lambda f: (_rank(f.rule), f.file or "", f.line or 0, f.message))


def verdict(report: Report) -> str:
    notes = f", {len(report.notes)} info" if report.notes else ""
    if report.clean:
        return "check: clean" + notes
    return f"check: {len(report.errors)} errors, {len(report.warnings)} warnings{notes}"


def render_text(report: Report) -> str:
    """`RULE  severity  file:line  message` per finding, counts by rule, then the verdict."""
    findings = ordered(report.findings)
    if not findings:
        return verdict(report) + "\n"
    rule_width = max(len(f.rule) for f in findings)
    place_width = max(len(f.location()) for f in findings)
    lines = [
        f"{f.rule:<{rule_width}}  {f.severity.value:<7}  {f.location():<{place_width}}  {f.message}"
        for f in findings
    ]
    counts = Counter(f.rule for f in findings)
    lines.append("")
    lines.append("by rule: " + ", ".join(f"{rule} {counts[rule]}" for rule in counts))
    lines.append(verdict(report))
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    document = {
        "findings": [f.to_dict() for f in ordered(report.findings)],
        "summary": {
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "info": len(report.notes),
            "stages": list(report.stages),
            "skipped": list(report.skipped),
            "module": report.module,
        },
    }
    return json.dumps(document, indent=2) + "\n"


def exit_status(report: Report) -> int:
    return 1 if report.errors else 0
