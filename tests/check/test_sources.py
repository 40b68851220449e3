"""Module sources (issue 13): local sources resolve within the repository, installed remote
modules are used as `terraform init` left them, and anything else is refused (exit 2)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from generator.check import CannotCheck, check
from generator.check.sources import module_tree
from generator.cli import main
from tests.helpers.modules import write_module

METRIC_ALARM = {
    "modules/metric-alarm/main.tf": """\
    variable "name" {
      type = string
    }

    resource "aws_cloudwatch_metric_alarm" "this" {
      alarm_name          = var.name
      comparison_operator = "GreaterThanThreshold"
      evaluation_periods  = 1
      metric_name         = "CPUUtilization"
      namespace           = "AWS/ECS"
      period              = 60
      statistic           = "Average"
      threshold           = 80
    }

    output "arn" {
      value = aws_cloudwatch_metric_alarm.this.arn
    }
    """,
    "examples/complete/main.tf": """\
    provider "aws" {
      region = "eu-west-1"
    }

    module "alarm" {
      source = "../../modules/metric-alarm"
      name   = "cpu-high"
    }

    output "alarm_arn" {
      value = module.alarm.arn
    }
    """,
    "unrelated/huge.bin": "not copied",
}


def repository(root: Path, files: dict[str, str]) -> Path:
    write_module(root, files)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def planned(plan: dict, module: str) -> list[str]:
    children = plan["planned_values"]["root_module"].get("child_modules", [])
    return [r["address"] for c in children if c["address"] == module for r in c["resources"]]


def test_an_example_using_a_sibling_module_reaches_a_plan(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo", METRIC_ALARM)
    example = repo / "examples" / "complete"
    tree = module_tree(example)
    assert tree.root == repo
    assert tree.directories == (example, repo / "modules" / "metric-alarm")
    report = check(example, checkov=False)
    assert report.findings == ()
    assert report.plan is not None
    assert planned(report.plan, "module.alarm") == ["module.alarm.aws_cloudwatch_metric_alarm.this"]


def test_a_source_outside_the_repository_exits_2(tmp_path: Path, capsys) -> None:
    write_module(tmp_path, {"outside/main.tf": 'output "x" {\n  value = 1\n}\n'})
    repo = repository(tmp_path / "repo", {"main.tf": 'module "x" {\n  source = "../outside"\n}\n'})
    assert main(["check", str(repo), "--no-checkov"]) == 2
    err = capsys.readouterr().err
    assert (
        f'module "x" (main.tf:1) has the source ../outside, which lies outside its repository {repo}'
        in err
    )


def test_without_a_repository_the_module_directory_is_the_boundary(tmp_path: Path) -> None:
    write_module(tmp_path, METRIC_ALARM)
    with pytest.raises(CannotCheck, match="outside the directory"):
        module_tree(tmp_path / "examples" / "complete")


def test_installed_remote_modules_are_used_without_downloading(tmp_path: Path) -> None:
    """A registry module that `terraform init` installed: the check plans with it, and
    init -get=false installs nothing (there is no network here to install it from)."""
    module = write_module(
        tmp_path / "root",
        {
            "main.tf": """\
            provider "aws" {
              region = "eu-west-1"
            }

            module "topic" {
              source  = "example-org/topic/aws"
              version = "1.0.0"
              name    = "orders"
            }
            """,
            ".terraform/modules/topic/main.tf": """\
            variable "name" {
              type = string
            }

            resource "aws_sns_topic" "this" {
              name = var.name
            }
            """,
        },
    )
    records = [
        {"Key": "", "Source": "", "Dir": "."},
        {
            "Key": "topic",
            "Source": "registry.terraform.io/example-org/topic/aws",
            "Version": "1.0.0",
            "Dir": ".terraform/modules/topic",
        },
    ]
    (module / ".terraform/modules/modules.json").write_text(json.dumps({"Modules": records}))
    report = check(module, checkov=False)
    assert [f for f in report.findings if f.severity.value == "error"] == []
    assert report.plan is not None
    assert planned(report.plan, "module.topic") == ["module.topic.aws_sns_topic.this"]
    assert not (module / ".terraform.lock.hcl").exists(), "the user's directory is untouched"


def test_a_remote_module_missing_from_the_installed_ones_exits_2(tmp_path: Path) -> None:
    module = write_module(
        tmp_path,
        {
            "main.tf": 'module "a" {\n  source = "example-org/a/aws"\n}\n',
            ".terraform/modules/modules.json": '{"Modules": [{"Key": "", "Source": "", "Dir": "."}]}',
        },
    )
    with pytest.raises(CannotCheck, match=r'module "a" \(main.tf:1\) has the remote source'):
        check(module, checkov=False)


def test_a_link_out_of_the_repository_exits_2(tmp_path: Path) -> None:
    secret = write_module(tmp_path / "elsewhere", {"secret.tf": 'locals {\n  s = "x"\n}\n'})
    repo = repository(tmp_path / "repo", {"main.tf": "locals {\n  a = 1\n}\n"})
    (repo / "linked.tf").symlink_to(secret / "secret.tf")
    with pytest.raises(CannotCheck, match=r"linked.tf is a link to .*elsewhere/secret.tf"):
        check(repo, checkov=False)
