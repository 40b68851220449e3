"""`# cw-scaffold:ignore RULE-ID reason` comments: which findings they hide, and the report."""

from __future__ import annotations

import json
from pathlib import Path

from generator.check.findings import Finding, Report, Severity
from generator.check.report import render_json, render_text
from generator.check.suppressions import apply_suppressions

MAIN = """\
resource "aws_sns_topic" "a" { # cw-scaffold:ignore NAME-LIMIT the name is fixed by the vendor
  name = "a"
}

# cw-scaffold:ignore F8,CKV_AWS_26 toggled per environment;
# encryption is set by the organization's SCP
resource "aws_sns_topic" "b" {
  count = var.x ? 1 : 0
}

resource "aws_sns_topic" "c" {
  count = var.x ? 1 : 0 // cw-scaffold:ignore F8
}
"""


def _finding(rule: str, line: int, severity: Severity = Severity.WARNING) -> Finding:
    return Finding(rule, severity, f"{rule} at {line}", "main.tf", line)


def _apply(tmp_path: Path, *findings: Finding) -> tuple[list[Finding], list[Finding]]:
    (tmp_path / "main.tf").write_text(MAIN)
    return apply_suppressions(tmp_path, list(findings))


def test_comment_on_the_line_or_above_the_block(tmp_path: Path) -> None:
    kept, hidden = _apply(
        tmp_path,
        _finding("NAME-LIMIT", 1),
        _finding("F8", 8),  # inside the block the comment run sits above
        _finding("CKV_AWS_26", 7, Severity.ERROR),
        _finding("F8", 2),  # another rule's comment: kept
    )
    assert [(f.rule, f.line) for f in hidden] == [("NAME-LIMIT", 1), ("F8", 8), ("CKV_AWS_26", 7)]
    assert hidden[0].suppressed == "the name is fixed by the vendor"
    assert hidden[1].suppressed == "toggled per environment;"
    assert [(f.rule, f.line) for f in kept] == [("SUPPRESS", 12), ("F8", 2)]


def test_comment_without_reason_suppresses_nothing_and_is_reported(tmp_path: Path) -> None:
    kept, hidden = _apply(tmp_path, _finding("F8", 12))
    assert hidden == []
    assert [(f.rule, f.severity, f.line) for f in kept] == [
        ("SUPPRESS", Severity.WARNING, 12),
        ("F8", Severity.WARNING, 12),
    ]
    assert "gives no reason" in kept[0].message


def test_reason_in_text_and_json(tmp_path: Path) -> None:
    kept, hidden = _apply(tmp_path, _finding("NAME-LIMIT", 1, Severity.ERROR))
    report = Report(module=str(tmp_path), findings=tuple(kept), suppressed=tuple(hidden))
    text = render_text(report)
    assert "suppressed by cw-scaffold:ignore (1):" in text
    assert "[ignored: the name is fixed by the vendor]" in text
    assert text.endswith("check: 0 errors, 1 warnings\n")  # the SUPPRESS warning
    document = json.loads(render_json(report))
    assert document["suppressed"][0]["reason"] == "the name is fixed by the vendor"
    assert document["summary"]["errors"] == 0 and document["summary"]["suppressed"] == 1


def test_min_severity_filters_findings() -> None:
    report = Report(
        module="/m",
        findings=(
            Finding("F8", Severity.INFO, "i"),
            Finding("F8", Severity.WARNING, "w"),
            Finding("F3", Severity.ERROR, "e"),
        ),
    )
    assert [f.message for f in report.at_least(Severity.WARNING).findings] == ["w", "e"]
    assert [f.message for f in report.at_least(Severity.ERROR).findings] == ["e"]
