"""KMS keys rotate; log groups expire their data.

A value Terraform computes (an expression) is taken from the plan when there is one and
given the benefit of the doubt otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.findings import Finding, Severity
from generator.check.rules.base import RuleContext, finding, known_values


class KeyRotation:
    id = "KMS-ROTATION"
    description = "symmetric KMS keys have enable_key_rotation = true"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for key in ctx.hcl.resources("aws_kms_key"):
            spec = key.body.get("customer_master_key_spec", key.body.get("key_spec"))
            if spec not in (None, "SYMMETRIC_DEFAULT"):
                continue  # only symmetric encryption keys can rotate automatically
            if any(v is not True for v in known_values(ctx, key, "enable_key_rotation")):
                yield finding(
                    self,
                    f"{key.address} does not rotate: set enable_key_rotation = true",
                    key,
                    attribute="enable_key_rotation",
                )


class LogRetention:
    id = "LOG-RETENTION"
    description = "log groups set retention_in_days (the default keeps logs, and costs, forever)"
    severity = Severity.WARNING  # it costs, it does not break: owns checkov's CKV_AWS_66

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for group in ctx.hcl.resources("aws_cloudwatch_log_group"):
            if any(v in (None, 0) for v in known_values(ctx, group, "retention_in_days")):
                yield finding(
                    self,
                    f"{group.address} keeps logs forever: set retention_in_days",
                    group,
                    attribute="retention_in_days",
                )
