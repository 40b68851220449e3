"""Discovery of the load balancers' health checks (Discovery.health_checks), against moto in
server mode (real HTTP on 127.0.0.1): the path and matcher of each load-balanced service's
target group, which the wizard offers as the service's canary health step (the answer
service_health_checks), through to the canary the module plans."""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from generator.discovery import Discovery, HealthCheck
from generator.questions import load_questions
from generator.wizard import ask_answers, summary
from tests.helpers.answers import recorded_answers
from tests.helpers.canary_runs import planned_canary_zip, run_from_zip
from tests.helpers.terminal import (
    CLEAR,
    CONFIRM,
    DEFAULT_PROMPTS,
    DOWN,
    ENTER,
    Scripted,
    Terminal,
    offline_env,
)

REGION = "us-east-1"


@pytest.fixture
def moto_account(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[dict[str, str]]:
    """An empty moto account this process reaches through AWS_ENDPOINT_URL; yields what a
    wizard process needs to reach it (endpoint, fake credentials, no other AWS settings)."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    urllib.request.urlopen(  # moto keeps state across servers in one process
        urllib.request.Request(f"http://{host}:{port}/moto-api/reset", method="POST")
    ).close()
    for key in [key for key in os.environ if key.startswith("AWS_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://{host}:{port}")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    yield offline_env(
        tmp_path,
        AWS_ENDPOINT_URL=f"http://{host}:{port}",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
    )
    server.stop()


def load_balanced_services(groups: dict[str, dict[str, Any]], others: list[str]) -> None:
    """ECS services in cluster "platform": each of `groups` behind its own target group,
    created with those settings (its health check), and `others` behind none."""
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc_id = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    elbv2 = boto3.client("elbv2", region_name=REGION)
    ecs = boto3.client("ecs", region_name=REGION)
    ecs.create_cluster(clusterName="platform")
    ecs.register_task_definition(
        family="web", containerDefinitions=[{"name": "web", "image": "nginx", "memory": 128}]
    )
    for service in [*groups, *others]:
        balancers = []
        if service in groups:
            group = elbv2.create_target_group(
                Name=service, Port=8080, VpcId=vpc_id, TargetType="ip", **groups[service]
            )["TargetGroups"][0]
            balancers = [
                {
                    "targetGroupArn": group["TargetGroupArn"],
                    "containerName": "web",
                    "containerPort": 8080,
                }
            ]
        ecs.create_service(
            cluster="platform",
            serviceName=service,
            taskDefinition="web",
            desiredCount=1,
            loadBalancers=balancers,
        )


HTTP = {"Protocol": "HTTP", "HealthCheckProtocol": "HTTP"}


def test_health_checks_are_the_services_target_groups(moto_account: dict[str, str]) -> None:
    load_balanced_services(
        {
            "orders": {**HTTP, "HealthCheckPath": "/healthz", "Matcher": {"HttpCode": "200-299"}},
            "payments": {**HTTP, "HealthCheckPath": "/ping"},
            "stream": {"Protocol": "TCP", "HealthCheckProtocol": "TCP"},
            "rpc": {
                **HTTP,
                "ProtocolVersion": "GRPC",
                "HealthCheckPath": "/AWS.ALB/healthcheck",
                "Matcher": {"GrpcCode": "12"},
            },
        },
        others=["worker"],
    )
    services = ["orders", "payments", "stream", "rpc", "worker"]
    assert Discovery(REGION).health_checks("platform", services) == {
        "orders": HealthCheck("/healthz", "200-299"),
        "payments": HealthCheck("/ping", "200"),  # the matcher AWS defaults to
    }, (
        "a TCP health check has no path, a gRPC one no HTTP codes; a service without a load balancer no check"
    )


def test_the_wizard_offers_each_health_check_as_the_services_health_step(
    moto_account: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    load_balanced_services(
        {
            "orders": {**HTTP, "HealthCheckPath": "/healthz", "Matcher": {"HttpCode": "200,204"}},
            "payments": {**HTTP, "HealthCheckPath": "/ping"},
            # A path the question refuses: not offered, saying why.
            "legacy": {**HTTP, "HealthCheckPath": "/ping$", "Matcher": {"HttpCode": "200-299"}},
        },
        others=["worker"],
    )
    prompter = Scripted({"cluster_mode": ["existing"], "cluster_name": ["platform"]})
    answers = ask_answers(load_questions(), prompter, discover=Discovery)
    assert answers["services"] == ["legacy", "orders", "payments", "worker"]
    assert answers["service_health_checks"] == {
        "orders": "/healthz 200,204",
        "payments": "/ping 200",
    }, "accepted by the question's own validator, as the wizard's default"
    out = capsys.readouterr().out
    assert (
        "The health check of legacy (/ping$ 200-299) is left out: health check of 'legacy'" in out
    )
    assert (
        "Canary health steps: orders GET /healthz expecting 200,204;"
        " payments GET /ping expecting 200; the others GET /health expecting 200."
    ) in summary(answers)


def test_a_discovered_health_check_becomes_the_canarys_health_step(
    moto_account: dict[str, str],
    template_dir: Path,
    tmp_path: Path,
    responses_port: int,
) -> None:
    """End to end: the target group accepts 200-299 at /health; the wizard, in a terminal,
    offers it; the module carries it; the canary Terraform plans passes on a service that
    answers 204 there (with the default health step, 200 alone, it would fail)."""
    load_balanced_services(
        {"orders": {**HTTP, "HealthCheckPath": "/health", "Matcher": {"HttpCode": "200-299"}}},
        others=[],
    )
    dest = tmp_path / "module"
    term = Terminal([str(dest), "--template", str(template_dir)], moto_account)
    for prompt in ("project_name", "environment_suffix", "aws_region"):
        term.answer(prompt)
    term.answer("cluster_mode", DOWN + ENTER)
    term.answer("cluster_name", shown=["platform", "Enter it by hand"])
    term.answer("vpc_mode", DOWN + ENTER)  # the default VPC
    for prompt in ("create_vpc_endpoints", "services", "service_log_groups"):
        term.answer(prompt)
    term.answer("service_load_balancers")
    term.answer("service_health_checks", shown=["orders=/health 200-299"])
    # /<service>/health on the live service: its variant "orders" answers 204 there.
    pattern = f"http://127.0.0.1:{responses_port}/{{service}}"
    term.answer("service_endpoint_pattern", CLEAR + pattern + ENTER)
    for prompt in DEFAULT_PROMPTS[DEFAULT_PROMPTS.index("canary_runtime") :]:
        term.answer(prompt)
    term.expect("Canary health steps: orders GET /health expecting 200-299.")
    term.answer(CONFIRM)
    assert term.finish() == 0, term.text
    assert recorded_answers(dest)["service_health_checks"] == {"orders": "/health 200-299"}
    assert 'health_expected_status = "200-299"' in (dest / "services.auto.tfvars").read_text()

    run = run_from_zip("python", planned_canary_zip(dest, "orders", tmp_path / "c.zip"), tmp_path)
    assert run.error is None, run.error
    assert run.outcomes() == [("health", "PASSED")]
