# Critical alarms page through this topic, and so do the ECS events of failed deployments and
# of tasks ECS cannot start (events.tf).
resource "aws_sns_topic" "alarms" {
  name              = local.names.alarm_topic
  kms_master_key_id = aws_kms_key.this.arn
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarms_publish["alarms"].json
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_emails)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

# Warnings notify without paging: their own topic, encrypted with the same key (whose policy
# already lets CloudWatch alarms use it, kms.tf), for the warning composites only.
resource "aws_sns_topic" "warnings" {
  name              = local.names.warning_topic
  kms_master_key_id = aws_kms_key.this.arn

  lifecycle {
    # A warning must come before the page (locals.tf, tier_inversions).
    precondition {
      condition     = length(local.tier_inversions) == 0
      error_message = "Alarm ${join("; ", local.tier_inversions)}: check their settings in services.auto.tfvars (the README, \"Severity tiers\", names them)."
    }
  }
}

resource "aws_sns_topic_policy" "warnings" {
  arn    = aws_sns_topic.warnings.arn
  policy = data.aws_iam_policy_document.alarms_publish["warnings"].json
}

# Only this module's alarms and EventBridge rules, in this account, may publish to each topic:
# the ECS events of failed deployments and of tasks ECS cannot start page (the alarm topic),
# those of stopped tasks notify (the warning topic; events.tf).
data "aws_iam_policy_document" "alarms_publish" {
  for_each = { alarms = aws_sns_topic.alarms.arn, warnings = aws_sns_topic.warnings.arn }

  statement {
    sid       = "CloudWatchAlarmsPublish"
    actions   = ["sns:Publish"]
    resources = [each.value]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:cloudwatch:${var.aws_region}:${local.account_id}:alarm:${local.name_prefix}-*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  statement {
    sid       = "EventBridgePublish"
    actions   = ["sns:Publish"]
    resources = [each.value]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:events:${var.aws_region}:${local.account_id}:rule/${local.name_prefix}-*"]
    }
  }
}

resource "aws_sns_topic_subscription" "warning_email" {
  for_each = toset(var.warning_emails)

  topic_arn = aws_sns_topic.warnings.arn
  protocol  = "email"
  endpoint  = each.value
}
