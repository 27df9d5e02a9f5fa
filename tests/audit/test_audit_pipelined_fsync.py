"""Overlapping fsyncs (``max_inflight_fsyncs``): the next batch is written while earlier fsyncs run, yet no event
is acknowledged before an fsync that began after it was written, and a failed fsync refuses everything not
yet acknowledged (nothing acknowledged lost, nothing refused kept)."""

from __future__ import annotations

import asyncio
import errno
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from sidecar.audit.keys import load_keys
from sidecar.audit.log import AuditLog, AuditUnavailable
from sidecar.audit.segment import SegmentWriter
from sidecar.audit.settings import AuditSettings
from sidecar.audit.verify import verify_spool_files

from .helpers import _event


class DiskModel:
    """Wraps SegmentWriter.write/sync: which file offset each sequence ends at, and how far the file is
    durable (the size seen just before an fsync that has returned). Slow fsyncs make overlap happen."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, sync_delay: float = 0.004, fail_on_sync: int = 0) -> None:
        self.end_of: dict[int, int] = {}
        self.durable: dict[Path, int] = {}
        self.syncs = 0
        self.max_overlap = 0
        self._active = 0
        self._lock = threading.Lock()
        self.fail_on_sync = fail_on_sync
        model = self
        real_write, real_sync = SegmentWriter.write, SegmentWriter.sync

        def write(w: SegmentWriter, records: list[tuple[int, bytes, bytes]]) -> None:
            real_write(w, records)
            with model._lock:
                for seq, _, _ in records:
                    model.end_of[seq] = w.size

        def sync(w: SegmentWriter) -> None:
            with model._lock:
                start = w.size  # every write that finished before this line is covered by the fsync below
                model.syncs += 1
                n = model.syncs
                model._active += 1
                model.max_overlap = max(model.max_overlap, model._active)
            try:
                time.sleep(sync_delay)
                if model.fail_on_sync and n == model.fail_on_sync:
                    raise OSError(errno.EIO, "Input/output error")
                real_sync(w)
            finally:
                with model._lock:
                    model._active -= 1
            with model._lock:
                model.durable[w.path] = max(model.durable.get(w.path, 0), start)

        monkeypatch.setattr(SegmentWriter, "write", write)
        monkeypatch.setattr(SegmentWriter, "sync", sync)

    def is_durable(self, log: AuditLog, seq: int) -> bool:
        w = log._writer  # noqa: SLF001 - the open segment the event went to (no seal in these tests)
        assert w is not None
        with self._lock:  # an event not yet written (queued behind an fsync in flight) is not durable
            return seq in self.end_of and self.end_of[seq] <= self.durable.get(w.path, 0)


async def _record_checked(log: AuditLog, disk: DiskModel, n: int, workers: int) -> tuple[int, list[int]]:
    """Record ``n`` events from ``workers`` concurrent callers; returns (acknowledged, sequences found not
    durable at the moment their record() returned)."""
    early: list[int] = []
    acked = 0

    async def worker(w: int) -> None:
        nonlocal acked
        for i in range(w, n, workers):
            await asyncio.sleep(0.0007 * (i % 7))  # arrivals spread out, as requests arrive: some during fsyncs
            ev = _event(i)
            await log.record(ev)
            acked += 1
            if not disk.is_durable(log, ev.sequence):
                early.append(ev.sequence)

    await asyncio.gather(*(worker(w) for w in range(workers)))
    return acked, early


def _settings(inflight: int) -> AuditSettings:
    return AuditSettings(segment_max_events=100_000, segment_max_seconds=60, max_inflight_fsyncs=inflight)


@pytest.mark.parametrize("inflight", [1, 4])
def test_ack_only_after_an_fsync_that_covers_the_event(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch, inflight: int
) -> None:
    disk = DiskModel(monkeypatch)

    async def main() -> tuple[int, list[int], dict[str, Any]]:
        log = AuditLog(_settings(inflight), state_dir)
        await log.start()
        acked, early = await _record_checked(log, disk, 300, 24)
        stats = log.stats()
        await log.aclose()
        return acked, early, stats

    acked, early, stats = asyncio.run(main())
    assert acked == 300 and stats["events_recorded"] == 300
    assert early == [], f"acknowledged before durable: {early[:10]}"
    if inflight > 1:
        assert disk.max_overlap > 1, "the fsyncs never overlapped: the test did not exercise pipelining"
    else:
        assert disk.max_overlap == 1
    report = verify_spool_files(sorted((state_dir / "audit/spool").glob("*.seg")), load_keys(_settings(1),
                                                                                              state_dir))
    assert report.ok, report.render()
    assert report.events == 300


def test_control_ack_at_write_time_is_caught(state_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The oracle fails when batches are acknowledged as soon as they are written (before their fsync)."""
    disk = DiskModel(monkeypatch, sync_delay=0.01)
    real_start = AuditLog._start_sync  # noqa: SLF001

    def eager(self: AuditLog, written: Any) -> None:
        real_start(self, written)
        self._synced(written)  # noqa: SLF001 - the bug under test

    monkeypatch.setattr(AuditLog, "_start_sync", eager)

    async def main() -> list[int]:
        log = AuditLog(_settings(4), state_dir)
        await log.start()
        _, early = await _record_checked(log, disk, 60, 8)
        await log.aclose()
        return early

    assert asyncio.run(main()), "the oracle did not notice acknowledgements before fsync"


def test_failed_fsync_refuses_every_unacknowledged_batch_then_recovers(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = DiskModel(monkeypatch, sync_delay=0.005, fail_on_sync=6)

    async def main() -> tuple[int, int, int]:
        log = AuditLog(_settings(4), state_dir)
        await log.start()
        acked = refused = 0

        async def one(i: int) -> None:
            nonlocal acked, refused
            await asyncio.sleep(0.0006 * i)  # spread over ~120 ms: many batches, several fsyncs in flight
            try:
                await log.record(_event(i))
                acked += 1
            except AuditUnavailable:
                refused += 1

        await asyncio.gather(*(one(i) for i in range(200)))
        end = time.monotonic() + 10
        while not log.writable and time.monotonic() < end:  # the probe cuts the segment and seals it
            await asyncio.sleep(0.05)
        assert log.writable, log.stats()
        for i in range(200, 210):
            await log.record(_event(i))
        await log.aclose()
        return acked + 10, refused, log.stats()["write_failures"]

    acked, refused, failures = asyncio.run(main())
    assert failures == 1 and disk.syncs >= 6
    assert refused > 0 and acked > 10, (acked, refused)
    report = verify_spool_files(sorted((state_dir / "audit/spool").glob("*.seg")), load_keys(_settings(1),
                                                                                              state_dir))
    assert report.ok, report.render()
    assert report.events == acked  # every acknowledged event kept, no refused one


def _record_through_rotations(state_dir: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[float, int]:
    """60 sequential records, a new segment every 10 events, each seal slowed to 0.3 s: (slowest record in s,
    events verified in the sealed segments)."""
    real_seal = SegmentWriter.seal

    def slow_seal(w: SegmentWriter, sealed_unix: float, recovered: bool = False) -> Any:
        time.sleep(0.3)
        return real_seal(w, sealed_unix, recovered)

    monkeypatch.setattr(SegmentWriter, "seal", slow_seal)
    settings = AuditSettings(segment_max_events=10, segment_max_seconds=60)

    async def main() -> float:
        log = AuditLog(settings, state_dir)
        await log.start()
        slowest = 0.0
        for i in range(60):
            t = time.perf_counter()
            await log.record(_event(i))
            slowest = max(slowest, time.perf_counter() - t)
        await log.aclose()
        return slowest

    slowest = asyncio.run(main())
    files = sorted((state_dir / "audit/spool").glob("*.seg"))
    report = verify_spool_files(files, load_keys(settings, state_dir))
    assert report.ok, report.render()
    assert len(files) == 6
    return slowest, report.events


def test_a_record_does_not_wait_behind_a_seal(state_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slowest, events = _record_through_rotations(state_dir, monkeypatch)
    assert events == 60
    assert slowest < 0.25, f"a record waited {slowest:.3f} s: behind a seal"


def test_control_sealing_in_line_is_caught(state_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The oracle fails when the write path waits for each seal (as it did before)."""
    real = AuditLog._seal_current  # noqa: SLF001

    async def in_line(self: AuditLog, wait: bool = True) -> None:
        await real(self, wait=True)

    monkeypatch.setattr(AuditLog, "_seal_current", in_line)
    slowest, events = _record_through_rotations(state_dir, monkeypatch)
    assert events == 60
    assert slowest >= 0.25



def test_default_one_fsync_at_a_time_batches_what_arrives_during_it(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default (one fsync in flight) puts every record that arrives during an fsync into the next batch: under
    the same open-loop arrivals (one record a millisecond, 20 ms fsyncs) it writes far fewer batches (each a
    write, an fsync and their thread hand-offs) than 4 overlapping fsyncs, the control that shows the count can
    fail."""
    DiskModel(monkeypatch, sync_delay=0.02)  # slow fsyncs (patched in place)

    async def batches(settings: AuditSettings, where: Path) -> int:
        log = AuditLog(settings, where)
        await log.start()
        tasks = []
        for i in range(200):
            tasks.append(asyncio.create_task(log.record(_event(i))))
            await asyncio.sleep(0.001)
        await asyncio.gather(*tasks)
        stats = log.stats()
        await log.aclose()
        assert stats["events_recorded"] == 200
        return int(stats["batches"])

    default = AuditSettings(segment_max_events=100_000, segment_max_seconds=60)
    assert default.max_inflight_fsyncs == 1
    one = asyncio.run(batches(default, state_dir / "one"))
    four = asyncio.run(batches(_settings(4), state_dir / "four"))
    assert one * 1.5 <= four, f"default {one} batches, 4 in flight {four}: the default does not batch more"


@pytest.mark.parametrize("threshold,expected", [(0.05, 1), (10.0, 0)])  # 10 s: the control, nothing counted
def test_a_slow_fsync_is_counted_and_logged(state_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                             threshold: float, expected: int) -> None:
    """A stalled disk shows in the guard's log and stats (``slow_io``), not only as Envoy's ext_authz timeouts."""
    import sidecar.audit.log as audit_log

    monkeypatch.setattr(audit_log, "SLOW_IO_SECONDS", threshold)
    DiskModel(monkeypatch, sync_delay=0.2)
    warned: list[dict[str, Any]] = []
    monkeypatch.setattr(audit_log.log, "warning", lambda event, **kw: warned.append({"event": event, **kw}))

    async def main() -> dict[str, Any]:
        log = AuditLog(_settings(1), state_dir)
        await log.start()
        await log.record(_event(0))
        stats = log.stats()
        await log.aclose()
        return stats

    stats = asyncio.run(main())
    assert stats["slow_io"] >= expected and (stats["slow_io"] == 0) == (expected == 0)
    assert ("fsync" in [w["op"] for w in warned if w["event"] == "audit_spool_slow_io"]) == bool(expected)
    assert all(set(w) == {"event", "op", "seconds", "events"} for w in warned)  # numbers only, no content
