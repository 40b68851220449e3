"""check(): how the stages compose, and what it raises."""

from __future__ import annotations

import json
import sys
import textwrap
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from generator.check import Severity, check, terraform
from generator.check.findings import Finding
from generator.check.rules import iam_catalog
from generator.errors import EnvironmentProblem, UserError

BROKEN_TF = """
terraform {
  backend "s3" {}
}

resource "aws_cloudwatch_dashboard" "main" {
  dashboard_name = "obs"
  dashboard_body = jsonencode(local.body)
}
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).write_text(textwrap.dedent(text))
    return root


def test_rules_only(tmp_path):
    stages: list[str] = []
    root = write(tmp_path, {"main.tf": BROKEN_TF, "bad.tf": "locals {\n  x = \n}\n"})
    report = check(root, terraform=False, checkov=False, progress=stages.append)
    assert stages == ["rules"]
    assert report.stages == ("rules",)
    assert report.module == str(root.resolve())
    assert [(f.rule, f.file, f.line) for f in report.findings] == [
        ("F1", "main.tf", 3),
        ("HCL-PARSE", "bad.tf", 2),
    ]


def test_plan_from_the_runner_feeds_the_rules(tmp_path, monkeypatch):
    from generator.check import terraform

    body = {"widgets": [{"type": "metric", "properties": {"metrics": [["A", "B"]]}}]}
    plan = {
        "planned_values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_cloudwatch_dashboard.main",
                        "mode": "managed",
                        "type": "aws_cloudwatch_dashboard",
                        "name": "main",
                        "values": {"dashboard_name": "obs", "dashboard_body": json.dumps(body)},
                    }
                ]
            }
        }
    }
    fmt = Finding("TF-FMT", Severity.ERROR, "not formatted", "main.tf", 2)
    calls: list[Path] = []

    def fake_run(module_dir, *, run, **options):
        calls.append(module_dir)
        run.start("terraform plan")
        return terraform.TerraformOutcome(findings=(fmt,), plan=plan, stages=("fmt", "plan"))

    monkeypatch.setattr(terraform, "run_terraform", fake_run)
    stages: list[str] = []
    report = check(write(tmp_path, {"main.tf": BROKEN_TF}), checkov=False, progress=stages.append)
    assert calls == [tmp_path.resolve()]
    assert stages == ["terraform plan", "rules"]
    assert report.stages == ("terraform plan", "rules")
    assert [(f.rule, f.line) for f in report.findings] == [("TF-FMT", 2), ("F1", 3), ("F3", 8)]
    assert "region is required" in report.findings[2].message


def test_checkov_stage(tmp_path):
    root = write(
        tmp_path, {"main.tf": 'resource "aws_cloudwatch_log_group" "g" {\n  name = "g"\n}\n'}
    )
    report = check(root, terraform=False)
    assert report.stages == ("rules", "checkov")
    rules = {f.rule for f in report.findings}
    assert {"LOG-RETENTION", "CKV_AWS_158"} <= rules
    assert "CKV_AWS_66" not in rules  # LOG-RETENTION owns retention (docs/rules.md)


def test_not_a_module(tmp_path):
    with pytest.raises(UserError, match="not a directory"):
        check(tmp_path / "missing", terraform=False, checkov=False)
    (tmp_path / "README.md").write_text("no terraform here")
    with pytest.raises(UserError, match=r"no \*\.tf file"):
        check(tmp_path, terraform=False, checkov=False)


def test_missing_hcl_parser_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "hcl2", None)
    with pytest.raises(EnvironmentProblem, match=r"cw-scaffold\[check\]"):
        check(write(tmp_path, {"main.tf": BROKEN_TF}), terraform=False, checkov=False)


def test_missing_action_database_names_the_extra(tmp_path, monkeypatch):
    policy = 'data "aws_iam_policy_document" "d" {\n  statement {\n    actions = ["s3:GetObject"]\n  }\n}\n'
    iam_catalog._catalog.cache_clear()
    monkeypatch.setitem(sys.modules, "policy_sentry", None)
    monkeypatch.setitem(sys.modules, "policy_sentry.shared", None)
    monkeypatch.setitem(sys.modules, "policy_sentry.querying.all", None)
    try:
        with pytest.raises(EnvironmentProblem, match=r"policy_sentry .*cw-scaffold\[check\]"):
            check(write(tmp_path, {"main.tf": policy}), terraform=False, checkov=False)
    finally:
        iam_catalog._catalog.cache_clear()


PLANNED_TF = """
terraform {
  required_version = ">= 1.9"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "environment_suffix" {
  type    = string
  default = "dev"
}

resource "aws_cloudwatch_dashboard" "main" {
  dashboard_name = "obs-${var.environment_suffix}"
  dashboard_body = jsonencode({
    widgets = [{
      type = "metric"
      properties = {
        region  = "us-east-1"
        metrics = [["AWS/ECS", "CPUUtilization", { stat = "Average" }, "ClusterName", "c"]]
      }
    }]
  })
}

resource "aws_kms_key" "logs" {
  enable_key_rotation = var.environment_suffix == "prod"
}
"""


def test_real_terraform_plan_feeds_the_rules(tmp_path):
    """The whole chain on real Terraform: values only the plan knows reach the rules."""
    report = check(write(tmp_path, {"main.tf": PLANNED_TF}), checkov=False)
    assert "terraform plan" in report.stages
    found = {(f.rule, f.line) for f in report.findings}
    assert ("F3", 23) in found  # the body exists only once jsonencode has run
    assert ("KMS-ROTATION", 35) in found  # false only once the condition is evaluated
    assert not any(f.rule.startswith("TF-") for f in report.findings), report.findings


# A stand-in for checkov that, like checkov, only reads: it waits for the check's temporary
# directories (Terraform's copies of the module) to appear, then for them to go, and says
# what it saw before its own minute ran out.
WAITING_CHECKOV = """\
#!{python}
import json, os, sys, time
from pathlib import Path

scratch = Path(os.environ["TMPDIR"])
def copies():
    return [p for p in scratch.iterdir() if p.name.startswith("cw-scaffold-check-")]
deadline = time.monotonic() + 60
while not copies() and time.monotonic() < deadline:
    time.sleep(0.05)
seen = "never appeared" if not copies() else "gone"
while copies() and time.monotonic() < deadline:
    time.sleep(0.05)
if copies():
    seen = "still there"
(scratch / "seen").write_text(seen)
print(json.dumps({{"passed": 0, "failed": 0, "parsing_errors": 0}}))
"""


def test_terraforms_copies_go_as_soon_as_its_stages_end_while_checkov_runs(tmp_path, monkeypatch):
    import shutil
    import tempfile

    # short: a TMPDIR too long for the providers' sockets would move the copies to /tmp
    scratch = Path(tempfile.mkdtemp(prefix="cwt-", dir="/tmp"))
    checkov = tmp_path / "checkov"
    checkov.write_text(WAITING_CHECKOV.format(python=sys.executable))
    checkov.chmod(0o755)
    monkeypatch.setenv("CW_SCAFFOLD_CHECKOV", str(checkov))
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    scanning: list[bool] = []  # whether checkov was scanning as Terraform's stages began
    run_terraform = terraform.run_terraform

    def told_of_checkov(*args: Any, yield_to: Future[Any] | None = None, **kwargs: Any) -> Any:
        scanning.append(yield_to is not None and not yield_to.done())
        return run_terraform(*args, yield_to=yield_to, **kwargs)

    monkeypatch.setattr(terraform, "run_terraform", told_of_checkov)
    try:
        report = check(write(tmp_path, {"main.tf": PLANNED_TF}))
        seen = (scratch / "seen").read_text()
    finally:
        shutil.rmtree(scratch)
    assert report.stages[-1] == "checkov" and "terraform plan" in report.stages
    assert seen == "gone"
    assert scanning == [True], "the tests yield to checkov's scan (terraform._TerraformRun)"
