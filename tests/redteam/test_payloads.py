"""Base64 payloads read as the text they are (``sidecar/redaction/bodies/payloads.py``), and what the JSON walker
does with them under a redacting profile: a payload whose text holds an identifier is replaced whole, in any
charset and under any label; an image, a random signature and text without identifiers pass byte for byte."""

from __future__ import annotations

import base64
import json

import pytest

from sidecar.redaction.bodies.payloads import bare_text, bytes_text, declared_charset
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.settings import RedactionSettings

NOTE = "Patient SSN 478-21-5096, phone 512-437-7788."
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8"
                    "cfc0f01f0005000201e2a1c0d50000000049454e44ae426082")


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


@pytest.mark.parametrize("codec", ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_bare_base64_text_is_read_in_any_unicode_form(codec: str) -> None:
    assert bare_text(b64(NOTE.encode(codec))) == NOTE
    assert bare_text(base64.urlsafe_b64encode(NOTE.encode(codec)).decode().rstrip("=")) == NOTE  # url-safe, no pad


def test_declared_charset_and_mime_line_breaks() -> None:
    latin = ("José " + NOTE).encode("latin-1")
    assert bytes_text(latin) is None  # not UTF-8, and nothing says what it is
    assert bytes_text(latin, declared_charset(";charset=iso-8859-1")) == "José " + NOTE
    assert bytes_text(latin, declared_charset(";charset=no-such-charset")) is None
    wrapped = "\n".join(b64(NOTE.encode())[i : i + 16] for i in range(0, 64, 16))
    assert bare_text(wrapped) == NOTE


@pytest.mark.parametrize("value", [
    b64(PNG),  # an image
    b64(bytes(range(7, 250, 3))),  # a random signature
    "0f6c243bea1f4c2e9d71a5b3c8e0d2f4",  # a hex session id
    "internationalization",  # a long word of the base64 alphabet
    "call_7f3a9c2b1d4e5f60",
    "c2hvcnQ=",  # shorter than an identifier: scanned as text anyway
])
def test_near_misses_are_no_text(value: str) -> None:
    assert bare_text(value) is None


@pytest.fixture(scope="module")
def engine() -> RedactionEngine:
    from tests.redaction.conftest import KEY

    return RedactionEngine(RedactionSettings(), KEY)


def _walk(engine: RedactionEngine, doc: object, direction: str = "request") -> object:
    """``doc`` through the JSON walker (a minimised prompt, or an answer: images are refused in the first)."""
    proc = engine.open_body("safe_harbor", "application/json", direction=direction)  # type: ignore[arg-type]
    return json.loads(proc.feed(json.dumps(doc).encode()) + proc.finish())


def test_payloads_holding_identifiers_are_replaced_whole(engine: RedactionEngine) -> None:
    doc = {"inlineData": {"mimeType": "image/png", "data": b64(NOTE.encode("utf-16"))},
           "file_data": f"data:text/plain;charset=iso-8859-1;base64,{b64(NOTE.encode('latin-1'))}",
           "signature": b64(NOTE.encode()), "id": base64.urlsafe_b64encode(NOTE.encode()).decode()}
    out = json.dumps(_walk(engine, doc))
    assert "478" not in out and "Patient" not in out
    for value in (doc["inlineData"]["data"], doc["signature"], doc["id"]):  # type: ignore[index]
        assert value not in out


def test_control_images_signatures_and_clean_text_pass_unchanged(engine: RedactionEngine) -> None:
    doc = {"image": {"data": b64(PNG)}, "url": f"data:image/png;base64,{b64(PNG)}",
           "signature": b64(bytes(range(7, 250, 3))), "doc": b64(b"The patient should rest and drink fluids.")}
    assert _walk(engine, doc, "response") == doc


def test_data_urls_as_a_browser_reads_them_and_base64_keys(engine: RedactionEngine) -> None:
    """A payload with spaces inside quotes, percent-encoded base64 characters, a key that is base64 text."""
    text = ("?>?>" + NOTE).encode()  # base64 with + and /
    spaced = " ".join(b64(text)[i : i + 3] for i in range(0, len(b64(text)), 3))
    pct = b64(text).replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
    doc = {"html": f'<img src="data:text/plain;base64,{spaced}"> ok', "md": f"see data:text/plain;base64,{pct}",
           "rows": {b64(NOTE.encode()): 1}}
    out = json.dumps(_walk(engine, doc))
    assert b64(NOTE.encode()) not in out and pct not in out and spaced not in out, out
    assert '"> ok' in out  # the text around the URL stays


def test_long_binary_base64_passes_unread_and_fast(engine: RedactionEngine) -> None:
    """An image's base64 (no text) passes as written, as a data: URL's does; it used to be scanned as prose
    (about 2 CPU-seconds per 128 KB, over the scan budget). Control: the same length of base64 text is read."""
    import random
    import time

    image = b64(PNG[:16] + random.Random(7).randbytes(96 * 1024))
    t0 = time.process_time()
    assert _walk(engine, {"b64_json": image}, "response") == {"b64_json": image}
    assert time.process_time() - t0 < 0.5
    text = b64(((NOTE + " ") * 2000).encode())
    assert _walk(engine, {"b64_json": text}) != {"b64_json": text}
