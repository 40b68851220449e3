"""500 services: the module stays within every AWS limit, and the whole check passes it."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from generator.check import Report, check
from generator.render import render

SERVICES = [f"service-{i:03d}" for i in range(500)]


@pytest.fixture(scope="module")
def module(template_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(
        {"services": SERVICES}, tmp_path_factory.mktemp("scale") / "module", template=template_dir
    )


@pytest.fixture(scope="module")
def report(module: Path) -> Report:
    return check(module)


@pytest.fixture(scope="module")
def planned(report: Report) -> dict[str, list[dict[str, Any]]]:
    assert report.plan is not None, report.findings
    by_type: dict[str, list[dict[str, Any]]] = {}
    for resource in report.plan["planned_values"]["root_module"]["resources"]:
        if resource["mode"] == "managed":
            by_type.setdefault(resource["type"], []).append(resource.get("values", {}))
    return by_type


def test_alarm_and_canary_counts_are_as_designed(planned: dict[str, list[dict[str, Any]]]) -> None:
    counts = Counter({kind: len(values) for kind, values in planned.items()})
    # Per service: cpu and memory (warning and critical each), tasks, canary success, canary
    # duration (warning and critical), canary runs failed, the canary's first run (the success
    # alarm's gate), not-deployed (the composites' suppressor), and log errors (a warning); one
    # composite per severity tier.
    assert counts["aws_cloudwatch_metric_alarm"] == 12 * 500
    assert counts["aws_cloudwatch_composite_alarm"] == 2 * 500
    assert counts["aws_synthetics_canary"] == 500
    # Each service's own, and the stopped tasks' events.
    assert counts["aws_cloudwatch_log_group"] == 500 + 1
    # Two error patterns (text and JSON) per service: 2 of the 100 filters a log group takes.
    assert counts["aws_cloudwatch_log_metric_filter"] == 2 * 500
    # Recent errors and slowest requests per 50 log groups (StartQuery's limit), stopped tasks.
    assert counts["aws_cloudwatch_query_definition"] == 2 * 10 + 1
    assert all(len(q["log_group_names"]) <= 50 for q in planned["aws_cloudwatch_query_definition"])
    # 20 services a dashboard, and the overview.
    assert counts["aws_cloudwatch_dashboard"] == 25 + 1
    # 20 services an EventBridge rule, for failed deployments, stopped tasks and tasks ECS
    # cannot place or start: 75 of the 300 rules an event bus takes by default; the
    # stopped-task rules have a second target, the log group the stopped tasks query reads.
    assert counts["aws_cloudwatch_event_rule"] == 75
    assert counts["aws_cloudwatch_event_target"] == 75 + 25


def test_event_patterns_stay_within_the_size_limit(
    planned: dict[str, list[dict[str, Any]]],
) -> None:
    for rule in planned["aws_cloudwatch_event_rule"]:
        pattern = rule.get("event_pattern")
        if pattern is not None:  # known at plan time: the deployment rules
            assert len(pattern) <= 2048, rule["name"]
            assert len(json.loads(pattern)["resources"]) == 20
        assert len(rule["name"]) <= 64


def test_dashboards_stay_within_the_body_limits(planned: dict[str, list[dict[str, Any]]]) -> None:
    for dashboard in planned["aws_cloudwatch_dashboard"]:
        widgets = json.loads(dashboard["dashboard_body"])["widgets"]
        assert len(widgets) <= 500
        metrics = [len(w["properties"].get("metrics", [])) for w in widgets]
        assert max(metrics) <= 500 and sum(metrics) <= 2500
        for widget in widgets:
            assert len(widget["properties"].get("alarms", [])) <= 100
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,255}", dashboard["dashboard_name"])


def test_composite_rules_stay_within_the_rule_limits(
    planned: dict[str, list[dict[str, Any]]],
) -> None:
    """PutCompositeAlarm: a rule of at most 10,240 characters naming at most 100 alarms
    (docs/aws-facts.md, "Composite alarms"); each names only its own service's alarms."""
    for composite in planned["aws_cloudwatch_composite_alarm"]:
        rule = composite["alarm_rule"]
        members = re.findall(r'ALARM\("([^"]+)"\)', rule)
        assert len(rule) <= 10240 and 1 <= len(members) <= 100, composite["alarm_name"]
        service = composite["alarm_name"].removeprefix("observability-dev-").rsplit("-", 1)[0]
        assert all(m.startswith(f"observability-dev-{service}-") for m in members)


def test_names_are_unique_and_within_their_limits(planned: dict[str, list[dict[str, Any]]]) -> None:
    alarm_names = [
        a["alarm_name"]
        for kind in ("aws_cloudwatch_metric_alarm", "aws_cloudwatch_composite_alarm")
        for a in planned[kind]
    ]
    canary_names = [c["name"] for c in planned["aws_synthetics_canary"]]
    log_groups = [g["name"] for g in planned["aws_cloudwatch_log_group"]]
    filters = [f["name"] for f in planned["aws_cloudwatch_log_metric_filter"]]
    queries = [q["name"] for q in planned["aws_cloudwatch_query_definition"]]
    for names, limit in (
        (alarm_names, 255),
        (canary_names, 255),
        (log_groups, 512),
        (filters, 512),
        (queries, 255),
    ):
        assert len(set(names)) == len(names)
        assert max(map(len, names)) <= limit
    assert all(re.fullmatch(r"[0-9a-z_-]{1,255}", name) for name in canary_names)


def test_the_whole_check_passes_at_500_services(report: Report) -> None:
    assert [f"{f.rule} {f.location()} {f.message}" for f in report.findings] == []
