"""The stand-in provider's parts, without Terraform: schema, values, wiring, extraction."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import pyvider.protocols.tfprotov6.protobuf as pb
from pyvider.cty import CtyValue
from pyvider.handler import ProviderHandler
from pyvider.hub import hub
from pyvider.resources.context import ResourceContext

from generator.check.provider import (
    components,
    fastpath,
    install,
    pyvider_seam,
    values,
)
from generator.check.provider.schema import (
    SCHEMA_DIR,
    load_schema,
    object_block,
    read_only_attributes_set,
    types_in_module,
)

REPO = Path(__file__).resolve().parents[2]
ENV = values.Environment(region="eu-west-1", working_dir=Path())


# --- the extracted schemas ---------------------------------------------------------------


def test_versions_satisfy_the_templates_constraints():
    versions = json.loads((SCHEMA_DIR / "VERSIONS.json").read_text())
    assert versions["aws"] == {
        "address": "hashicorp/aws",
        "version": "6.69.1",
        "source_package": "cdktn-provider-aws",
        "source_version": "25.8.1",
    }
    assert versions["archive"]["version"].startswith("2.")  # ~> 2.x
    assert versions["aws"]["version"].startswith("6.")  # ~> 6.0


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


def test_types_in_module_reads_every_tf_file_and_installed_modules_but_terraforms_own(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_sns_topic" "a" {}\ndata "aws_vpc" "v" {}\n')
    (tmp_path / "modules" / "x").mkdir(parents=True)
    (tmp_path / "modules" / "x" / "x.tf").write_text('data  "archive_file"  "z" {}\n')
    (tmp_path / ".terraform" / "modules" / "y").mkdir(parents=True)
    (tmp_path / ".terraform" / "modules" / "y" / "y.tf").write_text(
        'resource "aws_s3_bucket" "b" {}\n'
    )
    (tmp_path / ".terraform" / "providers").mkdir(parents=True)
    (tmp_path / ".terraform" / "providers" / "p.tf").write_text('resource "aws_vpc" "c" {}\n')
    (tmp_path / ".terraform" / "providers" / "z.tf").write_text('resource "aws_eip" "e" {}\n')
    assert types_in_module(tmp_path) == {
        "aws_sns_topic",
        "aws_vpc",
        "archive_file",
        "aws_s3_bucket",
    }


def test_read_only_attributes_are_found_at_any_depth():
    block = load_schema("aws", only={"aws_security_group"}).resources["aws_security_group"]
    config = {"name": "sg", "arn": "x", "owner_id": None, "timeouts": {"create": "5m"}}
    assert read_only_attributes_set(block, config) == ["arn"]
    assert read_only_attributes_set(block, {"name": "sg"}) == []


# --- aws_iam_policy_document ---------------------------------------------------------------


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
    node = values.synthetics_runtime_version({"prefix": "syn-nodejs-puppeteer"}, ENV)
    assert node["version_name"] == "syn-nodejs-puppeteer-15.0"
    assert node["deprecation_date"] is None
    s3 = values.vpc_endpoint_service({"service": "s3"}, ENV)
    assert (s3["service_name"], s3["service_type"]) == ("com.amazonaws.eu-west-1.s3", "Gateway")


def test_placeholders_have_the_right_type():
    assert values.placeholder("arn", "string", ENV) == "placeholder-arn"
    assert values.placeholder("owner_id", "string", ENV) == "123456789012"
    assert values.placeholder("count", "number", ENV) == 0
    assert values.placeholder("ids", ["set", "string"], ENV) == []
    assert values.placeholder("o", ["object", {"a": "bool", "m": ["map", "string"]}], ENV) == {
        "a": False,
        "m": {},
    }


# --- pyvider components --------------------------------------------------------------------


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


# --- wiring --------------------------------------------------------------------------------


def test_cli_config_overrides_both_providers_and_nothing_else(tmp_path):
    config = install.write_cli_config(tmp_path / "cli", tmp_path / "module")
    text = config.read_text()
    assert '"hashicorp/aws"' in text and '"hashicorp/archive"' in text
    assert "direct" not in text  # other providers never reach the network
    launcher = tmp_path / "cli" / "bin" / "terraform-provider-aws"
    assert launcher.stat().st_mode & 0o111
    assert "-m generator.check.provider aws" in launcher.read_text()


def test_launcher_starts_the_provider_the_ordinary_way_without_a_fork_server(tmp_path):
    command = [sys.executable, "-c", "import sys; print('ordinary start', sys.argv[1:])", "x"]
    started = subprocess.run(
        [sys.executable, "-I", "-S", str(install.LAUNCH_SCRIPT), str(tmp_path / "none.sock")]
        + ["aws", *command],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert started.returncode == 0
    assert started.stdout.strip() == "ordinary start ['x']"


def test_launcher_starts_the_provider_itself_when_the_fork_server_does_not(tmp_path):
    import socket
    import threading

    path = tmp_path / "fork.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(1)

    def refuse() -> None:  # a fork server that reads the request, then fails to fork
        conn, _ = listener.accept()
        _, ancillary, _, _ = conn.recvmsg(1 << 16, socket.CMSG_SPACE(3 * 4))
        for _, _, data in ancillary:  # the launcher's streams: not ours to keep open
            for fd in memoryview(data).cast("i"):
                os.close(fd)
        conn.close()

    thread = threading.Thread(target=refuse)
    thread.start()
    command = [sys.executable, "-c", "print('ordinary start')"]
    started = subprocess.run(
        [sys.executable, "-I", "-S", str(install.LAUNCH_SCRIPT), str(path), "aws", *command],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    thread.join()
    listener.close()
    assert (started.returncode, started.stdout.strip()) == (0, "ordinary start")


def _handshake(stream: Any, timeout: float) -> str:
    """The first line a provider writes on stdout, within `timeout` seconds."""
    import select

    ready, _, _ = select.select([stream], [], [], timeout)
    return stream.readline() if ready else ""


def test_fork_server_starts_providers_that_die_with_their_launcher(tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("the fork server runs on Linux only")
    module = tmp_path / "module"
    module.mkdir()
    (module / "main.tf").write_text('resource "aws_sns_topic" "t" {}\n')
    directory = tmp_path / "providers"
    install.write_cli_config(directory, module)
    env = {**os.environ, "PYTHONPATH": str(install.PACKAGE_ROOT), "PYVIDER_LOG_LEVEL": "ERROR"}
    server = install.start_fork_server(directory, module, env)
    assert server is not None and server.stdout is not None and server.stdin is not None
    launcher = None
    try:
        assert _handshake(server.stdout, 60).strip() == "ready"
        terraform_env = {
            **env,
            "TF_PLUGIN_MAGIC_COOKIE": (
                "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
            ),
            "PLUGIN_PROTOCOL_VERSIONS": "6",
        }
        launcher = subprocess.Popen(
            [str(directory / "bin" / "terraform-provider-aws")],
            cwd=module,
            env=terraform_env,
            stdout=subprocess.PIPE,
            text=True,
        )
        handshake = _handshake(launcher.stdout, 30)
        assert handshake.startswith("1|6|unix|")  # go-plugin's handshake, protocol 6
        log = (directory / "forkserver.log").read_text()
        (started,) = [line for line in log.splitlines() if line.startswith("started aws")]
        assert started.endswith(f"in {module}")  # in the launcher's directory
        child = int(started.split("(pid ")[1].split(")")[0])
        os.kill(child, 0)  # serving
        launcher.kill()  # as Terraform kills a provider that does not stop
        launcher.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(child, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the provider outlived its launcher")
    finally:
        if launcher is not None and launcher.poll() is None:
            launcher.kill()
        server.stdin.close()  # stops the server
        assert server.wait(timeout=10) == 0
        server.stdout.close()


# --- fast answers to the hot RPCs ----------------------------------------------------------


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
        {"metric_name": "CPUUtilization", "namespace": "AWS/ECS", "period": 60, "stat": "Average"},
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
                    rule, {"id": "expire", "status": "Enabled", "expiration": [expiration]}
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
    for method in ("ValidateResourceConfig", "ValidateDataResourceConfig", "PlanResourceChange"):
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
        ("aws_cloudwatch_log_group", {"name": "g", "arn": "arn:x"}, 'configure a value for "arn"'),
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


# --- the extraction script -----------------------------------------------------------------


@pytest.fixture(scope="module")
def extractor() -> Any:
    spec = importlib.util.spec_from_file_location(
        "extract_provider_schema", REPO / "scripts" / "extract_provider_schema.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while executing
    spec.loader.exec_module(module)
    return module


def test_storage_classes_map_to_terraform_types(extractor):
    assert extractor.storage_type("string", "simple") == "string"
    assert extractor.storage_type("stringList", "set") == ["set", "string"]
    assert extractor.storage_type("stringMapList", "list") == ["list", ["map", "string"]]
    assert extractor.storage_type("numberListMap", "map") == ["map", ["list", "number"]]


TYPESCRIPT = """
export interface ThingRule {
}
export function thingRuleToHclTerraform(struct?: ThingRule): any {
  const attrs = {
    prefix: {
      value: cdktn.stringToHclTerraform(struct!.prefix),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };
}
export class ThingRuleOutputReference extends cdktn.ComplexObject {
  // prefix - computed: false, optional: false, required: true
  private _prefix?: string;
  public get prefix() {
    return this.getStringAttribute('prefix');
  }
}
export class Thing extends cdktn.TerraformResource {
  public static readonly tfResourceType = "aws_thing";
  // arn - computed: true, optional: false, required: false
  public get arn() {
    return this.getStringAttribute('arn');
  }
  // names - computed: false, optional: true, required: false
  private _names?: string[];
  public get names() {
    return cdktn.Fn.tolist(this.getListAttribute('names'));
  }
  // rule - computed: false, optional: false, required: true
  private _rule = new ThingRuleOutputReference(this, "rule");
  public get rule() {
    return this._rule;
  }
  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      names: {
        value: cdktn.listMapperHcl(cdktn.stringToHclTerraform, false)(this._names),
        isBlock: false,
        type: "set",
        storageClassType: "stringList",
      },
      rule: {
        value: thingRuleToHclTerraform(this._rule.internalValue),
        isBlock: true,
        type: "list",
        storageClassType: "ThingRuleList",
      },
    };
  }
}
"""


def test_a_typescript_resource_becomes_a_schema_block(extractor):
    module = extractor.TypeScriptModule(TYPESCRIPT)
    assert module.top_level() == ("TerraformResource", "aws_thing", "Thing")
    assert module.block("Thing", "Thing") == {
        "attributes": {
            "arn": {"type": "string", "computed": True},
            "names": {"type": ["set", "string"], "optional": True},
        },
        "blocks": {
            "rule": {
                "nesting": "list",
                "max_items": 1,
                "min_items": 1,
                "block": {
                    "attributes": {"prefix": {"type": "string", "required": True}},
                    "blocks": {},
                },
            }
        },
    }
