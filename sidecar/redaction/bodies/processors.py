"""The concrete body processors: buffered JSON, SSE, NDJSON, streamed plain text, and withhold."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sidecar.redaction.bodies.base import BodyProcessor
from sidecar.redaction.bodies.decode import Decoder
from sidecar.redaction.bodies.events import Event, EventRedactor
from sidecar.redaction.bodies.json_walk import JsonWalker
from sidecar.redaction.errors import BodyParseError, ContentWithheld
from sidecar.redaction.redactor import TextRedactor
from sidecar.redaction.stream import TextStream

Rendered = str | Callable[[], str]


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise BodyParseError("body is not valid JSON") from None


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class JsonProcessor(BodyProcessor):
    """Buffers the whole document (bounded), then walks it."""

    def __init__(
        self, redactor: TextRedactor, decoder: Decoder, max_buffered: int, walker: JsonWalker
    ) -> None:
        super().__init__(redactor, decoder, max_buffered)
        self._walker = walker
        self._parts: list[str] = []
        self._size = 0

    def process(self, text: str, final: bool) -> str:
        if text:
            self._size += len(text)
            self._check_size(self._size)
            self._parts.append(text)
        if not final:
            return ""
        body = "".join(self._parts)
        if not body.strip():
            return body
        return _dumps(self._walker.walk(_loads(body)))


class PlainTextProcessor(BodyProcessor):
    streaming = True

    def __init__(
        self, redactor: TextRedactor, decoder: Decoder, max_buffered: int, stream: TextStream
    ) -> None:
        super().__init__(redactor, decoder, max_buffered)
        self._stream = stream

    def process(self, text: str, final: bool) -> str:
        out = self._stream.push(text)
        if final:
            out += self._stream.finish()
        self.max_held_chars = self._stream.max_held_chars
        return out


class _FramedProcessor(BodyProcessor):
    """Splits decoded text into records at ``sep``; a partial record is held (bounded)."""

    streaming = True
    sep = "\n"

    def __init__(
        self, redactor: TextRedactor, decoder: Decoder, max_buffered: int, events: EventRedactor
    ) -> None:
        super().__init__(redactor, decoder, max_buffered)
        self._events = events
        self._pending = ""

    def process(self, text: str, final: bool) -> str:
        buf = self._pending + text
        if "\r" in buf:
            buf = buf.replace("\r\n", "\n")
            if buf.endswith("\r") and not final:  # maybe the first half of CRLF
                buf, keep_cr = buf[:-1], "\r"
            else:
                keep_cr = ""
            buf = buf.replace("\r", "\n")
        else:
            keep_cr = ""
        # Records are parsed and their text held first; the text channels are scanned once for the whole
        # chunk (flush) and only then are the records serialised with the text released into them.
        out: list[Rendered] = []
        start = 0
        while True:
            i = buf.find(self.sep, start)
            if i < 0:
                break
            out.append(self.record(buf[start:i]))
            start = i + len(self.sep)
        self._pending = buf[start:] + keep_cr
        self._check_size(len(self._pending))
        if final and self._pending.strip():
            out.append(self.record(self._pending, last=True))
        self._events.flush()
        if final:
            self._pending = ""
            out.append(self.tail())
        self.max_held_chars = self._events.max_held_chars
        return "".join(r if isinstance(r, str) else r() for r in out)

    def record(self, rec: str, last: bool = False) -> Rendered:
        """Parse one record; return its output text, or a function giving it once the batch is flushed."""
        raise NotImplementedError

    def tail(self) -> str:
        raise NotImplementedError


class SseProcessor(_FramedProcessor):
    """``text/event-stream``: events end at a blank line; JSON ``data`` is redacted via the event redactor."""

    sep = "\n\n"

    def record(self, rec: str, last: bool = False) -> Rendered:
        lines = rec.split("\n")
        name: str | None = None
        data_lines: list[str] = []
        for ln in lines:
            field, _, value = ln.partition(":")
            if value.startswith(" "):
                value = value[1:]
            if field == "event":
                name = value
            elif field == "data":
                data_lines.append(value)
        if not data_lines:
            return rec + "\n\n"  # comments, retry, bare event names: no data to redact
        data = "\n".join(data_lines)
        if data.strip() == "[DONE]":
            return self._emit(self._events.close(), name_hint=None) + rec + "\n\n"
        stripped = data.lstrip()
        if stripped[:1] in ("{", "["):
            events = self._events.event(name, _loads(data))
        else:
            events = self._events.event(name, {"__sse_text__": data})
        return lambda: self._emit(events, name_hint=name, template=lines)

    def _emit(self, events: list[Event], name_hint: str | None, template: list[str] | None = None) -> str:
        parts = []
        for name, obj in events:
            if isinstance(obj, dict) and "__sse_text__" in obj:
                payload = obj["__sse_text__"]
                payload_lines = payload.split("\n")
            else:
                payload_lines = [_dumps(obj)]
            lines = [f"event: {name}"] if name is not None else []
            if template is not None and name == name_hint:
                # keep the original non-data fields (id, retry, comments) in their order
                lines = []
                placed = False
                for ln in template:
                    if ln.startswith("data"):
                        if not placed:
                            lines.extend(f"data: {p}" for p in payload_lines)
                            placed = True
                    else:
                        lines.append(ln)
                template = None
            else:
                lines.extend(f"data: {p}" for p in payload_lines)
            parts.append("\n".join(lines) + "\n\n")
        return "".join(parts)

    def tail(self) -> str:
        return self._emit(self._events.close(), name_hint=None)


class NdjsonProcessor(_FramedProcessor):
    """``application/x-ndjson`` (Ollama and others): one JSON value per line."""

    def record(self, rec: str, last: bool = False) -> Rendered:
        if not rec.strip():
            return rec + ("" if last else "\n")
        events = self._events.event(None, _loads(rec))
        return lambda: "".join(_dumps(obj) + "\n" for _name, obj in events)

    def tail(self) -> str:
        return "".join(_dumps(obj) + "\n" for _name, obj in self._events.close())


class WithholdProcessor(BodyProcessor):
    """Content types the policy does not let through: any non-empty body fails."""

    def process(self, text: str, final: bool) -> str:
        if text:
            raise ContentWithheld("content type is withheld by policy")
        return ""


StreamFactory = Callable[[], TextStream]
