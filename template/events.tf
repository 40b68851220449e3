# ECS events: what no metric shows. A deployment the circuit breaker rolls back
# (SERVICE_DEPLOYMENT_FAILED) and a service whose tasks ECS cannot place or start at all page
# (the alarm topic). A task of a service that stopped unexpectedly (its essential container
# exited: a crash, an OutOfMemoryError, a non-zero exit code; or it failed to start)
# notifies (the warning topic): ECS replaces it, and one that keeps failing pages through
# SERVICE_TASK_START_IMPAIRED and tasks-below-desired, once, not once per task. Tasks ECS
# stops itself (deployments, scale-in) have another stopCode and do not notify
# (docs/aws-facts.md, "ECS events").
#
# A service none of whose tasks runs sends no metrics, with or without Container Insights:
# its not-deployed alarm then suppresses its composites, as for a service not deployed yet.
# These events are what pages for it (docs/aws-facts.md, "False pages").

locals {
  # A rule's event pattern may have at most 2,048 characters (EventBridge quota, adjustable to
  # 4,096): services are named 20 to a rule, checked below. 500 services make 25 rules of
  # each of the three kinds, within the 300 rules an event bus takes by default.
  services_per_event_rule = 20
  # The ARN service events name a service by, in `resources`:
  # arn:<partition>:ecs:<region>:<account>:service/<cluster>/<name>.
  service_arns = {
    for name in var.service_names : name => "arn:${local.partition}:ecs:${var.aws_region}:${local.account_id}:service/${local.cluster_name}/${name}"
  }
  event_rules = merge([
    for index, names in chunklist(var.service_names, local.services_per_event_rule) : {
      format("deployment-failed-%02d", index + 1) = {
        topic       = "alarms"
        description = "ECS deployments of ${join(", ", names)} that failed (the circuit breaker rolled them back)"
        pattern = {
          source        = ["aws.ecs"]
          "detail-type" = ["ECS Deployment State Change"]
          resources     = [for name in names : local.service_arns[name]]
          detail        = { eventName = ["SERVICE_DEPLOYMENT_FAILED"] }
        }
        # <resources> would be a JSON array; the message names the service by its ARN.
        input_paths = {
          service = "$.resources[0]"
          reason  = "$.detail.reason"
          time    = "$.time"
        }
        input_template = "\"ECS deployment FAILED at <time> for <service>: <reason>. Console: https://${local.console_host}/ecs/v2/clusters/${local.cluster_name}/services?region=${var.aws_region}\""
      }
      format("service-impaired-%02d", index + 1) = {
        topic       = "alarms"
        description = "ECS cannot place or start tasks of ${join(", ", names)} (no capacity, a configuration error, tasks that keep failing to start)"
        pattern = {
          source        = ["aws.ecs"]
          "detail-type" = ["ECS Service Action"]
          resources     = [for name in names : local.service_arns[name]]
          # The service action events of types WARN and ERROR that leave a service short of
          # tasks; the others are steady states, throttling, or daemon placement.
          detail = { eventName = ["SERVICE_TASK_START_IMPAIRED", "SERVICE_TASK_PLACEMENT_FAILURE", "SERVICE_TASK_CONFIGURATION_FAILURE"] }
        }
        input_paths = {
          service = "$.resources[0]"
          event   = "$.detail.eventName"
          reason  = "$.detail.reasons[0]"
          time    = "$.time"
        }
        input_template = "\"ECS cannot run the tasks of <service> (<event> at <time>): <reason>. Console: https://${local.console_host}/ecs/v2/clusters/${local.cluster_name}/services?region=${var.aws_region}\""
      }
      format("task-stopped-%02d", index + 1) = {
        topic       = "warnings"
        description = "Tasks of ${join(", ", names)} that stopped unexpectedly (essential container exited, or failed to start)"
        pattern = {
          source        = ["aws.ecs"]
          "detail-type" = ["ECS Task State Change"]
          detail = {
            clusterArn = [local.cluster_arn]
            group      = [for name in names : "service:${name}"]
            lastStatus = ["STOPPED"]
            # EssentialContainerExited covers crashes, OutOfMemoryError and non-zero exit
            # codes; ServiceSchedulerInitiated (deployments, scale-in) is left out.
            stopCode = ["EssentialContainerExited", "TaskFailedToStart"]
          }
        }
        input_paths = {
          service = "$.detail.group"
          task    = "$.detail.taskArn"
          reason  = "$.detail.stoppedReason"
          exit    = "$.detail.containers[0].exitCode"
          why     = "$.detail.containers[0].reason"
        }
        input_template = "\"ECS task of <service> stopped unexpectedly: <reason> (first container: exit code <exit>, <why>). Task <task>. Console: https://${local.console_host}/ecs/v2/clusters/${local.cluster_name}/tasks?region=${var.aws_region}\""
      }
    }
  ]...)
}

resource "aws_cloudwatch_event_rule" "ecs" {
  for_each = local.event_rules

  name          = "${local.name_prefix}-${each.key}"
  description   = substr(each.value.description, 0, 512)
  event_pattern = jsonencode(each.value.pattern)

  lifecycle {
    precondition {
      condition     = length(jsonencode(each.value.pattern)) <= 2048
      error_message = "The event pattern of ${local.name_prefix}-${each.key} is longer than EventBridge's 2,048 characters: lower services_per_event_rule in events.tf (long service names)."
    }
  }
}

# The topics are KMS-encrypted: their key's policy and their topic policies let
# events.amazonaws.com use them (kms.tf, sns.tf). Without them EventBridge drops the events and reports only a
# FailedInvocations metric (docs/aws-facts.md, "ECS events").
resource "aws_cloudwatch_event_target" "ecs" {
  for_each = local.event_rules

  rule      = aws_cloudwatch_event_rule.ecs[each.key].name
  target_id = each.value.topic == "warnings" ? "warning-topic" : "alarm-topic"
  arn       = each.value.topic == "warnings" ? aws_sns_topic.warnings.arn : aws_sns_topic.alarms.arn

  input_transformer {
    input_paths    = each.value.input_paths
    input_template = each.value.input_template
  }
}
