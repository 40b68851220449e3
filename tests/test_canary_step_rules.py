"""What the module refuses in a canary's steps, at plan time (canaries.tf's preconditions):
captures a later step cannot rely on, JSON types and header patterns the scripts cannot check;
and (the variables' validations) expected statuses that are not a load balancer's matcher.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.check.findings import Severity
from generator.check.terraform import run_terraform
from generator.render import render


def plan_errors(template_dir: Path, work: Path, settings: dict[str, Any]) -> list[str]:
    module = render({"services": ["orders"]}, work / "module", template=template_dir)
    (module / "services.auto.tfvars").unlink()
    (module / "services.auto.tfvars.json").write_text(json.dumps(settings))
    outcome = run_terraform(module, run_tests=False)
    return [
        f.message for f in outcome.findings if f.rule == "TF-PLAN" and f.severity is Severity.ERROR
    ]


def orders(*checks: dict[str, Any]) -> dict[str, Any]:
    return {
        "service_settings": {"orders": {"endpoint": "http://orders.internal", "checks": checks}}
    }


@pytest.mark.parametrize(
    ("checks", "message"),
    [
        (
            [
                {"name": "read-order", "path": "/orders/{{order_id}}"},
                {"name": "create-order", "path": "/orders", "capture": {"order_id": "id"}},
            ],
            (
                "Service orders: step 'read-order' uses {{order_id}}, which no earlier step"
                ' captures: add capture = { name = "dotted.json.path" } to an earlier step.'
            ),
        ),
        (
            [{"name": "list", "path": "/orders", "json_types": {"items": "list"}}],
            (
                "Service orders: json_types must be null, boolean, integer, number, string, array"
                " or object, not list: list."
            ),
        ),
        (
            [{"name": "list", "path": "/orders", "header_matches": {"etag": "(unclosed"}}],
            (
                "Service orders: header_matches holds patterns that are not regular expressions:"
                " list: etag = (unclosed."
            ),
        ),
        (
            [{"name": "list", "path": "/orders", "capture": {"1st": "id"}}],
            (
                "Service orders: capture names must be letters, digits and '_', not starting with"
                " a digit: list: 1st."
            ),
        ),
    ],
    ids=["capture-after-use", "unknown-type", "bad-pattern", "bad-capture-name"],
)
def test_a_step_the_script_cannot_run_stops_the_plan(
    template_dir: Path, tmp_path: Path, checks: list[dict[str, Any]], message: str
) -> None:
    errors = plan_errors(template_dir, tmp_path, orders(*checks))
    assert len(errors) == 1, errors
    assert message in " ".join(errors[0].split())


def test_a_capture_chain_in_order_plans(template_dir: Path, tmp_path: Path) -> None:
    checks = [
        {"name": "create-order", "path": "/orders", "method": "POST", "capture": {"id": "id"}},
        {"name": "read-order", "path": "/orders/{{id}}", "headers": {"X-Order": "{{id}}"}},
    ]
    assert plan_errors(template_dir, tmp_path, orders(*checks)) == []


def test_an_expected_status_that_is_no_matcher_is_refused_naming_each(
    template_dir: Path, tmp_path: Path
) -> None:
    settings = orders(
        {"name": "reversed", "path": "/a", "expected_status": "299-200"},
        {"name": "number", "path": "/b", "expected_status": 201},
        {"name": "list-and-range", "path": "/c", "expected_status": "200-299,304"},
        {"name": "out-of-range", "path": "/d", "expected_status": "600"},
    )
    settings["service_settings"]["orders"]["health_expected_status"] = "2OO"
    settings["derived_checks"] = {
        "orders": {
            "openapi": "orders.yaml",
            "checks": [{"name": "getOrder", "path": "/orders/1", "expected_status": "200, 204"}],
        }
    }
    errors = plan_errors(template_dir, tmp_path, settings)
    # Without Terraform's "This was checked by the validation rule at <file>:<line>".
    messages = sorted(" ".join(e.split()).split(" This was checked")[0] for e in errors)
    rule = (
        "must be HTTP status codes (100-599) as a load balancer's matcher writes them: 200, a"
        " list 200,204, a range 200-299, or both 200-299,304; ranges from low to high, no spaces."
    )
    assert messages == [
        (
            f"Invalid value for variable: expected_status in derived_checks.auto.tfvars.json"
            f' {rule} Not: orders getOrder: "200, 204".'
        ),
        (
            f"Invalid value for variable: health_expected_status and expected_status {rule} Not:"
            ' orders health: "2OO", orders reversed: "299-200", orders out-of-range: "600".'
        ),
    ]
