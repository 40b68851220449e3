"""Issue 12, VPC endpoints in a VPC the module does not own, read from real Terraform plans:
the VPC's other workloads keep reaching S3 (ECR image layers included) and CloudWatch once
their traffic goes through the module's endpoints; in the module's own VPC only the canaries
are admitted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.check import check


def _planned(module: Path) -> dict[str, Any]:
    report = check(module, checkov=False)
    assert report.plan is not None, [f"{f.rule} {f.message}" for f in report.findings]
    assert not report.errors, report.errors
    resources = [
        *report.plan["prior_state"]["values"]["root_module"]["resources"],
        *report.plan["planned_values"]["root_module"]["resources"],
    ]
    return {r["address"]: r.get("values", {}) for r in resources}


@pytest.fixture(scope="module", params=["existing-existing", "defaults"])
def planned(request: pytest.FixtureRequest, rendered: Callable[[str], Path]) -> tuple[str, Any]:
    return request.param, _planned(rendered(request.param))


def _statements(planned: dict[str, Any], endpoint: str) -> dict[str, dict[str, Any]]:
    """The endpoint policy's statements by sid, as planned (its JSON waits for the canary
    role's ARN)."""
    document = planned[f"data.aws_iam_policy_document.{endpoint}_endpoint"]
    return {s["sid"]: s for s in document["statement"]}


def test_other_workloads_keep_reaching_s3_and_cloudwatch(planned: tuple[str, Any]) -> None:
    """Issue 12 (b): in an existing VPC the S3 endpoint's policy admitted only the canaries on
    route tables shared with ECS tasks (ECR image layers are in S3), and the monitoring
    endpoint's private DNS sent every workload's CloudWatch calls to an endpoint whose security
    group admitted only the canaries."""
    name, values = planned
    s3 = _statements(values, "s3")
    monitoring = _statements(values, "monitoring")
    ingress = {
        address: rule
        for address, rule in values.items()
        if address.startswith("aws_vpc_security_group_ingress_rule.vpc_endpoints_from_vpc")
    }
    if name == "defaults":  # the module's own VPC holds only the canaries
        assert set(s3) == {"CanaryArtifacts", "LocateArtifactsBucket", "ListBuckets"}
        assert set(monitoring) == {"CanaryMetrics"}
        assert not ingress
        return
    account = values["data.aws_caller_identity.current"]["account_id"]
    anyone = [{"type": "*", "identifiers": ["*"]}]
    for statements, action in ((s3, "s3:*"), (monitoring, "cloudwatch:*")):
        workloads = statements["VpcWorkloads"]
        assert (workloads["actions"], workloads["resources"]) == ([action], ["*"])
        assert workloads["principals"] == anyone
        assert [(c["test"], c["variable"], c["values"]) for c in workloads["condition"]] == [
            ("StringEquals", "aws:PrincipalAccount", [account])
        ]
    layers = s3["EcrImageLayers"]
    assert layers["principals"] == anyone and layers["actions"] == ["s3:GetObject"]
    assert layers["resources"] == ["arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*"]
    assert not layers["condition"]
    vpc = values["data.aws_vpc.this"]
    cidrs = {vpc["cidr_block"], *(a["cidr_block"] for a in vpc["cidr_block_associations"])}
    assert {r["cidr_ipv4"] for r in ingress.values()} == cidrs
    assert {(r["from_port"], r["to_port"]) for r in ingress.values()} == {(443, 443)}
