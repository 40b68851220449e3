"""copier answer migration: rename an answer in a project's answers file, keeping its value.

Runs at copier's "before" stage of an update, in the project directory, with copier's own
Python (which has PyYAML), so the renamed question finds the user's old answer:

    _migrations:
      - version: v0.2.0
        when: "{{ _stage == 'before' }}"
        command: ["{{ _copier_python }}", "{{ _copier_conf.src_path }}/migrations/rename_answer.py",
                  "{{ _copier_conf.answers_file }}", "old_name", "new_name"]
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def rename_answer(answers_file: Path, old: str, new: str) -> bool:
    """Rename `old` to `new` in the answers file; False when there is nothing to rename."""
    answers = yaml.safe_load(answers_file.read_text(encoding="utf-8")) or {}
    if old not in answers or new in answers:
        return False
    renamed = {(new if key == old else key): value for key, value in answers.items()}
    header = "".join(
        line
        for line in answers_file.read_text(encoding="utf-8").splitlines(True)
        if line.startswith("#")
    )
    answers_file.write_text(header + yaml.safe_dump(renamed, sort_keys=False), encoding="utf-8")
    return True


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: rename_answer.py ANSWERS_FILE OLD_NAME NEW_NAME")
    rename_answer(Path(sys.argv[1]), sys.argv[2], sys.argv[3])
