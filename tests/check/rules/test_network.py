"""VPC-ENDPOINT-DNS-EXISTING: an interface endpoint with private DNS in a looked-up VPC, and
no check for one that has it already."""

from __future__ import annotations

from generator.check.findings import Severity

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
    (found,) = run("VPC-ENDPOINT-DNS-EXISTING", module({"network.tf": PRIVATE_DNS_TF}))
    assert (found.rule, found.file, found.line, found.severity) == (
        "VPC-ENDPOINT-DNS-EXISTING",
        "network.tf",
        10,
        Severity.WARNING,
    )
    assert "conflicting DNS domain" in found.message
    assert "private_dns_enabled" in found.message


def test_a_check_that_reads_the_vpcs_endpoints_silences_it(module, run):
    ctx = module({"network.tf": PRIVATE_DNS_TF + CHECKED_TF})
    assert run("VPC-ENDPOINT-DNS-EXISTING", ctx) == []


def test_a_check_for_something_else_does_not_silence_it(module, run):
    unrelated = CHECKED_TF.replace("&& e.private_dns_enabled", "")
    ctx = module({"network.tf": PRIVATE_DNS_TF + unrelated})
    assert [f.rule for f in run("VPC-ENDPOINT-DNS-EXISTING", ctx)] == ["VPC-ENDPOINT-DNS-EXISTING"]


def test_the_modules_own_vpc_needs_no_check(module, run):
    own = PRIVATE_DNS_TF.replace(
        'data "aws_vpc" "this" {\n  id = var.vpc_id\n}',
        'resource "aws_vpc" "this" {\n  cidr_block = "10.0.0.0/16"\n}',
    ).replace("data.aws_vpc.this.id", "aws_vpc.this.id")
    assert run("VPC-ENDPOINT-DNS-EXISTING", module({"network.tf": own})) == []


def test_an_endpoint_without_private_dns_needs_no_check(module, run):
    no_dns = PRIVATE_DNS_TF.replace("private_dns_enabled = true", "private_dns_enabled = false")
    assert run("VPC-ENDPOINT-DNS-EXISTING", module({"network.tf": no_dns})) == []
