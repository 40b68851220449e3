"""What every rule shares (rules/base.py): the Rule protocol and the registry, finding(), the
placeholder taint, and the helpers that read a value from the plan, else from the HCL."""

from __future__ import annotations

import re
from pathlib import Path

from generator.check.findings import Severity
from generator.check.rules import RULES, RuleContext
from generator.check.rules.base import (
    block_of,
    finding,
    known_instances,
    known_resources,
    known_values,
    literal_values,
    plan_instances,
    rejected_by_aws_value,
    resolve_variable,
)
from generator.check.rules.security import LogRetention

ROOT = Path(__file__).resolve().parents[3]

GROUPS_TF = """
variable "days" {
  type    = number
  default = 7
}

resource "aws_cloudwatch_log_group" "literal" {
  name              = "/obs/literal"
  retention_in_days = 30
}

resource "aws_cloudwatch_log_group" "from_variable" {
  count             = 2
  name              = "/obs/v${count.index}"
  retention_in_days = var.days
}

resource "aws_cloudwatch_log_group" "unset" {
  name = "/obs/unset"
}
"""


def test_every_rule_has_an_id_a_severity_and_a_description():
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id
        assert isinstance(rule.severity, Severity), rule_id
        assert rule.description and rule.description == rule.description.strip(), rule_id


def test_the_rules_doc_lists_every_rule_as_the_registry_does():
    text = (ROOT / "docs" / "rules.md").read_text()
    rows = re.findall(r"^\| `([A-Z0-9-]+)` \| (error|warning|info) \| (.+) \|$", text, re.MULTILINE)
    assert rows == [(r.id, r.severity.value, r.description) for r in RULES.values()]


def test_each_rules_module_has_its_own_test_module():
    sources = {p.stem for p in (ROOT / "generator" / "check" / "rules").glob("*.py")}
    tests = {p.stem for p in Path(__file__).parent.glob("test_*.py")}
    assert tests == {f"test_{name}" for name in sources - {"__init__"}}


def test_finding_is_at_the_block_its_attribute_or_a_file_line(module):
    ctx = module({"main.tf": GROUPS_TF})
    rule = LogRetention()
    group = ctx.hcl.find("aws_cloudwatch_log_group.literal")
    assert group is not None
    at_block = finding(rule, "m", group)
    assert (at_block.rule, at_block.severity, at_block.file, at_block.line) == (
        "LOG-RETENTION",
        Severity.WARNING,  # the rule's own severity
        "main.tf",
        7,
    )
    at_attribute = finding(rule, "m", group, Severity.ERROR, attribute="retention_in_days")
    assert (at_attribute.severity, at_attribute.line) == (Severity.ERROR, 9)
    elsewhere = finding(rule, "m", file="terraform.tfvars", line=3)
    assert (elsewhere.file, elsewhere.line) == ("terraform.tfvars", 3)
    assert finding(rule, "m").location() == "-"


def test_known_values_without_a_plan_are_the_literals(module):
    ctx = module({"main.tf": GROUPS_TF})
    values = {
        name: known_values(
            ctx, ctx.hcl.find(f"aws_cloudwatch_log_group.{name}"), "retention_in_days"
        )
        for name in ("literal", "from_variable", "unset")
    }
    # an expression without a plan is not known: nothing, rather than a guess
    assert values == {"literal": [30], "from_variable": [], "unset": [None]}


def test_known_values_with_a_plan_are_each_instances(module, plan_of):
    plan = plan_of(
        *(
            {
                "address": f"aws_cloudwatch_log_group.from_variable[{i}]",
                "index": i,
                "values": {"name": f"/obs/v{i}", "retention_in_days": 7},
            }
            for i in range(2)
        )
    )
    ctx = module({"main.tf": GROUPS_TF}, plan=plan)
    block = ctx.hcl.find("aws_cloudwatch_log_group.from_variable")
    assert known_values(ctx, block, "retention_in_days") == [7, 7]
    assert [v["name"] for v in known_instances(ctx, block)] == ["/obs/v0", "/obs/v1"]
    # the plan is the truth: a block it does not plan (count = 0) has no values
    assert known_values(ctx, ctx.hcl.find("aws_cloudwatch_log_group.literal"), "name") == []


def test_literal_values_have_the_plans_shape(module):
    ctx = module(
        {
            "main.tf": """
            resource "aws_cloudwatch_metric_alarm" "a" {
              alarm_name = "cpu"
              period     = var.period
              metric_query {
                id = "m1"
                metric {
                  period = 60
                  stat   = var.stat
                }
              }
              dynamic "metric_query" {
                for_each = var.extra
                content {
                  id         = "e1"
                  expression = "SUM(METRICS())"
                }
              }
            }
            """
        }
    )
    values = literal_values(ctx.hcl.find("aws_cloudwatch_metric_alarm.a"))
    assert values == {
        "alarm_name": "cpu",
        "metric_query": [
            {"id": "m1", "metric": [{"period": 60}]},
            {"id": "e1", "expression": "SUM(METRICS())"},
        ],
    }


def test_known_resources_follow_the_plan_into_child_modules(module, plan_of):
    files = {
        "main.tf": """
        resource "aws_sns_topic" "alarms" {
          name = "alarms"
        }

        module "more" {
          source = "./more"
        }
        """
    }
    assert [(a, v) for a, _, v in known_resources(module(files), "aws_sns_topic")] == [
        ("aws_sns_topic.alarms", {"name": "alarms"})
    ]
    plan = plan_of(
        {
            "address": "module.more.aws_sns_topic.pages",
            "values": {"name": "pages"},
        }
    )
    ((address, block, values),) = known_resources(module(files, plan=plan), "aws_sns_topic")
    assert (address, values) == ("module.more.aws_sns_topic.pages", {"name": "pages"})
    assert block is not None and block.address == "module.more"  # where a fix would start


def test_block_of_and_plan_instances(module, plan_of):
    plan = plan_of(
        {"address": 'aws_sns_topic.per["a"]', "values": {"name": "a"}},
        {"address": "aws_sns_topic.other"},
    )
    ctx = module(
        {"main.tf": 'resource "aws_sns_topic" "per" {\n  for_each = toset(["a"])\n}\n'}, plan=plan
    )
    assert block_of(ctx, 'aws_sns_topic.per["a"]') == ctx.hcl.find("aws_sns_topic.per")
    assert block_of(ctx, "aws_sns_topic.gone") is None
    assert [r["values"] for r in plan_instances(plan, "aws_sns_topic.per")] == [{"name": "a"}]


def test_resolve_variable_takes_tfvars_over_the_default(module):
    ctx = module(
        {
            "main.tf": 'variable "keep" {\n  default = false\n}\nvariable "name" {\n  default = "x"\n}\n',
            "terraform.tfvars": "keep = true\n",
        }
    )
    assert resolve_variable(ctx, "${var.keep}") is True
    assert resolve_variable(ctx, "${var.name}") == "x"
    assert resolve_variable(ctx, "${var.name}-suffix") == "${var.name}-suffix"  # not one variable
    assert resolve_variable(ctx, 3) == 3


def test_placeholder_variables_taint_the_locals_built_from_them(tmp_path, module):
    files = {
        "main.tf": """
        variable "vpc_id" {
          type = string
        }

        locals {
          vpc   = var.vpc_id
          again = local.vpc
          fixed = "vpc-1"
        }

        resource "aws_security_group" "tainted" {
          vpc_id = local.again
        }

        resource "aws_security_group" "clean" {
          vpc_id = local.fixed
        }
        """
    }
    ctx = module(files)
    tainted = RuleContext(tmp_path, ctx.hcl, placeholders=frozenset({"vpc_id"}))
    assert tainted.invented(ctx.hcl.find("aws_security_group.tainted"))
    assert not tainted.invented(ctx.hcl.find("aws_security_group.clean"))
    assert not ctx.invented(ctx.hcl.find("aws_security_group.tainted"))  # no placeholders


def test_monitors_existing_cluster(module):
    looked_up = module({"main.tf": 'data "aws_ecs_cluster" "c" {\n  cluster_name = "x"\n}\n'})
    assert looked_up.monitors_existing_cluster()
    created = module({"main.tf": 'resource "aws_ecs_cluster" "c" {\n  name = "x"\n}\n'})
    assert not created.monitors_existing_cluster()


def test_rejected_by_aws_value_needs_a_plan(module, plan_of):
    bad = {"comparison_operator": "Bigger"}
    alarm = {
        "address": "aws_cloudwatch_metric_alarm.a",
    }
    with_plan = module({"main.tf": "\n"}, plan=plan_of({**alarm, "values": bad}))
    assert rejected_by_aws_value(with_plan, "aws_cloudwatch_metric_alarm", bad)
    ok = {"comparison_operator": "GreaterThanThreshold"}
    assert not rejected_by_aws_value(with_plan, "aws_cloudwatch_metric_alarm", ok)
    assert not rejected_by_aws_value(module({"main.tf": "\n"}), "aws_cloudwatch_metric_alarm", bad)
