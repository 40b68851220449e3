# One log group per service, for the services' task definitions to log to (awslogs driver).
resource "aws_cloudwatch_log_group" "service" {
  for_each = local.services

  #checkov:skip=CKV_AWS_338:Retention is var.log_retention_days (30 days by default), chosen per environment; a year of logs in every dev account costs more than it helps.
  name              = "/ecs/${local.name_prefix}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn
}
