# One customer-managed key for the log groups, the alarm topic and the canary artifacts.
resource "aws_kms_key" "this" {
  description             = "CloudWatch observability of ${local.name_prefix}: logs, alarm topic, canary artifacts"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms.json
}

resource "aws_kms_alias" "this" {
  name          = local.names.kms_alias
  target_key_id = aws_kms_key.this.key_id
}

data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_109:A key policy's "*" resource is the key itself; the account statement is what lets IAM grant use of it.
  #checkov:skip=CKV_AWS_111:A key policy's "*" resource is the key itself; service statements are limited by condition.
  #checkov:skip=CKV_AWS_356:A key policy's "*" resource is the key itself.
  # Without this statement IAM policies in the account could not grant use of the key.
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  # CloudWatch Logs encrypts log groups with the key, limited to this account's log groups
  # (AWS: "Encrypt log data in CloudWatch Logs using AWS KMS").
  statement {
    sid       = "CloudWatchLogsUse"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${var.aws_region}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${var.aws_region}:${local.account_id}:log-group:*"]
    }
  }

  # EventBridge publishes the ECS events to the encrypted SNS topic; without this statement
  # it drops them silently (AWS Knowledge Center: "Why isn't my Amazon SNS topic receiving
  # EventBridge notifications?"; docs/aws-facts.md, "ECS events"). No aws:SourceAccount or
  # aws:SourceArn condition: SNS does not support them in a key policy for EventBridge to an
  # encrypted topic, and delivery fails with one (Amazon SNS Developer Guide, "Key
  # management"). The topic policy (sns.tf) names the rules that may publish.
  statement {
    sid       = "EventBridgePublish"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
  }

  # CloudWatch alarms publish to the encrypted SNS topic
  # (AWS: "Encrypting SNS topics that receive CloudWatch alarm notifications").
  statement {
    sid       = "CloudWatchAlarmsPublish"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}
