"""S3-FORCE-DESTROY, ENI-DELETE-TIMEOUT and ENI-PERMISSION-ORDER: what terraform destroy needs."""

from __future__ import annotations

import pytest

from generator.check.findings import Severity
from generator.check.rules.destroy import minutes

CANARY_TF = """
resource "aws_iam_role" "canary" {
  name               = "canary"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy" "canary" {
  role   = aws_iam_role.canary.id
  policy = "{}"
}

resource "aws_subnet" "private" {
  vpc_id     = "vpc-0123456789abcdef0"
  cidr_block = "10.0.0.0/24"
}

locals {
  canary_subnet_ids = [aws_subnet.private.id]
}

resource "aws_security_group" "canary" {
  vpc_id = "vpc-0123456789abcdef0"
  timeouts {
    delete = "45m"
  }
}

resource "aws_synthetics_canary" "this" {
  name               = "orders"
  execution_role_arn = aws_iam_role.canary.arn
  vpc_config {
    subnet_ids         = local.canary_subnet_ids
    security_group_ids = [aws_security_group.canary.id]
  }
}
"""


def test_a_bucket_without_force_destroy_is_reported(module, run):
    ctx = module(
        {
            "s3.tf": """
            resource "aws_s3_bucket" "kept" {
              bucket = "kept"
            }

            resource "aws_s3_bucket" "by_default" {
              bucket        = "by-default"
              force_destroy = var.protect
            }

            resource "aws_s3_bucket" "disposable" {
              bucket        = "disposable"
              force_destroy = var.disposable
            }

            variable "protect" {
              type    = bool
              default = false
            }

            variable "disposable" {
              type    = bool
              default = true
            }
            """
        }
    )
    found = run("S3-FORCE-DESTROY", ctx)
    assert [(f.file, f.line, f.severity) for f in found] == [
        ("s3.tf", 2, Severity.WARNING),
        ("s3.tf", 6, Severity.WARNING),
    ]
    assert "BucketNotEmpty" in found[0].message and "force_destroy" in found[0].message


def test_a_subnet_reached_through_a_local_needs_a_delete_timeout(module, run):
    (found,) = run("ENI-DELETE-TIMEOUT", module({"main.tf": CANARY_TF}))
    assert (found.rule, found.file, found.line) == ("ENI-DELETE-TIMEOUT", "main.tf", 12)
    assert "aws_subnet.private" in found.message
    assert 'timeouts { delete = "45m" }' in found.message


def test_a_short_delete_timeout_is_reported(module, run):
    tf = CANARY_TF.replace('delete = "45m"', 'delete = "10m"')
    found = run("ENI-DELETE-TIMEOUT", module({"main.tf": tf}))
    assert {f.message.split()[0] for f in found} == {
        "aws_subnet.private",
        "aws_security_group.canary",
    }


def test_a_canary_that_does_not_wait_for_its_policy_is_reported(module, run):
    (found,) = run("ENI-PERMISSION-ORDER", module({"main.tf": CANARY_TF}))
    assert (found.file, found.line) == ("main.tf", 28)
    assert "aws_iam_role_policy.canary" in found.message and "depends_on" in found.message
    fixed = CANARY_TF.replace(
        'name               = "orders"',
        'name               = "orders"\n  depends_on         = [aws_iam_role_policy.canary]',
    )
    assert run("ENI-PERMISSION-ORDER", module({"main.tf": fixed})) == []


@pytest.mark.parametrize(
    ("duration", "expected"),
    [("45m", 45), ("1h", 60), ("1h30m", 90), ("90s", 1.5), ("soon", None)],
)
def test_go_durations_in_minutes(duration, expected):
    assert minutes(duration) == expected


def test_a_canary_that_does_not_wait_for_iam_is_reported(module, run):
    waited = (
        CANARY_TF.replace(
            'name               = "orders"',
            'name               = "orders"\n  depends_on         = [time_sleep.iam]',
        )
        + """
resource "time_sleep" "iam" {
  create_duration = "15s"
  triggers        = { policy = aws_iam_role_policy.canary.policy }
}
"""
    )
    (found,) = run("IAM-PROPAGATION", module({"main.tf": CANARY_TF}))
    assert (found.file, found.line, found.severity) == ("main.tf", 28, Severity.WARNING)
    assert "time_sleep" in found.message
    assert run("IAM-PROPAGATION", module({"main.tf": waited})) == []
