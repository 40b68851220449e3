"""CKV_CWS_3: a Synthetics canary deletes its Lambda function when it is destroyed.

`delete_lambda` defaults to false, so every destroyed canary leaves a Lambda behind.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class CanaryDeletesLambda(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure a Synthetics canary sets delete_lambda = true",
            id="CKV_CWS_3",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=["aws_synthetics_canary"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return CheckResult.PASSED if conf.get("delete_lambda") == [True] else CheckResult.FAILED


check = CanaryDeletesLambda()
