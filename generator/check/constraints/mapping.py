"""Which AWS API request each Terraform resource type sends, and the reviewed exceptions.

A resource type maps to a service and the operations that create or configure it; its
attributes map to those operations' input members by name (`comparison_operator` →
`ComparisonOperator`, matched without underscores and case), nested blocks to nested
structures the same way. `roots` are input members whose own members are also searched by
name (the API wraps what the provider flattens: `PutPublicAccessBlock` takes its flags inside
`PublicAccessBlockConfiguration`). Where the names differ, `EXCEPTIONS` says which member an
attribute is (a dotted member path; `[]` steps into a list's items; "" folds a block into
its parent's structure), or that it has none (None), each with its reason. docs/constraints.md
lists the same table for people; tests keep the two honest.

Resource types not listed here map automatically when that is unambiguous: `aws_<service>_<thing>`
whose service is a botocore service and that service has `Create<Thing>` (see `derived`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Target:
    service: str  # botocore's service name
    operations: tuple[str, ...]
    roots: tuple[str, ...] = ()


@dataclass(frozen=True)
class Override:
    member: str | None  # None: no API member to check against
    reason: str


def _t(service: str, *operations: str, roots: tuple[str, ...] = ()) -> Target:
    return Target(service, operations, roots)


TARGETS: dict[str, Target] = {
    # CloudWatch
    "aws_cloudwatch_metric_alarm": _t("cloudwatch", "PutMetricAlarm"),
    "aws_cloudwatch_composite_alarm": _t("cloudwatch", "PutCompositeAlarm"),
    "aws_cloudwatch_dashboard": _t("cloudwatch", "PutDashboard"),
    # CloudWatch Logs
    "aws_cloudwatch_log_group": _t("logs", "CreateLogGroup", "PutRetentionPolicy"),
    "aws_cloudwatch_log_stream": _t("logs", "CreateLogStream"),
    "aws_cloudwatch_log_metric_filter": _t("logs", "PutMetricFilter"),
    "aws_cloudwatch_log_subscription_filter": _t("logs", "PutSubscriptionFilter"),
    "aws_cloudwatch_log_resource_policy": _t("logs", "PutResourcePolicy"),
    # Synthetics
    "aws_synthetics_canary": _t("synthetics", "CreateCanary", roots=("Code",)),
    "aws_synthetics_group": _t("synthetics", "CreateGroup"),
    # ECS
    "aws_ecs_cluster": _t("ecs", "CreateCluster"),
    "aws_ecs_cluster_capacity_providers": _t("ecs", "PutClusterCapacityProviders"),
    "aws_ecs_service": _t("ecs", "CreateService"),
    "aws_ecs_task_definition": _t("ecs", "RegisterTaskDefinition"),
    # IAM
    "aws_iam_role": _t("iam", "CreateRole"),
    "aws_iam_policy": _t("iam", "CreatePolicy"),
    "aws_iam_role_policy": _t("iam", "PutRolePolicy"),
    "aws_iam_role_policy_attachment": _t("iam", "AttachRolePolicy"),
    # S3
    "aws_s3_bucket": _t("s3", "CreateBucket"),
    "aws_s3_bucket_policy": _t("s3", "PutBucketPolicy"),
    "aws_s3_bucket_versioning": _t("s3", "PutBucketVersioning"),
    "aws_s3_bucket_server_side_encryption_configuration": _t("s3", "PutBucketEncryption"),
    "aws_s3_bucket_public_access_block": _t(
        "s3", "PutPublicAccessBlock", roots=("PublicAccessBlockConfiguration",)
    ),
    "aws_s3_bucket_lifecycle_configuration": _t("s3", "PutBucketLifecycleConfiguration"),
    "aws_s3_bucket_ownership_controls": _t("s3", "PutBucketOwnershipControls"),
    # KMS
    "aws_kms_key": _t("kms", "CreateKey", "ScheduleKeyDeletion", "EnableKeyRotation"),
    "aws_kms_alias": _t("kms", "CreateAlias"),
    # SNS
    "aws_sns_topic": _t("sns", "CreateTopic"),
    "aws_sns_topic_subscription": _t("sns", "Subscribe"),
    "aws_sns_topic_policy": _t("sns", "SetTopicAttributes"),
    # CloudWatch cross-account observability (OAM)
    "aws_oam_sink": _t("oam", "CreateSink"),
    "aws_oam_sink_policy": _t("oam", "PutSinkPolicy"),
    "aws_oam_link": _t("oam", "CreateLink"),
    # EC2: VPC endpoints, security groups
    "aws_vpc_endpoint": _t("ec2", "CreateVpcEndpoint"),
    "aws_security_group": _t("ec2", "CreateSecurityGroup"),
    "aws_vpc_security_group_ingress_rule": _t(
        "ec2", "AuthorizeSecurityGroupIngress", roots=("IpPermissions[]",)
    ),
    "aws_vpc_security_group_egress_rule": _t(
        "ec2", "AuthorizeSecurityGroupEgress", roots=("IpPermissions[]",)
    ),
    "aws_security_group_rule": _t(
        "ec2", "AuthorizeSecurityGroupIngress", roots=("IpPermissions[]",)
    ),
    # EventBridge
    "aws_cloudwatch_event_rule": _t("events", "PutRule"),
    "aws_cloudwatch_event_target": _t("events", "PutTargets", roots=("Targets[]",)),
    "aws_cloudwatch_event_bus": _t("events", "CreateEventBus"),
    # CloudFormation
    "aws_cloudformation_stack": _t("cloudformation", "CreateStack"),
    "aws_cloudformation_stack_set": _t("cloudformation", "CreateStackSet"),
    "aws_cloudformation_stack_set_instance": _t("cloudformation", "CreateStackInstances"),
}

_NAME_LIMIT = Override(None, "NAME-LIMIT checks this name (one concern, one rule id)")
_TAGS = Override(None, "a map in Terraform, a list of Key/Value pairs in most APIs")
_PROVIDER_ONLY = Override(None, "provider-side setting, sent to no API")

# Attributes every resource type has that are no request member.
COMMON: dict[str, Override] = {
    "tags": _TAGS,
    "tags_all": _TAGS,
    "region": Override(None, "the provider's region, not a request member"),
    "id": Override(None, "computed by the provider"),
    "name_prefix": Override(None, "the provider appends a unique suffix before sending it"),
}

EXCEPTIONS: dict[str, dict[str, Override]] = {
    "aws_cloudwatch_metric_alarm": {
        "alarm_name": _NAME_LIMIT,
        "metric_query": Override("Metrics", "the API's list of MetricDataQuery"),
        "metric_query.metric": Override("MetricStat", "the query's MetricStat"),
        "metric_query.metric.metric_name": Override(
            "Metric.MetricName", "MetricStat nests the metric's name in Metric"
        ),
        "metric_query.metric.namespace": Override(
            "Metric.Namespace", "MetricStat nests the namespace in Metric"
        ),
    },
    "aws_cloudwatch_composite_alarm": {
        "alarm_name": _NAME_LIMIT,
        "actions_suppressor": Override("", "the API takes the suppressor's fields flat"),
        "actions_suppressor.alarm": Override("ActionsSuppressor", "flattened by the API"),
        "actions_suppressor.extension_period": Override(
            "ActionsSuppressorExtensionPeriod", "flattened by the API"
        ),
        "actions_suppressor.wait_period": Override(
            "ActionsSuppressorWaitPeriod", "flattened by the API"
        ),
    },
    "aws_cloudwatch_dashboard": {"dashboard_name": _NAME_LIMIT},
    "aws_cloudwatch_log_group": {"name": _NAME_LIMIT, "skip_destroy": _PROVIDER_ONLY},
    "aws_cloudwatch_log_stream": {"name": Override("logStreamName", "the stream's name")},
    "aws_cloudwatch_log_metric_filter": {
        "name": Override("filterName", "the filter's name"),
        "pattern": Override("filterPattern", "the filter's pattern"),
        "metric_transformation": Override("metricTransformations", "a list in the API"),
        "metric_transformation.name": Override("metricName", "the metric's name"),
        "metric_transformation.namespace": Override("metricNamespace", "the namespace"),
        "metric_transformation.value": Override("metricValue", "the value to publish"),
    },
    "aws_cloudwatch_log_subscription_filter": {
        "name": Override("filterName", "the filter's name"),
    },
    "aws_synthetics_canary": {
        "name": _NAME_LIMIT,
        "success_retention_period": Override(
            "SuccessRetentionPeriodInDays", "the API names the unit"
        ),
        "failure_retention_period": Override(
            "FailureRetentionPeriodInDays", "the API names the unit"
        ),
        "start_canary": _PROVIDER_ONLY,
        "delete_lambda": _PROVIDER_ONLY,
    },
    "aws_ecs_cluster": {
        "name": _NAME_LIMIT,
        "setting": Override("settings", "a list of ClusterSetting in the API"),
    },
    "aws_ecs_cluster_capacity_providers": {
        "cluster_name": Override("cluster", "the cluster's name or ARN"),
    },
    "aws_ecs_service": {
        "name": Override("serviceName", "the service's name"),
        "network_configuration": Override(
            "networkConfiguration.awsvpcConfiguration",
            "the provider flattens awsvpcConfiguration",
        ),
        "network_configuration.assign_public_ip": Override(
            None,
            "a bool in Terraform, ENABLED/DISABLED in the API (the provider converts)",
        ),
    },
    "aws_ecs_task_definition": {
        "container_definitions": Override(
            None, "a JSON document in Terraform, a list of structures in the API"
        ),
    },
    "aws_iam_role": {
        "name": _NAME_LIMIT,
        "assume_role_policy": Override("AssumeRolePolicyDocument", "the trust policy"),
        "inline_policy": Override(None, "sent by PutRolePolicy, checked there"),
        "managed_policy_arns": Override(None, "sent by AttachRolePolicy, one at a time"),
        "force_detach_policies": _PROVIDER_ONLY,
    },
    "aws_iam_policy": {
        "name": _NAME_LIMIT,
        "policy": Override("PolicyDocument", "the policy document"),
    },
    "aws_iam_role_policy": {
        "name": _NAME_LIMIT,
        "role": Override("RoleName", "the role's name"),
        "policy": Override("PolicyDocument", "the policy document"),
    },
    "aws_iam_role_policy_attachment": {"role": Override("RoleName", "the role's name")},
    "aws_s3_bucket": {
        "bucket": _NAME_LIMIT,
        "acl": Override(
            None, "deprecated here; the provider accepts canned ACLs beyond CreateBucket's enum"
        ),
        "force_destroy": _PROVIDER_ONLY,
    },
    "aws_s3_bucket_versioning": {
        "versioning_configuration.status": Override(
            None,
            "the provider also accepts Disabled (for a bucket never versioned) and then "
            "sends nothing; the API's own enum would reject it wrongly",
        ),
    },
    "aws_s3_bucket_server_side_encryption_configuration": {
        "rule": Override("ServerSideEncryptionConfiguration.Rules", "the API's rule list"),
    },
    "aws_s3_bucket_lifecycle_configuration": {
        "rule": Override("LifecycleConfiguration.Rules", "the API's rule list"),
        "rule.transition": Override("Transitions", "a list in the API"),
        "rule.noncurrent_version_transition": Override(
            "NoncurrentVersionTransitions", "a list in the API"
        ),
    },
    "aws_s3_bucket_ownership_controls": {
        "rule": Override("OwnershipControls.Rules", "the API's rule list"),
    },
    "aws_kms_key": {
        "deletion_window_in_days": Override(
            "PendingWindowInDays", "sent to ScheduleKeyDeletion on destroy"
        ),
        "enable_key_rotation": Override(None, "a call to EnableKeyRotation, no value"),
        "is_enabled": Override(None, "a call to EnableKey/DisableKey, no value"),
    },
    "aws_kms_alias": {"name": _NAME_LIMIT},
    "aws_sns_topic": {"name": _NAME_LIMIT},
    "aws_sns_topic_policy": {
        "arn": Override("TopicArn", "the topic's ARN"),
        "policy": Override("AttributeValue", "sent as the Policy attribute's value"),
    },
    "aws_vpc_endpoint": {"policy": Override("PolicyDocument", "the endpoint policy")},
    "aws_security_group": {
        "name": Override("GroupName", "the group's name"),
        "ingress": Override(None, "sent by AuthorizeSecurityGroupIngress in another shape"),
        "egress": Override(None, "sent by AuthorizeSecurityGroupEgress in another shape"),
        "revoke_rules_on_delete": _PROVIDER_ONLY,
    },
    "aws_security_group_rule": {
        "type": Override(None, "chooses Ingress or Egress; a provider rule checks it"),
    },
    "aws_cloudwatch_event_target": {
        "target_id": Override("Targets[].Id", "the target's id"),
    },
    "aws_cloudformation_stack": {
        "name": Override("StackName", "the stack's name"),
        "iam_role_arn": Override("RoleARN", "the stack's service role"),
        "policy_body": Override("StackPolicyBody", "the stack policy"),
        "parameters": Override(None, "a map in Terraform, a list of Parameter in the API"),
    },
    "aws_cloudformation_stack_set": {
        "name": Override("StackSetName", "the stack set's name"),
        "parameters": Override(None, "a map in Terraform, a list of Parameter in the API"),
    },
    "aws_cloudformation_stack_set_instance": {
        "region": Override("Regions[]", "the provider sends its one region in Regions"),
        "account_id": Override("Accounts[]", "the provider sends its one account in Accounts"),
        "parameter_overrides": Override(None, "a map in Terraform, a list in the API"),
    },
}


def exception(resource_type: str, path: str) -> Override | None:
    """The reviewed exception for attribute `path` (dotted through blocks) of a type."""
    found = EXCEPTIONS.get(resource_type, {}).get(path)
    if found is None and "." not in path:
        found = COMMON.get(path)
    return found


@cache
def target(resource_type: str) -> Target | None:
    """Where `resource_type`'s values go: the table, else a derived mapping, else None."""
    return TARGETS.get(resource_type) or derived(resource_type)


def derived(resource_type: str) -> Target | None:
    """`aws_<service>_<thing>` → (<service>, Create<Thing>) when botocore has exactly that
    service and operation: e.g. aws_sqs_queue → sqs CreateQueue."""
    from generator.check.constraints.models import service_model, services

    parts = resource_type.split("_")[1:]
    if not parts or resource_type.split("_")[0] != "aws":
        return None
    known = services()
    for cut in range(len(parts) - 1, 0, -1):
        service = "-".join(parts[:cut])
        if service not in known:
            continue
        thing = "".join(word.capitalize() for word in parts[cut:])
        operation = f"Create{thing}"
        if operation in service_model(service)["operations"]:
            return Target(service, (operation,))
        return None
    return None
