"""Base64 ``data:`` URLs in text (a streamed channel, a text body): the text a URL carries is scanned, the URL
replaced whole when anything is found in it; a stream holds the URL from ``data:`` and never releases part of
one (its first characters decode to the first characters of what it carries). A binary payload is no finding of
its own; in a stream, a URL longer than the hold limit is redacted whole."""

from __future__ import annotations

import base64

import pytest

from sidecar.redaction.detectors.data_urls import DataUrlDetector
from sidecar.redaction.engine import RedactionEngine

NOTE = "Patient John Smith, SSN 123-45-6789, seen today."
B64 = base64.b64encode(NOTE.encode()).decode()
IMAGE = base64.b64encode(bytes(range(256)) * 3).decode()
LONG = base64.b64encode(("clinical prose without identifiers. " * 30 + NOTE).encode()).decode()


def _streamed(engine: RedactionEngine, text: str, k: int) -> str:
    s = engine.text_stream(engine.redactor("safe_harbor"))
    return "".join(s.push(text[i : i + k]) for i in range(0, len(text), k)) + s.finish()


def _pieces(payload: str, n: int = 8) -> list[str]:
    return [payload[i : i + n] for i in range(0, len(payload) - n + 1, 4)]


def _leaks(out: str, payload: str) -> bool:
    """Whether any 8 characters of ``payload`` (4-aligned: they decode to 6 bytes of what it carries) arrived."""
    return any(p in out for p in _pieces(payload))


@pytest.mark.parametrize(
    "text",
    [
        f"see data:text/plain;base64,{B64} ok",
        f"![x](data:image/svg+xml;base64,{B64}) done",
        f"DATA:TEXT/PLAIN;BASE64,{B64}",
        f"utf-16: data:text/plain;charset=utf-16;base64,{base64.b64encode(NOTE.encode('utf-16')).decode()} end",
    ],
)
@pytest.mark.parametrize("k", [0, 1, 3, 4, 7, 16])
def test_a_url_carrying_phi_is_replaced_whole(engine: RedactionEngine, text: str, k: int) -> None:
    out = engine.redact_text(text, "safe_harbor").text if k == 0 else _streamed(engine, text, k)
    assert "data:" not in out.lower() and not _leaks(out, text.split(",")[-1].split(" ")[0].rstrip(")"))
    assert out == engine.redact_text(text, "safe_harbor").text


@pytest.mark.parametrize("k", [1, 4, 7, 64])
def test_a_url_longer_than_the_hold_limit_is_redacted_whole_in_a_stream(engine: RedactionEngine, k: int) -> None:
    text = f"note: data:text/plain;base64,{LONG} end"
    out = _streamed(engine, text, k)
    assert not _leaks(out, LONG) and "[REDACTED]" in out and out.endswith(" end"), out


def test_binary_payloads_and_the_word_data_are_no_finding(engine: RedactionEngine) -> None:
    det = next(d for d in engine.analyzer._detectors if isinstance(d, DataUrlDetector))
    for text in (f"![x](data:image/png;base64,{IMAGE}) ok", "the data: field is fine; data:text/plain;base64,"):
        assert list(det.detect(text)) == []
    assert engine.redact_text("the data: field is fine", "safe_harbor").text == "the data: field is fine"


def test_control_an_unbound_detector_lets_the_url_through() -> None:
    det = DataUrlDetector()  # not bound to a scan: it finds nothing, and the oracle sees the payload
    text = f"see data:text/plain;base64,{B64} ok"
    assert list(det.detect(text)) == []
    assert _leaks(text, B64)
