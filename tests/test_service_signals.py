"""Issue 15: the signals each service gets beyond CPU, memory, tasks and its canary, as real
Terraform plans them for variants of the matrix (the plan facts of the monitoring plan in
template/locals.tf), and the dashboards that show them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.check.rules.dashboard_body import problems
from tests.helpers.plans import checked, planned_values
from tests.helpers.variants import VARIANTS

# The metric math id rule (AWS: "Use metric math"): starts with a lower-case letter, then
# letters, digits and underscores.
METRIC_ID = re.compile(r"[a-z][A-Za-z0-9_]*")
# Metric math functions and keywords an expression may name besides metric ids.
MATH_WORDS = {
    "IF",
    "FILL",
    "AND",
    "OR",
    "METRICS",
    "ANOMALY_DETECTION_BAND",
    "SUM",
    "AVG",
}


def planned(module: Path, kind: str) -> dict[str, dict[str, Any]]:
    """The planned values of every `kind` resource, by name (alarm, dashboard, rule name)."""
    found = {}
    for values in planned_values(module, kind).values():
        found[values.get("alarm_name") or values.get("dashboard_name") or values["name"]] = values
    return found


@pytest.fixture(params=["defaults", "all-options", "existing-existing"])
def module(request: pytest.FixtureRequest, rendered: Callable[[str], Path]) -> Path:
    return rendered(request.param)


def test_every_metric_math_expression_is_valid(module: Path) -> None:
    """Ids start with a lower-case letter, every id an expression names is defined, and
    exactly one query of an alarm returns data (PutMetricAlarm's rule for metric math).
    """
    alarms = planned(module, "aws_cloudwatch_metric_alarm")
    with_math = 0
    for name, alarm in alarms.items():
        queries = alarm.get("metric_query") or []
        if not queries:
            continue
        ids = [q["id"] for q in queries]
        assert all(METRIC_ID.fullmatch(i) for i in ids), (name, ids)
        assert len(set(ids)) == len(ids), name
        assert sum(bool(q["return_data"]) for q in queries) == 1, name
        for query in queries:
            if query.get("expression"):
                with_math += 1
                named = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", query["expression"]))
                assert named - MATH_WORDS <= set(ids) - {query["id"]}, (name, query)
    assert with_math, "tasks-below-desired at least is metric math"


def test_a_service_behind_a_load_balancer_gets_its_golden_signals(
    rendered: Callable[[str], Path],
) -> None:
    module = rendered("all-options")
    lb, tg = VARIANTS["all-options"]["service_load_balancers"]["cart"].split()
    alarms = planned(module, "aws_cloudwatch_metric_alarm")
    prefix = "shop-qa-cart-"
    lb_alarms = {
        n.removeprefix(prefix): a for n, a in alarms.items() if n.startswith(prefix + "lb-")
    }
    # each in its severity tiers (issue 15, item 3: tests/test_severity_tiers.py)
    assert set(lb_alarms) == {
        "lb-5xx-rate",
        "lb-5xx-rate-warning",
        "lb-latency-p99",
        "lb-latency-p99-warning",
        "lb-unhealthy-warning",
        "lb-healthy-low",
    }
    assert not [n for n in alarms if "-lb-" in n and not n.startswith(prefix)], "cart only"

    def metrics(alarm: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {q["id"]: q["metric"][0] for q in alarm["metric_query"] if q["metric"]}

    # No traffic is no data (an ALB reports only while requests flow): never a breach.
    assert {a["treat_missing_data"] for a in lb_alarms.values()} == {"notBreaching"}
    rate = lb_alarms["lb-5xx-rate"]
    (expression,) = [q["expression"] for q in rate["metric_query"] if q["expression"]]
    assert "FILL(target5xx, 0)" in expression and "FILL(elb5xx, 0)" in expression
    assert "FILL(requests, 0)" in expression and expression.startswith("IF(")
    by_id = metrics(rate)
    assert by_id["target5xx"]["metric_name"] == "HTTPCode_Target_5XX_Count"
    assert by_id["target5xx"]["dimensions"] == {"LoadBalancer": lb, "TargetGroup": tg}
    assert by_id["requests"]["metric_name"] == "RequestCount"
    # The load balancer's own 5xx exist per load balancer only.
    assert by_id["elb5xx"]["dimensions"] == {"LoadBalancer": lb}
    assert {m["stat"] for m in by_id.values()} == {"Sum"}
    assert (rate["comparison_operator"], rate["threshold"]) == (
        "GreaterThanThreshold",
        5,
    )

    latency = lb_alarms["lb-latency-p99"]
    assert metrics(latency)["latency"]["metric_name"] == "TargetResponseTime"
    assert metrics(latency)["latency"]["stat"] == "p99"
    assert latency["threshold"] == 2, "2000 ms, in the metric's seconds"
    unhealthy, healthy = lb_alarms["lb-unhealthy-warning"], lb_alarms["lb-healthy-low"]
    assert metrics(unhealthy)["unhealthy"]["stat"] == "Maximum"
    assert (unhealthy["comparison_operator"], unhealthy["threshold"]) == (
        "GreaterThanThreshold",
        0,
    )
    assert metrics(healthy)["healthy"]["stat"] == "Minimum"
    assert (healthy["comparison_operator"], healthy["threshold"]) == (
        "LessThanThreshold",
        1,
    )

    composites = planned(module, "aws_cloudwatch_composite_alarm")
    rules = composites["shop-qa-cart-health"]["alarm_rule"]
    rules += composites["shop-qa-cart-warning"]["alarm_rule"]
    for kind in lb_alarms:
        assert f'ALARM("{prefix}{kind}")' in rules
    assert composites["shop-qa-cart-health"]["actions_suppressor"], "silent until deployed"


def test_dashboards_pass_the_structure_validator_and_show_the_load_balancer(
    module: Path,
) -> None:
    dashboards = planned(module, "aws_cloudwatch_dashboard")
    titles = []
    for name, dashboard in dashboards.items():
        body = json.loads(dashboard["dashboard_body"])
        assert list(problems(body)) == [], name
        cells = set()
        for widget in body["widgets"]:
            titles.append(widget["properties"].get("title", ""))
            for dx in range(widget["width"]):
                for dy in range(widget["height"]):
                    cell = (widget["x"] + dx, widget["y"] + dy)
                    assert cell not in cells, f"{name}: widgets overlap at {cell}"
                    cells.add(cell)
            assert widget["x"] + widget["width"] <= 24
    behind = VARIANTS.get(module.parent.name.rstrip("0123456789"), {}).get(
        "service_load_balancers", {}
    )
    lb_titles = [
        t for t in titles if t.endswith(("requests and 5xx", "p99 response time and targets"))
    ]
    assert len(lb_titles) == 2 * len(behind)


def test_the_summary_names_the_services_behind_a_load_balancer() -> None:
    from generator.questions import load_questions, resolve_answers
    from generator.wizard import summary

    answers = resolve_answers(dict(VARIANTS["all-options"]), load_questions())
    text = summary(answers)
    assert "Behind a load balancer: cart (5xx rate, p99 response time" in text
    assert "5 more per service behind a load balancer" not in text
    assert "10 more per service behind a load balancer (1)" in text
    assert "Behind a load balancer" not in summary(resolve_answers({}, load_questions()))


OPERATORS = {"prefix", "suffix", "anything-but", "numeric", "exists", "equals-ignore-case"}


def pattern_problems(pattern: Any, where: str = "pattern") -> list[str]:
    """Where `pattern` breaks EventBridge's event pattern rules: a JSON object whose leaves are
    non-empty arrays of values or of filter objects (AWS: "Event patterns")."""
    if not isinstance(pattern, dict) or not pattern:
        return [f"{where} must be a non-empty object"]
    found = []
    for key, value in pattern.items():
        if isinstance(value, dict):
            found += pattern_problems(value, f"{where}.{key}")
        elif not isinstance(value, list) or not value:
            found.append(f"{where}.{key} must be a non-empty array")
        else:
            for item in value:
                if isinstance(item, dict) and not set(item) <= OPERATORS:
                    found.append(f"{where}.{key}: unknown filter {sorted(item)}")
                elif not isinstance(item, (dict, str, int, float)) or isinstance(item, bool):
                    found.append(f"{where}.{key}: {item!r} is not a value")
    return found


def test_ecs_events_reach_the_alarm_topic_readably(
    module: Path, rendered: Callable[[str], Path]
) -> None:
    """Issue 15, item 2: failed deployments, unexpected task stops and tasks ECS cannot
    place or start, of the module's services and nothing else, reach the encrypted topic,
    which lets EventBridge in."""
    name = next(n for n in VARIANTS if rendered(n) == module)
    answers = VARIANTS[name]
    services = answers.get("services", ["orders", "payments"])
    cluster = answers.get("cluster_name", "observability-dev")
    region = answers.get("aws_region", "us-east-1")
    rules = planned(module, "aws_cloudwatch_event_rule")
    assert len(rules) == 3 * -(-len(services) // 20)
    deployments = [r for n, r in rules.items() if "-deployment-failed-" in n]
    # A service whose tasks ECS cannot place or start sends no metrics: these events page.
    (impaired,) = [json.loads(r["event_pattern"]) for n, r in rules.items() if "-impaired-" in n]
    assert pattern_problems(impaired) == []
    assert impaired["detail-type"] == ["ECS Service Action"]
    assert impaired["detail"] == {
        "eventName": [
            "SERVICE_TASK_START_IMPAIRED",
            "SERVICE_TASK_PLACEMENT_FAILURE",
            "SERVICE_TASK_CONFIGURATION_FAILURE",
        ]
    }
    stops = [r for n, r in rules.items() if "-task-stopped-" in n]
    (deployment,) = [json.loads(r["event_pattern"]) for r in deployments]
    assert pattern_problems(deployment) == []
    assert deployment["source"] == ["aws.ecs"]
    assert deployment["detail-type"] == ["ECS Deployment State Change"]
    assert deployment["detail"] == {"eventName": ["SERVICE_DEPLOYMENT_FAILED"]}
    assert (
        deployment["resources"]
        == impaired["resources"]
        == [f"arn:aws:ecs:{region}:123456789012:service/{cluster}/{s}" for s in services]
    )
    (stop,) = stops
    if stop.get("event_pattern") is not None:  # the cluster's ARN is known at plan time
        stopped = json.loads(stop["event_pattern"])
        assert pattern_problems(stopped) == []
        assert stopped["detail"]["group"] == [f"service:{s}" for s in services]
        assert stopped["detail"]["lastStatus"] == ["STOPPED"]
        assert stopped["detail"]["stopCode"] == ["EssentialContainerExited", "TaskFailedToStart"]
        assert [arn.rsplit("/", 1)[-1] for arn in stopped["detail"]["clusterArn"]] == [cluster]

    # (the task-stopped rules' second target, the stopped tasks' log group: test_log_signals)
    targets = [
        t
        for t in planned_by_address(module, "aws_cloudwatch_event_target")
        if t["target_id"] in ("alarm-topic", "warning-topic")
    ]
    assert len(targets) == len(rules)
    # failed deployments and tasks ECS cannot start page; a stopped task notifies (ECS
    # replaces it; one that keeps failing pages as impaired, once)
    kinds = re.compile(r"(deployment-failed|service-impaired|task-stopped)-\d+$")
    topics = {kinds.search(t["rule"]).group(1): t["target_id"] for t in targets}  # type: ignore[union-attr]
    assert topics == {
        "deployment-failed": "alarm-topic",
        "service-impaired": "alarm-topic",
        "task-stopped": "warning-topic",
    }, topics
    for target in targets:
        (transformer,) = target["input_transformer"]
        template = transformer["input_template"]
        # A quoted JSON string: SNS sends the text, placeholders filled in.
        assert template.startswith('"') and template.endswith('"')
        used = set(re.findall(r"<([A-Za-z0-9_-]+)>", template))
        assert used == set(transformer["input_paths"]), "every variable defined and used"
        assert len(transformer["input_paths"]) <= 100
        assert f"https://console.aws.amazon.com/ecs/v2/clusters/{cluster}/" in template
    task_paths = next(t for t in targets if "task-stopped" in t["rule"])["input_transformer"][0]
    assert {"$.detail.stoppedReason", "$.detail.taskArn", "$.detail.group"} <= set(
        task_paths["input_paths"].values()
    )
    assert "$.detail.containers[0].exitCode" in task_paths["input_paths"].values()


def planned_by_address(module: Path, kind: str) -> list[dict[str, Any]]:
    report = checked(module)
    assert report.plan is not None
    return [
        r["values"]
        for r in report.plan["planned_values"]["root_module"]["resources"]
        if r["type"] == kind
    ]


def test_the_topic_and_its_key_let_eventbridge_publish(rendered: Callable[[str], Path]) -> None:
    import hcl2
    from hcl2 import SerializationOptions

    options = SerializationOptions(with_comments=False, strip_string_quotes=True)
    module = rendered("defaults")
    for file, document in (("kms.tf", "kms"), ("sns.tf", "alarms_publish")):
        with (module / file).open() as handle:
            parsed = hcl2.load(handle, serialization_options=options)
        (body,) = [
            b["aws_iam_policy_document"][document]
            for b in parsed["data"]
            if document in b.get("aws_iam_policy_document", {})
        ]
        granted = [
            s
            for s in body["statement"]
            if any("events.amazonaws.com" in p["identifiers"] for p in s.get("principals", []))
        ]
        assert len(granted) == 1, file
        (statement,) = granted
        wanted = {"kms:GenerateDataKey*", "kms:Decrypt"} if file == "kms.tf" else {"sns:Publish"}
        assert set(statement["actions"]) == wanted


def test_a_canary_that_fails_to_run_alarms_and_each_step_is_drawn(module: Path) -> None:
    """Issue 15, item 8: the canary's Failed metric as well as SuccessPercent, and each
    step's SuccessPercent on the service's dashboard row."""
    alarms = planned(module, "aws_cloudwatch_metric_alarm")
    composites = planned(module, "aws_cloudwatch_composite_alarm")
    failed = {n: a for n, a in alarms.items() if n.endswith("-canary-failed")}
    success = [n for n in alarms if n.endswith("-canary-success-low")]
    assert len(failed) == len(success), "one per canary"
    for name, alarm in failed.items():
        ((query,),) = [[q for q in alarm["metric_query"] if q["metric"]]]
        (metric,) = query["metric"]
        assert (metric["namespace"], metric["metric_name"], metric["stat"]) == (
            "CloudWatchSynthetics",
            "Failed",
            "Sum",
        )
        assert set(metric["dimensions"]) == {"CanaryName"}
        assert (alarm["comparison_operator"], alarm["threshold"]) == ("GreaterThanThreshold", 0)
        assert alarm["treat_missing_data"] == "notBreaching", "success-low reports silence"
        assert any(f'ALARM("{name}")' in c["alarm_rule"] for c in composites.values())

    canaries = planned_by_address(module, "aws_synthetics_canary")
    step_widgets = [
        w
        for d in planned(module, "aws_cloudwatch_dashboard").values()
        for w in json.loads(d["dashboard_body"])["widgets"]
        if w["properties"].get("title", "").endswith(": canary steps (success %)")
    ]
    assert len(step_widgets) == len(canaries)
    for widget in step_widgets:
        metrics = widget["properties"]["metrics"]
        assert [m[:2] for m in metrics] == [["CloudWatchSynthetics", "SuccessPercent"]] * len(
            metrics
        )
        assert metrics[0][4:6] == ["StepName", "health"], "the health check is the first step"
        assert {m[2] for m in metrics} == {"CanaryName"}


def test_the_overview_starts_with_the_alarm_status_of_every_service(module: Path) -> None:
    """Issue 15, item 9: an alarm widget of every composite at the top of the overview."""
    composites = planned(module, "aws_cloudwatch_composite_alarm")
    (overview,) = [
        d for n, d in planned(module, "aws_cloudwatch_dashboard").items() if n.endswith("-overview")
    ]
    widgets = json.loads(overview["dashboard_body"])["widgets"]
    status = [w for w in widgets if w["type"] == "alarm"]
    assert status and min(w["y"] for w in widgets) == status[0]["y"] == 0
    assert all(w["y"] < t["y"] for w in status for t in widgets if w["type"] != "alarm")
    listed = [arn.rsplit(":alarm:", 1)[1] for w in status for arn in w["properties"]["alarms"]]
    assert sorted(listed) == sorted(composites)
    assert all(len(w["properties"]["alarms"]) <= 100 for w in status)


def test_a_service_is_quiet_while_it_is_not_deployed_or_being_deployed(module: Path) -> None:
    """Issue 15, item 4 (deployment-aware composites): the suppressor of each composite is in
    ALARM while ECS reports no desired tasks or more than one deployment for the service."""
    alarms = planned(module, "aws_cloudwatch_metric_alarm")
    composites = planned(module, "aws_cloudwatch_composite_alarm")
    for composite in composites.values():
        (suppressor,) = composite["actions_suppressor"]
        quiet = alarms[suppressor["alarm"]]
        assert (suppressor["wait_period"], suppressor["extension_period"]) == (120, 600)
        by_id = {q["id"]: q for q in quiet["metric_query"]}
        assert {i: q["metric"][0]["metric_name"] for i, q in by_id.items() if q["metric"]} == {
            "desired": "DesiredTaskCount",
            "deployments": "DeploymentCount",
        }
        assert by_id["quiet"]["expression"] == (
            "IF(FILL(desired, 0) < 1, 1, 0) + IF(FILL(deployments, 1) > 1, 1, 0)"
        )
        assert (quiet["comparison_operator"], quiet["threshold"]) == (
            "GreaterThanOrEqualToThreshold",
            1,
        )
        assert quiet["treat_missing_data"] == "breaching" and not quiet.get("alarm_actions")
