"""Text and JSON output of a Report, and the exit status."""

from __future__ import annotations

import json

from generator.check.findings import Finding, Report, Severity
from generator.check.report import exit_status, render_json, render_sarif, render_text

FINDINGS = (
    Finding("CKV_AWS_18", Severity.ERROR, "aws_s3_bucket.a: access logging", "s3.tf", 1),
    Finding("F7", Severity.WARNING, "hard-coded Environment", "locals.tf", 3),
    Finding("NAME-LIMIT", Severity.ERROR, "bucket too long", "s3.tf", 2),
    Finding("F3", Severity.ERROR, "widgets[0] bad", "dashboards.tf", 12),
    Finding("TF-VALIDATE", Severity.ERROR, "Unsupported argument", "main.tf", 4),
    Finding("F3", Severity.ERROR, "widgets[1] bad", "dashboards.tf", 12),
    Finding("CHECKOV-PARSE", Severity.WARNING, "could not parse 1 file(s)"),
)


def report(*findings: Finding) -> Report:
    return Report(module="/m", findings=findings, stages=("terraform plan", "rules", "checkov"))


def test_text_groups_by_rule_with_counts_and_verdict():
    text = render_text(report(*FINDINGS))
    lines = text.splitlines()
    assert [line.split()[0] for line in lines[:7]] == [
        "TF-VALIDATE",
        "F3",
        "F3",
        "F7",
        "CHECKOV-PARSE",
        "NAME-LIMIT",
        "CKV_AWS_18",
    ]
    assert lines[1].split(maxsplit=3) == ["F3", "error", "dashboards.tf:12", "widgets[0] bad"]
    assert lines[4].split(maxsplit=3) == [
        "CHECKOV-PARSE",
        "warning",
        "-",
        "could not parse 1 file(s)",
    ]
    # columns line up
    assert len({line.index("error") for line in lines[:3]}) == 1
    assert lines[-2] == (
        "by rule: TF-VALIDATE 1, F3 2, F7 1, CHECKOV-PARSE 1, NAME-LIMIT 1, CKV_AWS_18 1"
    )
    assert lines[-1] == "check: 5 errors, 2 warnings"


def test_clean_text():
    assert render_text(report()) == "check: clean\n"


def test_json_output():
    document = json.loads(render_json(report(*FINDINGS)))
    assert document["summary"] == {
        "errors": 5,
        "warnings": 2,
        "info": 0,
        "suppressed": 0,
        "stages": ["terraform plan", "rules", "checkov"],
        "skipped": [],
        "module": "/m",
    }
    assert document["findings"][0] == {
        "rule": "TF-VALIDATE",
        "severity": "error",
        "message": "Unsupported argument",
        "file": "main.tf",
        "line": 4,
    }
    assert document["findings"][4]["file"] is None


def test_exit_status_fails_on_errors_only():
    assert exit_status(report()) == 0
    assert exit_status(report(FINDINGS[1])) == 0  # warnings are printed, not fatal
    assert exit_status(report(*FINDINGS)) == 1


def test_json_and_sarif_describe_our_rules():
    from generator.check.rules import RULES

    described = {
        "F3": RULES["F3"].description,
        "F7": RULES["F7"].description,
        "NAME-LIMIT": RULES["NAME-LIMIT"].description,
    }
    assert json.loads(render_json(report(*FINDINGS)))["rules"] == described
    tree = json.loads(render_json([report(*FINDINGS[:2]), report(FINDINGS[2])]))
    assert tree["rules"] == {"F7": described["F7"], "NAME-LIMIT": described["NAME-LIMIT"]}
    (run,) = json.loads(render_sarif(report(*FINDINGS)))["runs"]
    short = {r["id"]: r["shortDescription"]["text"] for r in run["tool"]["driver"]["rules"]}
    assert short["F3"].startswith("dashboard bodies follow the CloudWatch Dashboard Body")
    assert {rule: short[rule] for rule in described} == described
    assert short["CKV_AWS_18"] == "CKV_AWS_18"  # checkov's: no description of ours
