"""Modules that `terraform destroy` cannot remove (docs/aws-facts.md, "Destroy").

S3-FORCE-DESTROY: a bucket without force_destroy (or from a variable that is false by
    default): destroy fails with BucketNotEmpty once anything wrote to it.
ENI-DELETE-TIMEOUT: the security groups and subnets of a VPC canary or Lambda function without
    a delete timeout of 40 minutes or more: Lambda releases a deleted function's network
    interfaces up to 40 minutes later, and the provider retries DependencyViolation only
    until the delete timeout (hashicorp/terraform-provider-aws#39401).
ENI-PERMISSION-ORDER: a VPC canary that does not depend on its role's policies: destroy can
    remove the ENI permissions first, and Lambda cannot release the interfaces.
IAM-PROPAGATION: a VPC canary that does not wait (time_sleep, or a terraform_data/null_resource
    run after the policy) for its role's policies to propagate: IAM is eventually consistent,
    and the provider retries creation only on "role cannot be assumed by Lambda", so the first
    apply fails now and then (docs/aws-facts.md, "IAM propagation").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.check.findings import Finding, Severity
from generator.check.hcl import Block
from generator.check.rules.base import RuleContext, finding, resolve_variable
from generator.check.rules.network import expanded

VPC_FUNCTIONS = ("aws_synthetics_canary", "aws_lambda_function")
MIN_DELETE_MINUTES = 40
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(h|m|s)")
_UNIT_MINUTES = {"h": 60.0, "m": 1.0, "s": 1 / 60}


def minutes(duration: object) -> float | None:
    """A Go duration such as "45m" or "1h30m" in minutes; None when it is not one."""
    if not isinstance(duration, str) or not re.fullmatch(r"(?:\d+(?:\.\d+)?[hms])+", duration):
        return None
    return sum(float(n) * _UNIT_MINUTES[unit] for n, unit in _DURATION.findall(duration))


def _vpc_functions(ctx: RuleContext) -> Iterator[tuple[Block, Block]]:
    for type_ in VPC_FUNCTIONS:
        for function in ctx.hcl.resources(type_):
            for vpc_config in function.generated("vpc_config"):
                yield function, vpc_config


class BucketNotDestroyable:
    id = "S3-FORCE-DESTROY"
    description = "buckets can be destroyed with their objects, or say why not"
    severity = Severity.WARNING

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for bucket in ctx.hcl.resources("aws_s3_bucket"):
            value = resolve_variable(ctx, bucket.body.get("force_destroy", False))
            if value is True or (isinstance(value, str) and "${" in value):
                continue
            yield finding(
                self,
                f"{bucket.address} has no force_destroy: terraform destroy fails with "
                "BucketNotEmpty once anything wrote to it; set force_destroy = "
                "var.<name>_force_destroy (true for disposable data, false to protect it)",
                bucket,
            )


class NetworkInterfaceDeleteTimeout:
    id = "ENI-DELETE-TIMEOUT"
    description = "a VPC function's security groups and subnets wait out its network interfaces"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        seen: set[str] = set()
        for _, vpc_config in _vpc_functions(ctx):
            text = expanded(ctx, vpc_config.body)
            for type_ in ("aws_security_group", "aws_subnet"):
                for name in re.findall(rf"(?<![\w.]){type_}\.([\w-]+)", text):
                    block = ctx.hcl.find(f"{type_}.{name}")
                    if block is None or block.address in seen:
                        continue
                    seen.add(block.address)
                    delete = [minutes(t.body.get("delete")) for t in block.nested("timeouts")]
                    if any(m is not None and m >= MIN_DELETE_MINUTES for m in delete):
                        continue
                    yield finding(
                        self,
                        f"{block.address} is used by a VPC canary or function but has no delete "
                        f"timeout of {MIN_DELETE_MINUTES} minutes or more: Lambda releases the "
                        "network interfaces up to 40 minutes after the function is deleted, so "
                        'destroy fails with DependencyViolation; add timeouts { delete = "45m" }',
                        block,
                    )


class NetworkInterfacePermissionOrder:
    id = "ENI-PERMISSION-ORDER"
    description = "a VPC canary keeps its role's permissions until it is gone"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for function, _ in _vpc_functions(ctx):
            role = re.search(
                r"aws_iam_role\.([\w-]+)",
                str(function.body.get("role", ""))
                + str(function.body.get("execution_role_arn", "")),
            )
            if role is None:
                continue
            attached = [
                block
                for type_ in ("aws_iam_role_policy", "aws_iam_role_policy_attachment")
                for block in ctx.hcl.resources(type_)
                if block.refers_to(f"aws_iam_role.{role.group(1)}")
            ]
            reached = _dependencies(ctx, function)
            for policy in attached:
                if policy.address in reached:
                    continue
                yield finding(
                    self,
                    f"{function.address} does not depend on {policy.address}: destroy may "
                    "remove the role's network-interface permissions before the canary, and "
                    "its interfaces are never released; add it to depends_on",
                    function,
                    attribute="depends_on",
                )


WAITS = ("time_sleep", "terraform_data", "null_resource")


class IamPropagation:
    id = "IAM-PROPAGATION"
    description = "a VPC canary waits for its role's policies to propagate"
    severity = Severity.WARNING

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for function, _ in _vpc_functions(ctx):
            if function.type != "aws_synthetics_canary":
                continue
            reached = _dependencies(ctx, function)
            policies = {a for a in reached if a.startswith("aws_iam_role_policy")}
            waits = [ctx.hcl.find(a) for a in reached if a.split(".")[0] in WAITS]
            if any(w is not None and any(w.refers_to(p) for p in policies) for w in waits):
                continue
            yield finding(
                self,
                f"{function.address} does not wait for its role's policies to propagate: IAM is "
                "eventually consistent and the provider retries only 'role cannot be assumed', "
                "so the first apply fails now and then; depend on a time_sleep (15 s) that "
                "depends on the policies",
                function,
                attribute="depends_on",
            )


def _dependencies(ctx: RuleContext, block: Block, depth: int = 3) -> set[str]:
    """Addresses `block` depends on, through depends_on and references, `depth` hops deep."""
    found: set[str] = set()
    frontier = [block]
    for _ in range(depth):
        next_frontier = []
        for current in frontier:
            text = current.text()
            for other in ctx.hcl.blocks:
                if (
                    other.kind in ("resource", "data")
                    and other.address not in found
                    and (current.refers_to(other.address) or other.address in text)
                ):
                    found.add(other.address)
                    next_frontier.append(other)
        frontier = next_frontier
    return found
