"""EVENTS-TOPIC-KEY: an EventBridge rule whose target is an SNS topic encrypted with a KMS key
that does not let events.amazonaws.com use it. EventBridge then cannot publish: the events
are dropped, with no error anywhere but the rule's FailedInvocations metric
(docs/aws-facts.md, "ECS events"). The key policy must allow the service principal
kms:GenerateDataKey* and kms:Decrypt, with no aws:SourceAccount, aws:SourceArn or
aws:SourceOrgID condition (SNS does not support those for EventBridge-to-encrypted topics: a
statement with one grants nothing); an AWS managed key (alias/aws/sns) never can.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from typing import Any

from generator.check.findings import Finding, Severity
from generator.check.hcl import Block, HclModule, is_literal
from generator.check.rules.base import RuleContext, finding, json_value
from generator.check.rules.policies import as_list, statements

PRINCIPAL = "events.amazonaws.com"
NEEDED = ("kms:GenerateDataKey", "kms:Decrypt")
_DOCUMENT = "data.aws_iam_policy_document."
# Condition keys SNS does not support in a KMS key policy for EventBridge-to-encrypted topics
# (Amazon SNS Developer Guide, "Key management", docs/aws-facts.md "ECS events").
UNSUPPORTED_CONDITIONS = ("aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid")


def _allows(patterns: list[Any], action: str) -> bool:
    return any(
        isinstance(p, str) and fnmatch.fnmatchcase(action.lower(), p.lower()) for p in patterns
    )


def _json_grants(document: Any) -> bool:
    for statement in statements(document):
        if statement.get("Effect", "Allow") != "Allow":
            continue
        principal = statement.get("Principal")
        services = as_list(principal.get("Service")) if isinstance(principal, dict) else []
        actions = as_list(statement.get("Action"))
        conditions = statement.get("Condition")
        keys = [k for c in conditions.values() for k in c] if isinstance(conditions, dict) else []
        if (
            PRINCIPAL in services
            and all(_allows(actions, a) for a in NEEDED)
            and not _source_conditioned(keys)
        ):
            return True
    return False


def _source_conditioned(condition_keys: list[Any]) -> bool:
    return any(str(k).lower() in UNSUPPORTED_CONDITIONS for k in condition_keys)


def _document_grants(document: Block) -> bool | None:
    """Whether a policy document block grants EventBridge the key; None when unreadable."""
    if any(k in document.body for k in ("source_policy_documents", "override_policy_documents")):
        return None
    for statement in document.generated("statement"):
        if statement.body.get("effect", "Allow") != "Allow":
            continue
        actions = statement.body.get("actions", [])
        for principal in statement.generated("principals"):
            identifiers = principal.body.get("identifiers", [])
            if not (is_literal(identifiers) and is_literal(actions)):
                return None
            if (
                principal.body.get("type") == "Service"
                and PRINCIPAL in as_list(identifiers)
                and all(_allows(as_list(actions), a) for a in NEEDED)
                and not _source_conditioned(
                    [c.body.get("variable") for c in statement.generated("condition")]
                )
            ):
                return True
    return False


def _key_grants(hcl: HclModule, key: Block) -> bool | None:
    """Whether `key`'s policy grants EventBridge; None when it cannot be read."""
    policy = key.body.get("policy")
    if policy is None:
        return False  # the default key policy: the account only
    if is_literal(policy):
        parsed = json_value(policy)
        return None if parsed is None else _json_grants(parsed)
    text = str(policy)
    if text.startswith("${" + _DOCUMENT) and text.endswith(".json}"):
        document = hcl.find(text[2 : -len(".json}")])
        return None if document is None else _document_grants(document)
    return None


class EncryptedTopicKey:
    id = "EVENTS-TOPIC-KEY"
    description = "an EventBridge target topic's KMS key lets events.amazonaws.com use it"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        topics = ctx.hcl.resources("aws_sns_topic")
        keys = ctx.hcl.resources("aws_kms_key")
        for target in ctx.hcl.resources("aws_cloudwatch_event_target"):
            for topic in topics:
                if not target.refers_to(topic.address):
                    continue
                key_id = topic.body.get("kms_master_key_id")
                if key_id is None:
                    continue
                problem = None
                if isinstance(key_id, str) and key_id.startswith("alias/aws/"):
                    problem = f"the AWS managed key {key_id}, whose policy nobody can change"
                else:
                    for key in keys:
                        if topic.refers_to(key.address) and _key_grants(ctx.hcl, key) is False:
                            problem = (
                                f"{key.address}, whose policy does not allow {PRINCIPAL}"
                                " kms:GenerateDataKey* and kms:Decrypt, or only under an"
                                " aws:SourceAccount/aws:SourceArn condition, which SNS does"
                                " not support for EventBridge"
                            )
                if problem:
                    yield finding(
                        self,
                        f"{target.address} publishes to {topic.address}, encrypted with "
                        f"{problem}: EventBridge cannot publish and drops every event, with no "
                        "error but the rule's FailedInvocations metric; add a key policy "
                        f"statement for the service principal {PRINCIPAL}, without "
                        "source conditions",
                        target,
                        Severity.ERROR,
                    )
