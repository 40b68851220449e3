"""OAM rules: OAM-ROLE (source-account providers must not assume
OrganizationAccountAccessRole), and the organization-era rules (issue 16): an open sink policy,
link types the sink does not allow, a SELF_MANAGED StackSet for an organization, and a second
sink in a Region. Each is caught on a minimal module with its id and file:line, and is silent
on the fixed one.
"""

from __future__ import annotations

import json
from typing import Any


def test_the_organization_admin_role_is_reported_literal_or_from_a_variable(module, run):
    ctx = module(
        {
            "providers.tf": """
            provider "aws" {
              alias = "literal"
              assume_role {
                role_arn = "arn:aws:iam::012345678901:role/OrganizationAccountAccessRole"
              }
            }

            provider "aws" {
              alias = "variable"
              assume_role {
                role_arn = "arn:aws:iam::012345678901:role/${var.source_account_role}"
              }
            }

            variable "source_account_role" {
              type    = string
              default = "OrganizationAccountAccessRole"
            }
            """
        }
    )
    found = run("OAM-ROLE", ctx)
    assert [(f.file, f.line) for f in found] == [
        ("providers.tf", 5),
        ("providers.tf", 12),
    ]
    assert "aws.literal" in found[0].message and "management" in found[0].message


def test_a_dedicated_role_is_silent(module, run):
    # alike on purpose: each test writes out the module it checks, the HCL is the case
    ctx = module(
        {
            "providers.tf": """
            provider "aws" {
              alias = "source"
              assume_role {
                role_arn = "arn:aws:iam::012345678901:role/${var.source_account_role}"
              }
            }
            """,
            "terraform.tfvars": 'source_account_role = "shop-oam-link"\n',
        }
    )
    assert run("OAM-ROLE", ctx) == []


LINK_TF = """
locals {
  types = ["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup"]
}

resource "aws_oam_link" "payments" {
  label_template  = "$AccountName"
  resource_types  = local.types
  sink_identifier = "arn:aws:oam:us-east-1:123456789012:sink/x"
}
"""


def test_a_link_without_filters_is_reported(module, run):
    (found,) = run("OAM-SHARES-ALL", module({"cross_account.tf": LINK_TF}))
    assert (found.file, found.line) == ("cross_account.tf", 6)
    assert "every metric and every log group" in found.message


def test_a_filtered_link_is_silent(module, run):
    tf = LINK_TF.replace(
        '  sink_identifier = "arn:aws:oam:us-east-1:123456789012:sink/x"\n',
        '  sink_identifier = "arn:aws:oam:us-east-1:123456789012:sink/x"\n'
        "  link_configuration {\n"
        "    metric_configuration {\n"
        "      filter = \"Namespace IN ('AWS/ECS')\"\n"
        "    }\n"
        "    log_group_configuration {\n"
        "      filter = \"LogGroupName LIKE '/ecs/%'\"\n"
        "    }\n"
        "  }\n",
    )
    assert run("OAM-SHARES-ALL", module({"cross_account.tf": tf})) == []


SINK_TF = """
resource "aws_oam_sink" "this" {
  name = "monitoring"
}

resource "aws_oam_sink_policy" "this" {
  sink_identifier = aws_oam_sink.this.arn
  policy          = data.aws_iam_policy_document.sink.json
}
"""

TYPES = ["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup"]


def _policy(principal: Any, condition: dict[str, Any]) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["oam:CreateLink", "oam:UpdateLink"],
                "Resource": "*",
                "Principal": principal,
                "Condition": {
                    "ForAllValues:StringEquals": {"oam:ResourceTypes": TYPES},
                    **condition,
                },
            }
        ],
    }


def _sink_policy(document: dict[str, Any]) -> dict[str, Any]:
    return {
        "address": "aws_oam_sink_policy.this",
        "type": "aws_oam_sink_policy",
        "name": "this",
        "values": {"policy": json.dumps(document)},
    }


ORGANIZATION = {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}


def test_a_sink_policy_open_to_every_account_is_reported(module, run, plan_of):
    plan = plan_of(_sink_policy(_policy("*", {})))
    (found,) = run("OAM-SINK-OPEN", module({"oam.tf": SINK_TF}, plan=plan))
    assert (found.file, found.line) == ("oam.tf", 8)
    assert "any AWS account" in found.message and "aws:PrincipalOrgID" in found.message


def test_a_sink_policy_restricted_to_accounts_or_an_organization_is_silent(module, run, plan_of):
    for document in (
        _policy("*", ORGANIZATION),
        _policy(
            "*",
            {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/*"]}},
        ),
        _policy({"AWS": ["012345678901"]}, {}),
    ):
        plan = plan_of(_sink_policy(document))
        assert run("OAM-SINK-OPEN", module({"oam.tf": SINK_TF}, plan=plan)) == []


TYPED_LINK_TF = """
resource "aws_oam_link" "payments" {
  label_template  = "$AccountName"
  resource_types  = var.types
  sink_identifier = "arn:aws:oam:us-east-1:123456789012:sink/x"
}
"""


def _link(types: list[str]) -> dict[str, Any]:
    return {
        "address": "aws_oam_link.payments",
        "type": "aws_oam_link",
        "name": "payments",
        "values": {"resource_types": types},
    }


def test_a_link_sharing_a_type_the_sink_refuses_is_reported(module, run, plan_of):
    plan = plan_of(_sink_policy(_policy("*", ORGANIZATION)), _link([*TYPES, "AWS::XRay::Trace"]))
    ctx = module({"oam.tf": SINK_TF, "link.tf": TYPED_LINK_TF}, plan=plan)
    (found,) = run("OAM-LINK-TYPES", ctx)
    assert (found.file, found.line) == ("link.tf", 2)
    assert "AWS::XRay::Trace" in found.message and "AccessDenied" in found.message
    allowed = plan_of(_sink_policy(_policy("*", ORGANIZATION)), _link(TYPES))
    assert (
        run(
            "OAM-LINK-TYPES",
            module({"oam.tf": SINK_TF, "link.tf": TYPED_LINK_TF}, plan=allowed),
        )
        == []
    )


STACK_SET_TF = """
resource "aws_cloudformation_stack_set" "links" {
  name             = "oam-links"
  permission_model = var.model
  template_body    = var.body
}
"""


def _stack_set(model: str | None, types: list[str]) -> dict[str, Any]:
    template = {
        "Resources": {
            "Link": {
                "Type": "AWS::Oam::Link",
                "Properties": {
                    "ResourceTypes": types,
                    "SinkIdentifier": {"Ref": "SinkArn"},
                },
            }
        }
    }
    return {
        "address": "aws_cloudformation_stack_set.links",
        "type": "aws_cloudformation_stack_set",
        "name": "links",
        "values": {
            "name": "oam-links",
            "permission_model": model,
            "template_body": json.dumps(template),
        },
    }


def test_a_stack_set_template_sharing_a_refused_type_is_reported(module, run, plan_of):
    plan = plan_of(
        _sink_policy(_policy("*", ORGANIZATION)),
        _stack_set("SERVICE_MANAGED", [*TYPES, "AWS::ApplicationInsights::Application"]),
    )
    (found,) = run("OAM-LINK-TYPES", module({"oam.tf": SINK_TF, "set.tf": STACK_SET_TF}, plan=plan))
    assert (found.file, found.line) == ("set.tf", 2)
    assert "template resource Link" in found.message
    assert "AWS::ApplicationInsights::Application" in found.message


def test_a_self_managed_stack_set_for_an_organization_is_reported(module, run, plan_of):
    files = {"oam.tf": SINK_TF, "set.tf": STACK_SET_TF}
    for model in ("SELF_MANAGED", None):  # the provider's default is SELF_MANAGED
        plan = plan_of(_sink_policy(_policy("*", ORGANIZATION)), _stack_set(model, TYPES))
        (found,) = run("OAM-STACKSET-MODEL", module(files, plan=plan))
        assert (found.file, found.line) == ("set.tf", 4)
        assert "SERVICE_MANAGED" in found.message and "auto_deployment" in found.message
    fixed = plan_of(_sink_policy(_policy("*", ORGANIZATION)), _stack_set("SERVICE_MANAGED", TYPES))
    assert run("OAM-STACKSET-MODEL", module(files, plan=fixed)) == []


def test_a_self_managed_stack_set_targeting_ous_is_reported(module, run, plan_of):
    instance = {
        "address": "aws_cloudformation_stack_set_instance.ou",
        "type": "aws_cloudformation_stack_set_instance",
        "name": "ou",
        "values": {
            "stack_set_name": "oam-links",
            "deployment_targets": [{"organizational_unit_ids": ["ou-ab12-cdef3456"]}],
        },
    }
    other = {**_stack_set("SELF_MANAGED", TYPES)}
    other["values"] = {**other["values"], "template_body": "{}"}  # no OAM link in it
    plan = plan_of(other, instance)
    (found,) = run("OAM-STACKSET-MODEL", module({"set.tf": STACK_SET_TF}, plan=plan))
    assert found.file == "set.tf"
    # Account targets without an organization sink: self-managed is fine.
    plan = plan_of(other)
    assert run("OAM-STACKSET-MODEL", module({"set.tf": STACK_SET_TF}, plan=plan)) == []


TWO_SINKS_TF = """
resource "aws_oam_sink" "this" {
  name = "monitoring"
}

resource "aws_oam_sink" "again" {
  name = "monitoring-2"
}

resource "aws_oam_sink" "west" {
  provider = aws.west
  name     = "monitoring-west"
}
"""


def test_a_second_sink_in_a_region_is_reported(module, run):
    (found,) = run("OAM-SINKS", module({"oam.tf": TWO_SINKS_TF}))
    assert (found.file, found.line) == ("oam.tf", 6)
    assert "aws_oam_sink.again" in found.message and "aws_oam_sink.this" in found.message


def test_sinks_from_for_each_are_counted_from_the_plan(module, run, plan_of):
    tf = 'resource "aws_oam_sink" "each" {\n  for_each = var.names\n  name     = each.key\n}\n'
    plan = plan_of(
        *(
            {
                "address": f'aws_oam_sink.each["{n}"]',
                "type": "aws_oam_sink",
                "name": "each",
            }
            for n in ("a", "b")
        )
    )
    (found,) = run("OAM-SINKS", module({"oam.tf": tf}, plan=plan))
    assert 'aws_oam_sink.each["b"]' in found.message
    assert run("OAM-SINKS", module({"oam.tf": tf})) == [], "unknown without a plan: silent"
