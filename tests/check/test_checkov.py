"""checkov over a module: its own checks, the project's policies, skips, and its output.

checkov cannot share cw-scaffold's environment (see generator/check/checkov.py): these tests
use the checkov found the way `check` finds it (CW_SCAFFOLD_CHECKOV, this interpreter, PATH).
"""

from __future__ import annotations

import tempfile
import textwrap
from pathlib import Path

import pytest

from generator.check import check, checkov
from generator.check.checkov import SUPERSEDED, checkov_command, parse_output, run_checkov
from generator.check.findings import Severity
from generator.errors import EnvironmentProblem

LOG_GROUP = """\
resource "aws_cloudwatch_log_group" "app" {
  name = "/obs/app"
}
"""
VPC_LOOKUP = """\
data "aws_vpc" "this" {
  filter {
    name   = "tag:Name"
    values = ["*"]
  }
}
"""
LIFECYCLE = """\
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
"""
CANARY = """\
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
BAD_TF = f"\n{LOG_GROUP}\n{VPC_LOOKUP}\n{LIFECYCLE}\n{CANARY}"  # lines as the tests expect
# what the project's policies ask of a canary
GOOD_TF = CANARY.replace(
    "  schedule {", "  start_canary         = true\n  delete_lambda        = true\n  schedule {"
)

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
    (encryption,) = bad["CKV_AWS_158"]  # a log group without a KMS key
    assert (encryption.severity, encryption.file, encryption.line) == (
        Severity.ERROR,
        "main.tf",
        2,
    )
    assert encryption.message.startswith("aws_cloudwatch_log_group.app: ")


def test_our_policies_fire(bad):
    assert bad["CKV_CWS_3"][0].line == 27  # canary keeps its Lambda
    assert bad["CKV2_CWS_1"][0].line == 27  # canary never started


def test_checks_a_rule_owns_are_not_reported(bad):
    # no retention (LOG-RETENTION), a wildcard VPC lookup (F5), a lifecycle rule without
    # filter (F6): checkov's checks of these are dropped, its policies for them are gone
    assert not {"CKV_AWS_66", "CKV_CWS_1", "CKV_CWS_2"} & set(bad), sorted(bad)


def test_superseded_checks_name_rules_that_exist():
    from generator.check.rules import RULES

    assert set(SUPERSEDED.values()) <= set(RULES)


# one problem each, that a rule and a checkov check used to report both
ONE_PROBLEM = {
    "log-retention": ("LOG-RETENTION", Severity.WARNING, "CKV_AWS_66", LOG_GROUP),
    "vpc-by-tags": (
        "F5",
        Severity.WARNING,
        "CKV_CWS_2",
        'data "aws_vpc" "this" {\n  tags = { Name = "obs" }\n}\n',
    ),
    "vpc-by-wildcard": ("F5", Severity.ERROR, "CKV_CWS_2", VPC_LOOKUP),
    "lifecycle-filter": ("F6", Severity.ERROR, "CKV_CWS_1", LIFECYCLE),
}


@pytest.mark.parametrize("case", ONE_PROBLEM)
def test_one_problem_one_finding(tmp_path, case):
    """The rules and checkov together report each of these problems exactly once, by the
    rule that owns it, at one severity (docs/rules.md)."""
    rule, severity, check_id, tf = ONE_PROBLEM[case]
    write(tmp_path, tf)
    report = check(tmp_path, terraform=False)
    assert report.stages == ("rules", "checkov")
    assert [f.severity for f in report.findings if f.rule == rule] == [severity]
    assert check_id not in {f.rule for f in report.findings}


def test_our_policies_pass_a_good_module(tmp_path):
    rules = {f.rule for f in run_checkov(write(tmp_path, GOOD_TF))}
    assert not {r for r in rules if "_CWS_" in r}, rules


def test_clean_module_and_inline_skip(tmp_path):
    assert run_checkov(write(tmp_path, CLEAN_TF)) == ()
    skipped = (
        CLEAN_TF.replace(
            '  name              = "/obs/app"\n',
            '  #checkov:skip=CKV_AWS_158:encrypted by AWS\n  name              = "/obs/app"\n',
        )
        .replace("  retention_in_days = 365\n", "")
        .replace("  kms_key_id        = var.key_arn\n", "")
    )
    assert [f.rule for f in run_checkov(write(tmp_path, skipped))] == ["CKV_AWS_338"]


def test_checkov_keeps_its_parser_cache_in_the_users_tmpdir(tmp_path, monkeypatch):
    """checkov runs with the user's TMPDIR, as alone: lark keeps its grammar tables there
    between runs (rebuilding them cost each scan ~0.7 CPU-s), and the check's own temporary
    directories are gone when it ends."""
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmpdir))
    monkeypatch.setattr(tempfile, "tempdir", None)  # the check's own directories go there too
    (tmp_path / "module").mkdir()
    module = write(tmp_path / "module", CLEAN_TF)
    for _ in range(2):
        assert check(module, terraform=False, require_checkov=True).findings == ()
        cached = sorted(p.name for p in tmpdir.iterdir())
        assert len(cached) == 1 and cached[0].startswith(".lark_cache_"), cached


def test_module_config_file_applies(tmp_path):
    (tmp_path / ".checkov.yaml").write_text("skip-check:\n  - CKV_AWS_338\n")
    assert run_checkov(write(tmp_path, CLEAN_TF.replace("  retention_in_days = 365\n", ""))) == ()


def test_parse_output_shapes():
    failed = {
        "check_id": "CKV_AWS_1",
        "check_name": "Name",
        "resource": "aws_x.y",
        "file_path": "/sub/main.tf",
        "file_line_range": [3, 9],
    }
    superseded = {**failed, "check_id": "CKV_AWS_66"}  # LOG-RETENTION owns it
    report = {"results": {"failed_checks": [failed, superseded]}, "summary": {"parsing_errors": 0}}
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
