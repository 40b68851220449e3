"""F3: dashboard bodies, from the plan JSON or from literal JSON in the HCL."""

from __future__ import annotations

import json

from generator.check.findings import Severity
from tests.helpers.dashboards import body, metric_widget

DASHBOARD_TF = """
resource "aws_cloudwatch_dashboard" "main" {
  dashboard_name = "obs-dev"
  dashboard_body = jsonencode(local.dashboard)
}
"""


def dashboard(plan_of, value):
    resource = {
        "address": "aws_cloudwatch_dashboard.main",
        "values": {"dashboard_name": "obs-dev", "dashboard_body": json.dumps(value)},
    }
    return plan_of(resource)


def test_maps_mixed_into_metrics_are_reported_at_the_body(module, run, plan_of):
    # The F3 failure: an HCL map spliced into the metric array, not last.
    broken = metric_widget(
        metrics=[["AWS/ECS", "CPUUtilization", {"stat": "Average"}, "ClusterName", "c"]]
    )
    ctx = module({"dashboards.tf": DASHBOARD_TF}, plan=dashboard(plan_of, body(broken)))
    (found,) = run("F3", ctx)
    assert (found.file, found.line, found.severity) == ("dashboards.tf", 4, Severity.ERROR)
    assert "widgets[0].properties.metrics[0]" in found.message
    assert "only one trailing options object" in found.message


def test_valid_body_passes(module, run, plan_of):
    good = body(
        metric_widget(
            period=300,
            view="timeSeries",
            metrics=[
                [
                    "AWS/ECS",
                    "CPUUtilization",
                    "ClusterName",
                    "c",
                    "ServiceName",
                    "api",
                    {"id": "m1"},
                ],
                [".", "MemoryUtilization", ".", ".", ".", ".", {"id": "m2", "color": "#1f77b4"}],
                [{"expression": "m1 + m2", "label": "sum", "id": "e1"}],
            ],
        ),
        {
            "type": "text",
            "x": 12,
            "y": 0,
            "width": 12,
            "height": 2,
            "properties": {"markdown": "#"},
        },
        {"type": "alarm", "properties": {"alarms": ["arn:aws:cloudwatch:us-east-1:1:alarm:a"]}},
        {
            "type": "log",
            "properties": {"region": "us-east-1", "query": "SOURCE 'g' | fields @message"},
        },
    )
    ctx = module({"dashboards.tf": DASHBOARD_TF}, plan=dashboard(plan_of, good))
    assert run("F3", ctx) == []


def test_body_known_only_after_apply_is_a_warning(module, run, plan_of):
    resource = {
        "address": "aws_cloudwatch_dashboard.main",
        "values": {"dashboard_name": "obs-dev"},
    }
    plan = plan_of(resource, unknown={"aws_cloudwatch_dashboard.main": {"dashboard_body": True}})
    (found,) = run("F3", module({"dashboards.tf": DASHBOARD_TF}, plan=plan))
    assert found.severity is Severity.WARNING
    assert "only known after apply" in found.message


def test_literal_json_body_is_checked_without_a_plan(module, run):
    ctx = module(
        {
            "d.tf": """
            resource "aws_cloudwatch_dashboard" "main" {
              dashboard_name = "x"
              dashboard_body = <<-EOT
                {"widgets": [{"type": "graph", "properties": {}}]}
              EOT
            }
            """
        }
    )
    (found,) = run("F3", ctx)
    assert "'graph'" in found.message
    assert found.line == 4


def test_invalid_json_body(module, run, plan_of):
    plan = plan_of(
        {
            "address": "aws_cloudwatch_dashboard.main",
            "values": {"dashboard_body": "{not json"},
        }
    )
    (found,) = run("F3", module({"dashboards.tf": DASHBOARD_TF}, plan=plan))
    assert "not valid JSON" in found.message


def test_many_problems_are_summarised(module, run, plan_of):
    bad = body(*[{"type": "nope", "properties": {}}] * 30)
    found = run("F3", module({"dashboards.tf": DASHBOARD_TF}, plan=dashboard(plan_of, bad)))
    assert len(found) == 21
    assert "10 more problems" in found[-1].message
