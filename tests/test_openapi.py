"""Canary steps derived from an OpenAPI document (generator/openapi.py), written by
`cw-scaffold canary derive` (generator/canary.py), and run by both runtimes' scripts, from the
zips Terraform plans, against a live service that implements the document
(tests/helpers/openapi_service.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.canary import DERIVED_FILE
from generator.cli import main
from generator.errors import UserError
from generator.openapi import derive, load
from generator.render import render
from tests.helpers.canary_runs import (
    planned_canary_zip,
    run_from_zip,
    run_node,
    run_python,
    step,
    stopped_at,
)
from tests.helpers.openapi_service import SLOW_SECONDS, SPEC

DERIVED = [
    {
        "name": "listOrders",
        "path": "/orders?limit=2",
        "method": "GET",
        "required_json_keys": ["items", "count"],
        "json_types": {"items": "array", "count": "integer"},
        "json_bounds": {"count": {"min": 1, "max": 100}},
        "json_non_empty": ["items"],
    },
    {
        "name": "getOrder",
        "path": "/orders/o-1",
        "method": "GET",
        "required_json_keys": ["id", "status", "total", "customer", "customer.name"],
        "json_types": {
            "id": "string",
            "status": "string",
            "total": "number",
            "customer": "object",
            "customer.name": "string",
        },
        "json_bounds": {"total": {"min": 0}},
    },
    {"name": "head-ping", "path": "/ping", "method": "HEAD", "expected_status": 204},
]
LEFT_OUT = [
    "POST /orders: not GET or HEAD (a canary must not change the service)",
    "DELETE /orders/{orderId}: not GET or HEAD (a canary must not change the service)",
    "GET /orders/{orderId}/invoice: required path parameter 'orderId' has no example",
    "GET /reports/daily: marked x-canary: false",
]


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "orders.yaml"
    path.write_text(SPEC)
    return path


# --- derivation -------------------------------------------------------------------------


def test_derived_steps_follow_the_document(spec_file: Path) -> None:
    derivation = derive(load(spec_file))
    assert derivation.steps == DERIVED
    assert derivation.skipped == LEFT_OUT


def test_the_step_budget_keeps_the_first_operations(spec_file: Path) -> None:
    derivation = derive(load(spec_file), max_steps=1)
    assert [s["name"] for s in derivation.steps] == ["listOrders"]
    assert "GET /orders/{orderId}: over the step budget of 1" in derivation.skipped
    assert "HEAD /ping: over the step budget of 1" in derivation.skipped


def test_a_document_with_only_unsafe_operations_derives_no_steps(tmp_path: Path) -> None:
    document = yaml.safe_load(SPEC)
    document["paths"] = {"/orders": document["paths"]["/orders"]}
    del document["paths"]["/orders"]["get"]
    path = tmp_path / "unsafe.json"
    path.write_text(json.dumps(document))
    derivation = derive(load(path))
    assert derivation.steps == []
    assert derivation.skipped == [LEFT_OUT[0]]


def test_a_malformed_document_is_refused_with_the_validators_message(tmp_path: Path) -> None:
    document = yaml.safe_load(SPEC)
    del document["paths"]["/orders"]["get"]["responses"]["200"]["description"]
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(document))
    with pytest.raises(UserError) as refused:
        load(path)
    assert str(refused.value).startswith(f"{path} is not a valid OpenAPI document: ")
    assert "'description' is a required property" in str(refused.value)
    assert "(at paths > /orders > get > responses > 200)" in str(refused.value)


def test_a_swagger_2_document_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "swagger.yaml"
    path.write_text("swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n")
    with pytest.raises(UserError, match=r"is not an OpenAPI 3\.x document"):
        load(path)


# --- canary derive ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(template_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("derive")
    return render({"services": ["orders", "billing"]}, work / "project", template=template_dir)


def derived_file(project: Path) -> dict[str, Any]:
    return json.loads((project / DERIVED_FILE).read_text())["derived_checks"]


def test_derive_writes_the_steps_and_deriving_again_follows_the_document(
    project: Path, spec_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["canary", "derive", str(project), "orders", "--openapi", str(spec_file)]) == 0
    out = capsys.readouterr().out
    assert f"Derived 3 steps for orders into {project / DERIVED_FILE}" in out
    assert "  GET /reports/daily: marked x-canary: false" in out
    assert derived_file(project)["orders"] == {"openapi": str(spec_file), "checks": DERIVED}

    # The document changes: deriving again (no --openapi) reads it where it was.
    document = yaml.safe_load(SPEC)
    document["paths"]["/orders/{orderId}"]["get"]["x-canary"] = False
    spec_file.write_text(yaml.safe_dump(document))
    (project / "billing.yaml").write_text(SPEC)
    assert (
        main(
            [
                "canary",
                "derive",
                str(project),
                "billing",
                "--openapi",
                str(project / "billing.yaml"),
            ]
        )
        == 0
    )
    assert main(["canary", "derive", str(project), "orders"]) == 0
    derived = derived_file(project)
    assert [s["name"] for s in derived["orders"]["checks"]] == ["listOrders", "head-ping"]
    assert derived["billing"] == {"openapi": "billing.yaml", "checks": DERIVED}


def test_derive_refuses_a_malformed_document_and_writes_nothing(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / DERIVED_FILE).unlink(missing_ok=True)
    path = tmp_path / "broken.yaml"
    path.write_text("openapi: 3.0.3\ninfo: {title: Orders}\npaths: {}\n")
    assert main(["canary", "derive", str(project), "orders", "--openapi", str(path)]) == 1
    error = capsys.readouterr().err
    assert error == (
        f"cw-scaffold canary: {path} is not a valid OpenAPI document:"
        " 'version' is a required property (at info)\n"
    )
    assert not (project / DERIVED_FILE).exists()


def test_derive_refuses_a_service_the_project_does_not_have(
    project: Path, spec_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["canary", "derive", str(project), "payments", "--openapi", str(spec_file)]
    assert main(args) == 1
    assert "'payments' is not one of the project's services (orders, billing)" in (
        capsys.readouterr().err
    )


# --- the derived steps, run ---------------------------------------------------------------


@pytest.mark.parametrize("runtime", ["python", "nodejs"])
def test_derived_steps_pass_on_the_healthy_service(
    runtime: str, tmp_path: Path, orders_api_port: int
) -> None:
    steps = [step(**s) for s in DERIVED]
    config = {
        "service": "orders",
        "base_url": f"http://127.0.0.1:{orders_api_port}/healthy",
        "request_timeout_ms": 15000,
        "steps": steps,
    }
    run = (run_python if runtime == "python" else run_node)(tmp_path, config)
    assert run.error is None, run.error
    assert run.outcomes() == [(s["name"], "PASSED") for s in DERIVED]


# A workflow written by hand beside the derived steps: create an order, read it back.
WORKFLOW = [
    {
        "name": "create-order",
        "path": "/orders",
        "method": "POST",
        "headers": {"Content-Type": "application/json"},
        "body": '{"item": "book"}',
        "expected_status": 201,
        "capture": {"order_id": "id"},
    },
    {"name": "read-order", "path": "/orders/{{order_id}}", "json_equals": {"status": "new"}},
]
STEP_NAMES = ["health", "listOrders", "getOrder", "head-ping", "create-order", "read-order"]


@pytest.fixture(scope="module", params=["python", "nodejs"])
def derived_zip(
    request: pytest.FixtureRequest,
    template_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
    orders_api_port: int,
) -> tuple[str, Path]:
    """A module whose `orders` canary has the derived steps (listOrders edited to a 300 ms
    limit, as a user may) and the workflow, planned; its canary zip as Terraform builds it."""
    runtime = request.param
    work = tmp_path_factory.mktemp(f"derived-{runtime}")
    module = render(
        {"canary_runtime": runtime, "services": ["orders"]}, work / "module", template=template_dir
    )
    (work / "orders.yaml").write_text(SPEC)
    assert (
        main(["canary", "derive", str(module), "orders", "--openapi", str(work / "orders.yaml")])
        == 0
    )
    derived = json.loads((module / DERIVED_FILE).read_text())
    derived["derived_checks"]["orders"]["checks"][0]["max_latency_ms"] = 300
    (module / DERIVED_FILE).write_text(json.dumps(derived))
    (module / "services.auto.tfvars").unlink()
    settings = {
        "orders": {"endpoint": f"http://127.0.0.1:{orders_api_port}/healthy", "checks": WORKFLOW}
    }
    (module / "services.auto.tfvars.json").write_text(json.dumps({"service_settings": settings}))
    return runtime, planned_canary_zip(module, "orders", work / "canary.zip")


def test_derived_steps_and_a_workflow_pass_from_the_zip(
    derived_zip: tuple[str, Path], tmp_path: Path
) -> None:
    runtime, path = derived_zip
    run = run_from_zip(runtime, path, tmp_path)
    assert run.error is None, run.error
    assert run.outcomes() == [(name, "PASSED") for name in STEP_NAMES]


# variant of the API, the step it breaks, the failure message (a pattern)
BROKEN = [
    (
        "missing-key",
        "getOrder",
        re.escape(
            "step 'getOrder' (GET /orders/o-1): JSON 'status': expected present, got nothing"
        ),
    ),
    (
        "wrong-type",
        "listOrders",
        re.escape(
            "step 'listOrders' (GET /orders?limit=2): JSON 'count': expected integer,"
            ' got string "1"'
        ),
    ),
    (
        "error-500",
        "getOrder",
        re.escape("step 'getOrder' (GET /orders/o-1): status: expected 200, got 500"),
    ),
    (
        "slow",
        "listOrders",
        re.escape("step 'listOrders' (GET /orders?limit=2): latency: expected at most 300 ms, got ")
        + r"(?P<ms>\d+) ms",
    ),
    (
        "no-id",
        "create-order",
        re.escape(
            "step 'create-order' (POST /orders): capture 'order_id' from JSON 'id':"
            " expected a value, got nothing"
        ),
    ),
]


@pytest.mark.parametrize(("variant", "failed_step", "pattern"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_service_fails_the_right_step_from_the_zip(
    derived_zip: tuple[str, Path],
    tmp_path: Path,
    orders_api_port: int,
    variant: str,
    failed_step: str,
    pattern: str,
) -> None:
    runtime, path = derived_zip
    base_url = f"http://127.0.0.1:{orders_api_port}/{variant}"
    run = run_from_zip(runtime, path, tmp_path, base_url=base_url)
    match = re.fullmatch(pattern, run.error or "")
    assert match, run.error
    if variant == "slow":
        assert int(match["ms"]) >= SLOW_SECONDS * 1000
    assert run.outcomes() == stopped_at(STEP_NAMES, failed_step)
    assert run.steps[-1]["failure_reason"] == run.error


def test_an_operation_with_a_parameter_from_another_file_is_left_out(tmp_path: Path) -> None:
    (tmp_path / "params.yaml").write_text(
        "limit: {name: limit, in: query, required: true, schema: {type: integer}, example: 2}\n"
    )
    path = tmp_path / "orders.yaml"
    path.write_text(
        "openapi: 3.0.3\ninfo: {title: Orders, version: '1.0'}\npaths:\n  /orders:\n    get:\n"
        "      parameters: [{$ref: 'params.yaml#/limit'}]\n"
        "      responses: {'200': {description: The orders.}}\n"
    )
    derivation = derive(load(path))
    assert derivation.steps == []
    assert derivation.skipped == [
        "GET /orders: a parameter is defined in another file, which derive does not read"
    ]
