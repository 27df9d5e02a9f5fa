"""The text an image or audio file carries beside its pixels or samples: what a viewer shows as its properties.

PNG text chunks (``tEXt``, ``zTXt``, ``iTXt``) and ``eXIf``; JPEG comments, EXIF, XMP and IPTC segments (colour
profiles and vendor segments hold no text a viewer shows); RIFF (WebP, WAV, AVI) chunks other than the media data
(``EXIF``, ``XMP``, ``LIST``/``INFO``); an MP3's ID3 tag; a GIF's comment blocks. :func:`metadata_text` returns that
text (binary fields read as their runs of printable characters, as ``strings`` would), or None when ``raw`` is no
such file or carries none. The pixels and samples are not read (no OCR, no speech recognition). Parsing never goes
past the bytes given and stops at the first malformed structure, keeping what came before it.
"""

from __future__ import annotations

import contextlib
import re
import struct
import zlib
from collections.abc import Iterator

from sidecar.redaction.bodies.xml_text import xml_text

_PRINTABLE = re.compile(rb"[\x20-\x7e\t]{4,}")
_MAX_INFLATED = 1 << 20  # one compressed PNG text chunk
_MAX_IFDS = 8
_EXIF_DATE = re.compile(r"\b(\d{4}):(\d{2}):(\d{2})\b")  # EXIF writes dates 2024:03:15: read as 2024-03-15
# EXIF fields naming the device and the program (Make, Model, Software, HostComputer, LensMake, LensModel): no
# person's words, and product names read as names ("Canon", "Macintosh"). Serial numbers and owner names are read.
_DEVICE_TAGS = {0x010F, 0x0110, 0x0131, 0x013C, 0xA433, 0xA434}
_ATTR = re.compile(r'([\w:.-]+)\s*=\s*"([^"]*)"')
_XMP = b"http://ns.adobe.com/xap/1.0/\0"
_RIFF_MEDIA = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP", b"fmt ", b"data", b"idx1", b"movi"}


def _runs(data: bytes) -> str:
    return "\n".join(m.group().decode("ascii") for m in _PRINTABLE.finditer(data))


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(data, _MAX_INFLATED)
    except zlib.error:
        return b""


def _png(raw: bytes) -> Iterator[str]:
    pos = 8
    while pos + 8 <= len(raw):
        (size,), kind = struct.unpack(">I", raw[pos : pos + 4]), raw[pos + 4 : pos + 8]
        data = raw[pos + 8 : pos + 8 + size]
        pos += 12 + size
        if kind == b"tEXt":
            yield data.replace(b"\0", b": ", 1).decode("latin-1")
        elif kind == b"zTXt":
            key, _, rest = data.partition(b"\0")
            yield key.decode("latin-1") + ": " + _inflate(rest[1:]).decode("latin-1")
        elif kind == b"iTXt":
            key, _, rest = data.partition(b"\0")
            compressed, rest = rest[:1] == b"\1", rest[2:]
            lang, _, rest = rest.partition(b"\0")
            translated, _, text = rest.partition(b"\0")
            body = _inflate(text) if compressed else text
            yield " ".join(p.decode("utf-8", "replace") for p in (key, lang, translated, body) if p)
        elif kind == b"eXIf":
            yield from _exif(data)
        elif kind == b"IEND":
            return


def _jpeg(raw: bytes) -> Iterator[str]:
    pos = 2
    while pos + 4 <= len(raw) and raw[pos] == 0xFF:
        marker = raw[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if 0xD0 <= marker <= 0xD8 or marker == 0x01:  # no length
            pos += 2
            continue
        if marker in (0xDA, 0xD9):  # start of scan (pixels follow), end of image
            return
        (size,) = struct.unpack(">H", raw[pos + 2 : pos + 4])
        data = raw[pos + 4 : pos + 2 + size]
        pos += 2 + size
        if marker == 0xFE:  # comment
            yield data.decode("utf-8", "replace")
        elif marker == 0xE1 and data.startswith(b"Exif\0"):
            yield from _exif(data[6:])
        elif marker == 0xE1 and data.startswith(_XMP):
            yield _xmp(data[len(_XMP) :])
        elif marker == 0xED:  # APP13: Photoshop resources holding IPTC datasets
            yield from _iptc(data)


def _tiff_value(tiff: bytes, order: str, kind: int, count: int, field: bytes) -> str:
    size = count * {1: 1, 2: 1, 7: 1}.get(kind, 0)
    if not size:
        return ""
    if size > 4:
        (offset,) = struct.unpack(order + "I", field)
        data = tiff[offset : offset + size]
    else:
        data = field[:size]
    if kind == 1 and data.count(0) * 3 >= len(data):  # Windows XP* tags: UCS-2 in BYTE fields
        return data.decode("utf-16-le", "replace").replace("\0", " ")
    if kind == 7:
        return _runs(data)
    return _EXIF_DATE.sub(r"\1-\2-\3", data.rstrip(b"\0").decode("latin-1"))


def _exif(tiff: bytes) -> Iterator[str]:
    """The text fields (ASCII, comments, XP tags) of a TIFF/EXIF block: IFD0, its EXIF sub-IFD, and IFD1."""
    order = "<" if tiff[:2] == b"II" else ">"
    todo = [struct.unpack(order + "I", tiff[4:8])[0]]
    seen: set[int] = set()
    while todo and len(seen) < _MAX_IFDS:
        ifd = todo.pop()
        if ifd in seen or not 8 <= ifd < len(tiff):
            continue
        seen.add(ifd)
        (n,) = struct.unpack(order + "H", tiff[ifd : ifd + 2])
        for i in range(min(n, 512)):
            tag, kind, count = struct.unpack(order + "HHI", tiff[ifd + 2 + 12 * i : ifd + 10 + 12 * i])
            field = tiff[ifd + 10 + 12 * i : ifd + 14 + 12 * i]
            if tag in (0x8769, 0xA005):  # EXIF, interoperability sub-IFDs
                todo.append(struct.unpack(order + "I", field)[0])
            elif kind in (1, 2, 7) and tag not in _DEVICE_TAGS:
                yield _tiff_value(tiff, order, kind, count, field)
        nxt = tiff[ifd + 2 + 12 * n : ifd + 6 + 12 * n]
        if len(nxt) == 4:
            todo.append(struct.unpack(order + "I", nxt)[0])


def _iptc(data: bytes) -> Iterator[str]:
    """IPTC-IIM datasets (``0x1C``, record, dataset, a 2-byte length, the value) of an APP13 segment."""
    pos = data.find(b"\x1c\x02")
    while pos >= 0 and pos + 5 <= len(data) and data[pos] == 0x1C:
        (size,) = struct.unpack(">H", data[pos + 3 : pos + 5])
        if data[pos + 2] != 0:  # dataset 0 is the record version (a number)
            yield data[pos + 5 : pos + 5 + size].decode("utf-8", "replace")
        pos += 5 + size


def _riff(raw: bytes) -> Iterator[str]:
    pos = 12
    while pos + 8 <= len(raw):
        kind, (size,) = raw[pos : pos + 4], struct.unpack("<I", raw[pos + 4 : pos + 8])
        data = raw[pos + 8 : pos + 8 + size]
        pos += 8 + size + (size & 1)
        if kind == b"LIST" and data[:4] == b"INFO":
            yield from _riff_info(data[4:])
        elif kind == b"EXIF":
            yield from _exif(data[6:] if data.startswith(b"Exif\0") else data)
        elif kind == b"XMP ":
            yield _xmp(data)
        elif kind not in _RIFF_MEDIA:
            yield _runs(data)


def _xmp(data: bytes) -> str:
    """An XMP packet's element text and attribute values (XMP writes most properties as attributes)."""
    xml = data.decode("utf-8", "replace")
    values = [v for k, v in _ATTR.findall(xml) if not k.startswith("xmlns")]
    return "\n".join([xml_text(xml), *values])


def _riff_info(data: bytes) -> Iterator[str]:
    pos = 0
    while pos + 8 <= len(data):
        (size,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        yield data[pos + 8 : pos + 8 + size].rstrip(b"\0").decode("latin-1")
        pos += 8 + size + (size & 1)


def _syncsafe(b: bytes) -> int:
    size = 0
    for byte in b:  # 7 bits a byte
        size = size << 7 | (byte & 0x7F)
    return size


_ID3_CODECS = ("latin-1", "utf-16", "utf-16-be", "utf-8")


def _id3(raw: bytes) -> Iterator[str]:
    """ID3v2.3/2.4 frames: a 4-character id, a size, two flag bytes; text frames start with an encoding byte."""
    end = min(len(raw), 10 + _syncsafe(raw[6:10]))
    pos = 10
    while pos + 10 <= end and raw[pos : pos + 1].isalnum():
        fid, body = raw[pos : pos + 4], raw[pos + 4 : pos + 8]
        size = _syncsafe(body) if raw[3] == 4 else struct.unpack(">I", body)[0]
        data = raw[pos + 10 : pos + 10 + size]
        pos += 10 + size
        if fid[:1] in (b"T", b"W", b"C", b"U") and data:  # text, URL, comment, lyrics
            codec = _ID3_CODECS[data[0]] if data[0] < 4 else "latin-1"
            text = data[4:] if fid in (b"COMM", b"USLT") else data[1:]  # after the language code
            yield text.decode(codec, "replace").replace("\0", " ")
        else:
            yield _runs(data)


def _gif(raw: bytes) -> Iterator[str]:
    pos = raw.find(b"\x21\xfe")
    while pos != -1:  # comment extension: sub-blocks of at most 255 bytes, ended by a zero-length block
        pos += 2
        parts = []
        while pos < len(raw) and raw[pos]:
            parts.append(raw[pos + 1 : pos + 1 + raw[pos]])
            pos += 1 + raw[pos]
        yield b"".join(parts).decode("latin-1")
        pos = raw.find(b"\x21\xfe", pos)


def metadata_text(raw: bytes) -> str | None:
    """The metadata text of an image or audio file (see the module docstring), or None."""
    if raw.startswith(b"\x89PNG\r\n\x1a\n"):
        parts = _png(raw)
    elif raw.startswith(b"\xff\xd8\xff"):
        parts = _jpeg(raw)
    elif raw.startswith(b"RIFF") and len(raw) >= 12:
        parts = _riff(raw)
    elif raw.startswith(b"ID3") and len(raw) >= 10:
        parts = _id3(raw)
    elif raw.startswith((b"GIF87a", b"GIF89a")):
        parts = _gif(raw)
    else:
        return None
    texts: list[str] = []
    with contextlib.suppress(struct.error, IndexError):  # a structure cut short: keep what came before it
        texts.extend(parts)
    text = "\n".join(t for t in texts if t.strip())
    return text or None
