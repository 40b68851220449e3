"""Look up the account's ECS clusters, services (their log groups and load balancers), VPCs,
subnets and VPC endpoints, to offer them as choices (and defaults) in the wizard.

Optional by design: the wizard works the same without AWS. Every call has short timeouts and
a single attempt, so a machine without credentials or network costs the user a few seconds
at most, and any failure becomes a `DiscoveryOff` naming the reason in one line, never a
traceback. After the first failure nothing more is asked of AWS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = ["CANARY_ENDPOINT_SERVICES", "Discovery", "DiscoveryOff", "HealthCheck", "Subnet", "Vpc"]

# At most this many items of each kind: a choice list longer than this is not a help.
MAX_ITEMS = 200
# The endpoints canaries in a VPC need (docs/aws-facts.md, "VPC endpoints"), by the last part
# of their service name (com.amazonaws.<region>.<service>).
CANARY_ENDPOINT_SERVICES = ("s3", "monitoring")

T = TypeVar("T")


@dataclass(frozen=True)
class DiscoveryOff:
    """Discovery is not available; `reason` is one line for the user."""

    reason: str


@dataclass(frozen=True)
class Vpc:
    id: str
    name: str
    cidr: str
    is_default: bool

    def label(self) -> str:
        parts = [self.id, self.cidr] + ([self.name] if self.name else [])
        return " ".join(parts) + (" (default VPC)" if self.is_default else "")


@dataclass(frozen=True)
class Subnet:
    id: str
    availability_zone: str
    cidr: str
    name: str

    def label(self) -> str:
        parts = [self.id, self.availability_zone, self.cidr] + ([self.name] if self.name else [])
        return " ".join(parts)


@dataclass(frozen=True)
class HealthCheck:
    """A target group's HTTP(S) health check: the path the load balancer asks for, and the
    status codes it accepts (its matcher: "200", "200,204" or "200-299")."""

    path: str
    matcher: str


def _name_tag(resource: dict[str, Any]) -> str:
    return next((t["Value"] for t in resource.get("Tags", []) if t.get("Key") == "Name"), "")


class Discovery:
    """Look-ups in one region with the default credential chain (env, profile, SSO, IMDS...)."""

    def __init__(self, region: str) -> None:
        self.region = region
        self.off: DiscoveryOff | None = None
        self._clients: dict[str, Any] = {}

    def _client(self, service: str) -> Any:
        if service not in self._clients:
            import boto3
            from botocore.config import Config

            config = Config(
                region_name=self.region,
                connect_timeout=2,
                read_timeout=3,
                # One attempt: discovery is a convenience, a retry only makes the user wait.
                retries={"total_max_attempts": 1, "mode": "standard"},
            )
            self._clients[service] = boto3.session.Session().client(service, config=config)
        return self._clients[service]

    def _pages(self, service: str, operation: str, **arguments: Any) -> Any:
        """The pages of a listing call, at most MAX_ITEMS items in all."""
        paginator = self._client(service).get_paginator(operation)
        return paginator.paginate(**arguments, PaginationConfig={"MaxItems": MAX_ITEMS})

    def _call(self, lookup: Callable[[], T]) -> T | DiscoveryOff:
        if self.off is None:
            try:
                return lookup()
            except Exception as error:  # noqa: BLE001 - any failure turns discovery off
                self.off = DiscoveryOff(_reason(error))
        return self.off

    def clusters(self) -> list[str] | DiscoveryOff:
        """Names of the region's ECS clusters, sorted."""

        def lookup() -> list[str]:
            pages = self._pages("ecs", "list_clusters")
            return sorted(arn.rsplit("/", 1)[-1] for page in pages for arn in page["clusterArns"])

        return self._call(lookup)

    def services(self, cluster: str) -> list[str] | DiscoveryOff:
        """Names of the cluster's ECS services, sorted."""

        def lookup() -> list[str]:
            pages = self._pages("ecs", "list_services", cluster=cluster)
            return sorted(arn.rsplit("/", 1)[-1] for page in pages for arn in page["serviceArns"])

        return self._call(lookup)

    def log_groups(self, cluster: str, services: list[str]) -> dict[str, str] | DiscoveryOff:
        """Each service's log group: the awslogs-group of its task definition's first container
        that logs with awslogs. Services without one are left out."""

        def lookup() -> dict[str, str]:
            ecs = self._client("ecs")
            found: dict[str, str] = {}
            for service in self._described_services(cluster, services):
                task = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])[
                    "taskDefinition"
                ]
                groups = [
                    c["logConfiguration"]["options"]["awslogs-group"]
                    for c in task.get("containerDefinitions", [])
                    if c.get("logConfiguration", {}).get("logDriver") == "awslogs"
                    and "awslogs-group" in c["logConfiguration"].get("options", {})
                ]
                if groups:
                    found[service["serviceName"]] = groups[0]
            return found

        return self._call(lookup)

    def load_balancers(
        self, cluster: str, services: list[str]
    ) -> dict[str, dict[str, str]] | DiscoveryOff:
        """Each service's Application Load Balancer, as CloudWatch names it: the ends of the
        ARNs of its load balancer (app/<name>/<id>) and of the first target group in the
        service's `loadBalancers` that an ALB routes to. Services behind none are left out."""

        def lookup() -> dict[str, dict[str, str]]:
            elb = self._client("elbv2")
            found: dict[str, dict[str, str]] = {}
            for service in self._described_services(cluster, services):
                for attached in service.get("loadBalancers", []):
                    arn = attached.get("targetGroupArn")
                    if not arn:  # a Classic Load Balancer: no target group
                        continue
                    (group,) = elb.describe_target_groups(TargetGroupArns=[arn])["TargetGroups"]
                    balancers = [
                        b.split(":loadbalancer/", 1)[1]
                        for b in group.get("LoadBalancerArns", [])
                        if ":loadbalancer/app/" in b
                    ]
                    if balancers:
                        found[service["serviceName"]] = {
                            "load_balancer": balancers[0],
                            "target_group": arn.rsplit(":", 1)[1],
                        }
                        break
            return found

        return self._call(lookup)

    def _described_services(self, cluster: str, services: list[str]) -> list[dict[str, Any]]:
        """DescribeServices for `services`, ten at a time (its limit)."""
        ecs = self._client("ecs")
        return [
            service
            for start in range(0, len(services), 10)
            for service in ecs.describe_services(
                cluster=cluster, services=services[start : start + 10]
            )["services"]
        ]

    def vpcs(self) -> list[Vpc] | DiscoveryOff:
        """The region's VPCs, the default one first."""

        def lookup() -> list[Vpc]:
            pages = self._pages("ec2", "describe_vpcs")
            vpcs = [
                Vpc(v["VpcId"], _name_tag(v), v.get("CidrBlock", ""), bool(v.get("IsDefault")))
                for page in pages
                for v in page["Vpcs"]
            ]
            return sorted(vpcs, key=lambda v: (not v.is_default, v.name, v.id))

        return self._call(lookup)

    def subnets(self, vpc_id: str) -> list[Subnet] | DiscoveryOff:
        """The subnets of one VPC, by availability zone."""

        def lookup() -> list[Subnet]:
            pages = self._pages(
                "ec2", "describe_subnets", Filters=[{"Name": "vpc-id", "Values": [vpc_id]}]
            )
            subnets = [
                Subnet(
                    s["SubnetId"],
                    s.get("AvailabilityZone", ""),
                    s.get("CidrBlock", ""),
                    _name_tag(s),
                )
                for page in pages
                for s in page["Subnets"]
            ]
            return sorted(subnets, key=lambda s: (s.availability_zone, s.id))

        return self._call(lookup)

    def default_vpc_id(self) -> str | None | DiscoveryOff:
        """The id of the region's default VPC, None when it has none."""
        vpcs = self.vpcs()
        if isinstance(vpcs, DiscoveryOff):
            return vpcs
        return next((v.id for v in vpcs if v.is_default), None)

    def canary_endpoints(self, vpc_id: str) -> list[str] | DiscoveryOff:
        """Which of the canaries' endpoint services (s3, monitoring) the VPC has an endpoint
        for already: creating a second one fails (one route per service in a route table,
        one private DNS name per service in a VPC)."""

        def lookup() -> list[str]:
            pages = self._pages(
                "ec2", "describe_vpc_endpoints", Filters=[{"Name": "vpc-id", "Values": [vpc_id]}]
            )
            services = {
                e.get("ServiceName", "").rsplit(".", 1)[-1]
                for page in pages
                for e in page["VpcEndpoints"]
                if e.get("State", "available").lower() not in ("deleted", "deleting", "failed")
            }
            return [s for s in CANARY_ENDPOINT_SERVICES if s in services]

        return self._call(lookup)

    def health_checks(
        self, cluster: str, services: list[str]
    ) -> dict[str, HealthCheck] | DiscoveryOff:
        """The health check of each service behind a load balancer: that of its first target
        group, if HTTP or HTTPS (a TCP check has no path) and not gRPC (whose matcher holds
        gRPC codes, not HTTP ones). Other services are left out."""

        def lookup() -> dict[str, HealthCheck]:
            ecs, elbv2 = self._client("ecs"), self._client("elbv2")
            group_of: dict[str, str] = {}  # service name -> its first target group's ARN
            for start in range(0, len(services), 10):  # DescribeServices takes 10 at most
                described = ecs.describe_services(
                    cluster=cluster, services=services[start : start + 10]
                )["services"]
                for service in described:
                    arns = [b["targetGroupArn"] for b in service.get("loadBalancers", [])]
                    if arns:
                        group_of[service["serviceName"]] = arns[0]
            arns = sorted(set(group_of.values()))
            checks: dict[str, HealthCheck] = {}
            for start in range(0, len(arns), 20):
                groups = elbv2.describe_target_groups(TargetGroupArns=arns[start : start + 20])
                for group in groups["TargetGroups"]:
                    http = group.get("HealthCheckProtocol") in ("HTTP", "HTTPS")
                    if http and group.get("ProtocolVersion") != "GRPC":
                        checks[group["TargetGroupArn"]] = HealthCheck(
                            group.get("HealthCheckPath", "/"),
                            group.get("Matcher", {}).get("HttpCode", "200"),
                        )
            return {name: checks[arn] for name, arn in group_of.items() if arn in checks}

        return self._call(lookup)


def _reason(error: Exception) -> str:
    """One line saying why AWS could not be asked, in words a user can act on."""
    from botocore import exceptions

    if isinstance(error, exceptions.NoCredentialsError):
        reason = (
            "no AWS credentials found (set AWS_PROFILE, or run `aws configure` or `aws sso login`)"
        )
    elif isinstance(error, exceptions.ClientError):
        details = error.response.get("Error", {})
        reason = (
            f"AWS refused {error.operation_name}: {details.get('Code')}: {details.get('Message')}"
        )
    elif isinstance(error, (exceptions.ConnectTimeoutError, exceptions.ReadTimeoutError)):
        reason = f"AWS did not answer in time ({error})"
    elif isinstance(error, exceptions.EndpointConnectionError):
        reason = f"cannot reach AWS ({error})"
    elif isinstance(error, exceptions.BotoCoreError):
        reason = str(error)
    else:
        reason = f"{type(error).__name__}: {error}"
    line = " ".join(reason.split())
    return line if len(line) <= 200 else line[:197] + "..."
