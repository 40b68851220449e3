"""KMS-ROTATION and LOG-RETENTION: values from the HCL, or from the plan when there is one."""

from __future__ import annotations

from generator.check.findings import Severity


def test_key_rotation(module, run):
    ctx = module(
        {
            "kms.tf": """
            resource "aws_kms_key" "off" {
              description = "no rotation"
            }
            resource "aws_kms_key" "on" {
              enable_key_rotation = true
            }
            resource "aws_kms_key" "signing" {
              customer_master_key_spec = "RSA_2048"
              key_usage                = "SIGN_VERIFY"
            }
            resource "aws_kms_key" "disabled" {
              enable_key_rotation = false
            }
            """
        }
    )
    found = run("KMS-ROTATION", ctx)
    assert [(f.message.split()[0], f.line) for f in found] == [
        ("aws_kms_key.off", 2),
        ("aws_kms_key.disabled", 13),
    ]


def test_key_rotation_from_the_plan(module, run, plan_of):
    hcl = 'resource "aws_kms_key" "k" {\n  enable_key_rotation = var.rotate\n}\n'
    assert run("KMS-ROTATION", module({"kms.tf": hcl})) == []  # unknown without a plan
    plan = plan_of(
        {
            "address": "aws_kms_key.k",
            "values": {"enable_key_rotation": False},
        }
    )
    (found,) = run("KMS-ROTATION", module({"kms.tf": hcl}, plan=plan))
    assert found.line == 2


def test_log_retention(module, run):
    ctx = module(
        {
            "logs.tf": """
            resource "aws_cloudwatch_log_group" "forever" {
              name = "/obs/forever"
            }
            resource "aws_cloudwatch_log_group" "kept" {
              name              = "/obs/kept"
              retention_in_days = 30
            }
            """
        }
    )
    (found,) = run("LOG-RETENTION", ctx)
    assert (found.severity, found.line) == (Severity.WARNING, 2)
