"""The canary zip, end to end: the sources Terraform plans for archive_file (the script and
the canary_config.json built by the monitoring plan) laid out as the runtime loads them, and
the handler run from that layout against a live service."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from generator.render import render
from tests.helpers.canary_runs import (
    BROKEN_VARIANTS,
    STEP_NAMES,
    contract_checks,
    planned_canary_zip,
    run_from_zip,
    stopped_at,
)

# What each runtime loads for handler "canary.handler" (docs/aws-facts.md, "Runtimes"): the
# layouts the Synthetics API reference requires (CanaryCodeInput).
LAYOUT = {
    "python": {"python/canary.py", "python/canary_config.json"},
    "nodejs": {"nodejs/node_modules/canary.js", "nodejs/node_modules/canary_config.json"},
}


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
    path = planned_canary_zip(module, "orders", work / "canary.zip")
    return runtime, path


def test_canary_zip_has_the_layout_the_runtime_loads(canary_zip: tuple[str, Path]) -> None:
    runtime, path = canary_zip
    with zipfile.ZipFile(path) as zipped:
        assert set(zipped.namelist()) == LAYOUT[runtime]


def test_canary_from_the_zip_checks_health_then_the_contract(
    canary_zip: tuple[str, Path], tmp_path: Path
) -> None:
    runtime, path = canary_zip
    run = run_from_zip(runtime, path, tmp_path)
    assert run.error is None, run.error
    assert run.outcomes() == [(name, "PASSED") for name in STEP_NAMES]


# A missing key, a wrong type and both ways a capture chain breaks (variant, step, message).
BROKEN_FROM_ZIP = [
    v for v in BROKEN_VARIANTS if v[0] in {"missing-key", "wrong-type", "no-order-id", "lost-order"}
]


@pytest.mark.parametrize(
    ("variant", "failed_step", "message"), BROKEN_FROM_ZIP, ids=[v[0] for v in BROKEN_FROM_ZIP]
)
def test_canary_from_the_zip_fails_a_broken_service_at_the_right_step(
    canary_zip: tuple[str, Path],
    tmp_path: Path,
    service_port: int,
    variant: str,
    failed_step: str,
    message: str,
) -> None:
    runtime, path = canary_zip
    run = run_from_zip(
        runtime, path, tmp_path, base_url=f"http://127.0.0.1:{service_port}/{variant}"
    )
    assert run.error == message
    assert run.outcomes() == stopped_at(STEP_NAMES, failed_step)
