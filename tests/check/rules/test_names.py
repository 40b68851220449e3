"""NAME-LIMIT: names AWS rejects for their length or characters, from the HCL or the plan."""

from __future__ import annotations

import pytest

NAMED_TF = """
resource "aws_s3_bucket" "artifacts" {
  bucket = "%s"
}
"""


@pytest.mark.parametrize(
    "name",
    ["Obs-Artifacts", "ab", "a" * 64, "obs..artifacts", "-obs", "192.168.1.1", "obs_artifacts"],
)
def test_bad_bucket_names_in_the_hcl(module, run, name):
    (found,) = run("NAME-LIMIT", module({"s3.tf": NAMED_TF % name}))
    assert (found.file, found.line) == ("s3.tf", 3)


def test_good_bucket_name_and_interpolated_name(module, run):
    assert run("NAME-LIMIT", module({"s3.tf": NAMED_TF % "obs-artifacts-123456789012"})) == []
    assert run("NAME-LIMIT", module({"s3.tf": NAMED_TF % "${local.name}-ARTIFACTS"})) == []


@pytest.mark.parametrize(
    ("type_", "attribute", "name"),
    [
        ("aws_iam_role", "name", "r" * 65),
        ("aws_synthetics_canary", "name", "Api-Health"),
        ("aws_cloudwatch_dashboard", "dashboard_name", "obs dev"),
        ("aws_cloudwatch_metric_alarm", "alarm_name", "a" * 256),
        ("aws_cloudwatch_log_group", "name", "/aws/" + "l" * 510),
        ("aws_sns_topic", "name", "alarms.topic"),
        ("aws_kms_alias", "name", "alias/aws/obs"),
        ("aws_kms_alias", "name", "obs"),
        ("aws_ecs_cluster", "name", "obs:dev"),
    ],
)
def test_names_over_limits_in_the_plan(module, run, plan_of, type_, attribute, name):
    hcl = f'resource "{type_}" "this" {{\n  {attribute} = "${{local.name}}"\n}}\n'
    plan = plan_of(
        {
            "address": f'{type_}.this["api"]',
            "index": "api",
            "values": {attribute: name},
        }
    )
    (found,) = run("NAME-LIMIT", module({"main.tf": hcl}, plan=plan))
    assert (found.file, found.line) == ("main.tf", 2)
    assert f'{type_}.this["api"] {attribute}' in found.message


def test_names_within_limits_in_the_plan(module, run, plan_of):
    resources = [
        ("aws_iam_role", "name", "r" * 64),
        ("aws_synthetics_canary", "name", "obs-dev-api_health"),
        ("aws_cloudwatch_dashboard", "dashboard_name", "Obs-dev_1"),
        ("aws_cloudwatch_log_group", "name", "/aws/lambda/cwsyn-obs#1"),
        ("aws_sns_topic", "name", "obs-alarms.fifo"),
        ("aws_kms_alias", "name", "alias/obs/dev"),
    ]
    plan = plan_of(*({"address": f"{t}.this", "values": {a: n}} for t, a, n in resources))
    assert run("NAME-LIMIT", module({"main.tf": ""}, plan=plan)) == []
