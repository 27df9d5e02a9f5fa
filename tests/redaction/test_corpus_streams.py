"""Issue 17 on real-looking notes: every shipped corpus's notes streamed one and four characters per event
give exactly what whole-text redaction gives (nothing released that later text turns into a finding).

The notes listed first each diverged once (the name and place detectors released a word a later word made part
of a finding: ``lakeside`` before ``regional medical center``, ``Nursing and`` before ``Rehab``, ``st`` before
``elsewhere hospital``, ``eamon`` before ``from ashcroft 2 took report``); the controls switch each fix off."""

from __future__ import annotations

from typing import Any

import pytest

from bench import blind2_corpus, blind3_corpus, blind4_corpus, blind5_corpus, clinical_corpus, nursing_corpus
from sidecar.redaction.analyzer import Analyzer
from sidecar.redaction.detectors import names
from sidecar.redaction.engine import RedactionEngine

PROFILE = "safe_harbor"
# (corpus, note index): the notes that diverged, then a spread of others
NOTES: list[tuple[Any, int]] = [
    (blind3_corpus, 10), (blind3_corpus, 15), (blind3_corpus, 16), (nursing_corpus, 19), (blind4_corpus, 36),
    (blind2_corpus, 3), (blind3_corpus, 2), (blind4_corpus, 7), (clinical_corpus, 5), (nursing_corpus, 4),
    (blind5_corpus, 0), (blind5_corpus, 3), (blind5_corpus, 11), (blind5_corpus, 17), (blind5_corpus, 26),
]


def _text(mod: Any, i: int) -> str:
    return str(mod.corpus(40)[i]["text"])


def _streamed(engine: RedactionEngine, text: str, k: int) -> str:
    s = engine.text_stream(engine.redactor(PROFILE))
    out = "".join(s.push(text[j : j + k]) for j in range(0, len(text), k))
    return out + s.finish()


@pytest.mark.parametrize("k", [1, 4])
@pytest.mark.parametrize(("mod", "i"), NOTES, ids=[f"{m.__name__.split('.')[-1]}-{i}" for m, i in NOTES])
def test_corpus_note_streams_as_the_whole_text(engine: RedactionEngine, mod: Any, i: int, k: int) -> None:
    text = _text(mod, i)
    assert _streamed(engine, text, k) == engine.redact_text(text, PROFILE).text


def test_control_without_the_word_being_written_rule_a_facility_leaks(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Analyzer, "_open_detectors", lambda self, types, words_only: [] if words_only
                        else self._wanted(types))
    text = _text(blind3_corpus, 10)
    assert "lakeside regional" in text
    assert "lakeside [" in _streamed(engine, text, 1)


def test_control_without_the_took_report_hold_a_name_leaks(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(names._Scan, "_took_report_hold", lambda self: len(self.words))
    # blind 4's note 36 ("eamon from ashcroft 2 took report"), its name made one on no list (eamon is a lexicon name)
    text = _text(blind4_corpus, 36).replace("eamon from", "ormvane from")
    assert "ormvane from" in text and "ormvane" not in engine.redact_text(text, PROFILE).text
    assert "ormvane from" in _streamed(engine, text, 1)
