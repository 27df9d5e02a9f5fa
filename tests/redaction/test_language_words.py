"""A language or a people's adjective standing alone is no name and no place (``Spanish to English``, ``FAMILY
SPEAKS VIETNAMESE, ENGLISH LIMITED``, ``translating from Russian``): data/languages.txt. A cue on the word
(``Dr. French``) or a name word beside it (``Paul English``) keeps the name, and a place of more words keeps the
place (``Spanish Fork``). Found in the model-answers corpus, where such words altered PHI-free answers."""

from __future__ import annotations

import pytest

from sidecar.redaction.detectors import locations, names
from sidecar.redaction.engine import RedactionEngine
from tests.redaction.test_stream_divergences import streamed


def redact(engine: RedactionEngine, text: str) -> str:
    return engine.redact_text(text, "safe_harbor").text


@pytest.mark.parametrize("text", [
    "Translation (Spanish to English):",
    "Resources are available in Spanish, French and Vietnamese.",
    "FAMILY SPEAKS VIETNAMESE, ENGLISH LIMITED",
    "French speaking only, interpreter called",
    "son translating from Russian at bedside",
    "pt speaks only Portuguese, Haitian Creole interpreter used",
])
def test_a_language_alone_is_left_as_written(engine: RedactionEngine, text: str) -> None:
    assert redact(engine, text) == text
    assert streamed(engine, text, 1) == text


@pytest.mark.parametrize("text, word", [
    ("Dr. French aware of labs", "French"),
    ("Paul English called at 1400", "English"),
    ("spoke with Mrs. English about the plan", "English"),
    ("lives in Spanish Fork, UT with wife", "Spanish"),
])
def test_a_cued_or_joined_name_or_place_is_still_redacted(engine: RedactionEngine, text: str, word: str) -> None:
    out = redact(engine, text)
    assert word not in out, out
    assert streamed(engine, text, 1) == out


def test_control_without_the_list_the_languages_are_redacted(engine: RedactionEngine,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The oracle can fail: with an empty language list the old readings come back."""
    monkeypatch.setattr(names, "language_words", lambda: frozenset())
    monkeypatch.setattr(locations, "language_words", lambda: frozenset())
    out = redact(engine, "Leaflets come in Spanish, French and Vietnamese.")
    assert out != "Leaflets come in Spanish, French and Vietnamese.", out
