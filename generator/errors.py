"""Typed errors: every error a user can cause carries a message meant for people."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

# copier's message for an answer its validator rejects.
_COPIER_VALIDATION_ERROR = re.compile(
    r"Validation error for question '(?P<name>\w+)': (?P<message>.*)", re.DOTALL
)


# C0 and C1 control characters, and the Unicode marks that reorder or hide text (bidi
# embeddings, overrides and isolates, zero-width characters): never echoed raw to a terminal.
# See docs/input-rules.md.
CONTROL_CHARACTERS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)


def printable(text: str) -> str:
    """`text` safe to print: each control character shown as its escape (\\x1b, \\u202e)."""
    return CONTROL_CHARACTERS.sub(lambda match: ascii(match[0])[1:-1], text)


class CwScaffoldError(Exception):
    """Base class of all errors cw-scaffold raises on purpose."""

    exit_code = 1

    def __str__(self) -> str:
        return printable(super().__str__())


class UserError(CwScaffoldError):
    """Bad input from the user: shown as-is, exit 1."""


class InvalidAnswer(UserError):
    """An answer broke one of the rules in copier.yml."""

    def __init__(self, answer: str, message: str) -> None:
        # A validator reports each broken item on a line of its own: one line here.
        message = "; ".join(line.strip() for line in message.splitlines() if line.strip())
        self.answer = answer
        self.rule_message = printable(message)
        super().__init__(f"invalid answer '{answer}': {message}")


class DestinationExists(UserError):
    def __init__(self, dest: str) -> None:
        super().__init__(
            f"destination {dest} exists and is not empty; pass --force to render into it anyway"
        )


class EnvironmentProblem(CwScaffoldError):
    """Something this machine lacks (an extra not installed, Terraform cannot start): exit 2."""

    exit_code = 2


# git remote helpers that run a command or use a file descriptor instead of reaching a
# repository (git-remote-ext(1), git-remote-fd(1)).
_COMMAND_TRANSPORTS = ("ext::", "fd::")


def refuse_unsafe_git_argument(what: str, value: str, source: Path | None = None) -> None:
    """Refuse a git source or revision that git would read as an option (`--upload-pack=...`),
    or a source through a transport that runs a command (`ext::sh -c ...`).

    Every git call also puts `--` before such values; this refusal keeps them from copier,
    which passes them to git itself."""
    where = f" in {source}" if source is not None else ""
    if value.startswith("-"):
        raise UserError(
            f"{what}{where} is '{value}': a git source or revision cannot start with '-'"
            " (git would read it as an option)"
        )
    if value.lower().startswith(_COMMAND_TRANSPORTS):
        raise UserError(
            f"{what}{where} is '{value}': cw-scaffold does not use git transports that run"
            " commands (ext::, fd::)"
        )


# Errors of the machine rather than of the input: exit 2.
_MACHINE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


def write_error(error: OSError, dest: Path, note: str = "") -> UserError | EnvironmentProblem:
    """An OS error while writing into `dest`, as one line naming the file (and `note`); a full
    or read-only disk is the machine's problem (exit 2), anything else the destination's.
    A git command that failed (copier runs git) is reported by the last line git printed."""
    stderr = str(getattr(error, "stderr", "") or "").strip()
    if error.strerror is None and stderr:
        message = f"cannot write {dest}: {stderr.splitlines()[-1]}{note}"
    else:
        message = f"cannot write {error.filename or dest}: {error.strerror or error}{note}"
    if error.errno in _MACHINE_ERRNOS or any(os.strerror(n) in message for n in _MACHINE_ERRNOS):
        return EnvironmentProblem(message)
    return UserError(message)


def from_copier(error: ValueError) -> UserError:
    """copier's ValueError as ours: an answer its validator refused becomes InvalidAnswer."""
    match = _COPIER_VALIDATION_ERROR.match(str(error))
    if match:
        return InvalidAnswer(match["name"], match["message"].strip())
    return UserError(str(error))
