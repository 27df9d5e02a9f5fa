"""Streams through real Envoy and the real guard (issue 17): the release rule seen from the client.

- Streamed one character per event, adversarial texts (whitespace runs past any window, long digit runs and
  words, names and addresses cut anywhere) come out exactly as the same text answered as one JSON body.
- Identifier-free prose scripted as a real tokenizer cuts it (one word per event, paced) is released as it
  arrives, word by word, not at the end. Timing is judged loosely (a loaded machine); the benchmark
  (bench/stream_latency.py) is where the latency targets are checked.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

PROSE = (
    "The patient reports improved sleep and less shortness of breath on exertion since the last visit. "
    "Blood pressure is well controlled on the current regimen and no side effects were described. "
    "Continue the present dose and review home readings at the next appointment."
)
ADVERSARIAL = [
    "4821 Wisteria" + " " * 120 + "Lane, Springfield, IL 62704",
    "John" + " " * 120 + "Smith",
    "Seen by Maria Gonzalez, SSN 123-45-6789, call 617-555-0199 or jane.doe@example.org today.",
    "MRN " + "7" * 700 + " then SSN 123-45-6789",
    "note " + "a" * 900 + " 123-45-6789 end",
    " " * 600 + "Dr. John Smith" + "\t" * 300 + "4821 Wisteria Lane, Springfield, IL 62704",
]


def _event(delta: dict[str, Any], finish: str | None = None) -> str:
    doc = {
        "id": "chatcmpl-e2e",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "echo",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(doc)}\n\n"


def sse_script(pieces: list[str], delay_ms: float = 0) -> dict[str, Any]:
    chunks = [_event({"role": "assistant", "content": ""})]
    chunks += [_event({"content": p}) for p in pieces]
    chunks += [_event({}, "stop"), "data: [DONE]\n\n"]
    return {"headers": [["content-type", "text/event-stream"]], "chunks": chunks, "delay_ms": delay_ms}


def json_script(text: str) -> dict[str, Any]:
    doc = {
        "id": "chatcmpl-e2e",
        "object": "chat.completion",
        "created": 1,
        "model": "echo",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
    }
    return {"headers": [["content-type", "application/json"]], "chunks": [json.dumps(doc)]}


def _headers(stack: Any) -> dict[str, str]:
    return {**stack.auth_headers("r.franklin", ["researcher"]), "x-phi-guard-purpose": "research"}


def _content(event: bytes) -> str:
    for line in event.split(b"\n"):
        if line.startswith(b"data: {"):
            doc = json.loads(line[6:])
            return "".join((c.get("delta") or {}).get("content") or "" for c in doc.get("choices") or [])
    return ""


def streamed(stack: Any, script: dict[str, Any]) -> tuple[str, list[tuple[float, str]]]:
    """The joined ``delta.content`` and (arrival seconds, text) of every read that brought text."""
    stack.demo_script(script)
    body = {"model": "echo", "messages": [{"role": "user", "content": "hello"}], "stream": True}
    reads: list[tuple[float, str]] = []
    buf = b""
    with stack.http() as client:
        t0 = time.perf_counter()
        with client.stream("POST", "/v1/chat/completions", json=body, headers=_headers(stack)) as resp:
            assert resp.status_code == 200
            for chunk in resp.iter_bytes():
                buf += chunk
                *events, buf = buf.split(b"\n\n")
                text = "".join(_content(e) for e in events)
                if text:
                    reads.append((time.perf_counter() - t0, text))
    return "".join(t for _, t in reads), reads


def whole(stack: Any, text: str) -> str:
    stack.demo_script(json_script(text))
    body = {"model": "echo", "messages": [{"role": "user", "content": "hello"}]}
    with stack.http() as client:
        resp = client.post("/v1/chat/completions", json=body, headers=_headers(stack))
    assert resp.status_code == 200
    return str(resp.json()["choices"][0]["message"]["content"])


@pytest.mark.parametrize("text", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_one_char_events_equal_the_whole_body(stack: Any, text: str) -> None:
    expected = whole(stack, text)
    assert expected != text  # control: there is something to redact, so equality is not the raw text twice
    got, _ = streamed(stack, sse_script(list(text)))
    if "[REDACTED]" in got:  # a candidate outgrew every detector's reach: redacted whole, never in part
        assert not re.search(r"\d{4}|Smith|Wisteria|Lane|6789|0199", got), got
    else:
        assert got == expected


def progressive(reads: list[tuple[float, str]], tokens: int, delay_s: float) -> bool:
    """Released as it arrived: text came in many reads (at least a third of the tokens) and the first text
    came while most of the answer was still to be sent."""
    return len(reads) >= tokens / 3 and bool(reads) and reads[0][0] < tokens * delay_s / 2


def test_prose_word_tokens_are_released_as_they_arrive(stack: Any) -> None:
    tokens = re.findall(r"\s*\S+", PROSE)
    delay = 0.02
    got, reads = streamed(stack, sse_script(tokens, delay * 1000))
    assert got == PROSE
    assert progressive(reads, len(tokens), delay), [round(t, 3) for t, _ in reads[:5]]
    # the oracle can fail: all text in one read at the end (a buffering guard) is not progressive
    assert not progressive([(len(tokens) * delay, PROSE)], len(tokens), delay)
