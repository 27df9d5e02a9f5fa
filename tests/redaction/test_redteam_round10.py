"""Round 10 of the red team (docs/redteam.md), by class: text that goes on after a channel's close marker or after
``data: [DONE]``, JSON arrays of small numbers, SSN and card groups joined by any keyboard punctuation, string
concatenation in code, one digit per list item, and citations / grounding metadata split across events. Each class
has the cases it must catch, near misses it must leave alone, and a control that fails on the old behaviour (the
cases themselves: each failed before this round)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sidecar.redaction.engine import RedactionEngine

SSN = "478-21-5096"


def redact(engine: RedactionEngine, text: str) -> str:
    return engine.redact_text(text, "safe_harbor").text


def body(engine: RedactionEngine, ct: str, chunks: list[str]) -> str:
    p = engine.open_body("safe_harbor", ct)
    return (b"".join(p.feed(c.encode()) for c in chunks) + p.finish()).decode()


def sse(*objs: Any) -> list[str]:
    return [f"data: {json.dumps(o)}\n\n" for o in objs]


def chunk(text: str, finish: str | None = None, index: int = 0) -> dict[str, Any]:
    return {"object": "chat.completion.chunk", "choices": [{"index": index, "delta": {"content": text},
                                                             "finish_reason": finish}]}


def chat_text(out: str) -> str:
    """The text an OpenAI client joins from the chat chunks, up to ``[DONE]`` (where it stops reading)."""
    text = ""
    for line in out.split("\n"):
        if line == "data: [DONE]":
            break
        if line.startswith("data: {"):
            for c in json.loads(line[6:])["choices"]:
                text += c["delta"].get("content") or ""
    return text


def digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


# --- text after a channel's close marker, or after [DONE] ---------------------------------------------------------

AFTER_CLOSE = {
    "chat_finish_reason": ("text/event-stream", sse(chunk(f"SSN {SSN[:6]}", "stop"), chunk(SSN[6:]))),
    "chat_finish_length": ("text/event-stream", sse(chunk(f"SSN {SSN[:6]}", "length"), chunk(SSN[6:]))),
    "after_done_marker": ("text/event-stream", [*sse(chunk(f"SSN {SSN[:6]}")), "data: [DONE]\n\n",
                                                 *sse(chunk(SSN[6:]))]),
    "gemini_finish_reason": ("text/event-stream", sse(
        {"candidates": [{"index": 0, "content": {"parts": [{"text": f"SSN {SSN[:6]}"}]}, "finishReason": "STOP"}]},
        {"candidates": [{"index": 0, "content": {"parts": [{"text": SSN[6:]}]}}]})),
    "ollama_done": ("application/x-ndjson", [json.dumps(
        {"model": "m", "created_at": "t", "message": {"role": "assistant", "content": t}, "done": d}) + "\n"
        for t, d in ((f"SSN {SSN[:6]}", True), (SSN[6:], False))]),
}


@pytest.mark.parametrize("name", list(AFTER_CLOSE))
def test_text_after_a_close_marker_is_read_with_the_text_before_it(engine: RedactionEngine, name: str) -> None:
    ct, chunks = AFTER_CLOSE[name]
    for step in (0, 7):
        cut = [c[i : i + step] for c in chunks for i in range(0, len(c), step)] if step else chunks
        out = body(engine, ct, cut)
        assert "47821" not in digits(out) and "5096" not in out, (name, step, out)


def test_close_marker_keeps_the_answer_whole_and_done_last(engine: RedactionEngine) -> None:
    """Near miss: an ordinary answer whose finish chunk comes while the stream holds a tail (an address could
    still follow ``12 Main``) reaches the client whole, before ``[DONE]``, which stays the last event."""
    chunks = [*sse(chunk("Take 2 tablets at 12"), chunk(" Main", "stop")), "data: [DONE]\n\n"]
    out = body(engine, "text/event-stream", chunks)
    assert chat_text(out) == "Take 2 tablets at 12 Main"
    assert out.endswith("data: [DONE]\n\n") and out.count("[DONE]") == 1


# --- JSON arrays of small numbers ---------------------------------------------------------------------------------

NUMBER_ARRAYS = [
    [478, 21, 5096],
    [4, 7, 8, 2, 1, 5, 0, 9, 6],
    [478, "-", 21, "-", 5096],
    [4111, 1111, 1111, 1111],
    [1962, 3, 14],
]
NUMBER_ARRAY_NEAR_MISSES = [
    [1, 2, 3], [10, 20, 30], [200, 404, 500], [1024, 768], [120, 45, 300, 200], [192, 168, 1, 10],
    [1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 1, 0, 1, 1, 0, 1, 1, 1, 0], [12, 31, 99], [255, 255, 255],
]


@pytest.mark.parametrize("arr", NUMBER_ARRAYS, ids=str)
def test_number_arrays_are_read_as_the_digits_they_print(engine: RedactionEngine, arr: list[Any]) -> None:
    out = json.loads(body(engine, "application/json", [json.dumps({"values": arr})]))["values"]
    assert len(out) == len(arr) and not digits("".join(map(str, out))), out


@pytest.mark.parametrize("arr", NUMBER_ARRAY_NEAR_MISSES, ids=str)
def test_number_arrays_of_values_stay(engine: RedactionEngine, arr: list[int]) -> None:
    doc = {"values": arr}
    assert json.loads(body(engine, "application/json", [json.dumps(doc)])) == doc


def test_number_arrays_in_events_and_tool_results(engine: RedactionEngine) -> None:
    gem = {"candidates": [{"index": 0, "content": {"parts": [{"functionCall": {"name": "f", "args": {
        "a": [478, 21, 5096]}}}]}}]}
    mcp = {"jsonrpc": "2.0", "id": 1, "result": {"structuredContent": {"ids": [478, 21, 5096]}}}
    assert "5096" not in body(engine, "text/event-stream", sse(gem))
    assert "5096" not in body(engine, "application/json", [json.dumps(mcp)])


# --- SSN and card groups joined by any punctuation ----------------------------------------------------------------

PUNCT_IDS = [f"id {SSN.replace('-', s)}" for s in "+^#:'/@$&?!_*~`\u2022\u00b7"] + [
    "card 4111.1111.1111.1111", "card 4111_1111_1111_1111", "card 4111\u20221111\u20221111\u20221111",
]
PUNCT_NEAR_MISSES = [
    "at 12:30:45 today", "ratio 1234/5678/9012/3456", "v 1234.5678.9012.3456", "x = 978+21+5096",
    "a 478+21-5096 b", "n 666:21:5096", "n 478+00+5096", "card 4111.1111.1111.1112", "scores 478/21/50960",
]


@pytest.mark.parametrize("text", PUNCT_IDS)
def test_identifier_groups_joined_by_punctuation(engine: RedactionEngine, text: str) -> None:
    assert not digits(redact(engine, text)), text


@pytest.mark.parametrize("text", PUNCT_NEAR_MISSES)
def test_punctuation_near_misses_stay(engine: RedactionEngine, text: str) -> None:
    assert redact(engine, text) == text


# --- string concatenation in code ----------------------------------------------------------------------------------

CONCAT = [
    'x = "478" + "-21-" + "5096"',
    "s = '4'+'7'+'8'+'2'+'1'+'5'+'0'+'9'+'6'",
    "$s = '478' . '-21-' . '5096';",
    "SELECT '478' || '-21-' || '5096'",
]
CONCAT_NEAR_MISSES = ['greeting = "Hello" + " " + "world"', "v = '1.2' + '.3'", 'path = "a" + "/" + "b"',
                      'print("total:", 478 + 21)']


@pytest.mark.parametrize("text", CONCAT)
def test_concatenated_strings_are_read_as_the_string_they_make(engine: RedactionEngine, text: str) -> None:
    out = redact(engine, text)
    assert "5096" not in out and "478" not in out, out
    for cut in range(1, len(text)):
        s = engine.text_stream(engine.redactor("safe_harbor"))
        assert s.push(text[:cut]) + s.push(text[cut:]) + s.finish() == out, cut


@pytest.mark.parametrize("text", CONCAT_NEAR_MISSES)
def test_concatenation_near_misses_stay(engine: RedactionEngine, text: str) -> None:
    assert redact(engine, text) == text


# --- one digit per list item ----------------------------------------------------------------------------------------

LIST_ITEMS = ["\n".join(f"- {d}" for d in digits(SSN)), "SSN:\n" + "\n".join(f"* {d}" for d in digits(SSN)),
              "call\n" + "\n".join(f"+ {d}" for d in "5124377788")]
LIST_NEAR_MISSES = ["Steps:\n" + "\n".join(f"- {d}" for d in range(1, 9)), "scores\n- 4\n- 5\n- 3\n- 4\n- 2\n- 5\n- 1",
                    "- 1 tab\n- 2 tabs\n- 3\n- 4\n- 5\n- 6\n- 7"]


@pytest.mark.parametrize("text", LIST_ITEMS)
def test_one_digit_per_list_item(engine: RedactionEngine, text: str) -> None:
    assert len(digits(redact(engine, text))) < 5, text


@pytest.mark.parametrize("text", LIST_NEAR_MISSES)
def test_list_item_near_misses_stay(engine: RedactionEngine, text: str) -> None:
    assert redact(engine, text) == text


# --- citations and grounding metadata split across events ----------------------------------------------------------

def _anthropic_citations(parts: list[str]) -> list[str]:
    return [f"event: content_block_delta\ndata: {json.dumps(ev)}\n\n" for ev in (
        {"type": "content_block_delta", "index": 0, "delta": {"type": "citations_delta", "citation": {
            "type": "char_location", "cited_text": p, "document_index": 0}}} for p in parts)]


SPLIT_METADATA = {
    "anthropic_citations": _anthropic_citations([f"SSN {SSN[:6]}", SSN[6:]]),
    "gemini_grounding": sse(*({"candidates": [{"index": 0, "content": {"parts": [{"text": "ok"}]},
                                               "groundingMetadata": {"groundingChunks": [{"web": {"title": p}}]}}]}
                              for p in (f"SSN {SSN[:6]}", SSN[6:]))),
    "responses_annotation": sse(*({"type": "response.output_text.annotation.added", "item_id": "msg_1",
                                   "output_index": 0, "content_index": 0, "annotation_index": i,
                                   "annotation": {"type": "url_citation", "title": p, "url": "https://a.example/"}}
                                  for i, p in enumerate((f"SSN {SSN[:6]}", SSN[6:])))),
}


@pytest.mark.parametrize("name", list(SPLIT_METADATA))
def test_metadata_split_across_events_is_read_joined(engine: RedactionEngine, name: str) -> None:
    out = body(engine, "text/event-stream", SPLIT_METADATA[name])
    assert "47821" not in digits(out) and "5096" not in out, out


def test_metadata_without_phi_passes(engine: RedactionEngine) -> None:
    """Near miss: cited text without PHI reaches the client whole (joined across the events as it was sent; a
    piece held while it could still start a finding goes out in a later citation event), types untouched."""
    out = body(engine, "text/event-stream", _anthropic_citations(["Guidelines for ", "sepsis care 2021"]))
    cites = [json.loads(ln[6:])["delta"]["citation"] for ln in out.split("\n") if ln.startswith("data: ")]
    assert "".join(c["cited_text"] for c in cites) == "Guidelines for sepsis care 2021"
    assert {c["type"] for c in cites} == {"char_location"}
