"""LOG-GROUP-UNUSED: log groups for an existing cluster that nothing writes to."""

from __future__ import annotations

EXISTING_TF = """
data "aws_ecs_cluster" "this" {
  cluster_name = "platform"
}

resource "aws_cloudwatch_log_group" "service" {
  name = "/ecs/platform/orders"
}
"""


def test_log_groups_nobody_writes_to_are_reported(module, run):
    (found,) = run("LOG-GROUP-UNUSED", module({"logs.tf": EXISTING_TF}))
    assert (found.file, found.line) == ("logs.tf", 6)
    assert "awslogs-group" in found.message


def test_log_groups_of_the_modules_own_tasks_or_cluster_are_silent(module, run):
    written = (
        EXISTING_TF
        + """
resource "aws_ecs_task_definition" "orders" {
  family                = "orders"
  container_definitions = jsonencode([{ logConfiguration = { options = { "awslogs-group" = aws_cloudwatch_log_group.service.name } } }])
}
"""
    )
    assert run("LOG-GROUP-UNUSED", module({"logs.tf": written})) == []
    new_cluster = EXISTING_TF.replace('data "aws_ecs_cluster"', 'resource "aws_ecs_cluster"')
    assert run("LOG-GROUP-UNUSED", module({"logs.tf": new_cluster})) == []


def test_a_log_group_an_eventbridge_rule_writes_to_is_silent(module, run):
    """The module's stopped-task events go to a log group of its own (log_queries.tf)."""
    # alike test_events.py's rule and target on purpose: each rule's module is its own case
    events = (
        EXISTING_TF
        + """
resource "aws_cloudwatch_event_rule" "stopped" {
  name          = "stopped"
  event_pattern = jsonencode({ source = ["aws.ecs"] })
}

resource "aws_cloudwatch_event_target" "log" {
  rule = aws_cloudwatch_event_rule.stopped.name
  arn  = aws_cloudwatch_log_group.service.arn
}
"""
    )
    assert run("LOG-GROUP-UNUSED", module({"logs.tf": events})) == []
    unrelated = events.replace(
        "aws_cloudwatch_log_group.service.arn", '"arn:aws:sns:us-east-1:123456789012:t"'
    )
    assert len(run("LOG-GROUP-UNUSED", module({"logs.tf": unrelated}))) == 1
