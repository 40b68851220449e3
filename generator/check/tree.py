"""`cw-scaffold check DIR --recursive`: every module directory of a repository, one report.

A module directory is one that holds a `*.tf` file: the root module, reusable modules
(`modules/*`), examples (`examples/*`). Terraform's `.terraform` and hidden directories
(`.git`, ...) are skipped. Modules are checked in parallel, up to the number of cores, each
in a worker process (see `check_tree`).

A module that cannot be checked (a missing file, a remote module source with no
`.terraform/modules`, ...) does not stop the others: its report holds one UNCHECKED finding
saying why, and the exit status is then 2.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path
from typing import Any

from generator.check.findings import Finding, Report, Severity
from generator.check.report import UNCHECKED
from generator.errors import CwScaffoldError, UserError


def module_directories(root: Path) -> list[Path]:
    """Directories under `root` (itself included) that hold a .tf file, sorted."""
    root = Path(root).resolve()
    found = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(
            d for d in subdirectories if not d.startswith(".") and d != "terraform.d"
        )
        if any(name.endswith(".tf") for name in files):
            found.append(Path(directory))
    return found


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def _check_environment(options: dict[str, Any]) -> None:
    """What every module needs stops the run once, before any starts (exit 2); a checkov
    that is missing but not required is skipped by each module's check instead."""
    if options.get("checkov", True):
        from generator.check.checkov import CheckovMissing, checkov_command

        try:
            checkov_command()
        except CheckovMissing:
            if options.get("require_checkov"):
                raise
    if options.get("terraform", True):
        from generator.check.terraform import _check_extra_installed

        _check_extra_installed()


def _check_one(directory: Path, options: dict[str, Any]) -> tuple[Report, float]:
    """One module's report and how long it took, in a worker process."""
    from generator.check.run import Interrupted, exit_on_signals

    start = time.perf_counter()
    try:
        # SIGINT / SIGTERM end this check as they end a single one: children killed,
        # temporary files removed (run.py); the parent sends SIGTERM when it is interrupted.
        with exit_on_signals():
            from generator.check import check

            report = check(directory, **options)
    except Interrupted as interrupted:
        # Cleaned up: the worker ends now, rather than sending the interrupt back and
        # taking the next module already queued for it; the parent waits for this.
        os._exit(interrupted.exit_code)
    except CwScaffoldError as error:
        reason = Finding(UNCHECKED, Severity.ERROR, f"cannot be checked: {error}")
        report = Report(module=str(directory), findings=(reason,))
    return report, time.perf_counter() - start


def check_tree(
    root: Path,
    *,
    jobs: int | None = None,
    done: Callable[[Report], None] | None = None,
    timings: dict[Path, float] | None = None,
    options: Mapping[str, object] | None = None,
) -> list[Report]:
    """Check every module directory under `root` (see the module docstring), `jobs` at a
    time; `options` (keyword arguments of `check`: terraform, checkov, ...) go to each
    check. `done` is called as each module finishes; `timings`, if given, receives each
    module's check time in seconds. Reports come in directory order.

    Each check runs in a worker process of its own: python-hcl2 8.1.4 mutates a shared
    default SerializationContext while it serializes `${...}` expressions, so two modules
    parsed at once in one process come out wrong (`["sts:AssumeRole"]` read as a string),
    and so does every later parse in that process.
    """
    directories = module_directories(root)
    if not directories:
        raise UserError(f"{root} holds no *.tf file in any directory: no module to check")
    options = dict(options or {})
    _check_environment(options)
    reports: dict[Path, Report] = {}
    pool = ProcessPoolExecutor(
        max_workers=min(jobs or default_jobs(), len(directories)),
        mp_context=multiprocessing.get_context("spawn"),  # no fork of a threaded process
    )
    try:
        futures = {pool.submit(_check_one, d, options): d for d in directories}
        for future in as_completed(futures):
            report, seconds = future.result()
            reports[futures[future]] = report
            if timings is not None:
                timings[futures[future]] = seconds
            if done is not None:
                done(report)
    except BaseException:  # interrupted: the running checks end, the others never start
        workers = multiprocessing.active_children()
        for worker in workers:
            worker.terminate()  # SIGTERM: the worker's check cleans up, and the worker exits
        for worker in workers:
            worker.join()  # the pool's orderly shutdown would wait on its queues as well
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return [_without_nested(reports[d], set(directories)) for d in directories]


def _without_nested(report: Report, modules: set[Path]) -> Report:
    """The report without findings in files of another module of the tree under it (checkov
    scans a directory's subdirectories too): that module's own report has them."""
    module = Path(report.module).resolve()

    def own(finding: Finding) -> bool:
        if not finding.file:
            return True
        owner = (module / finding.file).parent.resolve()
        if not owner.is_relative_to(module):
            return True
        while owner != module and owner not in modules:
            owner = owner.parent
        return owner == module

    return replace(
        report,
        findings=tuple(f for f in report.findings if own(f)),
        suppressed=tuple(f for f in report.suppressed if own(f)),
    )
