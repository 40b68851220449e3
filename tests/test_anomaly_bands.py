"""Issue 15, item 5: anomaly-detection bands on a load-balanced service's request count and p99
response time, opt-in per service (anomaly_bands, anomaly_band_width), as real Terraform plans
them, drawn on the dashboards, and accepted by `cw-scaffold check`."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.check import Report, check
from generator.check.rules.dashboard_body import problems
from tests.helpers.variants import VARIANTS

LB, CART_TG = VARIANTS["all-options"]["service_load_balancers"]["cart"].split()
CATALOG_TG = "targetgroup/catalog/0123456789abcdef"
METRIC_ID = re.compile(r"[a-z][A-Za-z0-9_]*")
BANDS = {"lb-requests-anomaly", "lb-latency-anomaly"}


def _with_settings(module: Path, settings: dict[str, Any]) -> Report:
    (module / "services.auto.tfvars").unlink()
    (module / "services.auto.tfvars.json").write_text(json.dumps({"service_settings": settings}))
    return check(module, checkov=False)


@pytest.fixture(scope="module")
def report(rendered: Callable[[str], Path], tmp_path_factory: pytest.TempPathFactory) -> Report:
    """all-options with two services behind the load balancer: cart with bands 3 standard
    deviations wide, Catalog without bands (the default)."""
    module = tmp_path_factory.mktemp("bands") / "module"
    shutil.copytree(rendered("all-options"), module)
    return _with_settings(
        module,
        {
            "cart": {
                "load_balancer": LB,
                "target_group": CART_TG,
                "anomaly_bands": True,
                "anomaly_band_width": 3,
            },
            "Catalog": {"load_balancer": LB, "target_group": CATALOG_TG},
        },
    )


def _planned(report: Report, kind: str) -> dict[str, dict[str, Any]]:
    assert report.plan is not None, [f"{f.rule} {f.message}" for f in report.findings]
    return {
        r["values"].get("alarm_name") or r["values"]["dashboard_name"]: r["values"]
        for r in report.plan["planned_values"]["root_module"]["resources"]
        if r["type"] == kind
    }


def test_check_stays_clean_with_anomaly_alarms(report: Report) -> None:
    """No rule (AWS-VALUE's PutMetricAlarm constraints included) objects to an alarm with
    threshold_metric_id and no threshold."""
    assert not report.errors, report.errors
    assert [f"{f.rule} {f.message}" for f in report.findings] == []


def test_only_the_opted_in_service_gets_band_alarms(report: Report) -> None:
    alarms = _planned(report, "aws_cloudwatch_metric_alarm")
    banded = {n for n in alarms if "anomaly" in n}
    # A traffic anomaly pages; a slower p99 than usual notifies (lb-latency-p99 pages).
    assert banded == {"shop-qa-cart-lb-requests-anomaly", "shop-qa-cart-lb-latency-anomaly-warning"}
    assert "shop-qa-Catalog-lb-latency-p99" in alarms, "Catalog is behind the load balancer"
    composites = _planned(report, "aws_cloudwatch_composite_alarm")
    assert (
        'ALARM("shop-qa-cart-lb-requests-anomaly")'
        in composites["shop-qa-cart-health"]["alarm_rule"]
    )
    assert (
        'ALARM("shop-qa-cart-lb-latency-anomaly-warning")'
        in (composites["shop-qa-cart-warning"]["alarm_rule"])
    )


def test_band_alarms_compare_with_the_band_not_a_threshold(report: Report) -> None:
    alarms = _planned(report, "aws_cloudwatch_metric_alarm")
    requests = alarms["shop-qa-cart-lb-requests-anomaly"]
    latency = alarms["shop-qa-cart-lb-latency-anomaly-warning"]
    for alarm in (requests, latency):
        assert alarm["threshold"] is None and alarm["threshold_metric_id"] == "band"
        queries = {q["id"]: q for q in alarm["metric_query"]}
        assert all(METRIC_ID.fullmatch(i) for i in queries)
        # The band and the series it bounds return data; nothing else does.
        returning = {i for i, q in queries.items() if q["return_data"]}
        assert len(returning) == 2 and "band" in returning
        (evaluated,) = returning - {"band"}
        assert queries["band"]["expression"] == f"ANOMALY_DETECTION_BAND({evaluated}, 3)"
        for query in queries.values():
            named = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", query["expression"] or ""))
            assert named - {"ANOMALY_DETECTION_BAND", "FILL"} <= set(queries) - {query["id"]}
        (metric,) = [q["metric"][0] for q in queries.values() if q["metric"]]
        assert metric["dimensions"] == {"LoadBalancer": LB, "TargetGroup": CART_TG}
        assert metric["period"] == 300
        assert alarm["evaluation_periods"] == 3
        # ALB metrics exist only while requests flow: no requests is never a breach.
        assert alarm["treat_missing_data"] == "notBreaching"

    # Traffic: a spike or a drop, and a period without requests counts as 0 requests.
    assert requests["comparison_operator"] == "LessThanLowerOrGreaterThanUpperThreshold"
    by_id = {q["id"]: q for q in requests["metric_query"]}
    assert by_id["result"]["expression"] == "FILL(requests, 0)"
    assert by_id["requests"]["metric"][0]["metric_name"] == "RequestCount"
    assert by_id["requests"]["metric"][0]["stat"] == "Sum"
    # Latency: slower than usual only.
    assert latency["comparison_operator"] == "GreaterThanUpperThreshold"
    by_id = {q["id"]: q for q in latency["metric_query"]}
    assert by_id["latency"]["metric"][0]["metric_name"] == "TargetResponseTime"
    assert by_id["latency"]["metric"][0]["stat"] == "p99"


def test_the_dashboards_draw_the_bands(report: Report) -> None:
    widgets = []
    for name, dashboard in _planned(report, "aws_cloudwatch_dashboard").items():
        body = json.loads(dashboard["dashboard_body"])
        assert list(problems(body)) == [], name
        widgets += body["widgets"]
    by_title = {w["properties"].get("title"): w["properties"] for w in widgets}

    def expressions(title: str) -> dict[str, str]:
        return {
            m[0]["id"]: m[0]["expression"]
            for m in by_title[title]["metrics"]
            if len(m) == 1 and "expression" in m[0]
        }

    assert expressions("cart: requests and 5xx")["band"] == "ANOMALY_DETECTION_BAND(result, 3)"
    assert expressions("cart: requests and 5xx")["result"] == "FILL(requests, 0)"
    latency = by_title["cart: p99 response time and targets"]["metrics"]
    assert latency[0][-1]["id"] == "latency"
    assert expressions("cart: p99 response time and targets") == {
        "band": "ANOMALY_DETECTION_BAND(latency, 3)"
    }
    assert "band" not in expressions("Catalog: requests and 5xx")
    assert "band" not in expressions("Catalog: p99 response time and targets")


@pytest.mark.parametrize("variant", ["defaults", "all-options"])
def test_bands_are_off_by_default(variant: str, rendered: Callable[[str], Path]) -> None:
    report = check(rendered(variant), checkov=False)
    alarms = _planned(report, "aws_cloudwatch_metric_alarm")
    assert not [n for n in alarms if n.endswith(tuple(BANDS))]
    assert not [a for a in alarms.values() if a.get("threshold_metric_id")]


@pytest.mark.parametrize(
    ("settings", "refused"),
    [
        ({"cart": {"anomaly_bands": True}}, "anomaly_bands = true needs the service's"),
        (
            {
                "cart": {
                    "load_balancer": LB,
                    "target_group": CART_TG,
                    "anomaly_bands": True,
                    "anomaly_band_width": 0,
                }
            },
            "anomaly_band_width must be a number of standard deviations above 0",
        ),
    ],
)
def test_settings_that_cannot_work_are_refused(
    settings: dict[str, Any], refused: str, rendered: Callable[[str], Path], tmp_path: Path
) -> None:
    module = tmp_path / "module"
    shutil.copytree(rendered("all-options"), module)
    report = _with_settings(module, settings)
    assert refused in " ".join(f.message for f in report.findings)


def test_cost_summary_and_readme_tell_about_the_bands(rendered: Callable[[str], Path]) -> None:
    from generator.cost import estimate
    from generator.questions import load_questions, resolve_answers
    from generator.wizard import summary

    answers = resolve_answers(dict(VARIANTS["all-options"]), load_questions())
    # Off by default: nothing priced, and the note prices a service that turns them on.
    assert "anomaly" not in " ".join(line.item.lower() for line in estimate(answers).lines)
    assert "add 2 alarms at $0.30 a month each per service" in " ".join(estimate(answers).notes)
    assert "Anomaly-detection bands on requests and p99 response time are opt-in" in (
        summary(answers)
    )
    readme = (rendered("all-options") / "README.md").read_text()
    assert "## Anomaly bands" in readme and "`anomaly_bands = true`" in readme
    assert "| anomaly-detection alarm (`anomaly_bands`) | $0.30 a month |" in readme


def test_a_full_dashboard_with_every_signal_stays_within_the_limits(
    template_dir: Path, tmp_path: Path
) -> None:
    """The scale test's limits for the most a dashboard can hold: 20 services (one dashboard's
    worth; at 500 services there are 25 such), every one behind a load balancer with bands, a
    canary, and Container Insights enhanced (its per-task widget)."""
    from generator.render import render

    services = [f"service-with-a-long-name-{i:02d}" for i in range(20)]
    module = render(
        {"services": services, "container_insights": "enhanced"},
        tmp_path / "module",
        template=template_dir,
    )
    report = _with_settings(
        module,
        {
            name: {
                "load_balancer": LB,
                "target_group": f"targetgroup/{name[-20:]}/0123456789abcdef",
                "anomaly_bands": True,
            }
            for name in services
        },
    )
    assert [f"{f.rule} {f.message}" for f in report.findings] == []
    (dashboard,) = [
        d for n, d in _planned(report, "aws_cloudwatch_dashboard").items() if "-services-" in n
    ]
    widgets = json.loads(dashboard["dashboard_body"])["widgets"]
    # CPU, tasks, per task, requests, latency, canary, steps, recent errors, alarms
    assert len(widgets) == 20 * 9
    metrics = [len(w["properties"].get("metrics", [])) for w in widgets]
    assert max(metrics) <= 500 and sum(metrics) <= 2500
    assert max(len(w["properties"].get("alarms", [])) for w in widgets) <= 100
    alarms = _planned(report, "aws_cloudwatch_metric_alarm")
    assert len([n for n in alarms if "-lb-" in n and "anomaly" in n]) == 2 * 20
    assert max(map(len, alarms)) <= 255
