"""Real git repositories for copier: the template released as tags, and a project rendered from it."""

from __future__ import annotations

import subprocess
from pathlib import Path

GIT_ENV = [
    "-c",
    "user.name=Test",
    "-c",
    "user.email=test@example.com",
    "-c",
    "commit.gpgsign=false",
]


# A git identity for commits cw-scaffold makes itself (a fresh machine has none configured).
COMMITTER = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *GIT_ENV, *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def release_fix(template_repo: Path, file: str, old: str, new: str, tag: str = "v2") -> None:
    path = template_repo / "template" / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    commit_all(template_repo, f"Fix in {file}")
    git(template_repo, "tag", tag)
