"""Issue 15, item 6: the new cluster's Container Insights answer (enabled, enhanced, disabled)
as real Terraform plans it, on the dashboards, in `cw-scaffold cost`, the wizard's summary and
the generated README."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.check import Report, check
from generator.check.rules.dashboard_body import problems
from generator.cost import estimate, insights_choices, resource_counts
from generator.questions import load_questions, resolve_answers
from generator.wizard import summary
from tests.helpers.variants import VARIANTS, services_of

METRIC_ID = re.compile(r"[a-z][A-Za-z0-9_]*")
CHOICES = {"defaults": "enabled", "insights-enhanced": "enhanced", "insights-disabled": "disabled"}


def full(data: dict[str, Any]) -> dict[str, Any]:
    return resolve_answers(data, load_questions())


@pytest.fixture(scope="module", params=sorted(CHOICES))
def variant(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def checked(rendered: Callable[[str], Path]) -> Callable[[str], Report]:
    reports: dict[str, Report] = {}

    def _check(name: str) -> Report:
        if name not in reports:
            reports[name] = check(rendered(name), checkov=False)
        return reports[name]

    return _check


def _resources(report: Report, kind: str) -> list[dict[str, Any]]:
    assert report.plan is not None, [f"{f.rule} {f.message}" for f in report.findings]
    return [
        r["values"]
        for r in report.plan["planned_values"]["root_module"]["resources"]
        if r["type"] == kind
    ]


def _alarms(report: Report) -> dict[str, dict[str, Any]]:
    return {a["alarm_name"]: a for a in _resources(report, "aws_cloudwatch_metric_alarm")}


def _widgets(report: Report) -> list[dict[str, Any]]:
    widgets = []
    for dashboard in _resources(report, "aws_cloudwatch_dashboard"):
        body = json.loads(dashboard["dashboard_body"])
        assert list(problems(body)) == [], dashboard["dashboard_name"]
        widgets += body["widgets"]
    return widgets


def test_the_module_is_clean_and_the_cluster_has_the_answer(
    variant: str, checked: Callable[[str], Report]
) -> None:
    report = checked(variant)
    assert not report.errors, report.errors
    assert [f"{f.rule} {f.message}" for f in report.findings] == []
    (cluster,) = _resources(report, "aws_ecs_cluster")
    assert cluster["setting"] == [{"name": "containerInsights", "value": CHOICES[variant]}]


def test_tasks_below_desired_exists_exactly_with_container_insights(
    variant: str, checked: Callable[[str], Report]
) -> None:
    alarms = _alarms(checked(variant))
    services = services_of(VARIANTS[variant])
    tasks = sorted(n for n in alarms if n.endswith("-tasks-below-desired"))
    if CHOICES[variant] == "disabled":
        assert tasks == []
        # Nothing the module plans reads metrics that no one publishes.
        text = json.dumps(alarms) + json.dumps(_widgets(checked(variant)))
        assert "ECS/ContainerInsights" not in text
    else:
        assert tasks == sorted(f"observability-dev-{s}-tasks-below-desired" for s in services)


def test_every_service_stays_suppressible_and_notifies_once_it_runs(
    variant: str, checked: Callable[[str], Report]
) -> None:
    """`disabled` must not give a module that never notifies: each composite still has a
    suppressor, which reads a metric AWS/ECS publishes while a task runs."""
    report = checked(variant)
    alarms = _alarms(report)
    composites = _resources(report, "aws_cloudwatch_composite_alarm")
    # one per service and severity tier
    assert len(composites) == 2 * len(services_of(VARIANTS[variant]))
    for composite in composites:
        assert composite["alarm_actions"], "the composite notifies"
        (suppressor,) = composite["actions_suppressor"]
        quiet = alarms[suppressor["alarm"]]
        queries = {q["id"]: q for q in quiet["metric_query"]}
        assert all(METRIC_ID.fullmatch(i) for i in queries)
        assert sum(q["return_data"] for q in queries.values()) == 1
        metrics = {i: q["metric"][0] for i, q in queries.items() if q["metric"]}
        if CHOICES[variant] == "disabled":
            assert queries["quiet"]["expression"] == "IF(FILL(samples, 0) < 1, 1, 0)"
            assert {
                i: (m["namespace"], m["metric_name"], m["stat"]) for i, m in metrics.items()
            } == {"samples": ("AWS/ECS", "CPUUtilization", "SampleCount")}
        else:
            assert {m["metric_name"] for m in metrics.values()} == {
                "DesiredTaskCount",
                "DeploymentCount",
            }
        assert set(metrics["samples" if "samples" in metrics else "desired"]["dimensions"]) == {
            "ClusterName",
            "ServiceName",
        }
        assert quiet["treat_missing_data"] == "breaching" and not quiet.get("alarm_actions")


def test_enhanced_draws_every_task_of_every_service(
    variant: str, checked: Callable[[str], Report]
) -> None:
    widgets = _widgets(checked(variant))
    per_task = [w for w in widgets if w["properties"].get("title", "").endswith("per task (%)")]
    task_counts = [w for w in widgets if w["properties"].get("title", "").endswith(": tasks")]
    services = services_of(VARIANTS[variant])
    assert len(task_counts) == (0 if CHOICES[variant] == "disabled" else len(services))
    if CHOICES[variant] != "enhanced":
        assert per_task == []
        return
    assert [w["properties"]["title"] for w in per_task] == [
        f"{s}: CPU and memory per task (%)" for s in services
    ]
    for service, widget in zip(services, per_task, strict=True):
        entries = [m[0] for m in widget["properties"]["metrics"]]
        assert [e["id"] for e in entries] == ["cpu", "memory"]
        for entry, metric in zip(
            entries, ("TaskCpuUtilization", "TaskMemoryUtilization"), strict=True
        ):
            assert entry["expression"] == (
                "SEARCH('{ECS/ContainerInsights,ClusterName,ServiceName,TaskId}"
                f' MetricName="{metric}" ClusterName="observability-dev"'
                f" ServiceName=\"{service}\"', 'Average', 60)"
            )
            assert entry["label"].endswith("${PROP('Dim.TaskId')}")


def test_resource_counts_match_terraform_plan(
    variant: str, checked: Callable[[str], Report]
) -> None:
    report = checked(variant)
    assert report.plan is not None
    planned = Counter(
        change["type"] for change in report.plan["resource_changes"] if change["mode"] == "managed"
    )
    assert resource_counts(full(VARIANTS[variant])) == dict(sorted(planned.items()))


def monthly(answers: dict[str, Any]) -> dict[str, float]:
    return {line.item: line.monthly for line in estimate(answers).lines}


def test_enhanced_costs_by_hand() -> None:
    # 2 services: per minute 2 x 12 service + 10 cluster metrics, and 2 tasks of 26 metrics
    # per service: 34 + 104 = 138 observations, 43,200 minutes: 5,961,600 a month.
    answers = full({"container_insights": "enhanced"})
    lines = monthly(answers)
    assert "Container Insights metrics" not in lines
    assert lines["Container Insights observations"] == pytest.approx(5.9616 * 0.21)  # 1.251936
    assert lines["Metric alarms"] == pytest.approx(2 * (8 + 1 + 5) * 0.10)
    est = estimate(answers)
    # Free tier: 100 runs, 10 alarm metrics, 2 dashboards, the 2 log error metrics.
    assert est.free_tier == pytest.approx(100 * 0.0012 + 10 * 0.10 + 2 * 3.00 + 2 * 0.30)
    assert est.list_total == pytest.approx(101.642912 - 10.20 + 1.251936)


def test_disabled_costs_by_hand() -> None:
    # No Insights metrics; per service cpu and memory in two tiers, not-deployed on one metric.
    answers = full({"container_insights": "disabled"})
    lines = monthly(answers)
    assert lines["Container Insights metrics"] == 0
    assert lines["Metric alarms"] == pytest.approx(2 * (5 + 1 + 5) * 0.10)  # 2.20
    assert resource_counts(answers)["aws_cloudwatch_metric_alarm"] == 2 * 5 + 2 * 5 + 2
    assert estimate(answers).list_total == pytest.approx(101.642912 - 10.20 - 0.60)


def test_the_cost_difference_is_shown_for_every_answer() -> None:
    # Insights and the services' own alarm metrics (2 services):
    # 8 metrics a service with Container Insights (cpu and memory in two tiers, tasks and
    # not-deployed 2 each), 5 without (no tasks, not-deployed on 1):
    # enabled 34 x 0.30 + 16 x 0.10; enhanced 1.251936 + 16 x 0.10; disabled 10 x 0.10.
    expected = {"enabled": 11.80, "enhanced": 2.851936, "disabled": 1.00}
    for choice in expected:
        assert insights_choices(full({"container_insights": choice})) == pytest.approx(expected)
    note = "enabled $11.80, enhanced $2.85, disabled $1.00 a month"
    assert note in " ".join(estimate(full({})).notes)
    assert note in summary(full({}))
    existing = full(VARIANTS["existing-default"])
    assert insights_choices(existing) == {}
    assert "Container Insights by answer" not in summary(existing)


def test_the_summary_and_readme_say_what_disabled_means(
    rendered: Callable[[str], Path],
) -> None:
    disabled = summary(full(VARIANTS["insights-disabled"]))
    assert "Container Insights disabled: no tasks-below-desired alarms" in disabled
    assert "deployments are not recognised" in disabled
    assert "per-task CPU and memory widget" in summary(full(VARIANTS["insights-enhanced"]))
    readme = (rendered("insights-disabled") / "README.md").read_text()
    assert "without Container Insights" in readme
    assert "there is no `tasks-below-desired` alarm" in readme
    assert "| Container Insights (disabled on the new cluster) | nothing |" in readme
    readme = (rendered("insights-enhanced") / "README.md").read_text()
    assert "$0.21 per million observations" in readme
    assert "there is no `tasks-below-desired` alarm" not in readme
