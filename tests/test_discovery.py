"""AWS discovery against moto in server mode (real HTTP on 127.0.0.1), and without any
credentials: choices when AWS answers, one line saying why when it cannot, never a traceback."""

from __future__ import annotations

import os
import socket
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.server import ThreadedMotoServer

from generator.discovery import Discovery, DiscoveryOff, _reason
from generator.questions import load_questions
from generator.wizard import CHOICES_FROM_AWS, DEFAULTS_FROM_AWS, ask_answers
from tests.helpers.answers import recorded_answers
from tests.helpers.terminal import (  # alike test_wizard.py's on purpose: same keys
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

# The prompts after the VPC's subnets, each taken with its default: the endpoints question
# (asked only for an existing VPC), then the rest of the wizard's default path.
AFTER_THE_SUBNETS = (
    "create_vpc_endpoints",
    "services",
    "service_log_groups",  # asked for an existing cluster
    "service_load_balancers",  # asked for an existing cluster
    "service_health_checks",  # asked for an existing cluster
    *DEFAULT_PROMPTS[DEFAULT_PROMPTS.index("services") + 1 :],
)


@dataclass(frozen=True)
class FakeAccount:
    env: dict[str, str]  # what a process needs to use it: endpoint and fake credentials
    vpc_id: str
    subnet_ids: list[str]  # sorted by availability zone


def _use(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    """This process's AWS settings become exactly those of `env`."""
    for key in [key for key in os.environ if key.startswith("AWS_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        if key.startswith("AWS_"):
            monkeypatch.setenv(key, value)


@pytest.fixture
def account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAccount]:
    """A moto server with two ECS clusters, a named VPC with two subnets (and moto's default
    VPC); this process and the processes given `env` reach it through AWS_ENDPOINT_URL."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    # moto keeps its state in the process, across servers: start from an empty account.
    urllib.request.urlopen(
        urllib.request.Request(f"http://{host}:{port}/moto-api/reset", method="POST")
    ).close()
    env = offline_env(
        tmp_path,
        AWS_ENDPOINT_URL=f"http://{host}:{port}",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
    )
    _use(monkeypatch, env)
    ecs = boto3.client("ecs", region_name=REGION)
    for name in ("platform", "alpha"):
        ecs.create_cluster(clusterName=name)
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc_id = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc_id], Tags=[{"Key": "Name", "Value": "apps"}])
    subnets = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for cidr, zone in (("10.1.2.0/24", "us-east-1b"), ("10.1.1.0/24", "us-east-1a"))
    ]
    yield FakeAccount(env, vpc_id, subnets[::-1])
    server.stop()


def test_lists_the_accounts_clusters_vpcs_and_subnets(account: FakeAccount) -> None:
    discovery = Discovery(REGION)
    assert discovery.clusters() == ["alpha", "platform"]
    vpcs = discovery.vpcs()
    assert not isinstance(vpcs, DiscoveryOff)
    assert vpcs[0].is_default and "(default VPC)" in vpcs[0].label(), "the default VPC first"
    assert [(v.id, v.name, v.cidr) for v in vpcs[1:]] == [(account.vpc_id, "apps", "10.1.0.0/16")]
    subnets = discovery.subnets(account.vpc_id)
    assert not isinstance(subnets, DiscoveryOff)
    assert [s.id for s in subnets] == account.subnet_ids
    assert [s.availability_zone for s in subnets] == ["us-east-1a", "us-east-1b"]
    assert discovery.off is None


def test_without_credentials_discovery_is_off_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(monkeypatch, offline_env(tmp_path))
    discovery = Discovery(REGION)
    started = time.monotonic()
    result = discovery.clusters()
    assert isinstance(result, DiscoveryOff)
    assert result.reason.startswith("no AWS credentials found") and "\n" not in result.reason
    assert discovery.vpcs() is result, "after a failure nothing more is tried"
    assert time.monotonic() - started < 5


def test_an_unreachable_endpoint_turns_discovery_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as unused:  # a port nothing listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    _use(
        monkeypatch,
        offline_env(
            tmp_path,
            AWS_ENDPOINT_URL=f"http://127.0.0.1:{port}",
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
        ),
    )
    result = Discovery(REGION).vpcs()
    assert isinstance(result, DiscoveryOff) and result.reason.startswith("cannot reach AWS")


def test_a_refusal_names_the_call_and_the_error() -> None:
    error = ClientError(
        {"Error": {"Code": "AccessDenied", "Message": "not authorized\nto ListClusters"}},
        "ListClusters",
    )
    assert (
        _reason(error) == "AWS refused ListClusters: AccessDenied: not authorized to ListClusters"
    )
    assert len(_reason(RuntimeError("x" * 500))) == 200


def test_the_answers_discovery_fills_are_questions_of_copier_yml() -> None:
    # A renamed question would otherwise silently lose its AWS choices or default.
    questions = load_questions()
    assert set(CHOICES_FROM_AWS) | set(DEFAULTS_FROM_AWS) <= set(questions)
    assert not any(questions[name].choices for name in CHOICES_FROM_AWS), "typed, not chosen"


def test_wizard_offers_the_accounts_cluster_vpc_and_subnets(
    account: FakeAccount, template_dir: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "module"
    term = Terminal([str(dest), "--template", str(template_dir)], account.env)
    for prompt in ("project_name", "environment_suffix", "aws_region"):
        term.answer(prompt)
    term.answer("cluster_mode", DOWN + ENTER)
    term.answer("cluster_name", DOWN + ENTER, shown=["alpha", "platform", "Enter it by hand"])
    term.answer("vpc_mode", DOWN + DOWN + ENTER)
    term.answer("vpc_id", DOWN + ENTER, shown=["(default VPC)", "apps", "Enter it by hand"])
    # Every subnet of the VPC comes checked.
    term.answer("subnet_ids", shown=[*account.subnet_ids, "Enter them by hand instead"])
    for prompt in (*AFTER_THE_SUBNETS, CONFIRM):
        term.answer(prompt)
    assert term.finish() == 0, term.text
    assert "AWS discovery is off" not in term.text
    answers = recorded_answers(dest)
    assert answers["cluster_name"] == "platform"
    assert answers["vpc_id"] == account.vpc_id
    assert answers["subnet_ids"] == account.subnet_ids


def test_wizard_without_credentials_says_why_in_one_line_and_asks_by_hand(
    template_dir: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "module"
    term = Terminal.offline(dest, template_dir, tmp_path)
    for prompt in ("project_name", "environment_suffix", "aws_region"):
        term.answer(prompt)
    term.answer("cluster_mode", DOWN + ENTER)
    term.expect("AWS discovery is off: no AWS credentials found")
    term.answer("cluster_name", CLEAR + "platform" + ENTER)
    term.answer("vpc_mode", DOWN + DOWN + ENTER)
    term.answer("vpc_id", "vpc-0a1b2c3d" + ENTER)
    term.answer("subnet_ids", "subnet-0a1b2c3d" + ENTER)
    for prompt in (*AFTER_THE_SUBNETS, CONFIRM):
        term.answer(prompt)
    assert term.finish() == 0, term.text
    assert term.text.count("AWS discovery is off") == 1 and "Traceback" not in term.text
    answers = recorded_answers(dest)
    assert (answers["cluster_name"], answers["vpc_id"]) == ("platform", "vpc-0a1b2c3d")
    assert answers["subnet_ids"] == ["subnet-0a1b2c3d"]


def test_finds_the_canaries_endpoints_a_vpc_has_already(account: FakeAccount) -> None:
    ec2 = boto3.client("ec2", region_name=REGION)
    table = ec2.create_route_table(VpcId=account.vpc_id)["RouteTable"]["RouteTableId"]
    discovery = Discovery(REGION)
    assert discovery.canary_endpoints(account.vpc_id) == []
    ec2.create_vpc_endpoint(
        VpcId=account.vpc_id,
        ServiceName=f"com.amazonaws.{REGION}.s3",
        VpcEndpointType="Gateway",
        RouteTableIds=[table],
    )
    ec2.create_vpc_endpoint(
        VpcId=account.vpc_id,
        ServiceName=f"com.amazonaws.{REGION}.dynamodb",
        VpcEndpointType="Gateway",
        RouteTableIds=[table],
    )
    assert discovery.canary_endpoints(account.vpc_id) == ["s3"]
    ec2.create_vpc_endpoint(
        VpcId=account.vpc_id,
        ServiceName=f"com.amazonaws.{REGION}.monitoring",
        VpcEndpointType="Interface",
        SubnetIds=account.subnet_ids[:1],
        PrivateDnsEnabled=True,
    )
    assert discovery.canary_endpoints(account.vpc_id) == ["s3", "monitoring"]
    default_vpc = discovery.default_vpc_id()
    assert isinstance(default_vpc, str) and default_vpc != account.vpc_id
    assert discovery.canary_endpoints(default_vpc) == []


def test_wizard_answers_no_endpoints_when_the_vpc_has_them(
    account: FakeAccount, capsys: pytest.CaptureFixture[str]
) -> None:
    ec2 = boto3.client("ec2", region_name=REGION)
    table = ec2.create_route_table(VpcId=account.vpc_id)["RouteTable"]["RouteTableId"]
    ec2.create_vpc_endpoint(
        VpcId=account.vpc_id,
        ServiceName=f"com.amazonaws.{REGION}.s3",
        VpcEndpointType="Gateway",
        RouteTableIds=[table],
    )
    existing = {"vpc_mode": "existing", "vpc_id": account.vpc_id}
    answers = ask_answers(load_questions(), Scripted(), preset=existing, discover=Discovery)
    assert answers["create_vpc_endpoints"] is False
    out = capsys.readouterr().out
    assert f"{account.vpc_id} has VPC endpoints for s3 already" in out
    assert "none for monitoring: the canaries need a NAT route" in out
    default_vpc = ask_answers(
        load_questions(), Scripted(), preset={"vpc_mode": "default"}, discover=Discovery
    )
    assert default_vpc["create_vpc_endpoints"] is True, "the default VPC has none"


def test_wizard_offers_the_clusters_services(account: FakeAccount) -> None:
    ecs = boto3.client("ecs", region_name=REGION)
    logging = {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/platform/web"}}
    ecs.register_task_definition(
        family="web",
        containerDefinitions=[
            {"name": "web", "image": "nginx", "memory": 128, "logConfiguration": logging}
        ],
    )
    for service in ("payments", "orders"):
        ecs.create_service(
            cluster="platform", serviceName=service, taskDefinition="web", desiredCount=1
        )
    assert Discovery(REGION).services("platform") == ["orders", "payments"]
    prompter = Scripted({"cluster_mode": ["existing"], "cluster_name": ["platform"]})
    answers = ask_answers(load_questions(), prompter, discover=Discovery)
    assert [value for _, value in prompter.offered["services"]][:2] == ["orders", "payments"]
    assert answers["services"] == ["orders", "payments"], "every service pre-checked"
    assert answers["service_log_groups"] == {
        "orders": "/ecs/platform/web",
        "payments": "/ecs/platform/web",
    }, "read from the task definitions' awslogs options"


def test_wizard_reads_each_services_load_balancer_from_its_target_group(
    account: FakeAccount,
) -> None:
    """Issue 15, item 1: an ECS service's `loadBalancers` names its target group; the target
    group names its Application Load Balancer. The answer holds the ends of both ARNs, the
    names CloudWatch gives their metrics."""
    elb = boto3.client("elbv2", region_name=REGION)
    balancer = elb.create_load_balancer(
        Name="web", Subnets=account.subnet_ids, Scheme="internal", Type="application"
    )["LoadBalancers"][0]["LoadBalancerArn"]
    group = elb.create_target_group(
        Name="orders", Protocol="HTTP", Port=8080, VpcId=account.vpc_id, TargetType="ip"
    )["TargetGroups"][0]["TargetGroupArn"]
    elb.create_listener(
        LoadBalancerArn=balancer,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": group}],
    )
    ecs = boto3.client("ecs", region_name=REGION)
    ecs.register_task_definition(
        family="web", containerDefinitions=[{"name": "web", "image": "nginx", "memory": 128}]
    )
    ecs.create_service(
        cluster="platform",
        serviceName="orders",
        taskDefinition="web",
        desiredCount=1,
        loadBalancers=[{"targetGroupArn": group, "containerName": "web", "containerPort": 8080}],
    )
    ecs.create_service(  # a worker: behind no load balancer
        cluster="platform", serviceName="worker", taskDefinition="web", desiredCount=1
    )
    expected = {
        "load_balancer": balancer.split(":loadbalancer/", 1)[1],
        "target_group": group.rsplit(":", 1)[1],
    }
    assert expected["load_balancer"].startswith("app/web/")
    assert expected["target_group"].startswith("targetgroup/orders/")
    assert Discovery(REGION).load_balancers("platform", ["orders", "worker"]) == {
        "orders": expected
    }
    prompter = Scripted({"cluster_mode": ["existing"], "cluster_name": ["platform"]})
    answers = ask_answers(load_questions(), prompter, discover=Discovery)
    assert answers["services"] == ["orders", "worker"]
    assert answers["service_load_balancers"] == {
        "orders": f"{expected['load_balancer']} {expected['target_group']}"
    }, "accepted by the question's own validator, as the wizard's default"
