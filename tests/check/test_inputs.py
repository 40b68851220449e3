"""Reusable modules (issue 13): required variables nothing sets are planned with
placeholders named in the report; --var and --var-file give values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.check import Inputs, Report, Severity, check
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


def _planned(report: Report) -> dict[str, dict[str, Any]]:
    """Each planned resource's values, by address."""
    assert report.plan is not None
    resources = report.plan["planned_values"]["root_module"]["resources"]
    return {r["address"]: r["values"] for r in resources}


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
    values = _planned(report)
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


# How terraform-aws-modules write reusable modules: inputs default to null (or empty) and go
# straight, or through a local or a function, to arguments the provider requires.
NULL_DEFAULTS = {
    "variables.tf": """\
    variable "alarm_name" {
      type    = string
      default = null
    }

    variable "alarm_rule" {
      type    = string
      default = null
    }

    variable "alarm_description" {
      type    = string
      default = null
    }

    variable "family" {
      type    = string
      default = null
    }

    variable "name" {
      type    = string
      default = ""
    }

    variable "subnet_ids" {
      type     = list(string)
      default  = []
      nullable = false
    }
    """,
    "main.tf": """\
    locals {
      rule = var.alarm_rule
    }

    resource "aws_cloudwatch_composite_alarm" "this" {
      alarm_name        = var.alarm_name
      alarm_rule        = local.rule
      alarm_description = var.alarm_description
    }

    resource "aws_ecs_task_definition" "this" {
      family                = coalesce(var.family, var.name)
      container_definitions = jsonencode([{ name = "app", image = "nginx", essential = true }])
    }

    data "aws_subnet" "this" {
      id = element(var.subnet_ids, 0)
    }
    """,
}


def test_null_and_empty_defaults_a_required_argument_refuses_get_placeholders(
    tmp_path: Path,
) -> None:
    report = check(write_module(tmp_path, NULL_DEFAULTS), checkov=False)
    assert report.errors == () and report.plan is not None
    (note,) = [n.message for n in report.notes if n.rule == "TF-PLAN"]
    assert note == (
        "planned with placeholder values for variables whose null or empty default the"
        " module's arguments refuse: alarm_name, alarm_rule, family, name, subnet_ids"
        " (set them with --var NAME=VALUE or --var-file FILE)"
    )
    values = _planned(report)
    alarm = values["aws_cloudwatch_composite_alarm.this"]
    assert (alarm["alarm_name"], alarm["alarm_rule"]) == ("placeholder", "placeholder")
    assert alarm["alarm_description"] is None  # an optional argument keeps its null default
    assert values["aws_ecs_task_definition.this"]["family"] == "placeholder"


def test_a_null_default_the_plan_accepts_and_a_var_given_are_left_alone(tmp_path: Path) -> None:
    module = write_module(tmp_path, NULL_DEFAULTS)
    given = ("alarm_name=cpu-high", 'subnet_ids=["subnet-1"]', "family=web")
    report = check(module, checkov=False, inputs=Inputs(values=given))
    assert report.errors == ()
    (note,) = [n.message for n in report.notes if n.rule == "TF-PLAN"]
    assert "refuse: alarm_rule (set them" in note  # name is read only when family is null
    assert report.plan is not None
    values = _planned(report)
    assert values["aws_cloudwatch_composite_alarm.this"]["alarm_name"] == "cpu-high"


def test_a_plan_failure_that_reads_no_defaulted_variable_stays_reported(tmp_path: Path) -> None:
    # alike on purpose: each test writes out the module it checks, the HCL is the case
    module = write_module(
        tmp_path,
        {
            "main.tf": """\
            variable "rule" {
              default = null
            }

            variable "create" {
              default = true
            }

            resource "aws_cloudwatch_composite_alarm" "this" {
              alarm_name = var.create ? null : "x"
              alarm_rule = var.rule
            }
            """
        },
    )
    report = check(module, checkov=False)
    # alarm_rule's null is filled; alarm_name's null is the module's own, then
    assert [(f.rule, f.file, f.line) for f in report.errors] == [("TF-PLAN", "main.tf", 10)]
    assert '"alarm_name" is required' in report.errors[0].message


def test_a_placeholder_refused_on_replan_leaves_the_module_s_own_plan_error_reported(
    tmp_path: Path,
) -> None:
    module = write_module(
        tmp_path,
        {
            "main.tf": """\
            variable "names" {
              type    = map(string)
              default = {}
              validation {
                condition     = alltrue([for k in keys(var.names) : can(regex("^(alerts|pages)$", k))])
                error_message = "keys are alerts or pages."
              }
            }

            resource "aws_sns_topic" "this" {
              name = var.names["primary"]
            }
            """
        },
    )
    report = check(module, checkov=False)
    # the module indexes a key its own validation forbids: a bug no placeholder explains
    assert [(f.rule, f.file, f.line) for f in report.errors] == [("TF-PLAN", "main.tf", 11)]
    assert "Invalid index" in report.errors[0].message
    assert report.plan is None
    notes = [n.message for n in report.notes if n.rule == "TF-PLAN"]
    assert notes == [
        (
            "placeholders for names were refused by a validation; the plan failure is"
            " reported as it was without them"
        )
    ]
