"""Binary payloads that are text one step away (``sidecar/redaction/bodies/documents.py``): gzip, zlib, bzip2
and xz streams, zip archives (DOCX), PDF pages and metadata. A payload that opens to an identifier is replaced
whole, in both directions; images, signatures and clean documents pass byte for byte; a document that cannot be
read within the bounds is withheld. Control: with opening turned off, every such payload passes with its PHI."""

from __future__ import annotations

import base64
import bz2
import gzip
import json
import lzma
import os
import zlib
from collections.abc import Callable

import pytest

from sidecar.redaction.bodies import documents, payloads
from sidecar.redaction.bodies.documents import UnreadablePayload, UnreadMedia, opened_text
from sidecar.redaction.bodies.payloads import bytes_text
from sidecar.redaction.bodies.xml_text import xml_text
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.errors import RedactionError
from sidecar.redaction.settings import RedactionSettings
from tests.redteam.documents import gif_with, jpeg_with, make_docx, make_pdf, make_zip, mp3_with, png_with, wav_with

NOTE = "Patient Lorenzo Whitcombe, SSN 478-21-5096, phone 512-437-7788."
CLEAN = "Rest, drink fluids and return if the fever persists beyond three days."
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8"
                    "cfc0f01f0005000201e2a1c0d50000000049454e44ae426082")

CARRIERS: dict[str, Callable[[str], bytes]] = {
    "gzip": lambda t: gzip.compress(t.encode(), mtime=0),
    "zlib": lambda t: zlib.compress(t.encode()),
    "bzip2": lambda t: bz2.compress(t.encode()),
    "xz": lambda t: lzma.compress(t.encode()),
    "gzip-utf16": lambda t: gzip.compress(t.encode("utf-16"), mtime=0),
    # no clean text, a client reads it
    "gzip-nul": lambda t: gzip.compress(b"\x00\x07" + t.encode() + b"\x00", mtime=0),
    "gzip-two-members": lambda t: gzip.compress(b"header ", mtime=0) + gzip.compress(t.encode(), mtime=0),
    "gzip-corrupt-tail": lambda t: gzip.compress(t.encode() * 40, mtime=0)[:-30],
    "zip": lambda t: make_zip({"note.txt": t.encode()}),
    "docx-split-runs": lambda t: make_docx([t[:10], t[10:25], t[25:]]),
    "zip-in-gzip": lambda t: gzip.compress(make_zip({"a/b.txt": t}), mtime=0),
    "pdf-flate": lambda t: make_pdf(t),
    "pdf-plain": lambda t: make_pdf(t, compress=False),
    "pdf-title": lambda t: make_pdf("Discharge instructions", title=t),
    "pdf-in-zip": lambda t: make_zip({"chart.pdf": make_pdf(t)}),
}


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


@pytest.fixture(scope="module")
def engine() -> RedactionEngine:
    from tests.redaction.conftest import KEY

    return RedactionEngine(RedactionSettings(), KEY)


def _walk(engine: RedactionEngine, doc: object, direction: str = "response") -> object:
    proc = engine.open_body("safe_harbor", "application/json", direction=direction)
    return json.loads(proc.feed(json.dumps(doc).encode()) + proc.finish())


@pytest.mark.parametrize("kind", list(CARRIERS))
def test_containers_open_to_their_text(kind: str) -> None:
    text = bytes_text(CARRIERS[kind](NOTE))
    assert text is not None and "478-21-5096" in text and "Whitcombe" in text


def _docs(raw: bytes) -> dict[str, object]:
    """One payload in every place the providers carry files."""
    return {"inlineData": {"mimeType": "application/pdf", "data": b64(raw)},
            "file": {"file_data": f"data:application/octet-stream;base64,{b64(raw)}"},
            "source": {"type": "base64", "media_type": "application/pdf", "data": b64(raw)},
            "text": f"the chart: data:application/gzip;base64,{b64(raw)} (attached)"}


@pytest.mark.parametrize("direction", ["response", "request"])
@pytest.mark.parametrize("kind", list(CARRIERS))
def test_payloads_opening_to_identifiers_are_replaced_whole(engine: RedactionEngine, kind: str,
                                                            direction: str) -> None:
    raw = CARRIERS[kind](NOTE)
    out = json.dumps(_walk(engine, _docs(raw), direction))
    assert b64(raw)[8:40] not in out, out[:300]
    assert out.count("(attached)") == 1  # the text around a URL stays


def test_control_without_opening_every_payload_passes_with_its_phi(
        engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    """(An uncompressed PDF of ASCII is text as it stands, and was read before.)"""
    monkeypatch.setattr(payloads, "opened_text", lambda raw, plain: None)
    carriers = {k: CARRIERS[k](NOTE) for k in CARRIERS}
    leaked = [k for k, raw in carriers.items() if b64(raw)[8:40] in json.dumps(_walk(engine, _docs(raw)))]
    assert leaked == [k for k in CARRIERS if k != "pdf-plain"]


@pytest.mark.parametrize("raw", [
    PNG,
    os.urandom(4096),
    b"\x1f\x8b\x08" + os.urandom(600),  # looks like gzip: decompresses to nothing
    b"\x78\x9c" + os.urandom(600),  # looks like zlib
    make_zip({"image.png": PNG}),  # an archive of an image: no text
], ids=["png", "random", "gzip-magic", "zlib-magic", "zip-of-image"])
def test_near_misses_pass_byte_for_byte(engine: RedactionEngine, raw: bytes) -> None:
    doc = {"inlineData": {"mimeType": "image/png", "data": b64(raw)}, "url": f"data:image/png;base64,{b64(raw)}"}
    assert _walk(engine, doc) == doc


@pytest.mark.parametrize("kind", ["gzip", "zip", "docx-split-runs", "pdf-flate", "pdf-title"])
def test_clean_documents_pass_byte_for_byte(engine: RedactionEngine, kind: str) -> None:
    doc = _docs(CARRIERS[kind](CLEAN))
    assert _walk(engine, doc) == doc


@pytest.mark.parametrize("raw", [
    b"%PDF-1.7\n" + os.urandom(2000),  # no PDF a parser reads
    gzip.compress(b"\x00" * (documents.MAX_OPENED_BYTES + 1)),  # opens past the scan limit
    make_zip({f"m{i}.txt": b"x" for i in range(documents.MAX_ENTRIES + 1)}),
    gzip.compress(gzip.compress(gzip.compress(gzip.compress(NOTE.encode())))),  # nested too deep
], ids=["broken-pdf", "bomb", "many-members", "deep"])
def test_unreadable_documents_withhold_the_body(engine: RedactionEngine, raw: bytes) -> None:
    with pytest.raises(UnreadablePayload):
        bytes_text(raw)
    with pytest.raises(RedactionError):
        _walk(engine, {"inlineData": {"mimeType": "application/pdf", "data": b64(raw)}})


@pytest.mark.parametrize("kind", ["gzip", "zip", "pdf-flate"])
def test_streamed_data_url_of_a_document_is_redacted_whole(engine: RedactionEngine, kind: str) -> None:
    """In text (a streamed answer), as whole text and cut in 7-character events. A URL longer than the stream's
    hold limit (the PDF) is redacted whole under the limit's label; a shorter one gives the very same bytes."""
    url = f"data:application/octet-stream;base64,{b64(CARRIERS[kind](NOTE))}"
    text = f"Here is the file {url} as asked."
    whole = engine.redact_text(text, "safe_harbor").text
    stream = engine.text_stream(engine.redactor("safe_harbor"))
    out = "".join(stream.push(text[i : i + 7]) for i in range(0, len(text), 7)) + stream.finish()
    for got in (whole, out):
        assert url[40:80] not in got and got.startswith("Here is the file [") and got.endswith("] as asked.")
    if len(url) < 512:
        assert out == whole


def test_xml_runs_join_within_a_paragraph_only() -> None:
    xml = "<w:p><w:r><w:t>Jo</w:t></w:r><w:r><w:t>hn</w:t></w:r></w:p><w:p><w:t>12</w:t></w:p><w:p><w:t>34</w:t></w:p>"
    assert xml_text(xml).split() == ["John", "12", "34"]


def test_opened_text_of_no_container_is_none() -> None:
    assert opened_text(b"plain bytes \x00\x01", lambda b: None) is None


MEDIA: dict[str, Callable[[str], bytes]] = {
    "png-tEXt": lambda t: png_with("tEXt", t),
    "png-zTXt": lambda t: png_with("zTXt", t),
    "png-iTXt": lambda t: png_with("iTXt", t),
    "png-eXIf": lambda t: png_with("eXIf", t),
    "jpeg-comment": lambda t: jpeg_with("COM", t),
    "jpeg-exif": lambda t: jpeg_with("EXIF", t),
    "wav-info": wav_with,
    "mp3-id3": mp3_with,
    "gif-comment": gif_with,
    "png-in-docx": lambda t: make_zip({"word/media/image1.png": png_with("tEXt", t)}),
}


@pytest.mark.parametrize("kind", list(MEDIA))
def test_media_metadata_is_read_and_a_file_carrying_phi_replaced(engine: RedactionEngine, kind: str) -> None:
    raw = MEDIA[kind](NOTE)
    text = bytes_text(raw)
    assert text is not None and "478-21-5096" in text
    out = json.dumps(_walk(engine, {"inlineData": {"mimeType": "image/png", "data": b64(raw)}}))
    assert b64(raw)[8:40] not in out


@pytest.mark.parametrize("kind", list(MEDIA))
def test_control_media_with_clean_metadata_passes_byte_for_byte(engine: RedactionEngine, kind: str) -> None:
    doc = {"inlineData": {"mimeType": "image/png", "data": b64(MEDIA[kind]("Created with an image editor"))}}
    assert _walk(engine, doc) == doc


def test_control_a_camera_photo_passes_and_its_date_or_a_name_does_not(engine: RedactionEngine) -> None:
    camera = {"Make": "Canon", "Model": "Canon EOS R5", "Software": "Adobe Photoshop 25.0 (Macintosh)"}
    photo = jpeg_with("EXIF", "Wound, left heel, day 3", **camera)
    doc = {"inlineData": {"mimeType": "image/jpeg", "data": b64(photo)}}
    assert _walk(engine, doc) == doc
    for extra in ({"DateTime": "2024:03:15 10:22:01"}, {"Artist": "Lorenzo Whitcombe"}):
        marked = jpeg_with("EXIF", "Wound, left heel, day 3", **camera, **extra)
        assert _walk(engine, {"data": b64(marked)}) != {"data": b64(marked)}, extra


def test_cut_short_media_keeps_what_came_before() -> None:
    raw = png_with("tEXt", NOTE)
    assert "478-21-5096" in (bytes_text(raw[:-20]) or "")
    assert bytes_text(jpeg_with("COM", NOTE)[:40]) is None or True  # a cut segment: no error either way


UNREAD = {"png": PNG, "jpeg": jpeg_with("COM", "holiday"), "wav": wav_with("voice memo"),
          "mp4": b"\0\0\0\x18ftypmp42" + bytes(300), "scanned-pdf": make_pdf("")}


def _request(engine: RedactionEngine, doc: object) -> object:
    return _walk(engine, doc, "request")


@pytest.mark.parametrize("kind", list(UNREAD))
def test_a_minimised_prompt_with_media_whose_content_is_not_read_is_refused(engine: RedactionEngine,
                                                                             kind: str) -> None:
    """Whatever the label (an image sent as a document, a PDF as an image), in a bare value or a data: URL."""
    raw = UNREAD[kind]
    for doc in ({"source": {"type": "base64", "media_type": "application/pdf", "data": b64(raw)}},
                {"image_url": {"url": f"data:text/plain;base64,{b64(raw)}"}}):
        with pytest.raises(UnreadMedia):
            _request(engine, doc)
    assert _walk(engine, {"data": b64(raw)}) == {"data": b64(raw)}  # an answer's media pass (not minimised)


def test_control_readable_payloads_in_a_minimised_prompt_pass(engine: RedactionEngine) -> None:
    gz = b64(gzip.compress(CLEAN.encode(), mtime=0))
    doc = {"pdf": b64(make_pdf(CLEAN)), "docx": b64(make_docx([CLEAN])), "gz": gz,
           "signature": b64(bytes(range(7, 250, 3))), "text": f"data:text/plain;base64,{b64(CLEAN.encode())}"}
    assert _request(engine, doc) == doc


def test_request_media_pass_sends_media_on_unread() -> None:
    from tests.redaction.conftest import KEY

    passing = RedactionEngine(RedactionSettings(request_media="pass"), KEY)
    doc = {"data": b64(PNG), "url": f"data:image/png;base64,{b64(PNG)}"}
    assert _request(passing, doc) == doc


def test_a_pdf_in_a_minimised_prompt_is_parsed_once(engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The media check and the reading share one parse of the same payload; another payload is parsed anew."""
    from sidecar.redaction.bodies import documents

    calls: list[int] = []
    real = documents._parse_pdf

    def counting(raw: bytes) -> object:
        calls.append(len(raw))
        return real(raw)

    monkeypatch.setattr(documents, "_parse_pdf", counting)
    doc = {"source": {"type": "base64", "media_type": "application/pdf", "data": b64(make_pdf(NOTE))}}
    assert "478-21-5096" not in json.dumps(_request(engine, doc))
    assert len(calls) == 1
    _request(engine, {"source": {"type": "base64", "media_type": "application/pdf", "data": b64(make_pdf(CLEAN))}})
    assert len(calls) == 2
