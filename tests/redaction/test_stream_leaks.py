"""Issue 17, adversarial round: partial releases a differential harness found (whole-text redaction against the
text stream at 1, 2, 3, 4 and 7 characters per event and cut once at every character, over the red-team chunks,
the detector tests' strings, the corpora and generated shapes). Each class: texts where the stream released what
the whole text redacts, near misses that are still released as the whole text releases them, and a control that
switches the fix off and sees the leak again."""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sidecar.redaction import stream as stream_mod
from sidecar.redaction.detectors import locations, patterns
from sidecar.redaction.detectors.base import OpenScanner
from sidecar.redaction.engine import RedactionEngine
from tests.redaction.test_stream_divergences import streamed
from tests.redaction.test_streams import anthropic_sse, anthropic_text, chat_sse, chat_text, run

PROFILE = "safe_harbor"
STEPS = (1, 2, 3, 4, 7)

# Class 1: a place rule whose lead word comes before the number (``rr 2, box 206``, ``hc 1 box 20``) or whose
# street type comes before the name (``12 via Roma``): the place open point walks back over words that may name a
# place and from a house number, and stopped at the lower-case lead word and at the function word ``via``.
LEAD_TEXTS = [
    "12 via Roma",
    "Address on file rr 2, box 206, fargo nd 20231",
    "hc 1 box 20 in town",
    "mail to r.r. 3 box 9 please",
]
# Class 2: a house number the street rules read (``708-b``, ``12 1/2``) that the open point's house-number shape
# did not, and a street name holding an ordinal (``third``, ``first``: function words to the open point, street
# words to the rules): the number and the first name words left before the suffix made them an address.
HOUSE_TEXTS = [
    "send the bill to 708-b third clb side bend or 08846; insurance verified.",
    "discharged home to 668-b third ct, lewiston, me 73702 with vna services.",
    "address on file 55 w. first cyn anchorage, ak 33637, phone on chart.",
]
# Class 3: an e-mail local part, a line break (or a padding run holding one), then ``@domain``: detect reads the
# local part up to a line break before the ``@`` (``$``), the open point did not hold the local part through it.
EMAIL_TEXTS = ["note jane.doe\n@example.org ok", "note jane.doe" + "\n" * 40 + "@example.org ok"]
# Class 4: a candidate redacted whole (held past the bound) that ends in a padding run longer than the context:
# the view reads the run as one blank, so what follows still joins the candidate; the context had lost it.
PAD_TEXTS = [
    "note jane.doe" + "\n" * 600 + "@example.org ok",
    "note 4821" + "\t " * 511 + "Wisteria Lane ok",
    "lives in Springfield," + " " * 600 + "IL 62704 ok",
]
# near misses: the same words in prose, released as the whole text releases them
NEAR_MISSES = [
    "given 2 mg via po then 4 L via FM, rr 22 and hc stable; third dose at 10.",
    "she came first in 2 races, box 4 of the kit; email me@ later\nthe rest",
]

_TOKEN = re.compile(r"\[[A-Z_]+[^\]]*\]|[A-Za-z0-9]+")


def released_raw(whole: str, out: str) -> list[str]:
    """Words the stream released that the whole-text redaction does not show (what it redacted)."""
    extra = Counter(_TOKEN.findall(out)) - Counter(_TOKEN.findall(whole))
    return [t for t in extra if not t.startswith("[")]


def cut_once(engine: RedactionEngine, text: str, at: int) -> str:
    s = engine.text_stream(engine.redactor(PROFILE))
    return s.push(text[:at]) + s.push(text[at:]) + s.finish()


@pytest.mark.parametrize("text", LEAD_TEXTS + HOUSE_TEXTS + EMAIL_TEXTS + NEAR_MISSES)
def test_streams_as_the_whole_text(engine: RedactionEngine, text: str) -> None:
    whole = engine.redact_text(text, PROFILE).text
    for step in STEPS:
        assert streamed(engine, text, step) == whole, (step, text)
    for at in range(1, len(text)):
        assert cut_once(engine, text, at) == whole, (at, text)


def test_the_class_texts_hold_findings_and_the_near_misses_none(engine: RedactionEngine) -> None:
    for text in LEAD_TEXTS + HOUSE_TEXTS + EMAIL_TEXTS:
        assert "[ADDRESS]" in engine.redact_text(text, PROFILE).text or "[EMAIL]" in engine.redact_text(
            text, PROFILE
        ).text, text
    for text in NEAR_MISSES:
        assert "[" not in engine.redact_text(text, PROFILE).text, text


@pytest.mark.parametrize("text", PAD_TEXTS)
def test_a_candidate_redacted_whole_keeps_what_joins_it_past_a_long_run(engine: RedactionEngine, text: str) -> None:
    """Held past the bound, a candidate is redacted whole (not byte-identical, fail closed); nothing that the whole
    text redacts is released after it."""
    whole = engine.redact_text(text, PROFILE).text
    for step in (1, 2, 7, 100):
        out = streamed(engine, text, step)
        assert not released_raw(whole, out), (step, released_raw(whole, out))


def test_near_miss_prose_is_released_promptly(engine: RedactionEngine) -> None:
    text = " ".join(NEAR_MISSES) * 3
    s = engine.text_stream(engine.redactor(PROFILE))
    s.held_samples = []
    for ch in text:
        s.push(ch)
    s.finish()
    assert statistics.median(s.held_samples) <= 8, statistics.median(s.held_samples)


# --- controls: each fix switched off, the leak is back --------------------------------------------------------


class _NeverOpen:
    def open_at(self, text: str) -> int:
        return len(text)


def _places(engine: RedactionEngine) -> locations.LocationDetector:
    return next(d for d in engine.analyzer._detectors if isinstance(d, locations.LocationDetector))


def test_control_without_the_lead_rules_open_point_a_lead_leaks(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_places(engine), "_open_lead", _NeverOpen())
    text = LEAD_TEXTS[1]
    assert released_raw(engine.redact_text(text, PROFILE).text, streamed(engine, text, 1)) == ["rr"]


def test_control_with_the_old_house_number_shape_a_number_leaks(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locations, "_HOUSE_NUMBER", re.compile(r"(?<![\w./-])\d{1,6}[A-Za-z]?[ \t]{1,3}[A-Za-z]"))
    text = HOUSE_TEXTS[0]
    assert "708" in released_raw(engine.redact_text(text, PROFILE).text, streamed(engine, text, 1))


def test_control_without_the_line_break_in_the_email_open_point_a_local_part_leaks(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    det = next(d for d in engine.analyzer._detectors if isinstance(d, patterns.PatternDetector))
    old = re.compile(patterns._EMAIL.pattern.replace("\\n?@", "@"))
    monkeypatch.setattr(det, "_open_email", OpenScanner([old]))
    text = EMAIL_TEXTS[0]
    assert "doe" in released_raw(engine.redact_text(text, PROFILE).text, streamed(engine, text, 1))


def test_control_without_the_short_padding_context_the_domain_leaks(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stream_mod, "_short_padding", lambda ctx: ctx)
    text = PAD_TEXTS[0]
    assert "example" in released_raw(engine.redact_text(text, PROFILE).text, streamed(engine, text, 1))


# --- property: the shapes of these classes among prose, padding runs and line breaks, at 1 and 3 characters ----

SHAPES = [
    "12 via Roma", "rr 2, box 206", "HC 1 Box 20", "708-b third clb", "55 w. first cyn", "anchorage, ak 33637",
    "jane.doe", "@example.org", "4821", "Wisteria Lane", "given 2 mg via po", "third dose", "po box 77", "ok",
]
GAPS = [" ", "  ", "\n", ", ", "\t", " " * 8, "\n" * 5, "; "]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.tuples(st.sampled_from(SHAPES), st.sampled_from(GAPS)), min_size=1, max_size=8))
def test_shape_soup_streams_as_the_whole_text(engine: RedactionEngine, parts: list[tuple[str, str]]) -> None:
    text = "".join(a + b for a, b in parts)
    whole = engine.redact_text(text, PROFILE).text
    for step in (1, 3):
        assert streamed(engine, text, step) == whole, (step, text)


# --- the same classes through the body path: provider events of 3 characters, the body fed one byte per chunk ---


def _ollama(pieces: list[str]) -> bytes:
    lines = [json.dumps({"model": "m", "message": {"role": "assistant", "content": p}, "done": False}) for p in pieces]
    return ("\n".join([*lines, json.dumps({"model": "m", "done": True})]) + "\n").encode()


def _ollama_text(out: bytes) -> str:
    return "".join(json.loads(x).get("message", {}).get("content", "") for x in out.decode().splitlines() if x)


SHAPES_BODY = {
    "chat": (chat_sse, chat_text, "text/event-stream"),
    "anthropic": (anthropic_sse, anthropic_text, "text/event-stream"),
    "ollama": (_ollama, _ollama_text, "application/x-ndjson"),
}


@pytest.mark.parametrize("shape", sorted(SHAPES_BODY))
def test_class_texts_through_provider_bodies_byte_by_byte(engine: RedactionEngine, shape: str) -> None:
    enc, dec, ct = SHAPES_BODY[shape]
    for text in LEAD_TEXTS + HOUSE_TEXTS + EMAIL_TEXTS:
        body = enc([text[i : i + 3] for i in range(0, len(text), 3)])
        got = dec(run(engine, body, list(range(len(body) + 1)), ct))
        assert got == engine.redact_text(text, PROFILE).text, (shape, text)


# --- an address block: the street line waits while the line below may still be its city line (found in CI by the
# derandomized shape soup after the merge: the street line was released before the city line joined it) ---
BLOCK = "708-b third clb\nanchorage, ak 33637 "


def test_a_street_line_waits_for_its_city_line(engine: RedactionEngine) -> None:
    whole = engine.redact_text(BLOCK, PROFILE).text
    assert "708" not in whole and "anchorage" not in whole
    for step in (1, 3):
        assert streamed(engine, BLOCK, step) == whole
    # a long line below is no city line: the street line above it is released
    text = "12 elm st\n" + "x" * 80
    assert locations.LocationDetector()._joins_open(text) == len(text)


# --- Class 5: what an address reading joins to a street (units, then up to three words and a state, twice: the
# any-case rule's own tail, then _address_end's city line) reaches over prose words, also over a function word
# read as a state ("in": Indiana); the open point stopped at the function word, so the stream released the prose
# before the town arrived that the whole text joined (the shape soup found it with random seeds, 2 runs in 8).
# The whole text is the reference (it redacts more); the stream holds the street exactly while a tail may join. ---
JOIN_TEXTS = [
    "12 via Roma third dose anchorage, ak 33637",
    "4821 Wisteria Lane  pt lives alone in Fairhaven, MA",
    "seen at home, 77 birch rd pt is in\nfargo, nd 58102 today",
    "4821 WISTERIA LANE PT LIVES ALONE IN FAIRHAVEN, MA 02719",
]
# near misses: a street followed by prose that no state ends within three words is released as it is written
JOIN_NEAR = "4821 Wisteria Lane  pt lives alone with her two dogs and a cat at home"


@pytest.mark.parametrize("text", JOIN_TEXTS)
def test_a_street_is_held_while_a_tail_may_still_join_it(engine: RedactionEngine, text: str) -> None:
    whole = engine.redact_text(text, PROFILE)
    assert [sp[2] for sp in whole.spans] == ["ADDRESS"]  # the whole text joins the tail
    for step in (1, 3, 4):
        assert streamed(engine, text, step) == whole.text, step


def test_prose_after_a_street_is_released_once_no_tail_can_join(engine: RedactionEngine) -> None:
    s = engine.text_stream(engine.redactor(PROFILE))
    out = "".join(s.push(c) for c in JOIN_NEAR)
    assert "lives alone with her two" in out  # released before the end of the text: the hold is bounded
    assert out + s.finish() == engine.redact_text(JOIN_NEAR, PROFILE).text


@pytest.mark.parametrize("text", [BLOCK, *JOIN_TEXTS[:2]])
def test_control_without_the_join_open_point_the_street_leaks(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setattr(locations.LocationDetector, "_joins_open", lambda self, text: len(text))
    whole = engine.redact_text(text, PROFILE).text
    assert any(streamed(engine, text, step) != whole for step in (1, 3, 4))
