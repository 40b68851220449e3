"""The canary zip, end to end: the sources Terraform plans for archive_file (the script and
the canary_config.json built by the monitoring plan) laid out as the runtime loads them, and
the handler run from that layout against a live service."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from generator.check.terraform import run_terraform
from generator.render import render
from tests.helpers.canary_runs import (
    DOUBLES,
    NODE,
    NODE_RUNNER,
    PYTHON_RUNNER,
    STEPS,
    Run,
    run_subprocess,
)

# What each runtime loads for handler "canary.handler" (docs/aws-facts.md, "Canary script
# packaging").
LAYOUT = {
    "python": {"python/canary.py", "python/canary_config.json"},
    "nodejs": {"canary.js", "canary_config.json"},
}


def contract_checks() -> list[dict[str, Any]]:
    """The contract steps of the script tests, as a user writes them in service_settings."""
    return [{k: v for k, v in step.items() if v not in (None, {}, [])} for step in STEPS[1:]]


@pytest.fixture(scope="module", params=["python", "nodejs"])
def canary_zip(
    request: pytest.FixtureRequest,
    template_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
    service_port: int,
) -> tuple[str, Path]:
    """Render a module whose `orders` service has contract checks, plan it, and build the
    zip from the planned archive_file sources."""
    runtime = request.param
    work = tmp_path_factory.mktemp(f"zip-{runtime}")
    module = render(
        {"canary_runtime": runtime, "services": ["orders"]}, work / "module", template=template_dir
    )
    (module / "services.auto.tfvars").unlink()
    settings = {
        "service_settings": {
            "orders": {
                "endpoint": f"http://127.0.0.1:{service_port}/healthy",
                "checks": contract_checks(),
            }
        }
    }
    (module / "services.auto.tfvars.json").write_text(json.dumps(settings))
    outcome = run_terraform(module, run_tests=False)
    assert outcome.plan is not None, outcome.findings
    archive = next(
        r["values"]
        for r in outcome.plan["prior_state"]["values"]["root_module"]["resources"]
        if r["address"] == 'data.archive_file.canary["orders"]'
    )
    path = work / "canary.zip"
    with zipfile.ZipFile(path, "w") as zipped:
        for source in archive["source"]:
            zipped.writestr(source["filename"], source["content"])
    return runtime, path


def test_canary_zip_has_the_layout_the_runtime_loads(canary_zip: tuple[str, Path]) -> None:
    runtime, path = canary_zip
    with zipfile.ZipFile(path) as zipped:
        assert set(zipped.namelist()) == LAYOUT[runtime]


def run_from_zip(runtime: str, path: Path, tmp_path: Path, base_url: str | None = None) -> Run:
    with zipfile.ZipFile(path) as zipped:
        zipped.extractall(tmp_path / "task")
    task = tmp_path / "task"
    folder = task / "python" if runtime == "python" else task
    config_path = folder / "canary_config.json"
    if base_url is not None:
        config = json.loads(config_path.read_text())
        config_path.write_text(json.dumps({**config, "base_url": base_url}))
    report = tmp_path / "steps.jsonl"
    if runtime == "python":
        env = {
            "PYTHONPATH": str(DOUBLES / "python"),
            "PYTHONDONTWRITEBYTECODE": "1",
            "SYNTHETICS_DOUBLE_REPORT": str(report),
        }
        import sys

        command = [sys.executable, "-c", PYTHON_RUNNER, str(folder / "canary.py")]
    else:
        env = {
            "NODE_PATH": str(DOUBLES / "node" / "node_modules"),
            "SYNTHETICS_DOUBLE_REPORT": str(report),
        }
        command = [NODE, "-e", NODE_RUNNER, str(folder / "canary.js")]
    return run_subprocess(command, env, tmp_path, report)


def test_canary_from_the_zip_checks_health_then_the_contract(
    canary_zip: tuple[str, Path], tmp_path: Path
) -> None:
    runtime, path = canary_zip
    run = run_from_zip(runtime, path, tmp_path)
    assert run.error is None, run.error
    assert [(s["step"], s["status"]) for s in run.steps] == [
        ("health", "PASSED"),
        ("list-orders", "PASSED"),
        ("create-order", "PASSED"),
    ]


def test_canary_from_the_zip_fails_a_broken_service_at_the_right_step(
    canary_zip: tuple[str, Path], tmp_path: Path, service_port: int
) -> None:
    runtime, path = canary_zip
    run = run_from_zip(
        runtime, path, tmp_path, base_url=f"http://127.0.0.1:{service_port}/missing-key"
    )
    assert run.error == "step 'list-orders': missing JSON key 'data.items.0.id'"
    assert [s["status"] for s in run.steps] == ["PASSED", "FAILED"]
