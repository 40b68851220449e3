"""CKV_CWS_1 (F6): every S3 lifecycle rule has a filter or a prefix."""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class LifecycleRuleFilter(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure every S3 lifecycle rule has a filter or a prefix (provider >= 5.90)",
            id="CKV_CWS_1",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=["aws_s3_bucket_lifecycle_configuration"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        for rule in conf.get("rule") or []:
            if isinstance(rule, dict) and "filter" not in rule and "prefix" not in rule:
                return CheckResult.FAILED
        return CheckResult.PASSED


check = LifecycleRuleFilter()
