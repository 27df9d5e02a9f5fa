"""``OpenScanner.open_at`` in one search per regex (``joined``): the partial search of ``near`` (the regex, then its
right context to the end) gives the same open point as the two searches it replaces (a path of the regex that
runs into the end; a complete match that ends within RIGHT_CONTEXT of it). Every scanner the engine built (new
rules' scanners included), on every prefix of identifier-dense texts and Hypothesis texts, from several settled
points; a control shows the comparison fails when the joined search leaves out the right context."""

from __future__ import annotations

import gc

import pytest
from hypothesis import HealthCheck, given, settings

from devstack.demo_data import CLINICAL_NOTE
from sidecar.redaction.detectors.base import OpenScanner
from sidecar.redaction.engine import RedactionEngine
from tests.redaction.test_open_at import TEXT

DENSE = (
    "Mail jane.doe@example.com or jane at example dot com, see https://portal.example.org/x?id=7 and "
    "www.example.com; SSN 123-45-6789, card 4111 1111 1111 1111, host 10.1.2.3, MRN: 00482913, call "
    "(617) 555-0199 ext 4410, seen 3/4 and on March 15th, 1962, aged ninety-two, 12 via Roma, PO Box 206."
)


@pytest.fixture(scope="module")
def scanners(engine: RedactionEngine) -> list[OpenScanner]:
    """Every open-point scanner the engine's detectors built."""
    found = [o for o in gc.get_objects() if isinstance(o, OpenScanner) and o._items]
    assert len(found) >= 5  # patterns (four), dates, places, encoded runs, data URLs
    return found


def _open_points(scanners: list[OpenScanner], text: str, joined: bool) -> list[int]:
    """Each scanner's open point of every prefix of ``text``, from the start and two settled points."""
    out: list[int] = []
    for sc in scanners:
        sc.joined = joined
        try:
            for end in range(1, len(text) + 1):
                pre = text[:end]
                out.extend(sc.open_at(pre, s) for s in sorted({0, max(0, end - 24), max(0, end - 80)}))
        finally:
            del sc.joined
    return out


@pytest.mark.parametrize("text", [DENSE, CLINICAL_NOTE[:240]])
def test_joined_search_gives_every_open_point_of_the_two_searches(scanners: list[OpenScanner], text: str) -> None:
    joined = _open_points(scanners, text, True)
    assert joined == _open_points(scanners, text, False)
    assert sum(1 for i in joined if i > 0) > 500  # not vacuous: the scanners hold candidates across the text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_joined_search_on_identifier_pieces(scanners: list[OpenScanner], text: str) -> None:
    assert _open_points(scanners, text, True) == _open_points(scanners, text, False)


def test_control_a_joined_search_without_the_right_context_differs(
    scanners: list[OpenScanner], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Searching only the paths that run into the end misses a complete match followed by a blank (``SSN
    123-45-6789 ``: the right-context check of the number still reads what follows)."""
    text = DENSE[: DENSE.index("card")]
    base = _open_points(scanners, text, False)
    for sc in scanners:
        monkeypatch.setattr(sc, "_items", [(probe, probe, reach) for _, probe, reach in sc._items])
        monkeypatch.setattr(sc, "_firsts", list(sc._firsts))
    assert _open_points(scanners, text, True) != base


class _Counted:
    """A compiled regex that counts its searches."""

    def __init__(self, rx: object, counts: list[int]) -> None:
        self._rx, self._counts, self.pattern = rx, counts, rx.pattern  # type: ignore[attr-defined]

    def search(self, *args: object, **kwargs: object) -> object:
        self._counts[0] += 1
        return self._rx.search(*args, **kwargs)  # type: ignore[attr-defined]


def test_one_search_per_regex(scanners: list[OpenScanner], monkeypatch: pytest.MonkeyPatch) -> None:
    """The speed this buys: one search per regex asked (the two searches made two); same open points."""
    sc = max(scanners, key=lambda s: len(s._items))
    text = DENSE[: DENSE.index("card")]
    want = [sc.open_at(text[:end]) for end in range(1, len(text) + 1)]
    counts = [0]
    monkeypatch.setattr(sc, "_items", [(_Counted(a, counts), _Counted(b, counts), r) for a, b, r in sc._items])
    monkeypatch.setattr(sc, "_firsts", list(sc._firsts))
    got = [sc.open_at(text[:end]) for end in range(1, len(text) + 1)]
    assert got == want
    asked = sum(len(sc._candidates(text[:end], 0)) for end in range(1, len(text) + 1))
    assert asked > 1000
    assert counts[0] <= asked  # some are skipped once an earlier open point is found
