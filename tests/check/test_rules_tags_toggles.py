"""F7 (hard-coded Environment tag) and F8 (toggles no test switches)."""

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


TOGGLED_TF = """
variable "source_accounts" {
  type    = map(string)
  default = {}
}

resource "aws_oam_sink" "this" {
  count = length(var.source_accounts) > 0 ? 1 : 0
  name  = "obs"
}

locals {
  cross_account = length(var.source_accounts) > 0
}

resource "aws_oam_sink_policy" "this" {
  for_each        = local.cross_account ? { main = true } : {}
  sink_identifier = aws_oam_sink.this[0].arn
  policy          = "{}"
}
"""


# A root module configures its provider (and usually a backend); a reusable one does not.
PROVIDER_TF = 'provider "aws" {\n  region = "us-east-1"\n}\n'
PLAN_TEST = 'run "plan" {\n  command = plan\n}\n'


def test_toggle_no_test_switches(module, run):
    ctx = module(
        {"main.tf": TOGGLED_TF, "providers.tf": PROVIDER_TF, "tests/plan.tftest.hcl": PLAN_TEST}
    )
    found = run("F8", ctx)
    assert [(f.severity, f.file, f.line) for f in found] == [
        (Severity.WARNING, "main.tf", 8),
        (Severity.WARNING, "main.tf", 17),
    ]
    assert "var.source_accounts = {}" in found[0].message


def test_reusable_module_reports_each_toggle_variable_once_as_info(module, run):
    two_toggles = TOGGLED_TF + (
        'variable "create" {\n  type    = bool\n  default = true\n}\n'
        'resource "aws_sns_topic" "a" {\n  count = var.create ? 1 : 0\n}\n'
        'resource "aws_sns_topic" "b" {\n  count = var.create ? 1 : 0\n}\n'
    )
    found = run("F8", module({"main.tf": two_toggles, "tests/plan.tftest.hcl": PLAN_TEST}))
    assert [(f.severity, f.file, f.line) for f in found] == [
        (Severity.INFO, "main.tf", 21),  # var.create
        (Severity.INFO, "main.tf", 2),  # var.source_accounts
    ]
    assert "aws_sns_topic.a, aws_sns_topic.b" in found[0].message
    assert "aws_oam_sink.this, aws_oam_sink_policy.this" in found[1].message


def test_a_backend_alone_makes_a_root_module(module, run):
    backend = 'terraform {\n  backend "local" {\n    path = "s.tfstate"\n  }\n}\n'
    found = run("F8", module({"main.tf": TOGGLED_TF, "backend.tf": backend}))
    assert {f.severity for f in found} == {Severity.WARNING} and len(found) == 2


def test_toggle_switched_by_a_run(module, run):
    tests = """
    run "single_account" {
      command = plan
    }

    run "cross_account" {
      command = plan
      variables {
        source_accounts = { prod = "012345678901" }
      }
    }
    """
    ctx = module({"main.tf": TOGGLED_TF, "tests/plan.tftest.hcl": tests})
    assert run("F8", ctx) == []


def test_toggle_switched_by_file_level_variables(module, run):
    tests = 'variables {\n  source_accounts = { prod = "012345678901" }\n}\nrun "p" {\n  command = plan\n}\n'
    assert run("F8", module({"main.tf": TOGGLED_TF, "tests/a.tftest.hcl": tests})) == []


def test_for_each_over_data_is_not_a_toggle(module, run):
    hcl = 'resource "aws_sns_topic" "t" {\n  for_each = var.services\n  name = each.key\n}\n'
    assert run("F8", module({"main.tf": hcl})) == []
