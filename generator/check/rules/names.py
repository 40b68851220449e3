"""NAME-LIMIT: names AWS rejects for their length or characters.

Names come from the plan when there is one (they are usually built from variables), else from
literal names in the HCL. Limits, from each service's API reference: S3 bucket 3-63 of
a-z 0-9 . - (alphanumeric at both ends, no "..", not an IP address); IAM role 64 and IAM
policy 128 of \\w+=,.@-; Synthetics canary 255 of 0-9 a-z _ - (since provider 5.68);
dashboard 255 of A-Za-z0-9 _ -; alarms 255; log group 512 of \\w . - / #; SNS topic 256 of
A-Za-z0-9 _ - (with an optional .fifo); KMS alias 256, "alias/" then A-Za-z0-9 / _ -,
not under alias/aws/; ECS cluster 255 of A-Za-z0-9 _ -.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.check.findings import Finding, Severity
from generator.check.hcl import Block
from generator.check.rules.base import RuleContext, finding, known_resources


@dataclass(frozen=True)
class NameLimit:
    attribute: str
    max_length: int
    pattern: re.Pattern[str]
    allowed: str  # the pattern in words, for the message
    min_length: int = 1


_IAM = re.compile(r"[\w+=,.@-]+")
# one entry per resource type, alike on purpose: a table of AWS's limits, not logic
LIMITS = {
    "aws_s3_bucket": NameLimit(
        "bucket",
        63,
        re.compile(r"(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]*[a-z0-9]"),
        "lowercase letters, digits, '.' and '-', alphanumeric at both ends",
        min_length=3,
    ),
    "aws_iam_role": NameLimit("name", 64, _IAM, "letters, digits and +=,.@_-"),
    "aws_iam_policy": NameLimit("name", 128, _IAM, "letters, digits and +=,.@_-"),
    "aws_iam_role_policy": NameLimit("name", 128, _IAM, "letters, digits and +=,.@_-"),
    "aws_synthetics_canary": NameLimit(
        "name", 255, re.compile(r"[0-9a-z_-]+"), "lowercase letters, digits, '_' and '-'"
    ),
    "aws_cloudwatch_dashboard": NameLimit(
        "dashboard_name", 255, re.compile(r"[A-Za-z0-9_-]+"), "letters, digits, '_' and '-'"
    ),
    "aws_cloudwatch_metric_alarm": NameLimit(
        "alarm_name", 255, re.compile(r"[^\x00-\x1f]+"), "printable characters"
    ),
    "aws_cloudwatch_composite_alarm": NameLimit(
        "alarm_name", 255, re.compile(r"[^\x00-\x1f]+"), "printable characters"
    ),
    "aws_cloudwatch_log_group": NameLimit(
        "name", 512, re.compile(r"[\w.\-/#]+"), "letters, digits and _.-/#"
    ),
    "aws_sns_topic": NameLimit(
        "name", 256, re.compile(r"[A-Za-z0-9_-]+(\.fifo)?"), "letters, digits, '_' and '-'"
    ),
    "aws_kms_alias": NameLimit(
        "name",
        256,
        re.compile(r"alias/(?!aws/)[A-Za-z0-9/_-]+"),
        "'alias/' (not 'alias/aws/') then letters, digits and /_-",
    ),
    "aws_ecs_cluster": NameLimit(
        "name", 255, re.compile(r"[A-Za-z0-9_-]+"), "letters, digits, '_' and '-'"
    ),
}


def name_problem(limit: NameLimit, name: str) -> str | None:
    if not limit.min_length <= len(name) <= limit.max_length:
        return f"is {len(name)} characters: {limit.min_length}-{limit.max_length} allowed"
    if limit.pattern.fullmatch(name) is None:
        return f"must be {limit.allowed}"
    return None


class NameLimits:
    id = "NAME-LIMIT"
    description = "resource names fit AWS's length and character limits"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for address, block, limit, name in self._names(ctx):
            problem = name_problem(limit, name)
            if problem is not None:
                message = f"{address} {limit.attribute} {name!r} {problem}"
                yield finding(self, message, block, attribute=limit.attribute)

    @staticmethod
    def _names(ctx: RuleContext) -> Iterator[tuple[str, Block | None, NameLimit, str]]:
        for type_, limit in LIMITS.items():
            for address, block, values in known_resources(ctx, type_):
                name = values.get(limit.attribute)
                if isinstance(name, str):
                    yield address, block, limit, name
