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
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path
from typing import Any

from generator.check.findings import Finding, Report, Severity
from generator.check.report import UNCHECKED, ordered
from generator.check.run import CheckRun
from generator.check.suppressions import RULE_ID as SUPPRESS
from generator.check.suppressions import apply_suppressions
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


def _check_environment(options: dict[str, Any]) -> list[str] | None:
    """What every module needs stops the run once, before any starts (exit 2); a checkov
    that is missing but not required is skipped by each module's check instead. Returns
    checkov's interpreter when the scans can share one (checkov.CheckovBatch)."""
    python = None
    if options.get("checkov", True):
        from generator.check.checkov import CheckovMissing, checkov_python

        try:
            python = checkov_python()
        except CheckovMissing:
            if options.get("require_checkov"):
                raise
    if options.get("terraform", True):
        from generator.check.terraform import _check_extra_installed

        _check_extra_installed()
    return python


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

    checkov scans each module as `check` would, but one checkov interpreter does every scan
    of the tree (checkov.CheckovBatch: its import is most of a small module's scan), beside
    the checks, when checkov is a Python script here.

    Each check runs in a worker process of its own: python-hcl2 8.1.4 mutates a shared
    default SerializationContext while it serializes `${...}` expressions, so two modules
    parsed at once in one process come out wrong (`["sts:AssumeRole"]` read as a string),
    and so does every later parse in that process.
    """
    directories = module_directories(root)
    if not directories:
        raise UserError(f"{root} holds no *.tf file in any directory: no module to check")
    options = dict(options or {})
    checkov_python = _check_environment(options)
    with CheckRun() as run:
        scans: dict[Path, Future[tuple[Finding, ...]]] = {}
        if checkov_python is not None:  # one checkov for the tree, beside the checks
            from generator.check.checkov import CheckovBatch

            options["checkov"] = False
            batch = CheckovBatch(checkov_python, run)
            scanner = run.background()
            scans = {d: scanner.submit(batch.scan, d) for d in directories}

        def finish(directory: Path, report: Report) -> Report:
            if directory in scans:
                report = _with_scan(report, scans[directory])
            if done is not None:
                done(report)
            return report

        reports = _check_all(directories, options, jobs, finish, timings)
    return [_without_nested(reports[d], set(directories)) for d in directories]


def _check_all(
    directories: list[Path],
    options: dict[str, Any],
    jobs: int | None,
    finish: Callable[[Path, Report], Report],
    timings: dict[Path, float] | None,
) -> dict[Path, Report]:
    """Each directory's report, checked in worker processes (see check_tree), as `finish`
    completes it."""
    reports: dict[Path, Report] = {}
    pool = ProcessPoolExecutor(
        max_workers=min(jobs or default_jobs(), len(directories)),
        mp_context=multiprocessing.get_context("spawn"),  # no fork of a threaded process
    )
    try:
        futures = {pool.submit(_check_one, d, options): d for d in directories}
        for future in as_completed(futures):
            report, seconds = future.result()
            if timings is not None:
                timings[futures[future]] = seconds
            reports[futures[future]] = finish(futures[future], report)
    except BaseException:  # interrupted: the running checks end, the others never start
        workers = multiprocessing.active_children()
        for worker in workers:
            worker.terminate()  # SIGTERM: the worker's check cleans up, and the worker exits
        for worker in workers:
            worker.join()  # the pool's orderly shutdown would wait on its queues as well
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return reports


def _with_scan(report: Report, scan: Future[tuple[Finding, ...]]) -> Report:
    """The module's report with its checkov findings, suppressed as check() would."""
    found = scan.result()
    if any(f.rule == UNCHECKED for f in report.findings):
        return report  # check() stops before checkov too
    shown, suppressed = apply_suppressions(Path(report.module), list(found))
    shown = [f for f in shown if f.rule != SUPPRESS]  # the report has those already
    return replace(
        report,
        findings=tuple(ordered((*report.findings, *shown))),
        suppressed=tuple(ordered((*report.suppressed, *suppressed))),
        stages=(*report.stages, "checkov"),
        skipped=tuple(s for s in report.skipped if s != "checkov"),
    )


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
