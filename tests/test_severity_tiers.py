"""Issue 15, item 3: severity tiers. Critical alarms page through the alarm topic, warnings
notify the warning topic; per service one composite alarm per tier; each tier with its own
threshold and M of N, read from real Terraform plans of rendered variants of the matrix."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.check import check
from generator.check.rules.dashboard_body import problems
from generator.questions import load_questions, resolve_answers
from generator.wizard import summary
from tests.helpers.plans import checked, planned_values, with_service_settings
from tests.helpers.variants import VARIANTS, services_of

# kind => {tier: (threshold, evaluation periods, datapoints to alarm)}: the documented defaults
# (docs/severity-tiers.md), the threshold in the metric's unit (TargetResponseTime: seconds).
DEFAULT_TIERS: dict[str, dict[str, tuple[float, int, int]]] = {
    "cpu-high": {"warning": (80, 15, 10), "critical": (95, 5, 4)},
    "memory-high": {"warning": (80, 15, 10), "critical": (95, 5, 3)},
    "tasks-below-desired": {"critical": (0, 15, 10)},
    "canary-success-low": {"critical": (90, 2, 2)},
    "canary-duration-high": {"warning": (5000, 3, 2), "critical": (10000, 2, 2)},
    "canary-failed": {"critical": (0, 2, 2)},
    "lb-5xx-rate": {"warning": (1, 15, 10), "critical": (5, 5, 3)},
    "lb-latency-p99": {"warning": (1, 15, 10), "critical": (2, 5, 3)},
    "lb-unhealthy": {"warning": (0, 5, 5)},
    "lb-healthy-low": {"critical": (1, 5, 5)},
    "log-errors": {"warning": (10, 5, 3)},
}
ALARM = re.compile(r'ALARM\("([^"]+)"\)')


# Alarms that gate a service's composites rather than count in them: the suppressor, and the
# first run of its canary (OK() in the rule).
GATES = ("-not-deployed", "-canary-first-run")


def _resources(module: Path, kind: str) -> dict[str, dict[str, Any]]:
    return planned_values(module, kind)


def _configuration(module: Path, address: str) -> dict[str, Any]:
    """`address` as Terraform read the module's configuration (references and constants)."""
    report = checked(module)
    assert report.plan is not None
    (resource,) = [
        r
        for r in report.plan["configuration"]["root_module"]["resources"]
        if r["address"] == address
    ]
    return dict(resource)


def _configured(module: Path, address: str) -> dict[str, Any]:
    return dict(_configuration(module, address)["expressions"])


def _unlabelled(queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in q.items() if k != "label"} for q in queries]


def _for_each(module: Path, address: str) -> list[str]:
    return list(_configuration(module, address)["for_each_expression"]["references"])


def _prefix(variant: str) -> str:
    answers = {"project_name": "observability", "environment_suffix": "dev", **VARIANTS[variant]}
    return f"{answers['project_name']}-{answers['environment_suffix']}-"


@pytest.fixture(params=["defaults", "all-options", "existing-existing"])
def variant(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_each_alarm_has_its_tiers_with_their_defaults(
    variant: str, rendered: Callable[[str], Path]
) -> None:
    alarms = {
        a["alarm_name"]: a
        for a in _resources(rendered(variant), "aws_cloudwatch_metric_alarm").values()
    }
    for service in services_of(VARIANTS[variant]):
        prefix = f"{_prefix(variant)}{service}-"
        kinds = {
            name.removeprefix(prefix).removesuffix("-warning")
            for name in alarms
            if name.startswith(prefix) and not name.endswith(GATES)
        }
        assert {"cpu-high", "memory-high", "tasks-below-desired"} <= kinds
        for kind in kinds:
            for tier, (threshold, periods, m_of_n) in DEFAULT_TIERS[kind].items():
                alarm = alarms[prefix + kind + ("-warning" if tier == "warning" else "")]
                assert alarm["threshold"] == pytest.approx(threshold), alarm["alarm_name"]
                assert (alarm["evaluation_periods"], alarm["datapoints_to_alarm"]) == (
                    periods,
                    m_of_n,
                ), alarm["alarm_name"]
                assert f"{tier}: " in alarm["alarm_description"]
                # Only the composites notify: one page (or one notice) per incident.
                assert not alarm.get("alarm_actions") and not alarm.get("ok_actions")
            if "warning" not in DEFAULT_TIERS[kind]:
                assert prefix + kind + "-warning" not in alarms
            if "critical" not in DEFAULT_TIERS[kind]:
                assert prefix + kind not in alarms


def test_a_warning_comes_before_the_page(variant: str, rendered: Callable[[str], Path]) -> None:
    """Each warning threshold is on the safe side of its critical one, and both alarms read
    the same metrics with the same comparison and missing-data treatment."""
    alarms = {
        a["alarm_name"]: a
        for a in _resources(rendered(variant), "aws_cloudwatch_metric_alarm").values()
    }
    pairs = [
        (alarms[n.removesuffix("-warning")], a)
        for n, a in alarms.items()
        if n.endswith("-warning") and n.removesuffix("-warning") in alarms
    ]
    assert len(pairs) >= 3 * len(services_of(VARIANTS[variant])), "cpu, memory and more"
    for critical, warning in pairs:
        for key in ("comparison_operator", "treat_missing_data"):
            assert critical[key] == warning[key], (warning["alarm_name"], key)
        # the same metrics; an expression's label is its alarm's name
        assert _unlabelled(critical["metric_query"]) == _unlabelled(warning["metric_query"])
        if critical["comparison_operator"].startswith("Greater"):
            assert warning["threshold"] < critical["threshold"]
        else:
            assert warning["threshold"] > critical["threshold"]


def test_one_composite_per_service_and_tier(variant: str, rendered: Callable[[str], Path]) -> None:
    module = rendered(variant)
    alarms = {a["alarm_name"] for a in _resources(module, "aws_cloudwatch_metric_alarm").values()}
    composites = _resources(module, "aws_cloudwatch_composite_alarm")
    services = services_of(VARIANTS[variant])
    assert len(composites) == 2 * len(services)
    for service in services:
        prefix = f"{_prefix(variant)}{service}-"
        mine = {a for a in alarms if a.startswith(prefix) and not a.endswith(GATES)}
        # the critical one keeps the address it had before tiers
        critical = composites[f'aws_cloudwatch_composite_alarm.service["{service}"]']
        warning = composites[f'aws_cloudwatch_composite_alarm.service["{service}/warning"]']
        assert critical["alarm_name"] == f"{prefix}health", "the name it had before tiers"
        assert warning["alarm_name"] == f"{prefix}warning"
        paged, notified = (
            ALARM.findall(critical["alarm_rule"]),
            ALARM.findall(warning["alarm_rule"]),
        )
        assert set(paged) | set(notified) == mine and not set(paged) & set(notified)
        assert all(name.endswith("-warning") for name in notified)
        assert not [name for name in paged if name.endswith("-warning")]
        for composite in (critical, warning):
            (suppressor,) = composite["actions_suppressor"]
            assert suppressor["alarm"] == f"{prefix}not-deployed"
        # the canary's first run gates its success alarm, on the page's side
        assert f'OK("{prefix}canary-first-run")' in critical["alarm_rule"]
    # Critical pages through the alarm topic, warning notifies the warning topic (the ARNs
    # are known only after apply: the configuration says which).
    actions = re.findall(
        r"(?m)^  (alarm_actions|ok_actions) += (.*)$", (module / "alarms.tf").read_text()
    )
    assert dict(actions) == {
        key: '[each.value.tier == "critical" ? aws_sns_topic.alarms.arn : aws_sns_topic.warnings.arn]'
        for key in ("alarm_actions", "ok_actions")
    }


def test_the_warning_topic_is_encrypted_and_only_the_modules_alarms_and_rules_publish(
    rendered: Callable[[str], Path],
) -> None:
    module = rendered("defaults")
    topics = {a: t["name"] for a, t in _resources(module, "aws_sns_topic").items()}
    # the paging topic keeps its address and name: updated projects keep their subscriptions
    assert topics == {
        "aws_sns_topic.alarms": "observability-dev-alarms",
        "aws_sns_topic.warnings": "observability-dev-warnings",
    }
    warning = _configured(module, "aws_sns_topic.warnings")
    assert warning["kms_master_key_id"]["references"][0] == "aws_kms_key.this.arn"
    policy = _configured(module, "aws_sns_topic_policy.warnings")["policy"]
    assert policy["references"][0] == 'data.aws_iam_policy_document.alarms_publish["warnings"].json'
    # per topic (for_each over both): CloudWatch alarms of this module publish, and its
    # EventBridge rules (stopped tasks notify, the rest pages: test_service_signals)
    document = _configured(module, "data.aws_iam_policy_document.alarms_publish")
    statement, events = document["statement"]
    (rules,) = events["principals"]
    assert rules["identifiers"]["constant_value"] == ["events.amazonaws.com"]
    assert statement["actions"]["constant_value"] == ["sns:Publish"]
    assert statement["resources"]["references"] == ["each.value"]
    (principal,) = statement["principals"]
    assert principal["identifiers"]["constant_value"] == ["cloudwatch.amazonaws.com"]
    conditions = {c["variable"]["constant_value"]: c for c in statement["condition"]}
    assert set(conditions) == {"aws:SourceArn", "aws:SourceAccount"}
    assert "local.name_prefix" in conditions["aws:SourceArn"]["values"]["references"]
    for_each = _for_each(module, "data.aws_iam_policy_document.alarms_publish")
    assert {"aws_sns_topic.alarms.arn", "aws_sns_topic.warnings.arn"} <= set(for_each)
    alarm_topic = _configured(module, "aws_sns_topic_policy.alarms")["policy"]
    assert alarm_topic["references"][0] == (
        'data.aws_iam_policy_document.alarms_publish["alarms"].json'
    )
    policies = _resources(module, "aws_sns_topic_policy")
    assert set(policies) == {"aws_sns_topic_policy.alarms", "aws_sns_topic_policy.warnings"}
    # The key both topics use lets CloudWatch alarms encrypt for them (kms.tf).
    kms = _configured(module, "data.aws_iam_policy_document.kms")
    assert any(
        p["identifiers"].get("constant_value") == ["cloudwatch.amazonaws.com"]
        for s in kms["statement"]
        for p in s.get("principals", [])
    )


def test_warning_recipients_are_subscribed_to_the_warning_topic(
    rendered: Callable[[str], Path],
) -> None:
    """all-options answers an alarm e-mail; the warning e-mail defaults to it."""
    module = rendered("all-options")
    tfvars = (module / "terraform.tfvars").read_text()
    email = VARIANTS["all-options"]["alarm_email"]
    assert f'warning_emails = ["{email}"]' in tfvars
    subscriptions = _resources(module, "aws_sns_topic_subscription")
    assert (
        subscriptions['aws_sns_topic_subscription.warning_email["' + email + '"]']["endpoint"]
        == email
    )
    expressions = _configured(module, "aws_sns_topic_subscription.warning_email")
    assert expressions["topic_arn"]["references"][0] == "aws_sns_topic.warnings.arn"


def test_a_warning_threshold_that_would_page_first_stops_the_plan(
    rendered: Callable[[str], Path], tmp_path: Path
) -> None:
    service = services_of(VARIANTS["defaults"])[0]
    settings = {service: {"cpu_warning_percent": 96}}
    module = with_service_settings(rendered("defaults"), tmp_path / "module", settings)
    messages = " ".join(f.message for f in check(module, checkov=False).findings)
    assert (
        f"observability-dev-{service}-cpu-high-warning: the warning threshold 96 must be below"
        f" the critical one of cpu-high for service {service}"
    ) in messages


def test_dashboards_draw_both_thresholds_and_the_status_of_both_composites(
    variant: str, rendered: Callable[[str], Path]
) -> None:
    module = rendered(variant)
    composites = {
        c["alarm_name"] for c in _resources(module, "aws_cloudwatch_composite_alarm").values()
    }
    bodies = {
        d["dashboard_name"]: json.loads(d["dashboard_body"])
        for d in _resources(module, "aws_cloudwatch_dashboard").values()
    }
    for name, body in bodies.items():
        assert list(problems(body)) == [], name
    widgets = [w for body in bodies.values() for w in body["widgets"]]
    services = services_of(VARIANTS[variant])
    usage = [
        w for w in widgets if w["properties"].get("title", "").endswith(": CPU and memory (%)")
    ]
    assert len(usage) == len(services)
    for widget in usage:
        lines = {
            (a["label"], a["value"], a["color"])
            for a in widget["properties"]["annotations"]["horizontal"]
        }
        assert lines == {
            ("cpu-high critical", 95, "#d62728"),
            ("cpu-high warning", 80, "#ff7f0e"),
            ("memory-high critical", 95, "#d62728"),
            ("memory-high warning", 80, "#ff7f0e"),
        }
    for widget in widgets:
        if widget["properties"].get("title", "").endswith(": requests and 5xx"):
            lines = widget["properties"]["annotations"]["horizontal"]
            assert {(a["value"], a["yAxis"]) for a in lines} == {(1, "right"), (5, "right")}
    (overview,) = [b for n, b in bodies.items() if n.endswith("-overview")]
    status = [w for w in overview["widgets"] if w["type"] == "alarm"]
    listed = [arn.rsplit(":alarm:", 1)[1] for w in status for arn in w["properties"]["alarms"]]
    assert sorted(listed) == sorted(composites)
    assert all(len(w["properties"]["alarms"]) <= 100 for w in status)


def test_the_summary_says_who_is_paged_and_who_is_notified() -> None:
    answers = resolve_answers(
        {"alarm_email": "oncall@example.com", "warning_email": "team@example.com"},
        load_questions(),
    )
    text = summary(answers)
    assert "Critical alarms page through the alarm topic (oncall@example.com)" in text
    assert "notify the warning topic (team@example.com) and never page" in text
    assert re.search(r"\b4 cloudwatch_composite_alarm\b", text), "2 services x 2 tiers"
    assert "two per service: critical (pages) and warning (notifies)" in text
    # the ECS events by topic as events.tf routes them: stopped tasks only notify
    assert "cannot place or start page (the alarm topic)" in text
    assert "failed start) notify (the warning topic)" in text
