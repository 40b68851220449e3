"""`cw-scaffold canary run DIR SERVICE` (generator/canary_run.py): a service's canary, built
as Terraform plans it and run here on the stand-in Synthetics library, against a live service."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main
from generator.render import render
from tests.helpers.canary_runs import STEP_NAMES, contract_checks


@pytest.fixture(scope="module", params=["python", "nodejs"])
def project(
    request: pytest.FixtureRequest,
    template_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
    service_port: int,
) -> Path:
    """A project whose `orders` service has an endpoint and contract checks; `billing` none."""
    work = tmp_path_factory.mktemp(f"run-{request.param}")
    module = render(
        {
            "canary_runtime": request.param,
            "services": ["orders", "billing"],
            "service_endpoint_pattern": "",  # only services with an endpoint get a canary
        },
        work / "project",
        template=template_dir,
    )
    (module / "services.auto.tfvars").unlink()
    settings = {
        "orders": {
            "endpoint": f"http://127.0.0.1:{service_port}/healthy",
            "checks": contract_checks(),
        }
    }
    (module / "services.auto.tfvars.json").write_text(json.dumps({"service_settings": settings}))
    return module


def test_canary_run_passes_against_the_healthy_service(
    project: Path, service_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["canary", "run", str(project), "orders"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"Canary of orders against http://127.0.0.1:{service_port}/healthy:",
        *(f"  PASSED {name}" for name in STEP_NAMES),
        "Passed",
    ]


def test_canary_run_names_the_failed_step_of_another_endpoint(
    project: Path, service_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint = f"http://127.0.0.1:{service_port}/lost-order"
    assert main(["canary", "run", str(project), "orders", "--endpoint", endpoint]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"Canary of orders against {endpoint}:",
        "  PASSED health",
        "  PASSED list-orders",
        "  PASSED create-order",
        "  FAILED read-order: step 'read-order' (GET /orders/o-1): status: expected 200, got 404",
        "Failed",
    ]


def test_canary_run_of_a_service_without_a_canary_says_why(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["canary", "run", str(project), "billing"]) == 1
    assert capsys.readouterr().err == (
        f"cw-scaffold canary: billing has no canary in {project}: it needs an endpoint in"
        " services.auto.tfvars (or give one with --endpoint URL)\n"
    )
