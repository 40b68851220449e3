"""F2 (unguarded lookups) and F5 (ambiguous VPC lookups)."""

from __future__ import annotations

from generator.check.findings import Severity


def test_unguarded_cluster_and_service_lookups(module, run):
    ctx = module(
        {
            "ecs.tf": """
            data "aws_ecs_cluster" "this" {
              cluster_name = var.cluster_name
            }

            data "aws_ecs_service" "api" {
              service_name = "api"
              cluster_arn  = data.aws_ecs_cluster.this.arn
            }
            """
        }
    )
    found = run("F2", ctx)
    assert [(f.line, f.rule) for f in found] == [(2, "F2"), (6, "F2")]
    assert "data.aws_ecs_cluster.this" in found[0].message


def test_guarded_lookups_pass(module, run):
    ctx = module(
        {
            "ecs.tf": """
            data "aws_ecs_cluster" "this" {
              cluster_name = var.cluster_name
              lifecycle {
                postcondition {
                  condition     = self.status == "ACTIVE"
                  error_message = "cluster not found: create it or choose cluster_mode = new"
                }
              }
            }

            data "aws_vpc" "this" {
              id = var.vpc_id
            }

            check "vpc_exists" {
              assert {
                condition     = data.aws_vpc.this.id != ""
                error_message = "VPC not found"
              }
            }

            data "aws_vpc" "default" {
              default = true
            }
            """
        }
    )
    assert run("F2", ctx) == []


def test_check_block_must_name_the_lookup(module, run):
    # alike on purpose: each test writes out the module it checks, the HCL is the case
    ctx = module(
        {
            "vpc.tf": """
            data "aws_vpc" "this" {
              id = var.vpc_id
            }
            data "aws_vpc" "thisone" {
              id = var.other
            }
            check "vpc" {
              assert {
                condition     = data.aws_vpc.thisone.id != ""
                error_message = "x"
              }
            }
            """
        }
    )
    assert [f.message.split()[0] for f in run("F2", ctx)] == ["data.aws_vpc.this"]


def test_wildcard_vpc_filter_is_an_error(module, run):
    ctx = module(
        {
            "vpc.tf": """
            data "aws_vpc" "this" {
              filter {
                name   = "tag:Name"
                values = ["*"]
              }
            }
            """
        }
    )
    (found,) = run("F5", ctx)
    assert (found.severity, found.line) == (Severity.ERROR, 2)
    assert "wildcard" in found.message


def test_vpc_lookup_without_selector_is_an_error(module, run):
    (found,) = run("F5", module({"vpc.tf": 'data "aws_vpc" "this" {}\n'}))
    assert found.severity is Severity.ERROR
    assert "every VPC" in found.message


def test_exact_tag_vpc_lookup_is_a_warning(module, run):
    ctx = module({"vpc.tf": 'data "aws_vpc" "this" {\n  tags = { Name = "main" }\n}\n'})
    (found,) = run("F5", ctx)
    assert found.severity is Severity.WARNING


def test_unambiguous_vpc_lookups_pass(module, run):
    ctx = module(
        {
            "vpc.tf": """
            data "aws_vpc" "by_id" {
              id = var.vpc_id
            }
            data "aws_vpc" "default" {
              default = true
            }
            data "aws_vpc" "by_filter" {
              filter {
                name   = "vpc-id"
                values = [var.vpc_id]
              }
            }
            """
        }
    )
    assert run("F5", ctx) == []
