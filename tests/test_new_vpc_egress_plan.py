"""Issue 12, the new VPC's route out for ECS tasks (new_vpc_egress), read from real Terraform
plans of rendered modules: tasks in its private subnets could not pull images from ECR or
send logs to CloudWatch Logs (no NAT route, no endpoints for either)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.check import check
from generator.cost import resource_counts
from generator.questions import load_questions, resolve_answers
from generator.render import render

ANYONE = [{"type": "*", "identifiers": ["*"]}]


@pytest.fixture(scope="module")
def planned(
    template_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], dict[str, Any]]:
    """The default module with `new_vpc_egress` answered, planned once per answer: the
    planned values by address (data sources from the prior state)."""
    plans: dict[str, dict[str, Any]] = {}

    def plan(egress: str) -> dict[str, Any]:
        if egress not in plans:
            module = tmp_path_factory.mktemp(f"egress-{egress}") / "module"
            render({"new_vpc_egress": egress}, module, template=template_dir)
            report = check(module, checkov=False)
            assert report.plan is not None, [f"{f.rule} {f.message}" for f in report.findings]
            assert not report.errors, report.errors
            resources = [
                *report.plan["prior_state"]["values"]["root_module"]["resources"],
                *report.plan["planned_values"]["root_module"]["resources"],
            ]
            plans[egress] = {r["address"]: r.get("values", {}) for r in resources}
            counts: dict[str, int] = {}
            for change in report.plan["resource_changes"]:
                if change["mode"] == "managed":
                    counts[change["type"]] = counts.get(change["type"], 0) + 1
            plans[egress]["counts"] = dict(sorted(counts.items()))
        return plans[egress]

    return plan


def _conditions(statement: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    return [(c["test"], c["variable"], c["values"]) for c in statement["condition"]]


def test_endpoints_the_default(planned: Callable[[str], dict[str, Any]]) -> None:
    """The default: ECR API, ECR Docker registry and CloudWatch Logs interface endpoints with
    private DNS in both private subnets, behind the endpoints' security group (HTTPS from the
    VPC), with policies that admit image pulls and log writes by this account only."""
    values = planned("endpoints")
    endpoints = {
        address.split('"')[1]: endpoint
        for address, endpoint in values.items()
        if address.startswith("aws_vpc_endpoint.tasks[")
    }
    assert set(endpoints) == {"ecr.api", "ecr.dkr", "logs"}
    for service, endpoint in endpoints.items():
        assert endpoint["service_name"].endswith(f".{service}"), endpoint["service_name"]
        assert (endpoint["vpc_endpoint_type"], endpoint["private_dns_enabled"]) == (
            "Interface",
            True,
        )
    account = values["data.aws_caller_identity.current"]["account_id"]
    (ecr,) = values["data.aws_iam_policy_document.ecr_endpoint"]["statement"]
    assert sorted(ecr["actions"]) == [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:GetAuthorizationToken",
        "ecr:GetDownloadUrlForLayer",
    ]
    (logs,) = values["data.aws_iam_policy_document.logs_endpoint"]["statement"]
    assert sorted(logs["actions"]) == [
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:DescribeLogStreams",
        "logs:PutLogEvents",
    ]
    assert logs["resources"] == [f"arn:aws:logs:us-east-1:{account}:log-group:*"]
    for statement in (ecr, logs):
        assert statement["principals"] == ANYONE
        assert _conditions(statement) == [("StringEquals", "aws:PrincipalAccount", [account])]
    # the layers come from S3, through the gateway endpoint on the private route table
    s3 = {s["sid"]: s for s in values["data.aws_iam_policy_document.s3_endpoint"]["statement"]}
    assert s3["EcrImageLayers"]["resources"] == [
        "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*"
    ]
    assert not [address for address in values if "nat_gateway" in address]


def test_nat_gateway(planned: Callable[[str], dict[str, Any]]) -> None:
    """nat: one NAT gateway in a public subnet of the first zone, the private route table's
    default route through it, the public one's through an internet gateway; no endpoints
    for the tasks."""
    values = planned("nat")
    zones = sorted(
        subnet["availability_zone"]
        for address, subnet in values.items()
        if address.startswith("aws_subnet.private[")
    )
    public = values["aws_subnet.public"]
    assert public["availability_zone"] == zones[0]
    assert public["cidr_block"] == "10.80.2.0/24"  # after the private 10.80.0.0/24, 10.80.1.0/24
    assert not public.get("map_public_ip_on_launch")
    assert values["aws_route.private_to_internet"]["destination_cidr_block"] == "0.0.0.0/0"
    assert values["aws_route.public_to_internet"]["destination_cidr_block"] == "0.0.0.0/0"
    assert values["aws_eip.nat"]["domain"] == "vpc"
    assert not [address for address in values if address.startswith("aws_vpc_endpoint.tasks")]


def test_none_adds_nothing_and_gives_the_route_table(
    planned: Callable[[str], dict[str, Any]],
) -> None:
    values = planned("none")
    assert not [a for a in values if a.startswith(("aws_vpc_endpoint.tasks", "aws_nat_gateway"))]
    assert "aws_route_table.private" in values


@pytest.mark.parametrize("egress", ["endpoints", "nat", "none"])
def test_resource_counts_match_the_plan(
    planned: Callable[[str], dict[str, Any]], egress: str
) -> None:
    """What the wizard's summary lists is what Terraform plans."""
    answers = resolve_answers({"new_vpc_egress": egress}, load_questions())
    assert resource_counts(answers) == planned(egress)["counts"]
