"""The test matrix: answer sets in which every value of every structural answer appears.

| variant            | cluster  | vpc      | egress    | endpoints | backend | accounts | runtime |
|--------------------|----------|----------|-----------|-----------|---------|----------|---------|
| organization       | new      | new      | nat       | (always)  | local   | OUs      | python  |
| defaults           | new      | new      | endpoints | (always)  | local   | none     | python  |
| existing-default   | existing | default  | -         | yes       | s3      | one      | nodejs  |
| existing-existing  | existing | existing | -         | yes       | local   | several  | python  |
| new-existing-nat   | new      | existing | -         | no (NAT)  | s3      | none     | nodejs  |
| new-default-nat    | new      | default  | -         | no (NAT)  | local   | one      | python  |
| all-options        | existing | existing | -         | yes       | s3      | several  | nodejs  |
| many-services      | new      | new      | endpoints | (always)  | local   | none     | python  |
| no-canaries        | new      | new      | none      | (always)  | local   | none     | nodejs  |
| insights-enhanced  | new      | new      | endpoints | (always)  | local   | none     | python  |
| insights-disabled  | new      | default  | -         | yes       | local   | none     | python  |

A new cluster's Container Insights is enabled, except in insights-enhanced and
insights-disabled.

Every wizard path is rendered here and checked by the tests (failure class F8).
"""

from __future__ import annotations

from typing import Any

S3_BACKEND = {"backend": "s3", "state_bucket": "acme-terraform-state", "state_region": "eu-west-1"}

VARIANTS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "existing-default": {
        "cluster_mode": "existing",
        "cluster_name": "shared-prod",
        "vpc_mode": "default",
        "canary_runtime": "nodejs",
        "source_accounts": {"payments": "012345678901"},
        **S3_BACKEND,
    },
    "existing-existing": {
        "environment_suffix": "staging",
        "cluster_mode": "existing",
        "cluster_name": "platform",
        "vpc_mode": "existing",
        "vpc_id": "vpc-0a1b2c3d4e5f67890",
        "subnet_ids": ["subnet-0a1b2c3d", "subnet-4e5f6a7b", "subnet-0123456789abcdef0"],
        "source_accounts": {
            "payments": "012345678901",
            "search": "210987654321",
            "ml": "111122223333",
        },
        "services": ["orders", "payments", "users"],
    },
    "new-existing-nat": {
        "vpc_mode": "existing",
        "vpc_id": "vpc-1a2b3c4d",
        "subnet_ids": ["subnet-1a2b3c4d", "subnet-5e6f7a8b"],
        "create_vpc_endpoints": False,
        "canary_runtime": "nodejs",
        **S3_BACKEND,
    },
    "new-default-nat": {
        "environment_suffix": "prod",
        "aws_region": "eu-west-1",
        "vpc_mode": "default",
        "create_vpc_endpoints": False,
        "source_accounts": {"shared": "999988887777"},
        "services": ["checkout"],
    },
    "all-options": {
        "project_name": "shop",
        "environment_suffix": "qa",
        "aws_region": "ap-southeast-2",
        "cluster_mode": "existing",
        "cluster_name": "shop-qa",
        "vpc_mode": "existing",
        "vpc_id": "vpc-0a1b2c3d4e5f67890",
        "subnet_ids": ["subnet-0a1b2c3d", "subnet-4e5f6a7b"],
        "services": ["cart", "Catalog", "search_api", "checkout-v2"],
        "service_log_groups": {"cart": "/ecs/shop/cart", "Catalog": "/aws/ecs/catalog"},
        "service_load_balancers": {
            "cart": "app/shop-qa/0123456789abcdef targetgroup/cart/0123456789abcdef"
        },
        "service_endpoint_pattern": "https://{service}.shop.internal",
        "canary_runtime": "nodejs",
        "source_accounts": {"prod_eu": "012345678901", "prod_us": "123456789013"},
        "source_account_role": "ObservabilityLinker",
        "alarm_email": "oncall@example.com",
        "additional_tags": {"Team": "platform", "CostCenter": "1234", "owner:email": "a@b.io"},
        **S3_BACKEND,
    },
    "many-services": {"services": [f"svc-{i:03d}" for i in range(45)]},
    "no-canaries": {
        "service_endpoint_pattern": "",
        "canary_runtime": "nodejs",
        "new_vpc_egress": "none",
    },
    "insights-enhanced": {"container_insights": "enhanced"},
    "insights-disabled": {
        "container_insights": "disabled",
        "vpc_mode": "default",
        "services": ["orders", "payments", "users"],
    },
    "organization": {
        "environment_suffix": "prod",
        "cross_account_mode": "organization",
        "organization_id": "o-a1b2c3d4e5",
        "organizational_units": ["ou-ab12-cdef3456", "ou-ab12-7890abcd"],
        "oam_metric_namespaces": ["AWS/ECS", "ECS/ContainerInsights", "MyApp/Orders"],
        "new_vpc_egress": "nat",
    },
}


def services_of(answers: dict[str, Any]) -> list[str]:
    return list(answers.get("services", ["orders", "payments"]))
