"""Issue 17: a stream holds only for identifier rules that can find a type its profile redacts.

``patterns.EMITS`` declares, per open-scanned regex, the types ``detect`` can give its findings; a letter-led
identifier token (``_IDTOKEN``) is typed by the cue on its left or is an ID. A profile without ID and AGE (the
``clinical`` profile a clinician's answers get) then releases a word once it is written instead of one word late.
Soundness: every declaration is checked against ``detect`` restricted to that regex, and streams at 1-character and
random cuts equal whole-text redaction where a cue makes the letter-led token a wanted type."""

from __future__ import annotations

import random

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
]


def _emitted(rx: object, text: str) -> set[str]:
    """The types ``detect`` gives when only ``rx`` can match (the gate says so)."""
    det = patterns.PatternDetector()
    det._gate.possible_patterns = lambda _t: PatternSet(frozenset({id(rx)}))  # type: ignore[method-assign]
    return {s.type for s in det.detect(text)}


def _narrow() -> list[object]:
    return [rx for rx, kinds in patterns.EMITS.items() if kinds != patterns.PatternDetector.types]


def test_every_open_scanned_regex_is_declared() -> None:
    assert set(patterns.EMITS) == set(patterns._OPEN_SCANNED)
    assert len(_narrow()) >= 6


@pytest.mark.parametrize("rx", _narrow(), ids=lambda rx: str(rx.pattern)[:30])  # type: ignore[attr-defined]
def test_declared_types_cover_what_the_regex_finds(rx: object) -> None:
    found = set().union(*(_emitted(rx, t) for t in DECLARED_SAMPLES))
    assert found, "the samples exercise the regex"
    assert found <= patterns.EMITS[rx]  # type: ignore[index]


def test_control_a_wrong_declaration_is_caught() -> None:
    """The check can fail: the case-number rule finds IDs, which an AGE-only declaration does not cover."""
    found = set().union(*(_emitted(patterns._CASE_NUMBER, t) for t in DECLARED_SAMPLES))
    assert not found <= frozenset({"AGE"})


def _open(engine: RedactionEngine, profile: str, text: str) -> int:
    return engine.redactor(profile).open_at(text)


def test_a_written_word_is_released_where_no_wanted_type_can_grow_from_it(engine: RedactionEngine) -> None:
    # the old rule held "The" in every profile ("The1234" is an ID token, "The" + "12-345" a case number)
    assert _open(engine, "clinical", "The") == 3
    assert _open(engine, "clinical", "since the last") == 14
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
          "npi ", "aged ", "9", "p", "case "]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
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
    monkeypatch.setattr(patterns.PatternDetector, "_open_tokens", lambda self, text, start, types: len(text))
    text = ADVERSARIAL[0]
    assert _streamed(engine, text, list(range(1, len(text))), "clinical") != engine.redact_text(text, "clinical").text
