"""How often Python's cyclic garbage collector runs while a command works.

`fewer_collections()` makes it run a hundred times less often: the check's parsed HCL, plan
and constraint tables are millions of objects that live on, and the collector's passes over
them took a good part of the check's own CPU time. A module of its own, so that the
`cw-scaffold` command (generator.cli.run) can use it without importing the check.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Within the block, the collector runs a hundred times less often. Nested blocks (the
    command's around check()'s) keep the outermost one's setting."""
    with _Collections.lock:
        if not _Collections.depth:
            _Collections.thresholds = gc.get_threshold()
            first, *older = _Collections.thresholds
            gc.set_threshold(first * 100, *older)
        _Collections.depth += 1
    try:
        yield
    finally:
        with _Collections.lock:
            _Collections.depth -= 1
            if not _Collections.depth:
                gc.set_threshold(*_Collections.thresholds)


class _Collections:
    """How many fewer_collections() blocks are open, and the collector's setting before
    the outermost one."""

    lock = threading.Lock()
    depth = 0
    thresholds: tuple[int, ...] = ()
