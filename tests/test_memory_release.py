"""release_free_heap: freed, fragmented heap goes back to the OS (glibc ``malloc_trim``)."""

from __future__ import annotations

import ctypes.util

import pytest

from sidecar.observability.memory import release_free_heap


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(ctypes.util.find_library("c") is None, reason="no libc to trim")
def test_fragmented_heap_is_returned() -> None:
    blocks = [bytes(2000) for _ in range(40_000)]  # ~80 MB of malloc'd (not pymalloc) blocks
    keep = blocks[::50]  # every 50th survives: the heap top cannot shrink on its own
    del blocks
    before = _rss_mb()
    assert release_free_heap() is True
    after = _rss_mb()
    assert before - after > 30, (before, after)
    assert len(keep) == 800


def test_arena_cap_is_set_unless_the_operator_chose(monkeypatch: pytest.MonkeyPatch) -> None:
    from sidecar.observability.memory import limit_malloc_arenas

    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_malloc_arenas() is False  # the operator's setting is left alone
    monkeypatch.delenv("MALLOC_ARENA_MAX")
    assert limit_malloc_arenas(8) is True  # glibc's mallopt accepted it (8: harmless for the test process)
