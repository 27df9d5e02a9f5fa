"""A place name runs through joining words (``Nursing and Rehab``, ``Hospital of the Good Samaritan``): a stream
whose buffer ends at such a word (``Juniper Knoll Nursing and `` + ``Rehab``) holds the name before it. The place
detector's open point stopped at the trailing ``and`` (a function word) and released ``Juniper Knoll Nursing``;
the next event made it part of ``Juniper Knoll Nursing and Rehab`` (found by the blind-7 helper)."""

from __future__ import annotations

import pytest

from sidecar.redaction.engine import RedactionEngine

from .test_stream_divergences import streamed

PROFILE = "safe_harbor"
TEXTS = [
    "pt d/c to Skilled Nursing and Juniper Knoll Nursing and Rehab tomorrow.",
    "sent to Maple Ridge Health and Rehabilitation Center in Salem.",
    "d/c to cedar hollow nursing and rehab tomorrow",
    "transfer to Brookside Home for the Aged once bed available",
]


@pytest.mark.parametrize("text", TEXTS)
def test_a_place_through_a_joining_word_is_never_released_in_part(engine: RedactionEngine, text: str) -> None:
    whole = engine.redact_text(text, PROFILE).text
    for size in (1, 2, 3, 5):
        out = streamed(engine, text, size, PROFILE)
        assert out == whole, (size, out)


def test_the_open_point_holds_the_name_before_a_trailing_joiner(engine: RedactionEngine) -> None:
    an, types = engine.analyzer, engine.redactor(PROFILE).profile.types
    text = "pt d/c to Skilled Nursing and Juniper Knoll Nursing and "
    assert an.open_at(text, types) <= text.index("Juniper")


def test_control_plain_prose_through_and_is_released(engine: RedactionEngine) -> None:
    an, types = engine.analyzer, engine.redactor(PROFILE).profile.types
    text = "pt went to the store and "
    assert an.open_at(text, types) >= text.index("and")
