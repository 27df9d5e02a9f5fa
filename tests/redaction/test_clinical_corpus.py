"""The shipped development corpus: seeded, gold spans that hold their values, surrogates the lexicons lack; and
the quality floor the names/places detectors keep on it (through the engine, safe_harbor)."""

from __future__ import annotations

import pytest

from bench.clinical_corpus import corpus, phi_free
from bench.redaction_eval import score
from sidecar.redaction.detectors.lexicons import load_list
from sidecar.redaction.engine import RedactionEngine


def test_seeded_and_gold_spans_hold_their_values() -> None:
    a, b = corpus(30, seed=4), corpus(30, seed=4)
    assert a == b and a != corpus(30, seed=5)
    styles = {r["style"] for r in a}
    assert styles == {"mixed", "upper", "lower"}
    for r in a:
        for s in r["spans"]:
            assert r["text"][s["start"] : s["end"]] == s["value"]


def test_surrogates_are_held_out_from_the_lexicons() -> None:
    shipped = {w.lower() for w in load_list("surnames.txt.gz")}
    names = [s["value"].lower() for r in corpus(90, seed=6) for s in r["spans"] if s["type"] == "NAME"]
    words = {w.strip(".,") for n in names for w in n.replace("-", " ").split() if len(w) > 2}
    unknown = [w for w in words if w not in shipped]
    assert len(unknown) > 0.3 * len(words)  # a good share of the names are not in any shipped list


def _run(engine: RedactionEngine) -> dict:  # type: ignore[type-arg]
    recs = corpus(90, seed=8) + phi_free(30)
    labels = {r["id"]: [(s["start"], s["end"]) for s in r["spans"]] for r in recs}
    return score(recs, lambda t: [(s.start, s.end) for s in engine.detect(t, "safe_harbor")], labels)


def test_names_and_places_on_generated_notes(engine: RedactionEngine) -> None:
    res = _run(engine)
    for t in ("NAME", "LOCATION", "ADDRESS"):
        n, any_, full = res["per"][t]
        assert any_ / n >= 0.9, (t, res["per"][t])
    n, any_, full = res["per"]["NAME"]
    assert full / n >= 0.9
    assert res["precision"] >= 0.6


@pytest.mark.parametrize("style", ["upper", "lower"])
def test_control_a_case_sensitive_detector_fails_the_floor(engine: RedactionEngine, style: str) -> None:
    """Control: the score can fail. Dropping the name detector's findings costs the NAME floor."""
    from sidecar.redaction.engine import RedactionEngine as E
    from sidecar.redaction.settings import RedactionSettings

    from .conftest import KEY

    eng = E(RedactionSettings(), KEY)
    eng.analyzer._detectors = [d for d in eng.analyzer._detectors if d.name != "names"]
    recs = [r for r in corpus(60, seed=8) if r["style"] == style]
    labels = {r["id"]: [(s["start"], s["end"]) for s in r["spans"]] for r in recs}
    res = score(recs, lambda t: [(s.start, s.end) for s in eng.detect(t, "safe_harbor")], labels)
    n, any_, _ = res["per"]["NAME"]
    assert any_ / n < 0.9
