"""Issue 17 through real Envoy and the real guard: a word leaves with the event that ends it when no detector
the caller's profile wants can still use it.

- A clinician (profile ``clinical``: no e-mail, name, place or date types) gets the answer's first word with the
  first event; a researcher (``safe_harbor``) waits for the next word to begin (``The at example dot com`` may
  still be a spelled-out address): the control that shows the timing oracle can fail.
- One-character events of identifiers and spelled-out addresses come out, for the clinician, exactly as the
  same text answered as one JSON body (nothing released early that a later event turns into a finding).
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.e2e.test_stream_release_e2e import _content, json_script, sse_script

pytestmark = pytest.mark.e2e

GAP_S = 0.6  # between the script's events: far more than the path adds on a loaded machine
BODY = {"model": "echo", "messages": [{"role": "user", "content": "hello"}]}


def _clinician(stack: Any) -> dict[str, str]:
    return {**stack.auth_headers("e2e.clinician", ["clinician"]), "x-phi-guard-purpose": "treatment"}


def _researcher(stack: Any) -> dict[str, str]:
    return {**stack.auth_headers("r.franklin", ["researcher"]), "x-phi-guard-purpose": "research"}


def _first_text_after_events(stack: Any, headers: dict[str, str], pieces: list[str]) -> tuple[str, str]:
    """(the first text the client reads, everything), the upstream sending one piece every GAP_S; the first
    text is read before the second piece is sent exactly when it came with the first piece."""
    stack.demo_script(sse_script(pieces, GAP_S * 1000))
    first, texts, buf = "", [], b""
    with stack.http() as client:
        t0 = time.perf_counter()
        with client.stream("POST", "/v1/chat/completions", json={**BODY, "stream": True}, headers=headers) as r:
            assert r.status_code == 200
            for chunk in r.iter_bytes():
                buf += chunk
                *events, buf = buf.split(b"\n\n")
                text = "".join(_content(e) for e in events)
                if text:
                    if not texts:  # the first piece is sent at GAP_S (after the role event), the next at 2 GAP_S
                        first = text if time.perf_counter() - t0 < 2 * GAP_S else ""
                    texts.append(text)
    return first, "".join(texts)


def test_the_first_word_leaves_with_the_first_event_for_a_profile_without_email(stack: Any) -> None:
    pieces = ["The ", "patient ", "reports ", "improved ", "sleep."]
    first, got = _first_text_after_events(stack, _clinician(stack), pieces)
    assert got == "".join(pieces)
    assert first.startswith("The"), first
    # control: with e-mail wanted the word and its blank wait for the next word (a spelled-out address)
    first, got = _first_text_after_events(stack, _researcher(stack), pieces)
    assert got == "".join(pieces)
    assert first == "", first


@pytest.mark.parametrize(
    "text",
    [
        "Reach jane at example dot com or jo.x@example.org, SSN 123-45-6789, https://portal.example.org/r?id=77 ok",
        "The patient 4111 1111 1111 1111 and host 10.20.30.40 then www.example.com/x today",
    ],
)
def test_clinician_one_char_events_equal_the_whole_body(stack: Any, text: str) -> None:
    stack.demo_script(json_script(text))
    with stack.http() as client:
        resp = client.post("/v1/chat/completions", json=BODY, headers=_clinician(stack))
    assert resp.status_code == 200
    expected = str(resp.json()["choices"][0]["message"]["content"])
    assert expected != text  # control: there is something to redact for this profile
    stack.demo_script(sse_script(list(text)))
    buf, texts = b"", []
    with stack.http() as client, client.stream(
        "POST", "/v1/chat/completions", json={**BODY, "stream": True}, headers=_clinician(stack)
    ) as r:
        assert r.status_code == 200
        for chunk in r.iter_bytes():
            buf += chunk
            *events, buf = buf.split(b"\n\n")
            texts += [_content(e) for e in events]
    assert "".join(texts) == expected
