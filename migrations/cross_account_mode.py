"""copier answer migration: record `cross_account_mode` for a project rendered before it existed.

Such a project chose cross-account observability by listing `source_accounts`: it gets
`accounts` when it listed any, `none` otherwise, so that the update neither asks nor changes
what the project deploys. Runs at copier's "before" stage, in the project directory, with
copier's own Python (which has PyYAML):

    _migrations:
      - version: vX.Y.Z
        when: "{{ _stage == 'before' }}"
        command: ["{{ _copier_python }}", "{{ _copier_conf.src_path }}/migrations/cross_account_mode.py",
                  "{{ _copier_conf.answers_file }}"]

Without it, copier.yml's default for the question (`accounts` when source_accounts is
non-empty) gives the same answer, with no `--trust` needed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def record_cross_account_mode(answers_file: Path) -> str | None:
    """Add the mode the project's answers imply; None when it is recorded already."""
    text = answers_file.read_text(encoding="utf-8")
    answers = yaml.safe_load(text) or {}
    if "cross_account_mode" in answers:
        return None
    mode = "accounts" if answers.get("source_accounts") else "none"
    header = "".join(line for line in text.splitlines(True) if line.startswith("#"))
    answers["cross_account_mode"] = mode
    answers_file.write_text(
        header + yaml.safe_dump(answers, sort_keys=True), encoding="utf-8"
    )
    return mode


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: cross_account_mode.py ANSWERS_FILE")
    record_cross_account_mode(Path(sys.argv[1]))
