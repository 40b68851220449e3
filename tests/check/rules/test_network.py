"""VPC-ENDPOINT-ROUTES, VPC-ENDPOINT-EXISTING, VPC-ENDPOINT-DNS and VPC-ENDPOINT-POLICY."""

from __future__ import annotations

from generator.check.findings import Severity

EVERY_TABLE_TF = """
data "aws_vpc" "this" {
  id = var.vpc_id
}

data "aws_route_tables" "this" {
  vpc_id = data.aws_vpc.this.id
}

locals {
  route_table_ids = data.aws_route_tables.this.ids
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = data.aws_vpc.this.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = local.route_table_ids
}
"""


def test_an_endpoint_on_every_route_table_is_reported(module, run):
    (found,) = run("VPC-ENDPOINT-ROUTES", module({"network.tf": EVERY_TABLE_TF}))
    assert (found.file, found.line) == ("network.tf", 18)
    assert "association.subnet-id" in found.message


def test_an_endpoint_on_the_subnets_route_tables_is_silent(module, run):
    tf = EVERY_TABLE_TF.replace(
        "  vpc_id = data.aws_vpc.this.id\n}",
        '  vpc_id = data.aws_vpc.this.id\n  filter {\n    name   = "association.subnet-id"\n'
        "    values = var.subnet_ids\n  }\n}",
        1,
    )
    assert run("VPC-ENDPOINT-ROUTES", module({"network.tf": tf})) == []


def test_a_gateway_endpoint_in_a_looked_up_vpc_without_a_check(module, run):
    (found,) = run("VPC-ENDPOINT-EXISTING", module({"network.tf": EVERY_TABLE_TF}))
    assert (found.file, found.line, found.severity) == (
        "network.tf",
        14,
        Severity.WARNING,
    )
    checked = (
        EVERY_TABLE_TF
        + """
data "aws_vpc_endpoint" "routed" {
  for_each = toset([])
  id       = each.value
}

check "no_other_s3_endpoint" {
  assert {
    condition     = alltrue([for e in data.aws_vpc_endpoint.routed : e.tags["Name"] == "mine"])
    error_message = "Another S3 endpoint routes these subnets: set create_vpc_endpoints = false."
  }
}
"""
    )
    assert run("VPC-ENDPOINT-EXISTING", module({"network.tf": checked})) == []


def test_a_gateway_endpoint_in_the_modules_own_vpc_needs_no_check(module, run):
    tf = """
    resource "aws_vpc" "this" {
      cidr_block = "10.0.0.0/16"
    }

    locals {
      vpc_id = aws_vpc.this.id
    }

    resource "aws_vpc_endpoint" "s3" {
      vpc_id            = local.vpc_id
      service_name      = "com.amazonaws.us-east-1.s3"
      vpc_endpoint_type = "Gateway"
      policy            = "{}"
    }
    """
    ctx = module({"network.tf": tf})
    assert run("VPC-ENDPOINT-EXISTING", ctx) == []
    assert run("VPC-ENDPOINT-POLICY", ctx) == []


def test_an_endpoint_without_a_policy_is_reported(module, run):
    found = run("VPC-ENDPOINT-POLICY", module({"network.tf": EVERY_TABLE_TF}))
    assert [(f.file, f.line, f.severity) for f in found] == [("network.tf", 14, Severity.WARNING)]
    assert "every principal" in found[0].message


def test_zones_without_the_opt_in_filter_are_reported(module, run):
    ctx = module(
        {
            "zones.tf": """
            data "aws_availability_zones" "any" {
              state = "available"
            }

            data "aws_availability_zones" "standard" {
              state = "available"
              filter {
                name   = "opt-in-status"
                values = ["opt-in-not-required"]
              }
            }
            """
        }
    )
    (found,) = run("AZ-OPT-IN", ctx)
    assert (found.rule, found.file, found.line) == ("AZ-OPT-IN", "zones.tf", 2)
    assert "opt-in-not-required" in found.message


PRIVATE_DNS_TF = """
data "aws_vpc" "this" {
  id = var.vpc_id
}

resource "aws_vpc_endpoint" "monitoring" {
  vpc_id              = data.aws_vpc.this.id
  service_name        = "com.amazonaws.us-east-1.monitoring"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  policy              = "{}"
}
"""

CHECKED_TF = """
data "aws_vpc_endpoint" "interface" {
  for_each = toset(var.endpoint_ids)
  id       = each.value
}

locals {
  others = [
    for e in data.aws_vpc_endpoint.interface : e.id
    if e.service_name == "com.amazonaws.us-east-1.monitoring" && e.private_dns_enabled
  ]
}

check "no_other_monitoring_endpoint" {
  assert {
    condition     = length(local.others) == 0
    error_message = "VPC ${data.aws_vpc.this.id} has a monitoring endpoint with private DNS."
  }
}
"""


def test_private_dns_in_a_looked_up_vpc_without_a_check_is_reported(module, run):
    (found,) = run("VPC-ENDPOINT-DNS", module({"network.tf": PRIVATE_DNS_TF}))
    assert (found.rule, found.file, found.line, found.severity) == (
        "VPC-ENDPOINT-DNS",
        "network.tf",
        10,
        Severity.WARNING,
    )
    assert "conflicting DNS domain" in found.message
    assert "private_dns_enabled" in found.message


def test_a_check_that_reads_the_vpcs_endpoints_silences_it(module, run):
    ctx = module({"network.tf": PRIVATE_DNS_TF + CHECKED_TF})
    assert run("VPC-ENDPOINT-DNS", ctx) == []


def test_a_check_for_something_else_does_not_silence_it(module, run):
    unrelated = CHECKED_TF.replace("&& e.private_dns_enabled", "")
    ctx = module({"network.tf": PRIVATE_DNS_TF + unrelated})
    assert [f.rule for f in run("VPC-ENDPOINT-DNS", ctx)] == ["VPC-ENDPOINT-DNS"]


def test_the_modules_own_vpc_needs_no_check(module, run):
    own = PRIVATE_DNS_TF.replace(
        'data "aws_vpc" "this" {\n  id = var.vpc_id\n}',
        'resource "aws_vpc" "this" {\n  cidr_block = "10.0.0.0/16"\n}',
    ).replace("data.aws_vpc.this.id", "aws_vpc.this.id")
    assert run("VPC-ENDPOINT-DNS", module({"network.tf": own})) == []


def test_an_endpoint_without_private_dns_needs_no_check(module, run):
    no_dns = PRIVATE_DNS_TF.replace("private_dns_enabled = true", "private_dns_enabled = false")
    assert run("VPC-ENDPOINT-DNS", module({"network.tf": no_dns})) == []


NEW_VPC_TF = """
resource "aws_ecs_cluster" "this" {
  name = "platform"
}

resource "aws_vpc" "this" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.this.id
  cidr_block = "10.0.1.0/24"
}
"""


def test_a_new_vpc_with_no_way_to_ecr_is_reported(module, run):
    (found,) = run("TASK-SUBNET-EGRESS", module({"network.tf": NEW_VPC_TF}))
    assert (found.file, found.line, found.severity) == ("network.tf", 6, Severity.WARNING)
    assert "CannotPullContainerError" in found.message and "ecr.dkr" in found.message


def test_ecr_endpoints_or_a_nat_gateway_are_egress(module, run):
    endpoints = (
        NEW_VPC_TF
        + """
data "aws_vpc_endpoint_service" "tasks" {
  for_each = toset(["ecr.api", "ecr.dkr", "logs"])
  service  = each.key
}
"""
    )
    nat = (
        NEW_VPC_TF
        + """
resource "aws_nat_gateway" "this" {
  subnet_id = aws_subnet.private.id
}
"""
    )
    for tf in (endpoints, nat):
        assert run("TASK-SUBNET-EGRESS", module({"network.tf": tf})) == []


def test_a_vpc_without_a_cluster_is_silent(module, run):
    tf = NEW_VPC_TF.replace('resource "aws_ecs_cluster"', 'data "aws_ecs_cluster"')
    assert run("TASK-SUBNET-EGRESS", module({"network.tf": tf})) == []
