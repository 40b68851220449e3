"""`cw-scaffold check --recursive` (all stages, checkov included) over a repository of 40
small modules: 13 copies of a root module using random and time, the reusable module it
calls, and an example (tests/helpers/real_modules.py), plus one more reusable module.
Reports the wall time, the median time of one module's check as the parallel run sees it
(Terraform and the rules; checkov scans every module beside them, in one interpreter), the
CPU time a module costs (all processes), and the machine's load average, since a busy
machine stretches every wall time. Goal: a median of at most 3 s per module on 2 cores.

usage: python benchmarks/check_recursive.py [--copies 13] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import REPO, as_installed, machine, table

sys.path.insert(0, str(REPO))  # the test fixtures are the benchmark's modules

from generator.check.report import UNCHECKED, exit_status
from generator.check.tree import check_tree, default_jobs
from tests.helpers.modules import write_module
from tests.helpers.real_modules import REUSABLE, write_tree


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=13)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    args = parser.parse_args()
    as_installed()
    root = Path(tempfile.mkdtemp(prefix="cw-bench-recursive-"))
    for index in range(args.copies):
        write_tree(root / f"team-{index:02d}")
    write_module(root / "shared" / "alarms", REUSABLE)

    timings: dict[Path, float] = {}
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    reports = check_tree(root, jobs=args.jobs, timings=timings)
    durations = list(timings.values())
    wall = time.perf_counter() - start
    modules = len(reports)
    cpu = sum(
        getattr(resource.getrusage(who), field)
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        for field in ("ru_utime", "ru_stime")
    )
    load = f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    print(f"machine: {machine()}; {args.jobs} checks at a time; exit {exit_status(reports)}")
    print(f"load average (1 min): {load}")
    for report in reports:  # what kept a module from being checked (exit 2)
        for finding in report.findings:
            if finding.rule == UNCHECKED:
                print(f"unchecked: {report.module}: {finding.message}")
    print(
        table(
            ["modules", "wall time", "median per module", "wall time / module", "CPU / module"],
            [
                [
                    str(modules),
                    f"{wall:.0f} s",
                    f"{statistics.median(durations):.1f} s",
                    f"{wall / modules:.1f} s",
                    f"{cpu / modules:.1f} s",
                ]
            ],
        )
    )


if __name__ == "__main__":
    main()
