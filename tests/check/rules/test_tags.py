"""F7: an Environment tag written as a literal instead of derived from the suffix."""

from __future__ import annotations

from generator.check.findings import Severity

SUFFIX_TF = """
variable "environment_suffix" {
  type    = string
  default = "dev"
}
"""


def test_environment_in_a_variable_default(module, run):
    ctx = module(
        {
            "variables.tf": SUFFIX_TF
            + """
            variable "additional_tags" {
              type = map(string)
              default = {
                Team        = "obs"
                Environment = "production"
              }
            }
            """
        }
    )
    (found,) = run("F7", ctx)
    assert (found.severity, found.file, found.line) == (Severity.ERROR, "variables.tf", 9)
    assert "var.additional_tags" in found.message
    assert "'production'" in found.message


def test_environment_in_tfvars(module, run):
    ctx = module(
        {
            "variables.tf": SUFFIX_TF,
            "terraform.tfvars": 'environment_suffix = "dev"\nadditional_tags = { Environment = "prod" }\n',
        }
    )
    (found,) = run("F7", ctx)
    assert (found.file, found.line) == ("terraform.tfvars", 2)


def test_literal_that_contradicts_the_suffix(module, run):
    ctx = module(
        {
            "variables.tf": SUFFIX_TF,
            "providers.tf": """
            provider "aws" {
              default_tags {
                tags = { Environment = "prod", ManagedBy = "terraform" }
              }
            }
            """,
            "locals.tf": """
            locals {
              name = "obs"
              tags = merge(var.additional_tags, { Environment = "staging" })
            }
            """,
        }
    )
    found = run("F7", ctx)
    assert [(f.severity, f.file, f.line) for f in found] == [
        (Severity.ERROR, "locals.tf", 4),
        (Severity.ERROR, "providers.tf", 4),
    ]
    assert "local.tags" in found[0].message
    assert "the environment is 'dev'" in found[1].message


def test_literal_equal_to_the_suffix_is_a_warning(module, run):
    ctx = module(
        {
            "variables.tf": SUFFIX_TF,
            "main.tf": 'resource "aws_sns_topic" "t" {\n  tags = { Environment = "dev" }\n}\n',
        }
    )
    (found,) = run("F7", ctx)
    assert (found.severity, found.line) == (Severity.WARNING, 2)


def test_tag_from_the_suffix_passes(module, run):
    ctx = module(
        {
            "variables.tf": SUFFIX_TF,
            "locals.tf": "locals {\n  tags = { Environment = var.environment_suffix }\n}\n",
        }
    )
    assert run("F7", ctx) == []
