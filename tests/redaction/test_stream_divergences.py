"""Issue 17 follow-up: classes of texts where streaming one (or three) characters per event gave something other
than whole-body redaction. Each class is pinned by texts the token-soup probe found, streamed at every event size
that exposed it: the stream must release exactly what ``redact_text`` gives (no leak, no extra redaction)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sidecar.redaction.detectors import names
from sidecar.redaction.detectors.wordgate import WordGate
from sidecar.redaction.engine import RedactionEngine
from tests.redaction.test_stream_release import SETTLE_TOKENS


def streamed(engine: RedactionEngine, text: str, step: int, profile: str = "safe_harbor") -> str:
    s = engine.text_stream(engine.redactor(profile))
    return "".join(s.push(text[j : j + step]) for j in range(0, len(text), step)) + s.finish()


def assert_stream_equals_whole(engine: RedactionEngine, text: str) -> None:
    whole = engine.redact_text(text, "safe_harbor").text
    assert whole != text, "the text holds something to redact"
    for step in (1, 2, 3):
        assert streamed(engine, text, step) == whole, (step, text)


# Class 1: the name detector's word gate read "John3" as one word ("john3", no name), its tokenizer as the name
# "John": the gate stayed shut on a prefix and opened when a later word hit it, naming the earlier word then.
GATE_DIGIT_TEXTS = [
    "  ninety.  dot John3/4lives in  aged John-45-MRN ",
    "John123@ http://xSmithninety\uff15lives in 4821 Wisteria Springfield, IL Lane0199",
    "3/4Springfield, IL http://x0199 4821 Wisteria aged Springfield, IL ",
    "jane617-555-(555) www. MRN @ March Smith/2022-45-Springfield, IL The http://xexample.org",
]


def test_name_gate_opens_on_a_name_glued_to_digits() -> None:
    det = names.NameDetector()
    for text in ("dot John3/4lives", "ref 4Springfield x", "John\uff153"):
        assert det._gate.hit(text), text
    assert not det._gate.hit("the 3 patients rested")
    # control: a gate that keeps digits inside words misses the name the scan finds
    digit_words = WordGate(det._gate_words())
    assert not digit_words.hit("dot John3/4lives") and not digit_words.hit("ref 4Springfield x")


# Class 2: place rules joined a place's words with ``\s`` (a line break too) while their open point ends a place
# at the line break: "Hospitalninety\nThe Springfield, IL" was one place to the whole-text scan, the stream had
# released the first line. A facility name, a town or a street does not run across a line break.
# (The second text also had the city's start computed from its words joined by one blank: two blanks between
# them put the start inside a word, "L[aneMRN ...]".)
LINE_BREAK_TEXTS = [
    "Hospitalninety\nThe Springfield, IL 62704 ninety6789@March lives in \n[at]Smith",
    "The LaneMRN \u200b\nSpringfield, IL  dot . 617-555-March xninety617-555-\n",
    "MRN Smith\nHospital of Hope\nSeen at Mercy\nGeneral Hospital in Boston",
    "lives in Wexford\nSpringfield, IL 62704 and St.\nMary Clinic",
]


def test_place_span_stops_at_the_line_break(engine: RedactionEngine) -> None:
    out = engine.redact_text("Hospitalninety\nThe Springfield, IL 62704", "safe_harbor").text
    first, second = out.split("\n", 1)
    assert "LOCATION" not in first and second.startswith("The [LOCATION]"), out  # (a one-word line may be a name)
    # control: the place on its own line is still found whole
    assert engine.redact_text("Seen at Mercy General Hospital today", "safe_harbor").text == "Seen at [LOCATION] today"


# Class 3: the place open point split words at "." and "-" while the place rules read "example.orgSpringfield" and
# "well-Springfield" as one word (``_NWORD``, ``_W``): the stream released "example." of a town it then redacted.
DOTTED_WORD_TEXTS = [
    " dot 617-555-Smith\uff153/4lives in example.orgSpringfield, IL /20226789MRN  dot  dot MRN \u200b\uff15",
    "ref example.orgSpringfield, IL 62704 ok",
    "she came from well-Springfield, IL 62704",
]


CLASSES = {"gate_digits": GATE_DIGIT_TEXTS, "line_break": LINE_BREAK_TEXTS, "dotted_word": DOTTED_WORD_TEXTS}


@pytest.mark.parametrize(
    "text", [pytest.param(t, id=f"{c}-{i}") for c, ts in CLASSES.items() for i, t in enumerate(ts)]
)
def test_each_divergence_class_streams_as_the_whole_text(engine: RedactionEngine, text: str) -> None:
    assert_stream_equals_whole(engine, text)


# Class 4: the name open point treated a text ending in a digit as a name word being written (a digit ends a name
# word for the tokenizer), and a last line of up to four words as a possible sign-off whatever the gaps between
# them (a sign-off's words are joined by blanks, initials' periods, commas or slashes only). The open point of a
# whole text then lay left of the open point of its prefix: what the prefix had settled was reopened.
SETTLE_TEXTS = [
    "aged \uff15/2022",
    "  aged . 6789March 0199",
    " dot Hospital HospitaljaneThe March . \uff15",
    "  MRN aged 123Lane4821 Wisteria ",
    # the place open point: "in" may be a state before a ZIP only while a ZIP may still follow it
    "MRN  http://x3/4[at]example.orgJohn dot lives in -45-\uff15",
]


@pytest.mark.parametrize("text", SETTLE_TEXTS)
def test_open_point_of_a_prefix_is_never_reopened(engine: RedactionEngine, text: str) -> None:
    an, types = engine.analyzer, engine.redactor("safe_harbor").profile.types
    full = an.open_at(text, types)
    for cut in range(len(text) + 1):
        settled = an.open_at(text[:cut], types)
        assert settled <= full or settled == cut == full, (text[:cut], settled, full)


def test_name_open_point_still_holds_a_possible_sign_off(engine: RedactionEngine) -> None:
    det = next(d for d in engine.analyzer._detectors if d.name == "names")
    assert det.open_at("Seen today.\nnovella wickings") == len("Seen today.\n")  # " RN" may still follow
    assert det.open_at("Seen today.\nnovella 4 wickings") > len("Seen today.\nnovella")  # a digit: no sign-off


# --- property: the token soup that found these classes, with clinical tokens (titles, names, credentials, facility
# and street words, dates, line breaks), streamed 1 and 3 characters per event ------------------------------------

CLINICAL_TOKENS = [
    "Dr. ", "Emily ", "Clark", " RN", "\nNovella Wickings", " General Hospital", "St. Mary ", ", MD", "03/14/2024",
    " Main Street", "well-", "Boston", "\t", "3", "Mrs. ", "spoke with ", "daughter ", "Okonkwo, Maria", " Clinic",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tokens=st.lists(st.sampled_from(SETTLE_TOKENS + CLINICAL_TOKENS), min_size=1, max_size=16))
def test_token_soup_streams_as_the_whole_text(engine: RedactionEngine, tokens: list[str]) -> None:
    text = "".join(tokens)
    whole = engine.redact_text(text, "safe_harbor").text
    for step in (1, 3):
        assert streamed(engine, text, step) == whole, (step, text)


def test_control_greedy_open_point_fails_on_the_class_texts(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The oracle can fail: an open point that settles every complete word releases what the whole text redacts."""
    from sidecar.redaction.analyzer import Analyzer

    def greedy(self: Analyzer, text: str, types: frozenset[str], start: int = 0) -> int:
        cut = len(text)
        while cut > start and not text[cut - 1].isspace():
            cut -= 1
        return cut

    monkeypatch.setattr(Analyzer, "open_at", greedy)
    texts = [t for ts in CLASSES.values() for t in ts]
    leaks = sum(streamed(engine, t, 1) != engine.redact_text(t, "safe_harbor").text for t in texts)
    assert leaks >= len(texts) // 2


# Class 5: a hyphenated compound of two lexicon surnames that read as plurals of words (``Weeks-Rivas``: weeks,
# riva+s) was a name to the scan, while the name gate, which skips such plurals, stayed shut: the compound was named
# only once a later gate word (``Alvir D.``) woke the rules, after the stream had released it (presidio-research).
PLURAL_COMPOUND = "Alvir spent a year at Weeks-Rivas as the assistant to Alvir D. Pusaver, and"


def test_a_compound_of_plural_looking_names_streams_as_the_whole_text(engine: RedactionEngine) -> None:
    whole = engine.redact_text(PLURAL_COMPOUND, "safe_harbor").text
    for step in (1, 3):
        assert streamed(engine, PLURAL_COMPOUND, step) == whole
    # still a name where a cue or another name makes it one
    assert "Weeks-Rivas" not in engine.redact_text("Dr. Weeks-Rivas saw her", "safe_harbor").text
    assert "Lopez-Rivas" not in engine.redact_text("seen by Lopez-Rivas today", "safe_harbor").text


def test_control_reading_the_parts_as_names_names_the_compound_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(names, "_part_flags", lambda part, get: get(part, 0) or names._morph(part, get))
    sc = names._Scan(PLURAL_COMPOUND, names.vocabulary(), frozenset())
    assert "Weeks-Rivas" in [PLURAL_COMPOUND[s.start : s.end] for s in sc.run()]
    assert not names.NameDetector()._gate.hit(PLURAL_COMPOUND[:50])  # ... where the gate stays shut
