"""The prefilter's whole-text scan (one scan for dictionary words, one for every trigger end, placed in blocks by
offset arithmetic) finds the same regions' worth of findings as scanning block by block, at every offset."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

from sidecar.redaction.analyzer import Analyzer
from sidecar.redaction.detectors import default_detectors
from sidecar.redaction.prefilter import Prefilter
from sidecar.redaction.profiles import ALL_TYPES

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.redaction_corpus import _FILLER, corpus  # noqa: E402

pytestmark = pytest.mark.skipif(importlib.util.find_spec("hyperscan") is None, reason="hyperscan not installed")


@pytest.fixture(scope="module")
def prefilter() -> Prefilter:
    return Prefilter()


@pytest.fixture(scope="module")
def tight() -> Prefilter:
    """No widening: a region is its hot blocks and their overlap, so a trigger placed in the wrong block shows."""
    return Prefilter(radius=0)


@pytest.fixture(scope="module")
def prose() -> str:
    rng = random.Random(11)
    return " ".join(rng.choice(_FILLER) for _ in range(12))


def _covered(regions: list[tuple[int, int, int]], a: int, b: int) -> bool:
    return any(s <= a and b <= e for s, e, _ in regions)


@pytest.mark.parametrize("needle", ["call 617-555-0199 now", "seen on 3/14/2021 at noon", "MRN: 4455321"])
def test_a_trigger_at_every_offset_around_block_edges_is_in_a_region(
    tight: Prefilter, prose: str, needle: str
) -> None:
    """Whole-text path (prose has few digits): the trigger lands in a region wherever it sits, also straddling
    a block edge or inside the overlap, and the regions hold those of the block-by-block scan (a match ending
    in the next block's overlap wakes that block too: its start is not reported)."""
    assert len(prose) > 3 * tight.block
    for at in range(tight.block - 40, 2 * tight.block + 80):
        cut = prose.rfind(" ", 0, at) + 1
        text = prose[:cut] + needle + " " + prose[cut:]
        got = tight.regions(text)
        assert _covered(got, cut, cut + len(needle)), (needle, at)
        assert all(_covered(got, a, b) for a, b, _ in tight.regions_by_block(text)), (needle, at)


def test_control_prose_alone_has_no_region(prefilter: Prefilter, prose: str) -> None:
    """Control for the test above: without the needle the same text has no region, so coverage is not free."""
    assert prefilter.regions(prose) == []


def test_whole_text_path_and_block_path_find_the_same(prefilter: Prefilter) -> None:
    """Texts of both paths (sparse: whole-text scans; digit-dense: block by block): same findings as a whole-text
    analysis without prefilter."""
    full = Analyzer(default_detectors())
    pre = Analyzer(default_detectors(), prefilter)
    sparse = Prefilter()
    sparse.dense_digits = 10**6  # always the whole-text scans
    pre_sparse = Analyzer(default_detectors(), sparse)
    for rate, seed in ((0.02, 1), (0.12, 2), (0.5, 3)):
        text = " ".join(r["text"] for r in corpus(40, seed=seed, phi_rate=rate))
        want = full.analyze(text, ALL_TYPES)
        assert want  # the oracle has something to miss
        assert pre.analyze(text, ALL_TYPES) == want
        assert pre_sparse.analyze(text, ALL_TYPES) == want


def test_control_a_prefilter_without_regions_misses_findings(prefilter: Prefilter, prose: str) -> None:
    """Control: the equality above can fail; a prefilter that reports no region loses the phone number."""

    class Blind(Prefilter):
        def regions(self, text: str, gates: bool = True) -> list[tuple[int, int, int]]:
            return []

    blind = Blind()
    text = prose + " call 617-555-0199 now " + prose
    found = {text[s.start : s.end] for s in Analyzer(default_detectors(), blind).analyze(text, ALL_TYPES)}
    assert "617-555-0199" not in found
    found = {text[s.start : s.end] for s in Analyzer(default_detectors(), prefilter).analyze(text, ALL_TYPES)}
    assert "617-555-0199" in found
