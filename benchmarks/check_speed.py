"""`cw-scaffold check` (all stages: Terraform fmt/validate/plan/test, rules, checkov) on the
default module and on modules of 1, 10 and 100 services. Targets: the default module in under
10 s, 100 services in under 30 s.

usage: python benchmarks/check_speed.py [--repeat N] [--services 1 10 100]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import (
    BIN,
    as_installed,
    machine,
    median_seconds,
    plain_template,
    render_module,
    run,
    table,
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--services", type=int, nargs="+", default=[1, 10, 100])
    args = parser.parse_args()
    as_installed()
    template = plain_template()
    work = Path(tempfile.mkdtemp(prefix="cw-bench-check-"))
    modules = {"default (2 services)": work / "default"}
    run(
        str(BIN / "cw-scaffold"),
        "new",
        str(modules["default (2 services)"]),
        "--defaults",
        "--template",
        str(template),
    )
    for count in args.services:
        modules[f"{count} services"] = render_module(template, work / f"s{count}", count)
    rows = []
    for label, module in modules.items():
        seconds = median_seconds(
            lambda module=module: run(str(BIN / "cw-scaffold"), "check", str(module)), args.repeat
        )
        rows.append([label, f"{seconds:.1f} s"])
    print(f"machine: {machine()}; median of {args.repeat} runs; every run exits 0 (clean)")
    print(table(["module", "cw-scaffold check"], rows))


if __name__ == "__main__":
    main()
