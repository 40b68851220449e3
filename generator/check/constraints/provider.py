"""Validations the Terraform AWS provider (or the service, beyond its API model) adds.

The API models say what a request's shape allows; the provider validates more before it
sends anything, and some services reject values their model allows. Each rule here names the
attribute it reads (dotted through nested blocks), what it accepts, and where that comes from;
docs/constraints.md lists them with their sources. Provider sources are files of
github.com/hashicorp/terraform-provider-aws (internal/...).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProviderRule:
    resource_type: str
    path: str  # attribute, dotted through nested blocks ("schedule.expression")
    problem: Callable[[Any], str | None]  # why the value is rejected, or None
    source: str


def _one_of(*allowed: str, ignore_case: bool = False) -> Callable[[Any], str | None]:
    folded = {a.lower() for a in allowed} if ignore_case else set(allowed)

    def problem(value: Any) -> str | None:
        key = value.lower() if ignore_case and isinstance(value, str) else value
        return None if key in folded else f"{value!r} is not one of {', '.join(allowed)}"

    return problem


def _period(*small: int) -> Callable[[Any], str | None]:
    def problem(value: Any) -> str | None:
        if value in small or (value > 0 and value % 60 == 0):
            return None
        listed = ", ".join(str(s) for s in small)
        return f"{value} is not a valid period: {listed} or a multiple of 60 seconds"

    return problem


def _number_in(*allowed: int) -> Callable[[Any], str | None]:
    def problem(value: Any) -> str | None:
        return None if value in allowed else f"{value} is not one of {allowed}"

    return problem


def _between(low: int, high: int) -> Callable[[Any], str | None]:
    def problem(value: Any) -> str | None:
        return None if low <= value <= high else f"{value} is outside {low}-{high}"

    return problem


def _cidr(version: int, prefixes: range = range(129)) -> Callable[[Any], str | None]:
    """verify.ValidIPv4CIDRNetworkAddress / ValidIPv6CIDRNetworkAddress: a network address,
    no host bits set (10.0.0.0/16, not 10.0.0.1/16); validation.IsCIDRNetwork also bounds the
    prefix length."""

    def problem(value: Any) -> str | None:
        try:
            if "/" not in str(value):
                raise ValueError("no prefix length")
            network = ipaddress.ip_network(str(value), strict=True)
        except ValueError:
            return f"{value!r} is not an IPv{version} CIDR network address (e.g. 10.0.0.0/16)"
        if network.version != version:
            return f"{value!r} is not an IPv{version} CIDR block"
        if network.prefixlen not in prefixes:
            return f"{value!r} has a /{network.prefixlen} prefix: /{prefixes[0]} to /{prefixes[-1]}"
        return None

    return problem


def _length(high: int) -> Callable[[Any], str | None]:
    def problem(value: Any) -> str | None:
        return (
            None if len(str(value)) <= high else f"is {len(str(value))} characters: at most {high}"
        )

    return problem


def _matches(pattern: str, what: str) -> Callable[[Any], str | None]:
    compiled = re.compile(pattern)

    def problem(value: Any) -> str | None:
        return None if compiled.fullmatch(str(value)) else f"{value!r} is not {what}"

    return problem


# internal/verify/validate.go ValidARN: arn:partition:service:region:account:resource, with
# partition aws[-x], region empty or like us-east-1, account empty, 12 digits or aws-owned.
ARN = (
    r"arn:aws(?:-[a-z]+)*:[a-z0-9-]+:(?:[a-z]{2}(?:-[a-z]+)+-\d{1,2})?:"
    r"(?:aws|aws-managed|third-party|\d{12}|cw.{10})?:.+"
)
# internal/service/cloudwatch/metric_alarm.go validEC2AutomateARN: EC2 alarm actions.
EC2_AUTOMATE_ARN = r"arn:[\w-]+:automate:[a-z0-9-]+:ec2:(?:reboot|recover|stop|terminate)"
_arn = _matches(ARN, "an ARN (arn:partition:service:region:account:resource)")
_alarm_action = _matches(
    f"{ARN}|{EC2_AUTOMATE_ARN}",
    "an ARN or an EC2 action (arn:aws:automate:region:ec2:stop)",
)

# CloudWatch Synthetics schedule: rate(N minute|minutes|hour|hours), N from 0 (run once),
# or cron(...) with six fields (CanaryScheduleInput.Expression,
# https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_CanaryScheduleInput.html).
_CRON = r"cron\(\s*\S+(?:\s+\S+){5}\s*\)"
_canary_schedule = _matches(
    rf"rate\((?:0|[1-9]\d*) (?:minute|minutes|hour|hours)\)|{_CRON}",
    "a schedule: rate(N minutes), rate(N hours) or cron(6 fields)",
)


def _event_schedule(value: Any) -> str | None:
    """EventBridge: rate(1 minute) singular, rate(N minutes) plural for N > 1, or cron with
    six fields (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html).
    """
    text = str(value)
    if re.fullmatch(_CRON, text):
        return None
    rate = re.fullmatch(r"rate\(([1-9]\d*) (minute|hour|day)(s?)\)", text)
    if rate and (rate.group(1) == "1") == (rate.group(3) == ""):
        return None
    return (
        f"{text!r} is not a schedule: rate(1 minute), rate(N minutes/hours/days) or cron(6 fields)"
    )


# Deprecated Synthetics runtimes: no new canary may use them. The support policy's deprecation
# table (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/
# CloudWatch_Synthetics_Runtime_Support_Policy.html) lists every version of each family below
# the first one still supported: puppeteer before 8.0 (7.0/6.2/5.2 since 2026-01-22, older
# ones 2024), selenium before 6.0 (4.0-5.1 since 2026-02-03), and the first runtimes.
FIRST_SUPPORTED = {"syn-nodejs-puppeteer": (8, 0), "syn-python-selenium": (6, 0)}
_RUNTIME = re.compile(r"(syn-[a-z]+(?:-[a-z]+)?)-(\d+)\.(\d+)(?:-beta)?")


def _runtime(value: Any) -> str | None:
    text = str(value)
    if text == "syn-1.0" or text.startswith("syn-nodejs-2."):
        return f"{text!r} is a deprecated Synthetics runtime: no new canary can use it"
    match = _RUNTIME.fullmatch(text)
    if match is None:
        return None  # a family this table does not know: the API decides
    first = FIRST_SUPPORTED.get(match.group(1))
    if first is not None and (int(match.group(2)), int(match.group(3))) < first:
        newest = f"{match.group(1)}-{first[0]}.{first[1]}"
        return f"{text!r} is a deprecated Synthetics runtime: use {newest} or newer"
    return None


_ALARM = "internal/service/cloudwatch/metric_alarm.go"
_STATISTIC = (
    r"((p|(tm)|(wm)|(tc)|(ts))((\d{1,2}(\.\d{1,2})?)|(100))|(IQM)|(((TM)|(WM)|(PR)|(TC)|(TS)))"
    r"\((\d+(\.\d+)?%?)?:(\d+(\.\d+)?%?)?\))"
)

RULES: tuple[ProviderRule, ...] = (
    ProviderRule("aws_cloudwatch_metric_alarm", "period", _period(10, 20, 30), _ALARM),
    ProviderRule(
        "aws_cloudwatch_metric_alarm",
        "metric_query.period",
        _period(1, 5, 10, 20, 30),
        _ALARM,
    ),
    ProviderRule(
        "aws_cloudwatch_metric_alarm",
        "metric_query.metric.period",
        _period(1, 5, 10, 20, 30),
        _ALARM,
    ),
    ProviderRule(
        "aws_cloudwatch_metric_alarm",
        "treat_missing_data",
        _one_of("breaching", "notBreaching", "ignore", "missing", ignore_case=True),
        _ALARM,
    ),
    ProviderRule(
        "aws_cloudwatch_metric_alarm",
        "extended_statistic",
        _matches(_STATISTIC, "a percentile or trimmed statistic (p99, tm90, TM(10%:90%))"),
        _ALARM,
    ),
    ProviderRule(
        "aws_cloudwatch_metric_alarm",
        "metric_query.metric.stat",
        _matches(
            f"SampleCount|Average|Sum|Minimum|Maximum|{_STATISTIC}",
            "a statistic (Average, Sum, Minimum, Maximum, SampleCount, p99, tm90, ...)",
        ),
        _ALARM,
    ),
    *(
        ProviderRule("aws_cloudwatch_metric_alarm", actions, _alarm_action, _ALARM)
        for actions in ("alarm_actions", "ok_actions", "insufficient_data_actions")
    ),
    ProviderRule(
        "aws_cloudwatch_log_group",
        "retention_in_days",
        _number_in(
            0,
            1,
            3,
            5,
            7,
            14,
            30,
            60,
            90,
            120,
            150,
            180,
            365,
            400,
            545,
            731,
            1096,
            1827,
            2192,
            2557,
            2922,
            3288,
            3653,
        ),
        "internal/service/logs/group.go",
    ),
    ProviderRule(
        "aws_synthetics_canary",
        "runtime_version",
        _runtime,
        "CloudWatch Synthetics runtime support policy (deprecation dates)",
    ),
    ProviderRule(
        "aws_synthetics_canary",
        "schedule.expression",
        _canary_schedule,
        "Synthetics API reference, CanaryScheduleInput",
    ),
    ProviderRule(
        "aws_cloudwatch_event_rule",
        "schedule_expression",
        _event_schedule,
        "EventBridge user guide, schedule expressions",
    ),
    ProviderRule(
        "aws_sns_topic_subscription",
        "protocol",
        _one_of(
            "application",
            "email",
            "email-json",
            "firehose",
            "http",
            "https",
            "lambda",
            "sms",
            "sqs",
        ),
        "internal/service/sns/topic_subscription.go",
    ),
    *(
        ProviderRule(
            "aws_sns_topic_subscription",
            attr,
            _arn,
            "internal/service/sns/topic_subscription.go",
        )
        for attr in ("topic_arn", "subscription_role_arn")
    ),
    ProviderRule(
        "aws_kms_key", "deletion_window_in_days", _between(7, 30), "internal/service/kms/key.go"
    ),
    *(
        ProviderRule(
            "aws_security_group", attr, _length(255), "internal/service/ec2/vpc_security_group.go"
        )
        for attr in ("name", "description")
    ),
    ProviderRule("aws_vpc", "cidr_block", _cidr(4, range(16, 29)), "internal/service/ec2/vpc_.go"),
    ProviderRule("aws_subnet", "cidr_block", _cidr(4), "internal/service/ec2/vpc_subnet.go"),
    *(
        ProviderRule(rule_type, "cidr_ipv4", _cidr(4), f"internal/service/ec2/{rule_type[4:]}.go")
        for rule_type in (
            "aws_vpc_security_group_ingress_rule",
            "aws_vpc_security_group_egress_rule",
        )
    ),
    *(
        ProviderRule(rule_type, "cidr_ipv6", _cidr(6), f"internal/service/ec2/{rule_type[4:]}.go")
        for rule_type in (
            "aws_vpc_security_group_ingress_rule",
            "aws_vpc_security_group_egress_rule",
        )
    ),
    ProviderRule(
        "aws_security_group_rule",
        "type",
        _one_of("ingress", "egress"),
        "internal/service/ec2/vpc_security_group_rule.go",
    ),
)


def rules_for(resource_type: str) -> tuple[ProviderRule, ...]:
    return tuple(r for r in RULES if r.resource_type == resource_type)
