"""Score one or more blind rows of bench.redaction_eval and print misses and false positives with context.

Run: ``.venv/bin/python -m bench.blind_misses blind6 [--misses] [--fp]``
(rows: blind1..blind13, phifree, answers, presidio).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from typing import Any

from bench import (
    answers_corpus,
    blind2_corpus,
    blind3_corpus,
    blind4_corpus,
    blind5_corpus,
    blind6_corpus,
    blind7_corpus,
    blind8_corpus,
    blind9_corpus,
    blind10_corpus,
    blind11_corpus,
    blind12_corpus,
    blind13_corpus,
    nursing_corpus,
)
from bench.phifree_corpus import phi_free as clinical_phi_free_only
from bench.redaction_eval import covered_mask, load, ours, presidio_labels, report, score
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.settings import RedactionSettings

ROWS = {
    "blind1": lambda: nursing_corpus.corpus(300, seed=7) + nursing_corpus.phi_free(100),
    "blind2": lambda: blind2_corpus.corpus(300, seed=29) + blind2_corpus.phi_free(100),
    "blind3": lambda: blind3_corpus.corpus(300, seed=41) + blind3_corpus.phi_free(100),
    "blind4": lambda: blind4_corpus.corpus(300, seed=53) + blind4_corpus.phi_free(100),
    "blind5": lambda: blind5_corpus.corpus(300, seed=67) + blind5_corpus.phi_free(100),
    "blind6": lambda: blind6_corpus.corpus(300, seed=73) + blind6_corpus.phi_free(100, seed=79),
    "blind7": lambda: blind7_corpus.corpus(300, seed=83) + blind7_corpus.phi_free(100, seed=89),
    "blind8": lambda: blind8_corpus.corpus(300, seed=97) + blind8_corpus.phi_free(100, seed=101),
    "blind9": lambda: blind9_corpus.corpus(300, seed=103) + blind9_corpus.phi_free(100, seed=107),
    "blind10": lambda: blind10_corpus.corpus(300, seed=109) + blind10_corpus.phi_free(100, seed=113),
    "blind11": lambda: blind11_corpus.corpus(300, seed=131) + blind11_corpus.phi_free(100, seed=137),
    "blind12": lambda: blind12_corpus.corpus(300, seed=151) + blind12_corpus.phi_free(100, seed=157),
    "blind13": lambda: blind13_corpus.corpus(300, seed=161) + blind13_corpus.phi_free(100, seed=167),
    "phifree": lambda: clinical_phi_free_only(400, seed=71),
    "answers": lambda: answers_corpus.corpus(300, seed=97) + answers_corpus.phi_free(100, seed=101),
    "presidio": lambda: load("presidio"),
}


def _ctx(text: str, a: int, b: int, w: int = 40) -> str:
    return (text[max(0, a - w) : a] + "[[" + text[a:b] + "]]" + text[b : b + w]).replace("\n", " | ")


def details(
    recs: list[dict[str, Any]], predict: Any, show_miss: bool, show_fp: bool, labels: dict[str, Any]
) -> None:
    """Print misses grouped by type and kind, then redacted text outside every labelled span."""
    misses: dict[str, list[str]] = defaultdict(list)
    fps: list[str] = []
    for r in recs:
        text = r["text"]
        pred = predict(text)
        mask = covered_mask(len(text), pred)
        for s in r["spans"]:
            if not any(mask[s["start"] : s["end"]]):
                misses[f"{s['type']}/{s.get('kind', '')}"].append(
                    f"{r.get('style', ''):18} " + _ctx(text, s["start"], s["end"])
                )
        gold = covered_mask(len(text), labels.get(r["id"], []))
        for a, b in pred:
            if not any(gold[a:b]):
                fps.append(f"{r.get('style', ''):18} " + _ctx(text, a, b))
    if show_miss:
        for k, v in sorted(misses.items(), key=lambda kv: -len(kv[1])):
            print(f"\n### missed {k}: {len(v)}")
            for line in v:
                print("  " + line)
    if show_fp:
        print(f"\n### redacted outside gold: {len(fps)}")
        for line in fps:
            print("  " + line)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", nargs="+", choices=sorted(ROWS))
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--fp", action="store_true")
    args = ap.parse_args()
    engine = RedactionEngine(RedactionSettings(), b"bench-key-0123456789abcdef012345")
    predict = ours(engine, "safe_harbor")
    for row in args.rows:
        recs = ROWS[row]()
        labels = {r["id"]: [(s["start"], s["end"]) for s in r["spans"]] for r in recs}
        if row == "presidio":
            labels = presidio_labels()
        report(row, score(recs, predict, labels))
        details(recs, predict, args.misses, args.fp, labels)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
