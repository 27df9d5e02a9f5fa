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
    append = out.append
    cur = best = spans[0]
    start, end = cur.start, cur.end
    merged = False
    for s in spans[1:]:
        if s.start < end:
            if (s.score, s.end - s.start) > (best.score, best.end - best.start):
                best = s
            if s.end > end:
                end = s.end
            merged = True
        else:
            append(Span(start, end, best.type, best.score) if merged else cur)
            cur = best = s
            start, end = s.start, s.end
            merged = False
    append(Span(start, end, best.type, best.score) if merged else cur)
    return out
