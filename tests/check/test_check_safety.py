"""`cw-scaffold check` on hostile and careless modules (issue 10): it executes nothing the
module says, reaches no network, ends cleanly when interrupted, refuses what it cannot
check with exit 2, and reports a broken module with exit 1. Each test runs the real CLI in
a child process, with its own TMPDIR and a marker in its environment, so that what it
leaves behind (files, processes) can be seen."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pexpect
import pytest

from generator.check.preflight import MAX_FILE_BYTES, stand_ins
from generator.check.provider import install
from generator.check.run import TEMP_PREFIX, CheckRun
from generator.check.terraform_worker import TerraformWorker
from generator.check.tree import default_jobs
from tests.helpers import processes
from tests.helpers.modules import SMALL, write_module
from tests.helpers.processes import MARKER_ENV

REPO = Path(__file__).resolve().parents[2]
TOPIC = 'resource "aws_sns_topic" "alerts" {\n  name = "alerts"\n}\n'


class Check:
    """`cw-scaffold check` in a child process with its own TMPDIR and an environment marker."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp  # short: the providers' sockets live in it
        self.marker = uuid.uuid4().hex
        self.env = {**os.environ, "TMPDIR": str(self.tmp), MARKER_ENV: self.marker}
        self.env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(REPO), os.environ.get("PYTHONPATH")])
        )

    def command(self, module: Path, *args: str) -> list[str]:
        return [sys.executable, "-m", "generator", "check", str(module), *args]

    def run(self, module: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(module, *args),
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def start(self, module: Path, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.command(module, *args),
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def left_behind(self) -> list[str]:
        return sorted(p.name for p in self.tmp.iterdir() if p.name.startswith(TEMP_PREFIX))

    def processes_after(self, seconds: float) -> list[str]:
        """The marked processes still there after up to `seconds`."""
        return processes.marked(self.marker, seconds)

    def processes(self) -> list[str]:
        """Command lines of the processes still running with this check's marker."""
        return processes.running(self.marker)


@pytest.fixture
def cli() -> Iterator[Check]:
    tmp = Path(tempfile.mkdtemp(prefix="cwt-", dir="/tmp"))
    yield Check(tmp)
    shutil.rmtree(tmp, ignore_errors=True)


class Listener:
    """An HTTP server on 127.0.0.1 that counts every connection it accepts."""

    def __init__(self) -> None:
        self.connections = 0
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            def verify_request(self, request: object, client_address: object) -> bool:
                listener.connections += 1
                return True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def listener() -> Iterator[Listener]:
    served = Listener()
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{served.port}/probe", timeout=5)
    except OSError:
        pass
    assert served.connections == 1, "the listener sees connections"
    served.connections = 0
    yield served
    served.server.shutdown()


# 2. check never executes anything a module says


def provisioned(marker: Path) -> str:
    """A resource whose provisioner would create `marker`, were it ever applied."""
    return f"""\
    resource "terraform_data" "x" {{
      input = "x"
      provisioner "local-exec" {{
        command = "touch {marker}"
      }}
    }}
    """


def test_applying_tests_are_not_run_and_no_provisioner_runs(cli: Check, tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    module = write_module(
        tmp_path / "module", {"main.tf": provisioned(marker), "tests/a.tftest.hcl": 'run "r" {}\n'}
    )
    done = cli.run(module, "--no-checkov")
    assert not marker.exists()
    assert done.returncode == 0, done.stderr
    assert "terraform test" not in done.stderr
    assert 'tests not run: run "r" (tests/a.tftest.hcl:1) has command = apply' in done.stdout
    assert "check: clean, 1 info" in done.stdout
    assert cli.left_behind() == []


def test_plan_only_tests_run_and_plan_runs_no_provisioner(cli: Check, tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    plan_only = 'run "r" {\n  command = plan\n}\n'
    module = write_module(
        tmp_path / "module", {"main.tf": provisioned(marker), "tests/a.tftest.hcl": plan_only}
    )
    done = cli.run(module, "--no-checkov")
    assert not marker.exists()
    assert "cw-scaffold check: terraform test" in done.stderr
    assert done.returncode == 0, done.stdout + done.stderr
    assert "check: clean" in done.stdout


def test_external_data_source_never_runs_its_program(cli: Check, tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    module = write_module(
        tmp_path / "module",
        {
            "main.tf": f"""\
            data "external" "x" {{
              program = ["sh", "-c", "touch {marker}; echo '{{}}'"]
            }}

            output "x" {{
              value = data.external.x.result
            }}
            """
        },
    )
    done = cli.run(module, "--no-checkov")
    assert not marker.exists()
    if "hashicorp/external" in stand_ins():
        assert done.returncode == 0, done.stdout + done.stderr
    else:
        assert done.returncode == 2
        assert "the module needs the provider hashicorp/external" in done.stderr
        assert "terraform init" not in done.stderr


# 3. check never touches the network


@pytest.mark.parametrize(
    "source",
    [
        "http://127.0.0.1:{port}/m.zip",
        "git::http://127.0.0.1:{port}/repo.git",
        "localhost:{port}/ns/name/aws",
        "s3::http://127.0.0.1:{port}/bucket/m.zip",
    ],
    ids=["http", "git", "registry-host", "s3"],
)
def test_remote_module_sources_are_not_downloaded(
    cli: Check, tmp_path: Path, listener: Listener, source: str
) -> None:
    address = source.format(port=listener.port)
    module = write_module(
        tmp_path / "module", {"main.tf": f'module "m" {{\n  source = "{address}"\n}}\n'}
    )
    done = cli.run(module, "--no-checkov")
    assert done.returncode == 2
    assert f'module "m" (main.tf:1) has the remote source {address}' in done.stderr
    assert "run `terraform init`" in done.stderr
    assert "cw-scaffold check: terraform" not in done.stderr, "refused before Terraform runs"
    assert listener.connections == 0
    assert cli.left_behind() == []


@pytest.mark.parametrize(
    "settings",
    [
        'backend "http" {{\n    address = "http://127.0.0.1:{port}/state"\n  }}',
        (
            'cloud {{\n    hostname     = "localhost:{port}"\n    organization = "o"\n'
            '    workspaces {{\n      name = "w"\n    }}\n  }}'
        ),
    ],
    ids=["http-backend", "cloud"],
)
def test_backends_are_never_contacted(
    cli: Check, tmp_path: Path, listener: Listener, settings: str
) -> None:
    terraform_block = "terraform {\n  " + settings.format(port=listener.port) + "\n}\n\n"
    module = write_module(tmp_path / "module", {"main.tf": terraform_block + TOPIC})
    done = cli.run(module, "--no-checkov")
    assert "cw-scaffold check: terraform plan" in done.stderr
    assert listener.connections == 0
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_module_call_in_a_file_the_parser_cannot_read_is_not_downloaded(
    cli: Check, tmp_path: Path, listener: Listener
) -> None:
    source = f"http://127.0.0.1:{listener.port}/m.zip"
    broken = f'module "m" {{\n  source = "{source}"\n}}\n\nlocals {{\n  x =\n}}\n'
    module = write_module(tmp_path / "module", {"main.tf": TOPIC, "calls.tf": broken})
    done = cli.run(module, "--no-checkov")
    assert done.returncode == 2
    assert "calls.tf could not be parsed, so the sources of its module calls" in done.stderr
    assert listener.connections == 0


def test_a_module_call_in_json_syntax_is_not_downloaded(
    cli: Check, tmp_path: Path, listener: Listener
) -> None:
    # alike on purpose: each test offers one more way out to the network and counts connections
    source = f"git::http://127.0.0.1:{listener.port}/repo.git"
    calls = json.dumps({"module": {"m": {"source": source}}})
    module = write_module(tmp_path / "module", {"main.tf": TOPIC, "calls.tf.json": calls})
    done = cli.run(module, "--no-checkov")
    assert done.returncode == 2
    assert f'module "m" (calls.tf.json:1) has the remote source {source}' in done.stderr
    assert listener.connections == 0


def test_public_registry_source_is_refused_before_any_init(cli: Check, tmp_path: Path) -> None:
    module = write_module(
        tmp_path / "module",
        {
            "main.tf": 'module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "~> 5.0"\n}\n'
        },
    )
    done = cli.run(module, "--no-checkov")
    assert done.returncode == 2
    assert "terraform-aws-modules/vpc/aws, which is not installed" in done.stderr
    assert "cw-scaffold check: terraform init" not in done.stderr


def test_provider_from_a_network_registry_is_refused(
    cli: Check, tmp_path: Path, listener: Listener
) -> None:
    source = f"localhost:{listener.port}/ns/foo"
    module = write_module(
        tmp_path / "module",
        {
            "main.tf": f'terraform {{\n  required_providers {{\n    foo = {{\n      source = "{source}"\n    }}\n  }}\n}}\n'
        },
    )
    done = cli.run(module, "--no-checkov")
    assert done.returncode == 2
    assert f"needs the provider {source}" in done.stderr
    assert listener.connections == 0


def test_the_cli_configuration_alone_installs_no_provider_from_the_network(
    tmp_path: Path, listener: Listener
) -> None:
    """Were preflight to miss a provider, Terraform's init still looks only at the empty
    mirror: the CLI configuration allows no direct installation."""
    source = f"localhost:{listener.port}/ns/foo"
    module = write_module(
        tmp_path / "module",
        {
            "main.tf": f'terraform {{\n  required_providers {{\n    foo = {{\n      source = "{source}"\n    }}\n  }}\n}}\n'
        },
    )
    config = install.write_cli_config(tmp_path / "providers", module)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    env.update(TF_CLI_CONFIG_FILE=str(config), PYTHONPATH=str(REPO))
    with CheckRun() as run:
        worker = TerraformWorker(run, tmp_path, env)
        run.at_exit(worker.close)
        done = worker.run(["init", "-backend=false", "-no-color"], cwd=module, timeout=120)
    assert done.returncode == 1
    assert "Failed to query available provider packages" in done.stderr
    assert listener.connections == 0


def test_a_registry_module_in_a_test_run_block_is_not_fetched(
    cli: Check, tmp_path: Path, listener: Listener
) -> None:
    """`terraform init` installs the modules test run blocks call: the check's copies hold
    no test files when the tests do not run, so nothing is looked up."""
    run_block = (
        'run "r" {{\n  command = plan\n  module {{\n    source  = "{source}"\n'
        '    version = "1.0.0"\n  }}\n}}\n'
    )
    module = write_module(
        tmp_path / "module",
        {
            "main.tf": TOPIC,
            "tests/a.tftest.hcl": run_block.format(source="terraform-aws-modules/vpc/aws"),
            "tests/b.tftest.hcl": run_block.format(source=f"localhost:{listener.port}/ns/m/aws"),
        },
    )
    done = cli.run(module, "--no-checkov")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "TF-INIT" not in done.stdout
    assert "calls the remote module terraform-aws-modules/vpc/aws" in done.stdout
    assert listener.connections == 0


# 7. interrupts: exit 130 / 143 within 2 s, children ended, temporary files removed


INTERRUPTED = {
    **SMALL,
    # Enough resources that validate and plan last a while (providers started once per check
    # make a small module's plan too quick to interrupt).
    "topics.tf": """\
    resource "aws_sns_topic" "many" {
      count = 400
      name  = "topic-${count.index}"
    }
    """,
    "tests/plan.tftest.hcl": """\
    mock_provider "aws" {}

    run "named" {
      command = plan
    }
    """,
}


@pytest.mark.parametrize(
    ("signum", "stage", "checkov"),
    [
        (signal.SIGINT, "terraform init", False),
        (signal.SIGTERM, "terraform validate", True),
        (signal.SIGINT, "terraform plan", True),
        (signal.SIGTERM, "terraform plan", False),
    ],
    ids=["int-init", "term-validate", "int-plan", "term-plan"],
)
def test_interrupt_ends_the_check_and_everything_it_started(
    cli: Check, tmp_path: Path, signum: int, stage: str, checkov: bool
) -> None:
    module = write_module(tmp_path / "module", INTERRUPTED)
    child = cli.start(module, *([] if checkov else ["--no-checkov"]))
    assert child.stderr is not None
    seen = []
    while (line := child.stderr.readline()) and stage not in line:
        seen.append(line)
    assert line, f"the check ended before {stage}: {seen}"
    time.sleep(0.3)  # into the stage
    assert cli.processes(), "the check has children at work"
    child.send_signal(signum)
    sent = time.monotonic()
    stdout, stderr = child.communicate(timeout=30)
    elapsed = time.monotonic() - sent
    assert child.returncode == 128 + signum, stderr
    assert elapsed < 2, f"took {elapsed:.1f} s to stop"
    assert "check:" not in stdout, "no verdict"
    assert "Traceback" not in stderr
    assert "interrupted" in stderr
    assert cli.left_behind() == []
    assert cli.processes_after(seconds=2) == []


def test_sigterm_ends_a_recursive_check_and_every_module_check_it_started(
    cli: Check, tmp_path: Path
) -> None:
    """`check --recursive` checks modules in worker processes: they end with it, and none
    takes up a module already queued for it (the pool queues one more than it runs)."""
    tree = tmp_path / "tree"
    for number in range(default_jobs() + 3):
        write_module(tree / "modules" / f"m{number}", INTERRUPTED)
    child = cli.start(tree, "--recursive", "--no-checkov")
    deadline = time.monotonic() + 120
    while not any("terraform" in p for p in cli.processes()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert any("terraform" in p for p in cli.processes()), "the module checks are under way"
    child.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    stdout, stderr = child.communicate(timeout=60)
    elapsed = time.monotonic() - sent
    assert child.returncode == 143, stderr
    assert elapsed < 2, f"took {elapsed:.1f} s to stop"
    assert "check:" not in stdout, "no verdict"
    assert "Traceback" not in stderr
    assert cli.left_behind() == []
    assert cli.processes_after(seconds=2) == []


def test_ctrl_c_in_a_terminal_exits_130_and_leaves_nothing(cli: Check, tmp_path: Path) -> None:
    """Ctrl-C in a real terminal reaches the whole foreground process group."""
    module = write_module(tmp_path / "module", INTERRUPTED)
    command = cli.command(module)
    terminal = pexpect.spawn(command[0], command[1:], env=cli.env, encoding="utf-8", timeout=120)
    terminal.expect("terraform plan")
    time.sleep(0.3)
    terminal.sendintr()
    sent = time.monotonic()
    terminal.expect(pexpect.EOF, timeout=10)
    elapsed = time.monotonic() - sent
    terminal.close()
    assert terminal.exitstatus == 130
    assert elapsed < 2, f"took {elapsed:.1f} s to stop"
    assert "check:" not in (terminal.before or "").replace("cw-scaffold check:", "")
    assert cli.left_behind() == []
    assert cli.processes_after(seconds=2) == []


# 9. large files


def test_a_file_above_the_size_limit_is_refused_at_once(cli: Check, tmp_path: Path) -> None:
    module = tmp_path / "module"
    module.mkdir()
    block = 'resource "aws_sns_topic" "t{i}" {{\nname = "topic-{i}"\n}}\n'
    with (module / "main.tf").open("w") as out:
        i = 0
        while out.tell() < 4_400_000:
            out.write(block.format(i=i))
            i += 1
    started = time.monotonic()
    done = cli.run(module)
    assert done.returncode == 2
    assert (
        f"main.tf is 4.2 MB: the check reads Terraform files of at most {MAX_FILE_BYTES // 1024} KB"
        in done.stderr
    )
    assert time.monotonic() - started < 10
    assert cli.left_behind() == []


# 11. cannot-check (exit 2) against broken (exit 1)


def test_random_bytes_are_a_finding_not_a_crash(cli: Check, tmp_path: Path) -> None:
    module = tmp_path / "module"
    module.mkdir()
    (module / "main.tf").write_bytes(os.urandom(3000).replace(b"\n", b"\0"))
    done = cli.run(module, "--no-checkov")
    assert done.returncode == 1, done.stderr
    assert "TerraformFdReadError" not in done.stdout + done.stderr
    assert "TF-INIT" in done.stdout
    assert "HCL-PARSE" in done.stdout


def test_a_provider_without_a_stand_in_exits_2_naming_it(cli: Check, tmp_path: Path) -> None:
    module = write_module(
        tmp_path / "module",
        {"main.tf": TOPIC + 'resource "google_storage_bucket" "b" {\n  name = "b"\n}\n'},
    )
    done = cli.run(module, "--no-checkov")
    assert done.returncode == 2
    assert "the module needs the provider hashicorp/google (main.tf:4)" in done.stderr
    assert "no stand-in" in done.stderr


def test_a_module_with_a_real_error_exits_1(cli: Check, tmp_path: Path) -> None:
    module = write_module(tmp_path / "module", {"main.tf": TOPIC.replace("name", "colour")})
    done = cli.run(module, "--no-checkov")
    assert done.returncode == 1
    assert "TF-VALIDATE" in done.stdout and "Unsupported argument" in done.stdout
