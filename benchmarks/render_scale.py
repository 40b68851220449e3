"""Render time and output size at 1, 10, 100 and 500 services (cold `cw-scaffold new`).
Target: 500 services render in under 5 s.

usage: python benchmarks/render_scale.py [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from _common import (
    as_installed,
    machine,
    median_seconds,
    plain_template,
    render_module,
    table,
    tree_size,
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--services", type=int, nargs="+", default=[1, 10, 100, 500])
    args = parser.parse_args()
    as_installed()
    template = plain_template()
    work = Path(tempfile.mkdtemp(prefix="cw-bench-render-"))
    rows = []
    for count in args.services:
        dest = work / f"s{count}"

        def render(dest: Path = dest, count: int = count) -> None:
            shutil.rmtree(dest, ignore_errors=True)
            render_module(template, dest, count)

        seconds = median_seconds(render, args.repeat)
        files, size = tree_size(dest)
        rows.append([str(count), f"{seconds:.2f} s", str(files), f"{size / 1024:.0f} KiB"])
    print(f"machine: {machine()}; median of {args.repeat} runs")
    print(table(["services", "render", "files", "size"], rows))


if __name__ == "__main__":
    main()
