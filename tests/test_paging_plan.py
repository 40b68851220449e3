"""Issue 12, what pages and when, read from real Terraform plans of rendered modules: a cron
canary that stops pages, a slow deployment does not, and a canary run lasts long enough for
all of its steps."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.check import check
from tests.helpers.plans import with_service_settings
from tests.helpers.variants import VARIANTS, services_of

CRON = "cron(0/10 9-17 ? * MON-FRI *)"


def _slow_checks(count: int, latency_ms: int) -> list[dict[str, Any]]:
    return [
        {"name": f"step-{i}", "path": f"/step/{i}", "max_latency_ms": latency_ms}
        for i in range(count)
    ]


def _plan(source: Path, dest: Path, settings: dict[str, Any]) -> dict[str, Any]:
    """The planned values of the module `source` with `settings` as its service_settings."""
    report = check(with_service_settings(source, dest, settings), checkov=False)
    assert report.plan is not None, [f"{f.rule} {f.message}" for f in report.findings]
    assert not report.errors, report.errors
    # data sources read at plan time are in the prior state, resources in the planned values
    resources = [
        *report.plan["prior_state"]["values"]["root_module"]["resources"],
        *report.plan["planned_values"]["root_module"]["resources"],
    ]
    return {r["address"]: r.get("values", {}) for r in resources}


@pytest.fixture(scope="module")
def planned(
    rendered: Callable[[str], Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """The default module, its first service on a business-hours cron with four slow contract
    checks, its second on the default rate schedule."""
    module = tmp_path_factory.mktemp("paging") / "module"
    cron, rate = services_of(VARIANTS["defaults"])[:2]
    return _plan(
        rendered("defaults"),
        module,
        {
            cron: {
                "canary_schedule": CRON,
                "canary_alarm_period": 600,
                "checks": _slow_checks(4, 10_000),
            },
            rate: {},
        },
    )


def _alarm(planned: dict[str, Any], service: str, kind: str) -> dict[str, Any]:
    return planned[f'aws_cloudwatch_metric_alarm.service["{service}/{kind}"]']


def test_a_cron_canary_that_stops_running_pages(planned: dict[str, Any]) -> None:
    """Issue 12 (c): a cron canary's alarms treat missing data as fine, so a stopped one was
    never paged. Its heartbeat counts runs per hour, missing data breaching, over at most
    seven days of hourly periods (PutMetricAlarm's limit)."""
    cron, rate = services_of(VARIANTS["defaults"])[:2]
    heartbeat = _alarm(planned, cron, "canary-heartbeat")
    (query,) = heartbeat["metric_query"]
    metric = query["metric"][0]
    assert (metric["metric_name"], metric["stat"], metric["period"]) == (
        "SuccessPercent",
        "SampleCount",
        3600,
    )
    assert metric["dimensions"] == {"CanaryName": f"observability-dev-{cron}"}
    assert heartbeat["treat_missing_data"] == "breaching"
    assert (heartbeat["comparison_operator"], heartbeat["threshold"]) == ("LessThanThreshold", 1)
    # 72 hours: longer than a weekend without runs, so a weekday schedule does not page
    assert heartbeat["evaluation_periods"] == heartbeat["datapoints_to_alarm"] == 72
    assert 3600 * heartbeat["evaluation_periods"] <= 7 * 86_400
    # it notifies through the composite, which the not-deployed alarm suppresses
    composite = planned[f'aws_cloudwatch_composite_alarm.service["{cron}"]']
    assert heartbeat["alarm_name"] in composite["alarm_rule"]
    assert composite["actions_suppressor"][0]["alarm"] == f"observability-dev-{cron}-not-deployed"
    # a rate canary that stops pages through its success alarm already
    assert f'aws_cloudwatch_metric_alarm.service["{rate}/canary-heartbeat"]' not in planned


def test_a_canary_does_not_page_before_its_first_run(planned: dict[str, Any]) -> None:
    """A canary has no runs before its first, and its alarms exist before it does: its success
    alarm (and a cron canary's heartbeat, for hours outside the schedule) was in ALARM from the
    first evaluation and the composite of a deployed service paged once for nothing. They count
    only once a first-run alarm is OK: missing data ignored, so INSUFFICIENT_DATA until the
    first run and OK from then on."""
    cron, rate = services_of(VARIANTS["defaults"])[:2]
    gate = planned[f'aws_cloudwatch_metric_alarm.canary_first_run["{cron}"]']
    assert gate["alarm_name"] == f"observability-dev-{cron}-canary-first-run"
    assert (gate["namespace"], gate["metric_name"], gate["statistic"], gate["period"]) == (
        "CloudWatchSynthetics",
        "SuccessPercent",
        "SampleCount",
        60,
    )
    assert gate["dimensions"] == {"CanaryName": f"observability-dev-{cron}"}
    assert gate["treat_missing_data"] == "ignore"
    assert (gate["comparison_operator"], gate["threshold"]) == ("LessThanThreshold", 1)
    assert not gate.get("alarm_actions") and not gate.get("ok_actions")
    rule = planned[f'aws_cloudwatch_composite_alarm.service["{cron}"]']["alarm_rule"]
    for kind in ("canary-heartbeat", "canary-success-low"):
        gated = _alarm(planned, cron, kind)["alarm_name"]
        assert f'(ALARM("{gated}") AND OK("{gate["alarm_name"]}"))' in rule
        assert rule.count(f'"{gated}"') == 1, "only in that clause"
    # the other alarms count as before
    assert f'ALARM("observability-dev-{cron}-cpu-high") OR ' in rule
    assert rule.count(" AND ") == 2
    # a rate canary's success alarm waits for its first run too (it has no heartbeat)
    rate_gate = planned[f'aws_cloudwatch_metric_alarm.canary_first_run["{rate}"]']
    rate_rule = planned[f'aws_cloudwatch_composite_alarm.service["{rate}"]']["alarm_rule"]
    success = _alarm(planned, rate, "canary-success-low")["alarm_name"]
    assert f'(ALARM("{success}") AND OK("{rate_gate["alarm_name"]}"))' in rate_rule
    assert rate_rule.count(" AND ") == 1


def test_tasks_below_desired_outlasts_a_slow_deployment(planned: dict[str, Any]) -> None:
    """Issue 12 (d): 5 of 5 one-minute periods paged during slow deployments."""
    for service in services_of(VARIANTS["defaults"])[:2]:
        alarm = _alarm(planned, service, "tasks-below-desired")
        periods = {q["metric"][0]["period"] for q in alarm["metric_query"] if q["metric"]}
        assert periods == {60}
        assert (alarm["datapoints_to_alarm"], alarm["evaluation_periods"]) == (10, 15)


def test_the_run_timeout_covers_every_step(planned: dict[str, Any]) -> None:
    """Issue 12 (g): five steps of up to 15 s each ran in a 60 s run, which timed out as a
    whole instead of failing the slow step."""
    cron, rate = services_of(VARIANTS["defaults"])[:2]
    for service, steps, interval in ((cron, 5, 600), (rate, 1, 300)):
        canary = planned[f'aws_synthetics_canary.service["{service}"]']
        timeout = canary["run_config"][0]["timeout_in_seconds"]
        config = json.loads(
            planned[f'data.archive_file.canary["{service}"]']["source"][1]["content"]
        )
        assert len(config["steps"]) == steps
        request_s = config["request_timeout_ms"] / 1000
        assert request_s == 15
        assert steps * request_s < timeout <= min(840, interval)


def test_steps_that_cannot_fit_the_run_stop_the_plan(
    rendered: Callable[[str], Path], tmp_path: Path
) -> None:
    """Issue 12 (g): on rate(1 minute), six steps of up to 10 s cannot each get their time."""
    service = services_of(VARIANTS["defaults"])[0]
    settings = {service: {"canary_schedule": "rate(1 minute)", "checks": _slow_checks(5, 10_000)}}
    report = check(
        with_service_settings(rendered("defaults"), tmp_path / "module", settings), checkov=False
    )
    messages = " ".join(f.message for f in report.findings)
    assert f"Service {service}: 6 steps share a run of at most" in messages
    assert "Use fewer checks" in messages


def test_one_quiet_minute_does_not_hold_pages_back(planned: dict[str, Any]) -> None:
    """A late Container Insights datapoint reads as no desired tasks for one evaluation
    (FILL): with 1 of 1 the suppressor went into ALARM, and the service's pages waited out the
    extension period. It wants 2 of the last 3 minutes."""
    for service in services_of(VARIANTS["defaults"]):
        quiet = planned[f'aws_cloudwatch_metric_alarm.not_deployed["{service}"]']
        assert (quiet["evaluation_periods"], quiet["datapoints_to_alarm"]) == (3, 2)
        assert quiet["treat_missing_data"] == "breaching", "still: no such service yet"
