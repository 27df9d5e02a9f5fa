"""Streaming text redaction with a bounded hold-back.

Text is released only after it has been scanned together with what follows it: the last ``holdback``
characters and any unfinished word are kept back, and the cut moves left of any finding that reaches
it, so an identifier split across events is never released in part. The released text is the same as
whole-text redaction as long as no finding is longer than the hold-back (detectors bound their reach).
"""

from __future__ import annotations

from sidecar.redaction.errors import BodyTooLarge
from sidecar.redaction.redactor import TextRedactor


class TextStream:
    def __init__(
        self, redactor: TextRedactor, holdback: int, context: int, max_held: int, step: int = 1
    ) -> None:
        self._r = redactor
        self._holdback = holdback
        # scan only once this much text is waiting beyond the hold-back; until the first release every chunk
        # may scan, so the first words go out as soon as the hold-back allows (time to first token)
        self._step = max(1, step)
        self._released = False
        self._context = context
        self._max_held = max_held
        self._ctx = ""  # tail of already released raw text: left context for detectors
        self._buf = ""  # raw text not yet released
        self._pending: list[str] = []  # added but not yet joined into _buf (see add)
        self.max_held_chars = 0  # largest hold-back observed (reported by benchmarks)

    @property
    def held(self) -> int:
        return len(self._buf) + sum(map(len, self._pending))

    def push(self, text: str) -> str:
        """Add text; return the redacted text that is now safe to release (possibly "")."""
        if not text:
            return ""
        self.add(text)
        return self.release()

    def add(self, text: str) -> None:
        """Hold ``text`` without scanning; a later ``release()`` or ``finish()`` decides it. Lets a caller
        that receives many small deltas at once (one Envoy chunk of SSE events) scan once for all of them."""
        if text:
            self._pending.append(text)

    def release(self) -> str:
        """Return the redacted text that is now safe to release (possibly ""), scanning at most once."""
        if self._pending:
            self._buf += "".join(self._pending)
            self._pending.clear()
        buf = self._buf
        n = len(buf)
        if n > self.max_held_chars:
            self.max_held_chars = n
        if n < self._holdback + (self._step if self._released else 1):
            return ""
        cut = n - self._holdback
        # back to the start of the word that straddles the cut
        while cut > 0 and not buf[cut - 1].isspace():
            cut -= 1
        if cut == 0:
            if n > self._max_held:
                raise BodyTooLarge("unbroken text run longer than the hold-back limit")
            return ""
        return self._release(cut, final=False)

    def finish(self) -> str:
        """Release everything still held (end of this text channel)."""
        if self._pending:
            self._buf += "".join(self._pending)
            self._pending.clear()
        if not self._buf:
            return ""
        return self._release(len(self._buf), final=True)

    def _release(self, cut: int, final: bool) -> str:
        ctx, buf = self._ctx, self._buf
        off = len(ctx)
        spans = self._r.spans(ctx + buf)
        keep = []
        for s in spans:
            if s.end <= off:
                continue  # decided when it was released
            if not final and s.end >= off + cut:
                if s.start - off < cut:
                    cut = max(0, s.start - off)
                break
            keep.append(s)
        keep = [s for s in keep if s.end - off <= cut]
        if cut == 0:
            return ""
        released_raw = buf[:cut]
        # a finding that began in already released text: redact what is left of it
        keep = [s._replace(start=max(s.start, off)) for s in keep]
        out = self._r.apply(released_raw, keep, offset=off)
        self._released = True
        self._ctx = (ctx + released_raw)[-self._context :]
        self._buf = buf[cut:]
        return out
