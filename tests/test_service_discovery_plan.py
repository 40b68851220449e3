"""Issue 12 (f): the default service endpoint http://{service}.internal:8080 named DNS that
nothing created. In a new cluster the module creates the namespace and a Cloud Map service
per service, read here from a real Terraform plan; the summary says what the user does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.check import check
from generator.questions import load_questions, resolve_answers
from generator.wizard import summary
from tests.helpers.variants import VARIANTS, services_of


def _planned(module: Path) -> dict[str, Any]:
    report = check(module, checkov=False)
    assert report.plan is not None and not report.errors, report.findings
    return {
        r["address"]: r.get("values", {})
        for r in report.plan["planned_values"]["root_module"]["resources"]
    }


def test_the_default_endpoint_names_resolve_once_services_register(
    rendered: Callable[[str], Path],
) -> None:
    planned = _planned(rendered("defaults"))
    (namespace,) = [
        v for a, v in planned.items() if a.startswith("aws_service_discovery_private_dns_namespace")
    ]
    assert namespace["name"] == "internal"  # http://{service}.internal:8080
    discovered = {
        a.split('"')[1]: v
        for a, v in planned.items()
        if a.startswith("aws_service_discovery_service.service[")
    }
    assert set(discovered) == set(services_of(VARIANTS["defaults"]))
    for name, service in discovered.items():
        assert service["name"] == name and service["force_destroy"] is True
        (dns,) = service["dns_config"]
        assert dns["dns_records"] == [{"ttl": 10, "type": "A"}]
        assert len(service["health_check_custom_config"]) == 1  # ECS reports task health
    readme = (rendered("defaults") / "README.md").read_text()
    assert "service_registry_arns" in readme and "Cloud Map" in readme


@pytest.mark.parametrize("name", ["all-options", "new-existing-nat"])
def test_an_existing_cluster_or_another_pattern_gets_no_namespace(
    name: str, rendered: Callable[[str], Path]
) -> None:
    """An existing cluster's services are deployed already, with their own DNS."""
    module = rendered(name)
    exists = (module / "service_discovery.tf").exists()
    assert exists == (VARIANTS[name].get("cluster_mode", "new") == "new")


def test_the_summary_says_how_services_become_reachable() -> None:
    questions = load_questions()
    new = summary(resolve_answers({}, questions))
    assert "service_registry_arns" in new and "http://{service}.internal:8080" in new
    existing = summary(resolve_answers(VARIANTS["all-options"], questions))
    assert "make sure it resolves in the canaries' VPC" in existing
