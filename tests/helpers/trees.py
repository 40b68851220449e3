"""Helpers to compare rendered trees, to render one with the plain `copier` command, and to
occupy a destination."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml


def occupied(dest: Path, files: dict[str, str]) -> Path:
    """`dest` made a directory holding files of the user's, for renders that must keep them."""
    dest.mkdir()
    for name, text in files.items():
        (dest / name).write_text(text)
    return dest


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root`, by relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def copier_copy(template: Path, answers: dict[str, Any], dest: Path) -> Path:
    """`copier copy --defaults --data-file` in a subprocess, as a user without cw-scaffold runs it."""
    data_file = dest.parent / f"{dest.name}-answers.yml"
    data_file.write_text(yaml.safe_dump(answers, sort_keys=False))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "copier",
            "copy",
            "--defaults",
            "--quiet",
            "--data-file",
            str(data_file),
            str(template),
            str(dest),
        ],
        check=True,
        capture_output=True,
    )
    return dest
