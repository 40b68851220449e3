"""The mapping from Terraform attributes to API members is reviewed data: every entry must
name something that exists, on both sides, and the coverage report says what is checked."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.check.constraints import models
from generator.check.constraints.listing import (
    exceptions_markdown,
    markdown,
    provider_rules_markdown,
)
from generator.check.constraints.mapping import EXCEPTIONS, TARGETS, derived, exception
from generator.check.constraints.tree import Scope, resolve, resource_schemas, top_scopes
from generator.check.rules.names import LIMITS
from generator.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("resource_type", sorted(TARGETS))
def test_each_target_names_a_real_type_service_and_operation(resource_type):
    tgt = TARGETS[resource_type]
    assert resource_type in resource_schemas()
    assert tgt.service in models.services()
    for operation in tgt.operations:
        assert models.operation_input(tgt.service, operation) is not None, operation
    assert len(top_scopes(tgt)) == len(tgt.operations) * (1 + len(tgt.roots))


def _schema_has(block: dict[str, Any], path: list[str]) -> bool:
    head, *rest = path
    if not rest:
        return head in block.get("attributes", {}) or head in block.get("blocks", {})
    nested = block.get("blocks", {}).get(head)
    return nested is not None and _schema_has(nested["block"], rest)


@pytest.mark.parametrize(
    ("resource_type", "path"),
    [(t, p) for t, overrides in sorted(EXCEPTIONS.items()) for p in sorted(overrides)],
)
def test_each_exception_names_a_real_attribute_and_member(resource_type, path):
    assert _schema_has(resource_schemas()[resource_type], path.split(".")), path
    override = EXCEPTIONS[resource_type][path]
    assert override.reason
    if override.member and "." not in path:
        scopes = top_scopes(TARGETS[resource_type])
        assert any(resolve(TARGETS[resource_type].service, s, override.member) for s in scopes)


def test_nested_exceptionsresolve_below_their_parent():
    tgt = TARGETS["aws_cloudwatch_metric_alarm"]
    (top,) = top_scopes(tgt)
    stat = resolve(tgt.service, top, "Metrics[].MetricStat")
    assert isinstance(stat, Scope)
    assert resolve(tgt.service, stat, "Metric.MetricName") is not None


@pytest.mark.parametrize(("resource_type", "limit"), sorted(LIMITS.items()))
def test_names_name_limit_checks_are_excepted(resource_type, limit):
    override = exception(resource_type, limit.attribute)
    assert override is not None and override.member is None and "NAME-LIMIT" in override.reason


def test_other_types_map_when_the_name_is_unambiguous():
    sqs = derived("aws_sqs_queue")
    assert sqs is not None and (sqs.service, sqs.operations) == ("sqs", ("CreateQueue",))
    assert derived("aws_vpc") is None
    assert derived("aws_route_table_association") is None


def test_list_constraints_prints_the_coverage(capsys):
    assert main(["check", "--list-constraints"]) == 0
    out = capsys.readouterr().out
    assert "aws_cloudwatch_metric_alarm (cloudwatch PutMetricAlarm; table)" in out
    assert "  comparison_operator" in out and "enum (7)" in out
    assert "aws_xray_group (xray CreateGroup; derived)" in out
    assert out.rstrip().splitlines()[-1].endswith("attribute constraints")


def test_list_constraints_as_json(capsys):
    assert main(["check", "--list-constraints", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {
        "resource_type": "aws_synthetics_canary",
        "attribute": "schedule.expression",
        "constraint": "provider (Synthetics API reference, CanaryScheduleInput)",
    } in rows


def test_the_readme_shows_the_coverage_of_this_projects_resource_types():
    readme = (REPO / "README.md").read_text()
    start = readme.index("| resource type | API model (botocore)")
    table = readme[start : readme.index("\n\n", start)]
    assert table == markdown(project_types())


def project_types() -> list[str]:
    """The resource types the template renders, in any variant (files rendered only for some
    answers are named `{% if ... %}name.tf{% endif %}`)."""
    found = set()
    for path in (REPO / "template").rglob("*"):
        if path.is_file() and (path.suffix in (".tf", ".jinja") or ".tf{%" in path.name):
            found.update(re.findall(r'^resource "(aws_\w+)"', path.read_text(), re.MULTILINE))
    return sorted(found)


def test_the_docs_show_the_exception_table_and_the_provider_rules():
    docs = (REPO / "docs" / "constraints.md").read_text()
    assert exceptions_markdown() in docs
    assert provider_rules_markdown() in docs
