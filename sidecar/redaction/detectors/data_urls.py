"""Base64 ``data:`` URLs inside text (a streamed answer, a text body): the text they carry is scanned too. A URL
whose payload decodes to text (``bodies.payloads``: UTF-8, the declared charset, UTF-16/32) with a finding of any
detector is one finding, the whole URL, of each type found inside. Binary payloads (images) are no finding. A
document payload that cannot be read (``bodies.documents``) is a finding of every type. In a stream the URL is held
from ``data:`` until its payload ends; one longer than the stream's hold limit is redacted whole (``TextStream``),
never released in part: its first characters decode to the first characters of what it carries. Whole JSON strings
are read by the JSON walker the same way (``json_walk``).

Two more carriers a client decodes are read the same way: MIME encoded words (RFC 2047, ``=?UTF-8?B?...?=`` in
base64 or ``=?utf-8?Q?SSN_478=2D21...?=`` in quoted-printable, any charset Python knows), and a run of hex digits
(16 to 320, an even number) whose bytes are text (``53534e20...``); a hash or a key is bytes, no text."""

from __future__ import annotations

import binascii
import quopri
import re
from collections.abc import Iterable
from typing import Protocol

from sidecar.redaction.bodies.documents import UnreadablePayload
from sidecar.redaction.bodies.payloads import b64_bytes, bytes_text, data_url_text
from sidecar.redaction.detectors.base import OpenScanner
from sidecar.redaction.profiles import ALL_TYPES
from sidecar.redaction.spans import Span

_PAYLOAD = r"(?:[A-Za-z0-9+/_-]|%[0-9A-Fa-f]{2})"
_URL = re.compile(
    r"(?<![A-Za-z0-9])(?i:data):[\w.+-]*/?[\w.+-]*(?P<params>(?:;[\w.+-]+=?[\w.+-]*)*);(?i:base64),"
    rf"(?P<b64>{_PAYLOAD}{{4,}}(?:=|%3[Dd]){{0,2}})"
)
# (both bounded well under a stream's hold limit: a longer run is no candidate, so it is never held whole)
_ENCODED_WORD = re.compile(r"=\?(?P<cs>[\w.:-]{1,40})(?:\*[\w-]{1,20})?\?(?P<enc>[BbQq])\?(?P<data>[^?\s]{1,256})\?=")
# encoded words separated only by whitespace are shown joined (RFC 2047 section 6.2): read as one text
_WORD = r"=\?[\w.:-]{1,40}(?:\*[\w-]{1,20})?\?[BbQq]\?[^?\s]{1,256}\?="  # _ENCODED_WORD without its groups
_WORD_RUN = re.compile(rf"{_WORD}(?:[ \t\r\n]{{1,4}}{_WORD}){{0,7}}")
_HEX_RUN = re.compile(r"(?<![0-9A-Za-z])(?:[0-9A-Fa-f]{2}){8,160}(?![0-9A-Za-z])")
_HEX_HINT = re.compile(r"[0-9A-Fa-f]{16}")
_LOOK_BACK = 4096  # a URL open longer than this is held by the stream's limit anyway (and redacted whole)


class _Scan(Protocol):
    def __call__(self, text: str) -> Iterable[Span]: ...


class DataUrlDetector:
    name = "data_urls"
    reach = 200  # its own candidates are held by open_at, however long (the stream's hold limit redacts them)

    def __init__(self) -> None:
        self._scan: _Scan | None = None
        self._open = OpenScanner([_URL], unbounded_reach=_LOOK_BACK)

    def bind(self, scan: _Scan) -> None:
        """``scan``: every finding (any type) of the analyzer's detectors in a text (``Analyzer`` binds it)."""
        self._scan = scan

    def detect(self, text: str) -> Iterable[Span]:
        if self._scan is None or "data:" not in text.lower():  # 30x cheaper than a case-blind regex search
            return []
        out: list[Span] = []
        for m in _URL.finditer(text):
            try:
                inner = data_url_text(m.group("params"), m.group("b64"))
            except UnreadablePayload:  # a document that cannot be read (or not yet, in a stream): redacted whole
                out.extend(Span(m.start(), m.end(), t, 0.9) for t in sorted(ALL_TYPES))
                continue
            if not inner:
                continue
            for t in sorted({s.type for s in self._scan(inner)}):
                out.append(Span(m.start(), m.end(), t, 0.9))
        return out

    def open_at(self, text: str, start: int = 0) -> int:
        """A URL (or the head of one) that runs to the end of ``text`` may go on: it is open from ``data:``."""
        return self._open.open_at(text, start)


class CarriedTextDetector:
    """MIME encoded words and hex text (see the module docstring), read like ``DataUrlDetector`` reads a URL. It
    declares every type (it may find any), so a profile that redacts nothing does not hold what could become
    one (a stream's trailing digits are the start of a hex run)."""

    name = "carried_text"
    types = ALL_TYPES
    reach = 200

    def __init__(self) -> None:
        self._scan: _Scan | None = None
        self._open = OpenScanner([_WORD_RUN, _HEX_RUN])

    def bind(self, scan: _Scan) -> None:
        self._scan = scan

    def detect(self, text: str) -> Iterable[Span]:
        """The encoded words and hex runs of ``text`` whose text holds a finding: each whole, per type found."""
        if self._scan is None:
            return []
        out: list[Span] = []
        words = _WORD_RUN.finditer(text) if "=?" in text else ()
        hexes = _HEX_RUN.finditer(text) if _HEX_HINT.search(text) else ()
        for m, inner in [*((m, _word_text(m)) for m in words), *((m, _hex_text(m.group())) for m in hexes)]:
            if inner:
                out.extend(Span(m.start(), m.end(), t, 0.9) for t in sorted({s.type for s in self._scan(inner)}))
        return out

    def open_at(self, text: str, start: int = 0) -> int:
        """An encoded word or a hex run that reaches the end of ``text`` may go on."""
        return self._open.open_at(text, start)


def _word_text(run: re.Match[str]) -> str | None:
    """The text of a run of RFC 2047 encoded words, joined (None: one is not decodable, or not text)."""
    parts = []
    for m in _ENCODED_WORD.finditer(run.group()):
        part = _one_word(m)
        if part is None:
            return None
        parts.append(part)
    return "".join(parts)


def _one_word(m: re.Match[str]) -> str | None:
    """The text of one encoded word (None: not decodable, or not text)."""
    data = m.group("data")
    if m.group("enc") in "Bb":
        raw = b64_bytes(data)
    else:
        try:
            raw = quopri.decodestring(data.replace("_", " ").encode("ascii"), header=False)
        except (ValueError, UnicodeEncodeError):
            return None
    return None if raw is None else bytes_text(raw, m.group("cs"))


def _hex_text(run: str) -> str | None:
    """The text a run of hex digits encodes (None: its bytes are no text)."""
    try:
        return bytes_text(binascii.unhexlify(run))
    except (binascii.Error, ValueError):
        return None
