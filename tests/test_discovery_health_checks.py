"""Discovery of the load balancers' health checks (Discovery.health_checks), against moto in
server mode (real HTTP on 127.0.0.1): the path and matcher of each load-balanced service's
target group, which a service's canary health step can use."""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Iterator

import boto3
import pytest
from moto.server import ThreadedMotoServer

from generator.discovery import Discovery, HealthCheck

REGION = "us-east-1"


@pytest.fixture
def moto_account(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An empty moto account this process reaches through AWS_ENDPOINT_URL."""
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
    yield
    server.stop()


def test_health_checks_are_the_services_target_groups(moto_account: None) -> None:
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc_id = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    elbv2 = boto3.client("elbv2", region_name=REGION)

    def target_group(name: str, **health: str) -> str:
        group = elbv2.create_target_group(
            Name=name, Protocol="HTTP", Port=8080, VpcId=vpc_id, TargetType="ip", **health
        )
        return str(group["TargetGroups"][0]["TargetGroupArn"])

    groups = {
        "orders": target_group(
            "orders",
            HealthCheckProtocol="HTTP",
            HealthCheckPath="/healthz",
            Matcher={"HttpCode": "200-299"},
        ),
        "payments": target_group("payments", HealthCheckProtocol="HTTP", HealthCheckPath="/ping"),
        "stream": target_group("stream", HealthCheckProtocol="TCP"),
    }
    ecs = boto3.client("ecs", region_name=REGION)
    ecs.create_cluster(clusterName="platform")
    ecs.register_task_definition(
        family="web", containerDefinitions=[{"name": "web", "image": "nginx", "memory": 128}]
    )
    for service in ("orders", "payments", "stream", "worker"):
        balancers = (
            [{"targetGroupArn": groups[service], "containerName": "web", "containerPort": 8080}]
            if service in groups
            else []
        )
        ecs.create_service(
            cluster="platform",
            serviceName=service,
            taskDefinition="web",
            desiredCount=1,
            loadBalancers=balancers,
        )
    services = ["orders", "payments", "stream", "worker"]
    assert Discovery(REGION).health_checks("platform", services) == {
        "orders": HealthCheck("/healthz", "200-299"),
        "payments": HealthCheck("/ping", "200"),  # the matcher AWS defaults to
    }, "a TCP health check has no path; a service without a load balancer has no check"
