"""Values the stand-in provider reports: realistic ones for the data sources modules use.

A plan reads like a real one only if data sources answer like AWS would: the account id is
twelve digits, the region is the provider's, an ECS cluster is ACTIVE with Container
Insights on, an IAM policy document is real JSON. Each function in `DATA_SOURCES` returns
the computed attributes of one data source type from its configuration; every other
computed attribute gets a placeholder of the right type (`placeholder`).

Configuration values arrive as plain Python: dicts, lists (lists and sets alike), str,
int/float, bool and None for null.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.check.provider import archive, policy_document, utility

ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "us-east-1"
DEFAULT_VPC_ID = "vpc-0123456789abcdef0"
# The newest runtime per prefix, as data.aws_synthetics_runtime_version (latest = true)
# answers: the newest in AWS's runtime release notes (docs/aws-facts.md, "Runtimes").
RUNTIME_VERSIONS = {
    "syn-python-selenium": "14.0",
    "syn-nodejs-puppeteer": "15.0",
    "syn-nodejs-playwright": "8.0",
}
_REGION_NAMES = {
    "us-east-1": "US East (N. Virginia)",
    "us-east-2": "US East (Ohio)",
    "us-west-1": "US West (N. California)",
    "us-west-2": "US West (Oregon)",
    "eu-west-1": "Europe (Ireland)",
    "eu-west-2": "Europe (London)",
    "eu-central-1": "Europe (Frankfurt)",
    "ap-southeast-1": "Asia Pacific (Singapore)",
    "ap-southeast-2": "Asia Pacific (Sydney)",
    "ap-northeast-1": "Asia Pacific (Tokyo)",
}
_DIRECTIONS = {"east": "e", "west": "w", "north": "n", "south": "s", "central": "c"}
_GATEWAY_SERVICES = {"s3", "dynamodb"}


@dataclass(frozen=True)
class Environment:
    """What a data source may depend on besides its configuration."""

    region: str
    working_dir: Path


Values = dict[str, Any]
Reader = Callable[[Values, Environment], Values]


def _hex_id(prefix: str, *seed: str) -> str:
    """A stable AWS-style id (`subnet-0a1b...`) derived from `seed`."""
    return f"{prefix}-0{hashlib.sha256('/'.join(seed).encode()).hexdigest()[:16]}"


def _region(config: Values, env: Environment) -> str:
    return str(config.get("region") or env.region)


def _zone_names(region: str) -> list[str]:
    return [f"{region}{letter}" for letter in "abc"]


def _zone_ids(region: str) -> list[str]:
    area, direction, number = (region.split("-") + ["", "", ""])[:3]
    short = "".join(_DIRECTIONS.get(word, word[:1]) for word in _split_direction(direction))
    return [f"{area}{short}{number}-az{i}" for i in (1, 2, 3)]


def _split_direction(direction: str) -> list[str]:
    """`southeast` -> [south, east], so that its zone ids read `apse1-az1`."""
    for first in ("north", "south"):
        if direction.startswith(first) and direction != first:
            return [first, direction[len(first) :]]
    return [direction]


def caller_identity(config: Values, env: Environment) -> Values:
    return {
        "id": ACCOUNT_ID,
        "account_id": ACCOUNT_ID,
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/cw-scaffold-check",
        "user_id": "AIDACKCEVSQ6C2EXAMPLE",
    }


def region(config: Values, env: Environment) -> Values:
    code = str(config.get("region") or config.get("name") or config.get("id") or env.region)
    return {
        "id": code,
        "name": code,
        "region": code,
        "endpoint": f"ec2.{code}.amazonaws.com",
        "description": _REGION_NAMES.get(code, code),
    }


def partition(config: Values, env: Environment) -> Values:
    return {
        "id": "aws",
        "partition": "aws",
        "dns_suffix": "amazonaws.com",
        "reverse_dns_prefix": "com.amazonaws",
    }


def availability_zones(config: Values, env: Environment) -> Values:
    code = _region(config, env)
    return {
        "id": code,
        "names": _zone_names(code),
        "zone_ids": _zone_ids(code),
        "group_names": [code],
    }


def vpc(config: Values, env: Environment) -> Values:
    code = _region(config, env)
    vpc_id = config.get("id") or DEFAULT_VPC_ID
    is_default = vpc_id == DEFAULT_VPC_ID
    return {
        "id": vpc_id,
        "arn": f"arn:aws:ec2:{code}:{ACCOUNT_ID}:vpc/{vpc_id}",
        "cidr_block": config.get("cidr_block")
        or ("172.31.0.0/16" if is_default else "10.0.0.0/16"),
        "default": is_default,
        "state": "available",
        "owner_id": ACCOUNT_ID,
        "instance_tenancy": "default",
        # a VPC that works for the module: postconditions on DNS settings must pass offline
        "enable_dns_support": True,
        "enable_dns_hostnames": True,
        "dhcp_options_id": _hex_id("dopt", vpc_id),
        "main_route_table_id": _hex_id("rtb", vpc_id, "main"),
        "region": code,
    }


def _filter_values(config: Values, name: str) -> list[str]:
    """The values of the `filter { name = ... }` block called `name`, if any."""
    for block in config.get("filter") or []:
        if block.get("name") == name:
            return [str(value) for value in block.get("values") or []]
    return []


def _filter_vpc_id(config: Values) -> str:
    return (_filter_values(config, "vpc-id") or [DEFAULT_VPC_ID])[0]


def subnets(config: Values, env: Environment) -> Values:
    """The subnets a `subnet-id` filter names (all taken to exist), else three per VPC."""
    vpc_id = _filter_vpc_id(config)
    named = _filter_values(config, "subnet-id")
    generated = [_hex_id("subnet", vpc_id, zone) for zone in _zone_names(_region(config, env))]
    return {"id": _region(config, env), "ids": named or generated}


def subnet(config: Values, env: Environment) -> Values:
    code = _region(config, env)
    vpc_id = config.get("vpc_id") or _filter_vpc_id(config)
    subnet_id = config.get("id") or _hex_id("subnet", vpc_id, _zone_names(code)[0])
    return {
        "id": subnet_id,
        "arn": f"arn:aws:ec2:{code}:{ACCOUNT_ID}:subnet/{subnet_id}",
        "vpc_id": vpc_id,
        "cidr_block": config.get("cidr_block") or "172.31.0.0/20",
        "availability_zone": config.get("availability_zone") or _zone_names(code)[0],
        "availability_zone_id": config.get("availability_zone_id") or _zone_ids(code)[0],
        "owner_id": ACCOUNT_ID,
        "state": "available",
        "region": code,
    }


def route_tables(config: Values, env: Environment) -> Values:
    vpc_id = config.get("vpc_id") or _filter_vpc_id(config)
    if _filter_values(config, "route.destination-prefix-list-id"):
        # no gateway endpoint routes yet: what a module's first plan sees
        return {"id": _region(config, env), "ids": []}
    return {"id": _region(config, env), "ids": [_hex_id("rtb", vpc_id, "main")]}


def vpc_endpoint_service(config: Values, env: Environment) -> Values:
    code = _region(config, env)
    service = config.get("service") or str(config.get("service_name") or "").rsplit(".", 1)[-1]
    service_type = config.get("service_type") or (
        "Gateway" if service in _GATEWAY_SERVICES else "Interface"
    )
    return {
        "id": _hex_id("vpce-svc", code, service),
        "service": service,
        "service_name": config.get("service_name") or f"com.amazonaws.{code}.{service}",
        "service_type": service_type,
        "service_id": _hex_id("vpce-svc", code, service),
        "availability_zones": _zone_names(code),
        "acceptance_required": False,
        "manages_vpc_endpoints": False,
        "owner": "amazon",
        "private_dns_name": f"{service}.{code}.amazonaws.com",
        "vpc_endpoint_policy_supported": True,
        "region": code,
    }


def ecs_cluster(config: Values, env: Environment) -> Values:
    code = _region(config, env)
    arn = f"arn:aws:ecs:{code}:{ACCOUNT_ID}:cluster/{config['cluster_name']}"
    return {
        "id": arn,
        "arn": arn,
        "status": "ACTIVE",
        "setting": [{"name": "containerInsights", "value": "enabled"}],
        "pending_tasks_count": 0,
        "running_tasks_count": 0,
        "registered_container_instances_count": 0,
        "service_connect_defaults": [],
        "region": code,
    }


def ecs_service(config: Values, env: Environment) -> Values:
    """An ACTIVE service with the long ARN, which names its cluster (every service created
    since 2021; docs/aws-facts.md, "ECS events")."""
    code = _region(config, env)
    cluster = str(config["cluster_arn"]).rsplit("/", 1)[-1]
    arn = f"arn:aws:ecs:{code}:{ACCOUNT_ID}:service/{cluster}/{config['service_name']}"
    return {"id": arn, "arn": arn, "status": "ACTIVE", "region": code}


def synthetics_runtime_version(config: Values, env: Environment) -> Values:
    prefix = str(config["prefix"])
    version = config.get("version") or RUNTIME_VERSIONS.get(prefix, "1.0")
    name = f"{prefix}-{version}"
    return {
        "id": name,
        "version_name": name,
        "description": f"{name} runtime",
        "release_date": "2025-01-01T00:00:00Z",
        "deprecation_date": None,
        "region": _region(config, env),
    }


def ssm_parameter(config: Values, env: Environment) -> Values:
    """A parameter's value. AWS's public `.../recommended` AMI parameters (ECS- and
    EKS-optimized AMIs) hold a JSON document of the AMI's metadata, which modules
    `jsondecode` for its `image_id`; `.../image_id` holds the id alone
    (docs/stand-in-providers.md). Any other parameter's value is a placeholder string."""
    name = str(config["name"])
    code = _region(config, env)
    image_id = _hex_id("ami", name.removesuffix("/image_id"))  # one AMI, read either way
    value = f"placeholder-{name.rsplit('/', 1)[-1]}"
    if name.startswith("/aws/service/") and name.endswith("/recommended"):
        value = json.dumps(
            {
                "schema_version": 1,
                "image_id": image_id,
                "image_name": "amzn2023-ami-ecs-hvm-2023.0.20250101-kernel-6.1-x86_64",
                "os": "Amazon Linux 2023",
                "ecs_agent_version": "1.89.2",
                "ecs_runtime_version": "Docker version 25.0.6",
                "source_image_name": "al2023-ami-minimal-2023.6.20250101.0-kernel-6.1-x86_64",
            }
        )
    elif name.startswith("/aws/service/") and name.endswith("/image_id"):
        value = image_id
    owner = "" if name.startswith("/aws/") else ACCOUNT_ID  # AWS's public parameters
    return {
        "id": name,
        "arn": f"arn:aws:ssm:{code}:{owner}:parameter{name}",
        "type": "String",
        "value": value,
        "insecure_value": value,
        "version": 1,
        "region": code,
    }


def iam_policy_document(config: Values, env: Environment) -> Values:
    return policy_document.render(config)


def archive_file(config: Values, env: Environment) -> Values:
    return archive.build(config, env.working_dir)


DATA_SOURCES: dict[str, Reader] = {
    "aws_caller_identity": caller_identity,
    "aws_region": region,
    "aws_partition": partition,
    "aws_availability_zones": availability_zones,
    "aws_vpc": vpc,
    "aws_subnets": subnets,
    "aws_subnet": subnet,
    "aws_route_tables": route_tables,
    "aws_vpc_endpoint_service": vpc_endpoint_service,
    "aws_ecs_cluster": ecs_cluster,
    "aws_ecs_service": ecs_service,
    "aws_synthetics_runtime_version": synthetics_runtime_version,
    "aws_ssm_parameter": ssm_parameter,
    "aws_iam_policy_document": iam_policy_document,
    "archive_file": archive_file,
}


def _without_environment(answer: Callable[[Values], Values]) -> Reader:
    """A utility data source's answer depends on its configuration alone."""
    return lambda config, env: answer(config)


DATA_SOURCES.update(
    {name: _without_environment(answer) for name, answer in utility.DATA_SOURCES.items()}
)

# Computed attributes whose value is fixed by the environment, whatever the data source.
_BY_NAME: dict[str, Callable[[Environment], Any]] = {
    "region": lambda env: env.region,
    "account_id": lambda env: ACCOUNT_ID,
    "owner_id": lambda env: ACCOUNT_ID,
}


def placeholder(name: str, schema_type: Any, env: Environment) -> Any:
    """A value of the right type for a computed attribute nothing above describes."""
    if name in _BY_NAME and schema_type == "string":
        return _BY_NAME[name](env)
    if isinstance(schema_type, str):
        return {"string": f"placeholder-{name}", "number": 0, "bool": False}.get(schema_type)
    kind, inner = schema_type
    if kind == "object":
        return {key: placeholder(key, value, env) for key, value in inner.items()}
    return {} if kind == "map" else []
