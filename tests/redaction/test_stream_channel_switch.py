"""Issues 16/17 red team, fifth round: the three stream-channel rules, each with near-miss controls and a
control that shows the check fails without the rule.

- a switch between the text channels of one choice / message / candidate (reasoning -> content -> tool
  arguments, Anthropic thinking -> text, Gemini thought -> text, Ollama thinking -> content): a finding that
  crosses it is redacted on both sides (``events._Bridge``);
- a streamed leaf's key is read with its value (``EventRedactor._key_with_value``);
- text under an unknown key of a known event type (Responses, Anthropic, Gemini) is joined across events, and
  its held rest goes out in a copy of that event (it keeps its ``type``).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from sidecar.redaction.bodies import events as events_mod
from sidecar.redaction.bodies.json_walk import JsonWalker
from sidecar.redaction.engine import RedactionEngine

SSN = "478-21-5096"


def ev(obj: dict[str, Any], name: str | None = None) -> str:
    return (f"event: {name}\n" if name else "") + f"data: {json.dumps(obj)}\n\n"


def chat(delta: dict[str, Any]) -> str:
    return ev({"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": delta}]})


def run(engine: RedactionEngine, chunks: list[str], ct: str = "text/event-stream", step: int = 0) -> str:
    body = "".join(chunks).encode()
    p = engine.open_body("safe_harbor", ct)
    if step:
        return (b"".join(p.feed(body[i : i + step]) for i in range(0, len(body), step)) + p.finish()).decode()
    return (b"".join(p.feed(c.encode()) for c in chunks) + p.finish()).decode()


def payloads(out: str) -> list[dict[str, Any]]:
    docs = []
    for block in out.split("\n\n"):
        for line in block.split("\n"):
            if line.startswith("data: {"):
                docs.append(json.loads(line[6:]))
    return docs


def chat_fields(out: str) -> dict[str, str]:
    """Each delta field of choice 0 (tool arguments as ``tool``) joined across the events."""
    got: dict[str, str] = {}
    for d in payloads(out):
        for c in d.get("choices", []):
            for k, v in (c.get("delta") or {}).items():
                if isinstance(v, str):
                    got[k] = got.get(k, "") + v
            for tc in (c.get("delta") or {}).get("tool_calls") or []:
                got["tool"] = got.get("tool", "") + (tc.get("function", {}).get("arguments") or "")
    return got


SWITCH = [chat({"reasoning_content": f"check SSN {SSN[:6]}"}), chat({"content": f"{SSN[6:]} done"}),
          "data: [DONE]\n\n"]


@pytest.mark.parametrize("step", [0, 1, 5, 37])
def test_a_finding_across_reasoning_and_content_is_redacted_on_both_sides(engine: RedactionEngine,
                                                                          step: int) -> None:
    got = chat_fields(run(engine, SWITCH, step=step))
    assert got == {"reasoning_content": "check SSN [SSN]", "content": "[SSN] done"}, got


def test_content_then_tool_arguments(engine: RedactionEngine) -> None:
    got = chat_fields(run(engine, [
        chat({"content": "call Maria"}),
        chat({"tool_calls": [{"index": 0, "id": "call_abc123def456", "type": "function",
                              "function": {"name": "lookup", "arguments": ""}}]}),
        chat({"tool_calls": [{"index": 0, "function": {"arguments": " Okonkwo today"}}]}), "data: [DONE]\n\n"]))
    assert "Okonkwo" not in got["tool"] and "Maria" not in got["content"], got


@pytest.mark.parametrize("step", [0, 1, 9])
def test_anthropic_thinking_then_text_blocks_keep_their_order(engine: RedactionEngine, step: int) -> None:
    def block(i: int, kind: str, parts: list[str]) -> list[str]:
        dt = {"text": "text_delta", "thinking": "thinking_delta"}[kind]
        return ([ev({"type": "content_block_start", "index": i, "content_block": {"type": kind, kind: ""}},
                    "content_block_start")]
                + [ev({"type": "content_block_delta", "index": i, "delta": {"type": dt, kind: x}},
                      "content_block_delta") for x in parts]
                + [ev({"type": "content_block_stop", "index": i}, "content_block_stop")])

    chunks = (block(0, "thinking", ["check SSN 47", "8-21"]) + block(1, "text", ["-50", "96 done"])
              + [ev({"type": "message_stop"}, "message_stop")])
    docs = payloads(run(engine, chunks, step=step))
    thinking = "".join(d["delta"].get("thinking", "") for d in docs if d["type"] == "content_block_delta")
    text = "".join(d["delta"].get("text", "") for d in docs if d["type"] == "content_block_delta")
    assert (thinking, text) == ("check SSN [SSN]", "[SSN] done")
    # the client still sees block 0 stop before block 1 starts, and every delta inside its block
    order = [(d["type"], d.get("index")) for d in docs if d["type"] != "content_block_delta"]
    assert order == [("content_block_start", 0), ("content_block_stop", 0), ("content_block_start", 1),
                     ("content_block_stop", 1), ("message_stop", None)]
    open_block = None
    for d in docs:
        if d["type"] == "content_block_start":
            open_block = d["index"]
        elif d["type"] == "content_block_delta":
            assert d["index"] == open_block


def test_gemini_thought_then_text_and_ollama_thinking_then_content(engine: RedactionEngine) -> None:
    def gem(part: dict[str, Any], finish: bool = False) -> str:
        cand: dict[str, Any] = {"content": {"parts": [part], "role": "model"}, "index": 0}
        if finish:
            cand["finishReason"] = "STOP"
        return ev({"candidates": [cand]})

    out = run(engine, [gem({"text": f"SSN {SSN[:6]}", "thought": True}), gem({"text": f"{SSN[6:]} ok"}),
                       gem({"text": ""}, finish=True)])
    parts = [p for d in payloads(out) for p in d["candidates"][0]["content"]["parts"]]
    assert "".join(p["text"] for p in parts if p.get("thought")) == "SSN [SSN]"
    assert "".join(p["text"] for p in parts if not p.get("thought")) == "[SSN] ok"

    def line(msg: dict[str, Any], done: bool = False) -> str:
        return json.dumps({"model": "qwen3", "message": {"role": "assistant", "content": "", **msg},
                           "done": done}) + "\n"

    out = run(engine, [line({"thinking": f"SSN {SSN[:5]}"}), line({"content": f"{SSN[5:]} ok"}),
                       line({}, done=True)], "application/x-ndjson")
    msgs = [json.loads(x)["message"] for x in out.splitlines() if x]
    assert "".join(m.get("thinking", "") for m in msgs) == "SSN [SSN]"
    assert "".join(m["content"] for m in msgs) == "[SSN] ok"


@pytest.mark.parametrize(("first", "second"), [
    ("the dose is 12", "5 mg daily"),  # a number across the switch that is no identifier
    ("Room 4", "21 is ready, call back at noon."),
    ("Plan: rest and fluids.", " Follow up in 2 weeks."),
    ("Step 1 of 3", "-2 done"),
])
def test_near_miss_switches_stay_unchanged(engine: RedactionEngine, first: str, second: str) -> None:
    got = chat_fields(run(engine, [chat({"reasoning_content": first}), chat({"content": second}),
                                   "data: [DONE]\n\n"]))
    assert got == {"reasoning_content": first, "content": second}


def test_interleaved_channels_keep_their_own_readings(engine: RedactionEngine) -> None:
    """Content and tool arguments alternating every few characters: each channel is still redacted as its own
    text (a reading across the switches may not turn the SSN of one into an email of the other)."""
    a, args = "Her SSN is 123-45-6789.", json.dumps({"patient_email": "jane.doe@example.org"})
    chunks = [chat({"content": a[i : i + 4], "tool_calls": [{"index": 0, "function": {
        "arguments": args[i : i + 4]}}]}) for i in range(0, len(args), 4)] + ["data: [DONE]\n\n"]
    got = chat_fields(run(engine, chunks))
    assert got["content"] == "Her SSN is [SSN]."
    assert json.loads(got["tool"]) == {"patient_email": "[EMAIL]"}


def test_control_without_the_switch_rule_the_tail_leaks(engine: RedactionEngine,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(events_mod, "_switch_family", lambda key: None)
    got = chat_fields(run(engine, SWITCH))
    assert "478-21" in got["reasoning_content"], got


# --- a key read with its streamed value -------------------------------------------------------------------


@pytest.mark.parametrize("step", [0, 1, 11])
def test_a_finding_across_a_streamed_key_and_its_value(engine: RedactionEngine, step: int) -> None:
    out = run(engine, [ev({"rows": {SSN[:5]: SSN[5:]}}), ev({"rows": {SSN[:5]: " ok"}})], step=step)
    flat = json.dumps(payloads(out))
    assert "478" not in flat and "5096" not in flat, flat


def test_a_streamed_value_that_continues_its_key_later(engine: RedactionEngine) -> None:
    out = run(engine, [ev({"rows": {SSN[:6]: SSN[6:8]}}), ev({"rows": {SSN[:6]: f"{SSN[8:]} ok"}})])
    flat = json.dumps(payloads(out))
    assert "478" not in flat and "-50" not in flat and "96" not in flat, flat


def test_benign_streamed_keys_stay(engine: RedactionEngine) -> None:
    chunks = [ev({"rows": {"x": "y", "Room": "4B", "label": "42 beds", "count": "12"}}),
              ev({"rows": {"x": "z", "Room": "5C", "label": " more", "count": "3"}})]
    docs = payloads(run(engine, chunks))
    keys = {k for d in docs for k in d["rows"]}
    assert keys == {"x", "Room", "label", "count"}
    joined = {k: "".join(d["rows"].get(k, "") for d in docs) for k in keys}
    assert joined == {"x": "yz", "Room": "4B5C", "label": "42 beds more", "count": "123"}


def test_control_without_the_pair_reading_the_key_leaks(engine: RedactionEngine,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(JsonWalker, "reads_with_value", lambda self, k, path: False)
    out = run(engine, [ev({"rows": {SSN[:5]: SSN[5:]}}), ev({"rows": {"x": "y"}})])
    assert SSN[:5] in out


# --- unknown keys of known event types --------------------------------------------------------------------

SHORT = f"Patient Maria Okonkwo, SSN {SSN}, phone 512-437-7788"


def responses_delta(texts: list[str], field: str, item: str = "msg_67ccd3acc8d48190a77525dc") -> list[str]:
    return [ev({"type": "response.output_text.delta", "item_id": item, "output_index": 0, "content_index": 0,
                "delta": "ok ", field: x}, "response.output_text.delta") for x in texts]


def test_unknown_responses_field_is_joined_and_every_event_keeps_its_type(engine: RedactionEngine) -> None:
    out = run(engine, responses_delta([SHORT[i : i + 3] for i in range(0, len(SHORT), 3)], "note"))
    docs = payloads(out)
    joined = "".join(d.get("note", "") for d in docs)
    assert "Okonkwo" not in joined and "5096" not in joined and "7788" not in joined, joined
    assert "[SSN]" in joined
    assert all(d["type"] == "response.output_text.delta" and d["item_id"].startswith("msg_") for d in docs)
    assert "".join(d["delta"] for d in docs) == "ok " * len(range(0, len(SHORT), 3))


def test_obfuscation_padding_keeps_its_length_and_carries_nothing(engine: RedactionEngine) -> None:
    pads = ["aZ3k", SSN[:5], SSN[5:], "PpQ"]
    docs = payloads(run(engine, responses_delta(pads, "obfuscation")))
    assert [d["obfuscation"] for d in docs if "obfuscation" in d] == ["x" * len(p) for p in pads]
    assert "".join(d["delta"] for d in docs) == "ok " * len(pads)


def test_control_unknown_field_read_per_event_leaks(engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(events_mod, "_RESP_DELTA_OWN", events_mod._RESP_DELTA_OWN | {"note"})
    out = run(engine, responses_delta([SSN[:5], SSN[5:]], "note"))
    assert "5096" in out


@pytest.mark.parametrize("step", [0, 1, 7])
def test_a_streamed_key_renamed_for_a_crossing_keeps_its_own_redactions(engine: RedactionEngine, step: int) -> None:
    """A key holding an identifier of its own, renamed because a finding crosses from it into the value, is
    renamed from its redacted form (the fuzz found ``{"note 123-45-6789 note": "note jane.doe@…"}`` leaking the
    SSN in the renamed key). Control: the raw answer carries it."""
    chunks = ['data: {"note 123-45-6789 note": "note jane.doe@example.org note"}\n\n']
    assert "123-45-6789" in "".join(chunks)
    out = run(engine, chunks, step=step)
    assert "123-45-6789" not in out and "jane.doe" not in out, out
