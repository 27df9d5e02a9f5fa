"""The fourth blind corpus is deterministic and its gold spans are exact (bench/blind4_corpus.py)."""

from __future__ import annotations

from bench.blind4_corpus import SECONDARY, USPS_SUFFIXES, addresses, corpus, phi_free


def test_deterministic_and_spans_exact() -> None:
    notes = corpus(60, seed=5)
    assert notes == corpus(60, seed=5)
    assert notes != corpus(60, seed=6)
    for r in notes + addresses(80, seed=5):
        for s in r["spans"]:
            assert r["text"][s["start"] : s["end"]] == s["value"] != ""
            assert s["value"] == s["value"].strip()
        for w in r.get("whole", ()):
            assert r["text"][w["start"] : w["end"]] == w["value"]
            inside = [s for s in r["spans"] if w["start"] <= s["start"] and s["end"] <= w["end"]]
            assert inside, w  # a whole span is made of gold parts


def test_styles_and_phi_free() -> None:
    notes = corpus(120, seed=5)
    assert {r["style"] for r in notes} == {"upper", "lower", "mixed"}
    lower = [r for r in notes if r["style"] == "lower"]
    assert all(r["text"] == r["text"].lower() for r in lower)
    free = phi_free(30)
    assert free and all(not r["spans"] for r in free)


def test_addresses_cover_every_usps_suffix_and_unit() -> None:
    recs = addresses(400)
    text = " ".join(r["text"].lower() for r in recs)
    missing = [name for name, abbr in USPS_SUFFIXES if name.lower() not in text and abbr.lower() not in text]
    assert not missing
    units = [name for name, abbr, _ in SECONDARY if name.lower() not in text and abbr.lower() not in text]
    assert not units
    kinds = {w["type"] for r in recs for w in r["whole"]}
    assert kinds == {"ADDRESS", "CITY"}
