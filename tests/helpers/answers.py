"""Answers copier.yml's validators refuse: the table both the copier and the wizard tests use;
and the answers a project recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.questions import ANSWERS_FILE


def recorded_answers(project: Path) -> dict[str, Any]:
    """The answers (and template source and version) copier recorded in `project`."""
    answers: dict[str, Any] = yaml.safe_load((project / ANSWERS_FILE).read_text(encoding="utf-8"))
    return answers


EXISTING_VPC = {"vpc_mode": "existing", "vpc_id": "vpc-0a1b2c3d", "subnet_ids": ["subnet-0a1b2c3d"]}
S3 = {"backend": "s3", "state_bucket": "my-state"}
ORGANIZATION = {
    "cross_account_mode": "organization",
    "organization_id": "o-a1b2c3d4e5",
    "organizational_units": ["ou-ab12-cdef3456"],
}

# (answers, the answer named in the error, a fragment of the rule's message)
REJECTED: list[tuple[dict[str, Any], str, str]] = [
    ({"project_name": "Bad_Name"}, "project_name", "lowercase slug"),
    ({"project_name": "trailing-"}, "project_name", "lowercase slug"),
    ({"project_name": "a" * 29}, "project_name", "at most 28"),
    ({"environment_suffix": "Prod"}, "environment_suffix", "lowercase slug"),
    ({"environment_suffix": "x" * 17}, "environment_suffix", "63-character limit"),
    ({"aws_region": "useast1"}, "aws_region", "region code"),
    (
        {"project_name": "a" * 23, "environment_suffix": "qa", "aws_region": "ap-southeast-2"},
        "aws_region",
        "63-character limit",
    ),
    ({"cluster_name": "bad name!"}, "cluster_name", "ECS cluster name rule"),
    ({**EXISTING_VPC, "vpc_id": "vpc-123"}, "vpc_id", "8 or 17"),
    ({**EXISTING_VPC, "vpc_id": "vpc-0A1B2C3D"}, "vpc_id", "lowercase hex"),
    (
        {**EXISTING_VPC, "subnet_ids": ["subnet-xyz"]},
        "subnet_ids",
        "'subnet-xyz' is not a subnet id",
    ),
    ({**EXISTING_VPC, "subnet_ids": []}, "subnet_ids", "1 to 16"),
    ({**EXISTING_VPC, "subnet_ids": ["subnet-0a1b2c3d"] * 2}, "subnet_ids", "must not repeat"),
    ({**EXISTING_VPC, "subnet_ids": "subnet-0a1b2c3d"}, "subnet_ids", "must be a list"),
    ({"services": []}, "services", "at least one"),
    ({"services": ["orders", "Orders"]}, "services", "must not repeat"),
    ({"services": ["bad name"]}, "services", "'bad name' is not an ECS service name"),
    ({"services": ["s" * 230]}, "services", "255-character limit"),
    ({"services": {"orders": 1}}, "services", "must be a list"),
    (
        {
            "cluster_mode": "existing",
            "services": ["orders"],
            "service_health_checks": {"orders": "/"},
        },
        "service_health_checks",
        "health check of 'orders' must be a path starting with '/'",
    ),
    (
        {
            "cluster_mode": "existing",
            "services": ["orders"],
            "service_health_checks": {"orders": "/healthz 299-200"},
        },
        "service_health_checks",
        "status range 299-200 of 'orders' must go from low to high",
    ),
    (
        {
            "cluster_mode": "existing",
            "services": ["orders"],
            "service_health_checks": {"cart": "/ 200"},
        },
        "service_health_checks",
        "'cart' is not one of the services (orders)",
    ),
    ({"service_endpoint_pattern": "ftp://{service}"}, "service_endpoint_pattern", "http://"),
    ({"service_endpoint_pattern": "http://orders:8080"}, "service_endpoint_pattern", "{service}"),
    ({**S3, "state_bucket": "My_Bucket"}, "state_bucket", "valid S3 bucket name"),
    ({**S3, "state_bucket": "ab"}, "state_bucket", "3-63"),
    ({**S3, "state_bucket": "a..b"}, "state_bucket", "no '..'"),
    ({**S3, "state_bucket": "192.168.1.1"}, "state_bucket", "IP address"),
    ({**S3, "state_bucket": "xn--bucket"}, "state_bucket", "reserved"),
    ({**S3, "state_key": "/leading/slash"}, "state_key", "neither starts nor ends"),
    ({**S3, "state_region": "eu-west"}, "state_region", "region code"),
    ({"source_accounts": {"prod": "12345"}}, "source_accounts", "exactly 12 digits"),
    ({"source_accounts": {"prod": 123456789012}}, "source_accounts", "quoted string of 12 digits"),
    (
        {"source_accounts": {"a": "111122223333", "b": "111122223333"}},
        "source_accounts",
        "same account id twice",
    ),
    ({"source_accounts": {"Bad-Label": "111122223333"}}, "source_accounts", "provider alias"),
    ({"source_accounts": ["111122223333"]}, "source_accounts", "map of label"),
    (
        {"source_accounts": {"a": "111122223333"}, "source_account_role": "bad role"},
        "source_account_role",
        "IAM role name",
    ),
    (
        {
            "source_accounts": {"a": "111122223333"},
            "source_account_role": "OrganizationAccountAccessRole",
        },
        "source_account_role",
        "trusts only the organization's management account",
    ),
    ({"cross_account_mode": "accounts"}, "source_accounts", "at least one account"),
    ({**ORGANIZATION, "organization_id": "o-abc"}, "organization_id", "10-32 lowercase"),
    ({**ORGANIZATION, "organization_id": "O-A1B2C3D4E5"}, "organization_id", "organization id"),
    (
        {**ORGANIZATION, "organizational_units": ["ou-ab12"]},
        "organizational_units",
        "'ou-ab12' is not an OU id",
    ),
    (
        {**ORGANIZATION, "organizational_units": ["r-ab12", "ou-ab12-cdef3456"]},
        "organizational_units",
        "the root alone or OUs, not both",
    ),
    ({**ORGANIZATION, "organizational_units": []}, "organizational_units", "at least one OU"),
    (
        {**ORGANIZATION, "organizational_units": "ou-ab12-cdef3456"},
        "organizational_units",
        "must be a list",
    ),
    (
        {"source_accounts": {"a": "111122223333"}, "oam_metric_namespaces": ["AWS/'ECS"]},
        "oam_metric_namespaces",
        "not a metric namespace",
    ),
    (
        {**ORGANIZATION, "oam_log_group_patterns": []},
        "oam_log_group_patterns",
        "at least one log group pattern",
    ),
    ({"alarm_email": "not-an-email"}, "alarm_email", "e-mail address"),
    ({"warning_email": "team@"}, "warning_email", "e-mail address"),
    (
        {"additional_tags": {"Environment": "production"}},
        "additional_tags",
        "comes from environment_suffix",
    ),
    (
        {"additional_tags": {"environment": "prod"}},
        "additional_tags",
        "comes from environment_suffix",
    ),
    ({"additional_tags": {"aws:owner": "x"}}, "additional_tags", "not start with 'aws:'"),
    ({"additional_tags": {"Team": 'quote"d'}}, "additional_tags", "tag value for 'Team'"),
    ({"additional_tags": {"Team": 5}}, "additional_tags", "quoted string"),
    ({"additional_tags": ["Team"]}, "additional_tags", "map of tag key"),
]
