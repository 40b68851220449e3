"""OAM-ROLE: source-account providers must not assume OrganizationAccountAccessRole."""

from __future__ import annotations


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
