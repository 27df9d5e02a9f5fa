"""Round 15 of the red team (docs/redteam.md), by class: what the normalised view did not read as a reader does.
Numbers with no compatibility form (dingbat, double and negative circled digits), CJK financial and Hangzhou
numerals, bracketed letters, group separators of other scripts and symbol blocks (middle dots, ideographic full
stops, box-drawing bars, set minus, Arabic comma), private-use and unassigned default-ignorable characters inside
an identifier, a right-to-left override run (shown reversed to a person, read as written by a model), and
internationalised e-mail addresses, the letters of smaller scripts that pass for Latin ones (Lisu, Canadian syllabics),
a soft hyphen where a line breaks. Each class has cases it must catch (they leaked before this round), near
misses that pass unchanged, and the exact map back to the original characters."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest

from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.normalize import extend, normalize

PROFILE = "safe_harbor"
NAMES = ["ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"]


def digits(text: str, form: str) -> str:
    """``text`` with each ASCII digit written as the character ``form`` names (``{}``: the digit's name), where
    that character exists (dingbats have no zero)."""
    return "".join(unicodedata.lookup(form.format(NAMES[int(c)])) if c.isdigit() and c != "0" else c for c in text)


def letters(text: str, form: str) -> str:
    return "".join(unicodedata.lookup(form.format(c.lower())) if c.isalpha() else c for c in text)


def sep(text: str, ch: str) -> str:
    return text.replace("-", ch).replace("/", ch)


def rlo(text: str) -> str:
    """``text`` as an override run: a renderer shows ``text`` to a person, a model reads it reversed."""
    return "\u202e" + text[::-1] + "\u202c"


# (the text, the planted value as written in it)
CATCH = [
    *((f"SSN {v}, seen today.", v) for v in (
        digits("478-21-5096", "DINGBAT NEGATIVE CIRCLED DIGIT {}"),
        digits("478-21-5096", "DOUBLE CIRCLED DIGIT {}"),
        digits("478-21-5096", "DINGBAT CIRCLED SANS-SERIF DIGIT {}"),
        "478-21-5" + unicodedata.lookup("NEGATIVE CIRCLED DIGIT ZERO") + "96",
        "478-21-5096".translate(str.maketrans("0123456789", "零壹贰叁肆伍陆柒捌玖")),
        "478-21-5096".translate(str.maketrans("123456789", "〡〢〣〤〥〦〧〨〩")),
        "478\ue00021\ue0005096", "47\u206582\u2065150\U000e0080" + "96",
        *(sep("478-21-5096", c) for c in "\u3002\uff61\u2218\u2502\u2053\u2216\u060c"),
    )),
    *((f"phone {v} today", v) for v in (
        digits("512-437-7788", "DOUBLE CIRCLED DIGIT {}"), sep("512-437-7788", "\u3002"),
        sep("512-437-7788", "\u2503"), sep("512-437-7788", "\u066b"))),
    *((f"DOB {v} today", v) for v in (sep("03/14/1962", "\u00b7"), sep("03/14/1962", "\u2022"),
                                       sep("03/14/1962", "\u22c5"), sep("03/14/1962", "\u3002"),
                                       rlo("03/14/1962"))),
    ("Patient " + letters("Maria Okonkwo", "PARENTHESIZED LATIN SMALL LETTER {}") + ", admitted.",
     letters("Maria Okonkwo", "PARENTHESIZED LATIN SMALL LETTER {}")),
    ("lives at 4821 " + letters("Wisteria Lane", "PARENTHESIZED LATIN SMALL LETTER {}"),
     letters("Wisteria Lane", "PARENTHESIZED LATIN SMALL LETTER {}")),
    ("Patient " + rlo("Maria Okonkwo") + ", admitted.", rlo("Maria Okonkwo")),
    ("email " + letters("maria.okonkwo@stjudehealth.org", "PARENTHESIZED LATIN SMALL LETTER {}"),
     letters("maria.okonkwo@stjudehealth.org", "PARENTHESIZED LATIN SMALL LETTER {}")),
    ("email måŕïå.økøñkŵø@stjudehealth.org now", "økøñkŵø"),
    ("email mⱥrɨⱥ.øꝁøꞥꝁwø@sŧjuđɇħɇⱥłŧħ.ørg now", "sŧjuđɇħɇⱥłŧħ"),
    ("email maria.okonkwo@stjúdehealth.org now", "stjúdehealth"),
    ("Patient ꓟꓮꓣꓲꓮ ꓳꓗꓳꓠꓗꓪꓳ seen.", "ꓳꓗꓳꓠꓗꓪꓳ"),  # Lisu capitals
    ("Spoke with Maria ꓳkonkwo today.", "ꓳkonkwo"),
    ("Patient ᗰaria Okonkwo seen.", "ᗰaria"),  # Canadian syllabics
    ("Patient Maria Okon\u00ad\nkwo seen.", "kwo"),  # a soft hyphen where the line breaks
]
# caught before this round too: the new readings keep them (an override run is also read as written, for a model)
KEPT = [
    ("SSN 478\u00b721\u00b75096, seen today.", "478\u00b721\u00b75096"),
    ("Patient \u202eMaria Okonkwo, admitted.", "Maria Okonkwo"),
    ("SSN " + rlo("478-21-5096") + " on file", rlo("478-21-5096")),
]

# PHI-free text with the same characters: passes unchanged
NEAR = [
    "Menu • Home • About • Contact",
    "Catalan: col·lecció, il·lusió.",
    "Result: 3·4 = 12 and 2∘3 is a composition.",
    "Table │ a │ b │ c │",
    "我们参加了会议。伍先生说，明天下午三点开会。",
    "日本語のテキスト。これはテストです。",
    "الساعة ١٢٫٥ والمبلغ ١٬٢٠٠، شكرا.",
    "Score ❶ first ❷ second ⓫ eleventh (a) and ⒜ item.",
    "Press \ue000 to continue \u2065 now.",
    "\u202eolleh\u202c: the total is \u202e!enif\u202c",
    "Inuktitut ᐃᓄᒃᑎᑐᑦ and Georgian ქართული text.",  # (Lisu text reads as Latin capitals: a cue may name it)
    "a soft\u00ad\nhyphen at a line end in ordinary prose, and a hy-\nphen.",
    "see @property and a@b, ünïcödé words: café, naïve, façade.",
]


@pytest.mark.parametrize(("text", "planted"), CATCH + KEPT)
def test_round15_class_is_redacted(engine: RedactionEngine, text: str, planted: str) -> None:
    out = engine.redact_text(text, PROFILE).text
    assert planted not in out, out


@pytest.mark.parametrize(("text", "planted"), CATCH[::4])
def test_round15_stream_equals_whole(engine: RedactionEngine, text: str, planted: str) -> None:
    whole = engine.redact_text(text, PROFILE).text
    for n in (1, 3):
        s = engine.text_stream(engine.redactor(PROFILE))
        out = "".join(s.push(text[i : i + n]) for i in range(0, len(text), n)) + s.finish()
        assert out == whole


@pytest.mark.parametrize("text", NEAR)
def test_round15_near_misses_pass(engine: RedactionEngine, text: str) -> None:
    assert engine.redact_text(text, PROFILE).text == text


@pytest.mark.parametrize(("text", "view"), [
    ("❹❼❽ ⓸⓻⓼ ⓿ ⓫", "478 478 0 11"),
    ("肆柒捌 〤〧〨", "478 478"),
    ("⒨⒜ 🄪", "ma S"),
    ("1·2。3│4∖5،6⁓7", "1.2.3|4\\5,6-7"),
    ("4\ue0007\u20658", "478"),
    ("x \u202eab\u202c y", "x ab ba y"),
    ("x \u202ecd\ny", "x cd dc\ny"),
    ("ꓳkonkwo ᗰ", "Okonkwo M"),
    ("Okon\u00ad\nkwo Okon\u00adkwo", "Okonkwo Okonkwo"),
])
def test_view_reads_the_class(text: str, view: str) -> None:
    assert normalize(text).text == view


def test_override_run_maps_back_whole_and_extends() -> None:
    text = "DOB \u202e2691/41/30\u202c ok"
    v = normalize(text)
    at = v.text.index("03/14/1962")
    assert text[slice(*v.span(at, at + 10))] == "\u202e2691/41/30\u202c"
    assert text[slice(*v.span(at + 2, at + 3))] == "\u202e2691/41/30\u202c"  # any part: the whole run
    assert normalize("\u202e⑳x\u0301y\u202c").text == "20xy yx20"  # clusters keep their order inside
    grown = normalize(text[:5])
    for k in range(6, len(text) + 1):  # a stream's buffer: the open run is read again as it grows
        grown = extend(grown, text[:k])
        assert grown.text == normalize(text[:k]).text


# --- an identifier split by a tool block between two Anthropic text blocks (round 14's leftover) -----------------


def anthropic(first: str, second: str, tool_deltas: int = 1) -> list[bytes]:
    """An Anthropic stream: a text block with ``first``, a tool_use block (``tool_deltas`` input deltas), a text
    block with ``second``; one event a chunk."""
    def ev(obj: dict[str, Any]) -> bytes:
        return f"event: {obj['type']}\ndata: {json.dumps(obj)}\n\n".encode()

    def text_block(i: int, text: str) -> list[bytes]:
        return [ev({"type": "content_block_start", "index": i, "content_block": {"type": "text", "text": ""}}),
                ev({"type": "content_block_delta", "index": i, "delta": {"type": "text_delta", "text": text}}),
                ev({"type": "content_block_stop", "index": i})]

    tool = [ev({"type": "content_block_start", "index": 1, "content_block": {
        "type": "tool_use", "id": "toolu_01", "name": "lookup", "input": {}}})]
    tool += [ev({"type": "content_block_delta", "index": 1, "delta": {
        "type": "input_json_delta", "partial_json": "{}" if k == 0 else " "}}) for k in range(tool_deltas)]
    tool.append(ev({"type": "content_block_stop", "index": 1}))
    return [ev({"type": "message_start", "message": {"id": "msg_01", "type": "message", "role": "assistant",
                                                     "content": [], "model": "claude"}}),
            *text_block(0, first), *tool, *text_block(2, second), ev({"type": "message_stop"})]


def texts(out: str) -> list[str]:
    """The text of each text block, in order."""
    blocks: dict[int, str] = {}
    for line in out.splitlines():
        if line.startswith("data: "):
            obj = json.loads(line[6:])
            piece = (obj.get("delta") or {}).get("text") or (obj.get("content_block") or {}).get("text")
            if isinstance(piece, str):
                blocks[obj["index"]] = blocks.get(obj["index"], "") + piece
    return [blocks[k] for k in sorted(blocks)]


def sse_out(engine: RedactionEngine, chunks: list[bytes]) -> str:
    proc = engine.open_body(PROFILE, "text/event-stream")
    return (b"".join(proc.feed(c) for c in chunks) + proc.finish()).decode()


@pytest.mark.parametrize(("first", "second", "planted"), [
    ("Her SSN is 478-21-", "5096, on file.", ["478-21", "5096"]),
    ("Spoke with Maria Okon", "kwo about discharge.", ["Okon", "kwo"]),
    ("Call her at 512-437-", "7788 tomorrow.", ["512-437", "7788"]),
])
def test_text_held_at_a_tool_block_goes_on_after_it(engine: RedactionEngine, first: str, second: str,
                                                    planted: list[str]) -> None:
    """Before: the first block's part was released at the tool block (the second block's part was redacted
    with it as left context)."""
    out = sse_out(engine, anthropic(first, second))
    assert not [p for p in planted if p in "".join(texts(out))], texts(out)
    assert '"name": "lookup"' in out or '"name":"lookup"' in out  # the tool block is kept


def test_text_around_a_tool_block_is_kept_whole(engine: RedactionEngine) -> None:
    """Near misses: a finished sentence stays in its block; text held at the tool block (a number that could
    go on) moves into the next text block, nothing lost; a long tool block releases it before (old behaviour)."""
    assert texts(sse_out(engine, anthropic("Checking the chart now.", "Done, all normal."))) == [
        "Checking the chart now.", "Done, all normal."]
    moved = texts(sse_out(engine, anthropic("Bed count is 12", " and rising.")))
    assert "".join(moved) == "Bed count is 12 and rising."
    long_tool = texts(sse_out(engine, anthropic("Her SSN is 478-21-", "5096.", tool_deltas=40)))
    assert long_tool[0].startswith("Her SSN is")  # held no longer than MAX_HELD_EVENTS events
