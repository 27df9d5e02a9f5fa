"""The body's charset: parsed from the content type, mapped to a Python text codec, or refused.

A body is decoded with its declared charset and always released as UTF-8 (the wiring rewrites the
content-type's charset); an unknown charset, or a codec that is not a text charset (``rot13``, ``base64``,
``zlib``...), is refused so the body is withheld."""

from __future__ import annotations

import codecs
import functools
from email.message import Message

from sidecar.redaction.errors import UnsupportedCharset

# A content type parsed once per distinct value (answers of one upstream repeat theirs); longer values (rare) are
# parsed on every call so the memo stays small.
MEMO_MAX_CHARS = 128


def media_type(content_type: str) -> tuple[str, str | None]:
    """``(type/subtype lower-cased, charset parameter or None)`` of a content-type header value."""
    if len(content_type) <= MEMO_MAX_CHARS:
        return _memo_media_type(content_type)
    return _parse_media_type(content_type)


def _parse_media_type(content_type: str) -> tuple[str, str | None]:
    msg = Message()
    msg["content-type"] = content_type
    charset = msg.get_param("charset")
    if isinstance(charset, tuple):  # RFC 2231 form
        charset = charset[2]
    mt = content_type.split(";", 1)[0].strip().lower()
    return mt, (str(charset).strip() if charset is not None else None)


_memo_media_type = functools.lru_cache(maxsize=256)(_parse_media_type)


def text_codec(charset: str | None) -> str:
    """The Python codec that decodes ``charset`` ("utf-8-sig" for UTF-8 or none: a UTF-8 BOM is dropped).
    Raises :class:`UnsupportedCharset` for unknown or non-text codecs."""
    if charset is None or not charset:
        return "utf-8-sig"
    try:
        info = codecs.lookup(charset)
    except LookupError:
        raise UnsupportedCharset("unknown charset") from None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        raise UnsupportedCharset("charset is not a text encoding") from None
    return "utf-8-sig" if info.name == "utf-8" else info.name


# text codecs of Python that are escapes or transforms, not charsets a server may declare
_NOT_CHARSETS = frozenset({"unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined", "mbcs", "oem"})
