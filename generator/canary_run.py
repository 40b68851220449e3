"""`cw-scaffold canary run DIR SERVICE`: a service's canary, run on this machine.

The script and its canary_config.json are what Terraform would zip: the module is planned
offline (generator/check/terraform.py, as `cw-scaffold check` does) and the planned
archive_file sources are laid out as the runtime loads them. The handler then runs in a
subprocess against the service's endpoint (or `endpoint`, to try a local copy of the
service) with cw-scaffold's stand-in for the Synthetics library (synthetics_standin/: the
documented functions the scripts call, each step's outcome appended to a report file).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import EnvironmentProblem, UserError

STANDIN = Path(__file__).resolve().parent / "synthetics_standin"
REPORT_VARIABLE = "CW_SCAFFOLD_SYNTHETICS_REPORT"  # where the stand-in records each step

# Calls the handler as the runtime does and prints {"error": ...} if it raises.
PYTHON_RUNNER = """
import asyncio, importlib.util, inspect, json, sys
spec = importlib.util.spec_from_file_location("canary", sys.argv[1])
canary = importlib.util.module_from_spec(spec)
spec.loader.exec_module(canary)
try:
    result = canary.handler({}, None)
    if inspect.isawaitable(result):
        asyncio.run(result)
except Exception as error:
    print(json.dumps({"error": str(error)}))
    sys.exit(1)
"""

NODE_RUNNER = """
require(process.argv[1]).handler().then(
  () => process.exit(0),
  (error) => {
    console.log(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
    process.exit(1);
  },
);
"""


@dataclass(frozen=True)
class Handler:
    """How to run one runtime's handler: the command and the environment it adds."""

    command: list[str]
    env: dict[str, str]


def handler(folder: Path, report: Path) -> Handler:
    """The handler laid out in `folder` (a zip's contents), with the stand-in library."""
    if (folder / "python" / "canary.py").is_file():
        env = {
            "PYTHONPATH": str(STANDIN / "python"),
            "PYTHONDONTWRITEBYTECODE": "1",  # no __pycache__ in the installed package
            REPORT_VARIABLE: str(report),
        }
        return Handler([sys.executable, "-c", PYTHON_RUNNER, str(folder / "python/canary.py")], env)
    node = shutil.which("node")
    if node is None:
        raise EnvironmentProblem("the Node.js canary runs on Node.js: put `node` on PATH")
    env = {"NODE_PATH": str(STANDIN / "node" / "node_modules"), REPORT_VARIABLE: str(report)}
    # Node.js runtimes load nodejs/node_modules/<file>.js (docs/aws-facts.md, "Runtimes")
    script = folder / "nodejs" / "node_modules" / "canary.js"
    return Handler([node, "-e", NODE_RUNNER, str(script)], env)


@dataclass(frozen=True)
class LocalRun:
    """A run's outcome: the error the handler raised (None if it returned), and the
    stand-in's record of each step (step, status PASSED or FAILED, failure_reason)."""

    base_url: str
    error: str | None
    steps: list[dict[str, Any]]

    @property
    def passed(self) -> bool:
        return self.error is None and all(s["status"] == "PASSED" for s in self.steps)


def run_handler(folder: Path, report: Path, timeout_s: float = 120) -> tuple[str | None, list[Any]]:
    """Run the handler laid out in `folder`; its logs go to this process's stderr."""
    how = handler(folder, report)
    try:
        result = subprocess.run(
            how.command,
            env={**os.environ, **how.env},
            cwd=folder,
            stdout=subprocess.PIPE,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise UserError(f"the canary ran longer than {timeout_s:g} s and was stopped") from None
    lines = result.stdout.strip().splitlines()
    error = None
    if result.returncode != 0:
        try:
            error = str(json.loads(lines[-1])["error"])
        except (IndexError, ValueError, KeyError, TypeError):
            error = f"the canary script crashed (exit status {result.returncode})"
    steps = (
        [json.loads(line) for line in report.read_text().splitlines()] if report.exists() else []
    )
    return error, steps


def run_locally(project: Path, service: str, endpoint: str | None = None) -> LocalRun:
    """Plan `project`, lay out `service`'s canary zip as planned, and run it here."""
    from generator.check.inputs import Inputs
    from generator.check.terraform import run_terraform

    inputs = Inputs()
    if endpoint is not None:
        if not endpoint.startswith(("http://", "https://")):
            raise UserError(f"--endpoint {endpoint!r}: expected an http:// or https:// URL")
        # So that a service with no endpoint of its own gets a canary in the plan too.
        inputs = Inputs(values=(f"service_endpoint_pattern={endpoint.rstrip('/')}/{{service}}",))
    outcome = run_terraform(project, run_tests=False, inputs=inputs)
    if outcome.plan is None:
        problems = "; ".join(f.message for f in outcome.findings if f.severity.value == "error")
        raise UserError(f"{project} does not plan, so its canaries cannot be built: {problems}")
    resources = outcome.plan["prior_state"]["values"]["root_module"]["resources"]
    address = f'data.archive_file.canary["{service}"]'
    archive = next((r["values"] for r in resources if r["address"] == address), None)
    if archive is None:
        raise UserError(
            f"{service} has no canary in {project}: it needs an endpoint in"
            " services.auto.tfvars (or give one with --endpoint URL)"
        )
    with tempfile.TemporaryDirectory(prefix="cw-scaffold-canary-") as temporary:
        folder = Path(temporary) / "task"
        for source in archive["source"]:
            target = folder / source["filename"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source["content"], encoding="utf-8")
        config_path = next(folder.rglob("canary_config.json"))
        config = json.loads(config_path.read_text(encoding="utf-8"))
        if endpoint is not None:
            config["base_url"] = endpoint.rstrip("/")
            config_path.write_text(json.dumps(config), encoding="utf-8")
        error, steps = run_handler(folder, Path(temporary) / "steps.jsonl")
    return LocalRun(config["base_url"], error, steps)
