"""Every variant of the matrix passes the whole offline check with zero findings: real
Terraform fmt, validate, plan and test against the provider schema, the rules, and checkov."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.check import check
from tests.helpers.variants import VARIANTS


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_passes_the_whole_check(name: str, rendered: Callable[[str], Path]) -> None:
    report = check(rendered(name))
    assert [f"{f.rule} {f.location()} {f.message}" for f in report.findings] == []
    assert report.stages == (
        "terraform fmt",
        "terraform init",
        "terraform validate",
        "terraform plan",
        "terraform test",
        "rules",
        "checkov",
    )
