"""How both runtimes' canary scripts read a response, run from the zips Terraform plans against
a live service (tests/helpers/response_service.py): the expected status as a load balancer's
matcher writes it (a code, a list, a range, or both), and repeated response headers, joined
with ", " as RFC 9110 combines field lines (Set-Cookie lines each on their own)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from generator.render import render
from tests.helpers.canary_runs import (
    planned_canary_zip,
    run_from_zip,
    run_node,
    run_python,
    step,
    stopped_at,
)

# The orders service's settings in services.auto.tfvars.json: a health step that accepts a
# range, then a list and range, a plain number (as every check had before), repeated headers.
SETTINGS: dict[str, Any] = {
    "health_path": "/health",
    "health_expected_status": "200-299",
    "checks": [
        {"name": "moved", "path": "/moved", "expected_status": "200-204,302"},
        {"name": "created", "path": "/created", "expected_status": 201},
        {
            "name": "cached",
            "path": "/cached",
            "header_matches": {"Cache-Control": "^no-cache, max-age=0$", "Set-Cookie": "^session="},
        },
    ],
}
STEP_NAMES = ["health", "moved", "created", "cached"]


@pytest.fixture(scope="module", params=["python", "nodejs"])
def planned_zip(
    request: pytest.FixtureRequest,
    template_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
    responses_port: int,
) -> tuple[str, Path]:
    runtime = request.param
    work = tmp_path_factory.mktemp(f"responses-{runtime}")
    module = render(
        {"canary_runtime": runtime, "services": ["orders"]}, work / "module", template=template_dir
    )
    (module / "services.auto.tfvars").unlink()
    endpoint = f"http://127.0.0.1:{responses_port}/healthy"
    settings = {"service_settings": {"orders": {"endpoint": endpoint, **SETTINGS}}}
    (module / "services.auto.tfvars.json").write_text(json.dumps(settings))
    return runtime, planned_canary_zip(module, "orders", work / "canary.zip")


def test_the_plan_carries_each_expected_status_as_text(planned_zip: tuple[str, Path]) -> None:
    runtime, path = planned_zip
    folder = "python" if runtime == "python" else "nodejs/node_modules"
    with zipfile.ZipFile(path) as zipped:
        config = json.loads(zipped.read(f"{folder}/canary_config.json"))
    assert [s["expected_status"] for s in config["steps"]] == [
        "200-299",
        "200-204,302",
        "201",
        "200",
    ]


@pytest.mark.parametrize("variant", ["healthy", "edges"])
def test_statuses_in_the_ranges_and_joined_headers_pass(
    planned_zip: tuple[str, Path],
    tmp_path: Path,
    responses_port: int,
    variant: str,
) -> None:
    runtime, path = planned_zip
    base_url = f"http://127.0.0.1:{responses_port}/{variant}"
    run = run_from_zip(runtime, path, tmp_path, base_url=base_url)
    assert run.error is None, run.error
    assert run.outcomes() == [(name, "PASSED") for name in STEP_NAMES]


# variant of the service, the step it breaks, the failure message
BROKEN = [
    ("down", "health", "step 'health' (GET /health): status: expected 200-299, got 503"),
    ("gone", "moved", "step 'moved' (GET /moved): status: expected one of 200-204,302, got 404"),
    ("ok-not-created", "created", "step 'created' (GET /created): status: expected 201, got 200"),
    (
        "stale",
        "cached",
        (
            "step 'cached' (GET /cached): header 'Cache-Control': expected to match"
            ' "^no-cache, max-age=0$", got "public, max-age=600"'
        ),
    ),
    (
        "no-session",
        "cached",
        (
            "step 'cached' (GET /cached): header 'Set-Cookie': expected to match"
            ' "^session=", got ["theme=dark","lang=en"]'
        ),
    ),
]


@pytest.mark.parametrize(("variant", "failed_step", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_status_or_header_outside_what_is_expected_fails_its_step(
    planned_zip: tuple[str, Path],
    tmp_path: Path,
    responses_port: int,
    variant: str,
    failed_step: str,
    message: str,
) -> None:
    runtime, path = planned_zip
    base_url = f"http://127.0.0.1:{responses_port}/{variant}"
    run = run_from_zip(runtime, path, tmp_path, base_url=base_url)
    assert run.error == message
    assert run.outcomes() == stopped_at(STEP_NAMES, failed_step)
    assert run.steps[-1]["failure_reason"] == message


@pytest.mark.parametrize("runtime", ["python", "nodejs"])
@pytest.mark.parametrize("expected", ["2OO", "299-200", "200, 204", ""])
def test_a_malformed_expected_status_fails_its_step_naming_it(
    runtime: str,
    expected: str,
    tmp_path: Path,
    responses_port: int,
) -> None:
    # Terraform refuses these (tests/test_canary_step_rules.py); a hand-edited
    # canary_config.json, as `cw-scaffold canary run` may run, fails the same in both runtimes.
    config = {
        "service": "orders",
        "base_url": f"http://127.0.0.1:{responses_port}/healthy",
        "request_timeout_ms": 15000,
        "steps": [step("health", "/health", expected_status=expected)],
    }
    run = (run_python if runtime == "python" else run_node)(tmp_path, config)
    assert run.error == (
        f"step 'health' (GET /health): expected_status {json.dumps(expected)} is not a status"
        " code, a list or a range of them such as 200, 200,204 or 200-299"
    )
