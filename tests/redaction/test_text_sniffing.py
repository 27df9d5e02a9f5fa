"""A text answer is read as a client may read it (bodies/processors.py: SniffingTextProcessor): an event stream
or JSON lines labelled ``text/plain`` are redacted in their framing; prose (also prose opening with ``:``, a
comment-like line) stays text, byte-identical (controls)."""

from __future__ import annotations

import json

import pytest

from sidecar.redaction.engine import RedactionEngine


def _delta(text: str) -> str:
    return "data: " + json.dumps({"choices": [{"index": 0, "delta": {"content": text}}]}) + "\n\n"


def _run(engine: RedactionEngine, chunks: list[str], ctype: str = "text/plain") -> str:
    proc = engine.open_body("safe_harbor", ctype)
    return (b"".join(proc.feed(c.encode()) for c in chunks) + proc.finish()).decode()


def _joined(out: str) -> str:
    """What an SDK that parses the stream shows."""
    return "".join(json.loads(ln[6:])["choices"][0]["delta"]["content"] for ln in out.split("\n")
                   if ln.startswith("data: {"))


@pytest.mark.parametrize("opening", ["", "\ufeff\r\n", ": keep-alive\n\n", ": a\n: b\n\n"])
@pytest.mark.parametrize("ctype", ["text/plain", "text/markdown", "text/html"])
def test_an_event_stream_labelled_text_is_redacted_in_its_framing(engine: RedactionEngine, opening: str,
                                                                  ctype: str) -> None:
    text = "Patient John Smith, SSN 478-21-5096."
    body = opening + "".join(_delta(text[i : i + 3]) for i in range(0, len(text), 3))
    out = _run(engine, [body[i : i + 7] for i in range(0, len(body), 7)], ctype)
    shown = _joined(out)
    assert "Smith" not in shown and "5096" not in shown and "[SSN]" in shown


def test_json_lines_labelled_text_are_redacted_in_their_framing(engine: RedactionEngine) -> None:
    text = "Patient John Smith, SSN 478-21-5096."
    lines = [json.dumps({"message": {"content": text[i : i + 3]}}) + "\n" for i in range(0, len(text), 3)]
    out = _run(engine, lines)
    shown = "".join(json.loads(ln)["message"]["content"] for ln in out.splitlines() if ln.strip())
    assert "Smith" not in shown and "5096" not in shown


@pytest.mark.parametrize("prose", [":) Hello there.\nSecond line.", "The plan: rest.\n\nRecheck in a week.",
                                   "id est, the usual.", "{not json} at all\nok", "data centre visit went fine"])
def test_control_prose_stays_text_byte_identical(engine: RedactionEngine, prose: str) -> None:
    assert _run(engine, [prose[:5], prose[5:]]) == prose


def test_control_without_sniffing_the_stream_leaks(engine: RedactionEngine) -> None:
    """The oracle can fail: the same stream scanned as one text (the old reading) shows the SSN to the SDK."""
    from sidecar.redaction.bodies.decode import Decoder
    from sidecar.redaction.bodies.processors import PlainTextProcessor

    text = "Patient John Smith, SSN 478-21-5096."
    body = "".join(_delta(text[i : i + 3]) for i in range(0, len(text), 3))
    r = engine.redactor("safe_harbor")
    proc = PlainTextProcessor(r, Decoder("", 1 << 20), 1 << 20, engine.text_stream(r))
    out = (proc.feed(body.encode()) + proc.finish()).decode()
    assert "478-21-5096" in _joined(out)
