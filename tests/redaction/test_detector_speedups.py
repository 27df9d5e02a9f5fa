"""Speed-ups that must not change findings: each fast form is compared with the form it replaces."""

from __future__ import annotations

import random
import sys
from pathlib import Path

from sidecar.redaction.detectors import patterns
from sidecar.redaction.detectors.base import left
from sidecar.redaction.spans import Span, resolve

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.clinical_corpus import corpus as clinical_notes  # noqa: E402
from bench.redaction_corpus import corpus  # noqa: E402


def _contexts() -> list[str]:
    texts = [r["text"] for r in corpus(120, seed=7, phi_rate=0.6)] + [r["text"] for r in clinical_notes(60, seed=5)]
    texts += ["Apt 4 ste 2 P.O. Box 12 12 Main Street #55 a/c 9 ſt kelvin \u212a acct 5 ı d"]
    out = []
    for t in texts:
        for i in range(0, len(t), 3):
            out.append(left(t, i, 32))
    return out


def test_ascii_cue_search_equals_the_any_case_search() -> None:
    """``_any_cue`` / ``_cues`` (no IGNORECASE on ASCII context) find what ``_ANY_CUE`` / ``_CUES`` find."""
    hits = 0
    for ctx in _contexts():
        fast, slow = patterns._any_cue(ctx), patterns._ANY_CUE.search(ctx)
        assert (fast and fast.span()) == (slow and slow.span()), ctx
        hits += slow is not None
        for (n1, fast_rx), (n2, slow_rx) in zip(patterns._cues(ctx), patterns._CUES, strict=True):
            f, s = fast_rx.search(ctx), slow_rx.search(ctx)
            assert n1 == n2 and (f and f.span()) == (s and s.span()), (n1, ctx)
    assert hits > 100  # the contexts hold cues: the comparison is not between two misses


def test_control_street_suffixes_in_capitals_need_the_any_case_form() -> None:
    """Control: the ASCII forms rely on lower-cased context; on capitals only the any-case form finds the
    suffix (so the comparison above would catch an ASCII form used on the wrong text)."""
    ctx = "12 MAIN STREET "
    assert patterns._ANY_CUE.search(ctx) is not None
    assert patterns._ANY_ASCII_CUE.search(ctx) is None


def _resolve_reference(spans: list[Span]) -> list[Span]:
    """The merge as first written (a new span per overlap), kept as the oracle for the faster loop."""
    if not spans:
        return []
    spans = sorted(spans)
    out: list[Span] = []
    cur = best = spans[0]
    for s in spans[1:]:
        if s.start < cur.end:
            if (s.score, s.end - s.start) > (best.score, best.end - best.start):
                best = s
            cur = Span(cur.start, max(cur.end, s.end), best.type, best.score)
        else:
            out.append(Span(cur.start, cur.end, best.type, best.score))
            cur = best = s
    out.append(Span(cur.start, cur.end, best.type, best.score))
    return out


def test_resolve_equals_the_reference_merge() -> None:
    rng = random.Random(0)
    merged = 0
    for _ in range(20000):
        spans = []
        for _ in range(rng.randint(0, 8)):
            a = rng.randint(0, 40)
            spans.append(Span(a, a + rng.randint(0, 12), rng.choice("ABCD"), rng.choice([0.5, 0.6, 0.7, 0.9])))
        got, want = resolve(list(spans)), _resolve_reference(list(spans))
        assert got == want, spans
        merged += len(got) < len(spans)
    assert merged > 1000  # overlaps were exercised, not only disjoint spans


def test_analyzer_filters_by_type_only_what_a_profile_leaves_out() -> None:
    """Detectors whose types are all wanted skip the per-span type filter; a narrower profile still gets only
    its types (control: the full profile finds the other types in the same text)."""
    from sidecar.redaction.analyzer import Analyzer
    from sidecar.redaction.detectors import default_detectors
    from sidecar.redaction.profiles import ALL_TYPES

    an = Analyzer(default_detectors())
    text = "Dr. Jane Smith saw the patient on 03/14/2021; call 617-555-0199 or write jane@example.com."
    assert {s.type for s in an.analyze(text, ALL_TYPES)} >= {"NAME", "DATE", "PHONE", "EMAIL"}
    assert {s.type for s in an.analyze(text, frozenset({"PHONE"}))} == {"PHONE"}


def test_normalize_shortcut_equals_the_run_by_run_view() -> None:
    """Texts whose non-ASCII characters each map to one character take a shortcut (replace, identity map): the
    same view text and the same offsets as the run-by-run construction."""
    from sidecar.redaction.normalize import _fold_runs, _one_for_one, normalize

    rng = random.Random(4)
    pieces = ["\u2019", "\u2014", "\u201c", "\u00e9", "\u00a0", "\u2713", "\uff11", "\u0430", "\u00df", "\u4e2d"]
    extra = ["\u200b", "e\u0301", "\ufb01", "\u00bd"]  # removed, combining, expanded: the run-by-run path
    texts = [r["text"] for r in corpus(60, seed=9, phi_rate=0.5)]
    shortcut = 0
    for t in texts:
        for mix in (pieces, pieces + extra):
            chars = list(t)
            for _ in range(6):
                chars.insert(rng.randrange(len(chars) + 1), rng.choice(mix))
            text = "".join(chars)
            fast, slow = normalize(text), _fold_runs(text)
            assert fast.text == slow.text, text
            shortcut += all(_one_for_one(c) is not None for c in set(text) if not c.isascii())
            for _ in range(20):
                a = rng.randrange(len(fast.text) + 1)
                b = rng.randrange(a, len(fast.text) + 1)
                assert fast.span(a, b) == slow.span(a, b), (text, a, b)
    assert 0 < shortcut < 2 * len(texts)  # both constructions were exercised
    # control: a removed character shifts offsets, so the identity map would be wrong there (the comparison bites)
    zw = "SSN 123\u200b45 6789"
    assert _fold_runs(zw).span(4, 12) == (4, 13) and not _fold_runs(zw).identity


def test_ascii_twins_find_what_the_any_case_regexes_find() -> None:
    """``patterns._twins``: on ASCII text the ``re.ASCII`` twin of each any-case scanning regex finds the same
    matches (groups included) as the regex; texts it may not take get the regexes themselves."""
    from sidecar.redaction.detectors.regex_gate import ascii_twin

    texts = [r["text"] for r in corpus(200, seed=13, phi_rate=0.6)] + [r["text"] for r in clinical_notes(80, seed=9)]
    texts += [t.upper() for t in texts[:80]] + [t.lower() for t in texts[:80]]
    texts += ["MRN: 12345ABC, aged ninety-three, pager #4411, www.Example.org/x, GB82WEST12345698765432 age 93 yo"]
    hits = 0
    for t in texts:
        assert patterns._twins(t) is ascii_twin
        for rx in patterns._ANY_CASE:
            fast = [(m.span(), m.groups()) for m in ascii_twin(rx).finditer(t)]
            slow = [(m.span(), m.groups()) for m in rx.finditer(t)]
            assert fast == slow, (rx.pattern[:40], t[:80])
            hits += len(slow)
    assert hits > 300  # the texts hold matches of these rules: not a comparison of empty lists
    # texts the twins may not scan: non-ASCII, or an ASCII separator only Unicode \s matches
    for t in ("pager \u212a 4411", "MRN:\x1c12345ABC"):
        assert patterns._twins(t) is patterns._same
    # control: where the twins are not used they would differ (0x1C is \s only without re.ASCII)
    for rx, t in ((patterns._LABELLED, "MRN:\x1c12345ABC"), (patterns._PAGER, "pager\x1c4411 x")):
        assert [m.span() for m in rx.finditer(t)] and not list(ascii_twin(rx).finditer(t))


def test_place_rules_ascii_twins_find_what_the_rules_find() -> None:
    """``regex_gate.ascii_twin`` of the any-case place regexes (streets, city + state, wards, facilities) finds
    on ``ascii_safe`` text the matches (groups included) of the regex itself; other texts are not safe."""
    from sidecar.redaction.detectors import locations
    from sidecar.redaction.detectors.regex_gate import ascii_safe, ascii_twin

    texts = [r["text"] for r in corpus(200, seed=17, phi_rate=0.6)] + [r["text"] for r in clinical_notes(80, seed=4)]
    texts += [t.upper() for t in texts[:80]] + [t.lower() for t in texts[:80]]
    texts += ["lives at 12 main st apt 4, springfield, il 62704; TRANSFERRED TO ELLISON 8 from Mass General Hospital"]
    rules = (locations._STREET_ANY, locations._STATE_AFTER, locations._WARD_CUE, locations._FAC_ANY)
    hits = 0
    for t in texts:
        assert ascii_safe(t)
        for rx in rules:
            fast = [(m.span(), m.groups()) for m in ascii_twin(rx).finditer(t)]
            slow = [(m.span(), m.groups()) for m in rx.finditer(t)]
            assert fast == slow, (rx.pattern[:40], t[:80])
            hits += len(slow)
    assert hits > 200  # not a comparison of empty lists
    assert not ascii_safe("Boston,\u00a0MA") and not ascii_safe("Boston,\x1cMA")
    # control: on a text that is not safe the twin can differ (0x1C is \s only without re.ASCII)
    t = "transferred to\x1cEllison 8"
    assert list(locations._WARD_CUE.finditer(t)) and not list(ascii_twin(locations._WARD_CUE).finditer(t))


def test_date_rules_ascii_twins_find_what_the_rules_find() -> None:
    """The date detector's numeric and word-form regexes (back-references, any-case month names): their
    ``ascii_twin`` finds the same matches on ASCII text."""
    from sidecar.redaction.detectors.dates import DateDetector
    from sidecar.redaction.detectors.regex_gate import ascii_twin

    det = DateDetector()
    texts = [r["text"] for r in corpus(200, seed=19, phi_rate=0.6)] + [r["text"] for r in clinical_notes(80, seed=6)]
    texts += [t.upper() for t in texts[:80]] + [t.lower() for t in texts[:80]]
    texts += ["seen 03/14/2021, 3-14-21, MARCH THE 15TH, 1962, 15/III/1962, on the fifth of june, jan. 3rd"]
    hits = 0
    for t in texts:
        for rx in (det._num, *det._words):
            fast = [(m.span(), m.groups()) for m in ascii_twin(rx).finditer(t)]
            slow = [(m.span(), m.groups()) for m in rx.finditer(t)]
            assert fast == slow, (rx.pattern[:40], t[:80])
            hits += len(slow)
    assert hits > 200
    # control: the Kelvin sign and the long s fold to k / s only without re.ASCII: a twin would miss "Auguſt"
    t = "seen Augu\u017ft 3, 2021"
    assert any(list(rx.finditer(t)) for rx in det._words)
    assert not any(list(ascii_twin(rx).finditer(t)) for rx in det._words)
