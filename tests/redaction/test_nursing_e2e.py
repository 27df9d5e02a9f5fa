"""Nursing-note shapes (issue 16) through the real path: Envoy in front, the guard's ext_proc, the demo model's
``echo`` answer, safe_harbor (a researcher), whole and streamed a few characters per event."""

from __future__ import annotations

from typing import Any

import pytest

from tests.redaction.echo_e2e import check, echo, echo_streamed

pytestmark = pytest.mark.e2e

NOTE = (
    "SOCIAL: pt lives with partner in dorchester. SW Oksana following.\n"
    "cards fellow Tamsin aware. echo on 4-13 showed EF 25%. s/p cabg in 2098.\n"
    "transferred from bmc; d/c to Bellwether Manor when bed available. f/u w/ Drs Wexler/Abernathy/Oyelaran.\n"
    "K 3.2 repleted. transferred to rehab team for eval. on 2-3 pressors.\n"
    "-Ismay"
)
PHI = ("dorchester", "Oksana", "Tamsin", "4-13", "2098", "bmc", "Bellwether", "Oyelaran", "Ismay")
KEPT = ("K 3.2 repleted", "transferred to rehab team", "on 2-3 pressors")


def test_nursing_note_names_dates_places_are_redacted(stack: Any) -> None:
    check(echo(stack, NOTE), PHI, KEPT)


@pytest.mark.parametrize("chunk_chars", ["1", "4"])
def test_streamed_nursing_note_is_redacted(stack: Any, chunk_chars: str) -> None:
    check(echo_streamed(stack, NOTE, chunk_chars), PHI, KEPT)


def test_control_the_echo_returns_the_clinical_words(stack: Any) -> None:
    """Control: the oracle can fail: the same unknown word with no cue comes back as sent (a missing value above
    is the guard's redaction, not the echo dropping it)."""
    content = echo(stack, "the tamsin was fine. K 3.2 repleted.")
    assert "tamsin" in content and "K 3.2 repleted" in content
