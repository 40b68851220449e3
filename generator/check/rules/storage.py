"""S3: F6 (lifecycle rules without a filter), and buckets without encryption settings or a
public access block. Since provider v4 those are separate resources that point at the bucket;
a bucket counts as covered when such a resource refers to it (or names it literally).
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.findings import Finding, Severity
from generator.check.hcl import Block
from generator.check.rules.base import RuleContext, finding

PUBLIC_ACCESS_FLAGS = (
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
)


def _covers(setting: Block, bucket: Block) -> bool:
    target = setting.body.get("bucket")
    return setting.refers_to(bucket.address) or (
        isinstance(target, str) and target == bucket.body.get("bucket")
    )


class LifecycleRuleFilter:
    id = "F6"
    description = "every S3 lifecycle rule has a filter or a prefix"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for config in ctx.hcl.resources("aws_s3_bucket_lifecycle_configuration"):
            for rule in config.generated("rule"):
                if "filter" not in rule.body and "prefix" not in rule.body:
                    name = rule.body.get("id", "?")
                    yield finding(
                        self,
                        f'{config.address} rule "{name}" has neither filter nor prefix: the '
                        "provider warns now and will refuse it; add filter {} (the whole "
                        'bucket) or filter { prefix = "..." }',
                        rule,
                    )
        for bucket in ctx.hcl.resources("aws_s3_bucket"):
            for rule in bucket.generated("lifecycle_rule"):
                if "prefix" not in rule.body and "tags" not in rule.body:
                    yield finding(
                        self,
                        f"{bucket.address} has an inline lifecycle_rule without a prefix: move "
                        "it to aws_s3_bucket_lifecycle_configuration with a filter",
                        rule,
                    )


class EmptyLifecyclePrefix:
    id = "LIFECYCLE-EMPTY-PREFIX"
    description = 'lifecycle rules for the whole bucket use filter {}, not prefix = ""'
    severity = Severity.WARNING

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for config in ctx.hcl.resources("aws_s3_bucket_lifecycle_configuration"):
            for rule in config.generated("rule"):
                for f in rule.nested("filter"):
                    if f.body.get("prefix") == "":
                        yield finding(
                            self,
                            f'{config.address} rule "{rule.body.get("id", "?")}" filters on '
                            'prefix = "", which provider 5.86 broke: write filter {} for the '
                            "whole bucket",
                            f,
                            attribute="prefix",
                        )


class BucketEncryption:
    id = "S3-ENCRYPTION"
    description = "every bucket has a server-side encryption configuration"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        settings = ctx.hcl.resources("aws_s3_bucket_server_side_encryption_configuration")
        for bucket in ctx.hcl.resources("aws_s3_bucket"):
            if bucket.generated("server_side_encryption_configuration"):
                continue
            if not any(_covers(s, bucket) for s in settings):
                yield finding(
                    self,
                    f"{bucket.address} has no aws_s3_bucket_server_side_encryption_configuration:"
                    " add one (SSE-KMS with the module's key, or AES256)",
                    bucket,
                )


class BucketPublicAccess:
    id = "S3-PUBLIC-ACCESS"
    description = "every bucket has a public access block with all four flags true"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.hcl.resources("aws_s3_account_public_access_block"):
            return  # the account-wide block covers every bucket
        blocks = ctx.hcl.resources("aws_s3_bucket_public_access_block")
        for bucket in ctx.hcl.resources("aws_s3_bucket"):
            covering = [b for b in blocks if _covers(b, bucket)]
            if not covering:
                yield finding(
                    self,
                    f"{bucket.address} has no aws_s3_bucket_public_access_block: add one with "
                    "all four flags true",
                    bucket,
                )
                continue
            for block in covering:
                # The four flags default to false: a block that omits them blocks nothing.
                off = [f for f in PUBLIC_ACCESS_FLAGS if block.body.get(f, False) is False]
                if off:
                    yield finding(
                        self,
                        f"{block.address} leaves {', '.join(off)} false: set all four to true",
                        block,
                    )
