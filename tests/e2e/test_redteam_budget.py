"""The scan budget through real Envoy: a guard whose budget is far below what a real pathological answer (400 KB of
PHI-dense text, scanned in a worker thread) costs withholds it with 502 ``scan_budget_exceeded``, audits that
outcome, and answers the next request. The refusal is a clean status also when the upstream sends the headers
first and the body in pauses (the guard holds a JSON answer's headers until its body is scanned: Envoy sends the
body early, ``protocol.EARLY_BODY_METADATA``), and a pause longer than Envoy's ext_proc message timeout does not
fail a held answer. Controls: the same guard answers a small body; the default guard answers the same large body,
redacted; a body over the hold limit leaves its headers early, so its late refusal is a reset stream (never PHI)."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from devstack.info import StackInfo
from sidecar import protocol as P
from tests.e2e.audit_util import wait_events

pytestmark = pytest.mark.e2e

LINE = "Patient Maria Okonkwo, SSN 478-21-5096, phone 512-437-7788, seen at 4821 Wisteria Lane. "
BIG = LINE * (400_000 // len(LINE))  # over the guard's 256 KB threshold: scanned in a worker thread


def _answer(text: str, parts: int = 1, delay_ms: int = 0) -> dict[str, Any]:
    body = json.dumps({"id": "chatcmpl-RtQwErTyUiOp", "object": "chat.completion", "model": "echo", "choices": [
        {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}]})
    step = -(-len(body) // parts)
    return {"status": 200, "headers": [["content-type", "application/json"]], "delay_ms": delay_ms,
            "chunks": [body[i:i + step] for i in range(0, len(body), step)]}


def _ask(stack: StackInfo, sub: str, text: str, parts: int = 1, delay_ms: int = 0) -> tuple[int, bytes]:
    stack.demo_script(_answer(text, parts, delay_ms))
    headers = {**stack.auth_headers(sub, ["researcher"]), "x-phi-guard-purpose": "research"}
    with stack.http(timeout=120) as client:
        r = client.post("/v1/chat/completions", headers=headers,
                        json={"model": "echo", "messages": [{"role": "user", "content": "summary"}]})
    return r.status_code, r.content


@pytest.fixture(scope="module")
def tight(stack_factory: Any) -> StackInfo:
    stack: StackInfo = stack_factory(guard_overrides={"redaction": {"scan_budget_seconds": 0.05,
                                                                    "scan_budget_seconds_per_mib": 0}})
    return stack


def test_a_scan_over_budget_is_withheld_audited_and_the_guard_serves_on(tight: StackInfo) -> None:
    sub = "r.budget"
    status, body = _ask(tight, sub, BIG)
    assert status == 502, body[:300]
    assert json.loads(body)["error"] == P.SCAN_BUDGET_EXCEEDED
    assert b"Okonkwo" not in body and b"5096" not in body
    # control: the same guard answers the next (small) body, redacted
    status, body = _ask(tight, sub, LINE)
    assert status == 200, body[:300]
    assert b"Okonkwo" not in body and b"478-21-5096" not in body
    events = wait_events(tight, sub, lambda evs: any(e.get("outcome") == P.SCAN_BUDGET_EXCEEDED for e in evs))
    refused = [e for e in events if e.get("outcome") == P.SCAN_BUDGET_EXCEEDED]
    assert refused[-1]["status"] == 502


def test_control_the_default_budget_answers_the_same_body(stack: StackInfo) -> None:
    status, body = _ask(stack, "r.budget", BIG)
    assert status == 200, body[:300]
    assert b"Okonkwo" not in body and b"478-21-5096" not in body


@pytest.mark.parametrize("parts,delay_ms", [(2, 400), (8, 60)])
def test_an_answer_sent_in_pauses_is_refused_with_a_clean_status(tight: StackInfo, parts: int, delay_ms: int) -> None:
    status, body = _ask(tight, "r.budget.paused", BIG, parts, delay_ms)
    assert status == 502, body[:300]
    assert json.loads(body)["error"] == P.SCAN_BUDGET_EXCEEDED


def test_a_held_answer_may_pause_longer_than_the_message_timeout(tight: StackInfo) -> None:
    # Envoy's ext_proc message_timeout is 5 s: the guard extends it while it holds the headers
    status, body = _ask(tight, "r.budget.slow", LINE, parts=2, delay_ms=6000)
    assert status == 200, body[:300]
    assert b"Okonkwo" not in body and b"478-21-5096" not in body


def test_control_a_body_over_the_hold_limit_is_reset_without_phi(tight: StackInfo) -> None:
    text = LINE * (700_000 // len(LINE))  # over HOLD_HEADERS_MAX_BYTES: the headers leave with the first chunks
    tight.demo_script(_answer(text, 4, 50))
    headers = {**tight.auth_headers("r.budget.big", ["researcher"]), "x-phi-guard-purpose": "research"}
    got = bytearray()
    ask = {"model": "echo", "messages": [{"role": "user", "content": "summary"}]}
    with tight.http(timeout=120) as client, pytest.raises(httpx.RemoteProtocolError), \
            client.stream("POST", "/v1/chat/completions", headers=headers, json=ask) as r:
        assert r.status_code == 200  # what the client was told before the refusal
        for chunk in r.iter_raw():
            got += chunk
    # as a token: the events' random ids ("chatcmpl-...") may hold the four digits
    assert b"Okonkwo" not in got and re.search(rb"(?<![0-9A-Za-z])5096(?![0-9A-Za-z])", bytes(got)) is None
