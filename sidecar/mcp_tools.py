"""MCP answers the guard rewrites around redaction: ``tools/list`` and ``initialize``.

- ``tools/list`` answers show a caller only the tools its policy permits. The policy's decision document
  carries ``permitted_tools`` (the tools the caller's acting roles may call for this purpose); every JSON-RPC
  result's ``tools`` array is cut to those names *before* redaction. A decision without ``permitted_tools``
  permits none.
- ``initialize`` answers keep their ``protocolVersion`` (a date-shaped string the date detector would
  replace, which breaks the handshake): after redaction it is restored, only when the upstream sent one of
  the published MCP protocol versions.

Both answers are small and end after one message, so the body (JSON, or every event of an SSE stream) is
buffered whole, rewritten, redacted by the ``inner`` processor and released at the end. Anything unreadable
is withheld (fail closed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection
from typing import Any, Protocol

from sidecar.redaction.errors import BodyParseError, BodyTooLarge

TOOLS_LIST_METHOD = "tools/list"
INITIALIZE_METHOD = "initialize"
DECISION_KEY = "permitted_tools"
MAX_BODY_BYTES = 1024 * 1024
# Published MCP protocol revisions (mcp_types.version.KNOWN_PROTOCOL_VERSIONS, not imported: the guard does
# not depend on the mcp package).
PROTOCOL_VERSIONS = frozenset({"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"})
_EVENT_END = re.compile(r"\r\n\r\n|\n\n|\r\r")

Message = Any  # one decoded JSON-RPC message or batch


class BodyProcessor(Protocol):
    """What the ext_proc wiring drives (see :mod:`sidecar.redaction.bodies.base`)."""

    streaming: bool

    @property
    def summary(self) -> dict[str, int]: ...

    def feed(self, chunk: bytes) -> bytes: ...

    def finish(self) -> bytes: ...


def permitted_tools(decision_extra: dict[str, Any]) -> tuple[str, ...] | None:
    """The decision's permitted tool names (None when the decision names none)."""
    tools = decision_extra.get(DECISION_KEY)
    if not isinstance(tools, list):
        return None
    return tuple(p for p in tools if isinstance(p, str))


def mcp_answer_processor(
    processor: Any, rpc_method: str, permitted: tuple[str, ...] | None, content_type: str
) -> Any:
    """``processor`` itself unless the request was an MCP ``tools/list`` or ``initialize``; then a wrapper.
    A ``tools/list`` answer without permitted tools from the decision lists no tools."""
    method = rpc_method
    sse = content_type.split(";", 1)[0].strip().lower() == "text/event-stream"
    if method == TOOLS_LIST_METHOD:
        allowed = frozenset(permitted or ())
        return McpAnswerRewriter(processor, sse, before=lambda doc, _: filter_message(doc, allowed))
    if method == INITIALIZE_METHOD:
        return McpAnswerRewriter(processor, sse, after=restore_protocol_version)
    return processor


def filter_message(doc: Message, permitted: Collection[str]) -> Message:
    """A JSON-RPC message (or batch) with each ``result.tools`` cut to ``permitted`` names."""
    if isinstance(doc, list):
        return [filter_message(m, permitted) for m in doc]
    if isinstance(doc, dict) and isinstance(doc.get("result"), dict) and "tools" in doc["result"]:
        tools = doc["result"]["tools"]
        kept = [t for t in tools if isinstance(t, dict) and t.get("name") in permitted] \
            if isinstance(tools, list) else []
        return {**doc, "result": {**doc["result"], "tools": kept}}
    return doc


def _versions(doc: Message) -> list[str]:
    docs = doc if isinstance(doc, list) else [doc]
    return [d["result"]["protocolVersion"] for d in docs
            if isinstance(d, dict) and isinstance(d.get("result"), dict) and "protocolVersion" in d["result"]]


def restore_protocol_version(redacted: Message, original: Message) -> Message:
    """``redacted`` with ``result.protocolVersion`` put back when the original was a published version."""
    sent = [v for v in _versions(original) if v in PROTOCOL_VERSIONS]
    if not sent:
        return redacted
    if isinstance(redacted, list):
        return [restore_protocol_version(m, original) for m in redacted]
    if isinstance(redacted, dict) and isinstance(redacted.get("result"), dict) \
            and "protocolVersion" in redacted["result"]:
        return {**redacted, "result": {**redacted["result"], "protocolVersion": sent[0]}}
    return redacted


def _split_events(text: str) -> list[str]:
    """Complete SSE events (each ending in its blank line) and a final unterminated rest, if any."""
    events, pos = [], 0
    for m in _EVENT_END.finditer(text):
        events.append(text[pos : m.end()])
        pos = m.end()
    if text[pos:].strip():
        events.append(text[pos:])
    return events


def _event_data(event: str) -> tuple[str, Message | None]:
    """An event's non-data lines and its data parsed as JSON (no data: the whole event as sent, and None)."""
    lines = event.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    data = [ln[5:].removeprefix(" ") for ln in lines if ln.startswith("data:")]
    head = "".join(f"{ln}\n" for ln in lines if ln and not ln.startswith("data:"))
    if not "".join(data).strip():  # no data, or an empty priming event: passed on as sent
        return event, None
    try:
        return head, json.loads("\n".join(data))
    except ValueError:
        raise BodyParseError("MCP event data is not JSON") from None


class McpAnswerRewriter:
    """Buffers the raw answer; at the end rewrites each message ``before`` redaction, redacts it with
    ``inner``, and rewrites the redacted messages ``after`` (given the original)."""

    def __init__(
        self,
        inner: BodyProcessor,
        sse: bool,
        before: Callable[[Message, Message], Message] | None = None,
        after: Callable[[Message, Message], Message] | None = None,
    ) -> None:
        self._inner = inner
        self._sse = sse
        self._before = before or (lambda doc, _: doc)
        self._after = after or (lambda doc, _: doc)
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
            raise BodyTooLarge("MCP answer too large to rewrite")
        return b""

    def finish(self) -> bytes:
        try:
            raw = bytes(self._buf).decode("utf-8")
        except UnicodeDecodeError:
            raise BodyParseError("MCP answer is not UTF-8") from None
        if self._sse:
            return self._finish_sse(raw)
        if not raw.strip():
            return self._inner.feed(raw.encode()) + self._inner.finish()
        try:
            original = json.loads(raw)
        except ValueError:
            raise BodyParseError("MCP answer is not JSON") from None
        redacted = self._redact_json(json.dumps(self._before(original, original)))
        return json.dumps(self._after(redacted, original)).encode()

    def _redact_json(self, text: str) -> Message:
        out = self._inner.feed(text.encode()) + self._inner.finish()
        try:
            return json.loads(out)
        except ValueError:
            raise BodyParseError("redacted MCP answer is not JSON") from None

    def _finish_sse(self, raw: str) -> bytes:
        events = [_event_data(e) for e in _split_events(raw)]
        rewritten = "".join(
            head if doc is None else f"{head}data: {json.dumps(self._before(doc, doc))}\n\n"
            for head, doc in events
        )
        redacted = (self._inner.feed(rewritten.encode()) + self._inner.finish()).decode("utf-8")
        originals = iter(doc for _, doc in events if doc is not None)
        out = []
        for event in _split_events(redacted):
            head, doc = _event_data(event)
            original = next(originals, None) if doc is not None else None
            out.append(event if doc is None or original is None
                       else f"{head}data: {json.dumps(self._after(doc, original))}\n\n")
        return "".join(out).encode()
