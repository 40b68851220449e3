"""Run checkov over a module, offline, and turn its failed checks into Findings.

checkov runs as a subprocess: its imports take seconds and it cannot share an environment
with cw-scaffold (it pins boto3 and packaging, and ships its own `hcl2` package, which would
replace python-hcl2). It is found, in order, at:
1. $CW_SCAFFOLD_CHECKOV, the path of a `checkov` executable (e.g. from `pipx install`);
2. this interpreter, when checkov is importable here (`python -m checkov.main`);
3. `checkov` on PATH.
It runs in the module directory, so a `.checkov.yaml` there (e.g. `skip-check:`) applies, and
inline `#checkov:skip=ID:reason` comments are honoured by checkov itself. The project's own
policies (checkov_policies/) are always loaded.

One id per concern (docs/rules.md): where a rule of ours checks what a checkov check does,
reading the plan too, the rule owns the concern and the check's findings are dropped
(SUPERSEDED); the project's own policies cover only what no rule does.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from generator.check.findings import Finding, Severity
from generator.check.run import CheckRun
from generator.errors import EnvironmentProblem

CHECKOV_VERSION = "3.3.30"
POLICIES = Path(__file__).with_name("checkov_policies")
TIMEOUT_SECONDS = 600
# checkov check → the rule of ours that owns its concern. Dropped from the output rather than
# passed as --skip-check: a --skip-check on the command line replaces the `skip-check:` of the
# module's .checkov.yaml instead of adding to it (configargparse), so a module's own skips
# would stop applying.
SUPERSEDED = {"CKV_AWS_66": "LOG-RETENTION"}
INSTALL = (
    f"install it apart from cw-scaffold (`pipx install checkov=={CHECKOV_VERSION}`, or a venv "
    "of its own) and put it on PATH or set CW_SCAFFOLD_CHECKOV to its executable"
)


class CheckovMissing(EnvironmentProblem):
    """checkov is nowhere to be found (not configured, not importable, not on PATH)."""


def checkov_command() -> list[str]:
    """How to start checkov here, or EnvironmentProblem saying how to install it."""
    configured = os.environ.get("CW_SCAFFOLD_CHECKOV")
    if configured:
        if not os.access(configured, os.X_OK):
            raise EnvironmentProblem(f"CW_SCAFFOLD_CHECKOV={configured} is not an executable")
        return [configured]
    if importlib.util.find_spec("checkov") is not None:
        return [sys.executable, "-m", "checkov.main"]
    found = shutil.which("checkov")
    if found:
        return [found]
    raise CheckovMissing(f"checkov is not installed: {INSTALL}")


ARGUMENTS = (
    "--directory",
    ".",
    "--framework",
    "terraform",
    "--skip-download",  # offline: no policy metadata or guideline download
    "--quiet",
    "--compact",
    "--output",
    "json",
    "--external-checks-dir",
    str(POLICIES),
)


def run_checkov(module_dir: Path, run: CheckRun | None = None) -> tuple[Finding, ...]:
    """checkov's failed checks for the module in `module_dir`, one Finding each; `run` is
    the check run it belongs to (an interrupt of the run ends checkov)."""
    if run is None:
        with CheckRun() as own:
            return run_checkov(module_dir, own)
    command = [*checkov_command(), *ARGUMENTS]
    # The user's TMPDIR, as when checkov runs alone (env=None): lark, its HCL parser, keeps its
    # grammar tables there between runs (`.lark_cache_*.tmp`); in a new directory every scan
    # built them again, ~0.7 CPU-s. A Terraform scan makes no other temporary file.
    # A session of its own: the CPU share of a session, while the rest of the check runs (run.py).
    done = run.run(
        command,
        name="checkov",
        cwd=module_dir,
        env=None,
        timeout=TIMEOUT_SECONDS,
        own_session=True,
    )
    return _findings_of(done.returncode, done.stdout, done.stderr)


def _findings_of(returncode: int, stdout: str, stderr: str) -> tuple[Finding, ...]:
    # 0: every check passed; 1: some failed. Anything else is checkov itself failing.
    if returncode not in (0, 1):
        tail = (stderr or stdout).strip().splitlines()[-5:]
        raise EnvironmentProblem(
            f"checkov failed (exit {returncode}): " + " | ".join(tail or ["no output"])
        )
    try:
        output = json.loads(stdout)
    except json.JSONDecodeError as exc:
        raise EnvironmentProblem(f"checkov printed no JSON: {stdout[:200]!r}") from exc
    return parse_output(output)


def checkov_python() -> list[str] | None:
    """The interpreter checkov runs on (from its script's `#!` line), or None when checkov
    is not a Python script here."""
    command = checkov_command()
    if command[0] == sys.executable:
        return [sys.executable]
    try:
        with Path(command[0]).open("rb") as script:
            first = script.readline(512).decode("utf-8", errors="replace")
    except OSError:
        return None
    interpreter = first[2:].split() if first.startswith("#!") else []
    return interpreter if interpreter and "python" in interpreter[-1] else None


class CheckovBatch:
    """Many scans by one checkov interpreter (checkov_batch.py), for `check --recursive`:
    the same findings as `run_checkov` for each module, without importing checkov each time.
    Scans run one at a time; the interpreter is a child of `run`, ended with it."""

    def __init__(self, python: list[str], run: CheckRun) -> None:
        self._run = run
        self._lock = threading.Lock()
        script = Path(__file__).with_name("checkov_batch.py")
        self._process = run.spawn(
            [*python, str(script), *ARGUMENTS],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            encoding="utf-8",
        )
        run.at_exit(self.close)
        if self._answer().get("ready") is not True:
            raise EnvironmentProblem("checkov could not be imported by its interpreter")

    def _answer(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise EnvironmentProblem(f"checkov stopped (exit {self._process.poll()})")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def scan(self, module_dir: Path) -> tuple[Finding, ...]:
        """checkov's failed checks for the module in `module_dir`, as run_checkov's."""
        directory = self._run.temporary_directory()
        request = {
            "directory": str(module_dir),
            "stdout": str(directory / "stdout.json"),
            "stderr": str(directory / "stderr.txt"),
        }
        with self._lock:
            assert self._process.stdin is not None
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
            returncode = int(self._answer()["exit"])
        stdout = (directory / "stdout.json").read_text(encoding="utf-8", errors="replace")
        stderr = (directory / "stderr.txt").read_text(encoding="utf-8", errors="replace")
        return _findings_of(returncode, stdout, stderr)

    def close(self) -> None:
        if self._process.stdin is not None and not self._process.stdin.closed:
            try:
                self._process.stdin.close()
            except OSError:
                pass
        try:
            self._process.wait(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self._process.kill()
        self._run.forget(self._process)


def parse_output(output: Any) -> tuple[Finding, ...]:
    """Findings from checkov's JSON: one report object, or a list of them (one per framework);
    a scan with no resources prints only a summary. Checks a rule supersedes are left out."""
    reports = output if isinstance(output, list) else [output]
    findings: list[Finding] = []
    for report in reports:
        if not isinstance(report, dict):
            continue
        for failed in report.get("results", {}).get("failed_checks", []):
            if failed.get("check_id") not in SUPERSEDED:
                findings.append(_finding(failed))
        errors = report.get("summary", report).get("parsing_errors", 0)
        if errors:
            findings.append(
                Finding(
                    rule="CHECKOV-PARSE",
                    severity=Severity.WARNING,
                    message=f"checkov could not parse {errors} file(s): their checks did not run",
                )
            )
    return tuple(findings)


def _finding(failed: dict[str, Any]) -> Finding:
    lines = failed.get("file_line_range") or [None]
    path = failed.get("file_path") or failed.get("repo_file_path")
    resource = failed.get("resource")
    name = failed.get("check_name", "checkov check failed")
    return Finding(
        rule=failed.get("check_id", "CKV"),
        severity=Severity.ERROR,
        message=f"{resource}: {name}" if resource else name,
        file=path.lstrip("/") if isinstance(path, str) else None,
        line=lines[0],
    )
