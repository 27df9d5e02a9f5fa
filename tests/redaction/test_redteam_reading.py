"""Issues 16/17 red team, fourth round: identifiers written a digit at a time across commas, line breaks and
number words (``detectors/digit_runs.py``) and a name wrapped by a line break (``names._Scan.wrapped``).

Each rule: attacks redacted (whole, spans mapped back to the original characters), precision controls kept
byte-identical, streaming at 1-3 characters per event equal to whole-text redaction, and a control that shows
the check fails without the rule."""

from __future__ import annotations

import re

import pytest

from sidecar.redaction.detectors import digit_runs, names
from sidecar.redaction.engine import RedactionEngine
from tests.redaction.test_stream_divergences import assert_stream_equals_whole, streamed

SSN_DIGITS = "478215096"

# (text, the type the run is redacted as)
DIGIT_RUNS = [
    ("SSN 4,7,8,2,1,5,0,9,6", "SSN"),
    ("SSN 4, 7, 8, 2, 1, 5, 0, 9, 6 on file", "SSN"),
    ("SSN\n4\n7\n8\n2\n1\n5\n0\n9\n6", "SSN"),
    ("SSN:\r\n4\r\n7\r\n8\r\n2\r\n1\r\n5\r\n0\r\n9\r\n6\r\n", "SSN"),
    ("SSN 4 seven 8 two 1 five 0 nine 6", "SSN"),
    ("four 7 eight two-one five 0 nine six", "SSN"),  # no cue: a valid SSN
    ("the number is 4; 7; 8 - 2, 1\n5 0, 9, 6.", "ID"),  # mixed separators, typed by the cue
    ("call 5, 1, 2, 4, 3, 7, 7, 7, 8, 8", "PHONE"),
    ("5,1,2,4,3,7,7,7,8,8 is the number to use", "PHONE"),  # no cue: a North American number
    ("MRN 7,7,3,0,4,1,9", "MRN"),
    ("account 4, 5, 3, 9, 1, 4, 8, 8, 0, 3, 4, 3, 6, 4, 6, 7", "ACCOUNT"),
    ("4;5;3;9;1;4;8;8;0;3;4;3;6;4;6;7 thanks", "CARD"),  # no cue: Luhn
]

# lists of small values, scores, counts and enumerations: never an identifier
KEEP = [
    "GCS 4, 5, 6",
    "take 1, 2, 3 tabs, pain 3/10, x 2",
    "HR 88, BP 120/80, RR 18, SpO2 97%, T 37.1",
    "1, 2, 3, 4, 5, 6, 7, 8, 9",
    "9, 8, 7, 6, 5, 4, 3, 2, 1, 0",
    "Scores: 4, 5, 3, 4, 5, 4, 3, 5, 4",
    "1.\n2.\n3.\n4.\n5.\n6.\n7.\n8.\n9.",
    "Steps:\n1\n2\n3\n4\n5\n6\n7\n8\n9",
    "0,0,0,1,0,0,0,1,0,0",
    "12, 4, 7, 8, 2, 1, 5, 0, 9, 6 ml over the shift",  # a value list that opens with a two-digit number
    "| 4 | 5 | 6 |\n| 1 | 2 | 3 |",
    "one of the two nurses said 3 times, then one more 2 days later",
    "doses given: 2, 2, 1, 2, 2, 1, 2",
    "9, 0, 0, 1, 2, 3, 4, 5, 6",  # nine digits, no cue, no valid SSN (area 900)
    # a table of single digits longer than any identifier
    "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2",
]


_WORDS = {w: str(i) for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])}


def _digits(s: str) -> str:
    """The digits of ``s``, number words read as digits."""
    tokens = re.findall(r"\d|[A-Za-z]+", s)
    return "".join(_WORDS.get(t.lower(), t) for t in tokens if t.isdigit() or t.lower() in _WORDS)


@pytest.mark.parametrize(("text", "kind"), DIGIT_RUNS)
def test_digits_one_by_one_are_read_as_one_identifier(engine: RedactionEngine, text: str, kind: str) -> None:
    spans = engine.detect(text, "safe_harbor")
    run = [s for s in spans if s.type == kind]
    assert len(run) == 1, (text, spans)
    s = run[0]
    words = re.findall(r"\d|zero|one|two|three|four|five|six|seven|eight|nine", text[s.start : s.end])
    assert len(words) >= 7 and text[s.start : s.end] == text[s.start : s.end].strip(" ,;\n\r")
    assert not re.search(r"\d", text[: s.start][-4:] + text[s.end :][:4].lstrip(".")), "the run is covered whole"


@pytest.mark.parametrize("text", KEEP)
def test_lists_of_small_values_stay(engine: RedactionEngine, text: str) -> None:
    assert engine.redact_text(text, "safe_harbor").text == text


def test_spans_map_back_to_the_original_characters(engine: RedactionEngine) -> None:
    # full-width digits, a zero-width space and a non-breaking space inside the run: the view reads them, the
    # span covers the original characters exactly
    text = "SSN \uff14,\u200b7,\u00a08,\n2,1,5,0,\uff19,6 ok"
    out = engine.redact_text(text, "safe_harbor").text
    assert out == "SSN [SSN] ok"


def test_a_longer_run_is_judged_from_its_start_only() -> None:
    text = "5, 5, 5, 5, 4, 7, 8, 2, 1, 5, 0, 9, 6, 4, 4"
    starts = [m.start() for m in digit_runs.DIGIT_RUN.finditer(text)]
    assert starts and all(s == 0 or digit_runs.inside_longer_run(text, s) for s in starts)


def test_shape_of_cue_less_runs() -> None:
    assert digit_runs.shape_kind(SSN_DIGITS) == "SSN"
    assert digit_runs.shape_kind("5124377788") == "PHONE"
    assert digit_runs.shape_kind("15124377788") == "PHONE"
    assert digit_runs.shape_kind("4539148803436467") == "CARD"
    for values in ("123456789", "987654321", "454545454", "900123456", "1124377788", "4539148803436468",
                   "4111111111111111"):
        assert digit_runs.shape_kind(values) is None, values
    assert digit_runs.run_digits("4 7 8 2 1 5 0 9 6") is None  # spaces only: _SPACED_DIGITS reads it
    assert digit_runs.run_digits("four seven eight two one five zero nine six") is None  # words: _DIGIT_WORDS
    assert digit_runs.run_digits("4 seven 8 two-1 five 0 nine 6") == SSN_DIGITS


@pytest.mark.parametrize("text", [t for t, _ in DIGIT_RUNS] + [
    "Patient Maria\nOkonkwo SSN 478-21-5096 ok",
    "ok. 4, 7, 8, 2, 1, 5, 0, 9, 6, then 12, 4 later; SSN\n4\n7\n8\n2\n1\n5\n0\n9\n6\nMaria\nOkonkwo",
])
def test_streaming_equals_whole_text(engine: RedactionEngine, text: str) -> None:
    assert_stream_equals_whole(engine, text)


@pytest.mark.parametrize("text", KEEP[:8])
def test_streaming_keeps_value_lists(engine: RedactionEngine, text: str) -> None:
    for step in (1, 3):
        assert streamed(engine, text, step) == text


def test_control_without_the_rule_the_runs_leak(engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: with the run reading switched off, the digits reach the output."""
    monkeypatch.setattr(digit_runs, "run_digits", lambda run: None)
    for text, _ in DIGIT_RUNS[:5]:
        assert SSN_DIGITS in _digits(engine.redact_text(text, "safe_harbor").text), text


# ---- a name wrapped by a line break

WRAPPED = [
    ("Patient Maria\nOkonkwo SSN 478-21-5096 ok", "Okonkwo"),
    ("Maria\nOkonkwo called back", "Okonkwo"),
    ("Dr. Maria\r\nAdebayo-Okafor will see her", "Adebayo-Okafor"),
    ("Attending: Maria\nOkonkwo", "Okonkwo"),
]

NOT_WRAPPED = [
    "Patient Maria\nTylenol given at noon",
    "Attending: Maria\nPlan: rest and fluids",
    "Nurse Maria\nVitals stable overnight",
    "Patient Maria\nZorbwickle: to follow",  # a heading
    "Spoke with Maria\nDischarge planned for Friday",
    "Maria\nHOSPITAL COURSE",
    "we saw Maria\nZorbwickle later",  # prose before the first name: no line of a name alone
]


@pytest.mark.parametrize(("text", "surname"), WRAPPED)
def test_a_surname_opening_the_next_line_continues_the_name(engine: RedactionEngine, text: str,
                                                            surname: str) -> None:
    out = engine.redact_text(text, "safe_harbor").text
    assert surname not in out and "Maria" not in out, out
    assert_stream_equals_whole(engine, text)


@pytest.mark.parametrize("text", NOT_WRAPPED)
def test_a_line_break_does_not_join_headings_or_prose(engine: RedactionEngine, text: str) -> None:
    out = engine.redact_text(text, "safe_harbor").text
    second = text.split("\n", 1)[1]
    assert out.endswith(second), out


def test_control_without_the_wrap_rule_the_surname_leaks(engine: RedactionEngine,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(names._Scan, "wrapped", lambda self, k: False)
    text = WRAPPED[0][0].replace("Okonkwo", "Zorbwickle")  # a surname on no list: only the wrap rule names it
    assert "Zorbwickle" in engine.redact_text(text, "safe_harbor").text
