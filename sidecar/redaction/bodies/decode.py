"""Incremental decompression of Content-Encoding (gzip, deflate, br); unknown encodings are refused."""

from __future__ import annotations

import zlib
from typing import Protocol

import brotli

from sidecar.redaction.errors import BodyTooLarge, DecompressionError, UnsupportedEncoding


class _Stage(Protocol):
    def feed(self, data: bytes) -> bytes: ...
    def finish(self) -> bytes: ...


class _Zlib:
    def __init__(self, wbits: int, raw_fallback: bool) -> None:
        self._wbits = wbits
        self._d = zlib.decompressobj(wbits)
        self._raw_fallback = raw_fallback  # "deflate" is zlib-wrapped by the RFC, raw by some servers
        self._started = False
        self._fed = False

    def feed(self, data: bytes) -> bytes:
        self._fed = self._fed or bool(data)
        try:
            if not self._started and self._raw_fallback and data:
                self._started = True
                if (data[0] & 0x0F) != 8:
                    self._d = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._d.decompress(data)
            while self._d.eof and self._d.unused_data:
                # bytes after the end of the stream: a gzip body may hold several members (RFC 1952, a client's
                # gunzip reads them all); after a deflate stream they are no part of the body, which is refused
                if self._raw_fallback:
                    raise DecompressionError("data after the end of the compressed body")
                rest = self._d.unused_data
                self._d = zlib.decompressobj(self._wbits)
                out += self._d.decompress(rest)
            return out
        except zlib.error:
            raise DecompressionError("invalid compressed body") from None

    def finish(self) -> bytes:
        try:
            out = self._d.flush()
        except zlib.error:
            raise DecompressionError("invalid compressed body") from None
        if self._fed and not self._d.eof:
            raise DecompressionError("truncated compressed body")
        return out


class _Brotli:
    def __init__(self) -> None:
        self._d = brotli.Decompressor()

    def feed(self, data: bytes) -> bytes:
        try:
            return self._d.process(data) if data else b""
        except brotli.error:
            raise DecompressionError("invalid compressed body") from None

    def finish(self) -> bytes:
        if not self._d.is_finished():
            raise DecompressionError("truncated compressed body")
        return b""


def _stage(name: str) -> _Stage:
    if name in ("gzip", "x-gzip"):
        return _Zlib(16 + zlib.MAX_WBITS, raw_fallback=False)
    if name == "deflate":
        return _Zlib(zlib.MAX_WBITS, raw_fallback=True)
    if name == "br":
        return _Brotli()
    raise UnsupportedEncoding(f"unsupported content-encoding {name[:32]!r}")


class Decoder:
    """Undo every listed encoding (applied in order, so removed in reverse). Output per feed is bounded."""

    def __init__(self, content_encoding: str, max_output: int) -> None:
        names = [n.strip().lower() for n in content_encoding.split(",") if n.strip()]
        self._stages = [_stage(n) for n in reversed(names) if n != "identity"]
        self._max = max_output
        self._total = 0

    @property
    def active(self) -> bool:
        return bool(self._stages)

    def feed(self, data: bytes) -> bytes:
        for st in self._stages:
            data = st.feed(data)
        return self._count(data)

    def finish(self) -> bytes:
        out = b""
        for i, st in enumerate(self._stages):
            data = st.feed(out) if i else b""
            out = data + st.finish()
        return self._count(out)

    def _count(self, data: bytes) -> bytes:
        self._total += len(data)
        if self._stages and len(data) > self._max:
            raise BodyTooLarge("decompressed chunk exceeds the body limit")
        return data
