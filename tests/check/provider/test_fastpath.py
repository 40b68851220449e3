"""fastpath.py: the fast answers to validate and plan are pyvider's answers, and anything
unusual is left to pyvider."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import pyvider.protocols.tfprotov6.protobuf as pb
from pyvider.handler import ProviderHandler
from pyvider.hub import hub

from generator.check.provider import components, fastpath, pyvider_seam
from generator.check.provider.schema import load_schema


def terraform_value(block: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """An object shaped as Terraform sends it: every attribute (null when not given), every
    list and set block (empty when not given), single blocks null when not given."""
    value = {name: given.get(name) for name in block["attributes"]}
    for name, nested in block["blocks"].items():
        value[name] = given.get(name, [] if nested["nesting"] in ("list", "set") else None)
    return value


def _alarm(block: dict[str, Any]) -> dict[str, Any]:
    query = block["blocks"]["metric_query"]["block"]
    metric = terraform_value(
        query["blocks"]["metric"]["block"],
        {
            "metric_name": "CPUUtilization",
            "namespace": "AWS/ECS",
            "period": 60,
            "stat": "Average",
        },
    )
    return terraform_value(
        block,
        {
            "alarm_name": "svc-cpu-high",
            "comparison_operator": "GreaterThanThreshold",
            "evaluation_periods": 3,
            "threshold": 80.5,
            "alarm_actions": fastpath.UNKNOWN,  # e.g. a topic arn, known after apply
            "metric_query": [terraform_value(query, {"id": "cpu", "metric": [metric]})],
        },
    )


def _lifecycle(block: dict[str, Any]) -> dict[str, Any]:
    rule = block["blocks"]["rule"]["block"]
    expiration = terraform_value(rule["blocks"]["expiration"]["block"], {"days": 30})
    return terraform_value(
        block,
        {
            "bucket": "artifacts",
            "rule": [
                terraform_value(
                    rule,
                    {"id": "expire", "status": "Enabled", "expiration": [expiration]},
                )
            ],
            "timeouts": terraform_value(block["blocks"]["timeouts"]["block"], {"create": "5m"}),
        },
    )


def _canary(block: dict[str, Any]) -> dict[str, Any]:
    schedule = terraform_value(
        block["blocks"]["schedule"]["block"], {"expression": "rate(5 minutes)"}
    )
    vpc = terraform_value(
        block["blocks"]["vpc_config"]["block"],
        {"subnet_ids": ["subnet-1", "subnet-2"], "security_group_ids": ["sg-1"]},
    )
    return terraform_value(
        block,
        {
            "name": "svc",
            "artifact_s3_location": "s3://artifacts/svc",
            "execution_role_arn": fastpath.UNKNOWN,
            "handler": "canary.handler",
            "runtime_version": "syn-python-selenium-7.0",
            "zip_file": "canary.zip",
            "schedule": [schedule],
            "vpc_config": [vpc],
            "tags": {"Environment": "dev"},
        },
    )


CASES = {
    "aws_sns_topic": lambda block: terraform_value(block, {"name": "alarms"}),
    "aws_cloudwatch_metric_alarm": _alarm,
    "aws_s3_bucket_lifecycle_configuration": _lifecycle,
    "aws_synthetics_canary": _canary,
}


@pytest.fixture
def pyvider_handler(monkeypatch: pytest.MonkeyPatch) -> Any:
    """pyvider's ProviderHandler with fastpath installed for a few types, undone afterwards."""
    schema = load_schema("aws", only={*CASES, "aws_cloudwatch_log_group"})
    for type_name, block in schema.resources.items():
        components.make_resource_class(type_name, block)
    for method in (
        "ValidateResourceConfig",
        "ValidateDataResourceConfig",
        "PlanResourceChange",
    ):
        monkeypatch.setattr(ProviderHandler, method, pyvider_seam.pyvider_handler(method))
    provider = components.make_provider_class(load_schema("aws", only=set()))()
    asyncio.run(provider.setup())
    hub.register("singleton", "provider", provider)
    fastpath.install(schema)
    yield ProviderHandler(provider)
    hub.unregister("singleton", "provider")


def _validate_request(type_name: str, value: Any) -> Any:
    config = pb.DynamicValue(msgpack=fastpath.pack(value))
    return pb.ValidateResourceConfig.Request(type_name=type_name, config=config)


def _plan_request(type_name: str, value: Any) -> Any:
    state = pb.DynamicValue(msgpack=fastpath.pack(value))
    return pb.PlanResourceChange.Request(
        type_name=type_name,
        config=state,
        proposed_new_state=state,
        prior_state=pb.DynamicValue(msgpack=fastpath.pack(None)),
    )


def _answer(handler: Any, method: str, request: Any) -> Any:
    return asyncio.run(pyvider_seam.pyvider_handler(method)(handler, request, None))


@pytest.mark.parametrize("type_name", sorted(CASES))
def test_fast_answers_are_pyviders_answers(pyvider_handler, type_name):
    block = load_schema("aws", only={type_name}).resources[type_name]
    value = CASES[type_name](block)
    assert fastpath.config_is_clean(block, fastpath.pack(value))
    request = _validate_request(type_name, value)
    fast = asyncio.run(pyvider_handler.ValidateResourceConfig(request, None))
    assert fast == _answer(pyvider_handler, "ValidateResourceConfig", request)
    assert list(fast.diagnostics) == []

    request = _plan_request(type_name, value)
    assert fastpath.planned_state(block, request) is not None
    fast = asyncio.run(pyvider_handler.PlanResourceChange(request, None))
    slow = _answer(pyvider_handler, "PlanResourceChange", request)
    assert (list(fast.diagnostics), list(fast.requires_replace)) == ([], [])
    assert (list(slow.diagnostics), list(slow.requires_replace)) == ([], [])
    assert fast.planned_private == slow.planned_private == b""
    planned = fastpath.unpack(fast.planned_state.msgpack)
    assert planned == fastpath.unpack(slow.planned_state.msgpack)
    assert planned["id"] == fastpath.UNKNOWN  # computed, known after apply


def test_fast_plan_leaves_nested_computed_attributes_unknown_and_keeps_the_rest():
    block = load_schema("aws", only={"aws_synthetics_canary"}).resources["aws_synthetics_canary"]
    value = _canary(block)
    planned = fastpath.unpack(fastpath.planned_state(block, _plan_request("x", value)))
    assert planned["name"] == "svc" and planned["tags"] == {"Environment": "dev"}
    assert planned["execution_role_arn"] == fastpath.UNKNOWN  # unknown stays unknown
    (vpc,) = planned["vpc_config"]
    assert vpc["subnet_ids"] == ["subnet-1", "subnet-2"]
    assert vpc["vpc_id"] == fastpath.UNKNOWN  # computed, inside a block
    assert planned["schedule"][0]["expression"] == "rate(5 minutes)"


@pytest.mark.parametrize(
    ("type_name", "given", "message"),
    [
        ("aws_sns_topic", {"name": "a", "arn": "arn:x"}, 'configure a value for "arn"'),
        (
            "aws_cloudwatch_log_group",
            {"name": "g", "arn": "arn:x"},
            'configure a value for "arn"',
        ),
    ],
)
def test_configurations_with_problems_are_left_to_pyvider(
    pyvider_handler, type_name, given, message
):
    block = load_schema("aws", only={type_name}).resources[type_name]
    value = terraform_value(block, given)
    assert not fastpath.config_is_clean(block, fastpath.pack(value))
    request = _validate_request(type_name, value)
    answer = asyncio.run(pyvider_handler.ValidateResourceConfig(request, None))
    assert answer == _answer(pyvider_handler, "ValidateResourceConfig", request)
    assert message in answer.diagnostics[0].summary
    assert fastpath.planned_state(block, _plan_request(type_name, value)) is None


def test_unusual_values_are_left_to_pyvider():
    block = load_schema("aws", only={"aws_iam_role"}).resources["aws_iam_role"]
    clean = terraform_value(block, {"name": "r", "assume_role_policy": "{}"})
    assert fastpath.config_is_clean(block, fastpath.pack(clean))
    required_null = {**clean, "assume_role_policy": None}
    missing_attribute = {k: v for k, v in clean.items() if k != "name"}
    null_list_block = {**clean, "inline_policy": None}
    for value in (required_null, missing_attribute, null_list_block, None, "text"):
        assert not fastpath.config_is_clean(block, fastpath.pack(value))
    assert not fastpath.config_is_clean(block, b"")
    assert not fastpath.config_is_clean(block, b"\xc1")  # not msgpack
    updating = _plan_request("aws_iam_role", clean)
    updating.prior_state.msgpack = fastpath.pack(clean)
    assert fastpath.planned_state(block, updating) is None  # only creates are answered here
    destroying = _plan_request("aws_iam_role", clean)
    destroying.proposed_new_state.msgpack = fastpath.pack(None)
    assert fastpath.planned_state(block, destroying) is None
