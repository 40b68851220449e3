"""The rules of `cw-scaffold check`: a Rule protocol and a plain registry, id → rule.

Each rule reads a RuleContext (the module's HCL model, and the plan JSON when Terraform ran)
and yields immutable Findings. Add a rule by writing a class with `id`, `description` and
`run`, and listing an instance in RULES.
"""

from __future__ import annotations

from generator.check.findings import Finding
from generator.check.rules.alarms import (
    HeartbeatBeforeFirstRun,
    PageBeforeDeploy,
    ServiceUnverified,
)
from generator.check.rules.backend import EmptyBackend
from generator.check.rules.base import Rule, RuleContext
from generator.check.rules.canaries import PlaceholderCanary
from generator.check.rules.cross_account import (
    LinkSharesEverything,
    LinkTypesNotAdmitted,
    OpenSinkPolicy,
    OrganizationAdminRole,
    SelfManagedOrganizationStackSet,
    SinksPerRegion,
)
from generator.check.rules.dashboards import DashboardBody
from generator.check.rules.destroy import (
    BucketNotDestroyable,
    IamPropagation,
    NetworkInterfaceDeleteTimeout,
    NetworkInterfacePermissionOrder,
)
from generator.check.rules.events import EncryptedTopicKey
from generator.check.rules.iam import CanaryVpcPermissions, UnknownAction
from generator.check.rules.logs import UnusedLogGroup
from generator.check.rules.lookups import AmbiguousVpcLookup, UnguardedLookup
from generator.check.rules.names import NameLimits
from generator.check.rules.network import (
    EndpointOnEveryRouteTable,
    EndpointWithoutPolicy,
    ExistingEndpointUnchecked,
    ExistingPrivateDnsEndpointUnchecked,
    OptInZones,
    TaskSubnetsWithoutEgress,
)
from generator.check.rules.runtimes import CanaryRuntime
from generator.check.rules.schedules import AlarmPeriod, CanarySchedule
from generator.check.rules.security import KeyRotation, LogRetention
from generator.check.rules.storage import (
    BucketEncryption,
    BucketPublicAccess,
    EmptyLifecyclePrefix,
    LifecycleRuleFilter,
)
from generator.check.rules.tags import HardCodedEnvironment
from generator.check.rules.toggles import UntestedToggle
from generator.check.rules.values import AwsValues

__all__ = ["RULES", "Rule", "RuleContext", "run_rules"]

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        EmptyBackend(),
        UnguardedLookup(),
        DashboardBody(),
        CanaryVpcPermissions(),
        AmbiguousVpcLookup(),
        LifecycleRuleFilter(),
        HardCodedEnvironment(),
        UntestedToggle(),
        PlaceholderCanary(),
        NameLimits(),
        UnknownAction(),
        BucketEncryption(),
        BucketPublicAccess(),
        KeyRotation(),
        LogRetention(),
        AwsValues(),
        EndpointOnEveryRouteTable(),
        ExistingEndpointUnchecked(),
        ExistingPrivateDnsEndpointUnchecked(),
        EndpointWithoutPolicy(),
        OrganizationAdminRole(),
        BucketNotDestroyable(),
        NetworkInterfaceDeleteTimeout(),
        NetworkInterfacePermissionOrder(),
        CanarySchedule(),
        AlarmPeriod(),
        OptInZones(),
        TaskSubnetsWithoutEgress(),
        CanaryRuntime(),
        IamPropagation(),
        PageBeforeDeploy(),
        HeartbeatBeforeFirstRun(),
        ServiceUnverified(),
        EncryptedTopicKey(),
        UnusedLogGroup(),
        LinkSharesEverything(),
        OpenSinkPolicy(),
        LinkTypesNotAdmitted(),
        SelfManagedOrganizationStackSet(),
        SinksPerRegion(),
        EmptyLifecyclePrefix(),
    )
}


def run_rules(ctx: RuleContext, rules: dict[str, Rule] = RULES) -> tuple[Finding, ...]:
    """Every finding of every rule, in registry order."""
    return tuple(f for rule in rules.values() for f in rule.run(ctx))
