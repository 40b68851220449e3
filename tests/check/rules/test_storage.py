"""F6 (lifecycle rules without filter), LIFECYCLE-EMPTY-PREFIX, S3 encryption and public
access."""

from __future__ import annotations

from generator.check.findings import Severity

BUCKET_TF = """
resource "aws_s3_bucket" "artifacts" {
  bucket = "obs-artifacts-dev"
}
"""

SETTINGS_TF = """
resource "aws_s3_bucket_server_side_encryption_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  bucket                  = aws_s3_bucket.artifacts.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
"""


def test_lifecycle_rule_without_filter(module, run):
    ctx = module(
        {
            "s3.tf": """
            resource "aws_s3_bucket_lifecycle_configuration" "artifacts" {
              bucket = aws_s3_bucket.artifacts.id
              rule {
                id     = "expire"
                status = "Enabled"
                expiration {
                  days = 30
                }
              }
              rule {
                id     = "filtered"
                status = "Enabled"
                filter {
                  prefix = "canary/"
                }
                expiration {
                  days = 30
                }
              }
              rule {
                id     = "all"
                status = "Enabled"
                filter {}
                expiration {
                  days = 30
                }
              }
            }
            """
        }
    )
    (found,) = run("F6", ctx)
    assert (found.rule, found.file, found.line) == ("F6", "s3.tf", 4)
    assert 'rule "expire"' in found.message


def test_dynamic_lifecycle_rule_without_filter(module, run):
    ctx = module(
        {
            "s3.tf": """
            resource "aws_s3_bucket_lifecycle_configuration" "artifacts" {
              bucket = aws_s3_bucket.artifacts.id
              dynamic "rule" {
                for_each = var.rules
                content {
                  id     = rule.key
                  status = "Enabled"
                }
              }
            }
            """
        }
    )
    assert len(run("F6", ctx)) == 1


def test_inline_lifecycle_rule_without_prefix(module, run):
    ctx = module(
        {
            "s3.tf": """
            resource "aws_s3_bucket" "old" {
              bucket = "old"
              lifecycle_rule {
                enabled = true
              }
            }
            """
        }
    )
    (found,) = run("F6", ctx)
    assert found.line == 4


def test_bucket_without_settings(module, run):
    ctx = module({"s3.tf": BUCKET_TF})
    (encryption,) = run("S3-ENCRYPTION", ctx)
    (public,) = run("S3-PUBLIC-ACCESS", ctx)
    assert (encryption.file, encryption.line) == ("s3.tf", 2)
    assert (public.file, public.line) == ("s3.tf", 2)


def test_bucket_with_settings_passes(module, run):
    ctx = module({"s3.tf": BUCKET_TF, "s3_settings.tf": SETTINGS_TF})
    assert run("S3-ENCRYPTION", ctx) == []
    assert run("S3-PUBLIC-ACCESS", ctx) == []


def test_public_access_block_with_flags_left_false(module, run):
    partial = SETTINGS_TF.replace("  ignore_public_acls      = true\n", "")
    (found,) = run("S3-PUBLIC-ACCESS", module({"s3.tf": BUCKET_TF, "s3_settings.tf": partial}))
    assert "ignore_public_acls" in found.message


def test_settings_of_another_bucket_do_not_count(module, run):
    other = SETTINGS_TF.replace("aws_s3_bucket.artifacts.id", "aws_s3_bucket.artifacts2.id")
    ctx = module({"s3.tf": BUCKET_TF, "s3_settings.tf": other})
    assert len(run("S3-ENCRYPTION", ctx)) == 1


def test_an_empty_prefix_filter_is_reported(module, run):
    # alike on purpose: each test writes out the module it checks, the HCL is the case
    ctx = module(
        {
            "s3.tf": """
            resource "aws_s3_bucket_lifecycle_configuration" "artifacts" {
              bucket = aws_s3_bucket.artifacts.id
              rule {
                id     = "abort"
                status = "Enabled"
                filter {
                  prefix = ""
                }
              }
              rule {
                id     = "all"
                status = "Enabled"
                filter {}
              }
            }
            """
        }
    )
    (found,) = run("LIFECYCLE-EMPTY-PREFIX", ctx)
    assert (found.file, found.line, found.severity) == ("s3.tf", 8, Severity.WARNING)
    assert 'rule "abort"' in found.message and "filter {}" in found.message
