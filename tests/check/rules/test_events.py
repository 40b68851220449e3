"""EVENTS-TOPIC-KEY: an EventBridge target topic encrypted with a key EventBridge may not use."""

from __future__ import annotations

TOPIC_TF = """
resource "aws_cloudwatch_event_rule" "ecs" {
  name          = "ecs-task-stopped"
  event_pattern = jsonencode({ source = ["aws.ecs"] })
}

resource "aws_cloudwatch_event_target" "ecs" {
  rule = aws_cloudwatch_event_rule.ecs.name
  arn  = aws_sns_topic.alarms.arn
}

resource "aws_sns_topic" "alarms" {
  name              = "alarms"
  kms_master_key_id = aws_kms_key.this.arn
}

resource "aws_kms_key" "this" {
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.kms.json
}
"""

# alike on purpose: each module writes out its own policy document, the HCL is the case
ALARMS_ONLY = """
data "aws_iam_policy_document" "kms" {
  statement {
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
  }
}
"""

WITH_EVENTS = ALARMS_ONLY.replace(
    '["cloudwatch.amazonaws.com"]', '["cloudwatch.amazonaws.com", "events.amazonaws.com"]'
)


def test_a_key_that_does_not_grant_eventbridge_is_an_error(module, run):
    (found,) = run("EVENTS-TOPIC-KEY", module({"main.tf": TOPIC_TF, "kms.tf": ALARMS_ONLY}))
    assert (found.file, found.line, found.severity.value) == ("main.tf", 7, "error")
    assert "aws_sns_topic.alarms" in found.message and "aws_kms_key.this" in found.message
    assert "events.amazonaws.com" in found.message and "FailedInvocations" in found.message


def test_a_key_that_grants_eventbridge_is_silent(module, run):
    assert run("EVENTS-TOPIC-KEY", module({"main.tf": TOPIC_TF, "kms.tf": WITH_EVENTS})) == []


def test_a_key_granting_eventbridge_too_little_is_an_error(module, run):
    decrypt_only = WITH_EVENTS.replace('"kms:GenerateDataKey*", ', "")
    assert len(run("EVENTS-TOPIC-KEY", module({"main.tf": TOPIC_TF, "kms.tf": decrypt_only})))


def test_json_key_policies_and_the_default_policy(module, run):
    json_policy = TOPIC_TF.replace(
        "data.aws_iam_policy_document.kms.json",
        'jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",'
        ' Principal = { Service = "events.amazonaws.com" },'
        ' Action = ["kms:GenerateDataKey*", "kms:Decrypt"], Resource = "*" }] })',
    )
    assert run("EVENTS-TOPIC-KEY", module({"main.tf": json_policy})) == []
    default_policy = TOPIC_TF.replace(
        "  policy              = data.aws_iam_policy_document.kms.json\n", ""
    )
    (found,) = run("EVENTS-TOPIC-KEY", module({"main.tf": default_policy}))
    assert "does not allow events.amazonaws.com" in found.message


def test_the_aws_managed_key_can_never_grant_eventbridge(module, run):
    # alike on purpose: each case is a one-line change of the shared module, named here
    managed = TOPIC_TF.replace("aws_kms_key.this.arn", '"alias/aws/sns"')
    (found,) = run("EVENTS-TOPIC-KEY", module({"main.tf": managed, "kms.tf": ALARMS_ONLY}))
    assert "AWS managed key alias/aws/sns" in found.message


def test_unencrypted_topics_and_unreadable_policies_are_silent(module, run):
    plain = TOPIC_TF.replace("  kms_master_key_id = aws_kms_key.this.arn\n", "")
    assert run("EVENTS-TOPIC-KEY", module({"main.tf": plain, "kms.tf": ALARMS_ONLY})) == []
    built = TOPIC_TF.replace("data.aws_iam_policy_document.kms.json", "local.key_policy")
    assert run("EVENTS-TOPIC-KEY", module({"main.tf": built})) == [], "cannot be read: no guess"


def test_a_grant_under_a_source_condition_is_an_error(module, run):
    """SNS does not support aws:SourceAccount or aws:SourceArn in a key policy for
    EventBridge-to-encrypted topics: the grant under one lets nothing through."""
    conditioned = WITH_EVENTS.replace(
        '      identifiers = ["cloudwatch.amazonaws.com", "events.amazonaws.com"]\n    }\n',
        '      identifiers = ["cloudwatch.amazonaws.com", "events.amazonaws.com"]\n    }\n'
        "    condition {\n"
        '      test     = "StringEquals"\n'
        '      variable = "aws:SourceAccount"\n'
        '      values   = ["123456789012"]\n'
        "    }\n",
    )
    assert conditioned != WITH_EVENTS
    (found,) = run("EVENTS-TOPIC-KEY", module({"main.tf": TOPIC_TF, "kms.tf": conditioned}))
    assert "aws:SourceAccount" in found.message and "without source conditions" in found.message
    statement = (
        '{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},'
        ' "Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "*"%s}'
    )
    for condition, found in (("", 0), (', "Condition": {"ArnLike": {"aws:SourceArn": "*"}}', 1)):
        document = '{"Version": "2012-10-17", "Statement": [%s]}' % (statement % condition)
        literal = TOPIC_TF.replace(
            "data.aws_iam_policy_document.kms.json", "<<EOT\n" + document + "\nEOT"
        )
        assert len(run("EVENTS-TOPIC-KEY", module({"main.tf": literal}))) == found, condition
