"""Detection: run the detectors a profile needs over the normalised view of a text and resolve overlaps into
final spans, mapped back to the original text. Long texts are first narrowed by the hyperscan prefilter to the
regions where a prefiltered detector can match; detectors the prefilter has no triggers for scan whole texts."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Sequence

from sidecar.redaction.detectors import detector_types, joint_scan
from sidecar.redaction.detectors.base import Detector, fallback_open_at
from sidecar.redaction.normalize import View, extend, normalize, open_tail, warm_up
from sidecar.redaction.prefilter import Prefilter
from sidecar.redaction.spans import Span, resolve


class Analyzer:
    """Runs detectors; ``analyze`` returns sorted, non-overlapping spans of the requested types."""

    # ``open_at`` takes its exact shortcuts: the word-reading detectors' open points remembered per text
    # (``_open_of``), and no further detector asked once the answer is known to be ``start``; tests turn them off
    # to compare with every open point computed afresh
    open_shortcuts = True

    def __init__(
        self,
        detectors: Sequence[Detector],
        prefilter: Prefilter | None = None,
        min_prefilter_chars: int = 0,
        padding: bool = False,
    ) -> None:
        """``padding``: the view reads padding pieces (long whitespace runs, table borders, character references,
        percent-escapes) as the one character each shows (``normalize.py``), in ``analyze`` and ``open_at``
        alike (the engine turns it on)."""
        self._detectors = list(detectors)
        self._padding = padding
        self.reach = max((d.reach for d in self._detectors), default=64)
        # the longest candidate any detector can grow (``max_reach`` where a detector's candidates outgrow the
        # fixed-window ``reach``, e.g. URLs): a stream redacts a still-open finding this long whole
        self.max_reach = max((getattr(d, "max_reach", d.reach) for d in self._detectors), default=64)
        self._open_order: dict[tuple[frozenset[str], bool], list[Detector]] = {}  # see _open_detectors
        self._open_params: dict[str, frozenset[str]] = {}  # detector name -> what its open_at takes (start, types)
        self._types = {d.name: detector_types(d) for d in self._detectors}
        every = frozenset().union(*(t for t in self._types.values() if t is not None))
        for d in self._detectors:  # detectors that read what a carrier holds (data: URLs) scan it with all of them
            if callable(bind := getattr(d, "bind", None)):
                bind(lambda text: self.analyze(text, every))
        self._prefilter = prefilter if (prefilter is not None and prefilter.active) else None
        # a detector the prefilter has no triggers for (plug-ins, NER) scans whole texts; the others regions
        bits = self._prefilter.group_bits if self._prefilter is not None else {}
        self._bits = {
            d.name: bits[d.name] for d in self._detectors if d.name in bits and getattr(d, "prefilter_safe", True)
        }
        self._min = min_prefilter_chars
        # the self-gating detectors' gates ride along the prefilter's whole-text scan (one scan, not one each)
        self._joined = self._scan_gates()
        if self._prefilter is not None and self._joined:
            self._prefilter.join_gates(self._joined)
        self._wanted_cache: dict[frozenset[str], list[tuple[Detector, bool, int, bool]]] = {}
        self._gating: dict[frozenset[str], bool] = {}  # see _gates_wanted
        self._grown = threading.local()  # the last view open_at built: a growing stream buffer extends it
        warm_up()

    def _scan_gates(self) -> list[joint_scan.JointMember]:
        return [g for d in self._detectors if getattr(d, "gates_itself", False) for g in _gates_of(d)]

    def _wanted(self, types: frozenset[str]) -> list[Detector]:
        """The detectors that can emit one of ``types`` (cached per type set: profiles are few)."""
        return [step[0] for step in self._plan(types)]

    def _plan(self, types: frozenset[str]) -> list[tuple[Detector, bool, int, bool]]:
        """Per wanted detector: (detector, scans the folded view, prefilter bit or 0 for whole texts, its
        findings need filtering by type). Cached per type set."""
        out = self._wanted_cache.get(types)
        if out is None:
            out = []
            for d in self._detectors:
                emits = self._types[d.name]
                if emits is not None and not emits & types:
                    continue
                bit = 0 if getattr(d, "gates_itself", False) else self._bits.get(d.name, 0)
                out.append((d, bool(getattr(d, "folded", False)), bit, emits is None or not emits <= types))
            if len(self._wanted_cache) < 64:
                self._wanted_cache[types] = out
        return out

    def _gates_wanted(self, types: frozenset[str]) -> bool:
        """Whether a wanted detector owns a gate joined to the prefilter's scan: if none does, the prefilter
        scans the triggers alone (the gates' hits would be published for nobody). Cached per type set."""
        out = self._gating.get(types)
        if out is None:
            out = any(_gates_of(d) for d in self._wanted(types) if getattr(d, "gates_itself", False))
            if len(self._gating) < 64:
                self._gating[types] = out
        return out

    def analyze(self, text: str, types: frozenset[str], merge: bool = True) -> list[Span]:
        """``merge=False``: every detector's finding with its own type (overlaps kept), for callers that judge
        findings by type; the default resolves overlaps into final spans."""
        last = getattr(self._grown, "analyzed", None)  # what _open_after_blank just found for this text
        if merge and last is not None and last[0] is text and last[1] == types:
            self._grown.analyzed = None
            return list(last[2])
        view = normalize(text) if self._padding else normalize(text, False)
        return _in_original(view, self._analyze_view(view, types, merge))

    def _analyze_view(self, view: View, types: frozenset[str], merge: bool = True) -> list[Span]:
        text = view.text
        plan = self._plan(types)
        found: list[Span] = []
        whole = self._prefilter is None or len(text) < self._min
        regions = [] if whole else self._prefilter.regions(text, self._gates_wanted(types))  # type: ignore[union-attr]
        n = len(text)
        for det, folded, bit, check in plan:
            src = view.folded if folded else text
            if whole or not bit:  # no prefilter, or a detector it does not wake (plug-ins, self-gating): whole
                spans = det.detect(src)
                found.extend([s for s in spans if s.type in types] if check else spans)
                continue
            # each detector scans the union of its regions once (regions of different groups overlap)
            for a, b in _union(regions, bit):
                if a == 0 and b == n:
                    spans = det.detect(src)
                    found.extend([s for s in spans if s.type in types] if check else spans)
                else:
                    found.extend(
                        Span(s.start + a, s.end + a, s.type, s.score)
                        for s in det.detect(src[a:b])
                        if not check or s.type in types
                    )
        joint_scan.clear()  # the gates' answers for this text (a stale one would still be right: memory only)
        return resolve(found) if merge else sorted(found)

    def open_at(self, text: str, types: frozenset[str], start: int = 0) -> int:
        """Stream contract: the smallest index ``i`` such that some continuation of ``text`` could produce a
        finding (of ``types``) that covers a character at index >= ``i`` differently from what
        ``analyze(text, types)`` finds now (a new finding, a longer one, one that would merge with it, or a
        right-context cue that turns a word into a finding); ``len(text)`` when no continuation can change
        anything. A stream may release ``text[:i]`` (minus any finding that straddles ``i``) for good.

        ``start``: an index known to be settled already (``open_at`` of a prefix of ``text``, in this text's
        offsets): nothing left of it can change, so candidates starting there are not looked at again and
        the answer is at least ``start`` (it equals the answer without ``start`` whenever ``start`` does not
        exceed it). This is what makes a stream's per-event call cheap: only the new tail is searched.

        The minimum over the detectors' own ``open_at`` (the fixed-reach fallback for a detector without one)
        on the normalised view of ``text`` up to its ``open_tail`` (a whitespace run, a character reference or
        percent-escape at the end that a continuation may still read differently is held: the view of what is
        left of it is a prefix of the view of every continuation), mapped back to the original text. The view
        of a growing text extends the previous call's view (``normalize.extend``). Never further back than
        ``len(text) - reach`` for any detector: a candidate longer than its detector's reach is the stream's to
        redact whole."""
        w = len(text)
        while w > 0 and text[w - 1].isalnum():
            w -= 1
        # a word being written may still become any word: for the detectors that read whole words, what the text
        # without it leaves open stays open (every continuation of ``text`` is one of ``text[:w]``), whatever
        # they read into the letters so far (``re`` of ``regional`` is no function word, ``R`` of ``Rehab`` no
        # plain word); the others read partial words exactly (partial regex matching)
        if 0 < w < len(text) and len(text) - w < self.reach and self._open_detectors(types, True):
            before = self._open_at(text[:w], types, min(start, w), words_only=True)
            if before <= start and self.open_shortcuts:
                return start  # the settled point stays whatever the whole text's reading says
            return max(start, min(before, self._open_at(text, types, start)))
        return self._open_at(text, types, start)

    def _open_at(self, text: str, types: frozenset[str], start: int, words_only: bool = False) -> int:
        k = open_tail(text) if self._padding else len(text)
        if 0 < k == len(text) - 1 and text[k] in _ONE_BLANK:
            return max(start, self._open_after_blank(text, types, start, words_only))
        view = self._grown_view(text if k == len(text) else text[:k])
        vt = view.text
        vstart = _view_index(view, start) if start > 0 else 0
        i = len(vt)
        short = self.open_shortcuts and start > 0
        for det in self._open_detectors(types, words_only):
            o = self._open_of(det, view, vstart, types)
            if o < i:
                i = o
                if short and view.start(i) <= start:
                    return start  # the minimum can only fall further: the answer is ``start``
        return max(start, k if i >= len(vt) else view.start(i))

    def _open_detectors(self, types: frozenset[str], words_only: bool) -> list[Detector]:
        """The wanted detectors whose open points are asked; ``words_only``: those that read whole words
        (``open_reads_words``)."""
        dets = self._open_order.get((types, words_only))
        if dets is None:
            # the word-reading detectors first, the last of them first (places, then names): they hold a candidate
            # most often, and an answer at the settled point ends the asking (``_open_at``); the minimum does not
            # depend on the order
            wanted = self._wanted(types)
            words = [d for d in reversed(wanted) if getattr(d, "open_reads_words", False)]
            dets = words if words_only else words + [d for d in wanted if d not in words]
            self._open_order[(types, words_only)] = dets
        return dets

    def _open_after_blank(self, text: str, types: frozenset[str], start: int, words_only: bool = False) -> int:
        """``open_at`` of a text that ends in one space or one newline after a non-blank: the blank ends the last
        word whatever follows, but may still grow into padding the view reads as one space or one newline. So
        the open point is the smaller of the two readings' (each covers the continuations read that way),
        moved left of the first finding in which the two readings differ (``X `` and ``X\\n``: the findings
        a continuation read as a newline starts from), and never past the blank itself (it is held). The
        newline reading's view extends the text's own (only the blank is read again)."""
        view = self._grown_view(text)
        if words_only:  # a word follows the blank (see open_at): the blank is what it is, and is not held
            views, i = [view], len(text)
        else:
            views = [view] if text[-1] == "\n" else [view, extend(view, text[:-1] + "\n", self._padding)]
            i = len(text) - 1
        # the caller answers ``max(start, i)``: once ``i <= start`` (it only falls) the rest cannot change that
        short = self.open_shortcuts and start > 0
        if short and i <= start:
            return i
        for v in views:
            vstart = _view_index(v, start) if start > 0 else 0
            for det in self._open_detectors(types, words_only):
                o = self._open_of(det, v, vstart, types)
                if o < len(v.text):
                    i = min(i, v.start(o))
                    if short and i <= start:
                        return i
        if len(views) == 2:
            found = [_in_original(v, self._analyze_view(v, types)) for v in views]
            for f in set(found[0]) ^ set(found[1]):
                i = min(i, f.start)
            self._grown.analyzed = (text, types, found[0])  # the stream's release scan of this text asks next
        return i

    def open_points(self, text: str, types: frozenset[str]) -> dict[str, int]:
        """Diagnostics (benchmarks): each wanted detector's own open point of ``text`` (original offsets, the
        held tail of ``open_tail`` not counted); ``open_at`` is their minimum, or more for a text that ends in
        one blank (``_open_after_blank``)."""
        k = open_tail(text) if self._padding else len(text)
        view = normalize(text[:k]) if self._padding else normalize(text[:k], False)
        n = len(view.text)
        return {d.name: min(k, view.start(o)) if o < n else k for d in self._wanted(types)
                for o in (self._open_of(d, view, 0, types),)}

    def _open_of(self, det: Detector, view: View, vstart: int, types: frozenset[str]) -> int:
        """``det``'s open point in ``view`` (view offsets): its own ``open_at`` with what it takes (``start``,
        ``types``), or the fixed-reach fallback."""
        own = getattr(det, "open_at", None)
        if own is None:
            return fallback_open_at(view.text, det.reach)
        takes = self._takes(det)
        if "types" in takes:  # a detector of several types holds only for the wanted ones
            return int(own(_scanned(view, det), vstart, types=types))
        if "start" in takes:
            return int(own(_scanned(view, det), vstart))
        src = _scanned(view, det)
        if not (self.open_shortcuts and getattr(det, "open_reads_words", False)):
            return int(own(src))
        # the open point of a detector that reads the text alone is a function of the text (and of the site
        # lists it reads, which may be reloaded): a stream asks it again about the text it asked last time when
        # a word starts being written (``open_at`` reads the text without that word), so the last few answers
        # per detector are kept on this thread
        state = _open_state(det)
        memo: dict[str, list[tuple[str, object, int]]] | None = getattr(self._grown, "open_memo", None)
        if memo is None:
            memo = self._grown.open_memo = {}
        seen = memo.setdefault(det.name, [])
        for text, st, answer in seen:
            if st is state and text == src:
                return answer
        answer = int(own(src))
        seen.insert(0, (src, state, answer))
        del seen[_OPEN_MEMO:]
        return answer

    def _grown_view(self, text: str) -> View:
        """The normalised view of ``text``, extended from the last view built here on this thread when ``text``
        continues that view's text (a stream's growing buffer)."""
        prev: View | None = getattr(self._grown, "view", None)
        if prev is not None and len(text) >= len(prev.original):
            view = extend(prev, text, self._padding)
        else:
            view = normalize(text) if self._padding else normalize(text, False)
        self._grown.view = view
        return view

    def _takes(self, det: Detector) -> frozenset[str]:
        """What ``det.open_at`` accepts besides the text: ``start`` (the settled index) and ``types`` (the wanted
        types; with both, positionally ``(text, start, types=...)``). Plug-ins may define ``open_at(text)`` only."""
        v = self._open_params.get(det.name)
        if v is None:
            try:
                names = inspect.signature(det.open_at).parameters  # type: ignore[attr-defined]
                v = frozenset(p for p in ("start", "types") if p in names)
            except (TypeError, ValueError):
                v = frozenset()
            if "types" in v and "start" not in v:
                v = frozenset()  # ``types`` is passed after ``start``: without it, the plain call
            self._open_params[det.name] = v
        return v


_OPEN_MEMO = 4  # open points remembered per word-reading detector and thread (the space and newline readings
# of the last blank-ending text and the text after it)


def _open_state(det: Detector) -> object:
    """What a detector's open point reads besides the text: its site lists when it has any (reloaded while the
    guard runs: a new lists object is a new state), else None."""
    site = getattr(det, "_site", None)
    return site.current() if site is not None else None


_ONE_BLANK = (" ", "\n")  # a text ending in one of these after a non-blank: ``Analyzer._open_after_blank``


def _gates_of(det: Detector) -> list[joint_scan.JointMember]:
    """The gates a self-gating detector lets the prefilter's scan answer for (``scan_gates``, optional)."""
    gates = getattr(det, "scan_gates", None)
    return [g for g in gates() if hasattr(g, "joint_exprs")] if callable(gates) else []


def _in_original(view: View, spans: list[Span]) -> list[Span]:
    """``spans`` of ``view`` in the original text's offsets."""
    if view.identity:
        return spans
    return [Span(*view.span(s.start, s.end), s.type, s.score) for s in spans]


def _view_index(view: View, i: int) -> int:
    """The largest view index whose original index is at most ``i`` (a settled original index, conservatively
    moved into the view: the view may have removed or merged characters around it)."""
    if view.identity:
        return min(i, len(view.text))
    lo, hi = 0, len(view.text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if view.start(mid) <= i:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _scanned(view: View, det: Detector) -> str:
    return view.folded if getattr(det, "folded", False) else view.text


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
