"""Cross-account observability (docs/aws-facts.md, "Cross-account").

OAM-ROLE: a provider that assumes OrganizationAccountAccessRole in a source account. That role
    trusts only the organization's management account, so from a member monitoring account
    every plan fails while configuring the providers; and it is full admin, for one CreateLink.
OAM-SHARES-ALL: an OAM link sharing metrics or log groups without a link_configuration
    filter: every namespace and every log group of the source account is shared.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.check.findings import Finding, Severity
from generator.check.rules.base import RuleContext, finding

ADMIN_ROLE = "OrganizationAccountAccessRole"


class OrganizationAdminRole:
    id = "OAM-ROLE"
    description = "source-account providers assume a dedicated least-privilege role"
    severity = Severity.ERROR

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


FILTERS = {
    "AWS::CloudWatch::Metric": "metric_configuration",
    "AWS::Logs::LogGroup": "log_group_configuration",
}


class LinkSharesEverything:
    id = "OAM-SHARES-ALL"
    description = "OAM links share only the metrics and log groups that are monitored"
    severity = Severity.WARNING

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for link in ctx.hcl.resources("aws_oam_link"):
            types = str(link.body.get("resource_types", "")) + " ".join(
                str(v) for v in ctx.hcl.local_values().values()
            )
            configured = {
                block.kind
                for config in link.nested("link_configuration")
                for block in config.blocks
            }
            missing = [
                block
                for kind, block in FILTERS.items()
                if kind in types and block not in configured
            ]
            if missing:
                yield finding(
                    self,
                    f"{link.address} shares every {' and every '.join(m.split('_configuration')[0].replace('_', ' ') for m in missing)}"
                    " of the source account: add link_configuration { "
                    + " ".join(f"{m} {{ filter = ... }}" for m in missing)
                    + " } limited to what is monitored (e.g. Namespace IN ('AWS/ECS'), "
                    "LogGroupName LIKE '/ecs/%')",
                    link,
                )
