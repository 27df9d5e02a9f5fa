"""Detection speed and exactness: MB per CPU-second on the speed corpora of ``bench.redaction_eval``, and a
fingerprint of every span the analyzer finds on the bench corpora, so a speed change can be shown to leave the
output byte-identical.

Run: ``python -m bench.redaction_speed`` (speed, best of ``--repeat`` runs of CPU time);
``python -m bench.redaction_speed --dump FILE`` writes the spans of every corpus text (JSON lines) and
``--compare FILE`` checks the current code against such a dump (exit 1 and the first differences otherwise);
``--stages SET`` prints the CPU µs per record of each detector and of the prefilter on one speed set.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.clinical_corpus import corpus as clinical_notes  # noqa: E402
from bench.clinical_corpus import phi_free as clinical_phi_free  # noqa: E402
from bench.redaction_corpus import _FILLER, corpus  # noqa: E402
from bench.redaction_eval import load, throughput  # noqa: E402
from sidecar.redaction.engine import RedactionEngine  # noqa: E402
from sidecar.redaction.settings import RedactionSettings  # noqa: E402

KEY = b"bench-key-0123456789abcdef012345"


def speed_sets() -> dict[str, list[str]]:
    """The texts ``bench.redaction_eval`` times (same seeds)."""
    dense = [r["text"] for r in corpus(600, seed=11)] + [r["text"] for r in load("asq")]
    notes = [r["text"] for r in corpus(400, seed=5, phi_rate=0.12)]
    rng = random.Random(1)
    prose = [" ".join(rng.choice(_FILLER) for _ in range(12)) for _ in range(300)]
    # model output as it usually comes: curly apostrophes and quotes, dashes, a symbol (the non-ASCII paths)
    typeset = [t.replace(";", " \u2014", 2).replace(",", "\u2019s,", 1) + " \u201cOK\u201d \u2713" for t in prose]
    return {"prose": prose, "typeset": typeset, "dense": dense, "notes": notes}


def diff_texts() -> Iterator[tuple[str, str]]:
    """(name, text) of every text the differential check covers: the bench corpora, their 64 KiB documents,
    the generated clinical notes in their own case and re-cased, and the same with evasion characters."""
    sets = speed_sets()
    sets["presidio"] = [r["text"] for r in load("presidio")]
    sets["clinical"] = [r["text"] for r in clinical_notes(300, seed=3) + clinical_phi_free(100)]
    for name, texts in list(sets.items()):
        for i, t in enumerate(texts):
            yield f"{name}/{i}", t
        joined = " ".join(texts)
        for j in range(0, min(len(joined), 4 * 65536), 65536):
            yield f"{name}/doc{j}", joined[j : j + 65536]
    for i, t in enumerate(sets["clinical"][:150]):
        yield f"upper/{i}", t.upper()
        yield f"lower/{i}", t.lower()
    # non-ASCII texts: the normalised-view path (zero-width, NBSP, en dash, full-width digits, Cyrillic a)
    subs = [("-", "\u2013"), (" ", "\u00a0"), ("1", "\uff11"), ("a", "\u0430"), ("5", "5\u200b")]
    for i, t in enumerate(sets["dense"][:400] + sets["clinical"][:100]):
        a, b = subs[i % len(subs)]
        yield f"unicode/{i}", t.replace(a, b, 3)
    # characters the view keeps (quotes, accents, symbols, CJK, emoji): the non-ASCII paths of the gates
    keep = [(". ", ". \u201cOK\u201d "), ("e ", "\u00e9 "), (", ", " \u2713 "), ("o", "\u00f6")]
    keep.append((". ", "\u3002 \U0001f600 "))
    for i, t in enumerate(sets["dense"][:500] + sets["clinical"][:200] + sets["prose"][:100]):
        a, b = keep[i % len(keep)]
        yield f"kept/{i}", t.replace(a, b, 2 + i % 3)


def fingerprint(engine: RedactionEngine, profile: str) -> Iterator[dict[str, object]]:
    for name, text in diff_texts():
        spans = engine.detect(text, profile)
        yield {"id": name, "spans": [[s.start, s.end, s.type, s.score] for s in spans]}


def stages(engine: RedactionEngine, texts: list[str], repeat: int) -> dict[str, float]:
    """CPU µs per record of each detector's ``detect`` (whole texts, as the analyzer gives a one-block text) and
    of the prefilter's ``regions``: the fewest of ``repeat`` passes after a warm-up pass."""
    analyzer = engine.analyzer
    steps: list[tuple[str, Callable[[str], object]]] = [(d.name, d.detect) for d in analyzer._detectors]
    if analyzer._prefilter is not None:
        steps.append(("prefilter", analyzer._prefilter.regions))
    out: dict[str, float] = {}
    for name, fn in steps:
        for t in texts:
            list(fn(t))  # type: ignore[call-overload]
        best = float("inf")
        for _ in range(repeat):
            c = time.process_time()
            for t in texts:
                list(fn(t))  # type: ignore[call-overload]
            best = min(best, time.process_time() - c)
        out[name] = best / len(texts) * 1e6
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="safe_harbor")
    ap.add_argument("--seconds", type=float, default=1.5)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dump", type=Path)
    ap.add_argument("--compare", type=Path)
    ap.add_argument("--stages", choices=("prose", "typeset", "dense", "notes"))
    args = ap.parse_args()
    engine = RedactionEngine(RedactionSettings(), KEY)
    if args.dump:
        with args.dump.open("w") as f:
            for rec in fingerprint(engine, args.profile):
                f.write(json.dumps(rec) + "\n")
        return 0
    if args.stages:
        texts = speed_sets()[args.stages]
        for name, us in stages(engine, texts, max(3, args.repeat)).items():
            print(f"{name:10} {us:7.1f} µs per record")
        return 0
    if args.compare:
        want = [json.loads(x) for x in args.compare.read_text().splitlines()]
        got = list(fingerprint(engine, args.profile))
        bad = [(w, g) for w, g in zip(want, got, strict=False) if w != g]
        if len(want) != len(got):
            print(f"record counts differ: {len(want)} vs {len(got)}")
        for w, g in bad[:10]:
            print(f"{w['id']}: want {w['spans']}\n{'':{len(w['id'])}}  got  {g['spans']}")
        print(f"{len(got) - len(bad)} identical, {len(bad)} differ")
        return 1 if bad or len(want) != len(got) else 0
    fn = lambda t: engine.detect(t, args.profile)  # noqa: E731
    for label, texts in speed_sets().items():
        joined = [" ".join(texts)[i : i + 65536] for i in range(0, 4 * 65536, 65536)]
        per = max(throughput(fn, texts, args.seconds) for _ in range(args.repeat))
        doc = max(throughput(fn, joined, args.seconds) for _ in range(args.repeat))
        print(f"{label:8} per-record {per:8.2f} MB/s   64KiB-doc {doc:8.2f} MB/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
