"""A buffered (JSON) answer's headers reply waits for its scanned body when Envoy sends body chunks early
(``protocol.EARLY_BODY_METADATA``), so a refusal at the end is a clean status, not a reset stream: the reply order
Envoy sees, at unit level. Through Envoy: tests/e2e/test_redteam_budget.py."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from google.rpc import code_pb2

from sidecar import protocol as P
from sidecar.redaction.errors import RedactionError
from sidecar.server import ext_proc_service as eps
from tests.server import fakes
from tests.server.fakes import PHI, authz_service, chat_body, check_request, ext_proc_service, processing_requests


class _Context:
    def __init__(self, metadata: tuple[tuple[str, str], ...]) -> None:
        self._metadata = metadata

    def invocation_metadata(self) -> tuple[tuple[str, str], ...]:
        return self._metadata


EARLY = _Context(((P.EARLY_BODY_METADATA, "2500,60000"), ("user-agent", "envoy")))
QUICK = _Context(((P.EARLY_BODY_METADATA, "50,60000"),))  # extends the timer after a 50 ms pause


def _replies(chunks: list[bytes], context: Any, content_type: str = "application/json",
             fail_at_end: bool = False, pause_s: float = 0.0) -> list[str]:
    """The kinds of reply Process gives, in order (override = a message-timer extension)."""

    async def main() -> list[str]:
        authz, _ = authz_service()
        resp = await authz.Check(check_request(chat_body()), None)
        assert resp.status.code == code_pb2.OK
        svc, deps = ext_proc_service()
        if fail_at_end:
            original = deps.redaction.open_body

            def failing(*a: Any, **k: Any) -> Any:
                proc = original(*a, **k)

                def finish() -> bytes:
                    raise RedactionError("scan failed")

                proc.finish = finish
                return proc

            deps.redaction.open_body = failing  # type: ignore[method-assign]
        msgs = processing_requests(resp.dynamic_metadata, chunks, content_type)

        async def gen() -> AsyncIterator[Any]:
            for i, m in enumerate(msgs):
                if i >= 2 and pause_s:  # the upstream pauses before each later chunk
                    await asyncio.sleep(pause_s)
                yield m

        out = []
        async for r in svc.Process(gen(), context):
            kind = r.WhichOneof("response") or ("override" if r.HasField("override_message_timeout") else "?")
            out.append(kind)
            if kind == "override":
                assert r.override_message_timeout.ToMilliseconds() == 60000
        return out

    return asyncio.run(main())


def test_a_buffered_body_is_answered_headers_first_once_scanned() -> None:
    got = _replies([b'{"a": "' + PHI.encode(), b' x', b'"}'], EARLY)
    assert got == ["response_headers", "response_body", "response_body", "response_body"]


def test_a_held_body_that_pauses_extends_envoys_message_timer() -> None:
    got = _replies([b'{"a": "', b'x', b'"}'], QUICK, pause_s=0.3)
    assert got[-4:] == ["response_headers", "response_body", "response_body", "response_body"]
    assert got[:-4] and set(got[:-4]) == {"override"}  # one or more per pause, none without one
    assert _replies([b'{"a": "', b'x', b'"}'], QUICK) == got[-4:]


def test_a_refusal_at_the_end_replaces_the_held_headers() -> None:
    got = _replies([b'{"a": "', b'x"}'], EARLY, fail_at_end=True)
    assert got == ["immediate_response"]


def test_control_without_the_metadata_headers_are_answered_at_once() -> None:
    # another Envoy config (no early body): holding the headers would deadlock it
    assert _replies([b'{"a": "', b'x"}'], None) == ["response_headers", "response_body", "response_body"]
    assert _replies([b'{"a": "', b'x"}'], _Context((("user-agent", "envoy"),))) == [
        "response_headers", "response_body", "response_body"]
    got = _replies([b'{"a": "', b'x"}'], None, fail_at_end=True)
    assert got == ["response_headers", "response_body", "immediate_response"]  # the late refusal: a reset


def test_a_body_over_the_hold_limit_releases_the_headers(monkeypatch: Any) -> None:
    monkeypatch.setattr(eps, "HOLD_HEADERS_MAX_BYTES", 10)
    got = _replies([b'{"a": "' + b"x" * 20, b"y" * 5, b'"}'], EARLY)
    assert got == ["response_headers", "response_body", "response_body", "response_body"]


def test_a_streaming_body_is_never_held(monkeypatch: Any) -> None:
    monkeypatch.setattr(fakes._Processor, "streaming", True)  # noqa: SLF001 - the fake processor's class
    assert _replies([b"data: a\n\n", b"data: b\n\n"], EARLY, "text/event-stream") == [
        "response_headers", "response_body", "response_body"]
