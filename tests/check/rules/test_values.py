"""AWS-VALUE (rules/values.py): where a rejected planned value is reported, and what the
message says of it. Which values are rejected, and why, is tested with the constraints
(tests/check/test_constraints*.py)."""

from __future__ import annotations

from generator.check.rules import RuleContext
from generator.check.rules.values import attribute_at

ALARM_TF = """\
variable "operator" {
  type    = string
  default = "Bigger"
}

resource "aws_cloudwatch_metric_alarm" "cpu" {
  alarm_name          = "cpu"
  comparison_operator = var.operator
  evaluation_periods  = 1
  threshold           = 1
  metric_query {
    id = "m1"
    metric {
      metric_name = "CPUUtilization"
      namespace   = "AWS/ECS"
      period      = 60
      stat        = "Average"
      unit        = "Bogus"
    }
  }
}
"""
PLANNED = {
    "alarm_name": "cpu",
    "comparison_operator": "Bigger",
    "evaluation_periods": 1,
    "threshold": 1,
    "metric_query": [
        {
            "id": "m1",
            "metric": [
                {
                    "metric_name": "CPUUtilization",
                    "namespace": "AWS/ECS",
                    "period": 60,
                    "stat": "Average",
                    "unit": "Bogus",
                }
            ],
        }
    ],
}


def alarm(plan_of, address="aws_cloudwatch_metric_alarm.cpu"):
    return plan_of({"address": address, "values": PLANNED})


def test_each_rejected_value_at_its_line_with_where_its_variable_got_it(module, run, plan_of):
    found = run("AWS-VALUE", module({"main.tf": ALARM_TF}, plan=alarm(plan_of)))
    assert [(f.line, f.message.split(" ")[1]) for f in found] == [
        (8, "comparison_operator"),
        (18, "metric_query[0].metric[0].unit"),  # inside the nested blocks
    ]
    assert ", set by var.operator's default at main.tf:3 (AWS API: cloudwatch" in found[0].message
    assert "'Bogus' is not one of Seconds" in found[1].message
    assert "set by" not in found[1].message  # a literal: nothing to trace


def test_tfvars_are_named_before_the_default(module, run, plan_of):
    files = {"main.tf": ALARM_TF, "terraform.tfvars": 'operator = "Bigger"\n'}
    (first, _) = run("AWS-VALUE", module(files, plan=alarm(plan_of)))
    assert ", set by var.operator at terraform.tfvars:1 " in first.message


def test_a_value_of_a_child_module_is_reported_at_the_module_call(module, run, plan_of):
    files = {"main.tf": 'module "alarms" {\n  source = "./alarms"\n}\n'}
    plan = alarm(plan_of, "module.alarms.aws_cloudwatch_metric_alarm.cpu")
    found = run("AWS-VALUE", module(files, plan=plan))
    assert {(f.file, f.line) for f in found} == {("main.tf", 1)}
    assert found[0].message.startswith("module.alarms.aws_cloudwatch_metric_alarm.cpu ")
    assert found[0].message.endswith("(AWS API: cloudwatch PutMetricAlarm ComparisonOperator)")


def test_values_from_the_checks_placeholders_are_not_the_modules(tmp_path, module, run, plan_of):
    required = ALARM_TF.replace('  default = "Bigger"\n', "")
    ctx = module({"main.tf": required}, plan=alarm(plan_of))
    invented = RuleContext(tmp_path, ctx.hcl, ctx.plan, placeholders=frozenset({"operator"}))
    assert run("AWS-VALUE", invented) == []
    assert len(run("AWS-VALUE", ctx)) == 2


def test_attribute_at_follows_nested_and_dynamic_blocks(module):
    ctx = module(
        {
            "main.tf": """\
            resource "aws_cloudwatch_metric_alarm" "a" {
              alarm_name = "a"
              dynamic "metric_query" {
                for_each = var.queries
                content {
                  id = "q"
                }
              }
            }
            """
        }
    )
    block = ctx.hcl.find("aws_cloudwatch_metric_alarm.a")
    at, attribute = attribute_at(block, ("metric_query", 0, "id"))
    assert (at.kind, at.line, attribute) == ("content", 5, "id")
    at, attribute = attribute_at(block, ("metric_query", 0, "metric", 0, "unit"))
    assert (at.kind, attribute) == ("content", None)  # not written: the nearest block
    assert attribute_at(block, ("alarm_name",)) == (block, "alarm_name")
