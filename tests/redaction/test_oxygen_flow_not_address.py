"""An oxygen flow before its device (``2L NC``, ``15L NRB``, ``4 L via FM``) is no house number: ``on 2L NC. Dr X
and Y in to see pt`` was one ADDRESS from ``2L`` (``Dr`` read as Drive), and a stream, which had released ``2L NC.``
before the rest arrived, differed from the whole-text redaction. Controls: house numbers, also with a letter, still
start addresses."""

from __future__ import annotations

import pytest

from sidecar.redaction.engine import RedactionEngine

from .test_stream_divergences import streamed

PROFILE = "safe_harbor"


@pytest.mark.parametrize("text", ["SpO2 94-98% on 2L NC. Dr McSlogeris and Streeper in to see pt.",
                                  "weaned to 4 L via FM. Dr Lee Rd team aware", "on 15L NRB. Dr Hall Dr aware"])
def test_an_oxygen_flow_starts_no_address(engine: RedactionEngine, text: str) -> None:
    out = engine.redact_text(text, PROFILE).text
    assert "[ADDRESS]" not in out and out.split(".")[0] in text, out
    assert streamed(engine, text, 1, PROFILE) == out


@pytest.mark.parametrize("text", ["lives at 2 Elm Dr, Salem MA", "lives at 12L Oak Street", "home at 15 Lane Rd",
                                  "moved to 2B Harbor Dr last year"])
def test_control_house_numbers_still_start_addresses(engine: RedactionEngine, text: str) -> None:
    assert "[ADDRESS]" in engine.redact_text(text, PROFILE).text
