"""reattach.py: which providers a copy of a module may share between Terraform commands
(one configuration each, no parallel test runs), and the TF_REATTACH_PROVIDERS it gets."""

from __future__ import annotations

import json
from pathlib import Path

from generator.check.provider.install import PROVIDERS
from generator.check.provider.reattach import Shared, reattach_env, shareable
from tests.helpers.modules import write_module

MAIN = """\
provider "aws" {
  region = "eu-west-1"
}

locals {
  kms_alias = "alias/alarms"
}

resource "aws_sns_topic" "t" {
  name = local.kms_alias
}

data "archive_file" "zip" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/src.zip"
}
"""


def test_the_providers_the_module_uses_are_shared(tmp_path: Path) -> None:
    module = write_module(tmp_path, {"main.tf": MAIN})
    assert shareable(module, PROVIDERS, tests=False) == ["archive", "aws"]


def test_a_provider_configured_twice_keeps_a_process_per_configuration(tmp_path: Path) -> None:
    aliased = MAIN + 'provider "aws" {\n  alias  = "us"\n  region = "us-east-1"\n}\n'
    assert shareable(write_module(tmp_path / "alias", {"main.tf": aliased}), PROVIDERS, False) == []
    child = {"main.tf": MAIN, "modules/x/x.tf": 'provider "aws" {\n  region = "us-east-1"\n}\n'}
    assert shareable(write_module(tmp_path / "child", child), PROVIDERS, False) == ["archive"]


def test_test_files_that_may_run_in_parallel_share_nothing(tmp_path: Path) -> None:
    run = 'run "a" {\n  command  = plan\n  parallel = true\n}\n'
    module = write_module(tmp_path, {"main.tf": MAIN, "tests/a.tftest.hcl": run})
    assert shareable(module, PROVIDERS, tests=True) == []
    assert shareable(module, PROVIDERS, tests=False) == ["archive", "aws"]  # tests not run there


def test_a_module_with_json_configuration_shares_nothing(tmp_path: Path) -> None:
    module = write_module(tmp_path, {"main.tf": MAIN, "extra.tf.json": '{"provider": {}}'})
    assert shareable(module, PROVIDERS, tests=False) == []


def test_reattach_configuration_names_the_socket_the_pid_and_test_mode(tmp_path: Path) -> None:
    shared = [Shared("aws", "main", tmp_path, tmp_path / "main-aws.sock")]
    assert json.loads(reattach_env(shared, PROVIDERS, 4242)) == {
        PROVIDERS["aws"]: {
            "Protocol": "grpc",
            "ProtocolVersion": 6,
            "Pid": 4242,
            "Test": True,  # Terraform neither shuts it down nor kills it after a command
            "Addr": {"Network": "unix", "String": str(tmp_path / "main-aws.sock")},
        }
    }
