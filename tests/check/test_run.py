"""CheckRun: the children a run starts, with everything they start, end with it; its
temporary directories go, a part's as soon as the part ends; signals become Interrupted
once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from generator.check.findings import Finding, Severity
from generator.check.run import (
    LONGEST_SOCKET_SUFFIX,
    SOCKET_PATH_LIMIT,
    TEMP_PREFIX,
    Cancelled,
    CheckRun,
    Interrupted,
    exit_on_signals,
)
from generator.errors import EnvironmentProblem

# A child that starts a grandchild and waits: both print their pid.
FAMILY = (
    "import subprocess, sys, time\n"
    "grandchild = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
    "print(grandchild.pid, flush=True)\n"
    "time.sleep(60)\n"
)


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text().split(") ")[1].split()[0]
    except OSError:
        return False
    return status != "Z"


def ends(pid: int, seconds: float = 2) -> bool:
    """Whether the process `pid` is gone within `seconds` (a killed process takes a moment)."""
    deadline = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


def fork_server_would_not_stop() -> None:
    """A closer that fails."""
    raise EnvironmentProblem("the fork server would not stop")


def test_an_interrupted_run_kills_its_children_and_theirs_and_removes_its_directory() -> None:
    with pytest.raises(KeyboardInterrupt), CheckRun() as run:
        scratch = run.temporary_directory()
        (scratch / "file").write_text("x")
        child = run.spawn([sys.executable, "-c", FAMILY], stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        grandchild = int(child.stdout.readline())
        assert alive(child.pid) and alive(grandchild)
        raise KeyboardInterrupt
    assert ends(grandchild) and not alive(child.pid)
    assert not scratch.exists()


def test_a_thread_waiting_on_a_cancelled_child_gets_cancelled() -> None:
    with CheckRun() as run:
        job = run.background().submit(
            run.run,
            [sys.executable, "-c", "import time; time.sleep(60)"],
            name="sleeper",
            cwd=Path(),
            env=None,
            timeout=120,
        )
        time.sleep(0.5)
        started = time.monotonic()
        run.cancel()
        with pytest.raises(Cancelled):
            job.result(timeout=5)
        assert time.monotonic() - started < 2
        with pytest.raises(Cancelled):  # nothing new starts once cancelled
            run.spawn([sys.executable, "-c", "pass"])


def test_a_child_past_its_timeout_is_killed_and_named() -> None:
    with CheckRun() as run, pytest.raises(EnvironmentProblem, match="sleeper did not finish"):
        run.run(
            [sys.executable, "-c", "import time; time.sleep(60)"],
            name="sleeper",
            cwd=Path(),
            env=None,
            timeout=0.5,
        )


def test_a_temporary_directory_too_deep_for_sockets_moves_to_tmp(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    deep = tmp_path / ("d" * (SOCKET_PATH_LIMIT - len(str(tmp_path))))
    deep.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    with CheckRun() as run:
        directory = run.temporary_directory()
        assert directory.parent == Path("/tmp") and directory.name.startswith(TEMP_PREFIX)
        assert len(str(directory)) + LONGEST_SOCKET_SUFFIX <= SOCKET_PATH_LIMIT
    assert not directory.exists()
    assert list(deep.iterdir()) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_the_first_signal_raises_interrupted_later_ones_are_ignored(signum: int) -> None:
    before = signal.getsignal(signum)
    with exit_on_signals():
        with pytest.raises(Interrupted) as raised:
            os.kill(os.getpid(), signum)
            time.sleep(1)
        assert raised.value.exit_code == 128 + signum
        os.kill(os.getpid(), signum)  # while cleaning up: ignored
        time.sleep(0.2)
    assert signal.getsignal(signum) is before


def test_a_part_ends_its_closers_and_directories_and_the_run_goes_on() -> None:
    closed: list[str] = []
    with CheckRun() as run:
        sleeper = run.spawn([sys.executable, "-c", "import time; time.sleep(60)"])
        with run.part() as part:
            scratch = part.temporary_directory()
            part.at_exit(lambda: closed.append("part"))
            part.start("terraform plan")
            part.findings.append(Finding("TF-PLAN", Severity.INFO, "from the part"))
        run.at_exit(lambda: closed.append("run"))
        # the part's directory and closer are gone; the run's child still runs
        assert not scratch.exists() and closed == ["part"]
        assert alive(sleeper.pid)
        # what the part started and found is the run's
        assert run.stages == ["terraform plan"]
        assert [f.message for f in run.findings] == ["from the part"]
        run.end(sleeper)
    assert closed == ["part", "run"]


def test_an_interrupt_in_a_part_ends_the_whole_run() -> None:
    with pytest.raises(KeyboardInterrupt), CheckRun() as run:
        sleeper = run.spawn([sys.executable, "-c", "import time; time.sleep(60)"])
        with run.part() as part:
            scratch = part.temporary_directory()
            raise KeyboardInterrupt
    assert ends(sleeper.pid) and not scratch.exists() and run.cancelled


def test_a_closer_that_fails_leaves_the_others_to_run_and_the_directories_to_go() -> None:
    closed: list[str] = []
    with pytest.raises(EnvironmentProblem, match="would not stop"), CheckRun() as run:
        scratch = run.temporary_directory()
        run.at_exit(lambda: closed.append("first"))
        run.at_exit(fork_server_would_not_stop)
        run.at_exit(lambda: closed.append("last"))
    assert closed == ["last", "first"] and not scratch.exists()


def test_a_failing_closer_does_not_hide_the_error_the_run_ends_on() -> None:
    with pytest.raises(KeyboardInterrupt) as raised, CheckRun() as run:
        scratch = run.temporary_directory()
        run.at_exit(fork_server_would_not_stop)
        raise KeyboardInterrupt
    assert not scratch.exists()
    assert raised.value.__notes__ == [
        "while cleaning up after it: EnvironmentProblem('the fork server would not stop')"
    ]


def test_the_children_a_failing_closer_was_to_end_are_killed() -> None:
    with pytest.raises(EnvironmentProblem), CheckRun() as run:
        sleeper = run.spawn([sys.executable, "-c", "import time; time.sleep(60)"])
        run.at_exit(fork_server_would_not_stop)
    assert ends(sleeper.pid)
