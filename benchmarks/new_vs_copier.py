"""`cw-scaffold new --defaults` as a cold process against plain `copier copy --defaults` of the
same template, as a ratio measured in the same run. Target: at most 1.2x.

usage: python benchmarks/new_vs_copier.py [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from _common import BIN, machine, median_seconds, plain_template, run, table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
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
            median_seconds(
                lambda: run(
                    str(BIN / "cw-scaffold"),
                    "new",
                    str(fresh("a")),
                    "--defaults",
                    "--template",
                    str(template),
                ),
                1,
            )
        )
        copier_times.append(
            median_seconds(
                lambda: run(
                    str(BIN / "copier"),
                    "copy",
                    "--defaults",
                    "--quiet",
                    str(template),
                    str(fresh("b")),
                ),
                1,
            )
        )
    new_median = sorted(new_times)[len(new_times) // 2]
    copier_median = sorted(copier_times)[len(copier_times) // 2]
    print(f"machine: {machine()}; median of {args.repeat} cold processes each")
    print(
        table(
            ["command", "median", "ratio"],
            [
                ["copier copy --defaults", f"{copier_median:.2f} s", "1.00"],
                [
                    "cw-scaffold new --defaults",
                    f"{new_median:.2f} s",
                    f"{new_median / copier_median:.2f}",
                ],
            ],
        )
    )


if __name__ == "__main__":
    main()
