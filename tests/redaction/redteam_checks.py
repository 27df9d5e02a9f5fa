"""Checks the red-team round tests share: a case is caught, a near miss is untouched, stream output equals
whole-text output at every cut."""

from __future__ import annotations

from sidecar.redaction.engine import RedactionEngine


def redact(engine: RedactionEngine, text: str) -> str:
    return engine.redact_text(text, "safe_harbor").text


def assert_caught(engine: RedactionEngine, text: str, planted: str) -> None:
    """``planted`` is gone from the redaction of ``text``, replaced by a tag."""
    out = redact(engine, text)
    assert planted not in out, out
    assert "[" in out and out != text


def assert_stream_equals_whole(engine: RedactionEngine, text: str) -> None:
    """Streamed in two pieces at every cut, and one character at a time, ``text`` redacts as it does whole."""
    whole = redact(engine, text)
    for cut in range(1, len(text)):
        s = engine.text_stream(engine.redactor("safe_harbor"))
        assert s.push(text[:cut]) + s.push(text[cut:]) + s.finish() == whole, cut
    s = engine.text_stream(engine.redactor("safe_harbor"))
    assert "".join(s.push(c) for c in text) + s.finish() == whole
