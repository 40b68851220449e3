"""Reusable modules (issue 13): required variables nothing sets are planned with
placeholders named in the report; --var and --var-file give values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.check import Inputs, Severity, check
from generator.check.hcl import load_module
from generator.check.inputs import placeholders
from generator.cli import main
from generator.errors import UserError
from tests.helpers.modules import write_module

REUSABLE = {
    "variables.tf": """\
    variable "name" {
      type        = string
      description = "Topic name."
    }

    variable "environment" {
      type = string
      validation {
        condition     = contains(["dev", "prod"], var.environment)
        error_message = "dev or prod."
      }
    }

    variable "retention_days" {
      type = number
      validation {
        condition     = contains([7, 14, 30], var.retention_days)
        error_message = "a retention CloudWatch Logs offers."
      }
    }

    variable "subscribers" {
      type = list(object({
        protocol = string
        endpoint = string
        raw      = optional(bool, false)
      }))
    }

    variable "tags" {
      type    = map(string)
      default = {}
    }
    """,
    "main.tf": """\
    resource "aws_sns_topic" "this" {
      name = "${var.name}-${var.environment}"
      tags = var.tags
    }

    resource "aws_sns_topic_subscription" "this" {
      for_each  = { for s in var.subscribers : s.endpoint => s }
      topic_arn = aws_sns_topic.this.arn
      protocol  = each.value.protocol
      endpoint  = each.value.endpoint
    }

    resource "aws_cloudwatch_log_group" "this" {
      name              = "/topics/${var.name}"
      retention_in_days = var.retention_days
    }
    """,
}


def test_placeholders_follow_types_and_validations(tmp_path: Path) -> None:
    model = load_module(write_module(tmp_path, REUSABLE))
    assert placeholders(model, Inputs()) == {
        "name": "placeholder",
        "environment": "dev",
        "retention_days": 7,
        "subscribers": [{"protocol": "placeholder", "endpoint": "placeholder"}],
    }


def test_a_reusable_module_is_planned_and_the_report_names_the_placeholders(
    tmp_path: Path,
) -> None:
    report = check(write_module(tmp_path, REUSABLE), checkov=False)
    assert report.plan is not None
    (note,) = report.notes
    assert note.message.startswith(
        "planned with placeholder values for the required variables nothing sets:"
        " environment, name, retention_days, subscribers"
    )
    assert report.errors == ()
    values = {
        r["address"]: r["values"] for r in report.plan["planned_values"]["root_module"]["resources"]
    }
    assert values["aws_sns_topic.this"]["name"] == "placeholder-dev"


def test_var_and_var_file_give_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    module = write_module(tmp_path / "module", REUSABLE)
    var_file = tmp_path / "values.tfvars"
    var_file.write_text('name = "orders"\nretention_days = 30\n')
    json_file = tmp_path / "more.tfvars.json"
    json_file.write_text(json.dumps({"subscribers": []}))
    code = main(
        [
            "check",
            str(module),
            "--no-checkov",
            "--format",
            "json",
            "--var-file",
            str(var_file),
            "--var-file",
            str(json_file),
            "--var",
            "environment=prod",
        ]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["findings"] == []  # nothing left to a placeholder


def test_a_placeholder_refused_by_a_validation_is_info_not_an_error(tmp_path: Path) -> None:
    module = write_module(
        tmp_path,
        {
            "main.tf": """\
            variable "code" {
              type = string
              validation {
                condition     = length(var.code) == 3
                error_message = "three letters."
              }
            }

            resource "aws_sns_topic" "this" {
              name = var.code
            }
            """
        },
    )
    report = check(module, checkov=False)
    assert report.errors == ()
    assert any("a placeholder value was refused" in n.message for n in report.notes)
    assert all(n.severity is Severity.INFO for n in report.notes)


def test_a_malformed_var_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="expected NAME=VALUE"):
        check(write_module(tmp_path, REUSABLE), checkov=False, inputs=Inputs(values=("novalue",)))
