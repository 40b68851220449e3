"""Typed errors: every error a user can cause carries a message meant for people."""

from __future__ import annotations

import re

# copier's message for an answer its validator rejects.
_COPIER_VALIDATION_ERROR = re.compile(
    r"Validation error for question '(?P<name>\w+)': (?P<message>.*)", re.DOTALL
)


class CwScaffoldError(Exception):
    """Base class of all errors cw-scaffold raises on purpose."""

    exit_code = 1


class UserError(CwScaffoldError):
    """Bad input from the user: shown as-is, exit 1."""


class InvalidAnswer(UserError):
    """An answer broke one of the rules in copier.yml."""

    def __init__(self, answer: str, message: str) -> None:
        self.answer = answer
        self.rule_message = message
        super().__init__(f"invalid answer '{answer}': {message}")


class DestinationExists(UserError):
    def __init__(self, dest: str) -> None:
        super().__init__(
            f"destination {dest} exists and is not empty; pass --force to render into it anyway"
        )


class EnvironmentProblem(CwScaffoldError):
    """Something this machine lacks (an extra not installed, Terraform cannot start): exit 2."""

    exit_code = 2


def from_copier(error: ValueError) -> UserError:
    """copier's ValueError as ours: an answer its validator refused becomes InvalidAnswer."""
    match = _COPIER_VALIDATION_ERROR.match(str(error))
    if match:
        return InvalidAnswer(match["name"], match["message"].strip())
    return UserError(str(error))
