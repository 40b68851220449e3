"""Inline suppression comments: `# cw-scaffold:ignore RULE-ID reason`, as checkov's skip
comments work for its checks.

A comment applies to the findings of that rule (any rule id: F8, NAME-LIMIT, TF-PLAN,
CKV_AWS_...) on its own line (a trailing comment), on the line after the run of comment
lines it belongs to, or anywhere in the top-level block that run of comments sits above.
`#` and `//` comments alike; several ids may be given, separated by commas.

A suppressed finding leaves the findings and is listed apart with its reason, so the
report still says what was ignored and why. A suppression must give a reason: one without
is reported (rule SUPPRESS, a warning) and suppresses nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from generator.check.findings import Finding, Severity

RULE_ID = "SUPPRESS"
_COMMENT = re.compile(
    r"(?:#|//)\s*cw-scaffold:ignore\b[ \t]*(?P<rules>[\w,.-]*)[ \t]*(?P<reason>.*)$"
)
_BLOCK_HEADER = re.compile(
    r"^(resource|data|module|variable|output|locals|provider|terraform|check|import|moved)\b"
)
_ONLY_COMMENT = re.compile(r"^\s*(#|//)")


@dataclass(frozen=True)
class Suppression:
    rules: frozenset[str]
    reason: str
    file: str
    line: int  # where the comment is
    lines: frozenset[int]  # the lines it covers


def _covered(lines: list[str], index: int) -> frozenset[int]:
    """Lines (1-based) a comment on `lines[index]` covers (see the module docstring)."""
    if not _ONLY_COMMENT.match(lines[index]):
        return frozenset({index + 1})  # a trailing comment: its own line
    target = index
    while target < len(lines) and _ONLY_COMMENT.match(lines[target]):
        target += 1
    if target >= len(lines):
        return frozenset()
    covered = {target + 1}
    if _BLOCK_HEADER.match(lines[target]):
        end = target + 1
        while end < len(lines) and not lines[end].startswith("}"):
            end += 1
        covered.update(range(target + 1, end + 2))
    return frozenset(covered)


def read_suppressions(module_dir: Path) -> list[Suppression]:
    """Every suppression comment in the module's .tf files."""
    found = []
    for path in sorted(module_dir.glob("*.tf")):
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        for index, text in enumerate(lines):
            match = _COMMENT.search(text)
            if match is None:
                continue
            found.append(
                Suppression(
                    rules=frozenset(r for r in match["rules"].split(",") if r),
                    reason=match["reason"].strip().rstrip("*/").strip(),
                    file=path.name,
                    line=index + 1,
                    lines=_covered(lines, index),
                )
            )
    return found


def apply_suppressions(
    module_dir: Path, findings: list[Finding]
) -> tuple[list[Finding], list[Finding]]:
    """(findings kept, findings suppressed with their reason), for the module's comments."""
    suppressions = read_suppressions(module_dir)
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for suppression in suppressions:
        if not suppression.rules or not suppression.reason:
            what = ", ".join(sorted(suppression.rules)) or "no rule id"
            kept.append(
                Finding(
                    RULE_ID,
                    Severity.WARNING,
                    f"cw-scaffold:ignore {what} gives no reason, so it suppresses nothing: "
                    "write `# cw-scaffold:ignore RULE-ID why it does not apply here`",
                    suppression.file,
                    suppression.line,
                )
            )
    valid = [s for s in suppressions if s.rules and s.reason]
    for item in findings:
        match = next(
            (
                s
                for s in valid
                if item.rule in s.rules and item.file == s.file and item.line in s.lines
            ),
            None,
        )
        if match is None:
            kept.append(item)
        else:
            suppressed.append(replace(item, suppressed=match.reason))
    return kept, suppressed
