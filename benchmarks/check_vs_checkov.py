"""The whole `cw-scaffold check` (Terraform, rules with AWS-VALUE, checkov in parallel)
against checkov alone on the same module, as the check runs it (same command, same custom
policies). Target: the default module's check within 1.1x of checkov alone.

Runs alternate (check, checkov, check, ...) so both see the same machine load; each figure is
the median. With `perf` installed, each command's CPU time is counted too, in a run of its
own (`perf stat -e task-clock`: every process it started, user and system, including the
providers the fork server forks, which rusage misses; under perf, the check's wall time is
not what a user sees). `--compare BIN` runs another `cw-scaffold` (the code
before a change) in the same rotation. Also reports the AWS-VALUE rule's own time on the
module's plan, cold (models loaded in that process) and warm.

Wall times on a shared machine vary by more than the gap being measured (checkov alone from
4.6 to 7.6 s on one 2-core machine in one day). So the benchmark also measures what the rest
of the check costs checkov directly: how long checkov's threads (and the processes it forks)
waited for a core, alone and while the check ran it (`run_delay` in
/proc/PID/task/TID/schedstat, Linux), in rotations of their own (`--delay-runs`). What
checkov waits inside a check beyond what it waits alone is time the check takes longer; other
load on the machine raises both.

usage: python benchmarks/check_vs_checkov.py [--repeat N] [--compare BIN]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import BIN, as_installed, machine, plain_template, run, table

from generator.check import check
from generator.check.checkov import ARGUMENTS, checkov_command


def wall_seconds(command: list[str], cwd: Path | None = None) -> float:
    """Wall seconds of `command`, run as a user runs it (no profiler around it)."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{command[0]} failed: {done.stderr[-2000:]}")
    return wall


def cpu_seconds(command: list[str], cwd: Path | None = None) -> float | None:
    """CPU seconds of `command` and every process it started, if perf is here. A run of its
    own: under `perf stat` the check's wall time is not what a user sees."""
    perf = shutil.which("perf")
    if perf is None:
        return None
    done = subprocess.run(
        [perf, "stat", "-x", ",", "-e", "task-clock", "--", *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in done.stderr.splitlines():
        if line.endswith("task-clock") or ",task-clock," in line:
            return float(line.split(",")[0]) / 1000
    return None


# Runs checkov as a child and, every 20 ms, reads the run_delay (nanoseconds spent ready to
# run but waiting for a core) of each thread of checkov and of the processes it forks (looked
# for every 0.1 s); writes the total of each thread's last reading, in seconds, to the file
# named by CW_BENCH_DELAY_FILE when checkov ends. Alone, checkov's wait is near 0.
DELAY_WRAPPER = """#!{python}
import os, subprocess, sys, time
child = subprocess.Popen({command!r} + sys.argv[1:])
last = {{}}  # (pid, tid) -> its latest run_delay

def descendants(root):
    parents = {{}}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{{entry.name}}/stat") as stat:
                    parents[int(entry.name)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    family = {{root}}
    while True:
        more = {{pid for pid, parent in parents.items() if parent in family}} - family
        if not more:
            return family
        family |= more

family, looked = {{child.pid}}, 0.0
while child.poll() is None:
    if time.monotonic() - looked > 0.1:
        family, looked = descendants(child.pid), time.monotonic()
    for pid in family:
        try:
            threads = os.listdir(f"/proc/{{pid}}/task")
        except OSError:
            continue
        for tid in threads:
            try:
                with open(f"/proc/{{pid}}/task/{{tid}}/schedstat") as schedstat:
                    last[(pid, tid)] = int(schedstat.read().split()[1])
            except (OSError, ValueError, IndexError):
                pass
    time.sleep(0.02)
with open(os.environ["CW_BENCH_DELAY_FILE"], "a") as out:
    out.write(f"{{sum(last.values()) / 1e9}}\\n")
sys.exit(child.returncode)
"""


def checkov_waits(
    module: Path, checks: dict[str, list[str]], runs: int
) -> dict[str, list[float]] | None:
    """Seconds checkov waited for a core, alone (in `module`) and in each check command, in
    `runs` rotations, with checkov wrapped to measure it; None where schedstat is not there."""
    if not Path("/proc/self/schedstat").exists():
        return None
    scratch = Path(tempfile.mkdtemp(prefix="cw-bench-delay-"))
    wrapper = scratch / "checkov"
    wrapper.write_text(DELAY_WRAPPER.format(python=sys.executable, command=checkov_command()))
    wrapper.chmod(0o755)
    record = scratch / "waits"
    env = {**os.environ, "CW_SCAFFOLD_CHECKOV": str(wrapper), "CW_BENCH_DELAY_FILE": str(record)}
    commands = {
        "checkov": ([str(wrapper), *ARGUMENTS], module),
        **{n: (c, None) for n, c in checks.items()},
    }
    waits: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, cwd) in commands.items():
            record.write_text("")
            done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
            if done.returncode not in (0, 1) or not record.read_text():
                sys.exit(f"{name} failed under the wait wrapper: {done.stderr[-2000:]}")
            waits[name].append(float(record.read_text()))
    shutil.rmtree(scratch)
    return waits


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
tree.constraints_for.cache_clear(); models.service_model.cache_clear(); tree.resource_schemas.cache_clear(); tree.shipped_table.cache_clear()
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
    parser.add_argument("--compare", help="another cw-scaffold executable, run in the rotation")
    parser.add_argument("--delay-runs", type=int, default=5, help="runs measuring checkov's wait")
    args = parser.parse_args()
    as_installed()
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
    commands = {"check": [str(BIN / "cw-scaffold"), "check", str(module)]}
    if args.compare:
        commands["compared"] = [args.compare, "check", str(module)]
    commands["checkov"] = [*checkov_command(), *ARGUMENTS]
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    loads = []
    for _ in range(args.repeat):
        loads.append(os.getloadavg()[0])
        for name, command in commands.items():
            cwd = module if name == "checkov" else None
            walls[name].append(wall_seconds(command, cwd))
            cpu = cpu_seconds(command, cwd)
            if cpu is not None:
                cpus[name].append(cpu)
        print(
            ", ".join(
                f"{name} {walls[name][-1]:.2f} s"
                + (f" ({cpus[name][-1]:.2f} CPU-s)" if cpus[name] else "")
                for name in commands
            )
            + f": {walls['check'][-1] / walls['checkov'][-1]:.2f}x",
            flush=True,
        )
    full_s, alone_s = statistics.median(walls["check"]), statistics.median(walls["checkov"])
    ratios = [a / b for a, b in zip(walls["check"], walls["checkov"], strict=True)]
    cold, warm = rule_seconds(module)
    checks = {name: command for name, command in commands.items() if name != "checkov"}
    waits = checkov_waits(module, checks, args.delay_runs) if args.delay_runs else None
    print(
        f"machine: {machine()}; median of {args.repeat} alternating runs; 1-minute load"
        f" average {min(loads):.1f}-{max(loads):.1f} (`uptime`) as they started"
    )
    rows = [
        ["`cw-scaffold check` (all stages)", f"{full_s:.2f}"],
        ["checkov alone (same command)", f"{alone_s:.2f}"],
        ["ratio of the medians", f"**{full_s / alone_s:.2f}x** (target 1.1x)"],
        ["median of the pairs' ratios", f"{statistics.median(ratios):.2f}x"],
    ]
    if args.compare:
        compared = statistics.median(walls["compared"])
        rows.append([f"`{args.compare} check`", f"{compared:.2f} ({compared / alone_s:.2f}x)"])
    rows += [
        [f"CPU-s, {name} (median)", f"{statistics.median(cpus[name]):.2f}"]
        for name in commands
        if cpus[name]
    ]
    if waits is not None:
        for name in waits:
            label = "checkov's wait for a core, " + (
                "alone" if name == "checkov" else f"in `{commands[name][0]} check`"
            )
            spread = f"{min(waits[name]):.2f}-{max(waits[name]):.2f}"
            rows.append([label, f"{statistics.median(waits[name]):.2f} ({spread})"])
    rows.append(["AWS-VALUE rule, cold / warm", f"{cold:.2f} / {warm:.3f}"])
    print(table(["default module", "seconds"], rows))


if __name__ == "__main__":
    main()
