"""MCP ``tools/list`` answers show a caller only the tools its policy permits.

The policy's decision document carries ``permitted_tools`` (the tools the caller's acting roles may call for
this purpose). :func:`tools_list_filter` wraps the response's body processor when the request was a
``tools/list``: every JSON-RPC result's ``tools`` array is cut to the permitted names *before* redaction, for
a JSON body and for each event of an SSE stream. Anything it cannot read is withheld (fail closed); a decision
without ``permitted_tools`` permits none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from typing import Any, Protocol

from sidecar.redaction.errors import BodyParseError, BodyTooLarge

TOOLS_LIST_METHOD = "tools/list"
DECISION_KEY = "permitted_tools"
MAX_BODY_BYTES = 1024 * 1024
_EVENT_END = re.compile(rb"\r\n\r\n|\n\n|\r\r")


class BodyProcessor(Protocol):
    """What the ext_proc wiring drives (see :mod:`sidecar.redaction.bodies.base`)."""

    streaming: bool

    @property
    def summary(self) -> dict[str, int]: ...

    def feed(self, chunk: bytes) -> bytes: ...

    def finish(self) -> bytes: ...


def tools_list_filter(processor: Any, exchange: Any, content_type: str) -> Any:
    """``processor`` itself unless the exchange is an MCP ``tools/list``; then a filtering wrapper."""
    ai = getattr(exchange, "ai", None)
    if exchange is None or getattr(ai, "rpc_method", None) != TOOLS_LIST_METHOD:
        return processor
    permitted = exchange.decision.extra.get(DECISION_KEY) or ()
    sse = content_type.split(";", 1)[0].strip().lower() == "text/event-stream"
    return ToolsListFilter(processor, permitted, sse)


def filter_message(doc: Any, permitted: Collection[str]) -> Any:
    """A JSON-RPC message (or batch) with each ``result.tools`` cut to ``permitted`` names."""
    if isinstance(doc, list):
        return [filter_message(m, permitted) for m in doc]
    if isinstance(doc, dict) and isinstance(doc.get("result"), dict) and "tools" in doc["result"]:
        tools = doc["result"]["tools"]
        kept = [t for t in tools if isinstance(t, dict) and t.get("name") in permitted] \
            if isinstance(tools, list) else []
        return {**doc, "result": {**doc["result"], "tools": kept}}
    return doc


class ToolsListFilter:
    """Filters raw body bytes, then hands them to the redacting ``inner`` processor."""

    def __init__(self, inner: BodyProcessor, permitted: Collection[str], sse: bool) -> None:
        self._inner = inner
        self._permitted = frozenset(p for p in permitted if isinstance(p, str))
        self._sse = sse
        self._buf = bytearray()
        self.streaming = inner.streaming

    @property
    def summary(self) -> dict[str, int]:
        return self._inner.summary

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def feed(self, chunk: bytes) -> bytes:
        self._buf += chunk
        if len(self._buf) > MAX_BODY_BYTES:
            raise BodyTooLarge("tools/list answer too large to filter")
        if not self._sse:
            return self._inner.feed(b"")
        out = bytearray()
        while (m := _EVENT_END.search(self._buf)) is not None:
            event = bytes(self._buf[: m.end()])
            del self._buf[: m.end()]
            out += self._inner.feed(self._event(event))
        return bytes(out)

    def finish(self) -> bytes:
        rest, self._buf = bytes(self._buf), bytearray()
        if self._sse:
            tail = self._event(rest) if rest.strip() else rest
            return self._inner.feed(tail) + self._inner.finish()
        if not rest.strip():
            return self._inner.feed(rest) + self._inner.finish()
        try:
            doc = json.loads(rest)
        except ValueError:
            raise BodyParseError("tools/list answer is not JSON") from None
        return self._inner.feed(json.dumps(filter_message(doc, self._permitted)).encode()) + self._inner.finish()

    def _event(self, raw: bytes) -> bytes:
        """One SSE event with its ``data`` (a JSON-RPC message) filtered; other fields kept as sent."""
        text = raw.decode("utf-8")
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        data = [ln[5:].removeprefix(" ") for ln in lines if ln.startswith("data:")]
        if not data:
            return raw
        try:
            doc = json.loads("\n".join(data))
        except ValueError:
            raise BodyParseError("tools/list event data is not JSON") from None
        head = "".join(f"{ln}\n" for ln in lines if ln and not ln.startswith("data:"))
        return f"{head}data: {json.dumps(filter_message(doc, self._permitted))}\n\n".encode()
