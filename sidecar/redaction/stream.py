"""Streaming text redaction: release what no continuation can turn into part of a finding.

One ``TextStream`` per text channel. Each ``release()`` scans the held text together with a window of already
released text (left context for the detectors) and releases, redacted, the longest prefix that
:meth:`Analyzer.open_at` says no continuation can change, moved left of any current finding that straddles it.
With an ``open_at`` that honours its contract the released text is exactly what whole-text redaction gives.

Bounded reach, fail closed: a held candidate is replaced whole by ``[REDACTED]`` and never released in part
when it is a finding still open at the end of the text that already spans the analyzer's maximum reach (it
could grow past it: a digit run, a word or a whitespace run of thousands of characters), or when more than
``max_held`` characters are held (an ``open_at`` that cannot move on; this bounds memory). Text that continues
it (a finding or an unbroken run that goes on from it) is dropped too.
"""

from __future__ import annotations

import re

from sidecar.redaction.redactor import TextRedactor
from sidecar.redaction.spans import Span, resolve

OVERLONG_TYPE = "REDACTED"  # counted type of a held candidate redacted whole for exceeding max_held


class TextStream:
    def __init__(self, redactor: TextRedactor, reach: int, max_held: int, context: int | None = None) -> None:
        """``reach``: the analyzer's maximum reach (a finding still open at the end that spans it is redacted
        whole); ``max_held``: characters a candidate may be held before it is redacted whole; ``context``:
        released characters kept as left context for the detectors (default ``reach``)."""
        self._r = redactor
        self._reach = reach
        self._context = reach if context is None else context
        self._max_held = max_held
        self._ctx = ""  # tail of already released raw text: left context for detectors
        self._buf = ""  # raw text not yet released
        self._pending: list[str] = []  # added but not yet joined into _buf (see add)
        self._end = 0  # channel offset just past the last added character
        self._hints: list[Span] = []  # findings of single pieces (see add), in channel offsets
        self._overlong = False  # the text at the end of _ctx is a candidate redacted whole
        # channel offset before which nothing can change any more (the last open point this stream computed);
        # None: unknown (seeded context, a candidate redacted whole), the next open_at looks at all of ctx + buf
        self._settled: int | None = 0
        self.max_held_chars = 0  # largest hold observed (reported by benchmarks)
        self.held_samples: list[int] | None = None  # when a list: characters held after each release

    @property
    def context(self) -> str:
        """The tail of the released raw text (left context for what follows)."""
        return self._ctx

    def seed(self, context: str) -> None:
        """Start with ``context`` (released text of a channel this one continues) as left context: a finding
        that continues it is redacted in this channel too."""
        if not self._ctx and not self._buf and not self._pending:
            self._ctx = context[-self._context :] if self._context else ""
            self._settled = None  # a candidate of the earlier channel may go on here

    @property
    def held(self) -> int:
        return len(self._buf) + sum(map(len, self._pending))

    @property
    def held_text(self) -> str:
        """The raw text added but not yet released."""
        return self._buf + "".join(self._pending)

    def redact_held(self, findings: list[Span]) -> None:
        """Also redact ``findings`` (offsets into ``held_text``) when the held text is released: what a reading
        of this channel joined with another one found in it (a channel switch, bodies/events.py)."""
        base = self._end - self.held
        for f in findings:
            self._hints.append(f._replace(start=f.start + base, end=f.end + base))

    def push(self, text: str) -> str:
        """Add text; return the redacted text that is now safe to release (possibly "")."""
        self.add(text)
        return self.release()

    def add(self, text: str, findings: list[Span] | None = None) -> None:
        """Hold ``text`` without scanning; the next ``release()`` or ``finish()`` decides it (so a caller with
        several deltas of one channel in one network chunk scans once for all of them). ``findings`` (offsets
        into ``text``): what scanning this piece on its own found; they are redacted too, so an identifier that
        joining glues to the previous piece (``ok`` + ``John Smith``) is still redacted."""
        if text:
            self._pending.append(text)
            for f in findings or ():
                self._hints.append(f._replace(start=f.start + self._end, end=f.end + self._end))
            self._end += len(text)

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
            if end is None:  # all of it continues the redacted candidate, which may still go on: drop it
                self._advance(buf, len(buf))
                return ""
            self._overlong = False
            self._advance(buf, end - off)
            if not self._buf:
                return ""
            return self._step(final)
        if final:
            return self._emit(self._with_hints(self._r.spans(text), len(text)), off, len(buf))
        base = self._end - len(text)  # channel offset of text[0]
        start = 0 if self._settled is None else max(0, self._settled - base)
        opened = self._r.open_at(text, start) if start else self._r.open_at(text)
        self._settled = base + opened
        cut = max(opened, off)
        if cut == off and len(buf) <= self._max_held:
            return ""  # nothing can be released yet: no need to scan
        spans = self._with_hints(self._r.spans(text), len(text))
        growing = False
        for s in spans:
            if s.start < cut < s.end:
                cut = max(s.start, off)
                growing = s.end == len(text) and s.end - s.start >= self._reach
                break
        if growing or len(text) - cut > self._max_held:
            # the held candidate is longer than any detector reaches: redact it whole, never in part
            out = self._emit(spans, off, cut - off)
            raw = self._buf
            self._r.counts[OVERLONG_TYPE] += 1
            # a candidate ending in a whitespace run continues no unbroken run; the view reads a run of any
            # length as one blank or line break, so a finding that goes on past it (``jane.doe`` + 600 line
            # breaks + ``@example.org``) is read through the context, kept with the run cut short
            self._advance(raw, len(raw), short_padding=True)
            self._overlong = not raw[-1:].isspace()
            self._settled = None
            return out + f"[{OVERLONG_TYPE}]"
        if cut == off:
            return ""
        return self._emit(spans, off, cut - off)

    def _with_hints(self, spans: list[Span], n: int) -> list[Span]:
        """``spans`` of ctx + buf merged with the piece findings that lie in it."""
        if not self._hints:
            return spans
        base = self._end - n  # channel offset of ctx + buf
        self._hints = [h for h in self._hints if h.end > base]
        local = [h._replace(start=max(h.start - base, 0), end=h.end - base) for h in self._hints]
        return resolve(spans + local)

    def _overlong_end(self, text: str, off: int, final: bool) -> int | None:
        """Where the candidate redacted whole (ending at ``off``) ends in ``text``, or None while it may go on:
        the end of the unbroken run of non-space characters after it, or of a finding that continues it, and of
        the run after that (a finding inside a base64 payload's run does not end the payload)."""
        i = off
        for s in self._r.spans(text):
            if s.start < off < s.end:
                if s.end == len(text) and not final:
                    return None
                i = s.end
                break
            if s.start >= off:
                break
        while i < len(text) and not text[i].isspace():
            i += 1
        return None if i == len(text) and not final else i

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

    def _advance(self, raw: str, n: int, short_padding: bool = False) -> None:
        ctx = self._ctx + raw[:n]
        if short_padding:
            ctx = _short_padding(ctx)
        self._ctx = ctx[-self._context :] if self._context else ""
        self._buf = self._buf[n:]


_PADDING = re.compile(r"\s{6,}")


def _short_padding(ctx: str) -> str:
    """``ctx`` with each whitespace run longer than 5 characters cut to 5 (a line break kept): the normalised view
    reads both as one blank (or line break; one more than its shortest run, should a piece before the run take
    its first character), so the text around a long run stays within the context."""
    return _PADDING.sub(lambda m: "\n    " if "\n" in m.group() else "     ", ctx)
