"""The scan budget through real Envoy: a guard whose budget is far below what a real pathological answer (400 KB of
PHI-dense text, scanned in a worker thread) costs withholds it with 502 ``scan_budget_exceeded``, audits that
outcome, and answers the next request. Controls: the same guard answers a small body; the default guard answers
the same large body, redacted."""

from __future__ import annotations

import json
from typing import Any

import pytest

from devstack.info import StackInfo
from sidecar import protocol as P
from tests.e2e.audit_util import wait_events

pytestmark = pytest.mark.e2e

LINE = "Patient Maria Okonkwo, SSN 478-21-5096, phone 512-437-7788, seen at 4821 Wisteria Lane. "
BIG = LINE * (400_000 // len(LINE))  # over the guard's 256 KB threshold: scanned in a worker thread


def _answer(text: str) -> dict[str, Any]:
    body = {"id": "chatcmpl-RtQwErTyUiOp", "object": "chat.completion", "model": "echo",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}]}
    return {"status": 200, "headers": [["content-type", "application/json"]], "chunks": [json.dumps(body)]}


def _ask(stack: StackInfo, sub: str, text: str) -> tuple[int, bytes]:
    stack.demo_script(_answer(text))
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
