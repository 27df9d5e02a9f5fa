"""The hyperscan prefilter only narrows where detectors run: results equal a whole-text scan."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

from sidecar.redaction.analyzer import Analyzer
from sidecar.redaction.detectors import default_detectors
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.prefilter import Prefilter
from sidecar.redaction.profiles import ALL_TYPES

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.redaction_corpus import _FILLER, corpus  # noqa: E402

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("hyperscan") is None, reason="hyperscan not installed"
)


@pytest.fixture(scope="module")
def prefilter() -> Prefilter:
    return Prefilter()


def test_same_spans_as_whole_scan(engine: RedactionEngine) -> None:
    full = Analyzer(default_detectors(), padding=True)  # as the engine reads text
    recs = corpus(200, seed=21, phi_rate=0.12)
    docs = [" ".join(r["text"] for r in recs[i : i + 10]) for i in range(0, 200, 10)]
    for doc in docs:
        assert engine.analyzer.analyze(doc, ALL_TYPES) == full.analyze(doc, ALL_TYPES)


def test_phi_free_text_has_no_regions(prefilter: Prefilter) -> None:
    rng = random.Random(3)
    text = " ".join(rng.choice(_FILLER) for _ in range(300))
    assert prefilter.regions(text) == []
    hot = text[:4000] + " Call 617-555-0199 today. " + text[4000:]
    regions = prefilter.regions(hot)
    assert len(regions) == 1 and regions[0][1] - regions[0][0] < 1200


def test_long_stream_equals_whole_body(engine: RedactionEngine) -> None:
    text = " ".join(r["text"] for r in corpus(30, seed=4, phi_rate=0.3))
    assert len(text) > 5000
    body = text.encode()
    p = engine.open_body("safe_harbor", "text/plain")
    rng = random.Random(5)
    out = b""
    i = 0
    while i < len(body):
        j = i + rng.randint(1, 40)
        out += p.feed(body[i:j])
        i = j
    out += p.finish()
    assert out.decode() == engine.redact_text(text, "safe_harbor").text


@pytest.mark.parametrize("name", ["asq-phi/asq.jsonl", "presidio-research/synth_v2.jsonl"])
def test_triggers_cover_every_rule_on_real_eval_text(engine: RedactionEngine, name: str) -> None:
    """Every finding a whole scan makes on varied third-party text is also made with the prefilter."""
    import json

    path = Path(__file__).resolve().parents[2] / "bench" / "eval_data" / name
    full = Analyzer(default_detectors(), padding=True)  # as the engine reads text
    lines = path.read_text(encoding="utf-8").splitlines()[:400]
    for line in lines:
        text = json.loads(line)["text"]
        assert engine.analyzer.analyze(text, ALL_TYPES) == full.analyze(text, ALL_TYPES), text


def test_region_boundaries_do_not_change_findings(engine: RedactionEngine) -> None:
    import json

    path = Path(__file__).resolve().parents[2] / "bench" / "eval_data" / "presidio-research" / "synth_v2.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()[:300]
    doc = " ".join(json.loads(x)["text"] for x in lines)
    full = Analyzer(default_detectors(), padding=True)
    assert engine.analyzer.analyze(doc, ALL_TYPES) == full.analyze(doc, ALL_TYPES)


def test_engine_is_usable_from_several_threads(engine: RedactionEngine) -> None:
    """The wiring may run large bodies in a worker thread while the loop handles stream chunks."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [" ".join(r["text"] for r in corpus(8, seed=s, phi_rate=0.3)) for s in range(8)]
    expected = [engine.redact_text(t, "safe_harbor").text for t in texts]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda t: engine.redact_text(t, "safe_harbor").text, texts * 3))
    assert got == expected * 3


def test_plug_in_without_triggers_scans_whole_texts_and_keeps_the_prefilter(prefilter: Prefilter) -> None:
    """A plug-in detector the prefilter has no triggers for still finds everything it would find alone, and the
    built-in detectors keep running on prefilter regions only (the prefilter is not switched off for everyone)."""
    from sidecar.redaction.spans import Span

    class Codeword:
        name = "codeword"
        reach = 16
        types = frozenset({"ID"})

        def detect(self, text: str) -> list[Span]:
            i = text.find("zebra")
            return [Span(i, i + 5, "ID", 0.9)] if i >= 0 else []

    rng = random.Random(8)
    filler = " ".join(rng.choice(_FILLER) for _ in range(200))
    text = filler + " the zebra code " + filler + " Call 617-555-0199 today."
    seen: list[int] = []
    dets = default_detectors()
    pat = dets[0]
    real = pat.detect

    def spy(t: str) -> list[Span]:
        seen.append(len(t))
        return list(real(t))

    pat.detect = spy  # type: ignore[method-assign]
    an = Analyzer([*dets, Codeword()], prefilter)
    found = {text[s.start : s.end]: s.type for s in an.analyze(text, ALL_TYPES)}
    assert found.get("zebra") == "ID" and found.get("617-555-0199") == "PHONE"
    assert seen and max(seen) < len(text) // 2  # the pattern detector saw a region, not the whole text


def test_types_and_groups_are_derived_from_the_detectors(prefilter: Prefilter) -> None:
    from sidecar.redaction.detectors import BUILTIN, DETECTOR_TYPES, detector_types
    from sidecar.redaction.detectors.dates import DateDetector
    from sidecar.redaction.detectors.patterns import PatternDetector

    assert DETECTOR_TYPES["patterns"] == PatternDetector.types and DETECTOR_TYPES["dates"] == DateDetector.types
    assert DETECTOR_TYPES["names"] == {"NAME"} and DETECTOR_TYPES["locations"] == {"ADDRESS", "ZIP", "LOCATION"}
    assert set(DETECTOR_TYPES) == {c.name for c in BUILTIN}
    assert set(prefilter.group_bits) == {c.name for c in BUILTIN}
    assert len(set(prefilter.group_bits.values())) == len(BUILTIN)
    assert detector_types(object()) is None  # undeclared plug-in: runs always, filtered by type
    # every type a profile can ask for is emitted by some detector
    assert set().union(*DETECTOR_TYPES.values()) >= ALL_TYPES


def test_custom_mrn_format_is_found_with_the_prefilter_on() -> None:
    """Custom MRN formats have no trigger: the pattern detector then scans whole texts (same findings)."""
    from sidecar.redaction.settings import RedactionSettings

    from .conftest import KEY

    eng = RedactionEngine(RedactionSettings(mrn_patterns=[r"\bQZ\d{3}[A-Z]\b"]), KEY)
    rng = random.Random(2)
    text = " ".join(rng.choice(_FILLER) for _ in range(300)) + " chart QZ123K reviewed"
    assert eng.analyzer._prefilter is not None
    assert "[MRN]" in eng.redact_text(text, "standard").text
