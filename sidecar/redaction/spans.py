"""Spans: what detectors find and operators transform. Offsets are str indices into the scanned text."""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    start: int
    end: int
    type: str
    score: float = 0.5


def resolve(spans: list[Span]) -> list[Span]:
    """Merge overlapping spans into their union (never leave part of a finding unredacted);
    the merged span takes the type of its highest-scoring (then longest) member."""
    if not spans:
        return []
    spans = sorted(spans)
    out: list[Span] = []
    cur = spans[0]
    best = cur
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
