"""A word before a slash is held in a stream: the slash may lead to a credential that makes the initials before it
a sign-off (``tm/rn``, ``acb/rn``). The names' open point took a trailing slash for a word end and released
``tm`` one event before ``/rn`` named it (blind 5, one character per event)."""

from __future__ import annotations

import pytest

from sidecar.redaction.engine import RedactionEngine

from .test_stream_divergences import streamed

PROFILE = "safe_harbor"
TEXTS = ["pacer wires capped. tm/rn", "a/o x3, pt calm. acb/rn", "i/o even. m.b. rn\n", "lungs clear. jd/lpn\nx"]


@pytest.mark.parametrize("text", TEXTS)
def test_initials_before_a_slash_credential_are_never_released(engine: RedactionEngine, text: str) -> None:
    whole = engine.redact_text(text, PROFILE).text
    assert "[NAME]" in whole
    for size in (1, 2, 3):
        out = streamed(engine, text, size, PROFILE)
        assert out == whole, (size, out)


def test_a_slash_holds_the_word_before_it(engine: RedactionEngine) -> None:
    an, types = engine.analyzer, engine.redactor(PROFILE).profile.types
    text = "pacer wires capped. tm/"
    assert an.open_at(text, types) <= text.index("tm")
