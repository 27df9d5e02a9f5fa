"""A hostile upstream through real Envoy and the real guard (issue 15 items 2-5, issue 17): the demo model is
scripted to answer with unusual but valid bodies that carry identifiers in keys, structural values, SSE fields,
non-SSE text, provider stream shapes split across events, and other charsets; streamed (one chunk per event,
paced) and not (one chunk). No identifier may reach the client, and the guard must keep serving."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import httpx
import pytest
from redaction.test_body_channels import SHAPES, TEXT, UTF7_EMAIL, _blocks

pytestmark = pytest.mark.e2e

PLANTED = ["John Smith", "123-45-6789", "617-555-0199", "jane.doe@example.org"]
CHAT = {"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": "fine"}}]}


def alnum(s: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", s)


def leaks(body: bytes) -> list[str]:
    flat = alnum(body.decode("utf-8", "replace"))
    return [v for v in PLANTED if alnum(v) in flat]


def ask(stack: Any, answer: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    """Queue ``answer`` and make one researcher request; returns status, headers and every byte received
    (a reset stream counts as withheld: what arrived before the reset is returned)."""
    stack.demo_script(answer)
    headers = {**stack.auth_headers("r.franklin", ["researcher"]), "x-phi-guard-purpose": "research"}
    body = {"model": "echo", "messages": [{"role": "user", "content": "hello"}], "stream": True}
    got = b""
    status, hdrs = 0, {}
    with stack.http() as client:
        try:
            with client.stream("POST", "/v1/chat/completions", json=body, headers=headers) as resp:
                status, hdrs = resp.status_code, dict(resp.headers)
                for chunk in resp.iter_raw():
                    got += chunk
        except httpx.HTTPError:
            status = status or -1
    return status, hdrs, got


def still_serving(stack: Any) -> None:
    status, _, body = ask(stack, {"headers": [["content-type", "text/event-stream"]],
                                  "chunks": [f"data: {json.dumps(CHAT)}\n\n", "data: [DONE]\n\n"]})
    assert status == 200 and b"fine" in body


def answer(ct: str, body: bytes | str, streamed: bool, step: int = 0) -> dict[str, Any]:
    raw = body.encode() if isinstance(body, str) else body
    if streamed:
        if step:
            parts = [raw[i : i + step] for i in range(0, len(raw), step)]
        else:  # one chunk per SSE event / NDJSON line
            sep = b"\n\n" if b"\n\n" in raw else b"\n"
            parts = [p + sep for p in raw.split(sep) if p]
    else:
        parts = [raw]
    return {"headers": [["content-type", ct]], "chunks_b64": [base64.b64encode(p).decode() for p in parts],
            "delay_ms": 2 if streamed else 0}


def sse(*events: str) -> str:
    return "".join(e + "\n\n" for e in events)


CHUNK = f"data: {json.dumps(CHAT)}"
CASES: dict[str, tuple[str, bytes | str]] = {
    "json_keys": ("application/json", json.dumps({
        "id": "chatcmpl-abc123def456", "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
        "John Smith SSN 123-45-6789": {"617-555-0199": "x", "meta": {"jane.doe@example.org": 1}}})),
    "json_structural_values": ("application/json", json.dumps({
        "id": "123-45-6789", "model": "John Smith", "object": "jane.doe@example.org",
        "system_fingerprint": "617-555-0199", "ssn_number": 123456789,
        "choices": [{"index": 0, "finish_reason": "John Smith", "message": {"role": "123-45-6789", "content": ""}}]})),
    "sse_comment": ("text/event-stream", sse(": John Smith 123-45-6789", CHUNK)),
    "sse_event_name": ("text/event-stream", sse("event: John Smith 617-555-0199\n" + CHUNK)),
    "sse_id": ("text/event-stream", sse("id: 123-45-6789\n" + CHUNK, "id: jane.doe@example.org\n" + CHUNK)),
    "sse_retry": ("text/event-stream", sse("retry: 617-555-0199\n" + CHUNK)),
    "sse_unknown_field": ("text/event-stream", sse("x-patient: John Smith 123-45-6789\n" + CHUNK)),
    "sse_case_variant": ("text/event-stream", sse("Data: John Smith 123-45-6789\nEVENT: 617-555-0199\n" + CHUNK)),
    "sse_not_sse": ("text/event-stream", "Patient John Smith, SSN 123-45-6789, phone 617-555-0199\n"),
    "sse_text_data": ("text/event-stream", sse("data: Patient John Sm", "data: ith SSN 123-45-", "data: 6789 ok")),
    "sse_cr_bom": ("text/event-stream", "\ufeffdata: SSN 123-45-6789 ok\r\rdata: John Smith\r\r"),
}
CASES.update({f"shape_{k}": (ct, make(TEXT, 1)) for k, (make, ct) in SHAPES.items()})
CASES["shape_anthropic_blocks"] = ("text/event-stream", "".join(
    f"event: {n}\ndata: {json.dumps(o)}\n\n"
    for n, o in [*_blocks(["Patient John", " Smith, SSN 123-45-", "6789, phone 617-555-0199"]),
                 ("message_stop", {"type": "message_stop"})]))


@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_upstream_bodies_never_reach_the_client(stack: Any, case: str, streamed: bool) -> None:
    ct, body = CASES[case]
    status, _, got = ask(stack, answer(ct, body, streamed))
    assert not leaks(got), (case, got[:400])
    assert status in (200, 502, -1), status  # answered redacted, or withheld (502 / reset)
    if case.startswith("shape_"):
        assert status == 200 and b"[SSN]" in got  # understood and redacted, not merely withheld


def test_bodies_cut_at_every_few_bytes(stack: Any) -> None:
    """Network chunks that cut events, lines and UTF-8 sequences anywhere."""
    for case in ("shape_anthropic", "shape_responses", "shape_gemini", "sse_case_variant"):
        ct, body = CASES[case]
        status, _, got = ask(stack, answer(ct, body, True, step=7))
        assert not leaks(got), case
        assert status == 200


@pytest.mark.parametrize(
    ("charset", "ct", "payload"),
    [
        ("utf-7", "application/json", UTF7_EMAIL),
        ("utf-16", "text/event-stream", sse(f"data: {TEXT}").encode("utf-16")),
        ("utf-32", "application/json", json.dumps({"content": TEXT}).encode("utf-32")),
        ("latin-1", "text/event-stream", sse(f"data: café {TEXT}").encode("latin-1")),
    ],
)
@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
def test_charsets_are_decoded_and_answered_as_utf8(
    stack: Any, charset: str, ct: str, payload: bytes, streamed: bool
) -> None:
    status, headers, got = ask(stack, answer(f"{ct}; charset={charset}", payload, streamed, step=5))
    assert status == 200
    assert headers["content-type"] == f"{ct}; charset=utf-8"
    text = got.decode("utf-8")  # the client reads UTF-8, as the header says
    assert not leaks(got)
    assert "[EMAIL]" in text
    if charset == "latin-1":
        assert "café" in text


@pytest.mark.parametrize("charset", ["x-unknown-42", "rot13"])
def test_unknown_charset_is_withheld(stack: Any, charset: str) -> None:
    status, _, got = ask(stack, answer(f"application/json; charset={charset}", json.dumps({"content": TEXT}), False))
    assert status == 502 and not leaks(got)


def test_guard_stays_up_after_every_hostile_body(stack: Any) -> None:
    for case in ("sse_not_sse", "json_keys", "shape_generic"):
        ct, body = CASES[case]
        ask(stack, answer(ct, body, True))
        still_serving(stack)


def test_control_the_oracle_sees_a_raw_body(stack: Any) -> None:
    """Control: the demo model's raw bytes carry the planted values (read straight from the model, not
    through Envoy), so ``leaks`` would fail a guard that passed them."""
    stack.demo_script(answer("text/event-stream", CASES["sse_comment"][1], False))
    r = httpx.post(f"{stack.upstream_url}/v1/chat/completions", json={"model": "echo", "messages": []},
                   headers={"authorization": f"Bearer {stack.upstream_credential()}"}, timeout=10)
    assert "John Smith" in leaks(r.content)
