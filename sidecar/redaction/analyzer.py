"""Detection: run the detectors a profile needs over a text and resolve overlaps into final spans.
Long texts are first narrowed by the hyperscan prefilter to the regions where anything can match."""

from __future__ import annotations

from collections.abc import Sequence

from sidecar.redaction.detectors import DETECTOR_TYPES, Detector
from sidecar.redaction.prefilter import ALL_GROUPS, GROUP_BITS, Prefilter
from sidecar.redaction.spans import Span, resolve


class Analyzer:
    """Runs detectors; ``analyze`` returns sorted, non-overlapping spans of the requested types."""

    def __init__(
        self,
        detectors: Sequence[Detector],
        prefilter: Prefilter | None = None,
        min_prefilter_chars: int = 0,
    ) -> None:
        self._detectors = list(detectors)
        self.reach = max((d.reach for d in self._detectors), default=64)
        # Custom detectors may match without our triggers: then always scan whole texts.
        builtin = all(
            d.name in DETECTOR_TYPES and getattr(d, "prefilter_safe", True) for d in self._detectors
        )
        self._prefilter = prefilter if (prefilter is not None and prefilter.active and builtin) else None
        self._min = min_prefilter_chars

    def analyze(self, text: str, types: frozenset[str]) -> list[Span]:
        if self._prefilter is None or len(text) < self._min:
            return resolve(self._scan(text, types, 0))
        regions = self._prefilter.regions(text)
        found: list[Span] = []
        for det in self._detectors:
            emits = DETECTOR_TYPES.get(det.name)
            if emits is not None and not (emits & types):
                continue
            if getattr(det, "gates_itself", False):  # its own (any-case) gate: whole text
                found.extend(s for s in det.detect(text) if s.type in types)
                continue
            # each detector scans the union of its regions once (regions of different groups overlap)
            for a, b in _union(regions, GROUP_BITS.get(det.name, ALL_GROUPS)):
                if a == 0 and b == len(text):
                    found.extend(s for s in det.detect(text) if s.type in types)
                else:
                    found.extend(
                        Span(s.start + a, s.end + a, s.type, s.score)
                        for s in det.detect(text[a:b])
                        if s.type in types
                    )
        return resolve(found)

    def open_at(self, text: str, types: frozenset[str]) -> int:
        """Stream contract: the smallest index ``i`` such that some continuation of ``text`` could produce a
        finding (of ``types``) that covers a character at index >= ``i`` differently from what
        ``analyze(text, types)`` finds now (a new finding, a longer one, or one that would merge with it);
        ``len(text)`` when no continuation can change anything. A stream may release ``text[:i]`` (minus any
        finding that straddles ``i``) for good.

        Fallback, until every detector reports its own open point: the fixed hold-back (``reach``
        characters, back to the start of the word it cuts)."""
        cut = max(0, len(text) - self.reach)
        while cut > 0 and not text[cut - 1].isspace():
            cut -= 1
        return cut

    def _scan(self, text: str, types: frozenset[str], offset: int, groups: int = ALL_GROUPS) -> list[Span]:
        found: list[Span] = []
        for det in self._detectors:
            emits = DETECTOR_TYPES.get(det.name)  # None (plug-ins): always run, filter by type
            if emits is not None and not (emits & types):
                continue
            if not GROUP_BITS.get(det.name, ALL_GROUPS) & groups:
                continue
            if offset:
                found.extend(
                    Span(s.start + offset, s.end + offset, s.type, s.score)
                    for s in det.detect(text)
                    if s.type in types
                )
            else:
                found.extend(s for s in det.detect(text) if s.type in types)
        return found


def _union(regions: list[tuple[int, int, int]], bit: int) -> list[tuple[int, int]]:
    """Merged (start, end) of the regions (sorted by start) whose groups include ``bit``."""
    out: list[tuple[int, int]] = []
    for a, b, g in regions:
        if not g & bit:
            continue
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out
