"""OAM-ROLE: a provider that assumes OrganizationAccountAccessRole in a source account
(docs/aws-facts.md, "Cross-account"). That role trusts only the organization's management
account, so from a member monitoring account every plan fails while configuring the
providers; and it is full admin, for one oam:CreateLink.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.check.findings import Finding
from generator.check.rules.base import RuleContext, finding

ADMIN_ROLE = "OrganizationAccountAccessRole"


class OrganizationAdminRole:
    id = "OAM-ROLE"
    description = "source-account providers assume a dedicated least-privilege role"

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for provider in ctx.hcl.of_kind("provider"):
            for assume in provider.nested("assume_role"):
                role_arn = str(assume.body.get("role_arn", ""))
                values = [role_arn] + [
                    str(ctx.hcl.variable_value(name))
                    for name in re.findall(r"(?<![\w.])var\.([\w-]+)", role_arn)
                ]
                if not any(ADMIN_ROLE in value for value in values):
                    continue
                yield finding(
                    self,
                    f"provider {'.'.join(provider.labels)}"
                    f"{'.' + provider.body['alias'] if 'alias' in provider.body else ''} "
                    f"assumes {ADMIN_ROLE}: it trusts only the organization's management "
                    "account (plans from a member account fail) and is full admin; create a "
                    "role in each source account that trusts the monitoring account and may "
                    "only manage OAM links, and assume that",
                    assume,
                    attribute="role_arn",
                )
