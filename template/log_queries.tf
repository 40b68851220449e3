# What to read when a service alarms: saved Logs Insights queries in a folder named after the
# module (a "/" in a query definition's name makes a folder: AWS::Logs::QueryDefinition), and
# the events of tasks that stopped unexpectedly, kept in a log group so they can be queried.

locals {
  # Error lines as the default log_error_patterns count them: text with these words, or JSON
  # whose level is error, fatal or critical (Logs Insights discovers JSON fields).
  log_error_query_filter = "filter @message like /ERROR|FATAL|CRITICAL|Exception/ or level in [\"error\", \"fatal\", \"critical\"]"

  # A query reads at most 50 log groups (StartQuery): the services' groups go 50 to a query.
  queried_log_groups = chunklist(values(local.log_groups), 50)
  log_group_queries = merge([
    for index, groups in local.queried_log_groups : {
      for kind, query in {
        "Recent errors" = join("\n| ", [
          "fields @timestamp, @log, @message",
          local.log_error_query_filter,
          "sort @timestamp desc",
          "limit 200",
        ])
        # Whatever the service logs a request's duration as (in its own unit): the first of
        # these JSON fields that the line has.
        "Slowest requests" = join("\n| ", [
          "fields @timestamp, @log, @message, coalesce(duration_ms, latency_ms, response_time_ms, responseTime, duration, latency, elapsed) as took",
          "filter took >= 0",
          "sort took desc",
          "limit 50",
        ])
        } : (length(local.queried_log_groups) > 1 ? "${kind} (part ${index + 1})" : kind) => {
        query      = query
        log_groups = groups
      }
    }
  ]...)
  stopped_tasks_query = join("\n| ", [
    "fields @timestamp, detail.group as service, detail.stopCode as stop_code, detail.stoppedReason as reason, detail.containers.0.exitCode as exit_code, detail.taskArn as task",
    "sort @timestamp desc",
    "limit 100",
  ])
}

resource "aws_cloudwatch_query_definition" "services" {
  for_each = local.log_group_queries

  name            = "${local.names.queries_folder}/${each.key}"
  query_string    = each.value.query
  log_group_names = each.value.log_groups
}

resource "aws_cloudwatch_query_definition" "stopped_tasks" {
  name            = "${local.names.queries_folder}/Stopped tasks"
  query_string    = local.stopped_tasks_query
  log_group_names = [aws_cloudwatch_log_group.ecs_events.name]
}

# The ECS events of tasks that stopped unexpectedly (events.tf's task-stopped rules) go to
# this log group as well as to the alarm topic: ECS keeps a stopped task's reason for an
# hour or so, the log group for log_retention_days.
resource "aws_cloudwatch_log_group" "ecs_events" {
  #checkov:skip=CKV_AWS_338:Retention is var.log_retention_days (30 days by default), chosen per environment.
  name              = "/aws/events/${local.name_prefix}/ecs-tasks-stopped"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn
}

# EventBridge writes to a log group only if the log group's resource policy lets it:
# an IAM role on the target is not used (docs/aws-facts.md, "Log metric filters").
resource "aws_cloudwatch_log_resource_policy" "ecs_events" {
  policy_name     = "${local.name_prefix}-ecs-events"
  policy_document = data.aws_iam_policy_document.ecs_events_log.json
}

data "aws_iam_policy_document" "ecs_events_log" {
  statement {
    sid       = "EventBridgeWritesStoppedTasks"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.ecs_events.arn}:*"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com", "delivery.logs.amazonaws.com"]
    }
  }
}

resource "aws_cloudwatch_event_target" "stopped_tasks_log" {
  for_each = { for key, rule in local.event_rules : key => rule if startswith(key, "task-stopped-") }

  rule      = aws_cloudwatch_event_rule.ecs[each.key].name
  target_id = "stopped-tasks-log"
  arn       = aws_cloudwatch_log_group.ecs_events.arn

  depends_on = [aws_cloudwatch_log_resource_policy.ecs_events]
}
