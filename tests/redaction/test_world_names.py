"""First names and surnames of many countries (``first_names_world.txt.gz``, ``surnames_world.txt.gz``).

The 1990 Census lists lack names a US ward hears every day (Seamus, Priya, Kwame, Adaeze, Eero); the rules that
need a lexicon name outside a cue (a first name opening a clause before what visitors do, a name alone on a line)
missed them on every corpus written by a new author (blind 8 names 0.790 -> 0.841, model answers 0.650 -> 0.757 on
the code before its own rules)."""

from __future__ import annotations

import pytest

from sidecar.redaction.detectors import names
from sidecar.redaction.detectors.lexicons import US_STATES, load_list
from sidecar.redaction.detectors.word_flags import WordFlags
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.settings import RedactionSettings

WORLD = load_list("first_names_world.txt.gz") | load_list("surnames_world.txt.gz")

CASES = [
    ("ADAEZE AT BEDSIDE, TEARFUL.", "ADAEZE"),
    ("Note that Zsófia also listed Eero as a contact.", "Eero"),
]


def test_the_lists_hold_names_no_census_list_has() -> None:
    census = {w.lower() for w in load_list("first_names.txt.gz") | load_list("surnames.txt.gz")}
    low = {w.lower() for w in WORLD}
    for name in ("seamus", "priya", "kwame", "adaeze", "eero", "agnieszka", "zsofia"):
        assert name in low and name not in census, name


def test_no_word_state_or_short_token_is_on_the_lists() -> None:
    states = {s.lower() for s in US_STATES}
    for w in WORLD:
        low = w.lower()
        assert len(w) >= 4 and w.isascii(), w
        assert low not in states, w
        assert not names.known_word(low), w  # a safe-list word stays a word unless a cue names it


@pytest.mark.parametrize(("text", "name"), CASES)
def test_a_world_name_is_redacted_where_the_rules_need_a_lexicon_name(
    engine: RedactionEngine, text: str, name: str
) -> None:
    out = engine.redact_text(text, "safe_harbor").text
    assert name not in out, out


def test_control_without_the_world_lists_the_names_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    real = names.load_list
    monkeypatch.setattr(names, "load_list", lambda n: frozenset() if "_world" in n else real(n))
    monkeypatch.setattr(names, "_VOCAB", WordFlags.build(names._vocab, bulk_flags=names.SAFE))
    fresh = RedactionEngine(RedactionSettings(unknown_content_type="withhold"), b"test-key-0123456789abcdef0123456")
    text, name = CASES[0]  # (Eero in the second case is also named by the prose rules: the object of "listed")
    assert name in fresh.redact_text(text, "safe_harbor").text, text
