"""`cw-scaffold update` on a 100-service project: a template fix tagged v2 applied to a
project rendered from v1 (real git repositories).

usage: python benchmarks/update_speed.py [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from _common import BIN, as_installed, machine, median_seconds, plain_template, run, services, table

GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    as_installed()
    template = plain_template()
    run(*GIT, "init", "-q", "-b", "main", cwd=template)
    run(*GIT, "add", "-A", cwd=template)
    run(*GIT, "commit", "-q", "-m", "v1", cwd=template)
    run(*GIT, "tag", "v1", cwd=template)
    artifacts = template / "template" / "artifacts.tf"
    artifacts.write_text(
        artifacts.read_text().replace("noncurrent_days = 1", "noncurrent_days = 7")
    )
    run(*GIT, "commit", "-q", "-am", "v2", cwd=template)
    run(*GIT, "tag", "v2", cwd=template)

    work = Path(tempfile.mkdtemp(prefix="cw-bench-update-"))
    original = work / "original"
    run(
        str(BIN / "cw-scaffold"),
        "new",
        str(original),
        "--template",
        str(template),
        "--vcs-ref",
        "v1",
        "--data",
        services(100),
    )
    run(*GIT, "init", "-q", "-b", "main", cwd=original)
    run(*GIT, "add", "-A", cwd=original)
    run(*GIT, "commit", "-q", "-m", "generated", cwd=original)

    def update() -> None:
        project = work / "project"
        shutil.rmtree(project, ignore_errors=True)
        shutil.copytree(original, project)
        run(str(BIN / "cw-scaffold"), "update", str(project))

    seconds = median_seconds(update, args.repeat)
    print(
        f"machine: {machine()}; median of {args.repeat} runs (each on a fresh copy of the project)"
    )
    print(table(["project", "cw-scaffold update v1 -> v2"], [["100 services", f"{seconds:.2f} s"]]))


if __name__ == "__main__":
    main()
