"""F9: placeholder canaries that only prove an endpoint answers.

Every canary handler (a Python or Node script under canaries/ or zipped by an archive_file
that defines `handler`) must show three kinds of check, in its own code or in the scripts
beside it (its helpers), recognised by these heuristics on the code without comment lines:
- status: a comparison on a status code (`status`, `status_code`, `statusCode`, `getcode()`),
  `raise_for_status()`, or a test of `response.ok`;
- body: the body parsed as JSON (`json.loads`, `JSON.parse`, `.json()`) or searched
  (`in body`, `body.includes(...)`, `re.search(..., text)`, ...: a variable named like
  body/text/content/payload/data/html);
- latency: a clock read (`time.monotonic/perf_counter/time`, `Date.now()`,
  `performance.now()`, `process.hrtime`) and a comparison on a latency/elapsed/duration value.
A script that lacks any of them is reported with the checks it lacks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from generator.check.findings import Finding, Severity
from generator.check.hcl import Script
from generator.check.rules.base import RuleContext, finding

_CMP = r"(?:===?|!==?|<=?|>=?|\bnot\s+in\b|\bin\b)"
_STATUS_NAME = r"(?:status_code|statusCode|status|getcode\(\))"
_BODYISH = r"\w*(?:body|text|content|payload|data|html)\w*"
STATUS = (
    re.compile(rf"\b{_STATUS_NAME}(?:\(\))?\s*{_CMP}"),
    re.compile(rf"{_CMP}\s*[\w.]*\b{_STATUS_NAME}"),
    re.compile(r"raise_for_status\(|!\s*[\w.]+\.ok\b|\.ok\(\)|\bnot\s+[\w.]+\.ok\b"),
)
BODY = (
    re.compile(r"json\.loads?\(|JSON\.parse\(|\.json\(\)"),
    re.compile(rf"\bin\s+{_BODYISH}\b", re.IGNORECASE),
    re.compile(
        rf"\b{_BODYISH}\.(?:includes|indexOf|match|search|startsWith|endsWith|startswith|"
        r"endswith|find)\(",
        re.IGNORECASE,
    ),
    re.compile(rf"re\.(?:search|match|fullmatch)\([^)]*\b{_BODYISH}\b", re.IGNORECASE),
)
CLOCK = re.compile(
    r"time\.(?:monotonic|perf_counter|time)(?:_ns)?\(|Date\.now\(\)|performance\.now\(\)|"
    r"process\.hrtime"
)
THRESHOLD = re.compile(
    r"\w*(?:latency|elapsed|duration)\w*\s*(?:<=?|>=?)|(?:<=?|>=?)\s*[\w.]*(?:latency|elapsed|"
    r"duration)",
    re.IGNORECASE,
)
_COMMENT_LINE = {"python": re.compile(r"^\s*#"), "node": re.compile(r"^\s*(?://|\*|/\*)")}
HANDLER = {
    "python": re.compile(r"^\s*(?:async\s+)?def\s+handler\s*\(", re.MULTILINE),
    "node": re.compile(
        r"exports\.handler\s*=|export\s+(?:const|let|var)\s+handler\b|"
        r"export\s+(?:async\s+)?function\s+handler\b"
    ),
}


def _code(script: Script) -> str:
    comment = _COMMENT_LINE[script.language]
    return "\n".join(line for line in script.text.splitlines() if not comment.match(line))


def missing_checks(script: Script, *helpers: Script) -> list[str]:
    """The kinds of check (status, body, latency) that `script` and its helpers do not make."""
    code = "\n".join(_code(s) for s in (script, *helpers))
    missing = []
    if not any(p.search(code) for p in STATUS):
        missing.append("status")
    if not any(p.search(code) for p in BODY):
        missing.append("body")
    if not (CLOCK.search(code) and THRESHOLD.search(code)):
        missing.append("latency")
    return missing


class PlaceholderCanary:
    id = "F9"
    description = "canary scripts check status, body and latency, not only reachability"
    severity = Severity.ERROR

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        handlers = [s for s in ctx.hcl.scripts if HANDLER[s.language].search(s.text)]
        for script in handlers:
            folder = PurePosixPath(script.file).parent
            helpers = [
                s
                for s in ctx.hcl.scripts
                if s not in handlers and PurePosixPath(s.file).parent == folder
            ]
            missing = missing_checks(script, *helpers)
            if missing:
                yield finding(
                    self,
                    f"canary script checks no {'/'.join(missing)}: assert the status code, the "
                    "body contract and a latency bound, not only that it answers",
                    file=script.file,
                )
