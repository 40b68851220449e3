"""F4 (canary in a VPC without ENI permissions) and IAM-ACTION (actions that exist)."""

from __future__ import annotations

import json

from generator.check.findings import Severity

CANARY_TF = """
resource "aws_iam_role" "canary" {
  name               = "canary"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_synthetics_canary" "api" {
  name                 = "api"
  artifact_s3_location = "s3://bucket/canary/"
  execution_role_arn   = aws_iam_role.canary.arn
  handler              = "canary.handler"
  runtime_version      = "syn-python-selenium-6.0"
  schedule {
    expression = "rate(5 minutes)"
  }
  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = [aws_security_group.canary.id]
  }
}
"""

DOCUMENT_POLICY_TF = """
resource "aws_iam_role_policy" "canary" {
  role   = aws_iam_role.canary.id
  policy = data.aws_iam_policy_document.canary.json
}

data "aws_iam_policy_document" "canary" {
  statement {
    actions   = [%s]
    resources = ["*"]
  }
}
"""


def test_canary_in_vpc_without_eni_actions(module, run):
    policy = DOCUMENT_POLICY_TF % '"s3:PutObject", "ec2:DescribeNetworkInterfaces"'
    ctx = module({"canaries.tf": CANARY_TF, "iam.tf": policy})
    (found,) = run("F4", ctx)
    assert (found.severity, found.file, found.line) == (Severity.ERROR, "canaries.tf", 17)
    assert "ec2:CreateNetworkInterface, ec2:DeleteNetworkInterface" in found.message
    assert "aws_iam_role.canary" in found.message


def test_canary_in_vpc_with_eni_actions_passes(module, run):
    actions = '"ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface"'
    ctx = module({"canaries.tf": CANARY_TF, "iam.tf": DOCUMENT_POLICY_TF % actions})
    assert run("F4", ctx) == []


def test_wildcards_count(module, run):
    ctx = module(
        {"canaries.tf": CANARY_TF, "iam.tf": DOCUMENT_POLICY_TF % '"ec2:*NetworkInterface*"'}
    )
    assert run("F4", ctx) == []


def test_managed_vpc_access_policy_counts(module, run):
    attachment = """
    resource "aws_iam_role_policy_attachment" "vpc" {
      role       = aws_iam_role.canary.name
      policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
    }
    """
    assert run("F4", module({"canaries.tf": CANARY_TF, "iam.tf": attachment})) == []


def test_jsonencode_policy_read_from_the_hcl(module, run):
    policy = """
    resource "aws_iam_policy" "canary" {
      name = "canary"
      policy = jsonencode({
        Version   = "2012-10-17"
        Statement = [{ Effect = "Allow", Action = ["s3:PutObject"], Resource = "*" }]
      })
    }
    resource "aws_iam_role_policy_attachment" "canary" {
      role       = aws_iam_role.canary.name
      policy_arn = aws_iam_policy.canary.arn
    }
    """
    (found,) = run("F4", module({"canaries.tf": CANARY_TF, "iam.tf": policy}))
    assert found.severity is Severity.ERROR


def test_policy_from_locals_without_a_plan_is_a_warning(module, run):
    policy = """
    resource "aws_iam_role_policy" "canary" {
      role   = aws_iam_role.canary.id
      policy = jsonencode({ Statement = [{ Effect = "Allow", Action = local.actions, Resource = "*" }] })
    }
    """
    (found,) = run("F4", module({"canaries.tf": CANARY_TF, "iam.tf": policy}))
    assert found.severity is Severity.WARNING


def test_plan_json_policy_is_preferred(module, run, plan_of):
    policy = """
    resource "aws_iam_role_policy" "canary" {
      role   = aws_iam_role.canary.id
      policy = jsonencode({ Statement = [{ Effect = "Allow", Action = local.actions, Resource = "*" }] })
    }
    """
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["ec2:*"], "Resource": "*"}],
    }
    plan = plan_of(
        {
            "address": "aws_iam_role_policy.canary",
            "values": {"policy": json.dumps(document)},
        }
    )
    assert run("F4", module({"canaries.tf": CANARY_TF, "iam.tf": policy}, plan=plan)) == []


def test_canary_outside_a_vpc_or_with_a_foreign_role_is_not_reported(module, run):
    no_vpc = CANARY_TF.replace("vpc_config", "artifact_config")
    assert run("F4", module({"canaries.tf": no_vpc})) == []
    foreign = CANARY_TF.replace("aws_iam_role.canary.arn", "var.canary_role_arn")
    assert run("F4", module({"canaries.tf": foreign})) == []


def test_unknown_actions_in_a_policy_document(module, run):
    ctx = module(
        {
            "iam.tf": DOCUMENT_POLICY_TF
            % '"s3:PutObjekt", "ec2:*NetworkInterfaceZ*", "logs:CreateLogStream", "s3:Get*", "nope"'
        }
    )
    found = run("IAM-ACTION", ctx)
    assert [f.message.split(": ", 1)[1] for f in found] == [
        "'s3:PutObjekt' is not a known s3 action: check the spelling",
        "'ec2:*NetworkInterfaceZ*' matches no ec2 action",
        "'nope' is not of the form service:Action",
    ]
    assert {(f.file, f.line) for f in found} == {("iam.tf", 9)}  # the statement's actions


def test_unknown_service_prefix_is_a_warning(module, run):
    (found,) = run("IAM-ACTION", module({"iam.tf": DOCUMENT_POLICY_TF % '"nosuchservice:Do"'}))
    assert found.severity is Severity.WARNING


def test_actions_in_plan_policies(module, run, plan_of):
    hcl = """
    resource "aws_sns_topic_policy" "alarms" {
      arn    = aws_sns_topic.alarms.arn
      policy = jsonencode(local.topic_policy)
    }
    """
    document = {"Statement": [{"Effect": "Allow", "Action": ["sns:Publish", "sns:Publsh"]}]}
    plan = plan_of(
        {
            "address": "aws_sns_topic_policy.alarms",
            "values": {"policy": json.dumps(document)},
        }
    )
    (found,) = run("IAM-ACTION", module({"sns.tf": hcl}, plan=plan))
    assert "sns:Publsh" in found.message
    assert (found.file, found.line) == ("sns.tf", 4)


def test_literal_heredoc_policy_without_a_plan(module, run):
    hcl = """
    resource "aws_iam_policy" "p" {
      name   = "p"
      policy = <<-EOT
        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Action": "cloudwatch:PutMetricDataa", "Resource": "*"}]}
      EOT
    }
    """
    (found,) = run("IAM-ACTION", module({"iam.tf": hcl}))
    assert "cloudwatch:PutMetricDataa" in found.message


def test_valid_actions_pass(module, run):
    actions = (
        '"s3:PutObject", "s3:Get*", "oam:CreateLink", "synthetics:*", "*", "xray:PutTraceSegments"'
    )
    assert run("IAM-ACTION", module({"iam.tf": DOCUMENT_POLICY_TF % actions})) == []


def test_dynamic_vpc_config_counts_as_a_vpc(module, run):
    dynamic = CANARY_TF.replace(
        "  vpc_config {",
        '  dynamic "vpc_config" {\n    for_each = var.in_vpc ? [1] : []\n    content {',
    ).replace(
        "security_group_ids = [aws_security_group.canary.id]\n  }",
        "security_group_ids = []\n    }\n  }",
    )
    assert len(run("F4", module({"canaries.tf": dynamic}))) == 1
