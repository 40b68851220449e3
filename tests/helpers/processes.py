"""The processes a test started, found by a marker in their environment (every process a
check starts inherits it, however deep)."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import pytest

MARKER_ENV = "CW_SCAFFOLD_TEST_MARKER"


def mark(monkeypatch: pytest.MonkeyPatch) -> str:
    """Mark this process's environment, for the processes it starts; the marker."""
    marker = uuid.uuid4().hex
    monkeypatch.setenv(MARKER_ENV, marker)
    return marker


def marked(marker: str, seconds: float = 2) -> list[str]:
    """Command lines of the other processes with `marker` still there after up to
    `seconds` (killed ones go at once, but the kernel may take a moment to reap them)."""
    deadline = time.monotonic() + seconds
    while (found := running(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def running(marker: str) -> list[str]:
    """Command lines of the other processes with `marker` running now."""
    needle = f"{MARKER_ENV}={marker}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or proc.name == str(os.getpid()):
            continue
        try:
            if needle in (proc / "environ").read_bytes():
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            continue
    return found
