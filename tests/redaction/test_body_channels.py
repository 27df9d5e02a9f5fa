"""Issue 15 items 2-5 at unit level: JSON keys and structural values, SSE framing per WHATWG, provider stream
shapes split across events (including text that begins in a start event), charsets. Each planted identifier
must not survive; controls show the checks can fail."""

from __future__ import annotations

import json
import re

import pytest

from sidecar.redaction.bodies import shapes
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.errors import BodyParseError, RedactionError, UnsupportedCharset

SECRETS = ["John Smith", "123-45-6789", "617-555-0199", "jane.doe@example.org"]
TEXT = "Patient John Smith, SSN 123-45-6789, phone 617-555-0199, mail jane.doe@example.org today."


def alnum(s: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", s)


def assert_clean(out: str | bytes) -> None:
    """No planted identifier, by its letters and digits (whatever punctuation or escaping surrounds them)."""
    text = out.decode("utf-8") if isinstance(out, bytes) else out
    flat = alnum(json.loads(json.dumps(text)))
    for v in SECRETS:
        assert alnum(v) not in flat, v


def run(engine: RedactionEngine, body: bytes, ct: str, step: int = 0, profile: str = "safe_harbor") -> bytes:
    p = engine.open_body(profile, ct)
    cuts = range(0, len(body), step or max(1, len(body)))
    return b"".join(p.feed(body[i : i + (step or len(body))]) for i in cuts) + p.finish()


def sse(events: list[tuple[str | None, object]]) -> bytes:
    out = []
    for name, obj in events:
        head = f"event: {name}\n" if name else ""
        out.append(f"{head}data: {json.dumps(obj)}\n\n")
    return "".join(out).encode()


def pieces(text: str, n: int = 1) -> list[str]:
    return [text[i : i + n] for i in range(0, len(text), n)]


# --- item 2: JSON keys and structural values ---------------------------------------------------------------


def test_unknown_keys_are_scanned_schema_keys_are_not(engine: RedactionEngine) -> None:
    doc = {
        "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
        "John Smith SSN 123-45-6789": "x",
        "meta": {"617-555-0199": 1, "jane.doe@example.org": {"Maria Gonzalez": "y"}},
    }
    out = run(engine, json.dumps(doc).encode(), "application/json")
    assert_clean(out)
    got = json.loads(out)
    assert got["id"] == doc["id"] and got["choices"] == doc["choices"] and got["object"] == "chat.completion"
    assert "[NAME] SSN [SSN]" in got and got["meta"]["[PHONE]"] == 1
    assert "Gonzalez" not in out.decode()


def test_colliding_redacted_keys_are_kept_apart(engine: RedactionEngine) -> None:
    out = json.loads(run(engine, json.dumps({"123-45-6789": 1, "078-05-1120": 2}).encode(), "application/json"))
    assert out == {"[SSN]": 1, "[SSN]#2": 2}


@pytest.mark.parametrize(
    ("key", "value", "passes"),
    [
        ("id", "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", True),
        ("id", "msg_01XFDUDYJgAACzvnptvVoYEL", True),
        ("tool_call_id", "call_abc123XYZ789", True),
        ("id", "123-45-6789", False),
        ("id", "call_123-45-6789", False),
        ("finish_reason", "stop", True),
        ("finish_reason", "John Smith 617-555-0199", False),
        ("role", "assistant", True),
        ("role", "jane.doe@example.org", False),
        ("type", "response.output_text.delta", True),
        ("type", "SSN 123-45-6789", False),
        ("object", "chat.completion.chunk", True),
        ("system_fingerprint", "fp_44709d6fcb", True),
        ("system_fingerprint", "617-555-0199", False),
        ("created_at", "2024-03-01T10:00:00Z", True),
        ("created_at", "March 1 2024, John Smith", False),
        ("status", "completed", True),
        ("unknown_key", "anything", False),
    ],
)
def test_value_shapes(key: str, value: str, passes: bool) -> None:
    assert shapes.value_shape_ok(key, value) is passes


def test_structural_values_of_other_shapes_are_redacted(engine: RedactionEngine) -> None:
    doc = {
        "id": "123-45-6789",
        "model": "John Smith 617-555-0199",
        "object": "jane.doe@example.org",
        "system_fingerprint": "SSN 123-45-6789",
        "choices": [{"index": 0, "finish_reason": "John Smith", "message": {"role": "617-555-0199", "content": ""}}],
        "created_at": "2024-03-01T10:00:00Z",
    }
    out = run(engine, json.dumps(doc).encode(), "application/json")
    assert_clean(out)
    assert json.loads(out)["created_at"] == "2024-03-01T10:00:00Z"  # a timestamp shape passes under safe_harbor


def test_numbers_outside_the_schema_are_scanned(engine: RedactionEngine) -> None:
    doc = {"ssn": 123456789, "phone": 6175550199, "x": [123456789, 2, 0.5], "ok": 3, "created": 1712345678,
           "usage": {"total_tokens": 1234567}, "total_duration": 123456789012}
    out = json.loads(run(engine, json.dumps(doc).encode(), "application/json"))
    assert out["ssn"] == out["phone"] == "[ID]" and out["x"] == ["[ID]", 2, 0.5] and out["ok"] == 3
    # schema numbers stay numbers; those of identifier length keep 4 significant digits (round 8)
    assert out["created"] == 1712345678 and out["usage"] == {"total_tokens": 1235000}
    assert out["total_duration"] == 123500000000


def test_model_version_date_is_kept_but_identifiers_in_model_are_not(engine: RedactionEngine) -> None:
    body = b'{"model": "gpt-4o-2024-08-06", "x": {"model": "m-123-45-6789"}}'
    out = json.loads(run(engine, body, "application/json"))
    assert out["model"] == "gpt-4o-2024-08-06"
    assert "6789" not in out["x"]["model"]


def test_control_shape_bypass_is_caught(engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: if every value had an accepted shape, the planted identifiers would pass and the check fails."""
    from sidecar.redaction.bodies import json_walk

    monkeypatch.setattr(json_walk, "value_shape_ok", lambda key, value: True)
    out = run(engine, json.dumps({"id": "123-45-6789"}).encode(), "application/json")
    with pytest.raises(AssertionError):
        assert_clean(out)


# --- item 3: SSE framing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b": John Smith 123-45-6789\n\ndata: {\"choices\":[]}\n\n",  # comment
        b"event: John Smith 123-45-6789\ndata: {\"choices\":[]}\n\n",  # event name of no known shape
        b"id: 123-45-6789\ndata: {\"choices\":[]}\n\n",  # id that scans as PHI
        b"id: John Smith\ndata: {\"choices\":[]}\n\n",  # id outside the grammar
        b"retry: 617-555-0199\ndata: {\"choices\":[]}\n\n",
        b"Data: John Smith 123-45-6789\ndata: {\"choices\":[]}\n\n",  # field names are case-sensitive
        b"DATA: John Smith\nx-patient: 123-45-6789\ndata: {\"choices\":[]}\n\n",  # unknown fields
        b"data: John Smith 123-45-6789 plain text\n\n",  # a non-JSON data payload is a text channel
        b"\xef\xbb\xbfdata: SSN 123-45-6789 and John Smith\r\rdata: ok\r\n\r\n",  # BOM, CR and CRLF lines
        b"data:John Smith, 617-555-0199\n\n",  # no space after the colon
    ],
)
@pytest.mark.parametrize("step", [0, 1, 7])
def test_sse_fields_carry_no_identifiers(engine: RedactionEngine, body: bytes, step: int) -> None:
    out = run(engine, body, "text/event-stream", step)
    assert_clean(out)
    assert out.endswith(b"\n\n")


def test_sse_known_fields_are_kept(engine: RedactionEngine) -> None:
    body = b"id: 42\nretry: 3000\nevent: content_block_delta\ndata: {\"type\":\"ping\"}\n\n"
    out = run(engine, body, "text/event-stream").decode()
    assert out == 'event: content_block_delta\nid: 42\nretry: 3000\ndata: {"type":"ping"}\n\n'


@pytest.mark.parametrize("body", [b"Patient John Smith SSN 123-45-6789\n\n", b"hello\nworld\n\n"])
def test_non_sse_body_under_event_stream_is_withheld(engine: RedactionEngine, body: bytes) -> None:
    p = engine.open_body("standard", "text/event-stream")
    with pytest.raises(BodyParseError):
        p.feed(body)
        p.finish()


# --- item 4: provider stream shapes ------------------------------------------------------------------------


def anthropic(text: str, n: int) -> bytes:
    head, rest = text[:9], text[9:]  # text begins in content_block_start
    ev: list[tuple[str | None, object]] = [
        ("message_start", {"type": "message_start", "message": {"id": "msg_01XFDUDYJgAACzvnptvVoYEL",
                                                                 "role": "assistant", "content": []}}),
        ("content_block_start", {"type": "content_block_start", "index": 0,
                                 "content_block": {"type": "text", "text": head}}),
    ]
    ev += [("content_block_delta", {"type": "content_block_delta", "index": 0,
                                    "delta": {"type": "text_delta", "text": p}}) for p in pieces(rest, n)]
    ev += [("content_block_start", {"type": "content_block_start", "index": 1,
                                    "content_block": {"type": "thinking", "thinking": head}})]
    ev += [("content_block_delta", {"type": "content_block_delta", "index": 1,
                                    "delta": {"type": "thinking_delta", "thinking": p}}) for p in pieces(rest, n)]
    ev += [("content_block_stop", {"type": "content_block_stop", "index": 0}),
           ("content_block_stop", {"type": "content_block_stop", "index": 1}),
           ("message_stop", {"type": "message_stop"})]
    return sse(ev)


def responses(text: str, n: int) -> bytes:
    head, rest = text[:9], text[9:]
    ev: list[tuple[str | None, object]] = [
        ("response.output_item.added", {"type": "response.output_item.added", "output_index": 0, "item": {
            "id": "msg_abc123def456", "type": "message", "role": "assistant",
            "content": [{"type": "output_text", "text": head}]}}),
    ]
    ev += [("response.output_text.delta", {"type": "response.output_text.delta", "item_id": "msg_abc123def456",
                                           "output_index": 0, "content_index": 0, "delta": p})
           for p in pieces(rest, n)]
    ev += [("response.output_text.done", {"type": "response.output_text.done", "item_id": "msg_abc123def456",
                                          "output_index": 0, "content_index": 0, "text": text})]
    ev += [("response.output_item.added", {"type": "response.output_item.added", "output_index": 1, "item": {
        "id": "fc_abc123def456", "type": "function_call", "call_id": "call_abc123def456", "name": "lookup",
        "arguments": head}})]
    ev += [("response.function_call_arguments.delta", {"type": "response.function_call_arguments.delta",
                                                       "item_id": "fc_abc123def456", "output_index": 1, "delta": p})
           for p in pieces(rest, n)]
    ev += [("response.content_part.added", {"type": "response.content_part.added", "item_id": "msg_zzz999yyy888",
                                            "output_index": 2, "content_index": 0,
                                            "part": {"type": "output_text", "text": head}})]
    ev += [("response.output_text.delta", {"type": "response.output_text.delta", "item_id": "msg_zzz999yyy888",
                                           "output_index": 2, "content_index": 0, "delta": p})
           for p in pieces(rest, n)]
    ev += [("response.completed", {"type": "response.completed", "response": {"id": "resp_abc123def456",
                                                                              "status": "completed"}})]
    return sse(ev)


def gemini(text: str, n: int) -> bytes:
    return sse([(None, {"candidates": [{"content": {"parts": [{"text": p}], "role": "model"}, "index": 0}],
                        "modelVersion": "gemini-2.0-flash"}) for p in pieces(text, n)]
               + [(None, {"candidates": [{"content": {"parts": [{"text": ""}], "role": "model"},
                                          "finishReason": "STOP", "index": 0}]})])


def chat_tools(text: str, n: int) -> bytes:
    args = json.dumps({"note": text})
    call = {"index": 0, "id": "call_abc123def456", "function": {"name": "f", "arguments": ""}}
    ev: list[tuple[str | None, object]] = [
        (None, {"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {
            "tool_calls": [{**call, "function": {"name": "f", "arguments": p}}]}, "finish_reason": None}]})
        for p in pieces(args, n)
    ]
    ev += [(None, {"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"reasoning_content": p},
                                                                   "finish_reason": None}]}) for p in pieces(text, n)]
    ev += [(None, {"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})]
    return sse(ev) + b"data: [DONE]\n\n"


def generic(text: str, n: int) -> bytes:
    return sse([(None, {"custom": {"chunk": p, "seq": i}}) for i, p in enumerate(pieces(text, n))])


def mcp(text: str, n: int) -> bytes:
    return sse([("message", {"jsonrpc": "2.0", "id": 1, "result": {"content": [{"type": "text", "text": text}],
                                                                   "isError": False}})])


def ollama(text: str, n: int, done: bool) -> bytes:
    lines = [json.dumps({"model": "llama3", "created_at": "2024-03-01T10:00:00Z",
                         "message": {"role": "assistant", "content": p}}) for p in pieces(text, n)]
    if done:
        lines.append(json.dumps({"model": "llama3", "message": {"role": "assistant", "content": ""}, "done": True}))
    return ("\n".join(lines) + "\n").encode()


SHAPES = {
    "anthropic": (anthropic, "text/event-stream"),
    "responses": (responses, "text/event-stream"),
    "gemini": (gemini, "text/event-stream"),
    "chat_tools": (chat_tools, "text/event-stream"),
    "generic": (generic, "text/event-stream"),
    "mcp": (mcp, "text/event-stream"),
    "ollama_done": (lambda t, n: ollama(t, n, True), "application/x-ndjson"),
    "ollama_no_done": (lambda t, n: ollama(t, n, False), "application/x-ndjson"),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("n", [1, 3])
def test_provider_shapes_split_across_events(engine: RedactionEngine, shape: str, n: int) -> None:
    make, ct = SHAPES[shape]
    body = make(TEXT, n)
    out = run(engine, body, ct, step=0)
    assert_clean(out)
    out2 = run(engine, body, ct, step=5)  # network chunks cut anywhere
    assert_clean(out2)


def _anthropic_text(out: bytes) -> str:
    text = ""
    for line in out.decode().split("\n"):
        if line.startswith("data: "):
            ev = json.loads(line[6:])
            if ev["type"] == "content_block_start" and ev["index"] == 0:
                text += ev["content_block"].get("text", "")
            elif ev["type"] == "content_block_delta" and ev["index"] == 0:
                text += ev["delta"].get("text", "")
    return text


def test_anthropic_start_event_text_is_part_of_the_channel(engine: RedactionEngine) -> None:
    out = run(engine, anthropic(TEXT, 1), "text/event-stream", profile="standard")
    assert _anthropic_text(out) == engine.redact_text(TEXT, "standard").text


def test_control_unjoined_channels_leak(engine: RedactionEngine) -> None:
    """Control: redacting each event on its own (no channel) misses identifiers split across events."""
    leaked = "".join(engine.redact_text(p, "safe_harbor").text for p in pieces(TEXT, 3))
    with pytest.raises(AssertionError):
        assert_clean(leaked)


# --- item 5: charsets --------------------------------------------------------------------------------------


@pytest.mark.parametrize("charset", ["utf-7", "utf-16", "utf-32", "latin-1", "cp1252", "UTF-8", "iso-8859-15"])
@pytest.mark.parametrize("ct", ["application/json", "text/event-stream", "text/plain"])
def test_declared_charset_is_decoded_and_output_is_utf8(engine: RedactionEngine, charset: str, ct: str) -> None:
    if ct == "application/json":
        raw = json.dumps({"content": TEXT + " café"}, ensure_ascii=False)
    elif ct == "text/event-stream":
        raw = f"data: {TEXT} café\n\n"
    else:
        raw = TEXT + " café"
    body = raw.encode(charset)
    p = engine.open_body("safe_harbor", f"{ct}; charset={charset}")
    assert p.content_type == f"{ct}; charset=utf-8"
    out = b"".join(p.feed(body[i : i + 3]) for i in range(0, len(body), 3)) + p.finish()
    text = out.decode("utf-8")
    assert_clean(text)
    assert "café" in text


UTF7_EMAIL = b'{"content": "mail jane.doe+AEA-example.org"}'  # "@" written as a UTF-7 shift sequence


def test_utf7_shift_sequences_are_decoded_before_scanning(engine: RedactionEngine) -> None:
    out = run(engine, UTF7_EMAIL, "application/json; charset=utf-7")
    assert json.loads(out) == {"content": "mail [EMAIL]"}


def test_utf8_bom_is_dropped(engine: RedactionEngine) -> None:
    out = run(engine, b"\xef\xbb\xbf" + json.dumps({"content": TEXT}).encode(), "application/json")
    assert_clean(out)
    assert json.loads(out)["content"].startswith("Patient [NAME]")


@pytest.mark.parametrize("charset", ["no-such-charset", "rot13", "base64", "unicode_escape", "zlib"])
def test_unknown_or_non_text_charset_is_refused(engine: RedactionEngine, charset: str) -> None:
    with pytest.raises(UnsupportedCharset):
        engine.open_body("standard", f"application/json; charset={charset}")


def test_undecodable_body_is_withheld(engine: RedactionEngine) -> None:
    p = engine.open_body("standard", "application/json; charset=utf-8")
    with pytest.raises(RedactionError) as info:
        p.feed(b'{"a": "\xff\xfe SSN 123-45-6789"}')
        p.finish()
    assert "6789" not in str(info.value)


def test_control_wrong_charset_would_leak(engine: RedactionEngine) -> None:
    """Control: scanned as UTF-8, a UTF-7 body hides the e-mail address from the detectors."""
    body = UTF7_EMAIL
    assert body.decode("utf-7") == '{"content": "mail jane.doe@example.org"}'
    scanned_as_utf8 = engine.redact_text(body.decode("utf-8"), "safe_harbor").text
    # the address itself is not seen as one (a name detector may still take the first name)
    assert "[EMAIL]" not in scanned_as_utf8
    assert "doe@example.org" in scanned_as_utf8.encode().decode("utf-7")


# --- every provider shape: the joined channel equals whole-text redaction ------------------------------------


def _events(out: bytes) -> list[dict]:
    evs = []
    for line in out.decode().split("\n"):
        line = line.strip()
        if line.startswith("data: {"):
            evs.append(json.loads(line[6:]))
        elif line.startswith("{"):
            evs.append(json.loads(line))
    return evs


def _channel_text(shape: str, out: bytes) -> str:
    text = ""
    for ev in _events(out):
        if shape == "anthropic":
            if ev.get("index") == 0 and ev["type"] == "content_block_start":
                text += ev["content_block"].get("text", "")
            elif ev.get("index") == 0 and ev["type"] == "content_block_delta":
                text += ev["delta"].get("text", "")
        elif shape == "responses":
            if ev["type"] == "response.output_item.added" and ev["item"]["type"] == "message":
                text += ev["item"]["content"][0]["text"]
            elif ev["type"] == "response.output_text.delta" and ev["item_id"] == "msg_abc123def456":
                text += ev["delta"]
        elif shape == "gemini":
            text += "".join(p.get("text", "") for c in ev["candidates"] for p in c["content"]["parts"])
        elif shape == "chat_tools":
            text += "".join(c["delta"].get("reasoning_content") or "" for c in ev["choices"])
        elif shape.startswith("ollama"):
            text += ev["message"]["content"]
    return text


@pytest.mark.parametrize("shape", ["anthropic", "responses", "gemini", "chat_tools", "ollama_done", "ollama_no_done"])
@pytest.mark.parametrize("n", [1, 2, 5])
@pytest.mark.parametrize(
    "text",
    [
        TEXT,
        "Seen by Dr. Emily Clark on 03/14/2024 at 4821 Wisteria Lane, Springfield, IL 62704; MRN: 00482913.",
        "No identifiers in this sentence at all, just a plan to continue therapy and call back next week.",
    ],
)
def test_provider_channel_equals_whole_text(engine: RedactionEngine, shape: str, n: int, text: str) -> None:
    make, ct = SHAPES[shape]
    out = run(engine, make(text, n), ct, step=11, profile="standard")
    assert _channel_text(shape, out) == engine.redact_text(text, "standard").text


def _blocks(texts: list[str], kind: str = "text") -> list[tuple[str | None, object]]:
    ev: list[tuple[str | None, object]] = [("message_start", {"type": "message_start", "message": {
        "id": "msg_01XFDUDYJgAACzvnptvVoYEL", "role": "assistant", "content": []}})]
    for i, t in enumerate(texts):
        ev += [("content_block_start", {"type": "content_block_start", "index": i,
                                        "content_block": {"type": kind, kind: ""}}),
               ("content_block_delta", {"type": "content_block_delta", "index": i,
                                        "delta": {"type": f"{kind}_delta", kind: t}}),
               ("content_block_stop", {"type": "content_block_stop", "index": i})]
    return ev


@pytest.mark.parametrize("step", [0, 1, 9])
@pytest.mark.parametrize("tail", ["tool_use", "message_stop", "end"])
def test_identifier_split_across_anthropic_blocks_is_redacted_whole(
    engine: RedactionEngine, step: int, tail: str
) -> None:
    """Text blocks of one kind are one channel: a block's stop is held while its text may still end in an
    identifier the next block continues; the events stay in protocol order (each delta between its block's start
    and stop)."""
    ev = _blocks(["The patient is Maria", " Gonzalez, SSN 123-45-", "6789 today"])
    if tail == "tool_use":
        ev += [("content_block_start", {"type": "content_block_start", "index": 3, "content_block": {
                   "type": "tool_use", "id": "toolu_01abcdefghij", "name": "f", "input": {}}}),
               ("content_block_delta", {"type": "content_block_delta", "index": 3,
                                        "delta": {"type": "input_json_delta", "partial_json": "{}"}}),
               ("content_block_stop", {"type": "content_block_stop", "index": 3})]
    if tail != "end":
        ev += [("message_stop", {"type": "message_stop"})]
    out = run(engine, sse(ev), "text/event-stream", step=step, profile="standard").decode()
    assert "Maria" not in out and "Gonzalez" not in out and "45" not in out and "6789" not in out
    events = [json.loads(ln[6:]) for ln in out.split("\n") if ln.startswith("data: ")]
    text = "".join(e["delta"].get("text", "") for e in events if e["type"] == "content_block_delta")
    assert text == engine.redact_text("The patient is Maria Gonzalez, SSN 123-45-6789 today", "standard").text
    open_blocks: set[int] = set()
    for e in events:
        if e["type"] == "content_block_start":
            open_blocks.add(e["index"])
        elif e["type"] == "content_block_delta":
            assert e["index"] in open_blocks, e
        elif e["type"] == "content_block_stop":
            open_blocks.remove(e["index"])
    assert not open_blocks
    if tail == "message_stop":
        assert events[-1]["type"] == "message_stop"


def test_thinking_then_text_blocks_are_separate_channels(engine: RedactionEngine) -> None:
    ev = _blocks(["Call John"], "thinking") + [
        ("content_block_start", {"type": "content_block_start", "index": 1,
                                 "content_block": {"type": "text", "text": ""}}),
        ("content_block_delta", {"type": "content_block_delta", "index": 1,
                                 "delta": {"type": "text_delta", "text": "Smith now"}}),
        ("content_block_stop", {"type": "content_block_stop", "index": 1}),
        ("message_stop", {"type": "message_stop"})]
    out = run(engine, sse(ev), "text/event-stream", profile="standard").decode()
    events = [json.loads(ln[6:]) for ln in out.split("\n") if ln.startswith("data: ")]
    thinking = "".join(e["delta"].get("thinking", "") for e in events if e["type"] == "content_block_delta")
    text = "".join(e["delta"].get("text", "") for e in events if e["type"] == "content_block_delta")
    assert thinking == engine.redact_text("Call John", "standard").text
    assert text == engine.redact_text("Smith now", "standard").text
