"""Issue 15, item 7: each service's logs. Metric filters count its error lines, an alarm
watches the count, saved Logs Insights queries and a dashboard widget show the lines, as real
Terraform plans them for variants of the matrix (new cluster: the module's log groups;
existing cluster: the discovered ones, and none for a service whose group is unknown)."""

from __future__ import annotations

import functools
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.check import Report, check
from generator.check.rules.dashboard_body import problems
from tests.helpers.filter_patterns import UnsupportedPattern, matches, syntax_problems
from tests.helpers.variants import VARIANTS, services_of

VARIANT_NAMES = ["defaults", "all-options", "existing-existing"]


@functools.cache
def _report(module: Path) -> Report:
    return check(module, checkov=False)


def resources(module: Path, kind: str) -> list[dict[str, Any]]:
    report = _report(module)
    assert report.plan is not None, report.findings
    assert not report.errors, report.errors
    return [
        r["values"]
        for r in report.plan["planned_values"]["root_module"]["resources"]
        if r["type"] == kind and r["mode"] == "managed"
    ]


def log_groups_of(variant: str) -> dict[str, str]:
    """The log group each service of `variant` logs to, where the module knows it."""
    answers = VARIANTS[variant]
    if answers.get("cluster_mode", "new") == "new":
        prefix = f"{answers.get('project_name', 'observability')}-{answers.get('environment_suffix', 'dev')}"
        return {s: f"/ecs/{prefix}/{s}" for s in services_of(answers)}
    return dict(answers.get("service_log_groups", {}))


def prefix_of(variant: str) -> str:
    answers = VARIANTS[variant]
    return (
        f"{answers.get('project_name', 'observability')}-{answers.get('environment_suffix', 'dev')}"
    )


@pytest.fixture(params=VARIANT_NAMES)
def variant(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def module(variant: str, rendered: Callable[[str], Path]) -> Path:
    return rendered(variant)


# Lines services log, and whether each is an error line.
ERROR_LINES = [
    "2026-11-30 01:02:03.456 ERROR 1 --- [nio-8080-exec-1] c.a.OrderController : payment failed",
    'Exception in thread "main" java.lang.IllegalStateException: pool closed',
    "java.lang.NullPointerException: Cannot invoke String.length()",
    "CRITICAL:root:disk full",
    "[FATAL] out of file descriptors",
    '{"@timestamp":"2026-11-30T01:02:03Z","level":"ERROR","logger":"orders","message":"boom"}',
    '{"level":"error","ts":1764464523.1,"caller":"db/pool.go:88","msg":"timeout"}',
    '{"level":"fatal","message":"cannot bind :8080"}',
    '{"event": "worker died", "level": "critical"}',
]
OTHER_LINES = [
    "2026-11-30 01:02:03.456 INFO 1 --- [main] c.a.Application : started in 3.2 s",
    "WARN retrying payment (attempt 2)",
    "computed error rate 0.1%",
    '{"level":"info","msg":"0 errors in batch"}',
    '{"level":"warn","message":"slow query","duration_ms":812}',
    '{"level":"debug","error":null}',
]


def counted(patterns: list[str], line: str) -> int:
    """How much one log event adds to the error metric: one per filter that matches."""
    return sum(matches(pattern, line) for pattern in patterns)


def test_the_default_patterns_count_each_error_line(rendered: Callable[[str], Path]) -> None:
    """The patterns the module deploys, evaluated as CloudWatch Logs documents them: one text
    pattern (any of the words, case-sensitive) and one JSON pattern (level error, fatal or
    critical), since one pattern cannot mix text terms and JSON selectors."""
    module = rendered("defaults")
    filters = resources(module, "aws_cloudwatch_log_metric_filter")
    by_group: dict[str, list[str]] = {}
    for f in filters:
        by_group.setdefault(f["log_group_name"], []).append(f["pattern"])
    patterns = by_group["/ecs/observability-dev/orders"]
    assert len(patterns) == 2
    for pattern in patterns:
        assert syntax_problems(pattern) == [], pattern
    text, json_pattern = sorted(patterns, key=lambda p: p.startswith("{"))
    assert json_pattern.startswith("{") and not text.startswith("{")
    for line in ERROR_LINES:
        assert counted(patterns, line) == 1, line
    for line in OTHER_LINES:
        assert counted(patterns, line) == 0, line
    # The JSON pattern reads only JSON: the text one counts upper-case levels in JSON lines.
    assert not matches(json_pattern, "level=error something failed")
    assert matches(text, ERROR_LINES[5]) and not matches(json_pattern, ERROR_LINES[5])
    # The overlap the README states: a JSON error line that also names an Exception.
    overlap = '{"level":"error","msg":"java.lang.NullPointerException"}'
    assert counted(patterns, overlap) == 2


def test_the_pattern_double_refuses_what_it_does_not_evaluate() -> None:
    """The double never guesses: a form the documentation leaves open is refused."""
    with pytest.raises(UnsupportedPattern):
        matches("%ERROR|Exception%", "ERROR")
    with pytest.raises(UnsupportedPattern):
        matches("?ERROR -DEBUG", "ERROR")
    assert syntax_problems("{ $.level = }")
    assert syntax_problems("x" * 1025)
    assert matches('"Failed to process"', "[WARN] Failed to process the request")
    assert not matches("ERROR WARN", "ERROR message")
    assert matches("ERROR -Exiting", "ERROR message") and not matches(
        "ERROR -Exiting", "Exiting with ERRORCODE: -1"
    )
    assert matches('{ $.user.id = 1 && $.name = "Jo*" }', '{"user": {"id": 1}, "name": "John"}')
    assert not matches("{ $.users = 1 }", '{"users": [1, 2]}'), "an array is no value"


def test_every_known_log_group_gets_its_filters_and_alarm(variant: str, module: Path) -> None:
    groups = log_groups_of(variant)
    prefix = prefix_of(variant)
    filters = resources(module, "aws_cloudwatch_log_metric_filter")
    assert {f["log_group_name"] for f in filters} == set(groups.values())
    assert len(filters) == 2 * len(groups)
    for f in filters:
        ((transformation,),) = [f["metric_transformation"]]
        service = next(s for s, g in groups.items() if g == f["log_group_name"])
        assert transformation["namespace"] == f"{prefix}/Logs"
        assert transformation["name"] == f"{service}-errors"
        assert (transformation["value"], transformation["unit"]) == ("1", "Count")
        # No default: no matching line publishes nothing (no data is no error).
        assert transformation.get("default_value") in (None, "")
        assert not transformation.get("dimensions")

    alarms = {a["alarm_name"]: a for a in resources(module, "aws_cloudwatch_metric_alarm")}
    # A warning: error lines notify, never page.
    log_alarms = {n: a for n, a in alarms.items() if n.endswith("-log-errors-warning")}
    assert set(log_alarms) == {f"{prefix}-{s}-log-errors-warning" for s in groups}
    for service in groups:
        alarm = log_alarms[f"{prefix}-{service}-log-errors-warning"]
        ((query,),) = [alarm["metric_query"]]
        (metric,) = query["metric"]
        assert (metric["namespace"], metric["metric_name"]) == (
            f"{prefix}/Logs",
            f"{service}-errors",
        )
        assert (metric["stat"], metric["period"], metric["dimensions"] or {}) == ("Sum", 60, {})
        assert (alarm["comparison_operator"], alarm["threshold"]) == ("GreaterThanThreshold", 10)
        assert (alarm["evaluation_periods"], alarm["datapoints_to_alarm"]) == (5, 3)
        assert alarm["treat_missing_data"] == "notBreaching", "no error lines, no errors"
    composites = {c["alarm_name"]: c for c in resources(module, "aws_cloudwatch_composite_alarm")}
    for service in services_of(VARIANTS[variant]):
        rule = composites[f"{prefix}-{service}-warning"]["alarm_rule"]
        assert (f'ALARM("{prefix}-{service}-log-errors-warning")' in rule) == (service in groups)


def test_saved_queries_live_in_the_project_folder(variant: str, module: Path) -> None:
    groups = log_groups_of(variant)
    prefix = prefix_of(variant)
    queries = {q["name"]: q for q in resources(module, "aws_cloudwatch_query_definition")}
    wanted = {f"{prefix}/Stopped tasks"}
    if groups:
        wanted |= {f"{prefix}/Recent errors", f"{prefix}/Slowest requests"}
    assert set(queries) == wanted
    for name in wanted - {f"{prefix}/Stopped tasks"}:
        # in the order of their services' names, as Terraform orders a map
        assert queries[name]["log_group_names"] == [groups[s] for s in sorted(groups)]
    errors = queries.get(f"{prefix}/Recent errors")
    if errors:
        lines = errors["query_string"].split("\n| ")
        assert lines[0].startswith("fields @timestamp, @log, @message")
        assert "like /ERROR|FATAL|CRITICAL|Exception/" in lines[1]
        assert lines[2:] == ["sort @timestamp desc", "limit 200"]
        slowest = queries[f"{prefix}/Slowest requests"]["query_string"]
        assert "coalesce(duration_ms" in slowest and "sort took desc" in slowest
    stopped = queries[f"{prefix}/Stopped tasks"]
    assert stopped["log_group_names"] == [f"/aws/events/{prefix}/ecs-tasks-stopped"]
    assert "detail.stoppedReason" in stopped["query_string"]
    assert "detail.containers.0.exitCode" in stopped["query_string"]


def test_stopped_task_events_are_kept_in_a_log_group(variant: str, module: Path) -> None:
    prefix = prefix_of(variant)
    rules = {r["name"] for r in resources(module, "aws_cloudwatch_event_rule")}
    targets = resources(module, "aws_cloudwatch_event_target")
    logged = [t for t in targets if t["target_id"] == "stopped-tasks-log"]
    assert sorted(t["rule"] for t in logged) == sorted(r for r in rules if "-task-stopped-" in r)
    (group,) = [
        g
        for g in resources(module, "aws_cloudwatch_log_group")
        if g["name"] == f"/aws/events/{prefix}/ecs-tasks-stopped"
    ]
    assert group["retention_in_days"] == 30
    (policy,) = resources(module, "aws_cloudwatch_log_resource_policy")
    assert policy["policy_name"] == f"{prefix}-ecs-events"


def test_the_log_group_policy_lets_eventbridge_write(rendered: Callable[[str], Path]) -> None:
    import hcl2
    from hcl2 import SerializationOptions

    options = SerializationOptions(with_comments=False, strip_string_quotes=True)
    with (rendered("defaults") / "log_queries.tf").open() as handle:
        parsed = hcl2.load(handle, serialization_options=options)
    (document,) = [b["aws_iam_policy_document"]["ecs_events_log"] for b in parsed["data"]]
    (statement,) = document["statement"]
    assert set(statement["actions"]) == {"logs:CreateLogStream", "logs:PutLogEvents"}
    (principal,) = statement["principals"]
    assert "events.amazonaws.com" in principal["identifiers"]
    assert statement["resources"] == ["${aws_cloudwatch_log_group.ecs_events.arn}:*"]


def test_each_service_row_shows_its_recent_errors(variant: str, module: Path) -> None:
    groups = log_groups_of(variant)
    region = VARIANTS[variant].get("aws_region", "us-east-1")
    log_widgets = {}
    for dashboard in resources(module, "aws_cloudwatch_dashboard"):
        body = json.loads(dashboard["dashboard_body"])
        assert list(problems(body)) == [], dashboard["dashboard_name"]
        for widget in body["widgets"]:
            if widget["type"] == "log":
                log_widgets[widget["properties"]["title"]] = widget["properties"]
    assert set(log_widgets) == {f"{s}: recent errors" for s in groups}
    for service, group in groups.items():
        properties = log_widgets[f"{service}: recent errors"]
        assert properties["region"] == region
        assert properties["query"].startswith(f"SOURCE '{group}' | fields @timestamp, @message")
        assert properties["query"].endswith("| sort @timestamp desc | limit 20")


def test_the_summary_and_readme_name_the_log_signals(rendered: Callable[[str], Path]) -> None:
    from generator.questions import load_questions, resolve_answers
    from generator.wizard import summary

    text = summary(resolve_answers(dict(VARIANTS["all-options"]), load_questions()))
    assert "Error lines counted (log-errors alarm): cart, Catalog" in text
    assert "no log group known: checkout-v2, search_api" in text
    assert "Log error metrics" in text
    readme = (rendered("defaults") / "README.md").read_text()
    assert "log_error_patterns" in readme and "observability-dev/Recent errors" in readme


def test_a_services_own_patterns_replace_the_default_and_none_turns_counting_off(
    rendered: Callable[[str], Path], tmp_path: Path
) -> None:
    module = tmp_path / "module"
    shutil.copytree(rendered("defaults"), module)
    settings = module / "services.auto.tfvars"
    text = settings.read_text()
    text = text.replace(
        '"orders" = {',
        '"orders" = {\n    log_error_patterns        = ["?panic"]\n    log_errors_max_per_minute = 0\n',
        1,
    )
    text = text.replace('"payments" = {', '"payments" = {\n    log_error_patterns = []\n', 1)
    settings.write_text(text)
    filters = resources(module, "aws_cloudwatch_log_metric_filter")
    assert [(f["log_group_name"], f["pattern"]) for f in filters] == [
        ("/ecs/observability-dev/orders", "?panic")
    ]
    alarms = {a["alarm_name"]: a for a in resources(module, "aws_cloudwatch_metric_alarm")}
    assert alarms["observability-dev-orders-log-errors-warning"]["threshold"] == 0
    assert "observability-dev-payments-log-errors-warning" not in alarms, (
        "nothing counted, no alarm"
    )


def test_blank_or_overlong_patterns_stop_the_plan(
    rendered: Callable[[str], Path], tmp_path: Path
) -> None:
    module = tmp_path / "module"
    shutil.copytree(rendered("defaults"), module)
    settings = module / "services.auto.tfvars"
    settings.write_text(
        settings.read_text().replace(
            '"orders" = {', '"orders" = {\n    log_error_patterns = ["  "]\n', 1
        )
    )
    report = check(module, checkov=False)
    assert any("log_error_patterns must list at most 10" in f.message for f in report.errors), (
        report.findings
    )
