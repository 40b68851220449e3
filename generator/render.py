"""Render an answer set into a directory through copier's API, atomically.

copier renders into a staging directory beside the destination; only a complete render is
moved into place, so an error (an invalid answer, a template failure) leaves nothing behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import copier

from generator.errors import DestinationExists, UserError, from_copier
from generator.questions import check_known_answers, load_questions, resolve_answers
from generator.source import installed_template, questions_root

__all__ = ["render", "render_new"]


def render(
    answers: Mapping[str, Any],
    dest: Path,
    *,
    template: str | Path | None = None,
    vcs_ref: str | None = None,
    force: bool = False,
) -> Path:
    """Render the template with `answers` (defaults for the rest) into `dest`.

    `template` is a template directory, git repository, git URL or git bundle (default: this
    installation's template, generator.source); `vcs_ref` a git tag or commit of it (default:
    copier's choice, the latest release tag).
    `dest` must not exist or be empty unless `force` is set. Returns the resolved `dest`.
    """
    source = str(template) if template is not None else installed_template()
    questions = questions_root(source)
    if questions is not None:
        check_known_answers(answers, load_questions(questions))
    dest = Path(dest).resolve()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())) and not force:
        raise DestinationExists(str(dest))

    anchor = _nearest_existing_dir(dest.parent)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.render-", dir=anchor))
    # mkdtemp makes the directory private (0700); the project gets the usual mode.
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    try:
        _copy(_absolute(source), staging, dict(answers), vcs_ref)
        _move_into_place(staging, dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return dest


def render_new(
    data: Mapping[str, Any],
    dest: Path,
    *,
    template: str | Path | None = None,
    vcs_ref: str | None = None,
    force: bool = False,
) -> Path:
    """`cw-scaffold new` without questions: render `data` (defaults for the rest) into `dest`.

    copier settles and validates the answers, as `copier copy --defaults` does; settling them
    here first too would make `new` slower than plain copier (README, Performance). An answer
    copier refuses is explained by resolve_answers, which names the answer and the rule.
    """
    try:
        return render(data, dest, template=template, vcs_ref=vcs_ref, force=force)
    except UserError:
        source = str(template) if template is not None else installed_template()
        questions = questions_root(source)
        if questions is not None:
            resolve_answers(data, load_questions(questions))  # raises the clearer error
        raise


def _copy(source: str, staging: Path, answers: dict[str, Any], vcs_ref: str | None) -> None:
    try:
        copier.run_copy(
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
        raise from_copier(error) from error


def _absolute(source: str) -> str:
    """A local source as an absolute path: copier records it as given (as `_src_path`), and
    `update` must find it from the project's directory."""
    path = Path(source).expanduser()
    return str(path.resolve()) if path.exists() else source


def _nearest_existing_dir(path: Path) -> Path:
    while not path.is_dir():
        path = path.parent
    return path


def _move_into_place(staging: Path, dest: Path) -> None:
    if not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging, dest)
        return
    if not any(dest.iterdir()):
        dest.rmdir()
        os.replace(staging, dest)
        return
    # --force into a non-empty directory: replace the rendered files, keep the others.
    for source in sorted(staging.rglob("*")):
        target = dest / source.relative_to(staging)
        if source.is_dir():
            target.mkdir(exist_ok=True)
        else:
            os.replace(source, target)
