"""Base64 payloads read as the text they are, whatever they are labelled.

A ``data:`` URL or a bare base64 value (Gemini ``inlineData.data``, Anthropic ``source.data``, OpenAI ``file_data``
/ ``input_audio.data``, Ollama ``images``) whose bytes are text is scanned as that text: UTF-8, the charset the URL
declares (``;charset=utf-16``, ``iso-8859-1``), or UTF-16/32 told by its byte-order mark or by its zero bytes. A
label is no proof: text sent as ``image/png`` or ``audio/wav`` is still read, and so is the text of a compressed
stream, an archive or a PDF (``documents``). Bytes that are no text (an image, audio, a signature) are not
text here; a value of ``MIN_OPAQUE_CHARS`` or more that holds them passes as written, like a data: URL's binary
payload (its characters are no text a reader reads, and scanning an image's base64 as prose cost about 2 CPU-seconds
per 128 KB).
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from urllib.parse import unquote

from sidecar.redaction.bodies.charset import text_codec
from sidecar.redaction.bodies.documents import opened_text
from sidecar.redaction.errors import UnsupportedCharset

# a whole value of the base64 alphabet (standard or URL-safe; MIME line breaks allowed), long enough to hold an
# identifier: shorter values are words and ids, scanned as text anyway
MIN_BARE_CHARS = 16
MIN_OPAQUE_CHARS = 256  # a binary payload this long is no id (ids are scanned as tokens, whatever they hold)
_BARE = re.compile(rf"[A-Za-z0-9+/_\-\r\n]{{{MIN_BARE_CHARS},}}={{0,2}}")
_CHARSET = re.compile(r";\s*charset=\"?([\w.:-]+)", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def b64_bytes(payload: str) -> bytes | None:
    """The bytes of a base64 payload (either alphabet, padding optional), or None when it is not base64."""
    payload = payload.replace("\r", "").replace("\n", "")
    alt = b"-_" if "-" in payload or "_" in payload else None
    try:
        return base64.b64decode(payload + "=" * (-len(payload) % 4), altchars=alt, validate=True)
    except (ValueError, binascii.Error):
        return None


def declared_charset(params: str) -> str | None:
    """The ``charset`` parameter of a data: URL's media type and parameters (``text/plain;charset=utf-16``)."""
    m = _CHARSET.search(params)
    return m.group(1) if m else None


def _codec(raw: bytes, charset: str | None) -> str:
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name
    if charset:
        try:
            return text_codec(charset)
        except UnsupportedCharset:
            pass  # an unknown label: read the bytes for what they are
    if len(raw) >= 4 and len(raw) % 2 == 0 and raw.count(0) * 3 >= len(raw):  # UTF-16 without a BOM
        return "utf-16-le" if raw[1::2].count(0) > raw[::2].count(0) else "utf-16-be"
    return "utf-8"


def bytes_text(raw: bytes, charset: str | None = None) -> str | None:
    """The text ``raw`` is (see the module docstring), or the text it opens to when it is a compressed stream,
    an archive or a PDF (``documents``), or None when it is neither."""
    text = _plain_text(raw, charset)
    return opened_text(raw, _plain_text) if text is None else text


def _plain_text(raw: bytes, charset: str | None = None) -> str | None:
    """The printable text ``raw`` is, or None."""
    try:
        text = raw.decode(_codec(raw, charset))
    except (UnicodeDecodeError, LookupError):
        return None
    text = text.lstrip("\ufeff")
    if not all(c.isprintable() or c in "\r\n\t" for c in text):
        return None
    return text


def data_url_bytes(payload: str) -> bytes | None:
    """The bytes of a base64 ``data:`` URL's payload (percent-encoded or not), or None when it is not base64."""
    return b64_bytes(unquote(payload))


def data_url_text(params: str, payload: str) -> str | None:
    """The text a base64 ``data:`` URL carries (``params``: its media type parameters; ``payload``: its base64,
    percent-encoded or not), or None when the payload is not base64 or not text."""
    raw = data_url_bytes(payload)
    return None if raw is None else bytes_text(raw, declared_charset(params))


def bare_bytes(value: str) -> bytes | None:
    """The bytes of a bare base64 value, or None when the value is not one (too short, other characters)."""
    if len(value) < MIN_BARE_CHARS or not _BARE.fullmatch(value):
        return None
    return b64_bytes(value.rstrip("=")) or None


def payload_of(raw: bytes) -> str | bytes:
    """What decoded base64 bytes hold: their text (``str``), or the bytes themselves when they are no text."""
    text = bytes_text(raw)
    return raw if text is None else text


def read_bare(value: str) -> str | bytes | None:
    """What a bare base64 value holds: its text (``str``), its bytes when they are no text, or None when the
    value is not base64."""
    raw = bare_bytes(value)
    return None if raw is None else payload_of(raw)


def bare_text(value: str) -> str | None:
    """The text a bare base64 value holds, or None (not base64, or not text)."""
    payload = read_bare(value)
    return payload if isinstance(payload, str) else None
