"""One checkov interpreter for every scan of `check --recursive` (checkov_batch.py): the
same findings as a checkov process per module, nothing carried from one scan to the next,
and suppression comments applied as `check` applies them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.check.checkov import CheckovBatch, checkov_python, run_checkov
from generator.check.run import CheckRun
from generator.check.tree import check_tree

UNENCRYPTED = """\
resource "aws_cloudwatch_log_group" "app" {
  name = "/obs/app"
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}
"""

ENCRYPTED = """\
variable "key_arn" {
  type = string
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/obs/app"
  kms_key_id        = var.key_arn
  retention_in_days = 731
}

resource "aws_sns_topic" "alerts" {
  name              = "alerts"
  kms_master_key_id = var.key_arn
}
"""


def _module(directory: Path, text: str, config: str | None = None) -> Path:
    directory.mkdir(parents=True)
    (directory / "main.tf").write_text(textwrap.dedent(text))
    if config is not None:
        (directory / ".checkov.yaml").write_text(config)
    return directory


@pytest.fixture
def python() -> list[str]:
    found = checkov_python()
    assert found is not None, "checkov here is not a Python script"
    return found


def test_batch_scans_equal_one_checkov_per_module(tmp_path: Path, python: list[str]) -> None:
    modules = [
        _module(tmp_path / "bad", UNENCRYPTED),
        _module(tmp_path / "clean", ENCRYPTED),  # right after findings: none carried over
        _module(tmp_path / "configured", UNENCRYPTED, "skip-check:\n  - CKV_AWS_338\n"),
    ]
    with CheckRun() as run:
        batch = CheckovBatch(python, run)
        scanned = [batch.scan(m) for m in modules]
    assert scanned == [run_checkov(m) for m in modules]
    bad, clean, configured = ({f.rule for f in s} for s in scanned)
    assert {"CKV_AWS_338", "CKV_AWS_26"} <= bad and clean == set()
    assert "CKV_AWS_338" not in configured and "CKV_AWS_26" in configured


def test_recursive_check_reports_each_module_scan_with_its_suppressions(tmp_path: Path) -> None:
    _module(tmp_path / "modules" / "logs", ENCRYPTED)
    _module(
        tmp_path / "modules" / "topic",
        UNENCRYPTED.replace(
            'resource "aws_sns_topic"',
            "# cw-scaffold:ignore CKV_AWS_26 the topic carries no data, only alarm names\n"
            'resource "aws_sns_topic"',
        ),
    )
    logs, topic = check_tree(tmp_path, options={"terraform": False})
    assert logs.findings == () and "checkov" in logs.stages and logs.skipped == ("terraform",)
    assert {f.rule for f in topic.findings} >= {"CKV_AWS_338"}
    assert [(f.rule, f.suppressed) for f in topic.suppressed] == [
        ("CKV_AWS_26", "the topic carries no data, only alarm names")
    ]
