"""The CloudWatch Dashboard Body Structure, checked on parsed bodies (dashboard_body.py)."""

from __future__ import annotations

import pytest

from generator.check.rules.dashboard_body import problems
from tests.helpers.dashboards import body, metric_widget


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({}, "`widgets` array"),
        (body({"type": "metric"}), "properties is required"),
        (body({"type": "nope", "properties": {}}), "expected one of"),
        (body({**metric_widget(), "x": 24}), "x is 24"),
        (body({"type": "text", "x": 0, "properties": {"markdown": "m"}}), "x and y"),
        (body({**metric_widget(), "width": 25}), "width is 25"),
        (body({**metric_widget(), "height": 0}), "height is 0"),
        (body(metric_widget(region=None)), "region is required"),
        (body(metric_widget(period=90)), "multiple of 60"),
        (body(metric_widget(view="line")), "view is 'line'"),
        (body(metric_widget(view="gauge")), "gauge needs yAxis.left.min"),
        (body(metric_widget(metrics=[["AWS/ECS"]])), "namespace and a metric name"),
        (body(metric_widget(metrics=[["AWS/ECS", "CPU", "ClusterName"]])), "without a value"),
        (body(metric_widget(metrics=[["AWS/ECS", "CPU", 3]])), "must hold strings"),
        (body(metric_widget(metrics=["AWS/ECS", "CPU"])), "must be an array"),
        (body(metric_widget(metrics=[[".", "CPU"]])), "first entry has none"),
        (body(metric_widget(metrics=[["A", "B", {"colour": "#fff"}]])), "unknown option(s) colour"),
        (body(metric_widget(metrics=[["A", "B", {"color": "red"}]])), "not #rrggbb"),
        (body(metric_widget(metrics=[["A", "B", {"id": "M1"}]])), "lowercase letter"),
        (body(metric_widget(metrics=[["A", "B", {"yAxis": "top"}]])), "not left or right"),
        (body(metric_widget(metrics=[["A", "B", {"period": 30}]])), "not a multiple of 60"),
        (body(metric_widget(metrics=[["A", {"expression": "m1"}]])), "alone"),
        (body(metric_widget(annotations={"horizontal": {"value": 1}})), "must be an array"),
        (body(metric_widget(annotations={"horizontal": [{"label": "x"}]})), "value must be"),
        (body(metric_widget(annotations={"horizontal": [{"value": "80"}]})), "value must be"),
        (body(metric_widget(annotations={"horizontal": [{"value": 1, "yAxis": "up"}]})), "yAxis"),
        (body(metric_widget(annotations={"horizontal": [{"value": 1, "fill": "x"}]})), "fill"),
        (
            body(metric_widget(annotations={"horizontal": [{"value": 1, "color": "red"}]})),
            "#rrggbb",
        ),
        (body(metric_widget(annotations={"horizontal": [{"value": 1, "colour": "r"}]})), "colour"),
        (body({"type": "alarm", "properties": {"alarms": []}}), "1-100 alarm ARNs"),
        (body({"type": "text", "properties": {}}), "markdown is required"),
        (body({"type": "log", "properties": {"region": "r"}}), "query is required"),
        ({"widgets": [{"type": "text", "properties": {"markdown": "m"}}] * 501}, "at most 500"),
        (body(metric_widget(metrics=[["A", "B"]] * 501)), "501 entries"),
        (body(*[metric_widget(metrics=[["A", "B"]] * 500)] * 6), "3000 metrics in all"),
    ],
)
def test_body_structure_problems(value, expected):
    assert any(expected in p for p in problems(value)), list(problems(value))


def test_threshold_lines_on_either_axis_are_valid():
    lines = [
        {"label": "cpu-high warning", "value": 80, "color": "#ff7f0e"},
        {"label": "lb-5xx-rate critical", "value": 0.5, "yAxis": "right", "fill": "above"},
    ]
    assert list(problems(body(metric_widget(annotations={"horizontal": lines})))) == []
