"""AWS-VALUE: values the AWS API or the provider would reject, flagged at the attribute's line.

One violation per kind of constraint (enum, pattern, length, range, list length, and the
provider's own rules) for each service family this project uses, each written as a resource
whose planned values carry it; plus the issue's examples through real Terraform, where the
values come from variable defaults and tfvars.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.check import check

ARN = "arn:aws:sns:us-east-1:123456789012:alarms"


def hcl(resource_type: str, values: dict[str, Any]) -> tuple[str, dict[str, int]]:
    """A resource block holding `values` (lists of dicts as nested blocks), and the line of
    each attribute path ("schedule.expression") in it."""
    lines = [f'resource "{resource_type}" "this" {{']
    where: dict[str, int] = {}

    def body(values: dict[str, Any], indent: str, prefix: str) -> None:
        for name, value in values.items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                for item in value:
                    lines.append(f"{indent}{name} {{")
                    where.setdefault(prefix + name, len(lines))
                    body(item, indent + "  ", f"{prefix}{name}.")
                    lines.append(f"{indent}}}")
            else:
                lines.append(f"{indent}{name} = {json.dumps(value)}")
                where[prefix + name] = len(lines)

    body(values, "  ", "")
    lines.append("}")
    return "\n".join(lines) + "\n", where


LONG = "x" * 1025
# (family, kind, resource type, planned values, the attribute at fault, words of the message)
# One literal row a case, each read on its own: rows of one family look alike on purpose.
CASES = [
    # CloudWatch
    (
        "cloudwatch",
        "enum",
        "aws_cloudwatch_metric_alarm",
        {"comparison_operator": "Bigger"},
        "comparison_operator",
        "is not one of",
    ),
    (
        "cloudwatch",
        "range",
        "aws_cloudwatch_metric_alarm",
        {"evaluation_periods": 0},
        "evaluation_periods",
        "below the minimum, 1",
    ),
    (
        "cloudwatch",
        "length",
        "aws_cloudwatch_metric_alarm",
        {"alarm_description": LONG},
        "alarm_description",
        "1025 characters",
    ),
    (
        "cloudwatch",
        "pattern",
        "aws_cloudwatch_metric_alarm",
        {"namespace": ":"},
        "namespace",
        "does not match the pattern",
    ),
    (
        "cloudwatch",
        "list length",
        "aws_cloudwatch_metric_alarm",
        {"alarm_actions": [f"{ARN}{i}" for i in range(6)]},
        "alarm_actions",
        "has 6 items",
    ),
    (
        "cloudwatch",
        "provider",
        "aws_cloudwatch_metric_alarm",
        {"period": 45},
        "period",
        "10, 20, 30 or a multiple of 60",
    ),
    (
        "cloudwatch",
        "provider",
        "aws_cloudwatch_metric_alarm",
        {"treat_missing_data": "ignored"},
        "treat_missing_data",
        "'ignored' is not one of",
    ),
    (
        "cloudwatch",
        "provider",
        "aws_cloudwatch_metric_alarm",
        {"ok_actions": ["alarms-topic"]},
        "ok_actions",
        "is not an ARN",
    ),
    (
        "cloudwatch",
        "provider",
        "aws_cloudwatch_metric_alarm",
        {
            "metric_query": [
                {"id": "m1", "metric": [{"metric_name": "", "stat": "Avg", "period": 60}]}
            ]
        },
        "metric_query.metric.stat",
        "'Avg' is not a statistic",
    ),
    (
        "cloudwatch",
        "list length",
        "aws_cloudwatch_composite_alarm",
        {"alarm_actions": [f"{ARN}{i}" for i in range(6)]},
        "alarm_actions",
        "has 6 items",
    ),
    # CloudWatch Logs
    (
        "logs",
        "enum",
        "aws_cloudwatch_log_group",
        {"log_group_class": "CHEAP"},
        "log_group_class",
        "is not one of",
    ),
    (
        "logs",
        "pattern",
        "aws_cloudwatch_log_metric_filter",
        {"name": "errors:5xx"},
        "name",
        "does not match the pattern",
    ),
    (
        "logs",
        "length",
        "aws_cloudwatch_log_metric_filter",
        {"pattern": LONG},
        "pattern",
        "1025 characters",
    ),
    (
        "logs",
        "provider",
        "aws_cloudwatch_log_group",
        {"retention_in_days": 42},
        "retention_in_days",
        "42 is not one of",
    ),
    # Synthetics
    (
        "synthetics",
        "pattern",
        "aws_synthetics_canary",
        {"execution_role_arn": "role/canary"},
        "execution_role_arn",
        "does not match the pattern",
    ),
    (
        "synthetics",
        "range",
        "aws_synthetics_canary",
        {"run_config": [{"timeout_in_seconds": 900}]},
        "run_config.timeout_in_seconds",
        "above the maximum, 840",
    ),
    (
        "synthetics",
        "length",
        "aws_synthetics_canary",
        {"handler": "a" * 122 + ".handler"},
        "handler",
        "130 characters",
    ),
    (
        "synthetics",
        "enum",
        "aws_synthetics_canary",
        {"artifact_config": [{"s3_encryption": [{"encryption_mode": "KMS"}]}]},
        "artifact_config.s3_encryption.encryption_mode",
        "'KMS' is not one of",
    ),
    (
        "synthetics",
        "list length",
        "aws_synthetics_canary",
        {"vpc_config": [{"security_group_ids": [f"sg-{i}" for i in range(6)]}]},
        "vpc_config.security_group_ids",
        "has 6 items",
    ),
    (
        "synthetics",
        "provider",
        "aws_synthetics_canary",
        {"runtime_version": "syn-nodejs-puppeteer-3.1"},
        "runtime_version",
        "deprecated",
    ),
    (
        "synthetics",
        "provider",
        "aws_synthetics_canary",
        {"schedule": [{"expression": "every 5 minutes"}]},
        "schedule.expression",
        "is not a schedule",
    ),
    # ECS
    (
        "ecs",
        "enum",
        "aws_ecs_cluster",
        {"setting": [{"name": "insights", "value": "enabled"}]},
        "setting.name",
        "is not one of",
    ),
    ("ecs", "enum", "aws_ecs_service", {"launch_type": "SPOT"}, "launch_type", "is not one of"),
    (
        "ecs",
        "range",
        "aws_ecs_cluster_capacity_providers",
        {"default_capacity_provider_strategy": [{"capacity_provider": "FARGATE", "weight": 1001}]},
        "default_capacity_provider_strategy.weight",
        "above the maximum, 1000",
    ),
    (
        "ecs",
        "list length",
        "aws_ecs_task_definition",
        {"requires_compatibilities": ["FARGATE", "LAMBDA"]},
        "requires_compatibilities",
        "'LAMBDA' is not one of",
    ),
    # IAM
    (
        "iam",
        "range",
        "aws_iam_role",
        {"max_session_duration": 60},
        "max_session_duration",
        "below the minimum, 3600",
    ),
    ("iam", "pattern", "aws_iam_role", {"path": "service-role"}, "path", "does not match"),
    (
        "iam",
        "length",
        "aws_iam_role_policy_attachment",
        {"policy_arn": "arn:aws:iam::aws:p"},
        "policy_arn",
        "18 characters",
    ),
    # S3
    (
        "s3",
        "enum",
        "aws_s3_bucket_server_side_encryption_configuration",
        {"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "AES-256"}]}]},
        "rule.apply_server_side_encryption_by_default.sse_algorithm",
        "'AES-256' is not one of",
    ),
    (
        "s3",
        "enum",
        "aws_s3_bucket_lifecycle_configuration",
        {"rule": [{"id": "expire", "status": "On"}]},
        "rule.status",
        "'On' is not one of",
    ),
    # KMS
    ("kms", "enum", "aws_kms_key", {"key_usage": "SIGN"}, "key_usage", "is not one of"),
    (
        "kms",
        "range",
        "aws_kms_key",
        {"rotation_period_in_days": 30},
        "rotation_period_in_days",
        "below the minimum, 90",
    ),
    ("kms", "length", "aws_kms_key", {"description": "d" * 8193}, "description", "8193 characters"),
    (
        "kms",
        "provider",
        "aws_kms_key",
        {"deletion_window_in_days": 3},
        "deletion_window_in_days",
        "outside 7-30",
    ),
    # SNS
    (
        "sns",
        "provider",
        "aws_sns_topic_subscription",
        {"protocol": "mail"},
        "protocol",
        "'mail' is not one of",
    ),
    (
        "sns",
        "provider",
        "aws_sns_topic_subscription",
        {"topic_arn": "alarms"},
        "topic_arn",
        "is not an ARN",
    ),
    # CloudWatch cross-account observability
    ("oam", "pattern", "aws_oam_sink", {"name": "my sink"}, "name", "does not match"),
    (
        "oam",
        "enum",
        "aws_oam_link",
        {"resource_types": ["AWS::Logs::LogGroups"]},
        "resource_types",
        "is not one of",
    ),
    (
        "oam",
        "list length",
        "aws_oam_link",
        {"resource_types": ["AWS::CloudWatch::Metric"] * 51},
        "resource_types",
        "has 51 items",
    ),
    (
        "oam",
        "length",
        "aws_oam_link",
        {"label_template": "l" * 65},
        "label_template",
        "65 characters",
    ),
    # EC2: VPC endpoints, security groups
    (
        "ec2",
        "enum",
        "aws_vpc_endpoint",
        {"vpc_endpoint_type": "interface"},
        "vpc_endpoint_type",
        "'interface' is not one of",
    ),
    (
        "ec2",
        "list length",
        "aws_vpc_endpoint",
        {"dns_options": [{"private_dns_specified_domains": [f"d{i}.x" for i in range(11)]}]},
        "dns_options.private_dns_specified_domains",
        "has 11 items",
    ),
    ("ec2", "provider", "aws_security_group_rule", {"type": "inbound"}, "type", "is not one of"),
    (
        "ec2",
        "provider",
        "aws_subnet",
        {"cidr_block": "10.0.0.1/24"},
        "cidr_block",
        "is not an IPv4 CIDR network address",
    ),
    (
        "ec2",
        "provider",
        "aws_vpc_security_group_ingress_rule",
        {"cidr_ipv4": "10.0.0.5"},
        "cidr_ipv4",
        "is not an IPv4 CIDR network address",
    ),
    (
        "ec2",
        "provider",
        "aws_security_group",
        {"description": "d" * 256},
        "description",
        "256 characters",
    ),
    # EventBridge
    (
        "events",
        "pattern",
        "aws_cloudwatch_event_rule",
        {"name": "my rule"},
        "name",
        "does not match",
    ),
    (
        "events",
        "length",
        "aws_cloudwatch_event_rule",
        {"description": "d" * 513},
        "description",
        "513 characters",
    ),
    ("events", "enum", "aws_cloudwatch_event_rule", {"state": "ON"}, "state", "is not one of"),
    (
        "events",
        "range",
        "aws_cloudwatch_event_target",
        {"retry_policy": [{"maximum_retry_attempts": 200}]},
        "retry_policy.maximum_retry_attempts",
        "above the maximum, 185",
    ),
    (
        "events",
        "provider",
        "aws_cloudwatch_event_rule",
        {"schedule_expression": "rate(5 minute)"},
        "schedule_expression",
        "is not a schedule",
    ),
    # CloudFormation
    (
        "cloudformation",
        "enum",
        "aws_cloudformation_stack_set",
        {"permission_model": "SELF"},
        "permission_model",
        "'SELF' is not one of",
    ),
    (
        "cloudformation",
        "pattern",
        "aws_cloudformation_stack_set_instance",
        {"deployment_targets": [{"organizational_unit_ids": ["ou-bad"]}]},
        "deployment_targets.organizational_unit_ids",
        "does not match",
    ),
    (
        "cloudformation",
        "range",
        "aws_cloudformation_stack_set_instance",
        {"operation_preferences": [{"max_concurrent_percentage": 0}]},
        "operation_preferences.max_concurrent_percentage",
        "below the minimum, 1",
    ),
    (
        "cloudformation",
        "list length",
        "aws_cloudformation_stack",
        {"notification_arns": [f"{ARN}{i}" for i in range(6)]},
        "notification_arns",
        "has 6 items",
    ),
]


@pytest.mark.parametrize(
    ("family", "kind", "resource_type", "values", "attribute", "words"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{c[4]}" for c in CASES],
)
def test_one_violation_per_kind_and_family(
    module, run, plan_of, family, kind, resource_type, values, attribute, words
):
    text, lines = hcl(resource_type, values)
    address = f"{resource_type}.this"
    plan = plan_of({"address": address, "type": resource_type, "name": "this", "values": values})
    (found,) = run("AWS-VALUE", module({"main.tf": text}, plan=plan))
    assert (found.rule, found.file, found.line) == ("AWS-VALUE", "main.tf", lines[attribute])
    assert found.message.startswith(address)
    assert words in found.message
    shown = found.message.split(" ")[1]
    assert shown.replace("[0]", "").split("[")[0] == attribute


def test_every_service_family_has_every_kind_that_its_models_offer():
    kinds = {(c[0], c[1]) for c in CASES}
    for family in (
        "cloudwatch",
        "logs",
        "synthetics",
        "ecs",
        "iam",
        "s3",
        "kms",
        "sns",
        "oam",
        "ec2",
        "events",
        "cloudformation",
    ):
        assert any(f == family for f, _ in kinds), family
    assert {k for _, k in kinds} == {
        "enum",
        "pattern",
        "length",
        "range",
        "list length",
        "provider",
    }


def test_valid_values_and_unknown_values_pass(module, run, plan_of):
    values = {
        "alarm_name": "cpu",
        "comparison_operator": "GreaterThanThreshold",
        "evaluation_periods": 1,
        "period": 300,
        "statistic": "Average",
        "treat_missing_data": "notBreaching",
        "alarm_actions": [ARN, "arn:aws:automate:us-east-1:ec2:stop"],
        "namespace": "AWS/ECS",
        "alarm_description": "",  # empty: unset for the provider
        "ok_actions": None,  # unknown at plan: absent from the plan's values
    }
    text, _ = hcl("aws_cloudwatch_metric_alarm", values)
    plan = plan_of(
        {
            "address": "aws_cloudwatch_metric_alarm.this",
            "type": "aws_cloudwatch_metric_alarm",
            "name": "this",
            "values": values,
        }
    )
    assert run("AWS-VALUE", module({"main.tf": text}, plan=plan)) == []


def test_sensitive_values_are_never_printed(module, run, plan_of):
    values = {"run_config": [{"environment_variables": {"1BAD": "hunter2"}}]}
    text, lines = hcl("aws_synthetics_canary", values)
    resource = {"address": "aws_synthetics_canary.this", "type": "aws_synthetics_canary"}
    plan = plan_of(
        {
            **resource,
            "name": "this",
            "values": values,
            "sensitive_values": {"run_config": [{"environment_variables": True}]},
        }
    )
    (found,) = run("AWS-VALUE", module({"main.tf": text}, plan=plan))
    assert found.line == lines["run_config.environment_variables"]
    assert "1BAD" not in found.message and "hunter2" not in found.message
    assert "(sensitive) value is rejected" in found.message


def test_names_are_left_to_name_limit(module, run, plan_of):
    """One concern, one id: a canary name NAME-LIMIT reports is not reported again."""
    values = {"name": "My Canary"}
    text, _ = hcl("aws_synthetics_canary", values)
    plan = plan_of(
        {
            "address": "aws_synthetics_canary.this",
            "type": "aws_synthetics_canary",
            "name": "this",
            "values": values,
        }
    )
    ctx = module({"main.tf": text}, plan=plan)
    assert run("AWS-VALUE", ctx) == []
    assert [f.rule for f in run("NAME-LIMIT", ctx)] == ["NAME-LIMIT"]


def test_without_a_plan_the_rule_is_silent(module, run):
    text, _ = hcl("aws_cloudwatch_metric_alarm", {"comparison_operator": "Bigger"})
    assert run("AWS-VALUE", module({"main.tf": text})) == []


ISSUE_MODULE = """\
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "statistic" {
  type    = string
  default = "Avg"
}

variable "runtime" {
  type = string
}

resource "aws_sns_topic" "alarms" {
  name = "alarms"
}

resource "aws_cloudwatch_metric_alarm" "cpu" {
  alarm_name          = "cpu-high"
  comparison_operator = "Bigger"
  evaluation_periods  = 0
  period              = 45
  statistic           = var.statistic
  treat_missing_data  = "ignored"
  metric_name         = "CPUUtilization"
  namespace           = "AWS/ECS"
  threshold           = 80
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

resource "aws_synthetics_canary" "api" {
  name                 = "api"
  artifact_s3_location = "s3://bucket/canary/"
  execution_role_arn   = "arn:aws:iam::123456789012:role/canary"
  handler              = "canary.handler"
  zip_file             = "canary.zip"
  runtime_version      = var.runtime

  schedule {
    expression = "every 5 minutes"
  }
}
"""


def test_the_issues_examples_through_real_terraform(tmp_path: Path):
    """Literals, a variable default and a tfvars value all reach the plan and are flagged at
    the attribute; the alarm action, an ARN known only after apply, is not checked."""
    (tmp_path / "main.tf").write_text(ISSUE_MODULE)
    (tmp_path / "terraform.tfvars").write_text('runtime = "syn-nodejs-puppeteer-3.1"\n')
    report = check(tmp_path, checkov=False)
    assert "terraform plan" in report.stages
    found = {
        (f.location(), f.message.split(" ")[1]) for f in report.findings if f.rule == "AWS-VALUE"
    }
    assert found == {
        ("main.tf:29", "comparison_operator"),
        ("main.tf:30", "evaluation_periods"),
        ("main.tf:31", "period"),
        ("main.tf:32", "statistic"),
        ("main.tf:33", "treat_missing_data"),
        ("main.tf:46", "runtime_version"),
        ("main.tf:49", "schedule[0].expression"),
    }
    assert [f.rule for f in report.findings if f.rule != "AWS-VALUE"] == []
    messages = " ".join(f.message for f in report.findings)
    assert "'Avg' is not one of" in messages
    assert ", set by var.statistic's default at main.tf:16" in messages
    assert ", set by var.runtime at terraform.tfvars:1" in messages


def test_values_from_a_dynamic_block_point_at_its_content(module, run, plan_of):
    text = """\
    resource "aws_ecs_cluster" "this" {
      name = "c"

      dynamic "setting" {
        for_each = toset(["insights"])
        content {
          name  = setting.value
          value = "enabled"
        }
      }
    }
    """
    values = {"name": "c", "setting": [{"name": "insights", "value": "enabled"}]}
    plan = plan_of(
        {
            "address": "aws_ecs_cluster.this",
            "type": "aws_ecs_cluster",
            "name": "this",
            "values": values,
        }
    )
    (found,) = run("AWS-VALUE", module({"main.tf": text}, plan=plan))
    assert (found.file, found.line) == ("main.tf", 7)
    assert "setting[0].name 'insights' is not one of containerInsights" in found.message


def test_resources_of_a_child_module_point_at_the_module_call(module, run, plan_of):
    text = 'module "alarms" {\n  source = "./alarms"\n}\n'
    address = "module.alarms.aws_cloudwatch_metric_alarm.this"
    plan = {
        "planned_values": {
            "root_module": {
                "child_modules": [
                    {
                        "address": "module.alarms",
                        "resources": [
                            {
                                "address": address,
                                "mode": "managed",
                                "name": "this",
                                "type": "aws_cloudwatch_metric_alarm",
                                "values": {"statistic": "Avg"},
                            }
                        ],
                    }
                ]
            }
        }
    }
    (found,) = run("AWS-VALUE", module({"main.tf": text}, plan=plan))
    assert (found.file, found.line) == ("main.tf", 1)
    assert found.message.startswith(f"{address} statistic 'Avg'")
