"""CloudWatch Logs filter patterns, evaluated as the CloudWatch Logs User Guide documents them
("Filter pattern syntax for metric filters, subscription filters, filter log events, and Live
Tail"), for the forms the module's default patterns use. No package on PyPI evaluates them
faithfully (moto's `EventMessageFilter` has neither `?` nor JSON selectors), so this is the
test double of that part of AWS, and it refuses the forms it does not implement instead of
guessing.

Unstructured events: terms separated by spaces must all appear (case-sensitive substrings);
a term with characters other than letters, digits and `_` is double-quoted; `?term` terms
match when any of them appears; `-term` excludes.
JSON events: `{ SELECTOR OP VALUE [|| or && ...] }` with `$.a.b` selectors, `=` / `!=` on
strings (`*` a wildcard at either end) and numbers; an event that is not JSON never matches,
and a selector that names an object or array, or nothing, does not match.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["UnsupportedPattern", "matches", "syntax_problems"]

MAX_PATTERN = 1024  # PutMetricFilter's filterPattern

_TERM = re.compile(r'\s*([?-]?)("(?:[^"\\]|\\.)*"|[A-Za-z0-9_]+)')
_JSON_CLAUSE = re.compile(
    r'\s*\$((?:\.[A-Za-z0-9_-]+)+)\s*(=|!=)\s*("(?:[^"\\]|\\.)*"|[A-Za-z0-9_.*+-]+)\s*'
)


class UnsupportedPattern(ValueError):
    """A pattern form this double does not evaluate (regex, space-delimited, parentheses)."""


def syntax_problems(pattern: str) -> list[str]:
    """Where `pattern` breaks the documented syntax, for the forms evaluated here."""
    found = []
    if len(pattern) > MAX_PATTERN:
        found.append(f"longer than {MAX_PATTERN} characters")
    try:
        if pattern.strip().startswith("{"):
            _json_clauses(pattern)
        else:
            _terms(pattern)
    except UnsupportedPattern as error:
        found.append(str(error))
    return found


def matches(pattern: str, message: str) -> bool:
    """Whether one log event `message` matches `pattern`, as a metric filter counts it."""
    if pattern.strip().startswith("{"):
        return _json_matches(pattern, message)
    terms = _terms(pattern)
    anyof = [t for sign, t in terms if sign == "?"]
    allof = [t for sign, t in terms if sign == ""]
    excluded = [t for sign, t in terms if sign == "-"]
    if anyof and (allof or excluded):
        raise UnsupportedPattern("mixing ?terms with other terms is not documented")
    if anyof:
        return any(t in message for t in anyof)
    return all(t in message for t in allof) and not any(t in message for t in excluded)


def _terms(pattern: str) -> list[tuple[str, str]]:
    if "%" in pattern or pattern.strip().startswith("["):
        raise UnsupportedPattern("regex and space-delimited patterns are not evaluated here")
    terms, position = [], 0
    while position < len(pattern.rstrip()):
        term = _TERM.match(pattern, position)
        if term is None:
            raise UnsupportedPattern(f"not a term at {pattern[position:]!r}")
        text = term[2]
        if text.startswith('"'):
            text = json.loads(text)
        terms.append((term[1], text))
        position = term.end()
    if not terms:
        raise UnsupportedPattern("no term")
    return terms


def _json_clauses(pattern: str) -> list[list[tuple[list[str], str, Any]]]:
    """The pattern as OR of ANDs of (path, operator, value) clauses."""
    body = pattern.strip()
    if not (body.startswith("{") and body.endswith("}")):
        raise UnsupportedPattern("a JSON pattern is enclosed in { }")
    body = body[1:-1]
    if "(" in body or ")" in body:
        raise UnsupportedPattern("parentheses are not evaluated here")
    alternatives = []
    for alternative in body.split("||"):
        clauses = []
        for clause in alternative.split("&&"):
            found = _JSON_CLAUSE.fullmatch(clause)
            if found is None:
                raise UnsupportedPattern(f"not a JSON selector clause: {clause.strip()!r}")
            raw = found[3]
            value: Any = json.loads(raw) if raw.startswith('"') else raw
            clauses.append((found[1].split(".")[1:], found[2], value))
        alternatives.append(clauses)
    return alternatives


def _json_matches(pattern: str, message: str) -> bool:
    alternatives = _json_clauses(pattern)
    try:
        event = json.loads(message)
    except ValueError:
        return False
    return any(all(_clause(event, *c) for c in clauses) for clauses in alternatives)


def _clause(event: Any, path: list[str], operator: str, value: Any) -> bool:
    for key in path:
        if not isinstance(event, dict) or key not in event:
            return False
        event = event[key]
    if isinstance(event, (dict, list)):
        return False
    equal = _equals(event, value)
    return equal if operator == "=" else not equal


def _equals(found: Any, wanted: Any) -> bool:
    if isinstance(found, bool) or found is None:
        return False
    if isinstance(found, (int, float)):
        try:
            return float(wanted) == found
        except ValueError:
            return False
    text = str(wanted)
    if text.startswith("*") and text.endswith("*") and len(text) > 1:
        return text[1:-1] in found
    if text.startswith("*"):
        return found.endswith(text[1:])
    if text.endswith("*"):
        return found.startswith(text[:-1])
    return found == text
