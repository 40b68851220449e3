"""Issue 12, VPC endpoints in a VPC the module does not own, read from real Terraform plans:
the VPC's other workloads keep reaching S3 (ECR image layers included) and CloudWatch once
their traffic goes through the module's endpoints; in the module's own VPC the canaries, and
what the ECS tasks placed there need to pull images and publish metrics."""

from __future__ import annotations

import shutil
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
    account = values["data.aws_caller_identity.current"]["account_id"]
    anyone = [{"type": "*", "identifiers": ["*"]}]
    if name == "defaults":
        # The module's own VPC: the ECS tasks placed in its subnets pull images (layers from
        # ECR's bucket, through the S3 endpoint on their route table) and may publish metrics
        # (private DNS sends them to the monitoring endpoint); nothing else of S3 is admitted.
        canaries = {"CanaryArtifacts", "LocateArtifactsBucket", "ListBuckets"}
        assert set(s3) == canaries | {"EcrImageLayers"}
        assert set(monitoring) == {"CanaryMetrics", "VpcWorkloadMetrics"}
        metrics = monitoring["VpcWorkloadMetrics"]
        assert (metrics["actions"], metrics["principals"]) == (["cloudwatch:PutMetricData"], anyone)
        assert [(c["test"], c["variable"], c["values"]) for c in metrics["condition"]] == [
            ("StringEquals", "aws:PrincipalAccount", [account])
        ]
        assert s3["EcrImageLayers"]["resources"] == [
            "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*"
        ]
        assert {(r["cidr_ipv4"], r["from_port"], r["to_port"]) for r in ingress.values()} == {
            ("10.80.0.0/16", 443, 443)
        }
        return
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


def _monitoring_endpoint_test(module: Path, name_tag: str) -> Path:
    """The module with only its test run that puts a monitoring endpoint with private DNS,
    Name-tagged `name_tag`, into the VPC."""
    tests = module / "tests" / "module.tftest.hcl"
    text = tests.read_text()
    header, runs = text.split('\nrun "', 1)
    (wanted,) = [r for r in runs.split('\nrun "') if r.startswith("another_monitoring_endpoint")]
    wanted = wanted.replace('"landing-zone-monitoring"', f'"{name_tag}"')
    tests.write_text(f'{header}\nrun "{wanted}')
    return module


@pytest.mark.parametrize(("name_tag", "warns"), [("landing-zone", True), ("own", False)])
def test_another_monitoring_endpoint_with_private_dns_is_reported(
    rendered: Callable[[str], Path], tmp_path: Path, name_tag: str, warns: bool
) -> None:
    """Issue 12 (a): a landing-zone VPC's own monitoring endpoint made the module's fail at
    apply (conflicting DNS domain) with nothing said at plan time. The module's `terraform
    test` run expects the check's warning: it passes only when the check warns, so for the
    module's own endpoint (its Name tag) the run fails."""
    module = tmp_path / "module"
    shutil.copytree(rendered("existing-existing"), module)
    own = "observability-staging-monitoring"
    _monitoring_endpoint_test(module, own if name_tag == "own" else "landing-zone-monitoring")
    report = check(module, checkov=False)
    failed = [f for f in report.findings if "another_monitoring_endpoint_is_reported" in f.message]
    assert bool(failed) != warns, [f.message for f in report.findings]
    checks = (module / "network.tf").read_text().split('check "no_other_monitoring_endpoint"')[1]
    message = checks.split("error_message", 1)[1].split("\n", 1)[0]
    assert "VPC ${data.aws_vpc.this.id}" in message
    assert "com.amazonaws.${var.aws_region}.monitoring" in message
    assert "create_vpc_endpoints = false" in message
