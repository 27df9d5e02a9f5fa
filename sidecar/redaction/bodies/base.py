"""The body processor contract the ext_proc wiring drives, and the shared decode/size plumbing."""

from __future__ import annotations

import codecs
from abc import ABC, abstractmethod
from collections.abc import Callable

from sidecar.redaction.bodies.decode import Decoder
from sidecar.redaction.errors import BodyParseError, BodyTooLarge, ProcessorClosed, RedactionError
from sidecar.redaction.redactor import TextRedactor
from sidecar.redaction.scan_budget import ScanBudget


class BodyProcessor(ABC):
    """``feed(chunk)`` returns the bytes safe to release now; ``finish()`` the rest at end of stream.
    Any failure raises :class:`RedactionError` and poisons the processor: the wiring withholds the body."""

    streaming: bool = False

    def __init__(self, redactor: TextRedactor, decoder: Decoder, max_buffered: int) -> None:
        self._redactor = redactor
        self._decoder = decoder
        self._max = max_buffered
        self._text_decoder: codecs.IncrementalDecoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
        self._charset = "utf-8"
        self._failed = False
        self._done = False
        self.max_held_chars = 0
        self.content_type = ""  # the content-type header value for the output (set by the engine)
        # CPU budget of each feed/finish (set by the engine): a scan over it raises ScanBudgetExceeded
        self.budget: ScanBudget | None = None
        self._seen = 0  # characters of decoded text so far: what a scan of this body may read

    def decode_with(self, codec: str) -> None:
        """Decode the body with ``codec`` (a Python text codec name, see ``charset.text_codec``) instead of
        UTF-8; the output is always UTF-8. Call before the first ``feed``."""
        self._text_decoder = codecs.getincrementaldecoder(codec)("strict")
        self._charset = codec

    @property
    def summary(self) -> dict[str, int]:
        """Counts of redactions by type so far (never values)."""
        return dict(self._redactor.counts)

    def feed(self, chunk: bytes) -> bytes:
        return self._guard(lambda: self._text(self._decoder.feed(chunk), final=False))

    def finish(self) -> bytes:
        return self._guard(lambda: self._text(self._decoder.finish(), final=True))

    def _guard(self, fn: Callable[[], bytes]) -> bytes:
        if self._failed or self._done:
            raise ProcessorClosed("processor already failed or finished")
        try:
            out = self.budget.run(fn) if self.budget is not None else fn()
        except RedactionError:  # ScanBudgetExceeded too
            self._failed = True
            raise
        except (UnicodeDecodeError, UnicodeError):
            self._failed = True
            raise BodyParseError(f"body is not valid {self._charset}") from None
        except RecursionError:
            self._failed = True
            raise BodyParseError("body nests too deeply") from None
        except Exception as exc:  # noqa: BLE001 - anything unexpected withholds the body too
            self._failed = True
            raise RedactionError(f"internal redaction error: {type(exc).__name__}") from None
        return out

    def _text(self, data: bytes, final: bool) -> bytes:
        text = self._text_decoder.decode(data, final=final)
        self._seen += len(text)
        if self.budget is not None:
            self.budget.allow(self._seen)
        out = self.process(text, final)
        if final:
            self._done = True
        return out.encode("utf-8")

    def _check_size(self, n: int) -> None:
        if n > self._max:
            raise BodyTooLarge("body exceeds max_buffered_body_bytes")

    @abstractmethod
    def process(self, text: str, final: bool) -> str:
        """Decoded text in, releasable text out."""
