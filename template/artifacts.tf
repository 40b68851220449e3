# Screenshots, HAR files, reports and logs of every canary run.
resource "aws_s3_bucket" "artifacts" {
  #checkov:skip=CKV_AWS_18:Access logs of short-lived canary artifacts would need a second bucket and cost more than the artifacts.
  #checkov:skip=CKV_AWS_144:Canary artifacts expire within days; replicating them to a second region protects nothing.
  #checkov:skip=CKV2_AWS_62:Nothing consumes events of artifact uploads; CloudWatch holds the canary results.
  bucket        = local.names.artifacts_bucket
  force_destroy = var.artifacts_force_destroy
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }
    # One data key per bucket instead of per object: far fewer KMS requests.
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    id     = "expire-canary-artifacts"
    status = "Enabled"

    # Every rule needs a filter (or prefix): AWS provider 5.90+ warns without one.
    filter {
      prefix = "canaries/"
    }

    expiration {
      days = var.artifacts_retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 1
    }
  }

  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"

    # The whole bucket: an upload a canary run did not finish is billed until aborted.
    # An empty filter, not prefix = "", which provider 5.86 broke (docs/aws-facts.md, "S3").
    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  # Lifecycle rules on a versioned bucket must come after versioning is set.
  depends_on = [aws_s3_bucket_versioning.artifacts]
}

resource "aws_s3_bucket_policy" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  policy = data.aws_iam_policy_document.artifacts.json

  # A bucket policy set before the public access block can be refused as public.
  depends_on = [aws_s3_bucket_public_access_block.artifacts]
}

data "aws_iam_policy_document" "artifacts" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.artifacts.arn, "${aws_s3_bucket.artifacts.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}
