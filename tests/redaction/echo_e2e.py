"""The demo model's ``echo`` answer through Envoy and the guard, as a researcher (safe_harbor): what the
redaction e2e modules send and how they check what comes back."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openai import OpenAI


def researcher(stack: Any, **headers: str) -> OpenAI:
    return OpenAI(
        base_url=f"{stack.envoy_url}/v1",
        api_key=stack.token("r.franklin", ["researcher"]),
        default_headers={"x-phi-guard-purpose": "research", **headers},
        max_retries=0,
        timeout=30,
    )


def echo(stack: Any, text: str) -> str:
    """The echoed ``text`` as the client receives it, whole."""
    answer = researcher(stack).chat.completions.create(model="echo", messages=[{"role": "user", "content": text}])
    return answer.choices[0].message.content or ""


def echo_streamed(stack: Any, text: str, chunk_chars: str) -> str:
    """The echoed ``text`` streamed ``chunk_chars`` characters per event, its deltas joined."""
    stream = researcher(stack, **{"x-demo-chunk-chars": chunk_chars}).chat.completions.create(
        model="echo", messages=[{"role": "user", "content": text}], stream=True
    )
    return "".join((c.choices[0].delta.content or "") for c in stream if c.choices)


def check(text: str, phi: Iterable[str], kept: Iterable[str]) -> None:
    """No PHI value (any case) in ``text``; every kept clinical phrase as sent."""
    for value in phi:
        assert value.lower() not in text.lower(), (value, text)
    for value in kept:
        assert value in text, (value, text)
