"""Reading IAM actions out of a policy (rules/policies.py): JSON, a policy document block,
or an HCL expression, and whether what was read is all the policy grants."""

from __future__ import annotations

import json

from generator.check.rules.policies import (
    Grants,
    as_list,
    document_grants,
    expression_grants,
    json_grants,
    statements,
)

DOCUMENTS_TF = """
data "aws_iam_policy_document" "canary" {
  statement {
    actions   = ["ec2:CreateNetworkInterface", "ec2:Describe*"]
    resources = ["*"]
  }
  statement {
    effect    = "Deny"
    actions   = ["s3:DeleteBucket"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "from_variable" {
  statement {
    actions   = var.actions
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents = [data.aws_iam_policy_document.canary.json]
  statement {
    actions   = ["logs:PutLogEvents"]
    resources = ["*"]
  }
}
"""


def test_statements_one_or_many_and_nothing_else():
    one = {"Statement": {"Effect": "Allow", "Action": "s3:GetObject"}}
    many = {"Statement": [{"Action": "a:b"}, "not a statement", {"Action": "c:d"}]}
    assert statements(one) == [one["Statement"]]
    assert statements(many) == [{"Action": "a:b"}, {"Action": "c:d"}]
    assert statements("not a document") == statements(None) == []


def test_as_list():
    assert as_list(None) == []
    assert as_list("s3:GetObject") == ["s3:GetObject"]
    assert as_list(["a", "b"]) == ["a", "b"]


def test_json_grants_count_allow_statements_only():
    document = {
        "Statement": [
            {"Effect": "Allow", "Action": ["ec2:CreateNetworkInterface", "logs:*"]},
            {"Effect": "Deny", "Action": "s3:*"},
            {"Action": "sns:Publish"},  # Effect defaults to Allow
        ]
    }
    assert json_grants(document) == Grants(
        frozenset({"ec2:CreateNetworkInterface", "logs:*", "sns:Publish"})
    )


def test_document_blocks_read_from_the_hcl(module):
    hcl = module({"main.tf": DOCUMENTS_TF}).hcl
    canary = document_grants(hcl.find("data.aws_iam_policy_document.canary"))
    assert canary == Grants(frozenset({"ec2:CreateNetworkInterface", "ec2:Describe*"}))
    # what cannot be read makes the grants incomplete: a warning, not an error, in F4
    assert not document_grants(hcl.find("data.aws_iam_policy_document.from_variable")).complete
    merged = document_grants(hcl.find("data.aws_iam_policy_document.merged"))
    assert merged.actions == {"logs:PutLogEvents"} and not merged.complete


def test_expression_grants_of_each_shape(module):
    hcl = module({"main.tf": DOCUMENTS_TF}).hcl
    literal = json.dumps({"Statement": [{"Effect": "Allow", "Action": "sns:Publish"}]})
    assert expression_grants(hcl, literal) == Grants(frozenset({"sns:Publish"}))
    reference = "${data.aws_iam_policy_document.canary.json}"
    assert expression_grants(hcl, reference).actions == {
        "ec2:CreateNetworkInterface",
        "ec2:Describe*",
    }
    missing = expression_grants(hcl, "${data.aws_iam_policy_document.gone.json}")
    assert missing == Grants(complete=False)
    encoded = '${jsonencode({"Statement" = [{"Action" = ["ec2:DescribeNetworkInterfaces"]}]})}'
    assert expression_grants(hcl, encoded) == Grants(frozenset({"ec2:DescribeNetworkInterfaces"}))
    star = '${jsonencode({"Statement" = [{"Action" = "*"}]})}'
    assert expression_grants(hcl, star).actions == {"*"}
    from_locals = "${jsonencode({Statement = local.statements})}"
    assert expression_grants(hcl, from_locals) == Grants(complete=False)


def test_grants_combine():
    combined = Grants(frozenset({"a:b"})) | Grants(frozenset({"c:d"}), complete=False)
    assert combined == Grants(frozenset({"a:b", "c:d"}), complete=False)
