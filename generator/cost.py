"""What a set of answers creates, and what it costs a month, before anything is deployed.

The counts mirror the template resource by resource (template/*.tf*: which files and
`for_each` maps each answer switches on), so the summary the wizard shows is what
`terraform plan` will list; tests/test_cost.py holds them against real plans. The cost model
prices what those resources bill for, at us-east-1 list prices, and says what it leaves out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generator.errors import UserError
from generator.questions import ANSWERS_FILE, load_questions, read_answers_file, resolve_answers
from generator.schedules import default_schedule, interval_minutes, schedule_problem

__all__ = [
    "PRICES",
    "PRICES_AS_OF",
    "PRICES_SOURCE",
    "CostLine",
    "Estimate",
    "estimate",
    "estimate_for",
    "format_estimate",
    "insights_choices",
    "logged_services",
    "resource_counts",
    "runs_per_month",
]

# us-east-1 list prices in USD from the AWS pricing pages named in PRICES_SOURCE
# (docs/aws-facts.md, "Prices"). Re-check them there before quoting an estimate as exact;
# other regions differ by a few percent. The generated README quotes the same table.
PRICES_AS_OF = "2026-11-28"
PRICES_SOURCE = (
    "AWS pricing pages for us-east-1: Amazon CloudWatch pricing (alarms, dashboards, custom"
    " metrics, Synthetics, free tier), AWS KMS pricing, Amazon VPC pricing (PrivateLink"
    " interface endpoints, NAT gateways), AWS Cloud Map pricing, Amazon Route 53 pricing"
    " (hosted zones, queries)"
)
PRICES: Mapping[str, float] = {
    "canary_run": 0.0012,  # per run
    "alarm_metric": 0.10,  # per metric in a standard-resolution alarm, a month
    "composite_alarm": 0.50,  # per composite alarm, a month
    "anomaly_alarm": 0.30,  # per standard-resolution anomaly-detection alarm, a month
    "dashboard": 3.00,  # per dashboard, a month
    "custom_metric": 0.30,  # per metric, a month (first 10,000)
    # Container Insights with enhanced observability, per million observations (metric data
    # points); docs/aws-facts.md, "Container Insights".
    "insights_observations_million": 0.21,
    "kms_key": 1.00,  # per customer-managed key, a month
    "interface_endpoint_az_hour": 0.01,  # per endpoint per AZ, an hour
    "nat_gateway_hour": 0.045,  # per NAT gateway, an hour
    "nat_gateway_gb": 0.045,  # per GB a NAT gateway processes
    "public_ipv4_hour": 0.005,  # per public IPv4 address (the NAT gateway's), an hour
    "log_ingestion_gb": 0.50,
    "log_storage_gb_month": 0.03,
    "logs_insights_gb_scanned": 0.005,
    # Service discovery (template/service_discovery.tf), looked up 2026-11-30: the private DNS
    # namespace is a Route 53 private hosted zone ($0.50 a month each of the first 25), each
    # task ECS registers is a Cloud Map registered resource ($0.10 a month), and Route 53
    # answers the names at its standard query price ($0.40 a million, first billion).
    "hosted_zone_month": 0.50,
    "cloud_map_instance_month": 0.10,
    "dns_queries_million": 0.40,
}
# The CloudWatch free tier, per account and month (shared by everything in the account).
FREE_TIER: Mapping[str, int] = {
    "canary_run": 100,
    "alarm_metric": 10,
    "dashboard": 3,
    "custom_metric": 10,
}

DAYS_PER_MONTH = 30
HOURS_PER_MONTH = DAYS_PER_MONTH * 24
MINUTES_PER_MONTH = HOURS_PER_MONTH * 60

# template/locals.tf alarm_definitions, one alarm per severity tier a definition has: per
# service cpu-high and memory-high (warning and critical each), tasks-below-desired (critical;
# metric math on 2 metrics), and not-deployed (the composites' suppressor); per canary
# canary-success-low and canary-failed (critical), canary-duration-high (both tiers) and
# canary-first-run (template/canary_first_run.tf), and canary-heartbeat for a cron schedule,
# which only services.auto.tfvars sets. CloudWatch bills an alarm per metric it evaluates.
# not-deployed is metric math on DesiredTaskCount and DeploymentCount (quiet while a service
# is not deployed or being deployed).
SERVICE_ALARMS, SERVICE_ALARM_METRICS = 6, 8
# A new cluster with Container Insights disabled: no tasks-below-desired, and not-deployed
# reads one metric (AWS/ECS CPUUtilization samples).
SERVICE_ALARMS_WITHOUT_INSIGHTS, SERVICE_ALARM_METRICS_WITHOUT_INSIGHTS = 5, 5
CANARY_ALARMS, CANARY_ALARM_METRICS = 5, 5
# Per service behind a load balancer: lb-5xx-rate (metric math on 3 metrics) and
# lb-latency-p99 in both tiers, lb-unhealthy (warning) and lb-healthy-low (critical). Known
# from the answers for an existing cluster's services (service_load_balancers); set later in
# services.auto.tfvars, they are not counted here.
LB_ALARMS, LB_ALARM_METRICS = 6, 10
# Per service with anomaly_bands (a per-service setting, off by default, so not counted):
# lb-requests-anomaly and lb-latency-anomaly.
ANOMALY_ALARMS = 2
# template/alarms.tf: per service one composite alarm per severity tier (critical pages,
# warning notifies), each on its own SNS topic (template/sns.tf).
SEVERITY_TIERS = 2
# Per service with a known log group (every service of a new cluster; an existing cluster's
# that service_log_groups names): template/logs.tf.jinja's metric filters, one per default
# log_error_pattern (template/locals.tf), into one custom metric, and the log-errors alarm (a warning).
LOG_ERROR_PATTERNS = 2
# template/log_queries.tf: "Recent errors" and "Slowest requests" per 50 of those log groups,
# "Stopped tasks" once, on a log group of its own (with a resource policy), written by a
# second target of each task-stopped EventBridge rule.
SERVICE_QUERIES, LOG_GROUPS_PER_QUERY = 2, 50
SERVICES_PER_DASHBOARD = 20  # template/dashboards.tf
# template/events.tf: per 20 services an EventBridge rule for failed deployments, one for
# tasks ECS cannot place or start, and one for unexpectedly stopped tasks, each with a topic
# as its target. Rules matching AWS
# service events on the default event bus are free (EventBridge pricing).
SERVICES_PER_EVENT_RULE = 20
# template/service_discovery.tf: local.service_domain
SERVICE_DOMAIN = re.compile(r"^https?://\{service\}\.([^/:]+)")
NEW_VPC_AZS = 2  # template/network.tf.jinja: two private subnets
# template/task_endpoints.tf: the new VPC's interface endpoints for ECS tasks (new_vpc_egress
# "endpoints"): ECR API, ECR Docker registry, CloudWatch Logs.
TASK_ENDPOINTS = 3
# template/nat.tf (new_vpc_egress "nat"): a public subnet with its route table, association
# and internet route, an internet gateway, an Elastic IP, one NAT gateway, and the private
# route table's route through it.
NAT_RESOURCES: Mapping[str, int] = {
    "aws_eip": 1,
    "aws_internet_gateway": 1,
    "aws_nat_gateway": 1,
    "aws_route": 2,
    "aws_route_table": 1,
    "aws_route_table_association": 1,
    "aws_subnet": 1,
}
# Container Insights (on for a cluster the module creates) publishes custom metrics. Assumed:
# per service the 12 of ClusterName+ServiceName (CpuUtilized, CpuReserved, MemoryUtilized,
# MemoryReserved, RunningTaskCount, PendingTaskCount, DesiredTaskCount, DeploymentCount, and
# network rx/tx and storage read/write bytes), per cluster 10 of ClusterName alone.
INSIGHTS_METRICS_PER_SERVICE = 12
INSIGHTS_METRICS_PER_CLUSTER = 10
# Enhanced observability bills observations (one per metric data point, a minute each)
# instead of metrics. Assumed: the service and cluster metrics above, and per service 2
# running tasks of one container each, a task reporting 14 task-level metrics and its
# container 12 container-level ones (the enhanced metrics of the AWS list for ECS).
ENHANCED_TASKS_PER_SERVICE = 2
ENHANCED_METRICS_PER_TASK = 14 + 12
INSIGHTS_CHOICES = ("enabled", "enhanced", "disabled")
# A default VPC has one default subnet per AZ; the monitoring endpoint takes one per AZ.
DEFAULT_VPC_AZS: Mapping[str, int] = {"us-east-1": 6}
DEFAULT_VPC_AZS_ELSEWHERE = 3


def runs_per_month(schedule: str) -> float:
    """Runs a month (30 days) of a canary on a `rate(...)` schedule, refused as the module
    refuses it (generator/schedules.py: one rule for both)."""
    problem = schedule_problem(schedule)
    if problem is not None:
        raise UserError(f"--schedule: {problem}")
    interval = interval_minutes(schedule)
    if interval is None:
        raise UserError(
            f"cannot estimate canary runs for the schedule {schedule!r}:"
            " give a rate such as 'rate(5 minutes)' (cron schedules are not estimated)"
        )
    return MINUTES_PER_MONTH / interval


@dataclass(frozen=True)
class _Shape:
    """The facts of an answer set that decide what the template creates."""

    services: int
    canaries: int
    new_cluster: bool
    vpc_mode: str
    endpoints: bool  # the S3 gateway and monitoring interface endpoints
    endpoint_azs: int
    source_accounts: int
    organizational_units: int  # organization mode: one StackSet instance each
    email: bool
    warning_email: bool
    service_discovery: bool  # a Cloud Map namespace for the endpoint pattern's domain
    load_balanced: int = 0  # services behind an Application Load Balancer
    # a new cluster's container_insights answer; an existing cluster's is on ("enabled")
    insights: str = "enabled"
    logged: int = 0  # services with a known log group: their error lines are counted
    egress: str | None = None  # new_vpc_egress: how a new VPC's tasks reach ECR and Logs

    @classmethod
    def of(cls, answers: Mapping[str, Any]) -> _Shape:
        services = len(answers["services"])
        vpc_mode = answers["vpc_mode"]
        mode = _cross_account_mode(answers)
        endpoints = vpc_mode == "new" or bool(answers.get("create_vpc_endpoints", True))
        if vpc_mode == "new":
            azs = NEW_VPC_AZS
        elif vpc_mode == "existing":
            azs = len(answers["subnet_ids"])  # at most: one per AZ is used
        else:
            azs = DEFAULT_VPC_AZS.get(answers["aws_region"], DEFAULT_VPC_AZS_ELSEWHERE)
        return cls(
            services=services,
            canaries=services if answers["service_endpoint_pattern"] else 0,
            new_cluster=answers["cluster_mode"] == "new",
            vpc_mode=vpc_mode,
            endpoints=endpoints,
            endpoint_azs=azs if endpoints else 0,
            source_accounts=(
                len(answers.get("source_accounts") or {}) if mode == "accounts" else 0
            ),
            organizational_units=(
                len(answers.get("organizational_units") or []) if mode == "organization" else 0
            ),
            email=bool(answers.get("alarm_email")),
            # copier.yml: a project from before the question has the alarm e-mail's default
            warning_email=bool(answers.get("warning_email", answers.get("alarm_email"))),
            # template/service_discovery.tf: a new cluster, a pattern {service}.<domain>
            service_discovery=answers["cluster_mode"] == "new"
            and SERVICE_DOMAIN.match(answers["service_endpoint_pattern"]) is not None,
            load_balanced=len(answers.get("service_load_balancers") or {}),
            insights=(
                str(answers.get("container_insights") or "enabled")
                if answers["cluster_mode"] == "new"
                else "enabled"
            ),
            logged=len(logged_services(answers)),
            egress=answers.get("new_vpc_egress", "endpoints") if vpc_mode == "new" else None,
        )

    @property
    def cross_account(self) -> bool:
        return self.source_accounts > 0 or self.organizational_units > 0

    @property
    def dashboards(self) -> int:
        # the overview, the services' dashboards, and the accounts dashboard with OAM
        return 1 + self.service_dashboards + int(self.cross_account)

    @property
    def service_dashboards(self) -> int:
        return math.ceil(self.services / SERVICES_PER_DASHBOARD)

    @property
    def event_rule_groups(self) -> int:
        """Groups of services that share an EventBridge rule of each kind (events.tf)."""
        return math.ceil(self.services / SERVICES_PER_EVENT_RULE)

    @property
    def event_rules(self) -> int:
        # failed deployments, tasks ECS cannot place or start, and stopped tasks
        return 3 * self.event_rule_groups

    @property
    def service_alarms(self) -> tuple[int, int]:
        """Alarms, and the metrics they evaluate, of every service."""
        if self.insights == "disabled":
            return SERVICE_ALARMS_WITHOUT_INSIGHTS, SERVICE_ALARM_METRICS_WITHOUT_INSIGHTS
        return SERVICE_ALARMS, SERVICE_ALARM_METRICS

    @property
    def alarm_metrics(self) -> int:
        return (
            self.services * self.service_alarms[1]
            + self.canaries * CANARY_ALARM_METRICS
            + self.load_balanced * LB_ALARM_METRICS
            + self.logged
        )

    @property
    def queries(self) -> int:
        return SERVICE_QUERIES * math.ceil(self.logged / LOG_GROUPS_PER_QUERY) + 1

    @property
    def insights_metrics(self) -> int:
        """The new cluster's Container Insights metrics billed as custom metrics."""
        if not self.new_cluster or self.insights != "enabled":
            return 0
        return self.services * INSIGHTS_METRICS_PER_SERVICE + INSIGHTS_METRICS_PER_CLUSTER

    @property
    def insights_observations(self) -> float:
        """Observations a month of the new cluster's enhanced Container Insights (assumed)."""
        if not self.new_cluster or self.insights != "enhanced":
            return 0
        per_minute = (
            self.services * INSIGHTS_METRICS_PER_SERVICE
            + INSIGHTS_METRICS_PER_CLUSTER
            + self.services * ENHANCED_TASKS_PER_SERVICE * ENHANCED_METRICS_PER_TASK
        )
        return per_minute * MINUTES_PER_MONTH

    @property
    def insights_cost(self) -> float:
        """Container Insights and the per-service alarms it changes (not-deployed's metrics,
        tasks-below-desired), a month at list prices."""
        return (
            self.insights_metrics * PRICES["custom_metric"]
            + self.insights_observations / 1e6 * PRICES["insights_observations_million"]
            + self.services * self.service_alarms[1] * PRICES["alarm_metric"]
        )


def logged_services(answers: Mapping[str, Any]) -> list[str]:
    """The services whose log group the module knows, and so counts the error lines of: every
    service of a new cluster; an existing cluster's that service_log_groups names."""
    services = list(answers.get("services") or [])
    if answers.get("cluster_mode") == "new":
        return services
    known = answers.get("service_log_groups") or {}
    return [s for s in services if s in known]


def _cross_account_mode(answers: Mapping[str, Any]) -> str:
    """The answer, or what a project from before the question implied (copier.yml's default)."""
    mode = answers.get("cross_account_mode")
    if mode is None:
        return "accounts" if answers.get("source_accounts") else "none"
    return str(mode)


def resource_counts(answers: Mapping[str, Any]) -> dict[str, int]:
    """Resources the template creates for `answers` (a full set, as resolve_answers gives),
    by Terraform resource type; data sources are left out."""
    shape = _Shape.of(answers)
    counts = {
        "aws_cloudwatch_composite_alarm": shape.services * SEVERITY_TIERS,
        "aws_cloudwatch_dashboard": shape.dashboards,
        # the existing cluster's services log to their own groups
        "aws_cloudwatch_event_rule": shape.event_rules,
        # each rule's topic, and the stopped-task rules' log group too
        "aws_cloudwatch_event_target": shape.event_rules + shape.event_rule_groups,
        "aws_cloudwatch_log_group": shape.services * int(shape.new_cluster) + 1,
        "aws_cloudwatch_log_metric_filter": shape.logged * LOG_ERROR_PATTERNS,
        "aws_cloudwatch_log_resource_policy": 1,
        "aws_cloudwatch_metric_alarm": shape.services * shape.service_alarms[0]
        + shape.canaries * CANARY_ALARMS
        + shape.load_balanced * LB_ALARMS
        + shape.logged,
        "aws_cloudwatch_query_definition": shape.queries,
        "aws_ecs_cluster": int(shape.new_cluster),
        "aws_iam_role": 1,
        "aws_iam_role_policy": 1,
        "aws_kms_alias": 1,
        "aws_kms_key": 1,
        "aws_oam_link": shape.source_accounts,
        "aws_oam_sink": int(shape.cross_account),
        "aws_oam_sink_policy": int(shape.cross_account),
        "aws_cloudformation_stack_set": int(shape.organizational_units > 0),
        "aws_cloudformation_stack_set_instance": shape.organizational_units,
        "aws_security_group": 1 + int(shape.endpoints),
        "aws_sns_topic": SEVERITY_TIERS,
        "aws_sns_topic_policy": SEVERITY_TIERS,
        "aws_sns_topic_subscription": int(shape.email) + int(shape.warning_email),
        "aws_synthetics_canary": shape.canaries,
        "aws_vpc_endpoint": 2 * int(shape.endpoints)
        + TASK_ENDPOINTS * int(shape.egress == "endpoints"),
        # canary_to_vpc, plus canary_to_s3 (endpoints) or canary_to_internet (NAT)
        "aws_vpc_security_group_egress_rule": 2,
        # vpc_endpoints_from_canary, plus vpc_endpoints_from_vpc per CIDR block of the VPC
        # (counted as one: the primary; a VPC's secondary blocks are not known)
        "aws_vpc_security_group_ingress_rule": 2 * int(shape.endpoints),
        "time_sleep": 1,  # the canaries' wait for IAM propagation
    }
    for kind in (
        "aws_s3_bucket",
        "aws_s3_bucket_lifecycle_configuration",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_versioning",
    ):
        counts[kind] = 1
    if shape.service_discovery:
        counts["aws_service_discovery_private_dns_namespace"] = 1
        counts["aws_service_discovery_service"] = shape.services
    if shape.vpc_mode == "new":
        counts.update(
            {
                "aws_default_security_group": 1,
                "aws_route_table": 1,
                "aws_route_table_association": NEW_VPC_AZS,
                "aws_subnet": NEW_VPC_AZS,
                "aws_vpc": 1,
            }
        )
    if shape.egress == "nat":
        for kind, count in NAT_RESOURCES.items():
            counts[kind] = counts.get(kind, 0) + count
    return {kind: count for kind, count in sorted(counts.items()) if count}


@dataclass(frozen=True)
class CostLine:
    item: str
    quantity: float
    unit_price: float
    detail: str  # how the quantity comes about

    @property
    def monthly(self) -> float:
        return self.quantity * self.unit_price


@dataclass(frozen=True)
class Estimate:
    lines: tuple[CostLine, ...]
    free_tier: float  # what the free tier takes off, if nothing else in the account uses it
    region: str
    notes: tuple[str, ...]

    @property
    def list_total(self) -> float:
        return sum(line.monthly for line in self.lines)

    @property
    def total(self) -> float:
        return self.list_total - self.free_tier


def estimate(answers: Mapping[str, Any], *, schedule: str | None = None) -> Estimate:
    """The monthly cost of what `answers` creates, with every canary on `schedule` (by default
    the module's default schedule)."""
    schedule = default_schedule() if schedule is None else schedule
    shape = _Shape.of(answers)
    runs = shape.canaries * runs_per_month(schedule)
    lines = [
        CostLine(
            "Synthetics canary runs",
            runs,
            PRICES["canary_run"],
            f"{shape.canaries} canaries x {runs_per_month(schedule):,.0f} runs ({schedule})",
        ),
        CostLine(
            "Metric alarms",
            shape.alarm_metrics,
            PRICES["alarm_metric"],
            f"{shape.alarm_metrics} alarm metrics: {shape.service_alarms[1]} per service,"
            f" {CANARY_ALARM_METRICS} more per canary, {LB_ALARM_METRICS} more per service"
            f" behind a load balancer ({shape.load_balanced}), 1 more per service with a"
            f" log group ({shape.logged})",
        ),
        CostLine(
            "Composite alarms",
            shape.services * SEVERITY_TIERS,
            PRICES["composite_alarm"],
            "two per service: critical (pages) and warning (notifies)",
        ),
        CostLine(
            "Dashboards",
            shape.dashboards,
            PRICES["dashboard"],
            f"overview + {shape.service_dashboards} of {SERVICES_PER_DASHBOARD} services"
            + (" + source accounts" if shape.cross_account else ""),
        ),
        _insights_line(shape),
        CostLine(
            "Log error metrics",
            shape.logged,
            PRICES["custom_metric"],
            f"one per service with a log group ({shape.logged}); at most: billed only for the"
            " hours it logs an error line",
        ),
        CostLine("KMS key", 1, PRICES["kms_key"], "one customer-managed key"),
        CostLine(
            "Monitoring interface endpoint",
            shape.endpoint_azs * HOURS_PER_MONTH,
            PRICES["interface_endpoint_az_hour"],
            _endpoint_detail(shape, answers),
        ),
    ]
    lines += _egress_lines(shape)
    if shape.service_discovery:
        lines += _service_discovery_lines(shape, runs)
    if not shape.endpoints:
        lines.append(
            CostLine(
                "NAT gateway",
                0,
                PRICES["nat_gateway_hour"],
                "the VPC's own NAT route, not created here: its hours are billed already",
            )
        )
    used = {
        "canary_run": runs,
        "alarm_metric": shape.alarm_metrics,
        "dashboard": shape.dashboards,
        "custom_metric": shape.insights_metrics + shape.logged,
    }
    free = sum(min(used[key], limit) * PRICES[key] for key, limit in FREE_TIER.items())
    return Estimate(tuple(lines), free, answers["aws_region"], _notes(answers))


def _insights_line(shape: _Shape) -> CostLine:
    if shape.new_cluster and shape.insights == "enhanced":
        return CostLine(
            "Container Insights observations",
            shape.insights_observations / 1e6,
            PRICES["insights_observations_million"],
            f"enhanced: {shape.insights_observations / 1e6:,.2f} million a month (assumed:"
            f" {ENHANCED_TASKS_PER_SERVICE} tasks of one container per service)",
        )
    if shape.new_cluster and shape.insights == "disabled":
        detail = "disabled: none (and no tasks-below-desired alarms)"
    elif shape.new_cluster:
        detail = (
            f"{INSIGHTS_METRICS_PER_SERVICE} per service + {INSIGHTS_METRICS_PER_CLUSTER}"
            " for the new cluster (assumed counts)"
        )
    else:
        detail = "existing cluster: billed already if it has Container Insights on"
    return CostLine(
        "Container Insights metrics", shape.insights_metrics, PRICES["custom_metric"], detail
    )


def insights_choices(answers: Mapping[str, Any]) -> dict[str, float]:
    """For a new cluster, what Container Insights and the alarms that depend on it cost a
    month (list prices) with each container_insights answer; {} for an existing cluster."""
    shape = _Shape.of(answers)
    if not shape.new_cluster:
        return {}
    return {choice: replace(shape, insights=choice).insights_cost for choice in INSIGHTS_CHOICES}


def estimate_for(
    data: Mapping[str, Any], *, project: Path | None = None, schedule: str | None = None
) -> Estimate:
    """The estimate for the answers in `data`, on top of those a `project` recorded in its
    answers file when one is given, and the defaults for the rest."""
    answers: dict[str, Any] = {}
    if project is not None:
        path = Path(project) / ANSWERS_FILE
        if not path.is_file():
            raise UserError(
                f"{project} is not a project cw-scaffold rendered: it has no {path.name}"
            )
        recorded = read_answers_file(path)
        answers = {key: value for key, value in recorded.items() if not key.startswith("_")}
    answers.update(data)
    return estimate(resolve_answers(answers, load_questions()), schedule=schedule)


def _egress_lines(shape: _Shape) -> list[CostLine]:
    """How a new VPC's ECS tasks reach ECR and CloudWatch Logs (new_vpc_egress)."""
    if shape.egress == "endpoints":
        return [
            CostLine(
                "ECR and Logs interface endpoints",
                TASK_ENDPOINTS * NEW_VPC_AZS * HOURS_PER_MONTH,
                PRICES["interface_endpoint_az_hour"],
                f"{TASK_ENDPOINTS} endpoints (ECR API, ECR Docker, Logs) x {NEW_VPC_AZS} AZ x"
                f" {HOURS_PER_MONTH} h, for the tasks in the new VPC",
            )
        ]
    if shape.egress == "nat":
        return [
            CostLine(
                "NAT gateway",
                HOURS_PER_MONTH,
                PRICES["nat_gateway_hour"],
                f"one, {HOURS_PER_MONTH} h, for the tasks in the new VPC (data processed,"
                f" ${PRICES['nat_gateway_gb']:.3f} a GB, not included)",
            ),
            CostLine(
                "Public IPv4 address",
                HOURS_PER_MONTH,
                PRICES["public_ipv4_hour"],
                f"the NAT gateway's, {HOURS_PER_MONTH} h",
            ),
        ]
    return []


def _service_discovery_lines(shape: _Shape, canary_runs: float) -> list[CostLine]:
    """The Cloud Map namespace of the endpoint pattern's domain: its hosted zone, the tasks
    registered in it (one per service assumed: ECS registers each running task), and the
    canaries' look-ups (one a run: the records live 10 s, runs are minutes apart)."""
    return [
        CostLine(
            "Route 53 private hosted zone",
            1,
            PRICES["hosted_zone_month"],
            "the Cloud Map namespace of the endpoint pattern's domain",
        ),
        CostLine(
            "Cloud Map registered tasks",
            shape.services,
            PRICES["cloud_map_instance_month"],
            f"{shape.services} services x 1 task assumed (each running task is one)",
        ),
        CostLine(
            "Route 53 DNS queries",
            canary_runs / 1_000_000,
            PRICES["dns_queries_million"],
            f"{canary_runs:,.0f} canary look-ups (one a run); the services' own not included",
        ),
    ]


def _endpoint_detail(shape: _Shape, answers: Mapping[str, Any]) -> str:
    if not shape.endpoints:
        return "none: the canaries reach AWS through the VPC's NAT route"
    where = {
        "new": "the new VPC's 2 AZs",
        "existing": "one per subnet given, assuming each is in its own AZ",
        "default": f"one per AZ of the default VPC, assumed {shape.endpoint_azs} in"
        f" {answers['aws_region']}",
    }[shape.vpc_mode]
    return (
        f"{shape.endpoint_azs} AZ x {HOURS_PER_MONTH} h: {where}; the S3 gateway endpoint is free"
    )


def _notes(answers: Mapping[str, Any]) -> tuple[str, ...]:
    notes = [
        f"A month is {DAYS_PER_MONTH} days ({HOURS_PER_MONTH} hours).",
        "Free tier (per account, if nothing else there uses it): "
        + ", ".join(f"{limit} {key.replace('_', ' ')}s" for key, limit in FREE_TIER.items())
        + ".",
        (
            f"Not included: your services' logs (ingestion ${PRICES['log_ingestion_gb']:.2f}/GB,"
            f" storage ${PRICES['log_storage_gb_month']:.2f}/GB-month), the canaries' Lambda"
            " time, logs and S3 artifacts, KMS and API requests, endpoint data processing,"
            " alarm e-mails."
        ),
        (
            f"Logs Insights: ${PRICES['logs_insights_gb_scanned']:.3f} per GB scanned by the"
            " saved queries you run and by each service's recent-errors widget, each time its"
            " dashboard loads or refreshes (the free tier's 5 GB of logs include it)."
        ),
    ]
    notes.append(
        "Anomaly-detection bands (anomaly_bands in services.auto.tfvars, off by default) add"
        f" {ANOMALY_ALARMS} alarms at ${PRICES['anomaly_alarm']:.2f} a month each per service"
        " behind a load balancer that turns them on."
    )
    choices = insights_choices(answers)
    if choices:
        notes.append(
            "Container Insights by answer (with the services' CPU, memory, task and"
            " not-deployed alarms): "
            + ", ".join(f"{choice} {_money(cost)}" for choice, cost in choices.items())
            + " a month at list prices (enhanced: observation counts assumed; check the bill"
            " after a day)."
        )
    if _cross_account_mode(answers) != "none":
        # AWS News Blog, "New - Amazon CloudWatch Cross-Account Observability" (2022-11-28);
        # AWS CloudFormation pricing: AWS::* resources in StackSets cost nothing extra.
        notes.append(
            "Cross-account observability adds only its dashboard: OAM sinks and links are free"
            " (no extra cost for shared metrics and logs; the first copy of a shared trace is"
            " free), and so is the StackSet that creates the links. The source accounts pay"
            " for their own telemetry as before."
        )
    if answers["aws_region"] != "us-east-1":
        notes.append(f"Prices are us-east-1's; {answers['aws_region']} may differ a little.")
    return tuple(notes)


def format_estimate(est: Estimate) -> str:
    """The estimate as the summary and `cw-scaffold cost` print it."""
    width = max(len(line.item) for line in est.lines)
    rows = [f"Monthly cost estimate (USD, list prices of {PRICES_AS_OF})"]
    rows += [
        f"  {line.item:<{width}}  {_money(line.monthly):>9}  {line.detail}" for line in est.lines
    ]
    rows.append(f"  {'Free tier':<{width}}  {_money(-est.free_tier):>9}")
    rows.append(
        f"  {'Total':<{width}}  {_money(est.total):>9}  a month"
        f" ({_money(est.list_total)} without the free tier)"
    )
    rows += [f"  {note}" for note in est.notes]
    rows.append(f"  Prices: {PRICES_SOURCE}.")
    return "\n".join(rows)


def _money(amount: float) -> str:
    amount = round(amount, 2) + 0.0  # no "-$0.00"
    return f"-${-amount:,.2f}" if amount < 0 else f"${amount:,.2f}"
