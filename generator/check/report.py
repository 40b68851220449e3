"""How reports are shown: text for people, JSON for scripts, SARIF for code-scanning
interfaces, and the exit status. Each takes the reports of one run: one module, or every
module of a tree (`check --recursive`), with file paths then relative to the tree.

Exit status: 1 when there is at least one error, else 0; 2 when a module of a tree could not
be checked at all (rule UNCHECKED, see tree.py). Warnings and infos are printed but do not
fail the check: they flag what may be intended (an untested toggle, a tag lookup that is
unique today), while errors are what makes a first deploy fail or breaks a rule the project
holds. Findings a `cw-scaffold:ignore` comment suppresses are listed apart, with the reason.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.check.findings import Finding, Report, Severity

UNCHECKED = "UNCHECKED"  # a module of a tree that could not be checked (tree.py)
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
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


def _as_list(reports: Report | Sequence[Report]) -> list[Report]:
    return [reports] if isinstance(reports, Report) else list(reports)


def _relative(report: Report, root: Path | None, finding: Finding) -> Finding:
    """The finding with its file relative to `root` (the tree), not to its module."""
    if root is None:
        return finding
    module = Path(report.module).resolve()
    prefix = module.relative_to(root.resolve()).as_posix() if module != root.resolve() else ""
    if not prefix:
        return finding
    file = f"{prefix}/{finding.file}" if finding.file else prefix
    return Finding(
        finding.rule, finding.severity, finding.message, file, finding.line, finding.suppressed
    )


def _descriptions(findings: list[Finding]) -> dict[str, str]:
    """Rule id → what the rule holds (rules/), for the rules of ours among `findings`."""
    from generator.check.rules import RULES

    ids = sorted({f.rule for f in findings}, key=_rank)
    return {rule: RULES[rule].description for rule in ids if rule in RULES}


def _all(reports: list[Report], root: Path | None, suppressed: bool = False) -> list[Finding]:
    return [
        _relative(r, root, f) for r in reports for f in (r.suppressed if suppressed else r.findings)
    ]


def verdict(reports: Report | Sequence[Report]) -> str:
    counts = Counter(f.severity for f in _all(_as_list(reports), None))
    notes = f", {counts[Severity.INFO]} info" if counts[Severity.INFO] else ""
    if not (counts[Severity.ERROR] or counts[Severity.WARNING]):
        return "check: clean" + notes
    return f"check: {counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings{notes}"


def _lines(findings: list[Finding]) -> list[str]:
    rule_width = max(len(f.rule) for f in findings)
    place_width = max(len(f.location()) for f in findings)
    return [
        f"{f.rule:<{rule_width}}  {f.severity.value:<7}  {f.location():<{place_width}}  {f.message}"
        + (f"  [ignored: {f.suppressed}]" if f.suppressed else "")
        for f in findings
    ]


def render_text(reports: Report | Sequence[Report], root: Path | None = None) -> str:
    """`RULE  severity  file:line  message` per finding, counts by rule, what comment
    suppressions hid and why, then the verdict."""
    listed = _as_list(reports)
    findings = ordered(tuple(_all(listed, root)))
    hidden = ordered(tuple(_all(listed, root, suppressed=True)))
    lines = []
    if len(listed) > 1:
        lines.append(f"{len(listed)} module directories checked")
    if findings:
        lines += _lines(findings)
        counts = Counter(f.rule for f in findings)
        lines += ["", "by rule: " + ", ".join(f"{rule} {counts[rule]}" for rule in counts)]
    if hidden:
        lines += ["", f"suppressed by cw-scaffold:ignore ({len(hidden)}):", *_lines(hidden)]
    lines.append(verdict(listed))
    return "\n".join(lines) + "\n"


def _summary(report: Report) -> dict[str, Any]:
    return {
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "info": len(report.notes),
        "suppressed": len(report.suppressed),
        "stages": list(report.stages),
        "skipped": list(report.skipped),
        "module": report.module,
    }


def render_json(reports: Report | Sequence[Report], root: Path | None = None) -> str:
    """One module: its findings and summary. A tree: the same for each module, by module.
    Both end with `rules`: what each rule of ours that reported something holds."""
    listed = _as_list(reports)
    rules = _descriptions(_all(listed, None) + _all(listed, None, suppressed=True))

    def document(report: Report) -> dict[str, Any]:
        return {
            "findings": [_relative(report, root, f).to_dict() for f in ordered(report.findings)],
            "suppressed": [
                _relative(report, root, f).to_dict() for f in ordered(report.suppressed)
            ],
            "summary": _summary(report),
        }

    if isinstance(reports, Report):
        return json.dumps({**document(reports), "rules": rules}, indent=2) + "\n"
    totals = Counter(f.severity.value for f in _all(listed, root))
    tree = {
        "modules": [document(r) for r in listed],
        "summary": {
            "modules": len(listed),
            "errors": totals["error"],
            "warnings": totals["warning"],
            "info": totals["info"],
        },
        "rules": rules,
    }
    return json.dumps(tree, indent=2) + "\n"


def _sarif_result(finding: Finding, base: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": _SARIF_LEVELS[finding.severity],
        "message": {"text": finding.message},
    }
    if finding.file:
        location: dict[str, Any] = {"artifactLocation": {"uri": finding.file, "uriBaseId": base}}
        if finding.line:
            location["region"] = {"startLine": finding.line}
        result["locations"] = [{"physicalLocation": location}]
    if finding.suppressed is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": finding.suppressed}]
    return result


def render_sarif(reports: Report | Sequence[Report], root: Path | None = None) -> str:
    """One SARIF 2.1.0 log with one run; suppressed findings carry an inSource suppression.
    Each rule of ours is described (shortDescription); others (checkov's) by their id."""
    listed = _as_list(reports)
    base_dir = (root or Path(listed[0].module)).resolve()
    findings = ordered(tuple(_all(listed, root))) + ordered(tuple(_all(listed, root, True)))
    described = _descriptions(findings)
    rule_ids = sorted({f.rule for f in findings}, key=_rank)
    rules = [
        {"id": rule, "shortDescription": {"text": described.get(rule, rule)}} for rule in rule_ids
    ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "cw-scaffold check",
                        "version": _version(),
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"MODULEROOT": {"uri": base_dir.as_uri() + "/"}},
                "results": [_sarif_result(f, "MODULEROOT") for f in findings],
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cw-scaffold")
    except PackageNotFoundError:  # run from a source tree
        return "0+unknown"


def render_rules(as_json: bool = False) -> str:
    """`check --list-rules`: every rule of ours, in the order they run, with its severity and
    what it holds (docs/rules.md); as a JSON list of {id, severity, description} if asked."""
    from generator.check.rules import RULES

    if as_json:
        listing = [
            {"id": r.id, "severity": r.severity.value, "description": r.description}
            for r in RULES.values()
        ]
        return json.dumps(listing, indent=2) + "\n"
    width = max(len(rule_id) for rule_id in RULES)
    lines = [f"{r.id:<{width}}  {r.severity.value:<7}  {r.description}" for r in RULES.values()]
    return "\n".join(lines) + "\n"


def exit_status(reports: Report | Sequence[Report]) -> int:
    listed = _as_list(reports)
    if any(f.rule == UNCHECKED for r in listed for f in r.findings):
        return 2
    return 1 if any(r.errors for r in listed) else 0
