"""CKV_CWS_2 (F5): a VPC lookup selects exactly one VPC: by id, or the default VPC."""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.data.base_check import BaseDataCheck


class VpcLookupUnambiguous(BaseDataCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure a VPC lookup selects one VPC: by id or default = true",
            id="CKV_CWS_2",
            categories=[CheckCategories.NETWORKING],
            supported_data=["aws_vpc"],
        )

    def scan_data_conf(self, conf: dict[str, Any]) -> CheckResult:
        if conf.get("id") or conf.get("default") == [True]:
            return CheckResult.PASSED
        return CheckResult.FAILED


check = VpcLookupUnambiguous()
