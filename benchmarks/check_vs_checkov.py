"""The whole `cw-scaffold check` (Terraform, rules with AWS-VALUE, checkov in parallel)
against checkov alone on the same module, as the check runs it (same command, same custom
policies). Target: the default module's check within 1.1x of checkov alone.

Runs alternate (check, checkov, check, ...) so both see the same machine load; each figure is
the median. Also reports the AWS-VALUE rule's own time on the module's plan, cold (models
loaded in that process) and warm.

usage: python benchmarks/check_vs_checkov.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from _common import BIN, machine, plain_template, run, table

from generator.check import check
from generator.check.checkov import run_checkov


def seconds(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def rule_seconds(module: Path) -> tuple[float, float]:
    """AWS-VALUE alone on the module's plan, in a fresh process: (cold, warm)."""
    script = f"""
import time
from pathlib import Path
from generator.check import check
from generator.check.hcl import load_module
from generator.check.rules import RULES, RuleContext
report = check(Path({str(module)!r}), checkov=False)
import generator.check.constraints.tree as tree, generator.check.constraints.models as models
tree.constraints_for.cache_clear(); models.service_model.cache_clear(); tree.resource_schemas.cache_clear()
ctx = RuleContext(module_dir=Path({str(module)!r}), hcl=load_module(Path({str(module)!r})), plan=report.plan)
for label in ("cold", "warm"):
    start = time.perf_counter(); list(RULES["AWS-VALUE"].run(ctx)); print(time.perf_counter() - start)
"""
    out = subprocess.run(
        [str(BIN / "python"), "-c", script], check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    module = Path(tempfile.mkdtemp(prefix="cw-bench-vs-")) / "default"
    run(
        str(BIN / "cw-scaffold"),
        "new",
        str(module),
        "--defaults",
        "--template",
        str(plain_template()),
    )
    assert check(module).clean, "the default module must check clean"
    full, alone, ratios, loads = [], [], [], []
    for _ in range(args.repeat):
        loads.append(os.getloadavg()[0])
        full.append(seconds(lambda: run(str(BIN / "cw-scaffold"), "check", str(module))))
        alone.append(seconds(lambda: run_checkov(module)))
        ratios.append(full[-1] / alone[-1])
        print(f"check {full[-1]:.2f} s, checkov {alone[-1]:.2f} s: {ratios[-1]:.2f}x", flush=True)
    full_s, alone_s = statistics.median(full), statistics.median(alone)
    cold, warm = rule_seconds(module)
    print(
        f"machine: {machine()}; median of {args.repeat} alternating runs; 1-minute load"
        f" average {min(loads):.1f}-{max(loads):.1f} (`uptime`) as they started"
    )
    print(
        table(
            ["default module", "seconds"],
            [
                ["`cw-scaffold check` (all stages)", f"{full_s:.2f}"],
                ["checkov alone (same command)", f"{alone_s:.2f}"],
                ["ratio of the medians", f"**{full_s / alone_s:.2f}x** (target 1.1x)"],
                ["median of the pairs' ratios", f"{statistics.median(ratios):.2f}x"],
                ["AWS-VALUE rule, cold / warm", f"{cold:.2f} / {warm:.3f}"],
            ],
        )
    )


if __name__ == "__main__":
    main()
