"""SSE / NDJSON / text streams: any cut into chunks and events gives the whole-body redaction, and no
fragment of a redacted identifier is ever released (hypothesis properties + fixed cases)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sidecar.redaction.engine import RedactionEngine

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.redaction_corpus import Generator  # noqa: E402

KINDS = ["NAME", "SSN", "PHONE", "EMAIL", "DATE", "MRN", "ADDRESS", "CARD", "IP", "URL", "HEALTH_PLAN"]
FILLER = [
    "The patient",
    "was seen",
    "today and",
    "reports less pain.",
    "Plan:",
    "continue",
    "therapy",
    "call",
    "Contact",
    "SSN",
    "MRN",
    "on",
    "at",
    "émigré 😀 naïve",
    "\n",
    "Dr.",
    "member ID",
]


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[str]]:
    gen = Generator(draw(st.integers(0, 10_000)))
    parts: list[str] = []
    values: list[str] = []
    for _ in range(draw(st.integers(1, 8))):
        if draw(st.booleans()):
            v = gen.value(draw(st.sampled_from(KINDS)))
            values.append(v)
            parts.append(v)
        else:
            parts.append(draw(st.sampled_from(FILLER)))
    return " ".join(parts), values


def cuts(draw: st.DrawFn, n: int, max_parts: int) -> list[int]:
    points = draw(st.lists(st.integers(0, n), max_size=max_parts))
    return sorted(set(points) | {0, n})


def split(s: str, points: list[int]) -> list[str]:
    return [s[a:b] for a, b in zip(points, points[1:], strict=False)]


def chat_sse(pieces: list[str]) -> bytes:
    out = []
    for p in pieces:
        ev = {
            "id": "c",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "m",
            "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}],
        }
        out.append(f"data: {json.dumps(ev, ensure_ascii=False)}\n\n")
    end = {
        "id": "c",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "m",
        "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
    }
    out.append(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n")
    return "".join(out).encode("utf-8")


def anthropic_sse(pieces: list[str]) -> bytes:
    out = [
        'event: message_start\ndata: {"type":"message_start","message":{"id":"m","role":"assistant"}}\n\n',
        'event: content_block_start\ndata: {"type":"content_block_start","index":0,'
        '"content_block":{"type":"text","text":""}}\n\n',
    ]
    for p in pieces:
        ev = {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}}
        out.append(f"event: content_block_delta\ndata: {json.dumps(ev)}\n\n")
    out.append('event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n')
    out.append('event: message_stop\ndata: {"type":"message_stop"}\n\n')
    return "".join(out).encode("utf-8")


def run(
    engine: RedactionEngine, body: bytes, byte_cuts: list[int], ct: str, profile: str = "safe_harbor"
) -> bytes:
    p = engine.open_body(profile, ct)
    out = b"".join(p.feed(body[a:b]) for a, b in zip(byte_cuts, byte_cuts[1:], strict=False))
    return out + p.finish()


def chat_text(out: bytes) -> str:
    text = ""
    for block in out.decode("utf-8").split("\n\n"):
        if block.startswith("data: {"):
            for c in json.loads(block[6:])["choices"]:
                text += c["delta"].get("content") or ""
    return text


def anthropic_text(out: bytes) -> str:
    text = ""
    for block in out.decode("utf-8").split("\n\n"):
        for line in block.split("\n"):
            if line.startswith("data: "):
                d = json.loads(line[6:])
                if d["type"] == "content_block_delta":
                    text += d["delta"]["text"]
    return text


def assert_no_fragment(out: str, values: list[str], redacted: str) -> None:
    # every value the whole-body redaction removed must not appear, nor any 4+-char piece of it that
    # the whole-body output does not contain anyway
    for v in values:
        if v in redacted:
            continue
        assert v not in out
        core = v.replace(" ", "")
        for i in range(0, max(1, len(core) - 5)):
            frag = core[i : i + 6]
            if len(frag) == 6 and frag not in redacted.replace(" ", ""):
                assert frag not in out.replace(" ", ""), frag


PROP = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROP
@given(st.data(), documents())
def test_chat_sse_equals_whole_body(
    engine: RedactionEngine, data: st.DataObject, doc: tuple[str, list[str]]
) -> None:
    text, values = doc
    whole = engine.redact_text(text, "safe_harbor").text
    pieces = split(text, cuts(data.draw, len(text), 40))
    body = chat_sse(pieces)
    out = run(engine, body, cuts(data.draw, len(body), 60), "text/event-stream")
    got = chat_text(out)
    assert got == whole
    assert_no_fragment(got, values, whole)


@PROP
@given(st.data(), documents())
def test_anthropic_sse_equals_whole_body(
    engine: RedactionEngine, data: st.DataObject, doc: tuple[str, list[str]]
) -> None:
    text, values = doc
    whole = engine.redact_text(text, "standard").text
    body = anthropic_sse(split(text, cuts(data.draw, len(text), 40)))
    out = run(engine, body, cuts(data.draw, len(body), 60), "text/event-stream", "standard")
    assert anthropic_text(out) == whole


@PROP
@given(st.data(), documents())
def test_plain_text_stream_equals_whole_body(
    engine: RedactionEngine, data: st.DataObject, doc: tuple[str, list[str]]
) -> None:
    text, values = doc
    body = text.encode("utf-8")
    out = run(engine, body, cuts(data.draw, len(body), 80), "text/plain")  # cuts fall mid-UTF-8 too
    whole = engine.redact_text(text, "safe_harbor").text
    assert out.decode("utf-8") == whole
    assert_no_fragment(out.decode(), values, whole)


def test_every_reply_releases_only_scanned_text(engine: RedactionEngine) -> None:
    text = "Call me at 617-555-0199 or write to jane.doe@example.org, SSN 123-45-6789. Thanks."
    body = chat_sse(list(text))  # one character per event
    p = engine.open_body("safe_harbor", "text/event-stream")
    acc = b""
    for i in range(len(body)):
        acc += p.feed(body[i : i + 1])
        partial = chat_text(acc[: acc.rfind(b"\n\n") + 2] if b"\n\n" in acc else b"")
        for frag in ("617-555", "555-0199", "jane.doe", "example.org", "123-45", "45-6789"):
            assert frag not in partial
    acc += p.finish()
    assert chat_text(acc) == engine.redact_text(text, "safe_harbor").text
    assert p.summary == {"PHONE": 1, "EMAIL": 1, "SSN": 1}
    assert p.max_held_chars <= engine.analyzer.reach + 40


def test_ndjson_ollama_stream(engine: RedactionEngine) -> None:
    text = "Patient Maria Gonzalez, MRN: 00482913, phone 617-555-0199."
    lines = [
        json.dumps(
            {"model": "m", "message": {"role": "assistant", "content": text[i : i + 5]}, "done": False}
        )
        for i in range(0, len(text), 5)
    ]
    lines.append(json.dumps({"model": "m", "message": {"role": "assistant", "content": ""}, "done": True}))
    body = ("\n".join(lines) + "\n").encode()
    out = run(engine, body, list(range(0, len(body), 13)) + [len(body)], "application/x-ndjson")
    got = "".join(json.loads(line)["message"]["content"] for line in out.decode().splitlines())
    assert got == engine.redact_text(text, "safe_harbor").text
    assert "Gonzalez" not in out.decode() and "00482913" not in out.decode()


def test_sse_fields_kept_only_when_understood(engine: RedactionEngine) -> None:
    body = (
        b": keep-alive\n\nid: 7\nevent: note\ndata: plain text SSN 123-45-6789 end\n\n"
        b'event: message_delta\ndata: {"type":"other","note":"mail jane@example.org"}\n\n'
    )
    out = run(engine, body, [0, 5, len(body)], "text/event-stream").decode()
    assert "id: 7" in out and "event: message_delta" in out
    assert "keep-alive" not in out and "event: note" not in out  # comments and unknown event names dropped
    assert "123-45-6789" not in out and "jane@example.org" not in out
    assert "[EMAIL]" in out and "[SSN]" in out


def test_greedy_release_rule_leaks(engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: the oracle above can fail. A greedy release rule (everything is final) releases fragments of
    split identifiers and differs from whole-body redaction."""
    text = "We spoke with Maria Gonzalez and 617 555 0199 yesterday."
    whole = engine.redact_text(text, "safe_harbor").text
    monkeypatch.setattr(type(engine.analyzer), "open_at", lambda self, t, types, start=0: len(t))
    greedy = engine.text_stream(engine.redactor("safe_harbor"))
    out = "".join(greedy.push(text[i : i + 3]) for i in range(0, len(text), 3)) + greedy.finish()
    assert "617" not in whole and out != whole


def test_sse_crlf_framing(engine: RedactionEngine) -> None:
    body = chat_sse(["SSN 123-", "45-6789 ok"]).replace(b"\n", b"\r\n")
    out = run(engine, body, [0, 3, 50, 51, len(body)], "text/event-stream")
    assert chat_text(out) == "SSN [SSN] ok"


def _sse(events: list[dict]) -> bytes:
    return "".join(f"data: {json.dumps(e)}\n\n" for e in events).encode() + b"data: [DONE]\n\n"


def test_chat_two_choices_and_tool_call_arguments(engine: RedactionEngine) -> None:
    a = "Reach Maria Gonzalez at 617-555-0199 today."
    b = "Her SSN is 123-45-6789."
    args = json.dumps({"patient_email": "jane.doe@example.org"})
    events = []
    for i in range(0, max(len(a), len(b), len(args)), 4):
        events.append(
            {
                "object": "chat.completion.chunk",
                "choices": [
                    {"index": 0, "delta": {"content": a[i : i + 4]}, "finish_reason": None},
                    {
                        "index": 1,
                        "delta": {
                            "content": b[i : i + 4],
                            "tool_calls": [
                                {
                                    "index": 0,
                                    "id": "call_1" if i == 0 else None,
                                    "function": {"arguments": args[i : i + 4]},
                                }
                            ],
                        },
                        "finish_reason": None,
                    },
                ],
            }
        )
    events.append(
        {
            "object": "chat.completion.chunk",
            "choices": [
                {"index": 0, "delta": {}, "finish_reason": "stop"},
                {"index": 1, "delta": {}, "finish_reason": "tool_calls"},
            ],
        }
    )
    body = _sse(events)
    out = run(engine, body, list(range(0, len(body), 11)) + [len(body)], "text/event-stream")
    texts = {0: "", 1: ""}
    arg_text = ""
    for block in out.decode().split("\n\n"):
        if block.startswith("data: {"):
            for c in json.loads(block[6:])["choices"]:
                texts[c["index"]] += c["delta"].get("content") or ""
                for tc in c["delta"].get("tool_calls") or []:
                    arg_text += tc["function"].get("arguments") or ""
    assert texts[0] == engine.redact_text(a, "safe_harbor").text
    assert texts[1] == engine.redact_text(b, "safe_harbor").text
    assert json.loads(arg_text) == {"patient_email": "[EMAIL]"}
    assert out.rstrip().endswith(b"data: [DONE]")


def test_openai_responses_stream(engine: RedactionEngine) -> None:
    text = "Call Dr. Emily Clark at (555) 123-4567."
    events = [{"type": "response.created", "response": {"id": "r1", "output": []}}]
    for i in range(0, len(text), 3):
        events.append(
            {
                "type": "response.output_text.delta",
                "item_id": "m1",
                "output_index": 0,
                "content_index": 0,
                "delta": text[i : i + 3],
            }
        )
    events.append(
        {
            "type": "response.output_text.done",
            "item_id": "m1",
            "output_index": 0,
            "content_index": 0,
            "text": text,
        }
    )
    events.append(
        {
            "type": "response.completed",
            "response": {
                "id": "r1",
                "output": [{"type": "message", "content": [{"type": "output_text", "text": text}]}],
            },
        }
    )
    out = run(engine, _sse(events), [0, len(_sse(events))], "text/event-stream", "standard")
    deltas = ""
    whole = engine.redact_text(text, "standard").text
    for block in out.decode().split("\n\n"):
        if block.startswith("data: {"):
            ev = json.loads(block[6:])
            if ev["type"] == "response.output_text.delta":
                deltas += ev["delta"]
            elif ev["type"] == "response.output_text.done":
                assert ev["text"] == whole
    assert deltas == whole and "Clark" not in out.decode() and "123-4567" not in out.decode()


def test_request_body_minimisation(engine: RedactionEngine) -> None:
    req = {
        "model": "gpt-x",
        "messages": [
            {"role": "system", "content": "You are helpful."},
            {"role": "user", "content": "Summarise the chart of John Smith, MRN 00482913."},
        ],
    }
    p = engine.open_body("standard", "application/json", direction="request")
    out = json.loads(p.feed(json.dumps(req).encode()) + p.finish())
    assert out["messages"][1]["content"] == "Summarise the chart of [NAME], MRN [MRN]."
    assert out["model"] == "gpt-x" and out["messages"][0]["content"] == "You are helpful."
    from sidecar.redaction.engine import summary_header

    assert summary_header(p.summary) == "MRN=1,NAME=1"


def test_chunk_of_many_events_is_scanned_once(engine: RedactionEngine) -> None:
    """One Envoy chunk carrying many events: their text is joined and released once, into the channel's
    last event of that chunk; the earlier events of the chunk go out with empty deltas."""
    text = "Reach Maria Gonzalez at 617-555-0199 or jane.doe@example.org about the visit today. " * 3
    body = chat_sse([text[i : i + 4] for i in range(0, len(text), 4)])
    events = body.split(b"\n\n")[:-1]
    first = b"\n\n".join(events[:60]) + b"\n\n"  # 240 characters of text, no finish_reason yet
    p = engine.open_body("safe_harbor", "text/event-stream")
    out1 = p.feed(first).decode()
    deltas = [
        json.loads(b[6:])["choices"][0]["delta"]["content"] for b in out1.split("\n\n") if b.startswith("data: {")
    ]
    assert len(deltas) == 60
    assert all(d == "" for d in deltas[:-1]) and deltas[-1]
    rest = p.feed(body[len(first) :]) + p.finish()
    assert chat_text(out1.encode() + rest) == engine.redact_text(text, "safe_harbor").text
    assert "Gonzalez" not in out1 and "0199" not in out1
