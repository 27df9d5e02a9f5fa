"""Builders of the documents the payload tests send: a one-page PDF drawn by hand, a DOCX-shaped zip."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib


def make_pdf(text: str, compress: bool = True, title: str | None = None) -> bytes:
    """A one-page PDF whose page draws ``text`` (a FlateDecode content stream unless ``compress`` is false);
    ``title`` goes in its document information dictionary."""
    content = f"BT /F1 12 Tf 72 712 Td ({text}) Tj ET".encode("latin-1")
    stream = zlib.compress(content) if compress else content
    filt = b" /Filter /FlateDecode" if compress else b""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + filt + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if title is not None:
        objs.append(b"<< /Title (" + title.encode("latin-1") + b") >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    info = f" /Info {len(objs)} 0 R" if title is not None else ""
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def make_zip(members: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def make_docx(runs: list[str]) -> bytes:
    """A DOCX-shaped zip whose one paragraph is ``runs``, each in its own ``<w:t>`` (as Word splits text)."""
    body = "".join(f"<w:r><w:t xml:space=\"preserve\">{r}</w:t></w:r>" for r in runs)
    xml = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="urn:w"><w:body><w:p>'
           f"{body}</w:p></w:body></w:document>")
    return make_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": xml})


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


PNG_1X1 = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8"
                        "cfc0f01f0005000201e2a1c0d50000000049454e44ae426082")


def tiff_with(text: str, **tags: str) -> bytes:
    """A big-endian TIFF/EXIF block whose IFD0 holds an ImageDescription (ASCII) entry, and the ASCII ``tags``
    given by name (``Make``, ``Model``, ``Software``, ``DateTime``, ``Artist``)."""
    ids = {"ImageDescription": 0x010E, "Make": 0x010F, "Model": 0x0110, "Software": 0x0131, "DateTime": 0x0132,
           "Artist": 0x013B}
    entries = {"ImageDescription": text, **tags}
    data_at = 8 + 2 + 12 * len(entries) + 4
    head, data = b"", b""
    for name, value in entries.items():
        raw = value.encode() + b"\0"
        head += struct.pack(">HHII", ids[name], 2, len(raw), data_at + len(data)) if len(raw) > 4 else \
            struct.pack(">HHI", ids[name], 2, len(raw)) + raw.ljust(4, b"\0")
        data += raw if len(raw) > 4 else b""
    return b"MM\0*\0\0\0\x08" + struct.pack(">H", len(entries)) + head + b"\0\0\0\0" + data


def png_with(kind: str, text: str) -> bytes:
    """A real 1x1 PNG with one text chunk (``tEXt``, ``zTXt``, ``iTXt``, ``eXIf``) before its pixels."""
    if kind == "tEXt":
        chunk = _png_chunk(b"tEXt", b"Comment\0" + text.encode("latin-1"))
    elif kind == "zTXt":
        chunk = _png_chunk(b"zTXt", b"Description\0\0" + zlib.compress(text.encode("latin-1")))
    elif kind == "iTXt":
        chunk = _png_chunk(b"iTXt", b"Title\0\1\0en\0\0" + zlib.compress(text.encode()))
    else:
        chunk = _png_chunk(b"eXIf", tiff_with(text))
    return PNG_1X1[:33] + chunk + PNG_1X1[33:]


ICC_APP2 = b"\xff\xe2" + struct.pack(">H", 2 + 14 + 60) + b"ICC_PROFILE\0\1\1" + (
    b"\0\0\x02\x0cappl\x02\x10\0\0mntrRGB XYZ acspAPPL descDisplay P3 Copyright Apple Inc., 2017")[:60]


def jpeg_with(kind: str, text: str, **tags: str) -> bytes:
    """A JPEG head (SOI, APP0 JFIF, an ICC profile segment) with a comment or an EXIF APP1 segment (``tags``: more
    EXIF fields), then a start of scan and pixels."""
    jfif = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\1\1\0\0\1\0\1\0\0" + ICC_APP2
    if kind == "COM":
        seg = b"\xff\xfe" + struct.pack(">H", len(text.encode()) + 2) + text.encode()
    else:
        exif = b"Exif\0\0" + tiff_with(text, **tags)
        seg = b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif
    return b"\xff\xd8" + jfif + seg + b"\xff\xda\0\x08\1\1\0\0\x3f\0" + bytes(range(200)) + b"\xff\xd9"


def wav_with(text: str) -> bytes:
    """A WAV file with a LIST/INFO comment chunk."""
    info = b"INFO" + b"ICMT" + struct.pack("<I", len(text) + 1) + text.encode() + b"\0"
    info += b"\0" * (len(info) & 1)
    fmt = b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 8000, 1, 8)
    data = b"data" + struct.pack("<I", 64) + bytes(range(64))
    list_chunk = b"LIST" + struct.pack("<I", len(info)) + info
    body = b"WAVE" + fmt + list_chunk + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def mp3_with(text: str) -> bytes:
    frame = b"COMM" + struct.pack(">I", len(text) + 5) + b"\0\0" + b"\0eng\0" + text.encode()
    size = len(frame)
    syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    return b"ID3\3\0\0" + syncsafe + frame + b"\xff\xfb\x90\x00" + bytes(200)


def gif_with(text: str) -> bytes:
    head = b"GIF89a\1\0\1\0\0\0\0"
    blocks = b"".join(bytes([len(text[i : i + 255])]) + text[i : i + 255].encode() for i in range(0, len(text), 255))
    image = b"\x2c\0\0\0\0\1\0\1\0\0\2\2\x44\1\0"
    return head + b"\x21\xfe" + blocks + b"\0" + image + b"\x3b"
