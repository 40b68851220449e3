"""The state of one check run, and how it ends when interrupted.

A `CheckRun` holds what a check has under way: the stages started, the findings so far,
the child processes running (Terraform, the fork server, checkov), the background threads,
its temporary directories and what to close at the end. Used as a context manager, it ends all of them
whichever way the run ends: normally, on an error, or on an interrupt, in which case the
children are killed first (each leads a process group of its own, so the processes it
starts, such as Terraform's providers, go with it), so that waiting for the threads and
removing the temporary directories take no time. docs/check-safety.md states what this
promises.

`exit_on_signals()` turns SIGINT and SIGTERM into `Interrupted` in the main thread, once:
the CLI maps it to exit 130 or 143.
"""

from __future__ import annotations

import copy
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType
from typing import Self

from generator.check.findings import Finding
from generator.errors import EnvironmentProblem

TEMP_PREFIX = "cw-scaffold-check-"
# Unix socket paths hold at most 107 bytes on Linux (sun_path); the longest the check
# makes is <scratch>/providers/tmp/pyvider-<pid>.sock.
SOCKET_PATH_LIMIT = 107
LONGEST_SOCKET_SUFFIX = len("/providers/tmp/pyvider-4194304.sock")

Progress = Callable[[str], None]


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived: the run stops, and the process exits 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.exit_code = 128 + signum

    def __reduce__(self) -> tuple[type[Interrupted], tuple[int]]:
        # a worker process of `check --recursive` sends it back to the parent pickled
        return (Interrupted, (self.signum,))


class Cancelled(Exception):
    """Raised in a background thread whose run was interrupted: its result is not wanted."""


@dataclass(frozen=True)
class Completed:
    returncode: int
    stdout: str
    stderr: str


class _Signals:
    """What exit_on_signals() has seen: whether it raised, and a signal held back while
    the main thread cleans up or starts a child (see `_signals_deferred`)."""

    raised = False
    depth = 0
    pending: int | None = None


@contextmanager
def exit_on_signals() -> Iterator[None]:
    """Within the block, the first SIGINT or SIGTERM raises Interrupted in the main thread;
    later ones are ignored, so that cleaning up is not cut short."""

    def handler(signum: int, frame: FrameType | None) -> None:
        if _Signals.raised:
            return
        if _Signals.depth:
            _Signals.pending = signum
            return
        _Signals.raised = True
        raise Interrupted(signum)

    _Signals.raised, _Signals.pending = False, None
    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """In the main thread, an interrupt arriving in the block is raised at its end."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _Signals.depth += 1
    try:
        yield
    finally:
        _Signals.depth -= 1
        if not _Signals.depth and _Signals.pending is not None and not _Signals.raised:
            signum, _Signals.pending = _Signals.pending, None
            _Signals.raised = True
            raise Interrupted(signum)


class CheckRun:
    """One check run's state; see the module docstring."""

    def __init__(self, progress: Progress | None = None) -> None:
        self.progress = progress
        self.stages: list[str] = []
        self.findings: list[Finding] = []
        self._children: set[subprocess.Popen[str]] = set()
        self._executors: list[ThreadPoolExecutor] = []
        self._closers: list[Callable[[], None]] = []
        self._directories: list[Path] = []
        self._lock = threading.RLock()
        self._cancelled = threading.Event()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        with _signals_deferred():  # an interrupt now waits until everything is cleaned up
            if error is not None:
                self.cancel()
            for executor in self._executors:
                executor.shutdown(wait=True, cancel_futures=True)
            # A closer that fails leaves the others to run, the children it was to end to
            # be killed and the directories to go; its error is raised afterwards, or noted
            # on the error the run is already ending on.
            failed: Exception | None = None
            for close in reversed(self._closers):
                try:
                    close()
                except Exception as exc:  # noqa: BLE001 - raised or noted below
                    if failed is None:
                        failed = exc
            if failed is not None:
                self.cancel()
            for directory in self._directories:
                shutil.rmtree(directory, ignore_errors=True)
            if failed is not None:
                if error is None:
                    raise failed
                error.add_note(f"while cleaning up after it: {failed!r}")

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def start(self, stage: str) -> None:
        self.stages.append(stage)
        if self.progress is not None:
            self.progress(stage)

    def temporary_directory(self) -> Path:
        """A new directory named cw-scaffold-check-*, removed when the run ends: in the
        temporary directory (TMPDIR), or in /tmp if TMPDIR is too long a path for the
        sockets the providers make in it."""
        with _signals_deferred():  # no interrupt between making it and noting it for removal
            directory = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
            if len(str(directory)) + LONGEST_SOCKET_SUFFIX > SOCKET_PATH_LIMIT:
                directory.rmdir()
                directory = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir="/tmp"))
            self._directories.append(directory)
        return directory

    @contextmanager
    def part(self) -> Iterator[CheckRun]:
        """A part of the run whose threads, closers and temporary directories end with the
        part (as the run's would: normally, on an error or on an interrupt) rather than with
        the run. Its stages, findings and children are the run's, and so is cancelling: an
        error or interrupt in the part ends every child of the run (checkov included), as
        the run's own would. The Terraform stages are one: their workers and providers end,
        and their copies of the module go, while checkov still runs."""
        part = copy.copy(self)
        part._executors, part._closers, part._directories = [], [], []
        with part:
            yield part

    def background(self) -> ThreadPoolExecutor:
        """A one-thread executor, shut down when the run ends (after its children died, if
        the run was interrupted)."""
        executor = ThreadPoolExecutor(max_workers=1)
        self._executors.append(executor)
        return executor

    def at_exit(self, close: Callable[[], None]) -> None:
        """Call `close` when the run ends, after the threads, before removing directories."""
        self._closers.append(close)

    def spawn(
        self, command: Sequence[str], *, own_session: bool = False, **options: object
    ) -> subprocess.Popen[str]:
        """Start a child leading a process group of its own (in a session of its own if
        `own_session`), ended with the run if it is interrupted.

        Linux's autogroup scheduling (on by default: /proc/sys/kernel/sched_autogroup_enabled)
        shares the CPU out equally between sessions, not between processes. checkov, a
        single process that takes longest, gets a session of its own, and so a core's share
        however many processes the rest of the check runs in the check's session; had every
        child a session of its own, checkov would get a fifth of the machine and finish last.
        """
        grouping = {"start_new_session": True} if own_session else {"process_group": 0}
        with _signals_deferred(), self._lock:  # no interrupt between the start and the record
            if self.cancelled:
                raise Cancelled()
            child: subprocess.Popen[str] = subprocess.Popen(  # type: ignore[call-overload]
                command, **grouping, **options
            )
            self._children.add(child)
        return child

    def run(
        self,
        command: Sequence[str],
        *,
        name: str,
        cwd: Path,
        env: dict[str, str] | None,
        timeout: float,
        own_session: bool = False,
    ) -> Completed:
        """Run a child to completion, capturing its output as text (undecodable bytes
        replaced). A timeout kills it and raises EnvironmentProblem naming it `name`.
        `own_session` as for spawn()."""
        child = self.spawn(
            command,
            own_session=own_session,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            encoding="utf-8",
            errors="replace",
        )
        try:
            stdout, stderr = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            self.end(child)
            child.communicate()
            raise EnvironmentProblem(f"{name} did not finish within {timeout:.0f} s") from exc
        # Interrupted while waiting, the child stays recorded, for cancel() to end it.
        self.forget(child)
        if self.cancelled:
            raise Cancelled()
        return Completed(child.returncode, stdout, stderr)

    def end(self, child: subprocess.Popen[str]) -> int:
        """Kill `child` with all it started, wait for it, and forget it; its exit status."""
        _kill_group(child)
        status = child.wait()
        self.forget(child)
        return status

    def forget(self, child: subprocess.Popen[str]) -> None:
        """`child` has ended on its own: no need to end it on an interrupt."""
        with self._lock:
            self._children.discard(child)

    def cancel(self) -> None:
        """Kill every running child with all it started; threads waiting on one resume."""
        with self._lock:
            self._cancelled.set()
            children = list(self._children)
        for child in children:
            _kill_group(child)
        for child in children:
            try:
                child.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass


def _kill_group(child: subprocess.Popen[str]) -> None:
    # The child leads its own process group: its group id is its pid, and lives on while
    # anything it started does, even after the child itself has exited.
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
