"""Issue 17: a stream holds only for identifier rules that can find a type its profile redacts.

``patterns.EMITS`` declares, per open-scanned regex, the types ``detect`` can give its findings; a letter-led
identifier token (``_IDTOKEN``) is typed by the cue on its left or is an ID. A profile without ID and AGE (the
``clinical`` profile a clinician's answers get) then releases a word once it is written instead of one word late.
Soundness: every declaration is checked against ``detect`` restricted to that regex, and streams at 1-character and
random cuts equal whole-text redaction where a cue makes the letter-led token a wanted type."""

from __future__ import annotations

import functools
import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sidecar.redaction.detectors import patterns
from sidecar.redaction.detectors.regex_gate import PatternSet
from sidecar.redaction.engine import RedactionEngine

# texts each narrowly declared regex finds something in (and some it must leave alone)
DECLARED_SAMPLES = [
    "aged 92, pt is 93 yo, died at 95 years, a ninety-two year old woman, 101 y/o",
    "pt is a 97 year old, she was ninety five, passed away at the age of 96",
    "zip code one two three four five, postal code 9 8 7 6 5",
    "p12-345 and P54321 paged",
    "case a12-34567 and B99-1234 filed",
    "note\nDFW/erb\nYTL/xw23\n",
    "MRN: 12345678, member id AB123456, acct # 9876543, license no 1234567, serial number SN12345",
    "visit id 12345678, patient # 7654321, accession no 55512345, certificate 1234567, ref ab12345",
    "license plate 8XYZ 412 was found, Plate: 7ABC123",
]


@functools.cache
def _detector() -> patterns.PatternDetector:
    return patterns.PatternDetector()


def _emitted(rx: object, texts: list[str], monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The types ``detect`` gives on ``texts`` when only ``rx`` can match (the gate says so)."""
    det = _detector()
    monkeypatch.setattr(det._gate, "possible_patterns", lambda _t: PatternSet(frozenset({id(rx)})))
    return {s.type for t in texts for s in det.detect(t)}


def _narrow() -> list[object]:
    return [rx for rx, kinds in patterns.EMITS.items() if kinds != patterns.PatternDetector.types]


def test_every_open_scanned_regex_is_declared() -> None:
    assert set(patterns.EMITS) == set(patterns._OPEN_SCANNED)
    assert len(_narrow()) >= 6


@pytest.mark.parametrize("rx", _narrow(), ids=lambda rx: str(rx.pattern)[:30])  # type: ignore[attr-defined]
def test_declared_types_cover_what_the_regex_finds(rx: object, monkeypatch: pytest.MonkeyPatch) -> None:
    found = _emitted(rx, DECLARED_SAMPLES, monkeypatch)
    assert found, "the samples exercise the regex"
    assert found <= patterns.EMITS[rx]  # type: ignore[index]


def test_control_a_wrong_declaration_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check can fail: the case-number rule finds IDs, which an AGE-only declaration does not cover."""
    found = _emitted(patterns._CASE_NUMBER, DECLARED_SAMPLES, monkeypatch)
    assert not found <= frozenset({"AGE"})


@pytest.mark.parametrize(
    "text, kinds",
    [
        ("patient", {"ID"}),
        ("p", {"ID", "HEALTH_PLAN"}),
        ("acc", {"ID", "ACCOUNT"}),
        ("accession", {"ID", "ACCOUNT"}),
        ("Licence", {"ID", "LICENSE"}),
        ("m", {"ID", "MRN", "HEALTH_PLAN"}),
        ("#12", None),
    ],
)
def test_a_label_is_typed_by_the_letters_it_starts_with(text: str, kinds: set[str] | None) -> None:
    got = patterns._label_kinds(text + " ", 0)
    assert got == (None if kinds is None else frozenset(kinds))


def _open(engine: RedactionEngine, profile: str, text: str) -> int:
    return engine.redactor(profile).open_at(text)


def test_a_written_word_is_released_where_no_wanted_type_can_grow_from_it(engine: RedactionEngine) -> None:
    # the old rule held "The" in every profile ("The1234" is an ID token, "The" + "12-345" a case number)
    assert _open(engine, "clinical", "The") == 3
    assert _open(engine, "clinical", "since the last") == 14
    # "patient" + " id 1234" is an ID by its label, "visit" + " number 1234" too
    assert _open(engine, "clinical", "The patient ") == 11  # the blank stays held: padding may follow
    assert _open(engine, "clinical", "since the last visit") == 20
    # profiles that redact IDs still hold it
    assert _open(engine, "safe_harbor", "The") == 0
    assert _open(engine, "standard", "The") == 0


@pytest.mark.parametrize(
    "text, word",
    [
        ("acct repo", "repo"),  # + "1234": an account number
        ("Account: ab", "ab"),
        ("DL# wx", "wx"),  # + "1234567": a licence
        ("member id abc", "abc"),
        ("the acc", "acc"),  # + "ession no 12345": an accession number is an ACCOUNT
        ("her licen", "licen"),  # + "se # 1234567"
        ("see c", "c"),  # + "ertificate 1234567"
    ],
)
def test_a_cue_for_a_wanted_type_keeps_the_token_held(engine: RedactionEngine, text: str, word: str) -> None:
    assert _open(engine, "clinical", text) <= text.rindex(word)


# continuations that turn a released-looking word into a wanted finding, and near misses
ADVERSARIAL = [
    "The acct repo1234 was closed.",
    "Account: ab123456 noted; the ab123456 elsewhere stays",
    "member id abc12345 and plan abc12345",
    "DL# wx1234567 valid, ssn 123-45-6789 too",
    "patient aged 92 reports p12-345 and case a12-34567",
    "card 4111 1111 1111 1111 then repo1234 and The12345 ",
    "visit npi 1234567893 then the ab12345 code",
    "The patient id 12345678 and accession no 55512345 and acc 98765432.",
    "visit # 1234567, licence # AB12345, certificate number 7654321, plan id 1234567",
    "pt # 7777777 then acct# 1234567 and ACCESSION 99988877",
]


def _streamed(engine: RedactionEngine, text: str, cuts: list[int], profile: str) -> str:
    s = engine.text_stream(engine.redactor(profile))
    out, a = [], 0
    for b in [*cuts, len(text)]:
        out.append(s.push(text[a:b]))
        a = b
    return "".join(out) + s.finish()


@pytest.mark.parametrize("profile", ["clinical", "standard"])
@pytest.mark.parametrize("text", ADVERSARIAL)
def test_cued_tokens_stream_as_the_whole_text(engine: RedactionEngine, text: str, profile: str) -> None:
    whole = engine.redact_text(text, profile).text
    assert _streamed(engine, text, list(range(1, len(text))), profile) == whole
    rng = random.Random(text)
    for _ in range(3):
        cuts = sorted(rng.sample(range(1, len(text)), min(len(text) - 1, rng.randint(2, 12))))
        assert _streamed(engine, text, cuts, profile) == whole, cuts


def test_control_the_cued_token_is_redacted_whole(engine: RedactionEngine) -> None:
    """A release of the letters before the cued token's digits would leak part of it: the whole text redacts it."""
    assert "repo" not in engine.redact_text("The acct repo1234 was closed.", "clinical").text


TOKENS = ["acct ", "Account: ", "DL ", "id ", "The", "repo", "ab", "1234", "56789", "-", " ", ". ", "\n", "x", "12-",
          "npi ", "aged ", "9", "p", "case ", "acc", "ession", "patient", "visit", "licen", "se", "#", ": ", "no "]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tokens=st.lists(st.sampled_from(TOKENS), min_size=1, max_size=14), step=st.sampled_from([1, 2, 3]))
def test_token_soup_streams_as_the_whole_text_in_clinical(
    engine: RedactionEngine, tokens: list[str], step: int
) -> None:
    text = "".join(tokens)
    whole = engine.redact_text(text, "clinical").text
    assert _streamed(engine, text, list(range(step, len(text), step)), "clinical") == whole


def test_control_holding_for_no_pattern_leaks(engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stream tests can fail: with no identifier rule held for (every declaration empty), a 1-character
    stream releases the letters of an account number before its digits."""
    from sidecar.redaction.detectors.base import OpenScanner

    monkeypatch.setattr(patterns.PatternDetector, "_open_for", lambda self, types: OpenScanner([]))
    monkeypatch.setattr(patterns.PatternDetector, "_open_typed", lambda self, text, start, types, stop: stop)
    text = ADVERSARIAL[0]
    assert _streamed(engine, text, list(range(1, len(text))), "clinical") != engine.redact_text(text, "clinical").text


def test_clinical_prose_words_leave_with_their_own_event(engine: RedactionEngine) -> None:
    """The bench's prose as word tokens (``bench.stream_latency``): in ``clinical`` nearly every word leaves with
    the event that brings it (the old rule: 5 of 63, each waited for the next word)."""
    from bench.e2e import CLEAN_TEXT

    tokens = re.findall(r"\s*\S+", CLEAN_TEXT[:400])
    s = engine.text_stream(engine.redactor("clinical"))
    got, out, with_own = "", "", 0
    for token in tokens:
        got += token
        out += s.push(token)
        with_own += len(out) >= len(got.rstrip())
    assert out + s.finish() == "".join(tokens)
    assert with_own >= 45
