"""`cw-scaffold new --defaults` as a cold process against plain `copier copy --defaults` of the
same template, as a ratio measured in the same run: wall-clock time, and CPU time (user +
system of the process), which a busy shared machine disturbs less. Target: at most 1.0x.

usage: python benchmarks/new_vs_copier.py [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from _common import BIN, as_installed, machine, plain_template, run, table


def timed(command: list[str]) -> tuple[float, float]:
    """(wall-clock, CPU) seconds of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run(*command)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    as_installed()
    template = plain_template()
    work = Path(tempfile.mkdtemp(prefix="cw-bench-new-"))

    def fresh(name: str) -> Path:
        dest = work / name
        shutil.rmtree(dest, ignore_errors=True)
        return dest

    # Alternate the two so that machine noise falls on both alike.
    new_times, copier_times = [], []
    for _ in range(args.repeat):
        new_times.append(
            timed(
                [str(BIN / "cw-scaffold"), "new", str(fresh("a")), "--defaults"]
                + ["--template", str(template)]
            )
        )
        copier_times.append(
            timed(
                [
                    str(BIN / "copier"),
                    "copy",
                    "--defaults",
                    "--quiet",
                    str(template),
                    str(fresh("b")),
                ]
            )
        )
    rows = []
    for name, times in (
        ("copier copy --defaults", copier_times),
        ("cw-scaffold new --defaults", new_times),
    ):
        wall, cpu = median([t[0] for t in times]), median([t[1] for t in times])
        rows.append([name, f"{wall:.2f} s", f"{cpu:.2f} s"])
    ratio_wall = median([t[0] for t in new_times]) / median([t[0] for t in copier_times])
    ratio_cpu = median([t[1] for t in new_times]) / median([t[1] for t in copier_times])
    rows.append(["ratio", f"{ratio_wall:.2f}x", f"{ratio_cpu:.2f}x"])
    print(f"machine: {machine()}; median of {args.repeat} cold processes each")
    print(table(["command", "wall-clock", "CPU"], rows))


if __name__ == "__main__":
    main()
