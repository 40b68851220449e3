"""catalog.py: which providers the stand-in serves, from VERSIONS.json, and which a module's
types belong to."""

from __future__ import annotations

import json

from generator.check.provider.catalog import (
    SCHEMA_DIR,
    stand_in_providers,
    types_in_module,
    uses_provider,
    versions,
)


def test_versions_satisfy_the_templates_constraints():
    recorded = json.loads((SCHEMA_DIR / "VERSIONS.json").read_text())
    assert recorded["aws"] == {
        "address": "hashicorp/aws",
        "version": "6.69.1",
        "source_package": "cdktn-provider-aws",
        "source_version": "25.8.1",
    }
    assert recorded["archive"]["version"].startswith("2.")  # ~> 2.x
    assert recorded["aws"]["version"].startswith("6.")  # ~> 6.0


def test_every_served_provider_has_its_schema_and_a_hashicorp_address():
    served = stand_in_providers()
    assert {"aws", "archive", "awscc", "random", "null", "tls"} <= set(served)
    for name, address in served.items():
        assert address == f"hashicorp/{name}" == versions()[name]["address"]
        assert (SCHEMA_DIR / f"{name}.json.gz").is_file()


def test_a_type_belongs_to_the_provider_its_prefix_names():
    assert uses_provider("aws", {"aws_sns_topic"})
    assert not uses_provider("aws", {"awscc_logs_log_group"})  # another provider
    assert uses_provider("awscc", {"awscc_logs_log_group"})
    assert uses_provider("null", {"null"})  # a provider-named type, as data "null"
    assert not uses_provider("random", {"randomizer_thing", "aws_vpc"})
    assert not uses_provider("aws", set())


def test_types_in_module_reads_every_tf_file_and_installed_modules_but_terraforms_own(
    tmp_path,
):
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
