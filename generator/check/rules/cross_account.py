"""Cross-account observability (docs/aws-facts.md, "Cross-account").

OAM-ROLE: a provider that assumes OrganizationAccountAccessRole in a source account. That role
    trusts only the organization's management account, so from a member monitoring account
    every plan fails while configuring the providers; and it is full admin, for one CreateLink.
OAM-SHARES-ALL: an OAM link sharing metrics or log groups without a link_configuration
    filter: every namespace and every log group of the source account is shared.
OAM-SINK-OPEN: a sink policy that lets any account link (Principal "*" and no condition on
    the caller's account or organization).
OAM-LINK-TYPES: a link (or a StackSet's AWS::Oam::Link) sharing a resource type the sink
    policy's oam:ResourceTypes condition does not allow: CreateLink is refused.
OAM-STACKSET-MODEL: a SELF_MANAGED StackSet deploying to an organization (OU targets, or OAM
    links for a sink that admits an organization): no auto-deployment, roles needed everywhere.
OAM-SINKS: more than one sink per provider and Region: an account has one sink per Region.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from generator.check.findings import Finding, Severity
from generator.check.hcl import Block
from generator.check.rules.base import (
    RuleContext,
    block_of,
    finding,
    json_value,
    plan_instances,
    plan_resources,
)

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


# Sink policies and what they admit (docs/aws-facts.md, "Cross-account"). These rules read the
# plan: a policy built by aws_iam_policy_document is only JSON there. Without a plan they are silent.

# Condition keys that tie a caller to accounts or an organization (IAM global condition keys).
_PRINCIPAL_KEYS = {
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourceaccount",
}
_ORGANIZATION_KEYS = {"aws:principalorgid", "aws:principalorgpaths"}


def _statements(document: Any) -> list[dict[str, Any]]:
    found = document.get("Statement", []) if isinstance(document, dict) else []
    found = [found] if isinstance(found, dict) else found
    return [s for s in found if isinstance(s, dict) and s.get("Effect", "Allow") == "Allow"]


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _condition_keys(statement: Mapping[str, Any]) -> set[str]:
    conditions = statement.get("Condition", {})
    if not isinstance(conditions, dict):
        return set()
    return {key.lower() for test in conditions.values() if isinstance(test, dict) for key in test}


def _anyone(statement: Mapping[str, Any]) -> bool:
    principal = statement.get("Principal")
    if principal == "*":
        return True
    return isinstance(principal, dict) and "*" in _listed(principal.get("AWS"))


def _admits_links(statement: Mapping[str, Any]) -> bool:
    return any(
        action.lower() in {"oam:createlink", "oam:*", "*"}
        for action in _listed(statement.get("Action", []))
        if isinstance(action, str)
    )


def _sink_policies(ctx: RuleContext) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(address, Allow statements) of every planned sink policy whose policy is known."""
    if ctx.plan is None:
        return
    for resource in plan_resources(ctx.plan, "aws_oam_sink_policy"):
        document = json_value(resource.get("values", {}).get("policy"))
        if document is not None:
            yield resource["address"], _statements(document)


class OpenSinkPolicy:
    id = "OAM-SINK-OPEN"
    description = "an OAM sink policy admits only named accounts or an organization"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for address, statements in _sink_policies(ctx):
            for statement in statements:
                if not (_anyone(statement) and _admits_links(statement)):
                    continue
                if _condition_keys(statement) & _PRINCIPAL_KEYS:
                    continue
                yield finding(
                    self,
                    f'{address} lets any AWS account link to the sink (Principal "*" and no'
                    " condition on who): name the source accounts as principals, or add"
                    " aws:PrincipalOrgID (the whole organization) or aws:PrincipalOrgPaths"
                    " (chosen OUs)",
                    block_of(ctx, address),
                    attribute="policy",
                )


def _allowed_types(ctx: RuleContext) -> set[str] | None:
    """The resource types the module's sink policies let a link share; None for any."""
    allowed: set[str] = set()
    policies = list(_sink_policies(ctx))
    if not policies:
        return None
    for _, statements in policies:
        for statement in statements:
            if not _admits_links(statement):
                continue
            values = [
                test[key]
                for test in (statement.get("Condition") or {}).values()
                if isinstance(test, dict)
                for key in test
                if key.lower() == "oam:resourcetypes"
            ]
            if not values:
                return None  # this statement admits every type
            allowed.update(str(v) for value in values for v in _listed(value))
    return allowed


def _template_links(body: Any) -> Iterator[tuple[str, list[Any]]]:
    """(logical id, ResourceTypes) of the AWS::Oam::Link resources of a JSON template."""
    template = json_value(body)
    resources = template.get("Resources", {}) if isinstance(template, dict) else {}
    for logical_id, resource in resources.items():
        if isinstance(resource, dict) and resource.get("Type") == "AWS::Oam::Link":
            types = (resource.get("Properties") or {}).get("ResourceTypes")
            if isinstance(types, list):
                yield logical_id, types


class LinkTypesNotAdmitted:
    id = "OAM-LINK-TYPES"
    description = "OAM links share only resource types the sink policy allows"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        allowed = _allowed_types(ctx)
        if allowed is None or ctx.plan is None:
            return
        shared: list[tuple[str, str, list[Any]]] = [
            (
                r["address"],
                r["address"],
                list(r.get("values", {}).get("resource_types") or []),
            )
            for r in plan_resources(ctx.plan, "aws_oam_link")
        ]
        for stack_set in plan_resources(ctx.plan, "aws_cloudformation_stack_set"):
            for logical_id, types in _template_links(
                stack_set.get("values", {}).get("template_body")
            ):
                where = f"{stack_set['address']} (template resource {logical_id})"
                shared.append((stack_set["address"], where, types))
        for address, where, types in shared:
            refused = sorted(str(t) for t in types if t not in allowed)
            if refused:
                yield finding(
                    self,
                    f"{where} shares {', '.join(refused)}, which the sink policy does not allow"
                    f" (it allows {', '.join(sorted(allowed)) or 'no type'}): CreateLink fails"
                    " with AccessDenied; share only those types, or allow them in the sink policy",
                    block_of(ctx, address),
                )


class SelfManagedOrganizationStackSet:
    id = "OAM-STACKSET-MODEL"
    description = "a StackSet that links an organization's accounts is service-managed"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.plan is None:
            return
        organization_sink = any(
            _condition_keys(statement) & _ORGANIZATION_KEYS
            for _, statements in _sink_policies(ctx)
            for statement in statements
        )
        ou_targets = {
            str(instance.get("values", {}).get("stack_set_name"))
            for instance in plan_resources(ctx.plan, "aws_cloudformation_stack_set_instance")
            for target in instance.get("values", {}).get("deployment_targets") or []
            if target.get("organizational_unit_ids")
        }
        for stack_set in plan_resources(ctx.plan, "aws_cloudformation_stack_set"):
            values = stack_set.get("values", {})
            if (values.get("permission_model") or "SELF_MANAGED") != "SELF_MANAGED":
                continue
            links = any(_template_links(values.get("template_body")))
            if values.get("name") not in ou_targets and not (links and organization_sink):
                continue
            block = block_of(ctx, stack_set["address"])
            yield finding(
                self,
                f"{stack_set['address']} deploys to an organization with permission_model"
                " SELF_MANAGED: that needs an execution role in every account, cannot target"
                " OUs and never reaches accounts added later; use permission_model ="
                ' "SERVICE_MANAGED" with auto_deployment { enabled = true }',
                block,
                attribute=(
                    "permission_model"
                    if block is not None and "permission_model" in block.body
                    else None
                ),
            )


def _instances(ctx: RuleContext, block: Block) -> list[str]:
    """The instance addresses of a resource block: from the plan, else the block when it is one."""
    if ctx.plan is not None:
        return [str(r.get("address")) for r in plan_instances(ctx.plan, block.address)]
    return [] if {"count", "for_each"} & set(block.body) else [block.address]


class SinksPerRegion:
    id = "OAM-SINKS"
    description = "one OAM sink per account and Region"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        first: dict[tuple[str, str], str] = {}
        for block in ctx.hcl.resources("aws_oam_sink"):
            # Same provider configuration and Region: the same account and Region.
            key = (
                str(block.body.get("provider", "aws")).strip("${}"),
                str(block.body.get("region", "")),
            )
            for instance in _instances(ctx, block):
                if key not in first:
                    first[key] = instance
                    continue
                yield finding(
                    self,
                    f"{instance} is a second OAM sink for provider {key[0]}"
                    f"{' in ' + key[1] if key[1] else ''} (the first: {first[key]}): an account"
                    " has one sink per Region, and CreateSink refuses another; link every"
                    " source account to the one sink",
                    block,
                )
