"""How many passes of a busy event loop a record waits, fsync aside.

The guard's loop is busy serving other requests; every hand-off between a thread and the loop waits for the
work queued ahead of it. A record must cost one thread round trip (the fsync) and the loop passes that go
with it, not one per intermediate future: measured here as the passes a neighbour task makes while one record
is waited for (the fsync itself made instant so disk speed does not count). The neighbour blocks the loop for
each pass without holding the GIL: with a pure-Python busy loop instead, when the fsync thread got the GIL
decided the count (3 or 5 passes on one quiet machine, 6 once in CI), not the hand-offs. The fewest of three
runs counts: a loaded machine can still delay the thread now and then, while a design with more hand-offs
costs them in every run (the control)."""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

import pytest

from sidecar.audit.log import AuditLog, _Written
from sidecar.audit.segment import SegmentWriter
from sidecar.audit.settings import AuditSettings

from .helpers import _event

BUSY_S = 0.003  # one neighbour pass: a request's worth of loop time (slept: the GIL stays free)
# the fsync's outcome handed to the loop, the caller resumed; one spare pass for scheduling noise
MAX_PASSES = 3


def _passes_per_record(state_dir: Path, monkeypatch: pytest.MonkeyPatch, n: int = 25) -> float:
    monkeypatch.setattr(SegmentWriter, "sync", lambda w: None)  # instant disk: only the hand-offs count

    async def main() -> float:
        log = AuditLog(AuditSettings(segment_max_events=100_000, segment_max_seconds=60), state_dir)
        await log.start()
        await log.record(_event(0))  # the segment is open from here on
        passes = 0
        running = True

        async def neighbour() -> None:
            nonlocal passes
            while running:
                time.sleep(BUSY_S)
                passes += 1
                await asyncio.sleep(0)

        task = asyncio.get_running_loop().create_task(neighbour())
        await asyncio.sleep(0)
        counts = []
        for i in range(1, n + 1):
            before = passes
            await log.record(_event(i))
            counts.append(passes - before)
        running = False
        await task
        await log.aclose()
        return statistics.median(counts)

    return asyncio.run(main())


def _fewest_passes(state_dir: Path, monkeypatch: pytest.MonkeyPatch, runs: int = 3) -> float:
    return min(_passes_per_record(state_dir / f"run{i}", monkeypatch) for i in range(runs))


def test_a_record_waits_few_loop_passes(state_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    passes = _fewest_passes(state_dir, monkeypatch)
    print(f"passes per record: {passes}")
    assert passes <= MAX_PASSES, f"a record waited {passes} busy loop passes"


def test_control_hand_off_through_a_task_and_executor_future_is_caught(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The oracle fails with the earlier fsync hand-off: a task that submits the fsync and awaits its executor
    future before acknowledging."""

    async def via_task(self: AuditLog, written: _Written) -> None:
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._sync_pool, written.writer.sync)  # noqa: SLF001
        except Exception as exc:  # noqa: BLE001
            self._sync_done(written, exc)  # noqa: SLF001
        else:
            self._sync_done(written, None)  # noqa: SLF001

    def start_sync(self: AuditLog, written: _Written) -> None:
        self._syncing += 1  # noqa: SLF001
        self._sync_idle.clear()  # noqa: SLF001
        asyncio.get_running_loop().create_task(via_task(self, written))

    monkeypatch.setattr(AuditLog, "_start_sync", start_sync)
    passes = _fewest_passes(state_dir, monkeypatch)
    print(f"passes per record (control): {passes}")
    assert passes > MAX_PASSES, f"the oracle passed a slower hand-off ({passes} passes)"
