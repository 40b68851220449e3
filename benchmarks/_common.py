"""Shared helpers of the benchmark scripts: medians of repeated runs, rendered modules."""

from __future__ import annotations

import compileall
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def as_installed() -> None:
    """Give the package the bytecode pip writes when it installs a wheel. An editable install
    run with PYTHONDONTWRITEBYTECODE set (as on this project's machines) never gets any, and
    every process would compile the modules it imports again: ~0.1 CPU-s a check, which a
    user's installed copy does not spend (nor does the pip-installed checkov or copier it is
    measured against)."""
    compileall.compile_dir(REPO / "generator", quiet=1)


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    """Median wall-clock time of `repeat` runs of `run`."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def plain_template() -> Path:
    """The working tree's template as a plain directory (not the git repository, whose
    latest tag copier would render instead)."""
    root = Path(tempfile.mkdtemp(prefix="cw-bench-template-"))
    shutil.copy(REPO / "copier.yml", root)
    shutil.copytree(REPO / "template", root / "template")
    return root


def services(count: int) -> str:
    return "services=[" + ",".join(f"svc-{i:03d}" for i in range(count)) + "]"


def run(*command: str, cwd: Path | None = None) -> None:
    subprocess.run(command, check=True, capture_output=True, cwd=cwd)


def render_module(template: Path, dest: Path, service_count: int) -> Path:
    run(
        str(BIN / "cw-scaffold"),
        "new",
        str(dest),
        "--template",
        str(template),
        "--data",
        services(service_count),
    )
    return dest


def tree_size(path: Path) -> tuple[int, int]:
    """(files, bytes) under `path`."""
    files = [p for p in path.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def machine() -> str:
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
