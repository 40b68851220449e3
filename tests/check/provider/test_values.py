"""values.py: data sources answer as AWS would, for the provider's region; other computed
attributes get placeholders of their type."""

from __future__ import annotations

from pathlib import Path

from generator.check.provider import values

ENV = values.Environment(region="eu-west-1", working_dir=Path())


def test_region_dependent_values():
    assert values.region({}, ENV)["region"] == "eu-west-1"
    assert values.region({"region": "us-west-2"}, ENV)["description"] == "US West (Oregon)"
    zones = values.availability_zones({"region": "ap-southeast-1"}, ENV)
    assert zones["names"] == ["ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"]
    assert zones["zone_ids"][0] == "apse1-az1"
    assert values.availability_zones({}, ENV)["zone_ids"][0] == "euw1-az1"


def test_vpc_lookups():
    default = values.vpc({"default": True}, ENV)
    assert (default["id"], default["default"], default["cidr_block"]) == (
        values.DEFAULT_VPC_ID,
        True,
        "172.31.0.0/16",
    )
    given = values.vpc({"id": "vpc-0abc"}, ENV)
    assert (given["id"], given["default"]) == ("vpc-0abc", False)
    filters = {"filter": [{"name": "vpc-id", "values": ["vpc-0abc"]}]}
    ids = values.subnets(filters, ENV)["ids"]
    assert len(set(ids)) == 3 and ids != values.subnets({}, ENV)["ids"]
    assert values.subnet({"id": ids[0]}, ENV)["vpc_id"] == values.DEFAULT_VPC_ID
    named = {"filter": [*filters["filter"], {"name": "subnet-id", "values": ["subnet-1"]}]}
    assert values.subnets(named, ENV)["ids"] == ["subnet-1"]


def test_service_lookups():
    cluster = values.ecs_cluster({"cluster_name": "svc"}, ENV)
    assert cluster["arn"] == "arn:aws:ecs:eu-west-1:123456789012:cluster/svc"
    assert cluster["setting"] == [{"name": "containerInsights", "value": "enabled"}]
    service = values.ecs_service({"cluster_arn": cluster["arn"], "service_name": "orders"}, ENV)
    assert service["arn"] == "arn:aws:ecs:eu-west-1:123456789012:service/svc/orders", "long"
    assert service["status"] == "ACTIVE"
    node = values.synthetics_runtime_version({"prefix": "syn-nodejs-puppeteer"}, ENV)
    assert node["version_name"] == "syn-nodejs-puppeteer-15.0"
    assert node["deprecation_date"] is None
    s3 = values.vpc_endpoint_service({"service": "s3"}, ENV)
    assert (s3["service_name"], s3["service_type"]) == (
        "com.amazonaws.eu-west-1.s3",
        "Gateway",
    )


def test_placeholders_have_the_right_type():
    assert values.placeholder("arn", "string", ENV) == "placeholder-arn"
    assert values.placeholder("owner_id", "string", ENV) == "123456789012"
    assert values.placeholder("count", "number", ENV) == 0
    assert values.placeholder("ids", ["set", "string"], ENV) == []
    assert values.placeholder("o", ["object", {"a": "bool", "m": ["map", "string"]}], ENV) == {
        "a": False,
        "m": {},
    }
