"""F1 (empty backend), F2 (unguarded lookups), F5 (ambiguous VPC lookups)."""

from __future__ import annotations

from generator.check.findings import Severity


def test_empty_backend_is_reported_at_the_backend_line(module, run):
    ctx = module(
        {"backend.tf": 'terraform {\n  required_version = ">= 1.9"\n  backend "s3" {}\n}\n'}
    )
    (found,) = run("F1", ctx)
    assert (found.rule, found.severity, found.file, found.line) == (
        "F1",
        Severity.ERROR,
        "backend.tf",
        3,
    )
    assert 'backend "s3" has no arguments' in found.message


def test_empty_backend_of_any_type(module, run):
    assert len(run("F1", module({"b.tf": 'terraform {\n  backend "local" {}\n}\n'}))) == 1


def test_s3_backend_without_key_is_reported(module, run):
    ctx = module(
        {
            "b.tf": 'terraform {\n  backend "s3" {\n    bucket = "b"\n    region = "us-east-1"\n  }\n}\n'
        }
    )
    (found,) = run("F1", ctx)
    assert "lacks key" in found.message


def test_complete_backends_pass(module, run):
    ctx = module(
        {
            "b.tf": """
            terraform {
              backend "s3" {
                bucket       = "state"
                key          = "obs/terraform.tfstate"
                region       = "us-east-1"
                use_lockfile = true
              }
            }
            """,
            "c.tf": 'terraform {\n  required_version = ">= 1.9"\n}\n',
        }
    )
    assert run("F1", ctx) == []


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
