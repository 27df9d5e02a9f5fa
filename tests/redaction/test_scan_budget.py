"""The CPU budget per scan (sidecar/redaction/scan_budget.py): a scan that loops is interrupted in the thread that
runs it (event loop or worker thread), the body is withheld with ``scan_budget_exceeded`` (audited as that
outcome) and the worker serves the next request. Controls: the same scans under their budget, or without the
slow detector, answer normally."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import pytest
from envoy.service.ext_proc.v3 import external_processor_pb2 as ep

from sidecar import protocol as P
from sidecar.redaction.detectors import default_detectors
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.errors import RedactionError
from sidecar.redaction.scan_budget import ScanBudget, ScanBudgetExceeded
from sidecar.redaction.settings import RedactionSettings
from sidecar.redaction.spans import Span

from .conftest import KEY

LOOP_MARK = "zzloopzz"


class LoopingDetector:
    """A detector with the bug of last turn: on one input it never returns (a Python-level loop)."""

    name = "looping"
    reach = 16
    types = frozenset({"NAME"})

    def detect(self, text: str) -> Iterable[Span]:
        n = 0
        while LOOP_MARK in text:  # never ends
            n += 1
        return []


def _spin(seconds: float) -> str:
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass
    return "done"


def test_a_looping_scan_is_interrupted_and_the_thread_keeps_working() -> None:
    budget = ScanBudget(0.05, tick=0.01)
    t0 = time.monotonic()
    with pytest.raises(ScanBudgetExceeded):
        budget.run(lambda: _spin(60))
    assert time.monotonic() - t0 < 5
    assert budget.run(lambda: "next") == "next"  # the same thread serves the next scan
    assert not budget._active


def test_a_scan_in_a_worker_thread_is_interrupted_too() -> None:
    """asyncio.to_thread runs big bodies in a pool thread: a signal timer could not reach it."""
    budget = ScanBudget(0.05, tick=0.01)
    with ThreadPoolExecutor(1) as pool:
        with pytest.raises(ScanBudgetExceeded):
            pool.submit(budget.run, lambda: _spin(60)).result(timeout=10)
        assert pool.submit(budget.run, lambda: "next").result(timeout=10) == "next"


def test_a_forked_child_starts_its_own_watchdog() -> None:
    import os

    budget = ScanBudget(0.05, tick=0.01)
    budget.run(lambda: None)  # the parent's watchdog runs
    pid = os.fork()
    if pid == 0:  # child: the watchdog thread did not survive the fork; a looping scan must still end
        try:
            budget.run(lambda: _spin(30))
            os._exit(1)
        except ScanBudgetExceeded:
            os._exit(0)
        except BaseException:  # noqa: BLE001
            os._exit(2)
    deadline = time.monotonic() + 30
    while (done := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    if done[0] == 0:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        pytest.fail("the forked child's looping scan was never interrupted")
    assert os.waitstatus_to_exitcode(done[1]) == 0


def test_control_a_scan_under_its_budget_finishes() -> None:
    budget = ScanBudget(0.5, tick=0.01)
    assert budget.run(lambda: _spin(0.05)) == "done"


def test_budget_grows_with_the_text_a_scan_may_read() -> None:
    budget = ScanBudget(0.05, per_mib_seconds=2.0, tick=0.01)
    assert budget.budget_for(1024 * 1024) == pytest.approx(2.05)

    def scan() -> str:
        budget.allow(1024 * 1024)  # a big body earns more time than the base
        return _spin(0.2)

    assert budget.run(scan) == "done"


def test_an_interrupt_never_lands_after_the_scan() -> None:
    """Scans that end right at their budget: the interrupt either ends the scan or is cancelled, never raised in
    the code that runs after it."""
    budget = ScanBudget(0.02, tick=0.005)
    stray = 0
    for _ in range(30):
        with contextlib.suppress(ScanBudgetExceeded):
            budget.run(lambda: _spin(0.02))
        try:
            _spin(0.02)  # ordinary code after the scan
        except BaseException:  # noqa: BLE001 - a stray interrupt is what this test looks for
            stray += 1
    assert stray == 0


def test_cost_per_scan_is_a_few_microseconds() -> None:
    budget = ScanBudget(1.0)
    budget.run(lambda: None)
    n = 20000
    t0 = time.perf_counter()
    for _ in range(n):
        budget.run(lambda: None)
    with_budget = (time.perf_counter() - t0) / n
    t0 = time.perf_counter()
    for _ in range(n):
        (lambda: None)()
    bare = (time.perf_counter() - t0) / n
    cost_us = (with_budget - bare) * 1e6
    print(f"scan budget overhead: {cost_us:.2f} us per scan")
    assert cost_us < 20  # ~1-2 us on a quiet core; generous for a loaded machine


def test_settings_bound_the_budget() -> None:
    with pytest.raises(ValueError):
        RedactionSettings(scan_budget_seconds=0)
    assert RedactionSettings().scan_budget_seconds == 1.0


# --- through the body processors and the ext_proc wiring --------------------------------------------------------


@pytest.fixture(scope="module")
def slow_engine() -> RedactionEngine:
    settings = RedactionSettings(scan_budget_seconds=0.2, scan_budget_seconds_per_mib=0)
    return RedactionEngine(settings, KEY, detectors=[*default_detectors(), LoopingDetector()])


def _chat(text: str) -> bytes:
    return json.dumps({"choices": [{"index": 0, "message": {"role": "assistant", "content": text}}]}).encode()


@pytest.mark.parametrize("ctype", ["application/json", "text/event-stream", "text/plain"])
def test_a_body_whose_scan_loops_is_withheld(slow_engine: RedactionEngine, ctype: str) -> None:
    body = _chat(f"Patient John Smith {LOOP_MARK}")
    if ctype == "text/event-stream":
        body = b"data: " + json.dumps({"choices": [{"index": 0, "delta": {"content": f"hi {LOOP_MARK}"}}]}).encode()
        body += b"\n\n"
    proc = slow_engine.open_body("safe_harbor", ctype)
    t0 = time.monotonic()
    with pytest.raises(ScanBudgetExceeded) as err:
        proc.feed(body)
        proc.finish()
    assert err.value.code == P.SCAN_BUDGET_EXCEEDED
    assert time.monotonic() - t0 < 10
    with pytest.raises(RedactionError):  # a poisoned processor releases nothing more
        proc.finish()
    # control: the same engine answers the next body normally
    proc = slow_engine.open_body("safe_harbor", "application/json")
    out = proc.feed(_chat("Patient John Smith, SSN 478-21-5096")) + proc.finish()
    assert b"478-21-5096" not in out and b"Smith" not in out and b"[" in out


def test_ext_proc_withholds_with_the_refusal_code_and_audits_it(slow_engine: RedactionEngine) -> None:
    from sidecar.observability.metrics import Metrics
    from sidecar.server.ext_proc_service import ExternalProcessorService, ExtProcDeps
    from tests.server.fakes import (
        FakeAudit,
        NullLog,
        authz_service,
        chat_body,
        check_request,
        processing_requests,
        released_body,
        run_process,
    )

    audit = FakeAudit()
    svc = ExternalProcessorService(ExtProcDeps(redaction=slow_engine, audit=audit, metrics=Metrics(), log=NullLog()))
    authz_svc, _ = authz_service()
    md = asyncio.run(authz_svc.Check(check_request(chat_body()), None)).dynamic_metadata  # type: ignore[arg-type]

    def exchange(text: str) -> list[ep.ProcessingResponse]:
        msgs = processing_requests(md, [_chat(text)], "application/json")
        return asyncio.run(run_process(svc, msgs))

    replies = exchange(f"loop {LOOP_MARK}")
    refusal = replies[-1].immediate_response
    assert refusal.status.code == 502
    assert json.loads(refusal.body)["error"] == P.SCAN_BUDGET_EXCEEDED
    kind, event = audit.events[-1]
    assert kind == "response" and event["outcome"] == P.SCAN_BUDGET_EXCEEDED and event["status"] == 502
    # control: the next exchange through the same service is answered and audited as completed
    replies = exchange("Patient John Smith")
    assert replies[-1].WhichOneof("response") == "response_body"
    assert b"Smith" not in released_body(replies)
    assert audit.events[-1][1]["outcome"] == "" and audit.events[-1][1]["complete"]
    assert threading.active_count() < 50
