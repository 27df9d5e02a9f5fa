"""Round 14 of the red team (docs/redteam.md), by class: stream shapes and fields the guard did not read joined.
A Gemini answer sent as one JSON array of chunks (ids and names between the pieces of its text), text under an
unknown key of a chat choice or chunk, a text slot holding a list of pieces or a number, bare numbers as JSON
lines, Ollama's context token ids, a Responses item id in a released copy, gzip bodies of several members. Each
class has cases it must catch and near misses whose events pass unchanged; the cases leaked before this round
(tests/redteam cases ``r14_*`` fail on the old code)."""

from __future__ import annotations

import gzip
import json
import zlib
from typing import Any

import pytest
from redteam.oracle import leaks, views

from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.errors import DecompressionError

TEXT = "Patient Maria Okonkwo, SSN 478-21-5096, email maria.okonkwo@stjudehealth.org."
PROFILE = "safe_harbor"


def run(engine: RedactionEngine, ct: str, chunks: list[bytes], enc: str = "") -> str:
    """What the client receives: one feed per upstream chunk, then finish."""
    proc = engine.open_body(PROFILE, ct, enc)
    return (b"".join(proc.feed(c) for c in chunks) + proc.finish()).decode()


def sse(objs: list[Any]) -> list[bytes]:
    return [f"data: {json.dumps(o)}\n\n".encode() for o in objs]


def pieces(text: str, n: int) -> list[str]:
    return [text[i : i + n] for i in range(0, len(text), n)]


def assert_no_phi(out: str, ct: str) -> None:
    """The red-team oracle (tests/redteam/oracle.py) reads the output as a client does, each field joined across
    events: neither the surname nor five digits of the SSN in a row."""
    assert leaks(["Okonkwo", "478-21-5096"], views(out.encode(), ct)) == [], out


def gemini(part: dict[str, Any]) -> dict[str, Any]:
    return {"candidates": [{"content": {"parts": [part], "role": "model"}, "index": 0}],
            "modelVersion": "gemini-2.5-flash", "responseId": "Xq1aZ9XbLJ2k1MkP"}


def chat(delta: dict[str, Any], **choice: Any) -> dict[str, Any]:
    return {"id": "chatcmpl-RtQwErTyUiOp", "object": "chat.completion.chunk", "created": 1700000000,
            "model": "gpt-4o", "choices": [{"index": 0, "delta": delta, "finish_reason": None, **choice}]}


@pytest.mark.parametrize("part", [lambda p: {"text": p}, lambda p: {"functionCall": {"name": "f", "args": {"n": p}}}])
def test_gemini_json_array_stream_is_read_per_key_path(engine: RedactionEngine, part: Any) -> None:
    body = json.dumps([gemini(part(p)) for p in pieces(TEXT, 3)]).encode()
    out = run(engine, "application/json", [body[i : i + 64] for i in range(0, len(body), 64)])
    assert len(json.loads(out)) == len(pieces(TEXT, 3))
    assert "[SSN]" in out
    assert_no_phi(out, "application/json")


def test_gemini_json_array_stream_near_miss_unchanged(engine: RedactionEngine) -> None:
    body = json.dumps([gemini({"text": p}) for p in pieces("Rest and fluids were given overnight as planned.", 12)])
    assert json.loads(run(engine, "application/json", [body.encode()])) == json.loads(body)


PROSE = "The patient was seen today and is doing well. Plan: continue the current medications and annual review."


def _array_text(engine: RedactionEngine, pieces_: list[str]) -> str:
    body = json.dumps([gemini({"text": p}) for p in pieces_])
    out = json.loads(run(engine, "application/json", [body.encode()]))
    return "".join(c["candidates"][0]["content"]["parts"][0]["text"] for c in out)


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_word_fragments_of_a_gemini_array_are_no_names(engine: RedactionEngine, n: int) -> None:
    """``tod`` of ``to|day`` cut 3 characters a chunk read alone as a name: the joined word (a known word the
    joined scan finds nothing in) governs; lead, after round 14."""
    assert _array_text(engine, pieces(PROSE, n)) == PROSE


@pytest.mark.parametrize("cells", [["John Smith", "Jones"], ["seen by Dr. ", "Tod", "d today"]])
def test_names_glued_to_a_piece_stay_redacted(engine: RedactionEngine, cells: list[str]) -> None:
    """A run that is no known word (two names of table cells, ``Todd``) is still read piece by piece."""
    got = _array_text(engine, cells)
    assert "Jones" not in got and "Tod" not in got


def test_control_each_piece_alone_reads_a_fragment_as_a_name(engine: RedactionEngine) -> None:
    assert "[NAME]" in engine.redact_text("tod", PROFILE).text or any(
        "[NAME]" in engine.redact_text(p, PROFILE).text for p in pieces(PROSE, 3))


@pytest.mark.parametrize("event", [
    lambda p: chat({"content": ""}, moderation={"flagged_text": p}),  # unknown key of a choice
    lambda p: {**chat({"content": ""}), "debug": p},  # unknown key of the chunk
    lambda p: chat({"content": list(p)}),  # a list of characters in a text slot
])
def test_chat_fields_the_guard_does_not_know_are_joined(engine: RedactionEngine, event: Any) -> None:
    out = run(engine, "text/event-stream", [*sse([event(p) for p in pieces(TEXT, 4)]), b"data: [DONE]\n\n"])
    assert_no_phi(out, "text/event-stream")
    assert out.endswith("data: [DONE]\n\n")


def test_chat_compatible_metadata_passes_in_place(engine: RedactionEngine) -> None:
    """Near miss: per-chunk metadata of compatible APIs (Azure content filter results, OpenRouter's provider) is
    read whole in its chunk: every event comes out with it unchanged."""
    events = [{**chat({"content": p}, content_filter_results={"hate": {"filtered": False, "severity": "safe"}}),
               "provider": "OpenAI"} for p in ["The plan ", "is rest ", "and fluids."]]
    out = run(engine, "text/event-stream", sse(events))
    got = [json.loads(ln[6:]) for ln in out.split("\n") if ln.startswith("data: ")]
    assert len(got) >= 3  # the three events (a copy may carry the held end of the text)
    assert {(e["provider"], json.dumps(e["choices"][0]["content_filter_results"])) for e in got} == {
        ("OpenAI", json.dumps({"hate": {"filtered": False, "severity": "safe"}}))}
    assert "".join(e["choices"][0]["delta"]["content"] for e in got) == "The plan is rest and fluids."


SSN_PARTS = ["Her SSN is ", 478, "-", 21, "-", 5096, " today"]


@pytest.mark.parametrize("event", [
    lambda p: chat({"content": p}),
    lambda p: {"type": "response.output_text.delta", "item_id": "msg_1", "output_index": 0, "content_index": 0,
               "delta": p},
    lambda p: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}},
])
def test_numbers_in_a_text_slot_are_text(engine: RedactionEngine, event: Any) -> None:
    out = run(engine, "text/event-stream", sse([event(p) for p in SSN_PARTS]))
    assert_no_phi(out, "text/event-stream")
    assert "[SSN]" in out


def test_numbers_in_a_text_slot_near_miss(engine: RedactionEngine) -> None:
    out = run(engine, "text/event-stream", sse([chat({"content": p}) for p in ["Give ", 2, " tablets, ", 3, "x"]]))
    got = [json.loads(ln[6:]) for ln in out.split("\n") if ln.startswith("data: ")]
    assert "".join(e["choices"][0]["delta"].get("content", "") for e in got) == "Give 2 tablets, 3x"


def test_bare_number_lines_are_read_joined(engine: RedactionEngine) -> None:
    out = run(engine, "application/x-ndjson", [f"{int(p)}\n".encode() for p in pieces("478215096", 2)])
    assert_no_phi(out, "application/x-ndjson")


def test_ollama_context_token_ids_are_emptied(engine: RedactionEngine) -> None:
    line = {"model": "llama3", "response": "ok", "done": True, "context": [478, 21, 5096]}
    got = [json.loads(ln) for ln in run(engine, "application/x-ndjson", [json.dumps(line).encode() + b"\n"]).split()]
    assert [e.get("context") for e in got if "context" in e] == [[]]
    assert "".join(e["response"] for e in got) == "ok"


def test_responses_release_copy_carries_the_walked_item_id(engine: RedactionEngine) -> None:
    ev = {"type": "response.output_text.delta", "item_id": "msg_478-21-5096", "output_index": 0,
          "content_index": 0, "delta": "hi"}
    out = run(engine, "text/event-stream", sse([ev]))
    assert_no_phi(out, "text/event-stream")
    assert '"delta":"hi"' in out.replace(" ", "")


def test_gzip_members_are_read_whole_and_trailing_bytes_refused(engine: RedactionEngine) -> None:
    body = gzip.compress(b"data: {}\n\n") + gzip.compress(b"".join(sse([chat({"content": TEXT})])))
    out = run(engine, "text/event-stream", [body], "gzip")
    assert "[SSN]" in out  # the second member was read (it was dropped unread before)
    assert_no_phi(out, "text/event-stream")
    with pytest.raises(DecompressionError):
        run(engine, "text/event-stream", [gzip.compress(b"data: {}\n\n") + b"data: SSN 478-21-5096\n\n"], "gzip")
    with pytest.raises(DecompressionError):
        run(engine, "text/event-stream", [zlib.compress(b"data: {}\n\n") + b"data: x\n\n"], "deflate")


@pytest.mark.parametrize("direction", ["response", "request"])
def test_numbers_among_strings_of_a_list_are_read_joined(engine: RedactionEngine, direction: str) -> None:
    """A JSON list of strings with whole numbers among them (a content list, a document's values): the numbers
    are the digits a client prints between the strings. Near miss: vitals as such a list pass unchanged."""
    proc = engine.open_body(PROFILE, "application/json", "", direction=direction)  # type: ignore[arg-type]
    body = {"messages": [{"role": "user", "content": ["Her SSN ", 478, 21, 5096, " today"]}],
            "vitals": ["BP ", 120, "/", 80, " HR ", 72], "context": [478, 21, 5096]}
    out = (proc.feed(json.dumps(body).encode()) + proc.finish()).decode()
    assert_no_phi(out, "application/json")
    got = json.loads(out)
    assert got["vitals"] == body["vitals"]
    assert got["context"] == []  # Ollama's token ids of the conversation: text the guard cannot read
