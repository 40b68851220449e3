"""Render an answer set into a directory through copier's API, atomically.

copier renders into a staging directory beside the destination; only a complete render is
moved into place, so an error (an invalid answer, a template failure, an interrupt) leaves
nothing behind. With --force into an existing project, every conflict is found before the
first file moves, files the template writes only once (`_skip_if_exists`) are kept, and
nothing is written through a symlink that leads out of the destination.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import copier

from generator.errors import (
    DestinationExists,
    UserError,
    from_copier,
    refuse_unsafe_git_argument,
    write_error,
)
from generator.questions import (
    QuestionSpec,
    check_known_answers,
    load_questions,
    parse_answer,
    resolve_answers,
    template_root,
    template_subdirectory,
)
from generator.source import installed_template, questions_root

__all__ = ["check_destination", "copier_temporary_files", "render"]


def render(
    answers: Mapping[str, Any],
    dest: Path,
    *,
    template: str | Path | None = None,
    vcs_ref: str | None = None,
    force: bool = False,
    replaced: Callable[[Sequence[str]], None] | None = None,
) -> Path:
    """Render the template with `answers` (defaults for the rest) into `dest`.

    `template` is a template directory, git repository, git URL or git bundle (default: this
    installation's template, generator.source); `vcs_ref` a git tag or commit of it (default:
    copier's choice, the latest release tag).
    `dest` must not exist or be empty unless `force` is set; `replaced` then hears the
    existing files that were overwritten (relative paths). Returns the resolved `dest`.
    """
    if template is not None:
        refuse_unsafe_git_argument("--template", str(template))
    if vcs_ref is not None:
        refuse_unsafe_git_argument("--vcs-ref", vcs_ref)
    source = str(template) if template is not None else installed_template()
    questions = questions_root(source)
    specs = None
    if questions is not None:
        specs = load_questions(questions)
        check_known_answers(answers, specs)
        # Typed and free of control characters before copier sees them (copier would take
        # "maybe" for true); copier.yml's validators then run in copier.
        answers = {name: parse_answer(specs[name], value) for name, value in answers.items()}
    dest = Path(dest).resolve()
    check_destination(dest, force, template)

    staging = _staging_beside(dest)
    try:
        _make_private_dir(staging)
        # The project gets the usual mode, not the staging directory's private one.
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)
        keep = _copy(_absolute(source), staging, dict(answers), vcs_ref, specs)
        with _signals_deferred():  # an interrupt waits until every file is in place
            overwritten = _move_into_place(staging, dest, keep)
    except OSError as error:
        raise write_error(error, dest, f"; nothing was written to {dest}") from error
    finally:
        with _signals_deferred():
            shutil.rmtree(staging, ignore_errors=True)
    if replaced is not None and overwritten:
        replaced(overwritten)
    return dest


def check_destination(dest: Path, force: bool, template: str | Path | None = None) -> None:
    """Refuse, before anything is rendered, a destination that cannot or must not be used:
    inside the template, under a file, a file itself, or occupied without `force`."""
    dest = dest.resolve()
    source = Path(template) if template is not None else template_root()
    if (source / "copier.yml").is_file():
        # Rendered there, the module would become part of the template (or replace it);
        # beside it, as `make demo` does, is fine.
        root = source.resolve()
        rendered_from = (root / template_subdirectory(root)).resolve()
        if dest == root or dest.is_relative_to(rendered_from):
            raise UserError(
                f"destination {dest} is inside the template directory {rendered_from}:"
                " render somewhere else"
            )
    for parent in reversed(dest.parents):
        if parent.exists() and not parent.is_dir():
            raise UserError(f"cannot render into {dest}: {parent} is a file, not a directory")
    if dest.exists() and not dest.is_dir():
        raise UserError(f"cannot render into {dest}: it is a file, not a directory")
    if dest.exists() and any(dest.iterdir()) and not force:
        raise DestinationExists(str(dest))


@contextmanager
def copier_temporary_files() -> Iterator[None]:
    """Send copier's temporary files (its clone of a git template, the copies an update
    compares) into one directory that is removed whatever happens: an interrupt in the middle
    of copier's clone, before copier has noted what to clean up, leaves nothing behind."""
    # The process's first gettempdir() probes the directory with a file of its own, which an
    # interrupt between its creation and its removal would leave behind; it also sets
    # tempfile.tempdir, which is what is restored after.
    with _signals_deferred():
        base = tempfile.gettempdir()
    previous = tempfile.tempdir
    scratch = Path(base) / f"cw-scaffold-copier-{secrets.token_hex(6)}"
    try:
        _make_private_dir(scratch)
        tempfile.tempdir = str(scratch)
        yield
    finally:
        tempfile.tempdir = previous
        with _signals_deferred():
            shutil.rmtree(scratch, ignore_errors=True)


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while files move, so the move is never half done."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _staging_beside(dest: Path) -> Path:
    """A name for a staging directory on dest's file system, so the final move is a rename."""
    anchor = dest.parent
    while not anchor.is_dir():
        anchor = anchor.parent
    return anchor / f".{dest.name}.render-{secrets.token_hex(6)}"


def _make_private_dir(path: Path) -> None:
    """mkdtemp in two steps: the caller holds the name before the directory exists, so an
    interrupt at any moment leaves nothing its `finally` does not remove."""
    path.mkdir(mode=0o700)


def _copy(
    source: str,
    staging: Path,
    answers: dict[str, Any],
    vcs_ref: str | None,
    questions: Mapping[str, QuestionSpec] | None,
) -> Callable[[Path], bool]:
    """Render into `staging`; returns the template's `_skip_if_exists` matcher.

    copier settles and validates the answers, as `copier copy --defaults` does; settling them
    here first too would make `new` slower than plain copier (README, Performance). An answer
    copier refuses is explained by resolve_answers (with the template's `questions`), which
    names the answer and the rule."""
    try:
        with copier_temporary_files():
            worker = copier.run_copy(
                source,
                staging,
                data=answers,
                vcs_ref=vcs_ref,
                defaults=True,  # every answer not given takes its default: copier never asks
                overwrite=True,  # the staging directory is ours
                quiet=True,
                cleanup_on_error=False,  # we remove the staging directory ourselves
            )
    except ValueError as error:
        if questions is not None:
            resolve_answers(answers, questions)  # raises the clearer error
        raise from_copier(error) from error
    return worker.match_skip


def _absolute(source: str) -> str:
    """A local source as an absolute path: copier records it as given (as `_src_path`), and
    `update` must find it from the project's directory."""
    path = Path(source).expanduser()
    return str(path.resolve()) if path.exists() else source


def _move_into_place(staging: Path, dest: Path, keep: Callable[[Path], bool]) -> list[str]:
    """Move the render into `dest`; returns the existing files it replaced.

    A fresh or empty `dest` is one rename. Otherwise (--force) every target is checked first,
    so that a conflict stops the move before any file is in place.
    """
    if not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        staging.replace(dest)
        return []
    if not any(dest.iterdir()):
        dest.rmdir()
        staging.replace(dest)
        return []
    moves, replaced = _plan_moves(staging, dest, keep)
    for source, target in moves:
        if source.is_dir():
            target.mkdir(exist_ok=True)
        else:
            source.replace(target)
    return replaced


def _plan_moves(
    staging: Path, dest: Path, keep: Callable[[Path], bool]
) -> tuple[list[tuple[Path, Path]], list[str]]:
    """The (staged, target) moves into an existing `dest` and the files they replace; raise
    UserError, before anything moves, for a target that is a symlink or the wrong kind.
    """
    moves: list[tuple[Path, Path]] = []
    replaced: list[str] = []
    for source in sorted(staging.rglob("*")):
        relative = source.relative_to(staging)
        target = dest / relative
        if target.is_symlink():
            raise UserError(
                f"cannot render into {dest}: {relative} is a symlink (to {target.readlink()}),"
                " and cw-scaffold never writes through one; nothing was written"
            )
        if source.is_dir():
            if target.exists() and not target.is_dir():
                raise UserError(
                    f"cannot render into {dest}: {relative} is a file where the module has a"
                    " directory; move it away first; nothing was written"
                )
        elif target.is_dir():
            raise UserError(
                f"cannot render into {dest}: {relative} is a directory where the module has a"
                " file; move it away first; nothing was written"
            )
        elif target.exists() and keep(relative):
            continue  # written once, then the user's (copier.yml `_skip_if_exists`)
        else:
            if target.exists() and target.read_bytes() != source.read_bytes():
                replaced.append(relative.as_posix())
        moves.append((source, target))
    return moves, replaced
