"""Round 9 of the red team (docs/redteam.md), by class: letters written for digits, MIME encoded words and hex
text, CSV cells, ISO week and apostrophe-year dates, Unicode forms a view must read (tag characters, keycaps,
parenthesised digits, control characters), escapes encoded twice, JSON string event data, interleaved Anthropic
blocks. Each class has the cases it must catch, near misses it must leave alone, and a control that fails on the
old behaviour."""

from __future__ import annotations

import base64
import json

import pytest

from sidecar.redaction.detectors import default_detectors
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.errors import RedactionError
from sidecar.redaction.normalize import normalize
from sidecar.redaction.settings import RedactionSettings

from .conftest import KEY

SSN = "478-21-5096"


def redact(engine: RedactionEngine, text: str) -> str:
    return engine.redact_text(text, "safe_harbor").text


def streamed_equal_whole(engine: RedactionEngine, text: str) -> None:
    whole = redact(engine, text)
    for cut in range(1, len(text)):
        s = engine.text_stream(engine.redactor("safe_harbor"))
        assert s.push(text[:cut]) + s.push(text[cut:]) + s.finish() == whole, cut


# --- letters written for digits --------------------------------------------------------------------------------

LOOKALIKE = [
    ("SSN 478-2l-5O96", "478-2l-5O96"),
    ("SSN 47B-21-5O96", "47B-21-5O96"),
    ("SSN 478|21|5O96", "478|21|5O96"),
    ("ssn: 4782l5O96", "4782l5O96"),
    ("call 415-555-Ol23", "415-555-Ol23"),
    ("phone 4l5.555.0123", "4l5.555.0123"),
    ("tel (4l5) 555-0I23", "(4l5) 555-0I23"),
    ("fax 415 555 Ol23", "415 555 Ol23"),
    ("chart 773O4l9 noted", "773O4l9"),
    ("DOB O3/l5/l961", "O3/l5/l961"),
    ("born l961-03-l5", "l961-03-l5"),
    ("SSN 478-21-5\u039f96", "478-21-5\u039f96"),  # a Greek capital omicron, folded to O by the view first
]
LOOKALIKE_NEAR_MISSES = [
    "vitamin B12 1000 mcg daily", "SpO2 98% on 2L O2", "O2 sat 95 on 4L NC", "ISO 8601 and SOS", "Bed 12B room 3B",
    "S1 S2 normal, S3 absent", "ABG 7.35/4O/8O", "Hb 8.O today", "in the 1990s", "l5 min walk", "COVID-19 neg",
    "hash 5b0e1f3c9a", "B-52 and F-16", "IO 2100/1500", "B12 2000 pg/mL", "S12 345 6789 units",
]


@pytest.fixture(scope="module")
def without_lookalike() -> RedactionEngine:
    dets = [d for d in default_detectors() if d.name != "lookalike_digits"]
    return RedactionEngine(RedactionSettings(unknown_content_type="withhold"), KEY, dets)


@pytest.mark.parametrize(("text", "value"), LOOKALIKE)
def test_letters_for_digits_are_redacted(engine: RedactionEngine, without_lookalike: RedactionEngine, text: str,
                                         value: str) -> None:
    assert value not in redact(engine, text)
    assert value in redact(without_lookalike, text)  # control: the identifier and date rules alone miss it


@pytest.mark.parametrize("text", LOOKALIKE_NEAR_MISSES)
def test_letters_among_digits_near_misses_are_unchanged(engine: RedactionEngine, text: str) -> None:
    assert redact(engine, text) == text


@pytest.mark.parametrize("text", ["SSN 478-2l-5O96 on file", "call 415-555-Ol23 now", "DOB O3/l5/l961."])
def test_letters_for_digits_streamed_at_every_cut_equal_whole(engine: RedactionEngine, text: str) -> None:
    streamed_equal_whole(engine, text)


# --- MIME encoded words and hex text ---------------------------------------------------------------------------

CARRIED = [
    "ref =?UTF-8?B?" + base64.b64encode(SSN.encode()).decode() + "?= noted",
    "ref =?utf-8?b?" + base64.b64encode(f"SSN {SSN}".encode()).decode() + "?=",
    "ref =?utf-8?Q?SSN_478=2D21=2D5096?= noted",
    "=?UTF-16LE?B?" + base64.b64encode(f"SSN {SSN}".encode("utf-16-le")).decode() + "?=",
    "blob " + f"SSN {SSN}".encode().hex(),
    # adjacent encoded words are shown joined: each half alone holds no finding
    "=?utf-8?B?" + base64.b64encode(b"SSN 478-21").decode() + "?= =?utf-8?B?" + base64.b64encode(b"-5096").decode()
    + "?=",
]


@pytest.mark.parametrize("text", CARRIED)
def test_encoded_words_and_hex_text_are_redacted_whole(engine: RedactionEngine, text: str) -> None:
    out = redact(engine, text)
    assert "=?" not in out and not any(len(w) >= 16 for w in out.split())


@pytest.mark.parametrize("text", [
    "=?UTF-8?B?" + base64.b64encode(b"Nice day, see you").decode() + "?=", "=?utf-8?Q?caf=C3=A9_au_lait?=",
    "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "color #ffeeddccbbaa99887766",
    "hex " + b"nothing to see here".hex(),
])
def test_encoded_words_and_hex_without_findings_are_unchanged(engine: RedactionEngine, text: str) -> None:
    assert redact(engine, text) == text


@pytest.mark.parametrize("text", CARRIED[::2])
def test_encoded_words_streamed_at_every_cut_equal_whole(engine: RedactionEngine, text: str) -> None:
    streamed_equal_whole(engine, text)


# --- CSV cells, ISO week dates, apostrophe years ---------------------------------------------------------------

@pytest.mark.parametrize(("text", "gone"), [
    ("name,a,b,c\nJohn,478,21,5096\n", "5096"),
    ('"John","478","21","5096"', "5096"),
    ("John;478;21;5096", "5096"),
    ("John,415,555,0123", "0123"),
    ("John,(415),555,0123", "0123"),
    ("John,1961,03,15,F", "1961"),
    ("DOB 1961-W11-3", "W11"),
    ("DOB 1961W113", "W113"),
    ("week 1961-W11", "W11"),
    ("DOB 3/15/'61", "15"),
    ("DOB 15.3.'61", "15"),
    ("DOB '61-03-15", "15"),
    ("admitted 19610315T0830Z", "0315"),
])
def test_csv_cells_and_date_forms_are_redacted(engine: RedactionEngine, text: str, gone: str) -> None:
    assert gone not in redact(engine, text)


@pytest.mark.parametrize("text", [
    "BP,HR,UO\n120,80,1000", "1,234,567 cells", "vals 120,80,1500,3", "x 478, 21, 5096 mg", "count 2000,10,2",
    "version 2019-W", "W11 ward 2022", "ratio 3/4/'s", "it's '61 vintage",
])
def test_csv_and_date_near_misses_are_unchanged(engine: RedactionEngine, text: str) -> None:
    assert redact(engine, text) == text


@pytest.mark.parametrize("text", ["John,478,21,5096,F", "DOB 1961-W11-3 ok", "DOB 3/15/'61 ok"])
def test_csv_and_dates_streamed_at_every_cut_equal_whole(engine: RedactionEngine, text: str) -> None:
    streamed_equal_whole(engine, text)


# --- Unicode forms and escapes encoded twice --------------------------------------------------------------------

TAGS = "".join(chr(0xE0000 + ord(c)) for c in f"SSN {SSN}")
VIEWED = [
    ("Hello" + TAGS, "HelloSSN 478-21-5096"),  # tag characters: invisible ASCII
    ("SSN " + "".join(c + "\ufe0f\u20e3" if c.isdigit() else c for c in SSN), f"SSN {SSN}"),  # keycaps
    ("SSN " + "".join(chr(0x2473 + int(c)) if c in "123456789" else c for c in SSN), f"SSN {SSN}"),  # ⑷
    ("SSN \u248b\u248e\u248f-21-5096", f"SSN {SSN}"),  # digit full stops ⒋
    ("SSN 478\x00-21\x1b-5096", f"SSN {SSN}"),  # control characters
    ("SSN 478\x85-21-5096", f"SSN {SSN}"),  # a C1 control character
    ("SSN &amp;#52;&amp;#55;&amp;#56;-21-5096", f"SSN {SSN}"),  # references encoded twice
    ("ssn%253D478%252D21%252D5096", f"ssn={SSN}"),  # percent-escapes encoded twice
    ("SSN \\U00000034\\U00000037\\U00000038-21-5096", f"SSN {SSN}"),  # Python long escapes
]


@pytest.mark.parametrize(("text", "view"), VIEWED)
def test_unicode_forms_and_double_escapes_are_read(engine: RedactionEngine, text: str, view: str) -> None:
    assert normalize(text).text == view
    assert "5096" not in redact(engine, text) and "\U000e0035\U000e0030\U000e0039\U000e0036" not in redact(
        engine, text)


@pytest.mark.parametrize("text", [
    "a &amp; b &amp;amp; c", "100%25 sure", "&amp;lt;b&amp;gt;", "tab\tand\nnewline\r\n", "caf\u00e9 \u0915\u093f",
    "flag \U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
])
def test_unicode_and_escape_near_misses_keep_their_digits(engine: RedactionEngine, text: str) -> None:
    assert redact(engine, text) == text


@pytest.mark.parametrize("text", [t for t, _ in VIEWED])
def test_unicode_forms_streamed_at_every_cut_equal_whole(engine: RedactionEngine, text: str) -> None:
    streamed_equal_whole(engine, text)


# --- event streams ---------------------------------------------------------------------------------------------

def sse(engine: RedactionEngine, chunks: list[str], profile: str = "safe_harbor") -> str:
    p = engine.open_body(profile, "text/event-stream")
    return (b"".join(p.feed(c.encode()) for c in chunks) + p.finish()).decode()


def test_json_string_event_data_is_joined_and_stays_json(engine: RedactionEngine) -> None:
    """Control: the data was a text channel with its quotes, so ``"SSN 478-2"`` + ``"1-5096"`` passed."""
    out = sse(engine, ['data: "SSN 478-2"\n\n', 'data: "1-5096"\n\n', 'data: "hello"\n\n'])
    values = [json.loads(ln[6:]) for ln in out.splitlines() if ln.startswith("data: ")]
    assert all(isinstance(v, str) for v in values)
    assert "5096" not in "".join(values) and "hello" in "".join(values)


def test_json_string_event_data_near_misses(engine: RedactionEngine) -> None:
    """Data that opens with a quote but is no JSON string stays a text channel (not withheld as bad JSON)."""
    out = sse(engine, ['data: "quoted" then text\n\n', 'data: "a"\n\n'])
    assert 'data: "quoted" then ' in out and "data: text" in out and 'data: "a"' in out


def test_interleaved_anthropic_blocks_are_withheld(engine: RedactionEngine) -> None:
    evs = [{"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
           {"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}},
           {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "SSN 478-"}},
           {"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": "see "}},
           {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "21-5096"}}]
    with pytest.raises(RedactionError):
        sse(engine, [f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in evs])


def test_sequential_anthropic_blocks_are_answered(engine: RedactionEngine) -> None:
    evs = [{"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
           {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "SSN 478-"}},
           {"type": "content_block_stop", "index": 0},
           {"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}},
           {"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": "21-5096 ok"}},
           {"type": "content_block_stop", "index": 1}, {"type": "message_stop"}]
    out = sse(engine, [f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in evs])
    assert "5096" not in out and "ok" in out
