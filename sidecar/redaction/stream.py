"""Streaming text redaction: release what no continuation can turn into part of a finding.

One ``TextStream`` per text channel. Each ``release()`` scans the held text together with a window of already
released text (left context for the detectors) and releases, redacted, the longest prefix that
:meth:`Analyzer.open_at` says no continuation can change, moved left of any current finding that straddles it.
With an ``open_at`` that honours its contract the released text is exactly what whole-text redaction gives.

Bounded memory, fail closed: when the held candidate grows past ``max_held`` characters (longer than any
detector's reach: a word of thousands of characters, a digit run, an analyzer whose ``open_at`` cannot move
on), it is replaced whole by ``[REDACTED]`` and never released in part; text that continues it (while
``open_at`` still points into the redacted candidate) is dropped too.
"""

from __future__ import annotations

from sidecar.redaction.redactor import TextRedactor
from sidecar.redaction.spans import Span

OVERLONG_TYPE = "REDACTED"  # counted type of a held candidate redacted whole for exceeding max_held


class TextStream:
    def __init__(self, redactor: TextRedactor, context: int, max_held: int) -> None:
        """``context``: released characters kept as left context (at least the analyzer's reach);
        ``max_held``: characters a candidate may be held before it is redacted whole."""
        self._r = redactor
        self._context = context
        self._max_held = max_held
        self._ctx = ""  # tail of already released raw text: left context for detectors
        self._buf = ""  # raw text not yet released
        self._pending: list[str] = []  # added but not yet joined into _buf (see add)
        self._overlong = False  # the text at the end of _ctx is a candidate redacted whole
        self.max_held_chars = 0  # largest hold observed (reported by benchmarks)
        self.held_samples: list[int] | None = None  # when a list: characters held after each release

    @property
    def held(self) -> int:
        return len(self._buf) + sum(map(len, self._pending))

    def push(self, text: str) -> str:
        """Add text; return the redacted text that is now safe to release (possibly "")."""
        self.add(text)
        return self.release()

    def add(self, text: str) -> None:
        """Hold ``text`` without scanning; the next ``release()`` or ``finish()`` decides it (so a caller with
        several deltas of one channel in one network chunk scans once for all of them)."""
        if text:
            self._pending.append(text)

    def release(self) -> str:
        """Return the redacted text that is now safe to release (possibly ""); scans at most once."""
        self._join()
        out = self._step(final=False) if self._buf else ""
        if self.held_samples is not None:
            self.held_samples.append(len(self._buf))
        return out

    def finish(self) -> str:
        """Release everything still held (end of this text channel)."""
        self._join()
        return self._step(final=True) if self._buf else ""

    # --- internals ------------------------------------------------------------------------------------------

    def _join(self) -> None:
        if self._pending:
            self._buf += "".join(self._pending)
            self._pending.clear()
        if len(self._buf) > self.max_held_chars:
            self.max_held_chars = len(self._buf)

    def _step(self, final: bool) -> str:
        ctx, buf = self._ctx, self._buf
        off = len(ctx)
        text = ctx + buf
        if self._overlong:
            end = self._overlong_end(text, off, final)
            if end is None:  # the redacted candidate may still go on: hold (bounded), then drop
                if len(buf) > self._max_held:
                    self._advance(buf, len(buf))
                return ""
            self._overlong = False
            self._advance(buf, end - off)
            if not self._buf:
                return ""
            return self._step(final)
        spans = self._r.spans(text)
        if final:
            return self._emit(spans, off, len(buf))
        cut = max(self._r.open_at(text), off)
        for s in spans:
            if s.start < cut < s.end:
                cut = max(s.start, off)
                break
        if len(text) - cut > self._max_held:
            # the held candidate is longer than any detector reaches: redact it whole, never in part
            out = self._emit(spans, off, cut - off)
            raw = self._buf
            self._r.counts[OVERLONG_TYPE] += 1
            self._advance(raw, len(raw))
            self._overlong = True
            return out + f"[{OVERLONG_TYPE}]"
        if cut == off:
            return ""
        return self._emit(spans, off, cut - off)

    def _overlong_end(self, text: str, off: int, final: bool) -> int | None:
        """Where the candidate redacted whole ends in ``text`` (>= ``off``), or None while it may go on."""
        if final:
            i = off
            while i < len(text) and not text[i].isspace():
                i += 1
            return i
        o = self._r.open_at(text)
        return o if o > off else None

    def _emit(self, spans: list[Span], off: int, n: int) -> str:
        """Release ``buf[:n]`` redacted with the ``spans`` (of ctx + buf) that lie in it."""
        if n <= 0:
            return ""
        keep: list[Span] = []
        for s in spans:
            if s.end <= off:
                continue  # decided when it was released
            if s.start >= off + n:
                break
            # a finding that began in already released text: redact what is left of it
            keep.append(s._replace(start=max(s.start, off), end=min(s.end, off + n)))
        raw = self._buf[:n]
        out = self._r.apply(raw, keep, offset=off)
        self._advance(raw, n)
        return out

    def _advance(self, raw: str, n: int) -> None:
        self._ctx = (self._ctx + raw[:n])[-self._context :] if self._context else ""
        self._buf = self._buf[n:]
