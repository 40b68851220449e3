"""fewer_collections(): the collector runs less often within the block; nested blocks keep
the outermost setting, which is restored when it ends."""

from __future__ import annotations

import gc

from generator.collector import fewer_collections


def test_nested_fewer_collections_keep_the_outer_setting_until_the_outer_ends() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        fewer = gc.get_threshold()
        assert fewer[0] == before[0] * 100
        with fewer_collections():
            assert gc.get_threshold() == fewer
        assert gc.get_threshold() == fewer
    assert gc.get_threshold() == before
