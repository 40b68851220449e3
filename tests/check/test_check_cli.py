"""`cw-scaffold check` from the command line: exit 0 clean, 1 findings, 2 when the check
itself cannot run, with a message that says what is missing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.check import checkov
from generator.check.provider import install
from generator.cli import main

CLEAN = 'resource "aws_sns_topic" "alerts" {\n  name = "alerts"\n}\n'


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "main.tf").write_text(text)
    return tmp_path


def test_provider_that_cannot_start_exits_2_saying_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(install, "PYTHON", "/bin/false")
    assert main(["check", str(write(tmp_path, CLEAN)), "--no-checkov"]) == 2
    assert "stand-in Terraform provider could not start" in capsys.readouterr().err


def test_missing_checkov_exits_2_naming_the_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CW_SCAFFOLD_CHECKOV", str(tmp_path / "no-such-checkov"))
    assert main(["check", str(write(tmp_path, CLEAN)), "--no-terraform"]) == 2
    assert "CW_SCAFFOLD_CHECKOV" in capsys.readouterr().err


def test_not_a_module_exits_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(tmp_path / "absent")]) == 2
    assert "is not a directory" in capsys.readouterr().err


def test_findings_exit_1_and_json_lists_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = write(tmp_path, 'terraform {\n  backend "s3" {}\n}\n')
    assert main(["check", str(module), "--no-terraform", "--no-checkov", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["errors"] >= 1
    f1 = [f for f in report["findings"] if f["rule"] == "F1"]
    assert f1 and f1[0]["file"] == "main.tf" and f1[0]["line"] == 2


def test_clean_module_exits_0_with_a_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(write(tmp_path, CLEAN)), "--no-checkov"]) == 0
    captured = capsys.readouterr()
    assert "check: clean" in captured.out
    assert "cw-scaffold check: terraform plan" in captured.err, "a progress line per stage"


@pytest.fixture
def no_checkov(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A machine without checkov: not configured, not importable here, not on PATH."""
    monkeypatch.delenv("CW_SCAFFOLD_CHECKOV", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))


def test_without_checkov_the_default_module_passes_with_one_warning(
    no_checkov: None, rendered: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(rendered("defaults")), "--format", "json"]) == 0
    captured = capsys.readouterr()
    warnings = [line for line in captured.err.splitlines() if "warning" in line]
    assert warnings == [
        "cw-scaffold check: warning: checkov skipped, it is not installed: "
        + checkov.INSTALL
        + " (--require-checkov makes this an error)"
    ]
    summary = json.loads(captured.out)["summary"]
    assert summary["skipped"] == ["checkov"]
    assert "terraform plan" in summary["stages"] and "checkov" not in summary["stages"]


def test_require_checkov_makes_its_absence_exit_2(
    no_checkov: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(write(tmp_path, CLEAN)), "--no-terraform", "--require-checkov"]) == 2
    assert "checkov is not installed" in capsys.readouterr().err


def test_list_rules_prints_each_rule_with_severity_and_description(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from generator.check.rules import RULES

    assert main(["check", "--list-rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(RULES)
    f5 = lines[4].split(maxsplit=2)
    assert f5[:2] == ["F5", "error"]
    assert f5[2].startswith("VPC lookups select exactly one VPC: id or default = true (warning:")
    assert "LOG-RETENTION           warning  log groups set retention_in_days" in "\n".join(lines)
    assert main(["check", "--list-rules", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[5] == {
        "id": "F6",
        "severity": "error",
        "description": "every S3 lifecycle rule has a filter or a prefix",
    }
    assert len(listed) == len(RULES)
