"""F1: a backend block without its settings makes `terraform init` fail or prompt."""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.findings import Finding, Severity
from generator.check.rules.base import RuleContext, finding

# What `init` needs from an S3 backend that nothing else can supply non-interactively.
S3_REQUIRED = ("bucket", "key", "region")


class EmptyBackend:
    id = "F1"
    description = "backend blocks carry their settings (an empty backend breaks init)"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        for terraform in ctx.hcl.of_kind("terraform"):
            for backend in terraform.nested("backend"):
                kind = backend.type or "?"
                if not backend.body:
                    yield finding(
                        self,
                        f'backend "{kind}" has no arguments: init fails or prompts; '
                        "write its settings (a local backend with an explicit path by default)",
                        backend,
                    )
                elif kind == "s3":
                    missing = [key for key in S3_REQUIRED if key not in backend.body]
                    if missing:
                        yield finding(
                            self,
                            f'backend "s3" lacks {", ".join(missing)}: init cannot run '
                            "without -backend-config; set them in the block",
                            backend,
                        )
