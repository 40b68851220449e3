"""Running the template's canary scripts on this machine, on cw-scaffold's stand-in for the
Synthetics libraries (generator/synthetics_standin, what `cw-scaffold canary run` uses).

Each runtime's script is laid out as its zip would be, next to a canary_config.json, and its
handler runs in a subprocess (generator/canary_run.py); the stand-in appends every step's
outcome to a report file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.canary_run import handler

CANARIES = Path(__file__).resolve().parents[2] / "template" / "canaries"
PYTHON_SCRIPT = CANARIES / "{% if canary_runtime == 'python' %}canary.py{% endif %}"
NODE_SCRIPT = CANARIES / "{% if canary_runtime == 'nodejs' %}canary.js{% endif %}"

# Node.js is a test requirement (.ci/run installs it): without it these tests fail, not skip.
NODE = shutil.which("node") or "node"


# --- canary configuration, as Terraform writes it ---------------------------------------


def step(name: str, path: str, **settings: Any) -> dict[str, Any]:
    """A step with every field present, as Terraform's jsonencode writes it."""
    defaults: dict[str, Any] = {
        "method": "GET",
        "headers": {},
        "body": None,
        "expected_status": 200,
        "max_latency_ms": 2000,
        "required_json_keys": [],
        "json_equals": {},
        "body_contains": None,
        "required_headers": [],
        "header_matches": {},
        "json_types": {},
        "json_bounds": {},
        "json_non_empty": [],
        "capture": {},
    }
    return {"name": name, "path": path, **defaults, **settings}


STEPS = [
    step(
        "health",
        "/health",
        required_headers=["x-request-id"],
        body_contains="READY",
        json_equals={"status": "ok"},
    ),
    step(
        "list-orders",
        "/orders?limit=1",
        max_latency_ms=300,
        required_json_keys=["data.items.0.id"],
        json_equals={"data.count": "1", "data.items.0.ready": "true"},
        json_types={"data.count": "integer", "data.items": "array"},
        json_bounds={"data.total": {"min": 1, "max": None}},
        header_matches={"Content-Type": "^application/json"},
    ),
    # A workflow: create an order, then read it back by the id the first step captured.
    step(
        "create-order",
        "/orders",
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "orders-canary/1"},
        body='{"item": "book"}',
        expected_status=201,
        capture={"order_id": "data.id"},
    ),
    step(
        "read-order",
        "/orders/{{order_id}}",
        headers={"X-Order-Id": "{{order_id}}"},
        json_types={"id": "string", "lines": "array", "total": "number"},
        json_bounds={"total": {"min": 0.01, "max": 1000}},
        json_non_empty=["lines"],
    ),
]
STEP_NAMES = [s["name"] for s in STEPS]


def contract_checks() -> list[dict[str, Any]]:
    """The steps of STEPS after health, as a user writes them in service_settings."""
    return [{k: v for k, v in step.items() if v not in (None, {}, [])} for step in STEPS[1:]]


# variant of the service, the step it breaks, the failure message
BROKEN_VARIANTS = [
    ("wrong-status", "health", "step 'health' (GET /health): status: expected 200, got 503"),
    (
        "missing-header",
        "health",
        "step 'health' (GET /health): header 'x-request-id': expected present, got none",
    ),
    (
        "no-substring",
        "health",
        "step 'health' (GET /health): body: expected to contain \"READY\", got a body without it",
    ),
    (
        "wrong-value",
        "health",
        "step 'health' (GET /health): JSON 'status': expected \"ok\", got \"degraded\"",
    ),
    (
        "missing-key",
        "list-orders",
        (
            "step 'list-orders' (GET /orders?limit=1): JSON 'data.items.0.id': expected present,"
            " got nothing"
        ),
    ),
    (
        "wrong-number",
        "list-orders",
        "step 'list-orders' (GET /orders?limit=1): JSON 'data.count': expected \"1\", got 2",
    ),
    (
        "wrong-type",
        "list-orders",
        (
            "step 'list-orders' (GET /orders?limit=1): JSON 'data.count': expected integer,"
            ' got string "1"'
        ),
    ),
    (
        "no-total",
        "list-orders",
        (
            "step 'list-orders' (GET /orders?limit=1): JSON 'data.total': expected a number >= 1,"
            " got 0"
        ),
    ),
    (
        "wrong-content-type",
        "list-orders",
        (
            "step 'list-orders' (GET /orders?limit=1): header 'Content-Type': expected to match"
            ' "^application/json", got "text/plain"'
        ),
    ),
    (
        "not-json",
        "list-orders",
        "step 'list-orders' (GET /orders?limit=1): body: expected JSON, got text that is not JSON",
    ),
    (
        "order-rejected",
        "create-order",
        "step 'create-order' (POST /orders): status: expected 201, got 422",
    ),
    # A broken capture chain: the id is not there to capture, or it names no order.
    (
        "no-order-id",
        "create-order",
        (
            "step 'create-order' (POST /orders): capture 'order_id' from JSON 'data.id':"
            " expected a value, got nothing"
        ),
    ),
    (
        "lost-order",
        "read-order",
        "step 'read-order' (GET /orders/o-1): status: expected 200, got 404",
    ),
    (
        "empty-order",
        "read-order",
        "step 'read-order' (GET /orders/o-1): JSON 'lines': expected a non-empty array, got []",
    ),
]


# --- running a canary -------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    error: str | None  # what the handler raised, or None if it returned
    steps: list[dict[str, Any]]  # the stand-in's report: step, status, failure_reason

    @property
    def passed(self) -> bool:
        return self.error is None and all(s["status"] == "PASSED" for s in self.steps)

    def outcomes(self) -> list[tuple[str, str]]:
        """(step, PASSED or FAILED) for each step that ran, in order."""
        return [(s["step"], s["status"]) for s in self.steps]


def stopped_at(names: list[str], failed_step: str) -> list[tuple[str, str]]:
    """The outcomes of a run of steps `names` that fails at failed_step: the steps before it
    passed, and none after it ran."""
    ran = names[: names.index(failed_step) + 1]
    return [(name, "PASSED") for name in ran[:-1]] + [(failed_step, "FAILED")]


def run_subprocess(command: list[str], env: dict[str, str], cwd: Path, report: Path) -> Run:
    """Run a handler; env is added to this process's environment."""
    result = subprocess.run(
        command,
        env={**os.environ, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    error = None
    if result.returncode == 1:
        assert result.stdout.strip(), f"the handler crashed:\n{result.stderr}"
        error = json.loads(result.stdout.strip().splitlines()[-1])["error"]
    lines = report.read_text().splitlines() if report.exists() else []
    return Run(error, [json.loads(line) for line in lines])


def run_task(folder: Path, report: Path) -> Run:
    """Run the handler laid out in `folder` as cw-scaffold canary run does, on the stand-in."""
    how = handler(folder, report)
    return run_subprocess(how.command, how.env, folder, report)


def run_python(tmp_path: Path, config: dict[str, Any]) -> Run:
    script = tmp_path / "task" / "python" / "canary.py"
    script.parent.mkdir(parents=True)
    shutil.copy(PYTHON_SCRIPT, script)
    (script.parent / "canary_config.json").write_text(json.dumps(config))
    return run_task(tmp_path / "task", tmp_path / "steps.jsonl")


def run_node(tmp_path: Path, config: dict[str, Any]) -> Run:
    script = tmp_path / "task" / "nodejs" / "node_modules" / "canary.js"
    script.parent.mkdir(parents=True)
    shutil.copy(NODE_SCRIPT, script)
    (script.parent / "canary_config.json").write_text(json.dumps(config))
    return run_task(tmp_path / "task", tmp_path / "steps.jsonl")


# --- from the zip Terraform plans ------------------------------------------------------


def planned_canary_zip(module: Path, service: str, path: Path) -> Path:
    """Plan `module` and write `service`'s canary zip from the planned archive_file sources."""
    from generator.check.terraform import run_terraform

    outcome = run_terraform(module, run_tests=False)
    assert outcome.plan is not None, outcome.findings
    archive = next(
        r["values"]
        for r in outcome.plan["prior_state"]["values"]["root_module"]["resources"]
        if r["address"] == f'data.archive_file.canary["{service}"]'
    )
    with zipfile.ZipFile(path, "w") as zipped:
        for source in archive["source"]:
            zipped.writestr(source["filename"], source["content"])
    return path


def run_from_zip(runtime: str, path: Path, tmp_path: Path, base_url: str | None = None) -> Run:
    with zipfile.ZipFile(path) as zipped:
        zipped.extractall(tmp_path / "task")
    task = tmp_path / "task"
    folder = task / "python" if runtime == "python" else task / "nodejs" / "node_modules"
    config_path = folder / "canary_config.json"
    if base_url is not None:
        config = json.loads(config_path.read_text())
        config_path.write_text(json.dumps({**config, "base_url": base_url}))
    return run_task(task, tmp_path / "steps.jsonl")
