"""F1: backend blocks that make `terraform init` fail or prompt."""

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
