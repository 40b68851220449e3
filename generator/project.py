"""`cw-scaffold new` from end to end: settle the answers (the wizard, or --data and the
defaults), show the summary, and render the module, or list its files for --dry-run."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.discovery import Discovery
from generator.errors import UserError, printable
from generator.questions import QuestionSpec, check_known_answers, load_questions, resolve_answers
from generator.render import check_destination, render
from generator.source import installed_template, questions_root
from generator.wizard import Prompter, TerminalPrompter, ask_answers, summary

__all__ = ["new_project"]


def _ask_destination(prompter: Prompter, force: bool, template: str | Path | None) -> Path:
    """The directory to render into, re-asked until it is free (or --force)."""
    text = "observability"
    while True:
        text = prompter.text("Directory to write the module to", text).strip()
        if not text:
            print("  x the directory must be named")
            continue
        try:
            check_destination(Path(text), force, template)
        except UserError as error:
            print(f"  x {error}")
            continue
        return Path(text)


def _local_questions(template: str | Path | None) -> dict[str, QuestionSpec] | None:
    """copier.yml's questions when the template is a directory here (None for a git URL)."""
    root = questions_root(str(template) if template is not None else installed_template())
    return load_questions(root) if root is not None else None


def new_project(
    dest: Path | None,
    *,
    data: Mapping[str, Any],
    template: str | Path | None = None,
    vcs_ref: str | None = None,
    force: bool = False,
    interactive: bool = False,
    dry_run: bool = False,
    discovery: bool = True,
    prompter: Prompter | None = None,
    replaced: Callable[[Sequence[str]], None] | None = None,
) -> Path | None:
    """Settle the answers (ask them, or take `data` and the defaults), then render into
    `dest`; returns it, or None when nothing was written (--dry-run, or the user said no).

    Interactive: asks for `dest` when it is None, asks the questions (AWS discovery unless
    `discovery` is False), shows the summary and asks before writing. Otherwise a required
    answer missing from `data` is an error naming it. `dry_run` prints the summary and the
    files the module would have, and writes nothing. An occupied `dest` is refused before
    any question unless `force`; `replaced` hears the files --force overwrote.
    """
    questions = _local_questions(template)
    if questions is None and (interactive or dry_run):
        raise UserError(
            f"the wizard and --dry-run read the questions from a template directory, and"
            f" {template} is not one: render it with --defaults or --no-input instead"
        )
    if dest is not None:
        # render() checks this too; checking first spares answering every question in vain.
        check_destination(dest, force, template)
    if not interactive:
        if dry_run:
            answers = resolve_answers(data, questions) if questions is not None else dict(data)
            print(summary(answers))
            _print_files(answers, dest, template, vcs_ref)
            return None
        if dest is None:
            raise UserError("name the directory to render into: cw-scaffold new DEST")
        return render(
            data, dest, template=template, vcs_ref=vcs_ref, force=force, replaced=replaced
        )

    assert questions is not None
    prompter = prompter or TerminalPrompter()
    check_known_answers(data, questions)
    dest = dest or _ask_destination(prompter, force, template)
    answers = ask_answers(
        questions, prompter, preset=data, discover=Discovery if discovery else None
    )
    print(summary(answers))
    if dry_run:
        _print_files(answers, dest, template, vcs_ref)
        return None
    if not prompter.confirm(f"Write the module to {dest}?", True):
        print("Nothing written.")
        return None
    return render(answers, dest, template=template, vcs_ref=vcs_ref, force=force, replaced=replaced)


def _print_files(
    answers: Mapping[str, Any], dest: Path | None, template: str | Path | None, vcs_ref: str | None
) -> None:
    """The files the module would have: copier renders it into a scratch directory."""
    with tempfile.TemporaryDirectory(prefix="cw-scaffold-dry-run-") as scratch:
        module = render(answers, Path(scratch) / "module", template=template, vcs_ref=vcs_ref)
        files = sorted(p.relative_to(module).as_posix() for p in module.rglob("*") if p.is_file())
    print(f"Files it would write into {printable(str(dest or 'DEST'))} ({len(files)}):")
    print("\n".join(f"  {name}" for name in files))
    print("Nothing written (--dry-run).")
