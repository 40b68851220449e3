"""F8: toggles (count/for_each conditionals on variables) that no test switches."""

from __future__ import annotations

from generator.check.findings import Severity

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
