"""VPC endpoints a module adds to a VPC it does not own (docs/aws-facts.md, "VPC endpoints").

VPC-ENDPOINT-ROUTES: a gateway endpoint attached to every route table of the VPC (a
    `data "aws_route_tables"` selected by VPC alone): it moves every workload's traffic onto
    the endpoint, and fails where any of those tables routes the service already.
VPC-ENDPOINT-EXISTING: a gateway endpoint in a VPC the module looks up, with no `check` block
    that looks for an endpoint of the same service: the landing-zone VPC that has one already
    fails at apply ("route ... already exists") with nothing said at plan time.
VPC-ENDPOINT-DNS: an interface endpoint with private DNS in a VPC the module looks
    up, with no `check` block that looks for another endpoint with private DNS: two endpoints
    of one service with private DNS in one VPC fail ("conflicting DNS domain") at apply.
VPC-ENDPOINT-POLICY: an endpoint without a policy: AWS's default admits every principal and
    every action of the service.
TASK-SUBNET-EGRESS: a VPC the module creates, in a module that creates an ECS cluster, with
    neither a route out (NAT gateway, internet gateway) nor an ECR interface endpoint: tasks
    placed in its subnets cannot pull their images (docs/aws-facts.md, "New VPC egress").
AZ-OPT-IN: an availability-zone lookup without the `opt-in-status = opt-in-not-required`
    filter: opted-in Local and Wavelength Zones sort first, and Lambda and interface
    endpoints do not run there (docs/aws-facts.md, "Availability zones").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.check.findings import Finding, Severity
from generator.check.hcl import Block
from generator.check.rules.base import RuleContext, finding

_LOCAL = re.compile(r"(?<![\w.])local\.([\w-]+)")
_DATA_ROUTE_TABLES = re.compile(r"(?<![\w.])data\.aws_route_tables\.([\w-]+)")


def expanded(ctx: RuleContext, value: Any, depth: int = 2) -> str:
    """The text of an expression with the locals it names appended (`depth` levels), so that
    a rule sees what `local.x` stands for."""
    text = value if isinstance(value, str) else repr(value)
    if depth == 0:
        return text
    values = ctx.hcl.local_values()
    named = [values[name] for name in _LOCAL.findall(text) if name in values]
    return " ".join([text, *(expanded(ctx, v, depth - 1) for v in named)])


def _is_gateway(endpoint: Block) -> bool:
    return endpoint.body.get("vpc_endpoint_type") == "Gateway"


def _in_looked_up_vpc(ctx: RuleContext, endpoint: Block) -> bool:
    vpc = expanded(ctx, endpoint.body.get("vpc_id", ""))
    return re.search(r"(?<![\w.])aws_vpc\.", vpc) is None


class EndpointOnEveryRouteTable:
    id = "VPC-ENDPOINT-ROUTES"
    description = "gateway endpoints attach only to the route tables of the subnets that use them"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for endpoint in ctx.hcl.resources("aws_vpc_endpoint"):
            tables = expanded(ctx, endpoint.body.get("route_table_ids", ""))
            for name in _DATA_ROUTE_TABLES.findall(tables):
                lookup = ctx.hcl.find(f"data.aws_route_tables.{name}")
                if lookup is None or _selects_subnets(lookup):
                    continue
                yield finding(
                    self,
                    f"{endpoint.address} is attached to every route table of the VPC "
                    f"({lookup.address}): every workload's traffic moves onto it, and it fails "
                    "where a table routes the service already; attach it to the route tables "
                    "of the subnets that need it (filter association.subnet-id)",
                    endpoint,
                    attribute="route_table_ids",
                )


def _selects_subnets(lookup: Block) -> bool:
    return any(
        f.body.get("name") in ("association.subnet-id", "route-table-id")
        for f in lookup.nested("filter")
    ) or any(key in lookup.body for key in ("tags", "route_table_id"))


class ExistingEndpointUnchecked:
    id = "VPC-ENDPOINT-EXISTING"
    description = "a gateway endpoint in a looked-up VPC is checked against one that exists"
    severity = Severity.WARNING

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        if any(self._looks_for_endpoints(ctx, c) for c in ctx.hcl.of_kind("check")):
            return
        for endpoint in ctx.hcl.resources("aws_vpc_endpoint"):
            if _is_gateway(endpoint) and _in_looked_up_vpc(ctx, endpoint):
                yield finding(
                    self,
                    f"{endpoint.address} adds a gateway endpoint to a VPC this module does not "
                    "create, and no check looks for one that exists: a route table takes one "
                    "route per service, so apply fails there; add a check block that looks for "
                    "route tables routing the service's prefix list (data.aws_route_tables, "
                    "filter route.destination-prefix-list-id) and says to reuse that endpoint",
                    endpoint,
                )

    @staticmethod
    def _looks_for_endpoints(ctx: RuleContext, check: Block) -> bool:
        """The check reads endpoints (data.aws_vpc_endpoint), or route tables by the prefix
        list a gateway endpoint routes to."""
        text = expanded(ctx, check.body) + " ".join(b.text() for b in check.blocks)
        if "aws_vpc_endpoint" in text:
            return True
        for name in _DATA_ROUTE_TABLES.findall(text):
            lookup = ctx.hcl.find(f"data.aws_route_tables.{name}")
            if lookup is not None and any(
                f.body.get("name") == "route.destination-prefix-list-id"
                for f in lookup.nested("filter")
            ):
                return True
        return False


class ExistingPrivateDnsEndpointUnchecked:
    id = "VPC-ENDPOINT-DNS"
    description = (
        "an interface endpoint with private DNS in a looked-up VPC is checked against one "
        "that exists"
    )
    severity = Severity.WARNING

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        if any(self._looks_for_private_dns(ctx, c) for c in ctx.hcl.of_kind("check")):
            return
        for endpoint in ctx.hcl.resources("aws_vpc_endpoint"):
            if (
                endpoint.body.get("vpc_endpoint_type") == "Interface"
                and endpoint.body.get("private_dns_enabled") is True
                and _in_looked_up_vpc(ctx, endpoint)
            ):
                yield finding(
                    self,
                    f"{endpoint.address} turns on private DNS in a VPC this module does not "
                    "create, and no check looks for an endpoint of the service that has it "
                    "already: the second fails at apply (conflicting DNS domain); add a check "
                    "block that reads the VPC's interface endpoints (data.aws_vpc_endpoint) and "
                    "warns, naming the VPC and the service, when another one has "
                    "private_dns_enabled",
                    endpoint,
                    attribute="private_dns_enabled",
                )

    @staticmethod
    def _looks_for_private_dns(ctx: RuleContext, check: Block) -> bool:
        text = expanded(ctx, check.body, depth=3) + " ".join(b.text() for b in check.blocks)
        return "data.aws_vpc_endpoint." in text and "private_dns_enabled" in text


class EndpointWithoutPolicy:
    id = "VPC-ENDPOINT-POLICY"
    description = "VPC endpoints have a policy that admits only what their users need"
    severity = Severity.WARNING

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        policies = ctx.hcl.resources("aws_vpc_endpoint_policy")
        for endpoint in ctx.hcl.resources("aws_vpc_endpoint"):
            if "policy" in endpoint.body or any(p.refers_to(endpoint.address) for p in policies):
                continue
            yield finding(
                self,
                f"{endpoint.address} has no policy: AWS's default admits every principal and "
                "action of the service; set policy to what its users need (e.g. the canary "
                "role's PutMetricData, or its artifact bucket)",
                endpoint,
            )


class TaskSubnetsWithoutEgress:
    id = "TASK-SUBNET-EGRESS"
    description = (
        "a VPC created with an ECS cluster lets tasks reach ECR and CloudWatch Logs "
        "(a NAT or internet route, or interface endpoints)"
    )
    severity = Severity.WARNING

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        if not ctx.hcl.resources("aws_ecs_cluster") or _has_egress(ctx):
            return
        for vpc in ctx.hcl.resources("aws_vpc"):
            yield finding(
                self,
                f"{vpc.address}: ECS tasks placed in its subnets have no way to ECR or "
                "CloudWatch Logs (no NAT gateway, no internet gateway route, no ECR interface "
                "endpoint): they stop with CannotPullContainerError; add interface endpoints "
                "for ecr.api, ecr.dkr and logs (image layers come through an S3 gateway "
                "endpoint), or a route to a NAT gateway",
                vpc,
            )


def _has_egress(ctx: RuleContext) -> bool:
    if ctx.hcl.resources("aws_nat_gateway") or ctx.hcl.resources("aws_internet_gateway"):
        return True
    endpoints = (*ctx.hcl.resources("aws_vpc_endpoint"), *ctx.hcl.data("aws_vpc_endpoint_service"))
    return any("ecr.dkr" in expanded(ctx, e.body) for e in endpoints)


class OptInZones:
    id = "AZ-OPT-IN"
    description = "availability-zone lookups return standard zones only"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for lookup in ctx.hcl.data("aws_availability_zones"):
            standard = any(
                f.body.get("name") == "opt-in-status"
                and f.body.get("values") == ["opt-in-not-required"]
                for f in lookup.nested("filter")
            )
            if standard:
                continue
            yield finding(
                self,
                f"{lookup.address} may return opted-in Local or Wavelength Zones, which sort "
                "first and run neither Lambda nor interface endpoints; add filter { name = "
                '"opt-in-status", values = ["opt-in-not-required"] }',
                lookup,
            )
