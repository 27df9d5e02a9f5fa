"""Redaction quality and speed: phi-guard vs Presidio pattern recognizers, same run, same text.

Run: ``.venv/bin/python -m bench.redaction_eval`` (``make bench``). Prints per type recall(any), recall(full),
precision, over-redaction of PHI-free records, and MB/s, for ASQ-PHI, presidio-research and a seeded
synthetic clinical corpus (bench/redaction_corpus.py). Profile: safe_harbor (all 18 identifiers).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.answers_corpus import corpus as model_answers  # noqa: E402
from bench.answers_corpus import phi_free as answers_phi_free  # noqa: E402
from bench.blind2_corpus import corpus as blind2_notes  # noqa: E402
from bench.blind2_corpus import phi_free as blind2_phi_free  # noqa: E402
from bench.blind3_corpus import corpus as blind3_notes  # noqa: E402
from bench.blind3_corpus import phi_free as blind3_phi_free  # noqa: E402
from bench.blind4_corpus import addresses as blind4_addresses  # noqa: E402
from bench.blind4_corpus import corpus as blind4_notes  # noqa: E402
from bench.blind4_corpus import phi_free as blind4_phi_free  # noqa: E402
from bench.blind5_corpus import corpus as blind5_notes  # noqa: E402
from bench.blind5_corpus import phi_free as blind5_phi_free  # noqa: E402
from bench.blind6_corpus import corpus as blind6_notes  # noqa: E402
from bench.blind6_corpus import phi_free as blind6_phi_free  # noqa: E402
from bench.blind7_corpus import corpus as blind7_notes  # noqa: E402
from bench.blind7_corpus import phi_free as blind7_phi_free  # noqa: E402
from bench.blind8_corpus import corpus as blind8_notes  # noqa: E402
from bench.blind8_corpus import phi_free as blind8_phi_free  # noqa: E402
from bench.blind9_corpus import corpus as blind9_notes  # noqa: E402
from bench.blind9_corpus import phi_free as blind9_phi_free  # noqa: E402
from bench.blind10_corpus import corpus as blind10_notes  # noqa: E402
from bench.blind10_corpus import phi_free as blind10_phi_free  # noqa: E402
from bench.blind11_corpus import corpus as blind11_notes  # noqa: E402
from bench.blind11_corpus import phi_free as blind11_phi_free  # noqa: E402
from bench.blind12_corpus import corpus as blind12_notes  # noqa: E402
from bench.blind12_corpus import phi_free as blind12_phi_free  # noqa: E402
from bench.blind13_corpus import corpus as blind13_notes  # noqa: E402
from bench.blind13_corpus import phi_free as blind13_phi_free  # noqa: E402
from bench.clinical_corpus import corpus as clinical_notes  # noqa: E402
from bench.clinical_corpus import phi_free as clinical_phi_free  # noqa: E402
from bench.nursing_corpus import corpus as nursing_notes  # noqa: E402
from bench.nursing_corpus import phi_free as nursing_phi_free  # noqa: E402
from bench.phifree_corpus import phi_free as clinical_phi_free_only  # noqa: E402
from bench.redaction_corpus import _FILLER, corpus  # noqa: E402
from sidecar.redaction.engine import RedactionEngine  # noqa: E402
from sidecar.redaction.settings import RedactionSettings  # noqa: E402

EVAL_DIR = Path(os.environ.get("PHI_GUARD_EVAL_DIR", Path(__file__).resolve().parent / "eval_data"))
# Gold types we count as PHI (HIPAA Safe Harbor). Not counted: ORGANIZATION, TITLE, NRP (not identifiers of
# the individual), AGE (presidio-research ages are < 90), GPE (mostly countries; a state or country is not
# a Safe Harbor identifier), DATE_TIME that is a bare year.
COUNTED_PRESIDIO = {
    "PERSON",
    "STREET_ADDRESS",
    "CREDIT_CARD",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "US_SSN",
    "IP_ADDRESS",
    "DATE_TIME",
    "DOMAIN_NAME",
    "US_DRIVER_LICENSE",
    "IBAN_CODE",
    "ZIP_CODE",
}
STRUCTURED_ASQ = {
    "SOCIAL_SECURITY_NUMBER",
    "MEDICAL_RECORD_NUMBER",
    "PHONE_NUMBER",
    "FAX_NUMBER",
    "EMAIL_ADDRESS",
    "DATE",
    "HEALTH_PLAN_BENEFICIARY_NUMBER",
    "ACCOUNT_NUMBER",
    "IP_ADDRESS",
}

Spans = list[tuple[int, int]]


def load(name: str) -> list[dict[str, Any]]:
    path = {
        "asq": EVAL_DIR / "asq-phi" / "asq.jsonl",
        "presidio": EVAL_DIR / "presidio-research" / "synth_v2.jsonl",
    }[name]
    recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if name == "presidio":
        for r in recs:
            r["spans"] = [
                s
                for s in r["spans"]
                if s["type"] in COUNTED_PRESIDIO
                and not (
                    s["type"] == "DATE_TIME" and s["value"].strip().isdigit() and len(s["value"].strip()) == 4
                )
            ]
            r["ignore"] = True  # other labelled spans (ORG, GPE...) are not counted as false positives either
    return recs


def presidio_labels() -> dict[str, Spans]:
    """Every labelled span of presidio-research, counted or not: none of them is a false positive."""
    path = EVAL_DIR / "presidio-research" / "synth_v2.jsonl"
    raw = {json.loads(x)["id"]: json.loads(x)["spans"] for x in path.read_text().splitlines() if x.strip()}
    return {k: [(s["start"], s["end"]) for s in v] for k, v in raw.items()}


def covered_mask(length: int, spans: Spans) -> bytearray:
    """One byte per character of a text: 1 where one of ``spans`` covers it."""
    mask = bytearray(length)
    for a, b in spans:
        mask[a:b] = b"\x01" * (b - a)
    return mask


def score(
    records: list[dict[str, Any]], predict: Callable[[str], Spans], all_labels: dict[str, Spans]
) -> dict[str, Any]:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # gold, any, full
    whole: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # places that must be found whole: gold, found
    red_chars = red_in_gold = 0
    neg = neg_altered = 0
    for r in records:
        text = r["text"]
        pred = predict(text)
        mask = covered_mask(len(text), pred)
        gold_mask = covered_mask(len(text), all_labels.get(r["id"], []))
        for s in r["spans"]:
            c = per[s["type"]]
            seg = mask[s["start"] : s["end"]]
            c[0] += 1
            c[1] += any(seg)
            c[2] += all(seg)
        for w in r.get("whole", ()):  # street to ZIP, city to ZIP: every character (separators too) redacted
            whole[w["type"]][0] += 1
            whole[w["type"]][1] += all(mask[w["start"] : w["end"]])
        for i, m in enumerate(mask):
            if m and not text[i].isspace():
                red_chars += 1
                red_in_gold += gold_mask[i]
        if not all_labels.get(r["id"]):
            neg += 1
            neg_altered += bool(pred)
    tot = [sum(c[i] for c in per.values()) for i in range(3)]
    return {
        "per": dict(per),
        "whole": dict(whole),
        "total": tot,
        "precision": red_in_gold / red_chars if red_chars else 1.0,
        "neg": neg,
        "neg_altered": neg_altered,
    }


def ours(engine: RedactionEngine, profile: str) -> Callable[[str], Spans]:
    return lambda text: [(s.start, s.end) for s in engine.detect(text, profile)]


def presidio() -> Callable[[str], Spans]:
    import logging

    logging.getLogger("tldextract").setLevel(
        logging.CRITICAL
    )  # no network here: it falls back to its snapshot
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NoOpNlpEngine

    nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "noop"}])
    reg = RecognizerRegistry()
    reg.load_predefined_recognizers(languages=["en"], nlp_engine=nlp)
    analyzer = AnalyzerEngine(registry=reg, nlp_engine=nlp, supported_languages=["en"])
    return lambda text: [(r.start, r.end) for r in analyzer.analyze(text, language="en")]


def throughput(predict: Callable[[str], Spans], texts: list[str], budget_s: float) -> float:
    """MB per CPU-second of this process (per core; robust to other load on the machine)."""
    n_bytes = 0
    t0 = time.process_time()
    while True:
        for t in texts:
            predict(t)
            n_bytes += len(t.encode())
        el = time.process_time() - t0
        if el >= budget_s:
            return n_bytes / el / 1e6


def stream_holdback(engine: RedactionEngine, profile: str, phi_rate: float, size: int) -> tuple[int, float]:
    """Feed synthetic notes as chat chunks of ``size`` characters; return the most characters ever held
    back and the processing cost per chunk in microseconds."""
    text = " ".join(r["text"] for r in corpus(30, seed=9, phi_rate=phi_rate))
    events = []
    for i in range(0, len(text), size):
        ev = {
            "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": {"content": text[i : i + size]}}],
        }
        events.append(f"data: {json.dumps(ev)}\n\n".encode())
    p = engine.open_body(profile, "text/event-stream")
    t0 = time.process_time()
    for ev in events:
        p.feed(ev)
    p.finish()
    return p.max_held_chars, (time.process_time() - t0) / len(events) * 1e6


def altered_spans(engine: RedactionEngine, profile: str, records: list[dict[str, Any]], top: int = 25) -> None:
    """PHI-free records: which text each type's findings altered, most frequent first (every one is a false
    positive)."""
    seen: dict[tuple[str, str], int] = defaultdict(int)
    by_type: dict[str, int] = defaultdict(int)
    for r in records:
        for s in engine.findings(r["text"], profile):
            seen[(s.type, r["text"][s.start : s.end].lower())] += 1
            by_type[s.type] += 1
    print("altered spans by type: " + ", ".join(f"{t} {n}" for t, n in sorted(by_type.items(), key=lambda x: -x[1])))
    for (t, v), n in sorted(seen.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {n:4d} {t:20} {v!r}")


def report(title: str, res: dict[str, Any], structured: set[str] | None = None) -> None:
    print(f"\n## {title}")
    print(f"{'type':34} {'n':>5} {'rec(any)':>9} {'rec(full)':>9}")
    for t, (n, a, f) in sorted(res["per"].items(), key=lambda kv: -kv[1][0]):
        print(f"{t:34} {n:5d} {a / n:9.3f} {f / n:9.3f}")
    n, a, f = res["total"]
    print(f"{'OVERALL':34} {n:5d} {a / max(n, 1):9.3f} {f / max(n, 1):9.3f}")
    if structured:
        sn = sum(v[0] for k, v in res["per"].items() if k in structured)
        sf = sum(v[2] for k, v in res["per"].items() if k in structured)
        print(
            f"{'STRUCTURED (SSN MRN phone email dates plan acct IP)':34} {sn:5d} {'':9} {sf / max(sn, 1):9.3f}"  # noqa: E501
        )
    for t, (n, f) in sorted(res.get("whole", {}).items()):
        print(f"found whole, {t} (street to ZIP / city to ZIP, separators included): {f}/{n} = {f / max(n, 1):.3f}")
    print(f"precision (redacted chars inside gold spans): {res['precision']:.3f}")
    if res["neg"]:
        print(
            f"PHI-free records altered: {res['neg_altered']}/{res['neg']} = {res['neg_altered'] / res['neg']:.3f}"  # noqa: E501
        )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="safe_harbor")
    ap.add_argument("--speed-seconds", type=float, default=2.0)
    ap.add_argument("--no-presidio", action="store_true")
    args = ap.parse_args()
    engine = RedactionEngine(RedactionSettings(), b"bench-key-0123456789abcdef012345")
    tools: dict[str, Callable[[str], Spans]] = {"phi-guard": ours(engine, args.profile)}
    if not args.no_presidio:
        tools["presidio-patterns"] = presidio()
    sets = {"ASQ-PHI": load("asq"), "presidio-research": load("presidio"), "synthetic": corpus(600, seed=11)}
    # generated clinical notes (any case, held-out surrogate names; bench/clinical_corpus.py) + PHI-free notes
    sets["clinical notes (generated)"] = clinical_notes(300, seed=3) + clinical_phi_free(100)
    # blind ICU nursing notes (deid style, surrogates and places no detector list holds; bench/nursing_corpus.py)
    sets["nursing notes (blind)"] = nursing_notes(300, seed=7) + nursing_phi_free(100)
    # second blind set: narrative shift notes, staff first names, pagers (bench/blind2_corpus.py)
    sets["nursing notes (blind 2)"] = blind2_notes(300, seed=29) + blind2_phi_free(100)
    # third blind set: other note types (discharge, letters, radiology, pathology, triage, social work, PT,
    # med rec, operative, consults; bench/blind3_corpus.py)
    sets["other note types (blind 3)"] = blind3_notes(300, seed=41) + blind3_phi_free(100)
    # fourth blind set: ICU/step-down nursing notes by a fresh author, and US addresses and cities in sentences
    # (every USPS suffix and unit designator, PO boxes, rural routes) to be found whole (bench/blind4_corpus.py)
    sets["ICU nursing notes (blind 4)"] = blind4_notes(300, seed=53) + blind4_phi_free(100)
    sets["addresses and cities (blind 4)"] = blind4_addresses(400, seed=61)
    # PHI-free clinical text only: eponyms, drugs, generic units, vitals/vent/range shapes, clinical words after
    # cue words, any case (bench/phifree_corpus.py); every redacted character is a false positive
    sets["PHI-free clinical text"] = clinical_phi_free_only(400, seed=71)
    # fifth blind set: MICU/SICU/CCU/CSRU/NICU notes, case management, hand-offs, family meetings; first names
    # alone, word-like names, lists, initials, odd signatures, local places (bench/blind5_corpus.py)
    sets["ICU nursing notes (blind 5)"] = blind5_notes(300, seed=67) + blind5_phi_free(100)
    # sixth blind set: ten nurses' habits (all caps, all lower, slashes, run-on sentences, initials sign-offs);
    # names as objects of verbs and after prepositions, shorthand relations, word-names, particle surnames,
    # hospital initials and nicknames, bare nursing-home names, every date shape (bench/blind6_corpus.py)
    sets["ICU nursing notes (blind 6)"] = blind6_notes(300, seed=73) + blind6_phi_free(100, seed=79)
    # seventh blind set: a whole unit's charting (NPN by system, RT, SW/CM, admission, nutrition, PT/OT, night,
    # event notes, addenda); cue-word typos, glued punctuation, names in visitor lists and as bare subjects,
    # word-names, hospital initials/nicknames, bare nursing-home names, pagers in pieces (bench/blind7_corpus.py)
    sets["ICU notes, whole unit (blind 7)"] = blind7_notes(300, seed=83) + blind7_phi_free(100, seed=89)
    # eighth blind set: CSRU and neuro ICU notes, run-on nursing progress notes, transfer/accept notes, code and
    # rapid-response events naming every staff member, family communication logs (bench/blind8_corpus.py)
    sets["ICU chart, CSRU/neuro and run-on notes (blind 8)"] = blind8_notes(300, seed=97) + blind8_phi_free(
        100, seed=101
    )
    # ninth blind set: longitudinal physician records (i2b2/n2c2 2006/2014 style): discharge summaries, clinic
    # notes, consult/referral/insurance letters, radiology/pathology/ECG reports, transcription stamps, ALL CAPS
    # dictations (bench/blind9_corpus.py)
    sets["longitudinal records, letters and dictations (blind 9)"] = blind9_notes(300, seed=103) + blind9_phi_free(
        100, seed=107
    )
    # tenth blind set: PhysioNet-style ICU nursing notes (MIMIC-era CareVue progress notes: MICU/SICU/CCU/CSRU,
    # trauma, NICU; system notes, RT, family meetings, transfers, events) in many hands (bench/blind10_corpus.py)
    sets["PhysioNet-style nursing notes (blind 10)"] = blind10_notes(300, seed=109) + blind10_phi_free(100, seed=113)
    # eleventh blind set: PhysioNet-style nursing notes again, other hands (run-on, NICU, CSRU, RT, addenda,
    # sign-offs, family logs; ALL CAPS / lower / mixed) (bench/blind11_corpus.py)
    sets["PhysioNet-style nursing notes (blind 11)"] = blind11_notes(300, seed=131) + blind11_phi_free(100, seed=137)
    # trauma SICU, neuro ICU, burn, CSRU, CCU, NICU notes; courtesy titles, named units, invented towns, employers,
    # churches; lower-case run-on and ALL CAPS notes (bench/blind12_corpus.py)
    sets["PhysioNet-style nursing notes (blind 12)"] = blind12_notes(300, seed=151) + blind12_phi_free(100, seed=157)
    # early-90s MICU/CCU nights, BMT, vascular, cath recovery, NICU, RT; visitor logs, social-work paragraphs,
    # invented towns, small businesses, churches, schools (bench/blind13_corpus.py)
    sets["PhysioNet-style nursing notes (blind 13)"] = blind13_notes(300, seed=161) + blind13_phi_free(100, seed=167)
    # model output: letters, summaries, reminders, appeals, hand-offs, tables, key: value blocks, e-mails,
    # multilingual replies; international names and addresses in proper case (bench/answers_corpus.py)
    sets["model answers, letters and summaries (blind answers)"] = model_answers(300, seed=97) + answers_phi_free(
        100, seed=101
    )
    for set_name, recs in sets.items():
        labels = {r["id"]: [(s["start"], s["end"]) for s in r["spans"]] for r in recs}
        if set_name == "presidio-research":
            labels = presidio_labels()
        for tool, fn in tools.items():
            report(
                f"{set_name} — {tool}",
                score(recs, fn, labels),
                STRUCTURED_ASQ if set_name == "ASQ-PHI" else None,
            )
        if set_name == "PHI-free clinical text":
            altered_spans(engine, args.profile, recs)
    dense = [r["text"] for r in sets["synthetic"]] + [r["text"] for r in sets["ASQ-PHI"]]
    notes = [r["text"] for r in corpus(400, seed=5, phi_rate=0.12)]
    rng = random.Random(1)
    prose = [" ".join(rng.choice(_FILLER) for _ in range(12)) for _ in range(300)]
    docs = {
        "PHI-free clinical prose (what most model output looks like)": prose,
        "dense (ASQ queries + synthetic notes, ~1 identifier per 40 chars)": dense,
        "clinical notes (synthetic, ~1 identifier sentence in 8)": notes,
    }
    print("\n## speed, MB per CPU-second (one core): per record, and records joined into 64 KiB documents")
    for label, texts in docs.items():
        print(f"### {label}")
        joined = [" ".join(texts)[i : i + 65536] for i in range(0, 4 * 65536, 65536)]
        for tool, fn in tools.items():
            budget = args.speed_seconds if tool == "phi-guard" else min(args.speed_seconds, 4.0)
            sample = texts if tool == "phi-guard" else texts[:200]
            per = throughput(fn, sample, budget)
            doc = throughput(fn, joined if tool == "phi-guard" else joined[:1], budget)
            print(f"{tool:20} per-record {per:8.2f}   64KiB-doc {doc:8.2f}")
    print(
        f"\n## streaming (SSE chat chunks): released up to Analyzer.open_at (reach {engine.analyzer.reach}); "
        f"a candidate held past {engine.stream_max_held} chars is redacted whole"
    )
    for rate in (0.5, 0.05):
        for size in (1, 4):
            held, us = stream_holdback(engine, args.profile, rate, size)
            print(
                f"identifier-sentence rate {rate:4.2f}, {size} char(s)/event: max held {held}, {us:6.0f} us/chunk"  # noqa: E501
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
