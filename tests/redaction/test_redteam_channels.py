"""Issues 16/17 red team, fourth round: the channel and document rules it added, each with a control.

- a key and its free-text value are read as a client prints them (``{"478-21": "-5096"}``);
- JSON ``\\uXXXX`` escapes in text (streamed tool arguments are JSON text) are read as their characters;
- the text of a chat delta outside its named fields (``reasoning_details``, Mistral content chunks, audio
  transcripts, legacy ``function_call`` arguments) is joined across events.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from sidecar.redaction.bodies import json_walk
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.normalize import normalize


def walk(engine: RedactionEngine, doc: object) -> Any:
    p = engine.open_body("safe_harbor", "application/json")
    return json.loads(p.feed(json.dumps(doc).encode()) + p.finish())


def sse(engine: RedactionEngine, events: list[dict[str, Any]], step: int = 0) -> str:
    body = "".join(f"data: {json.dumps(e)}\n\n" for e in events).encode() + b"data: [DONE]\n\n"
    p = engine.open_body("safe_harbor", "text/event-stream")
    if step:
        return (b"".join(p.feed(body[i : i + step]) for i in range(0, len(body), step)) + p.finish()).decode()
    return (p.feed(body) + p.finish()).decode()


def joined(out: str, *path: str | int) -> str:
    """The text at ``path`` of every event of ``out``, joined (what a client shows)."""
    text = []
    for line in out.splitlines():
        if not line.startswith("data: {"):
            continue
        node: Any = json.loads(line[6:])
        for p in path:
            if isinstance(node, dict) and isinstance(p, str):
                node = node.get(p)
            elif isinstance(node, list) and isinstance(p, int) and p < len(node):
                node = node[p]
            else:
                node = None
                break
        if isinstance(node, str):
            text.append(node)
    return "".join(text)


def test_a_finding_across_a_key_and_its_value_is_redacted(engine: RedactionEngine) -> None:
    got = walk(engine, {"result": {"Maria": "Okonkwo", "478-21": "-5096", "note": "fine"}})
    flat = json.dumps(got)
    assert "Okonkwo" not in flat and "5096" not in flat and "478-21" not in flat, got
    assert got["result"]["note"] == "fine"


def test_keys_and_values_that_only_sit_side_by_side_stay(engine: RedactionEngine) -> None:
    fine = {"row": {"dose": "5 mg", "BP": "120/80", "Patient": "resting", "count 4": "7 items"}}
    assert walk(engine, fine) == fine


def test_control_without_the_pair_reading_the_split_leaks(engine: RedactionEngine,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_walk.JsonWalker, "_crossing_pair", lambda self, k, v, p: None)
    flat = json.dumps(walk(engine, {"result": {"478-21": "-5096"}}))
    assert "478-21" in flat and "-5096" in flat


def test_json_escapes_are_read_as_their_characters() -> None:
    text = 'x \\u0034\\u0037\\u0038-21-5096 \\u004fkonkwo \\u000a \\u0022 \\ud83d'
    view = normalize(text)
    assert view.text.startswith("x 478-21-5096 Okonkwo")
    # control characters, quotes and surrogates stay as written
    assert view.text.endswith("\\u000a \\u0022 \\ud83d")
    a = view.text.index("478")
    assert view.span(a, a + 11) == (2, text.index(" \\u004f"))


@pytest.mark.parametrize("step", [0, 1, 7])
def test_tool_arguments_cut_inside_escapes_are_redacted(engine: RedactionEngine, step: int) -> None:
    args = '{"note": "SSN \\u0034\\u0037\\u0038-\\u0032\\u0031-5096, call \\u0035\\u0031\\u0032-437-7788"}'
    events = [{"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"tool_calls": [
        {"index": 0, "function": {"arguments": args[i : i + 3]}}]}}]} for i in range(0, len(args), 3)]
    out = joined(sse(engine, events, step), "choices", 0, "delta", "tool_calls", 0, "function", "arguments")
    assert json.loads(out) == {"note": "SSN [SSN], call [PHONE]"}, out


@pytest.mark.parametrize(("delta_of", "path"), [
    (lambda t: {"reasoning_details": [{"type": "reasoning.text", "text": t}]},
     ("reasoning_details", 0, "text")),
    (lambda t: {"content": [{"type": "text", "text": t}]}, ("content", 0, "text")),
    (lambda t: {"audio": {"transcript": t}}, ("audio", "transcript")),
    (lambda t: {"function_call": {"arguments": t}}, ("function_call", "arguments")),
])
def test_other_delta_text_is_joined_across_events(engine: RedactionEngine, delta_of: Any,
                                                  path: tuple[str | int, ...]) -> None:
    text = "SSN 478-21-5096 and phone 512-437-7788 ok"
    events = [{"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": delta_of(text[i : i + 2])}]}
              for i in range(0, len(text), 2)]
    out = joined(sse(engine, events), "choices", 0, "delta", *path)
    assert out == "SSN [SSN] and phone [PHONE] ok", out
    # control: each piece alone holds nothing a detector finds
    assert all(engine.redact_text(text[i : i + 2], "safe_harbor").text == text[i : i + 2]
               for i in range(0, len(text), 2))


def test_unknown_anthropic_deltas_and_gemini_partial_args_are_joined(engine: RedactionEngine) -> None:
    text = "SSN 478-21-5096 and phone 512-437-7788 ok"
    parts = [text[i : i + 3] for i in range(0, len(text), 3)]
    anth = [{"type": "content_block_delta", "index": 0, "delta": {"type": "note_delta", "note": x}} for x in parts]
    gem = [{"candidates": [{"index": 0, "content": {"role": "model", "parts": [{"functionCall": {
        "name": "lookup", "partialArgs": [{"jsonPath": "$.note", "stringValue": x}]}}]}}]} for x in parts]
    # (a generic channel also redacts what each piece alone holds: "hon" may read as a name)
    for got in (joined(sse(engine, anth), "delta", "note"),
                joined(sse(engine, gem), "candidates", 0, "content", "parts", 0, "functionCall", "partialArgs", 0,
                       "stringValue")):
        assert got.startswith("SSN [SSN] and ") and got.endswith("[PHONE] ok"), got
    # control: a citation's text is joined across events too (round 10), and one without PHI reaches the client
    # whole, its type and document index as written
    cite = {"type": "content_block_delta", "index": 0, "delta": {"type": "citations_delta", "citation": {
        "type": "char_location", "cited_text": "the plan", "document_index": 0}}}
    out = sse(engine, [cite])
    assert joined(out, "delta", "citation", "cited_text") == "the plan"
    assert all(json.loads(ln[6:])["delta"]["citation"]["type"] == "char_location"
               for ln in out.split("\n") if ln.startswith("data: {"))
