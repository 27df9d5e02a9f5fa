"""Round 12 of the red team (docs/redteam.md), by class: digits as the number words of other languages or as
Roman numerals, a number written as arithmetic or in another base after its cue, inline HTML tags and LaTeX
groups between digits, adjacent string literals between digits, a word written a character at a time, strokes a
reader takes for a dash, and an identifier split across the choices (candidates) of one streamed answer. Each class
has cases it must catch, near misses it must leave alone, and a control (the cases themselves passed unredacted
before this round; stream output equals whole-text output at every cut)."""

from __future__ import annotations

import json

import pytest

from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.normalize import normalize

from .redteam_checks import assert_caught, assert_stream_equals_whole, redact

CAUGHT = {
    # number words of other languages, alone or mixed with digits and groups; Roman numerals
    "spanish": ("SSN: cuatro siete ocho dos uno cinco cero nueve seis", "ocho dos uno"),
    "french_phone": ("Tel: quatre un cinq cinq cinq cinq zéro un deux trois", "zéro un deux"),
    "german_groups": ("SSN 478-zwei eins-fünf null neun sechs", "zwei eins"),
    "italian_mixed": ("codice 4 sette 8 due 1 cinque 0 nove 6", "sette 8 due"),
    "portuguese": ("CPF quatro sete oito dois um cinco zero nove seis", "oito dois um"),
    "dutch": ("BSN vier zeven acht twee een vijf nul negen zes", "acht twee een"),
    "russian": ("СНИЛС: четыре семь восемь два один пять ноль девять шесть", "восемь два"),
    "hindi_romanised": ("SSN: char saat aath do ek paanch shunya nau chhah", "saat aath"),
    "japanese_romanised": ("phone yon ichi go go go go zero ichi ni san", "ichi go go"),
    "roman_numerals": ("SSN: IV VII VIII - II I - V 0 IX VI", "VII VIII"),
    "roman_lower": ("ssn iv-vii-viii-ii-i-v-0-ix-vi", "vii-viii"),
    # arithmetic and other bases after a cue
    "arithmetic": ("SSN = 478*1000000 + 21*10000 + 5096", "478*1000000"),
    "times_sign": ("phone: 415 × 10000000 + 5550123", "5550123"),
    "hex_after_cue": ("SSN in hex: 0x1C80FCF8", "1C80FCF8"),
    # markup between digits a renderer shows as nothing
    "html_inline_tags": ("SSN <span>4</span><span>7</span><span>8</span>-21-5096", "5096"),
    "html_bold_groups": ("SSN <b>478</b>-<i>21</i>-<em>5096</em>", "5096"),
    "latex_text_groups": ("$\\text{4}\\text{7}\\text{8}-21-5096$", "5096"),
    "adjacent_literals": ("ssn = '478' '21' '5096'", "5096"),
    # a word written a character at a time
    "spaced_name": ("Patient M a r g a r e t  T h o r n b u r y", "T h o r n"),
    "spaced_email": ("mail m . t h o r n b u r y @ g m a i l . c o m", "t h o r n"),
    # strokes read as dashes
    "katakana_dash": ("SSN ４７８ー２１ー５０９６", "５０９６"),
    "box_drawing_dash": ("SSN 478─21─5096", "5096"),
}

NEAR_MISSES = [
    "then cuatro cinco seis siete ocho nueve cero",  # counting, no cue
    "I do not know if it works; IV fluids at 1 L",
    "GCS 4 5 6 and A B C D E F G options",
    "x = a + b + c + d + e",
    "BP 120 x 80 x 3 x 4 and dose 2 x 500 x 3 mg",
    "I I I I I I I",
    "wait . . . . . . ok",
    "BP <b>120</b>/80 and <td>4</td><td>7</td>",
    "color 0x1F2E3D4C for the theme",
    "print('a' 'b'); x = '4' + y",
    "カード ー ライン",
]


@pytest.mark.parametrize(("text", "planted"), [pytest.param(*CAUGHT[n], id=n) for n in sorted(CAUGHT)]
                         + [pytest.param(t, None, id=f"near_miss_{i}") for i, t in enumerate(NEAR_MISSES)])
def test_round12_cases_caught_and_near_misses_untouched(engine: RedactionEngine, text: str, planted: str | None
                                                        ) -> None:
    """A case loses its planted form to a tag; a near miss (``planted`` None) comes back unchanged."""
    if planted is None:
        assert redact(engine, text) == text
    else:
        assert_caught(engine, text, planted)


@pytest.mark.parametrize("name", ["spanish", "roman_numerals", "arithmetic", "html_inline_tags",
                                  "latex_text_groups", "adjacent_literals", "spaced_name"])
def test_round12_stream_equals_whole_at_every_cut(engine: RedactionEngine, name: str) -> None:
    assert_stream_equals_whole(engine, CAUGHT[name][0] + " then more words")


def test_markup_between_digits_reads_as_nothing_only_next_to_digits() -> None:
    """Control of the normaliser rules: inline tags and LaTeX groups next to digits read as nothing; block tags
    between digits read as one space (round 13: an element boundary, like a Markdown cell border), tags between
    words stay as written."""
    assert normalize("SSN <span>4</span><span>7</span>8").text == "SSN 478"
    assert normalize("$\\text{4}\\text{7}8$").text == "$478$"
    assert normalize("'478' '21'").text == "'47821'"
    assert normalize("<td>4</td><td>7</td>").text == "<td>4 7</td>"
    assert normalize("<b>bold</b> text").text == "<b>bold</b> text"
    assert normalize("478ー21").text == "478-21"


def _sse(*objs: dict[str, object]) -> bytes:
    return b"".join(f"data: {json.dumps(o)}\n\n".encode() for o in objs) + b"data: [DONE]\n\n"


def _body(engine: RedactionEngine, raw: bytes) -> str:
    p = engine.open_body("safe_harbor", "text/event-stream")
    return (p.feed(raw) + p.finish()).decode()


def test_identifier_split_across_choices_is_read_whole(engine: RedactionEngine) -> None:
    chat = _sse({"choices": [{"index": 0, "delta": {"content": "SSN 478-21-"}}]},
                {"choices": [{"index": 1, "delta": {"content": "5096"}}]})
    gem = _sse({"candidates": [{"index": 0, "content": {"parts": [{"text": "SSN 478-21-"}]}}]},
               {"candidates": [{"index": 1, "content": {"parts": [{"text": "5096"}]}}]})
    for raw in (chat, gem):
        out = _body(engine, raw)
        assert "478-21" not in out and "5096" not in out, out


def test_control_honest_choices_keep_their_text(engine: RedactionEngine) -> None:
    raw = _sse({"choices": [{"index": 0, "delta": {"content": "room 4155 "}}]},
               {"choices": [{"index": 1, "delta": {"content": "is ready"}}]})
    out = [json.loads(ln[6:]) for ln in _body(engine, raw).split("\n") if ln.startswith("data: {")]
    text = {i: "".join(o["choices"][0]["delta"]["content"] for o in out if o["choices"][0]["index"] == i)
            for i in (0, 1)}
    assert text == {0: "room 4155 ", 1: "is ready"}
