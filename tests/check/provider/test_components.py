"""components.py: pyvider classes made from the extracted schema read data sources, plan
resources and validate configurations as Terraform expects."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from pyvider.cty import CtyValue
from pyvider.resources.context import ResourceContext

from generator.check.provider import components, values
from generator.check.provider.schema import load_schema, object_block


def cty(block: dict[str, Any], value: dict[str, Any]) -> CtyValue:
    return object_block(block).to_cty_type().validate(value)


def test_data_source_read_fills_realistic_and_placeholder_values():
    block = load_schema("aws", only={"aws_ecs_cluster"}).data_sources["aws_ecs_cluster"]
    source = components.make_data_source_class("aws_ecs_cluster", block)
    config = cty(block, {"cluster_name": "svc"})
    state = asyncio.run(source().read(ResourceContext(config=config)))
    assert state["status"] == "ACTIVE"
    assert state["cluster_name"] == "svc"
    assert state["region"] == values.DEFAULT_REGION  # no provider configured in this test
    source.get_schema().block.to_cty_type().validate(state)  # what pyvider sends Terraform


def test_resource_plan_leaves_computed_attributes_unknown_and_rejects_read_only():
    block = load_schema("aws", only={"aws_sns_topic"}).resources["aws_sns_topic"]
    resource = components.make_resource_class("aws_sns_topic", block)()
    proposed = cty(block, {"name": "alarms"})
    planned, _ = asyncio.run(
        resource.plan(ResourceContext(config_cty=proposed, planned_state_cty=proposed))
    )
    assert planned["name"] == "alarms"
    assert isinstance(planned["arn"], CtyValue) and planned["arn"].is_unknown
    errors = asyncio.run(resource.validate(cty(block, {"name": "a", "arn": "arn:x"})))
    assert errors and 'configure a value for "arn"' in errors[0]


def test_to_python_turns_cty_into_plain_values():
    block = load_schema("aws", only={"aws_subnets"}).data_sources["aws_subnets"]
    value = cty(block, {"filter": [{"name": "vpc-id", "values": ["v"]}], "tags": {"a": "b"}})
    plain = components.to_python(value)
    assert plain["filter"] == [{"name": "vpc-id", "values": ["v"]}]
    assert plain["tags"] == {"a": "b"} and plain["ids"] is None


def test_each_provider_module_has_its_own_test_module():
    # __main__ only hands over to serve.py: test_serve.py starts it as Terraform does
    sources = {p.stem for p in Path(components.__file__).parent.glob("*.py")}
    tests = {p.stem for p in Path(__file__).parent.glob("test_*.py")}
    assert tests == {f"test_{name}" for name in sources - {"__init__", "__main__"}}
