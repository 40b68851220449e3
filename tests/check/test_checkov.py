"""checkov over a module: its own checks, the project's policies, skips, and its output.

checkov cannot share cw-scaffold's environment (see generator/check/checkov.py): these tests
use the checkov found the way `check` finds it (CW_SCAFFOLD_CHECKOV, this interpreter, PATH).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.check import checkov
from generator.check.checkov import checkov_command, parse_output, run_checkov
from generator.check.findings import Severity
from generator.errors import EnvironmentProblem

BAD_TF = """
resource "aws_cloudwatch_log_group" "app" {
  name = "/obs/app"
}

data "aws_vpc" "this" {
  filter {
    name   = "tag:Name"
    values = ["*"]
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "artifacts" {
  bucket = "obs-artifacts"
  rule {
    id     = "expire"
    status = "Enabled"
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
    expiration {
      days = 30
    }
  }
}

resource "aws_synthetics_canary" "api" {
  name                 = "api"
  artifact_s3_location = "s3://obs-artifacts/canary/"
  execution_role_arn   = var.role_arn
  handler              = "canary.handler"
  runtime_version      = "syn-python-selenium-6.0"
  schedule {
    expression = "rate(5 minutes)"
  }
}
"""

GOOD_TF = """
data "aws_vpc" "this" {
  id = var.vpc_id
}

resource "aws_s3_bucket_lifecycle_configuration" "artifacts" {
  bucket = "obs-artifacts"
  rule {
    id     = "expire"
    status = "Enabled"
    filter {
      prefix = ""
    }
    expiration {
      days = 30
    }
  }
}

resource "aws_synthetics_canary" "api" {
  name                 = "api"
  artifact_s3_location = "s3://obs-artifacts/canary/"
  execution_role_arn   = var.role_arn
  handler              = "canary.handler"
  runtime_version      = "syn-python-selenium-6.0"
  start_canary         = true
  delete_lambda        = true
  schedule {
    expression = "rate(5 minutes)"
  }
}
"""

CLEAN_TF = """
variable "key_arn" {
  type = string
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/obs/app"
  retention_in_days = 365
  kms_key_id        = var.key_arn
}
"""


def write(root: Path, text: str) -> Path:
    (root / "main.tf").write_text(textwrap.dedent(text))
    return root


@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list]:
    """checkov's findings on BAD_TF, by rule id (one scan for several tests)."""
    findings = run_checkov(write(tmp_path_factory.mktemp("bad"), BAD_TF))
    by_rule: dict[str, list] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    return by_rule


def test_a_builtin_check_fails_with_file_and_line(bad):
    (retention,) = bad["CKV_AWS_66"]
    assert (retention.severity, retention.file, retention.line) == (Severity.ERROR, "main.tf", 2)
    assert retention.message.startswith("aws_cloudwatch_log_group.app: ")


def test_our_policies_fire(bad):
    assert bad["CKV_CWS_1"][0].line == 13  # lifecycle rule without filter
    assert bad["CKV_CWS_2"][0].line == 6  # wildcard VPC lookup
    assert bad["CKV_CWS_3"][0].line == 27  # canary keeps its Lambda
    assert bad["CKV2_CWS_1"][0].line == 27  # canary never started


def test_our_policies_pass_a_good_module(tmp_path):
    rules = {f.rule for f in run_checkov(write(tmp_path, GOOD_TF))}
    assert not {r for r in rules if "_CWS_" in r}, rules


def test_clean_module_and_inline_skip(tmp_path):
    assert run_checkov(write(tmp_path, CLEAN_TF)) == ()
    skipped = CLEAN_TF.replace(
        '  name              = "/obs/app"\n',
        '  #checkov:skip=CKV_AWS_66:kept forever on purpose\n  name              = "/obs/app"\n',
    ).replace("  retention_in_days = 365\n", "")
    assert [f.rule for f in run_checkov(write(tmp_path, skipped))] == ["CKV_AWS_338"]


def test_module_config_file_applies(tmp_path):
    (tmp_path / ".checkov.yaml").write_text("skip-check:\n  - CKV_AWS_66\n  - CKV_AWS_338\n")
    assert run_checkov(write(tmp_path, CLEAN_TF.replace("  retention_in_days = 365\n", ""))) == ()


def test_parse_output_shapes():
    failed = {
        "check_id": "CKV_AWS_1",
        "check_name": "Name",
        "resource": "aws_x.y",
        "file_path": "/sub/main.tf",
        "file_line_range": [3, 9],
    }
    report = {"results": {"failed_checks": [failed]}, "summary": {"parsing_errors": 0}}
    (finding,) = parse_output([report, {"results": {"failed_checks": []}}])
    assert (finding.rule, finding.file, finding.line, finding.message) == (
        "CKV_AWS_1",
        "sub/main.tf",
        3,
        "aws_x.y: Name",
    )
    assert parse_output({"passed": 0, "failed": 0, "parsing_errors": 0}) == ()
    (problem,) = parse_output({"passed": 0, "failed": 0, "parsing_errors": 2})
    assert (problem.rule, problem.severity) == ("CHECKOV-PARSE", Severity.WARNING)


def test_missing_checkov_names_the_fix(monkeypatch):
    monkeypatch.delenv("CW_SCAFFOLD_CHECKOV", raising=False)
    monkeypatch.setattr(checkov.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(checkov.shutil, "which", lambda name: None)
    with pytest.raises(EnvironmentProblem, match="pipx install checkov==3.3.30"):
        checkov_command()


def test_configured_checkov_must_be_executable(monkeypatch, tmp_path):
    monkeypatch.setenv("CW_SCAFFOLD_CHECKOV", str(tmp_path / "nothing"))
    with pytest.raises(EnvironmentProblem, match="not an executable"):
        checkov_command()
