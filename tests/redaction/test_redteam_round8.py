"""Round 8 of the red team (docs/redteam.md), by class: schema numbers of identifier length, text split across
content parts, and escapes and markup a client decodes (JavaScript, CSS, ``%u``, quoted-printable, Markdown).
Each class has the cases it must catch, near misses it must leave alone, and a control that fails on the old
behaviour."""

from __future__ import annotations

import json

import pytest

from sidecar.redaction.bodies.shapes import schema_number
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.normalize import normalize

SSN = "478-21-5096"


def body(engine: RedactionEngine, doc: object, direction: str = "response", step: int = 0) -> str:
    raw = json.dumps(doc).encode()
    p = engine.open_body("safe_harbor", "application/json", direction=direction)  # type: ignore[arg-type]
    step = step or len(raw)
    return (b"".join(p.feed(raw[i : i + step]) for i in range(0, len(raw), step)) + p.finish()).decode()


def digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


# --- schema numbers --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "value", "want"), [
    ("seed", 478215096, 478200000),
    ("index", 478215096, 478200000),
    ("total_duration", 5124377788, 5124000000),
    ("created", 5124377788, 5124000000),  # a phone is no timestamp of this era
    ("created_at", 478215096, 478200000),
    ("embedding", 0.478215096, 0.478215),
    ("avgLogprobs", -4.78215096e-05, -4.78215e-05),
])
def test_schema_number_of_identifier_length_is_rounded(key: str, value: float, want: float) -> None:
    assert schema_number(key, value) == want


@pytest.mark.parametrize(("key", "value"), [
    ("created", 1712345678), ("created_at", 1700000000), ("total_tokens", 123456), ("index", 3),
    ("temperature", 0.7), ("embedding", -0.0069293), ("seed", 42), ("prompt_tokens", 0),
])
def test_schema_number_near_misses_pass_unchanged(key: str, value: float) -> None:
    got = schema_number(key, value)
    assert got == value and type(got) is type(value)


def test_schema_numbers_in_answers_and_requests(engine: RedactionEngine) -> None:
    """Control: the digits of the SSN passed under ``seed``, ``index`` and ``sequence_number`` before."""
    answer = {"object": "chat.completion", "seed": 478215096, "choices": [
        {"index": 478215096, "message": {"role": "assistant", "content": "ok"}}]}
    out = json.loads(body(engine, answer))
    assert out["seed"] == 478200000 and out["choices"][0]["index"] == 478200000
    req = {"model": "echo", "seed": 478215096, "temperature": 0.478215096, "messages": []}
    out = json.loads(body(engine, req, "request"))
    assert out["seed"] == 478200000 and out["temperature"] == 0.478215
    assert "47821509" not in body(engine, req, "request")


# --- text split across content parts ---------------------------------------------------------------------------

PARTS = [
    {"type": "message", "role": "assistant", "content": [{"type": "text", "text": "SSN 478-21-"},
                                                          {"type": "text", "text": "5096 on file"}]},
    {"candidates": [{"content": {"role": "model", "parts": [{"text": "SSN 478-"}, {"text": "21-5096"}]}}]},
    {"object": "response", "output": [
        {"type": "message", "content": [{"type": "output_text", "text": "SSN 478-21"}]},
        {"type": "message", "content": [{"type": "output_text", "text": "-5096"}]}]},
    {"jsonrpc": "2.0", "id": 1, "result": {"content": [{"type": "text", "text": "SSN 478"},
                                                       {"type": "text", "text": "-21-"},
                                                       {"type": "text", "text": "5096"}]}},
]


@pytest.mark.parametrize("doc", PARTS, ids=["anthropic", "gemini", "responses_items", "mcp"])
def test_identifier_across_content_parts_is_redacted(engine: RedactionEngine, doc: object) -> None:
    out = body(engine, doc)
    joined = "".join(v for v in _strings(json.loads(out)))
    assert "5096" not in joined and "478" not in joined, out
    assert "[SSN]" in out


def test_identifier_across_request_messages_is_redacted(engine: RedactionEngine) -> None:
    req = {"model": "echo", "messages": [{"role": "user", "content": [
        {"type": "text", "text": "SSN 478-21-"}, {"type": "text", "text": "5096"}]}]}
    out = body(engine, req, "request")
    assert "5096" not in out and "[SSN]" in out


def test_content_parts_near_misses_are_unchanged(engine: RedactionEngine) -> None:
    """Parts with no finding across them, and parts whose findings each lie inside one part, are as before."""
    doc = {"type": "message", "role": "assistant", "content": [
        {"type": "text", "text": "Take 2 tablets "}, {"type": "text", "text": "12 hours apart."},
        {"type": "text", "text": "Vitals stable, HR 82"}, {"type": "text", "text": ", BP 120/80."}]}
    assert json.loads(body(engine, doc)) == doc
    own = {"content": [{"type": "text", "text": f"SSN {SSN}"}, {"type": "text", "text": " and more"}]}
    assert json.loads(body(engine, own))["content"][1]["text"] == " and more"


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


# --- escapes and markup a client decodes -----------------------------------------------------------------------

READ = [
    "SSN \\x34\\x37\\x38-\\x32\\x31-5096",  # JavaScript hex escapes
    "SSN \\u{34}\\u{37}\\u{38}-21-5096",  # JavaScript code point escapes
    "SSN \\34\\37\\38-21-5096",  # CSS escapes
    "SSN \\34 \\37 \\38 -21-5096",  # CSS escapes closed by a space
    "SSN \\000034\\000037\\000038-21-5096",  # CSS escapes of six digits
    "SSN %u0034%u0037%u0038-21-5096",  # JavaScript unescape()
    "SSN =34=37=38-21-5096",  # quoted-printable
    "SSN 478-21=\n-5096",  # quoted-printable soft line break
    "SSN 478\\-21\\-5096",  # Markdown escapes
    "SSN 4**7**8-21-5096",  # Markdown emphasis inside a number
    "SSN _478_-_21_-_5096",
    "SSN `478`-`21`-`5096`",  # code spans
    "SSN 478-~~21~~-5096",  # strike-through
    "SSN 478<!-- x -->-21-5096",  # an HTML comment
]


@pytest.mark.parametrize("text", READ)
def test_escapes_and_markup_are_read_as_the_characters_shown(engine: RedactionEngine, text: str) -> None:
    assert "478-21-5096" in normalize(text).text
    assert "5096" not in engine.redact_text(text, "safe_harbor").text


@pytest.mark.parametrize("text", READ)
def test_escapes_streamed_at_every_cut_equal_whole(engine: RedactionEngine, text: str) -> None:
    whole = engine.redact_text(text, "safe_harbor").text
    for cut in range(1, len(text)):
        s = engine.text_stream(engine.redactor("safe_harbor"))
        assert s.push(text[:cut]) + s.push(text[cut:]) + s.finish() == whole, cut


@pytest.mark.parametrize("text", [
    "x = 1_000_000", "a=3F and b=7", "def snake_case_2(x): return x*2", r"re.compile(r'\d+\.\d*')",
    "C:\\Users\\notes", "**Plan:** follow up", "a -- b", "<!-- a comment --> text", "2*3=6",
])
def test_escape_near_misses_read_as_written(text: str) -> None:
    view = normalize(text).text
    assert digits(view) == digits(text) or text == "2*3=6" and digits(view) == "236"


# --- numbers grouped by thousands separators or written with an exponent ---------------------------------------


@pytest.mark.parametrize(("text", "kind"), [
    ("SSN 478,215,096 on file", "[SSN]"), ("MRN: 7,730,419.", "[MRN]"), ("call 5.124377788e9", "[PHONE]"),
    ("phone: 5.124377788E+9", "[PHONE]"), ("account # 1,234,567,890", "[PHONE]"),
])
def test_grouped_number_after_a_cue_is_redacted(engine: RedactionEngine, text: str, kind: str) -> None:
    """Control: each of these passed unchanged before round 8."""
    out = engine.redact_text(text, "safe_harbor").text
    assert kind in out and not any(g in out for g in ("215", "730", "124377", "567")), out


@pytest.mark.parametrize("text", [
    "cost $1,250,000 for the unit", "8,336,817 people live there", "plt 245,000", "Avogadro 6.022140e23 mol",
    "WBC 12,500", "a ratio of 1.234567e-3",
])
def test_grouped_number_without_a_cue_is_left(engine: RedactionEngine, text: str) -> None:
    assert engine.redact_text(text, "safe_harbor").text == text
