"""schema.py: the extracted schemas load with their flags and nesting, only the types a
module names are served, and read-only attributes are found at any depth."""

from __future__ import annotations

from generator.check.provider.schema import (
    fill_computed,
    load_schema,
    read_only_attributes_set,
)


def test_aws_schema_is_complete_and_keeps_flags_and_nesting():
    aws = load_schema("aws")
    assert len(aws.resources) > 1700 and len(aws.data_sources) > 680
    canary = aws.resources["aws_synthetics_canary"]
    assert canary["blocks"]["schedule"]["min_items"] == 1
    assert canary["blocks"]["schedule"]["max_items"] == 1
    assert canary["attributes"]["name"] == {"type": "string", "required": True}
    assert aws.resources["aws_sns_topic"]["attributes"]["arn"] == {
        "type": "string",
        "computed": True,
    }
    policy = aws.data_sources["aws_iam_policy_document"]["blocks"]["statement"]["block"]
    assert policy["blocks"]["principals"]["nesting"] == "set"
    assert policy["attributes"]["actions"]["type"] == ["set", "string"]
    assert {"region", "default_tags", "assume_role"} <= (
        set(aws.provider["attributes"]) | set(aws.provider["blocks"])
    )
    assert "alias" not in aws.provider["attributes"]  # a meta-argument, not configuration


def test_archive_schema_has_the_source_blocks():
    archive_file = load_schema("archive").data_sources["archive_file"]
    assert archive_file["blocks"]["source"]["nesting"] == "set"
    assert archive_file["attributes"]["output_base64sha256"]["computed"] is True


def test_load_schema_keeps_only_the_named_types():
    aws = load_schema("aws", only={"aws_vpc", "aws_sns_topic", "aws_not_a_type"})
    assert set(aws.resources) == {"aws_vpc", "aws_sns_topic"}
    assert set(aws.data_sources) == {"aws_vpc", "aws_sns_topic"}


def test_read_only_attributes_are_found_at_any_depth():
    block = load_schema("aws", only={"aws_security_group"}).resources["aws_security_group"]
    config = {"name": "sg", "arn": "x", "owner_id": None, "timeouts": {"create": "5m"}}
    assert read_only_attributes_set(block, config) == ["arn"]
    assert read_only_attributes_set(block, {"name": "sg"}) == []


def test_fill_computed_fills_null_computed_attributes_in_nested_blocks_and_keeps_the_rest():
    block = load_schema("aws", only={"aws_synthetics_canary"}).resources["aws_synthetics_canary"]
    config = {
        "name": "svc",
        "arn": None,
        "engine_arn": "given",  # a value already there stays
        "vpc_config": [{"subnet_ids": ["subnet-1"], "vpc_id": None}],
        "schedule": [],
    }
    filled = fill_computed(block, config, lambda name, schema_type: f"<{name}>")
    assert (filled["name"], filled["arn"], filled["engine_arn"]) == ("svc", "<arn>", "given")
    (vpc,) = filled["vpc_config"]
    assert (vpc["subnet_ids"], vpc["vpc_id"]) == (["subnet-1"], "<vpc_id>")
    assert "vpc_id" in filled["vpc_config"][0] and config["vpc_config"][0]["vpc_id"] is None
    assert filled.get("handler") is None  # required, not computed: never guessed
