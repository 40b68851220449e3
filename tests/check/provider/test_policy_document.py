"""data.aws_iam_policy_document rendered as the provider renders it (provider/policy_document.py)."""

from __future__ import annotations

import json
import zlib
from typing import Any

from generator.check.provider import policy_document


def statement(**fields: Any) -> dict[str, Any]:
    return {"effect": None, "sid": None, **fields}


def test_policy_document_renders_like_the_provider():
    rendered = policy_document.render(
        {
            "statement": [
                statement(
                    sid="Publish",
                    actions=["sns:Publish"],
                    resources=["arn:aws:sns:*:123456789012:alarms"],
                    principals=[
                        {"type": "Service", "identifiers": ["cloudwatch.amazonaws.com"]},
                        {"type": "AWS", "identifiers": ["111111111111", "222222222222"]},
                    ],
                    condition=[
                        {"test": "ArnLike", "variable": "aws:SourceArn", "values": ["b", "a"]},
                        {"test": "StringEquals", "variable": "aws:SourceAccount", "values": ["1"]},
                    ],
                ),
                statement(
                    effect="Deny", not_actions=["iam:*", "<x>&"], resources=["&{aws:username}"]
                ),
            ]
        }
    )
    document = json.loads(rendered["json"])
    assert list(document) == ["Version", "Statement"]
    publish, deny = document["Statement"]
    assert list(publish) == ["Sid", "Effect", "Action", "Resource", "Principal", "Condition"]
    assert publish["Action"] == "sns:Publish"
    assert publish["Principal"] == {
        "AWS": ["222222222222", "111111111111"],  # reverse-sorted, like the provider
        "Service": "cloudwatch.amazonaws.com",
    }
    assert publish["Condition"] == {
        "ArnLike": {"aws:SourceArn": ["b", "a"]},  # condition values keep their order
        "StringEquals": {"aws:SourceAccount": "1"},
    }
    assert deny == {"Effect": "Deny", "NotAction": ["iam:*", "<x>&"], "Resource": "${aws:username}"}
    assert "\\u003cx\\u003e\\u0026" in rendered["minified_json"]  # Go escapes HTML characters
    assert rendered["minified_json"].startswith('{"Version":"2012-10-17","Statement":[{"Sid"')
    assert rendered["json"].startswith('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {')
    assert rendered["id"] == str(zlib.crc32(rendered["json"].encode()))


def test_policy_document_star_principal_and_merged_documents():
    source = json.dumps({"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow"}]})
    override = json.dumps({"Statement": [{"Sid": "B", "Effect": "Deny", "Action": "*"}]})
    rendered = policy_document.render(
        {
            "source_policy_documents": [source],
            "override_policy_documents": [override],
            "statement": [
                statement(
                    sid="B", actions=["s3:*"], principals=[{"type": "*", "identifiers": ["*"]}]
                )
            ],
        }
    )
    statements = json.loads(rendered["json"])["Statement"]
    assert statements == [
        {"Sid": "A", "Effect": "Allow"},
        {"Sid": "B", "Effect": "Deny", "Action": "*"},  # the override replaced Sid B
    ]
    alone = policy_document.render(
        {"statement": [statement(principals=[{"type": "*", "identifiers": ["*"]}])]}
    )
    assert json.loads(alone["json"])["Statement"][0]["Principal"] == "*"


# --- archive_file --------------------------------------------------------------------------
