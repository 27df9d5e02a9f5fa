"""Binary payloads that are text one step away: compressed streams, archives and PDF documents.

A base64 payload (a ``data:`` URL, a bare value under a media key) whose bytes are no text may still be text that
a client reads after one step: gunzip (gzip, zlib, bzip2, xz), unzip (zip and the formats built on it: DOCX, XLSX,
PPTX, ODT, EPUB) or a PDF reader. :func:`opened_text` returns that text, so that it is scanned like any other
payload; so is the metadata an image or audio file carries (``media_metadata``: EXIF, XMP, PNG text chunks, ID3).
Bytes of no such format (signatures, encrypted reasoning) and media without metadata text give None and pass.

Bounds, failing closed: a container that opens to more than ``MAX_OPENED_BYTES``, holds more than ``MAX_ENTRIES``
members or nests deeper than ``MAX_DEPTH`` cannot be read whole, and a PDF that cannot be parsed or decrypted
cannot be read at all: both raise :class:`UnreadablePayload` and the body is withheld. A corrupt compressed
stream is read as far as it decompresses (what a client reads too); random bytes that only begin like a gzip or
zlib header decompress to nothing and pass.
"""

from __future__ import annotations

import bz2
import io
import logging
import lzma
import re
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import Protocol

from sidecar.redaction.bodies.media_metadata import metadata_text
from sidecar.redaction.bodies.xml_text import xml_text
from sidecar.redaction.errors import RedactionError

MAX_OPENED_BYTES = 8 << 20  # every member and stream opened from one payload, together
MAX_ENTRIES = 256
MAX_DEPTH = 3  # an archive in an archive in a compressed stream
MAX_PDF_PAGES = 500
_STEP = 1 << 14  # compressed input fed per call, so a corrupt tail keeps what came before it

logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its warnings may quote the document


class UnreadablePayload(RedactionError):
    """A payload is a document or archive whose text cannot be read within the bounds: the body is withheld."""

    code = "unreadable_payload"


class UnreadMedia(UnreadablePayload):
    """A minimised prompt carries media whose content is not read (``RedactionSettings.request_media``)."""

    code = "unreadable_media"


def unread_media(raw: bytes) -> bool:
    """``raw`` is an image, audio or video (by its bytes), or a PDF without a text layer: content not read here."""
    if raw.startswith(_MEDIA) or raw[4:8] == b"ftyp":
        return True
    if kind_of(raw) != "pdf":
        return False
    _, pages, _ = _pdf_texts(raw, _Budget())
    return not "".join(pages).strip()


class _Decompressor(Protocol):
    def decompress(self, data: bytes, max_length: int = ..., /) -> bytes: ...


Plain = Callable[[bytes], "str | None"]  # bytes as text when they are text (``payloads``), else None


def _decompressor(kind: str) -> _Decompressor:
    if kind == "gzip":
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if kind == "zlib":
        return zlib.decompressobj()
    if kind == "bzip2":
        return bz2.BZ2Decompressor()
    return lzma.LZMADecompressor()


def kind_of(raw: bytes) -> str | None:
    """The container format ``raw`` begins with, or None."""
    if raw.startswith(b"\x1f\x8b\x08"):
        return "gzip"
    if len(raw) > 2 and raw[0] == 0x78 and (raw[0] << 8 | raw[1]) % 31 == 0:
        return "zlib"
    if raw.startswith(b"BZh") and raw[3:4].isdigit():
        return "bzip2"
    if raw.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if raw.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if b"%PDF-" in raw[:1024]:  # readers accept bytes before the header
        return "pdf"
    return None


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_OPENED_BYTES

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise UnreadablePayload("payload opens to more than the scan limit")


def _decompress(kind: str, raw: bytes, budget: _Budget) -> bytes:
    """What a client reads from a compressed stream: every member, up to the first corrupt byte."""
    out: list[bytes] = []
    d = _decompressor(kind)
    rest = raw
    while rest:
        piece, rest = rest[:_STEP], rest[_STEP:]
        try:
            got = d.decompress(piece, budget.left + 1)
        except (zlib.error, OSError, EOFError, lzma.LZMAError, ValueError):
            break
        budget.take(len(got))
        out.append(got)
        unused = getattr(d, "unused_data", b"")
        if getattr(d, "eof", False):
            rest = unused + rest
            if kind_of(rest) != kind:  # another member of the same format follows, or nothing does
                break
            d = _decompressor(kind)
    return b"".join(out)


def _zip_members(raw: bytes, budget: _Budget) -> Iterator[bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadablePayload("archive cannot be opened") from exc
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > MAX_ENTRIES:
        raise UnreadablePayload("archive holds too many members")
    for info in infos:
        budget.take(info.file_size)
        try:
            with archive.open(info) as member:
                data = member.read(budget.left + info.file_size + 1)
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError,
                EOFError, zlib.error) as exc:  # encrypted, unknown method, corrupt
            raise UnreadablePayload("archive member cannot be read") from exc
        if len(data) > info.file_size:
            budget.take(len(data) - info.file_size)  # a size that lies
        yield data


_LAST_PDF = threading.local()  # (raw, parsed) of the last PDF parsed on this thread: the request path asks twice
_KEEP_PDF_BYTES = 1 << 20


def _pdf_texts(raw: bytes, budget: _Budget) -> tuple[list[str], list[str], list[bytes]]:
    """The metadata values, the text of every page, and the embedded files of a PDF (its pages charged to
    ``budget``). The same bytes asked again on the same thread (the media check, then the reading) are parsed
    once."""
    last = getattr(_LAST_PDF, "entry", None)
    _LAST_PDF.entry = None  # used once: the bytes are not kept alive past their second reading
    if last is not None and last[0] is raw:
        parsed: tuple[list[str], list[str], list[bytes]] = last[1]
    else:
        parsed = _parse_pdf(raw)
        if len(raw) <= _KEEP_PDF_BYTES:
            _LAST_PDF.entry = (raw, parsed)
    for page in parsed[1]:
        budget.take(len(page))
    return parsed


def _parse_pdf(raw: bytes) -> tuple[list[str], list[str], list[bytes]]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadablePayload("PDF is encrypted")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise UnreadablePayload("PDF has too many pages")
        meta = [str(v) for v in (reader.metadata or {}).values()]
        pages = []
        budget = _Budget()  # one document's own bound, whoever asks
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            budget.take(len(pages[-1]))
        files = [data for blobs in reader.attachments.values() for data in blobs]
    except RedactionError:
        raise
    except Exception as exc:  # noqa: BLE001 — a hostile document may break the parser anywhere: fail closed
        raise UnreadablePayload("PDF cannot be parsed") from exc
    return meta, pages, files


# images, audio, video and fonts inside an archive: no text a reader reads (their pixels are not read here)
_MEDIA = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"ID3", b"\xff\xfb", b"OggS", b"fLaC", b"II*\x00",
          b"MM\x00*", b"wOFF", b"wOF2", b"\x00\x01\x00\x00", b"OTTO", b"\x1aE\xdf\xa3")
_CONTROL = re.compile(r"[^\S\n]|[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]")


def _lenient(data: bytes) -> str:
    """Opened bytes that are no clean text (a NUL, a stray control byte, invalid UTF-8): read as UTF-8 with every
    unreadable byte a space, as a viewer that skips what it cannot show would."""
    return _CONTROL.sub(" ", data.decode("utf-8", errors="replace"))


def opened_text(raw: bytes, plain: Plain, depth: int = 0, budget: _Budget | None = None) -> str | None:
    """The text a client reads from ``raw`` after opening it (see the module docstring), or None when ``raw`` is
    no container or media file, or holds no text. ``plain`` reads bytes that are text as it is."""
    kind = kind_of(raw)
    if kind is None:
        return metadata_text(raw)
    if depth >= MAX_DEPTH:
        raise UnreadablePayload("containers nested too deep")
    budget = budget or _Budget()
    texts: list[str] = []
    if kind == "pdf":
        meta, pages, parts = _pdf_texts(raw, budget)
        texts = meta + pages
    elif kind == "zip":
        parts = list(_zip_members(raw, budget))
    else:
        parts = [_decompress(kind, raw, budget)]
    for part in parts:
        text = plain(part)
        if text is None:
            text = opened_text(part, plain, depth + 1, budget)
            if text is None and not part.startswith(_MEDIA) and part[4:8] != b"ftyp":
                text = _lenient(part)
        elif text.lstrip().startswith("<"):
            text = f"{text}\n{xml_text(text)}"
        if text:
            texts.append(text)
    joined = "\n".join(t for t in texts if t.strip())
    return joined or None
