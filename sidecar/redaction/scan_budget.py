"""A CPU-time budget per redaction scan that fails closed.

Every ``feed``/``finish`` of a body processor (a whole body, or one stream step) runs under :meth:`ScanBudget.run`.
A watchdog thread reads the CPU clock of each thread that is scanning (``pthread_getcpuclockid``, so time the
thread spends waiting for the GIL or the CPU does not count) and, when a scan has used more than its budget,
raises :class:`ScanBudgetExceeded` *inside that thread* (``PyThreadState_SetAsyncExc``). That interrupts a
Python-level loop wherever it runs: on the event loop thread or in a worker thread of ``asyncio.to_thread``,
which a signal timer (main thread only) cannot reach. The body is then withheld; the thread and the process go
on serving. A single long call into C (one ``re`` match) is interrupted when it returns.

Cost per scan: a few dictionary operations and an uncontended lock, no clock read (the watchdog starts a scan's
clock when it first sees it, so a scan may run up to one ``tick`` longer than its budget); about 2 µs, measured
in ``tests/redaction/test_scan_budget.py``. The watchdog wakes every ``tick`` seconds (at most 0.1 s).
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sidecar.redaction.errors import RedactionError

T = TypeVar("T")
_MIB = 1024 * 1024


class ScanBudgetExceeded(RedactionError):
    """A scan used more CPU time than its budget: the body is withheld (``protocol.SCAN_BUDGET_EXCEEDED``)."""

    code = "scan_budget_exceeded"


class _Interrupt(BaseException):
    """Raised asynchronously in the scanning thread by the watchdog; turned into ScanBudgetExceeded."""


@dataclass(slots=True)
class _Scan:
    ident: int
    budget: float  # CPU seconds
    clock: int = 0  # the thread's CPU clock id, and its reading when the watchdog first saw the scan
    start: float = -1.0
    fired: bool = False


def _set_async_exc(ident: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(exc) if exc else None)


class ScanBudget:
    """``run(fn, size)`` calls ``fn()`` and raises :class:`ScanBudgetExceeded` when it used more than
    ``base_seconds + per_mib_seconds * size / MiB`` of its thread's CPU time. One per process is enough."""

    def __init__(self, base_seconds: float, per_mib_seconds: float = 0.0, tick: float = 0.1) -> None:
        if base_seconds <= 0 or per_mib_seconds < 0 or tick <= 0:
            raise ValueError("scan budget: base_seconds and tick must be > 0, per_mib_seconds >= 0")
        self.base = base_seconds
        self.per_mib = per_mib_seconds
        self._tick = min(tick, base_seconds / 2)
        self._active: dict[int, _Scan] = {}
        self._lock = threading.Lock()
        self._watchdog: threading.Thread | None = None
        # a forked child has no watchdog thread: it starts its own on its first scan
        os.register_at_fork(after_in_child=self._forget_watchdog)

    def budget_for(self, size: int) -> float:
        return self.base + self.per_mib * size / _MIB

    def run(self, fn: Callable[[], T], size: int = 0) -> T:
        ident = threading.get_ident()
        if ident in self._active:  # nested scan in the same thread: the outer budget covers it
            return fn()
        if self._watchdog is None:
            self._start_watchdog()
        scan = _Scan(ident, self.base + self.per_mib * size / _MIB if size else self.base)
        try:
            try:
                self._active[ident] = scan
                return fn()
            finally:
                self._leave(scan)
        except _Interrupt:
            self._leave(scan)
            raise ScanBudgetExceeded(f"scan exceeded its CPU budget of {scan.budget:.3f} s") from None

    def allow(self, size: int) -> None:
        """Raise the budget of the scan running in this thread to what ``size`` characters of text earn (a
        processor calls this once it knows how much text the scan may read); no-op outside a scan."""
        scan = self._active.get(threading.get_ident())
        if scan is not None:
            scan.budget = max(scan.budget, self.budget_for(size))

    def _leave(self, scan: _Scan) -> None:
        with self._lock:
            if self._active.get(scan.ident) is scan:
                del self._active[scan.ident]
            if scan.fired:
                _set_async_exc(scan.ident, None)  # the interrupt may still be pending: never let it land later

    def _forget_watchdog(self) -> None:
        self._watchdog = None
        self._active.clear()
        self._lock = threading.Lock()

    def _start_watchdog(self) -> None:
        with self._lock:
            if self._watchdog is None:
                self._watchdog = threading.Thread(target=self._watch, name="scan-budget", daemon=True)
                self._watchdog.start()

    def _watch(self) -> None:
        while True:
            time.sleep(self._tick)
            if not self._active:
                continue
            with self._lock:
                for scan in list(self._active.values()):
                    if scan.fired:
                        continue
                    try:
                        if scan.start < 0:  # first sight: the clock starts here (the scan ran < one tick)
                            scan.clock = time.pthread_getcpuclockid(scan.ident)
                            scan.start = time.clock_gettime(scan.clock)
                            continue
                        used = time.clock_gettime(scan.clock) - scan.start
                    except OSError:  # the thread is gone
                        continue
                    if used > scan.budget:
                        scan.fired = True
                        _set_async_exc(scan.ident, _Interrupt)


_shared: dict[tuple[float, float], ScanBudget] = {}


def shared_budget(base_seconds: float, per_mib_seconds: float) -> ScanBudget:
    """One budget (one watchdog thread) per distinct setting in the process."""
    key = (base_seconds, per_mib_seconds)
    if key not in _shared:
        _shared[key] = ScanBudget(base_seconds, per_mib_seconds)
    return _shared[key]
