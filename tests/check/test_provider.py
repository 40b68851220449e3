"""The stand-in provider's parts, without Terraform: schema, values, wiring, extraction."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import importlib.util
import io
import json
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from pyvider.cty import CtyValue
from pyvider.resources.context import ResourceContext

from generator.check.provider import archive, components, install, policy_document, values
from generator.check.provider.schema import (
    SCHEMA_DIR,
    load_schema,
    object_block,
    read_only_attributes_set,
    types_in_module,
)

REPO = Path(__file__).resolve().parents[2]
ENV = values.Environment(region="eu-west-1", working_dir=Path("."))


# --- the extracted schemas ---------------------------------------------------------------


def test_versions_satisfy_the_templates_constraints():
    versions = json.loads((SCHEMA_DIR / "VERSIONS.json").read_text())
    assert versions["aws"] == {
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


def test_types_in_module_reads_every_tf_file_but_terraforms_own(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_sns_topic" "a" {}\ndata "aws_vpc" "v" {}\n')
    (tmp_path / "modules" / "x").mkdir(parents=True)
    (tmp_path / "modules" / "x" / "x.tf").write_text('data  "archive_file"  "z" {}\n')
    (tmp_path / ".terraform" / "modules").mkdir(parents=True)
    (tmp_path / ".terraform" / "modules" / "y.tf").write_text('resource "aws_s3_bucket" "b" {}\n')
    assert types_in_module(tmp_path) == {"aws_sns_topic", "aws_vpc", "archive_file"}


def test_read_only_attributes_are_found_at_any_depth():
    block = load_schema("aws", only={"aws_security_group"}).resources["aws_security_group"]
    config = {"name": "sg", "arn": "x", "owner_id": None, "timeouts": {"create": "5m"}}
    assert read_only_attributes_set(block, config) == ["arn"]
    assert read_only_attributes_set(block, {"name": "sg"}) == []


# --- aws_iam_policy_document ---------------------------------------------------------------


def statement(**fields: Any) -> dict[str, Any]:
    return {"effect": None, "sid": None, **fields}


def test_policy_document_renders_like_the_provider():
    rendered = policy_document.render(
        {
            "statement": [
                statement(
                    sid="Publish",
                    actions=["sns:Publish"],
                    resources=["arn:aws:sns:*:123456789012:alarms"],
                    principals=[
                        {"type": "Service", "identifiers": ["cloudwatch.amazonaws.com"]},
                        {"type": "AWS", "identifiers": ["111111111111", "222222222222"]},
                    ],
                    condition=[
                        {"test": "ArnLike", "variable": "aws:SourceArn", "values": ["b", "a"]},
                        {"test": "StringEquals", "variable": "aws:SourceAccount", "values": ["1"]},
                    ],
                ),
                statement(
                    effect="Deny", not_actions=["iam:*", "<x>&"], resources=["&{aws:username}"]
                ),
            ]
        }
    )
    document = json.loads(rendered["json"])
    assert list(document) == ["Version", "Statement"]
    publish, deny = document["Statement"]
    assert list(publish) == ["Sid", "Effect", "Action", "Resource", "Principal", "Condition"]
    assert publish["Action"] == "sns:Publish"
    assert publish["Principal"] == {
        "AWS": ["222222222222", "111111111111"],  # reverse-sorted, like the provider
        "Service": "cloudwatch.amazonaws.com",
    }
    assert publish["Condition"] == {
        "ArnLike": {"aws:SourceArn": ["b", "a"]},  # condition values keep their order
        "StringEquals": {"aws:SourceAccount": "1"},
    }
    assert deny == {"Effect": "Deny", "NotAction": ["iam:*", "<x>&"], "Resource": "${aws:username}"}
    assert "\\u003cx\\u003e\\u0026" in rendered["minified_json"]  # Go escapes HTML characters
    assert rendered["minified_json"].startswith('{"Version":"2012-10-17","Statement":[{"Sid"')
    assert rendered["json"].startswith('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {')
    assert rendered["id"] == str(zlib.crc32(rendered["json"].encode()))


def test_policy_document_star_principal_and_merged_documents():
    source = json.dumps({"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow"}]})
    override = json.dumps({"Statement": [{"Sid": "B", "Effect": "Deny", "Action": "*"}]})
    rendered = policy_document.render(
        {
            "source_policy_documents": [source],
            "override_policy_documents": [override],
            "statement": [
                statement(
                    sid="B", actions=["s3:*"], principals=[{"type": "*", "identifiers": ["*"]}]
                )
            ],
        }
    )
    statements = json.loads(rendered["json"])["Statement"]
    assert statements == [
        {"Sid": "A", "Effect": "Allow"},
        {"Sid": "B", "Effect": "Deny", "Action": "*"},  # the override replaced Sid B
    ]
    alone = policy_document.render(
        {"statement": [statement(principals=[{"type": "*", "identifiers": ["*"]}])]}
    )
    assert json.loads(alone["json"])["Statement"][0]["Principal"] == "*"


# --- archive_file --------------------------------------------------------------------------


def test_archive_from_source_blocks_is_a_real_zip_with_matching_hashes(tmp_path):
    config = {
        "type": "zip",
        "output_path": "build/canary.zip",
        "source": [
            {"filename": "python/canary.py", "content": "print('hi')\n"},
            {"filename": "python/config.json", "content": "{}"},
        ],
    }
    result = archive.build(config, tmp_path)
    data = (tmp_path / "build" / "canary.zip").read_bytes()
    assert zipfile.ZipFile(io.BytesIO(data)).read("python/canary.py") == b"print('hi')\n"
    assert result["output_size"] == len(data)
    assert result["output_md5"] == hashlib.md5(data).hexdigest()
    assert result["output_base64sha256"] == base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert archive.build(config, tmp_path) == result  # the same sources, the same hashes


def test_archive_from_a_directory_honours_excludes_and_stays_inside(tmp_path):
    (tmp_path / "src" / "nodejs").mkdir(parents=True)
    (tmp_path / "src" / "nodejs" / "index.js").write_text("exports.handler = 1;")
    (tmp_path / "src" / "notes.md").write_text("skip me")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.zip"
    config = {"type": "zip", "output_path": str(outside), "source_dir": "src", "excludes": ["*.md"]}
    result = archive.build(config, tmp_path)
    assert not outside.exists()  # never written outside the working directory
    assert result["output_size"] > 0
    single = archive.build(
        {"type": "zip", "output_path": "one.zip", "source_file": "src/notes.md"}, tmp_path
    )
    assert zipfile.ZipFile(tmp_path / "one.zip").namelist() == ["notes.md"]
    assert single["output_sha"] == hashlib.sha1((tmp_path / "one.zip").read_bytes()).hexdigest()


# --- data source values --------------------------------------------------------------------


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
