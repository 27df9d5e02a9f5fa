"""Nursing-note shapes (issue 16) through the real path: Envoy in front, the guard's ext_proc, the demo model's
``echo`` answer, safe_harbor (a researcher), whole and streamed a few characters per event."""

from __future__ import annotations

from typing import Any

import pytest
from openai import OpenAI

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


def _client(stack: Any, **headers: str) -> OpenAI:
    return OpenAI(
        base_url=f"{stack.envoy_url}/v1",
        api_key=stack.token("r.franklin", ["researcher"]),
        default_headers={"x-phi-guard-purpose": "research", **headers},
        max_retries=0,
        timeout=30,
    )


def _check(text: str) -> None:
    for value in PHI:
        assert value.lower() not in text.lower(), (value, text)
    for value in KEPT:
        assert value in text, (value, text)


def test_nursing_note_names_dates_places_are_redacted(stack: Any) -> None:
    answer = _client(stack).chat.completions.create(model="echo", messages=[{"role": "user", "content": NOTE}])
    _check(answer.choices[0].message.content or "")


@pytest.mark.parametrize("chunk_chars", ["1", "4"])
def test_streamed_nursing_note_is_redacted(stack: Any, chunk_chars: str) -> None:
    stream = _client(stack, **{"x-demo-chunk-chars": chunk_chars}).chat.completions.create(
        model="echo", messages=[{"role": "user", "content": NOTE}], stream=True
    )
    _check("".join((c.choices[0].delta.content or "") for c in stream if c.choices))


def test_control_the_echo_returns_the_clinical_words(stack: Any) -> None:
    """Control: the oracle can fail: the same unknown word with no cue comes back as sent (a missing value above
    is the guard's redaction, not the echo dropping it)."""
    answer = _client(stack).chat.completions.create(
        model="echo", messages=[{"role": "user", "content": "the tamsin was fine. K 3.2 repleted."}]
    )
    content = answer.choices[0].message.content or ""
    assert "tamsin" in content and "K 3.2 repleted" in content
