"""What the check decides before Terraform runs: which tests may run, which providers the
module needs, which files are too large."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.check.hcl import load_module
from generator.check.preflight import (
    MAX_FILE_BYTES,
    needed_providers,
    refuse_large_files,
    terraform_files,
    why_tests_not_run,
)
from generator.check.sources import CannotCheck
from tests.helpers.modules import write_module

PLAN = 'run "plans" {\n  command = plan\n}\n'


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        ({"tests/a.tftest.hcl": PLAN}, None),
        ({"a.tftest.hcl": PLAN, "tests/b.tftest.hcl": PLAN}, None),
        (
            {"tests/a.tftest.hcl": PLAN + 'run "applies" {}\n'},
            'run "applies" (tests/a.tftest.hcl:4) has command = apply (the default)',
        ),
        (
            {"a.tftest.hcl": 'run "x" {\n  command = apply\n}\n'},
            'run "x" (a.tftest.hcl:1) has command = apply, and the check never applies',
        ),
        (
            {
                "tests/a.tftest.hcl": 'run "x" {\n  command = plan\n  module {\n'
                '    source = "git::https://example.com/m.git"\n  }\n}\n'
            },
            "calls the remote module git::https://example.com/m.git",
        ),
        (
            {"tests/a.tftest.hcl": PLAN, "tests/b.tftest.json": '{"run": {"x": {}}}'},
            "tests/b.tftest.json is a JSON test file",
        ),
        (
            {"tests/a.tftest.hcl": 'run "x" {\n  command = \n'},
            "tests/a.tftest.hcl could not be read",
        ),
    ],
    ids=["plan", "plan-both-places", "default", "apply", "remote-module", "json", "unreadable"],
)
def test_tests_run_only_when_every_run_block_plans(
    tmp_path: Path, files: dict[str, str], reason: str | None
) -> None:
    found = why_tests_not_run(load_module(write_module(tmp_path, {"main.tf": "", **files})))
    if reason is None:
        assert found is None
    else:
        assert found is not None and reason in found


def test_providers_are_needed_by_declaration_configuration_and_resource_type(
    tmp_path: Path,
) -> None:
    module = write_module(
        tmp_path,
        {
            "main.tf": """\
            terraform {
              required_providers {
                aws = {
                  source = "registry.terraform.io/hashicorp/aws"
                }
                acme = {
                  source = "Example/ACME"
                }
              }
            }

            provider "google" {}

            resource "random_id" "x" {
              byte_length = 2
            }

            resource "acme_thing" "y" {
              provider = acme.other
            }

            resource "terraform_data" "z" {}

            data "external" "w" {
              program = ["true"]
            }
            """
        },
    )
    assert needed_providers(load_module(module)) == {
        "hashicorp/aws": "main.tf:1",
        "example/acme": "main.tf:1",
        "hashicorp/google": "main.tf:12",
        "hashicorp/random": "main.tf:14",
        "terraform.io/builtin/terraform": "main.tf:22",
        "hashicorp/external": "main.tf:24",
    }


def test_files_above_the_limit_are_refused_wherever_terraform_reads_them(tmp_path: Path) -> None:
    write_module(tmp_path, {"main.tf": "", "tests/a.tftest.hcl": PLAN})
    refuse_large_files(terraform_files(tmp_path, recursive=True))  # small: nothing to say
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "big.auto.tfvars").write_text("x = 1\n" + "#" * MAX_FILE_BYTES)
    (tmp_path / ".terraform").mkdir()
    (tmp_path / ".terraform" / "big.tf").write_text("#" * MAX_FILE_BYTES * 2)
    refuse_large_files(terraform_files(tmp_path, recursive=False))  # as a module called
    with pytest.raises(CannotCheck, match=r"big.auto.tfvars is 0.5 MB: .* at most 512 KB"):
        refuse_large_files(terraform_files(tmp_path, recursive=True))  # as the module checked


def test_files_adding_up_above_the_module_limit_are_refused(tmp_path: Path) -> None:
    for i in range(5):
        write_module(tmp_path / f"m{i}", {"main.tf": "#" * (MAX_FILE_BYTES - 1)})
    files = [tmp_path / f"m{i}" / "main.tf" for i in range(5)]
    refuse_large_files(files[:4])  # 2 MB: the limit itself
    refuse_large_files([files[0], files[0]])  # a file counts once
    with pytest.raises(CannotCheck, match=r"add up to 2.5 MB: .* at most 2 MB"):
        refuse_large_files(files)
