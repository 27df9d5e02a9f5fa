"""The audit log the guard writes to: chain, encrypt, spool (group commit), ship.

``record`` assigns the next sequence number, chains the event to the previous one, and returns once the
event is fsynced in the local spool; concurrent records share one write and one fsync, and the next batch is
written while earlier fsyncs are still in flight (``max_inflight_fsyncs``). Sealed segments
are shipped to S3 by a background task that never blocks ``record``. If the spool cannot be written, or
is full, ``record`` raises :class:`AuditUnavailable` and ``writable`` is False until a probe succeeds.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sidecar._generated.phi_guard.audit.v1 import audit_pb2
from sidecar.audit.events import new_event_id
from sidecar.audit.keys import AuditKeyError, AuditKeys, load_keys, resolve
from sidecar.audit.segment import SegmentWriter
from sidecar.audit.settings import AuditSettings
from sidecar.audit.shipper import ShipConflict, default_s3_client, object_key, ship_segment
from sidecar.audit.spool import ChainState, Spool, SpoolInUse, segment_index
from sidecar.observability.logging import get_logger

__all__ = ["AuditLog", "AuditUnavailable", "SpoolInUse"]

_T = TypeVar("_T")

log = get_logger("phi_guard.audit")

# Readiness turns false before the spool is full, so load balancers move away before requests fail.
BACKLOG_OK_FRACTION = 0.9
# A spool write or fsync slower than this is logged and counted (``slow_io``): a quarter of Envoy's default
# ext_authz timeout (2 s), which Check's wait for its event's fsync counts against.
SLOW_IO_SECONDS = 0.5


class AuditUnavailable(Exception):
    """The event could not be made durable; the request it belongs to must be refused (503)."""


@dataclass
class _Pending:
    sequence: int
    data: bytes
    hash: bytes
    future: asyncio.Future[None]
    nbytes: int


@dataclass(eq=False)
class _Written:
    """A batch written to ``writer`` (file size ``size`` after it), not yet acknowledged: its fsync, or a
    later batch's, is in flight."""

    batch: list[_Pending]
    writer: SegmentWriter
    size: int
    added: int  # bytes this batch added to the file


class AuditLog:
    def __init__(
        self,
        settings: AuditSettings,
        state_dir: Path,
        s3_client_factory: Callable[[], Any] | None = None,
        keys: AuditKeys | None = None,
        s3_session: Any = None,
    ) -> None:
        self.settings = settings
        self.state_dir = Path(state_dir)
        self.spool_dir = resolve(self.state_dir, settings.spool_dir)
        self._s3_factory = s3_client_factory or (
            lambda: default_s3_client(settings.s3_endpoint, settings.s3_region, s3_session)
        )
        self._shipping_enabled = (
            bool(settings.s3_endpoint and settings.bucket) or s3_client_factory is not None
        )
        self._keys = keys
        self._spool: Spool | None = None
        self._state = ChainState(chain_id="")
        self._writer: SegmentWriter | None = None
        self._writer_opened = 0.0
        self._abandoned: list[tuple[Path, int]] = []  # (file, durable bytes) after a failed write or seal
        self._sealing: asyncio.Task[None] | None = None  # the newest background seal (each awaits the one before)
        self._next_seq = 1
        self._last_hash = b""
        self._pending: list[_Pending] = []
        self._pending_bytes = 0
        self._io_lock = asyncio.Lock()
        self._written: list[_Written] = []  # in write order
        self._to_close: list[SegmentWriter] = []  # abandoned writers, closed once no fsync uses their file
        self._syncing = 0
        self._sync_idle = asyncio.Event()
        self._sync_idle.set()
        self._slot_free = asyncio.Event()  # set when an fsync returns (``_syncing`` below the bound again)
        self._flushing = False  # the flusher holds a batch it has not yet written
        self._wake = asyncio.Event()
        self._ship_wake = asyncio.Event()
        self._broken: str = ""
        self._started = False
        self._stopping = False
        self._final_ship = False  # set by aclose once the last segment is sealed: the shipper may then end
        self._tasks: list[asyncio.Task[Any]] = []
        self._shipper: asyncio.Task[Any] | None = None
        self._spool_bytes = 0
        self._sealed: list[Path] = []
        self._oldest_sealed_at: dict[Path, float] = {}
        self._counters = {
            "events_recorded": 0,
            "batches": 0,
            "segments_sealed": 0,
            "segments_shipped": 0,
            "ship_failures": 0,
            "write_failures": 0,
            "refused": 0,
            "slow_io": 0,
        }
        self._last_ship_error = ""
        # Own threads: segment creation and probes on one thread (appends to an open segment run on the loop),
        # fsyncs on their pool, never queued behind other stages' work; S3 apart.
        self._io_pool = ThreadPoolExecutor(1, thread_name_prefix="audit-spool")
        self._ship_pool = ThreadPoolExecutor(1, thread_name_prefix="audit-ship")
        self._sync_pool = ThreadPoolExecutor(settings.max_inflight_fsyncs, thread_name_prefix="audit-fsync")
        self._seal_pool = ThreadPoolExecutor(1, thread_name_prefix="audit-seal")

    def _io(self, fn: Callable[..., _T], *args: Any) -> asyncio.Future[_T]:
        return asyncio.get_running_loop().run_in_executor(self._io_pool, fn, *args)

    def _ship_io(self, fn: Callable[..., _T], *args: Any) -> asyncio.Future[_T]:
        return asyncio.get_running_loop().run_in_executor(self._ship_pool, fn, *args)

    # -- lifecycle --------------------------------------------------------------------------------
    async def start(self) -> None:
        """Open (and recover) the spool, then start the flusher, the sealing timer and the shipper.

        Raises :class:`SpoolInUse` when another process holds the spool, ``AuditKeyError`` when keys cannot
        be read or created. An unwritable spool does not raise: ``writable`` stays False until it recovers.
        """
        if self._keys is None:
            self._keys = await self._io(load_keys, self.settings, self.state_dir)
        self._spool = Spool(self.spool_dir, self._keys, self.settings.instance_id)
        try:
            self._state = await self._io(self._spool.open)
            self._after_seal_scan()
        except OSError as exc:
            # The spool cannot be opened: start anyway (readiness reports it), refuse events, keep probing.
            self._broken = f"spool not writable: {exc.strerror or type(exc).__name__}"
            log.error("audit_spool_unavailable", error=self._broken)
        self._next_seq = self._state.last_sequence + 1
        self._last_hash = self._state.last_hash
        self._started = True
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._flush_loop(), name="audit-flush"),
            loop.create_task(self._timer_loop(), name="audit-timer"),
        ]
        if self._shipping_enabled:
            self._shipper = loop.create_task(self._ship_loop(), name="audit-ship")
        log.info(
            "audit_started",
            chain=self._state.chain_id,
            next_sequence=self._next_seq,
            backlog_segments=len(self._sealed),
            shipping=self._shipping_enabled,
        )

    async def aclose(self) -> None:
        """Flush pending events, seal the open segment, ship what can be shipped within the bound, stop."""
        if not self._started:
            return
        self._stopping = True
        self._wake.set()
        # Both loops end on their own (never cancelled mid-write): the flusher once the queue is empty,
        # the timer at its next tick.
        for task in self._tasks:
            try:
                await task
            except Exception as exc:  # noqa: BLE001 - a crashed loop must not stop the final seal
                log.error("audit_task_failed", task=task.get_name(), error=type(exc).__name__)
        await self._seal_current()
        self._final_ship = True
        if self._shipper is not None:
            self._ship_wake.set()
            try:
                await asyncio.wait_for(
                    asyncio.shield(self._shipper), self.settings.close_ship_timeout_seconds
                )
            except TimeoutError:
                self._shipper.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await self._shipper
        self._started = False
        if self._spool is not None:
            self._spool.close()
        self._io_pool.shutdown(wait=False)
        self._sync_pool.shutdown(wait=False)
        self._seal_pool.shutdown(wait=False)
        self._ship_pool.shutdown(wait=False)  # an upload still running is retried after the next start
        log.info("audit_closed", last_sequence=self._next_seq - 1, backlog_segments=len(self._sealed))

    # -- the request path -------------------------------------------------------------------------
    async def record(self, event: audit_pb2.AuditEvent) -> str:
        """Chain ``event`` (fills event_id if empty, instance_id, sequence, prev_hash) and wait until it is
        durable in the spool. Returns the event id. Raises :class:`AuditUnavailable`."""
        if not self._started or self._stopping:
            raise AuditUnavailable("audit log is not running")
        if not self.writable:
            self._counters["refused"] += 1
            raise AuditUnavailable(self.unavailable_reason)
        if not event.event_id:
            event.event_id = new_event_id()
        event.instance_id = self._state.chain_id
        event.sequence = self._next_seq
        event.prev_hash = self._last_hash
        event.ClearField("hash")
        data = event.SerializeToString()
        digest = hashlib.sha256(data).digest()
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append(_Pending(self._next_seq, data, digest, fut, len(data)))
        self._pending_bytes += len(data) + 40
        self._next_seq += 1
        self._last_hash = digest
        if not self._write_now():
            self._wake.set()
        # Not shielded: a caller cancelled while waiting leaves its event queued (it is written all the same);
        # a shield would cost one more loop pass between the fsync's return and the caller's.
        await fut
        return event.event_id

    @property
    def writable(self) -> bool:
        return self._started and not self._broken and not self._spool_full()

    @property
    def unavailable_reason(self) -> str:
        if self._broken:
            return self._broken
        if self._spool_full():
            return "audit spool full (shipping backlog)"
        return "" if self._started else "audit log is not running"

    def _spool_full(self) -> bool:
        return self._spool_bytes + self._pending_bytes >= self.settings.max_spool_bytes

    @property
    def spool_bytes(self) -> int:
        return self._spool_bytes

    @property
    def backlog_segments(self) -> int:
        return len(self._sealed)

    @property
    def shipping_lag_seconds(self) -> float:
        if not self._sealed:
            return 0.0
        return max(0.0, time.time() - self._oldest_sealed_at.get(self._sealed[0], time.time()))

    @property
    def chain_id(self) -> str:
        return self._state.chain_id

    def stats(self) -> dict[str, Any]:
        """Numbers for metrics and readiness (no content)."""
        return {
            "writable": self.writable,
            "unavailable_reason": self.unavailable_reason,
            "spool_bytes": self._spool_bytes,
            "max_spool_bytes": self.settings.max_spool_bytes,
            "backlog_segments": self.backlog_segments,
            "backlog_ok": self._spool_bytes < BACKLOG_OK_FRACTION * self.settings.max_spool_bytes,
            "shipping_lag_seconds": self.shipping_lag_seconds,
            "shipping_enabled": self._shipping_enabled,
            "last_ship_error": self._last_ship_error,
            "last_sequence": self._next_seq - 1,
            "chain_id": self._state.chain_id,
            **self._counters,
        }

    # -- flushing (group commit) ------------------------------------------------------------------
    async def _flush_loop(self) -> None:
        window = self.settings.group_commit_ms / 1000.0
        while True:
            if not self._pending:
                if self._stopping:
                    return
                self._wake.clear()
                await self._wake.wait()
                # Let concurrent records join this batch (only when starting from idle: records that
                # arrived during the previous fsync have already waited).
                if window > 0 and not self._stopping:
                    await asyncio.sleep(window)
            await self._flush_once()

    def _write_now(self) -> bool:
        """``record``'s fast path, when nothing else is being written and an fsync slot is free: the queue goes
        out as one batch and its fsync starts before ``record`` first yields (no flusher wake-up pass). False:
        the flusher does it (a new segment, a batch in hand, a seal or probe under way, a group-commit window)."""
        if (self._flushing or self._writer is None or self._broken or self._io_lock.locked()
                or self._syncing >= self.settings.max_inflight_fsyncs or self.settings.group_commit_ms > 0):
            return False
        batch, self._pending = self._pending, []
        self._pending_bytes = 0
        try:
            written = self._write_batch(batch)
        except Exception as exc:  # noqa: BLE001 - as in _flush_once; the timer's probe abandons the segment
            self._write_failed(exc, batch)
            return True
        self._spool_bytes += written.added
        self._written.append(written)
        self._start_sync(written)
        if self._segment_full():
            self._wake.set()  # the flusher seals it
        return True

    def _segment_full(self) -> bool:
        w = self._writer
        return w is not None and (
            w.count >= self.settings.segment_max_events or w.size >= self.settings.segment_max_bytes
        )

    async def _flush_once(self) -> None:
        """Write the queued events as one batch (in order, on the spool thread) and start its fsync; the loop
        goes on to the next batch without waiting for it (at most ``max_inflight_fsyncs`` in flight)."""
        self._flushing = True
        try:
            await self._flush_batch()
        finally:
            self._flushing = False
        if self._segment_full():
            await self._seal_current(wait=False)

    async def _flush_batch(self) -> None:
        batch, self._pending = self._pending, []
        self._pending_bytes = 0
        if not batch:
            return
        while self._syncing >= self.settings.max_inflight_fsyncs:
            self._slot_free.clear()
            await self._slot_free.wait()
        async with self._io_lock:
            if self._broken:  # an fsync failed while this batch waited: it is chained after lost events
                self._fail(batch, self._broken)
                await self._quiesce()
                return
            try:
                if self._writer is not None:
                    # Appending to the open segment is an encrypt and a page-cache write (tens of µs):
                    # done here, it saves a round trip through the spool thread and the busy loop.
                    written = self._write_batch(batch)
                else:  # a new segment: data key (maybe KMS), file creation, directory fsync
                    written = await self._io(self._write_batch, batch)
            except Exception as exc:  # noqa: BLE001 - OSError mostly; anything else fails closed the same way
                self._write_failed(exc, batch)
                await self._quiesce()
                return
            if self._broken:  # an earlier batch's fsync failed during this write
                self._fail(batch, self._broken)
                await self._quiesce()
                return
            self._spool_bytes += written.added
            self._written.append(written)
            self._start_sync(written)

    def _write_batch(self, batch: list[_Pending]) -> _Written:
        """Append the batch to the open segment (creating one if needed), without fsync. On the loop when the
        segment is open, on the spool thread when it must be created."""
        assert self._spool is not None
        t0 = time.monotonic()
        op = "write"
        if self._writer is None:
            first = batch[0]
            self._writer = self._spool.new_writer(self._state, first.sequence, self._state.last_hash)
            self._writer_opened = time.monotonic()
            op = "new_segment"  # data key, file creation, directory fsync
        w = self._writer
        before = w.size
        w.write([(p.sequence, p.data, p.hash) for p in batch])
        self._note_io(op, time.monotonic() - t0, len(batch))
        return _Written(batch, w, w.size, w.size - before)

    def _note_io(self, what: str, seconds: float, events: int) -> None:
        """Log and count a spool write or fsync slower than ``SLOW_IO_SECONDS`` (a slow disk stalls Check)."""
        if seconds > SLOW_IO_SECONDS:
            self._counters["slow_io"] += 1
            log.warning("audit_spool_slow_io", op=what, seconds=round(seconds, 3), events=events)

    def _start_sync(self, written: _Written) -> None:
        """Start ``written``'s fsync on the fsync pool. The thread hands its outcome straight to the loop
        (``call_soon_threadsafe``): one loop pass from the fsync's return to the acknowledgement, not three
        (a task to submit it, the executor future, the task's resumption)."""
        self._syncing += 1
        self._sync_idle.clear()
        loop = asyncio.get_running_loop()

        def run() -> None:
            t0 = time.monotonic()
            try:
                written.writer.sync()
            except Exception as exc:  # noqa: BLE001 - reported to the loop, which fails closed
                loop.call_soon_threadsafe(self._sync_done, written, exc)
            else:
                loop.call_soon_threadsafe(self._sync_done, written, None, time.monotonic() - t0)

        self._sync_pool.submit(run)

    def _sync_done(self, written: _Written, exc: Exception | None, seconds: float = 0.0) -> None:
        self._note_io("fsync", seconds, len(written.batch))
        try:
            if exc is None:
                self._synced(written)
            elif written in self._written:  # not yet acknowledged, nor refused by an earlier failure
                self._write_failed(exc, [])
        finally:
            self._syncing -= 1
            self._slot_free.set()
            if self._syncing == 0:
                self._sync_idle.set()

    def _synced(self, written: _Written) -> None:
        """Its fsync began after ``written`` and every batch before it were written: acknowledge them all."""
        if written not in self._written:  # refused meanwhile, or acknowledged by a later fsync
            return
        i = self._written.index(written)
        done, self._written = self._written[: i + 1], self._written[i + 1 :]
        last = done[-1].batch[-1]
        self._state.last_sequence = last.sequence
        self._state.last_hash = last.hash
        written.writer.durable_size = max(written.writer.durable_size, written.size)
        for d in done:
            self._counters["events_recorded"] += len(d.batch)
            self._counters["batches"] += 1
            for p in d.batch:
                if not p.future.done():
                    p.future.set_result(None)

    async def _quiesce(self) -> None:
        """Under ``_io_lock``: wait until no fsync is in flight; after a failure, abandon the open segment at its
        durable size (the probe cuts it there and seals it) and close the writers no fsync uses any more."""
        while self._syncing:
            await self._sync_idle.wait()
        w = self._writer
        if self._broken and w is not None:
            self._abandoned.append((w.path, w.durable_size))
            self._writer = None
            self._to_close.append(w)
        for w in self._to_close:
            w.close()
        self._to_close = []

    @staticmethod
    def _fail(batch: list[_Pending], reason: str) -> None:
        for p in batch:
            if not p.future.done():
                p.future.set_exception(AuditUnavailable(reason))

    def _write_failed(self, exc: Exception, batch: list[_Pending], what: str = "write") -> None:
        """Fail this batch, every batch not yet acknowledged and everything queued; rewind the chain to the last
        durable event. Later fsyncs acknowledge nothing, so the open segment's ``durable_size`` is final: the
        next holder of ``_io_lock`` abandons the segment there (:meth:`_quiesce`)."""
        detail = getattr(exc, "strerror", None) or (str(exc) if isinstance(exc, AuditKeyError) else "")
        reason = f"audit spool {what} failed: {detail or type(exc).__name__}"
        self._broken = reason
        self._counters["write_failures"] += 1
        unacked = [p for w in self._written for p in w.batch]
        later, self._pending, self._written = self._pending, [], []
        self._pending_bytes = 0
        self._fail(batch + unacked + later, reason)
        self._next_seq = self._state.last_sequence + 1
        self._last_hash = self._state.last_hash
        log.error("audit_spool_write_failed", error=reason, events_refused=len(batch) + len(unacked) + len(later))

    # -- sealing, recovery probe --------------------------------------------------------------------
    async def _timer_loop(self) -> None:
        tick = min(0.5, self.settings.segment_max_seconds / 4)
        while not self._stopping:
            await asyncio.sleep(tick)
            if self._stopping:
                return
            try:
                if self._broken:
                    await self._probe()
                w = self._writer
                if (
                    w is not None
                    and w.count
                    and time.monotonic() - self._writer_opened >= self.settings.segment_max_seconds
                ):
                    await self._seal_current(wait=False)
                elif self._spool is not None and not self._broken:
                    self._spool_bytes = await self._io(self._spool.size_bytes)
            except Exception as exc:  # noqa: BLE001 - keep the timer alive; the failure is reported
                log.error("audit_timer_error", error=type(exc).__name__)

    async def _seal_current(self, wait: bool = True) -> None:
        """Detach the open segment and seal it on the seal thread: the next batch opens a new segment at once
        instead of waiting behind the seal's fsyncs (trailer, rename, chain state). ``wait``: until sealed."""
        async with self._io_lock:
            await self._quiesce()  # every batch written to it is acknowledged (or refused) first
            w = self._writer
            if w is not None and self._spool is not None:
                self._writer = None
                self._state.next_index = max(self._state.next_index, w.header.segment_index + 1)
                self._sealing = asyncio.get_running_loop().create_task(
                    self._seal_in_background(w, self._sealing), name="audit-seal"
                )
        if wait and self._sealing is not None:
            await asyncio.shield(self._sealing)

    async def _seal_in_background(self, w: SegmentWriter, before: asyncio.Task[None] | None) -> None:
        if before is not None:  # seals finish in segment order (chain.json ends at the newest)
            with contextlib.suppress(Exception):
                await before
        try:
            sealed = await asyncio.get_running_loop().run_in_executor(self._seal_pool, self._seal_sync, w)
        except Exception as exc:  # noqa: BLE001
            self._abandoned.append((w.path, w.durable_size))
            w.close()
            self._write_failed(exc, [], what="seal")  # what is not yet acknowledged is refused, as for a write
            log.error("audit_spool_seal_failed", error=self._broken)
            return
        self._counters["segments_sealed"] += 1
        self._add_sealed(sealed)

    def _seal_sync(self, w: SegmentWriter) -> Path:
        assert self._spool is not None
        w.seal(time.time())
        sealed = self._spool.finish_seal(w.path, w.last_sequence, w.last_hash)
        self._state.next_index = max(self._state.next_index, segment_index(sealed) + 1)
        return sealed

    async def _probe(self) -> None:
        """While broken: finish the abandoned segment (or open the spool); clear the fault if that works."""
        async with self._io_lock:
            await self._quiesce()
            try:
                sealed = await self._io(self._probe_sync)
            except Exception:  # noqa: BLE001 - still broken; try again on the next tick
                return
        for path in sealed:
            self._add_sealed(path)
        log.info("audit_spool_recovered", next_sequence=self._next_seq)
        self._broken = ""

    def _probe_sync(self) -> list[Path]:
        assert self._spool is not None
        if not self._state.chain_id:  # the spool never opened
            self._state = self._spool.open()
            self._next_seq = self._state.last_sequence + 1
            self._last_hash = self._state.last_hash
            self._after_seal_scan()
            return []
        sealed: list[Path] = []
        while self._abandoned:
            path, durable = self._abandoned[0]
            done = self._spool.recover_open(path, durable_size=durable) if path.exists() else None
            self._abandoned.pop(0)
            if done is not None:
                sealed.append(done)
                self._state.next_index = max(self._state.next_index, segment_index(done) + 1)
        # Prove the directory takes writes, and the key provider answers, before accepting events again.
        probe = self.spool_dir / ".probe"
        probe.write_bytes(b"ok")
        probe.unlink()
        if self._writer is None and self._keys is not None:
            self._keys.provider.new_data_key()
        self._spool_bytes = self._spool.size_bytes()
        return sealed

    def _after_seal_scan(self) -> None:
        assert self._spool is not None
        now = time.time()
        self._sealed = self._spool.sealed_segments()
        self._oldest_sealed_at = {p: _mtime(p, now) for p in self._sealed}
        self._spool_bytes = self._spool.size_bytes()

    def _add_sealed(self, path: Path) -> None:
        if path not in self._oldest_sealed_at:
            self._sealed.append(path)
            self._sealed.sort()
            self._oldest_sealed_at[path] = time.time()
        self._ship_wake.set()

    # -- shipping -----------------------------------------------------------------------------------
    async def _ship_loop(self) -> None:
        client: Any = None
        backoff = self.settings.ship_interval_seconds
        while True:
            if not self._sealed:
                if self._final_ship:
                    return
                self._ship_wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._ship_wake.wait(), self.settings.ship_interval_seconds)
                continue
            path = self._sealed[0]
            try:
                if client is None:
                    client = await self._ship_io(self._s3_factory)
                outcome, size = await self._ship_io(self._ship_sync, client, path)
            except Exception as exc:  # noqa: BLE001 - retried with backoff; never drops the segment
                client = None  # a fresh client (and endpoint) on the next attempt
                self._counters["ship_failures"] += 1
                self._last_ship_error = (
                    type(exc).__name__ if not isinstance(exc, ShipConflict) else "conflict"
                )
                log.warning(
                    "audit_ship_failed",
                    segment=path.name,
                    error=self._last_ship_error,
                    retry_in_s=round(backoff, 2),
                    backlog_segments=len(self._sealed),
                )
                if self._final_ship:
                    return
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.settings.ship_max_backoff_seconds)
                continue
            backoff = self.settings.ship_interval_seconds
            self._sealed.remove(path)
            self._oldest_sealed_at.pop(path, None)
            self._counters["segments_shipped"] += 1
            self._last_ship_error = ""
            self._spool_bytes = max(0, self._spool_bytes - size)
            log.info(
                "audit_segment_shipped",
                segment=path.name,
                outcome=outcome,
                backlog_segments=len(self._sealed),
            )

    def _ship_sync(self, client: Any, path: Path) -> tuple[str, int]:
        assert self._spool is not None
        size = path.stat().st_size
        key = object_key(self.settings.prefix, self._state.chain_id, segment_index(path))
        outcome = ship_segment(client, self.settings.bucket, key, path, self.settings.retention_days)
        self._spool.remove(path)  # only after S3 confirmed the object
        return outcome, size


def _mtime(p: Path, default: float) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return default
