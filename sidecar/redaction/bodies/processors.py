"""The concrete body processors: buffered JSON, SSE, NDJSON, streamed plain text, and withhold."""

from __future__ import annotations

import html.entities
import json
import re
import unicodedata
from collections.abc import Callable
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from sidecar.redaction.bodies.base import BodyProcessor
from sidecar.redaction.bodies.decode import Decoder
from sidecar.redaction.bodies.events import SSE_TEXT, Event, EventRedactor, payload
from sidecar.redaction.bodies.json_walk import JsonWalker
from sidecar.redaction.bodies.shapes import event_type_ok, value_shape_ok
from sidecar.redaction.errors import BodyParseError, ContentWithheld
from sidecar.redaction.redactor import TextRedactor
from sidecar.redaction.stream import TextStream

Rendered = str | Callable[[], str]


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise BodyParseError("body is not valid JSON") from None


# One encoder for every event (``json.dumps`` with options builds a new one per call, on every SSE event).
_dumps: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
if c_make_encoder is not None:
    # ``JSONEncoder.encode`` also builds its C encoder on every call; this one is built once (no circular check:
    # parsed and walked JSON has no cycles), the same text at two thirds of the cost
    _c_encode = c_make_encoder(None, json.JSONEncoder().default, encode_basestring, None, ":", ",", False, False,
                               True)

    def _dumps(obj: Any) -> str:  # noqa: F811 - the C encoder's form of the encoder above
        return "".join(_c_encode(obj, 0))


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


# Character references of markup (``&#52;``, ``&#x34;``, ``&commat;``): a browser or Markdown renderer shows the
# character, so a digit or letter written as one must be scanned as that character.
_CHAR_REF = re.compile(r"&(?:#[xX]([0-9A-Fa-f]{1,8});?|#([0-9]{1,10});?|([A-Za-z][A-Za-z0-9]{1,31};))")
_PARTIAL_REF = re.compile(r"&(?:#[xX]?[0-9A-Fa-f]{0,8}|[A-Za-z][A-Za-z0-9]{0,31})?\Z")
_MARKUP_CHARS = frozenset("<>&\"'")


def _ref_char(m: re.Match[str]) -> str:
    """The character a reference stands for, when writing it literally changes nothing in the markup (not
    ``< > & " '``, no control character); else the reference as written."""
    if m.group(3) is not None:
        ch = html.entities.html5.get(m.group(3), "")
    else:
        cp = int(m.group(1), 16) if m.group(1) is not None else int(m.group(2))
        ch = chr(cp) if cp <= 0x10FFFF and not 0xD800 <= cp <= 0xDFFF else ""
    if len(ch) != 1 or ch in _MARKUP_CHARS or (unicodedata.category(ch) == "Cc" and ch not in "\t\n"):
        return m.group(0)
    return ch


class MarkupTextProcessor(PlainTextProcessor):
    """HTML, XML and Markdown as one text channel, with character references of ordinary characters written
    as the characters themselves before the scan (``SSN &#52;&#55;&#56;-...`` is an SSN to a reader). A
    reference cut by a chunk boundary is held until the next chunk."""

    def __init__(
        self, redactor: TextRedactor, decoder: Decoder, max_buffered: int, stream: TextStream
    ) -> None:
        super().__init__(redactor, decoder, max_buffered, stream)
        self._ref_tail = ""

    def process(self, text: str, final: bool) -> str:
        text = self._ref_tail + text
        self._ref_tail = ""
        if not final and (m := _PARTIAL_REF.search(text, max(len(text) - 44, 0))):
            text, self._ref_tail = text[: m.start()], text[m.start() :]
        return super().process(_CHAR_REF.sub(_ref_char, text), final)


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


def _json_string(data: str) -> str | None:
    """The string an event's data is when it is one JSON string (``"SSN 478-"``), else None."""
    if not data.lstrip().startswith('"'):
        return None
    try:
        value = json.loads(data)
    except ValueError:
        return None
    return value if isinstance(value, str) else None


class SseProcessor(_FramedProcessor):
    """``text/event-stream`` parsed per the WHATWG EventSource rules (lines end at CRLF, LF or CR; a leading BOM
    is dropped; field names are case-sensitive; one optional space after the colon) and re-serialised from what
    was understood: ``data`` goes through the event redactor (JSON events, or a text channel), ``event`` names
    and ``id`` values are kept only when they have a known shape, ``retry`` only as a short delay; comments and
    unknown fields (``Data:``, ``x-patient:``) are dropped. A record with no SSE field at all (a body that is
    not SSE) withholds the body."""

    sep = "\n\n"

    def __init__(
        self, redactor: TextRedactor, decoder: Decoder, max_buffered: int, events: EventRedactor
    ) -> None:
        super().__init__(redactor, decoder, max_buffered, events)
        self._started = False
        self._ids = ""  # the event ids kept so far (their tail): a client sees them one after another
        self._done_marker = ""  # a ``data: [DONE]`` event seen, sent last (``tail``)

    def process(self, text: str, final: bool) -> str:
        if not self._started and text:
            self._started = True
            if text.startswith("\ufeff"):
                text = text[1:]
        return super().process(text, final)

    def record(self, rec: str, last: bool = False) -> Rendered:
        name: str | None = None
        event_id: str | None = None
        retry: str | None = None
        data_lines: list[str] = []
        known = unknown = comment = False
        for ln in rec.split("\n"):
            if not ln or ln.startswith(":"):
                comment = comment or bool(ln)
                continue  # blank, or a comment: dropped
            field, colon, value = ln.partition(":")
            if colon and value.startswith(" "):
                value = value[1:]
            if field == "data":
                data_lines.append(value)
            elif field == "event":
                name = value if event_name_ok(value) else None
            elif field == "id":
                event_id = value if self._id_ok(value) else None
            elif field == "retry":
                retry = self._retry(value)
            else:
                unknown = True
                continue
            known = True
        if not known:
            if unknown:
                raise BodyParseError("body under text/event-stream is not an event stream")
            return ":\n\n" if comment else ""  # a keep-alive keeps its effect, without the upstream's text
        head = [f"id: {event_id}"] if event_id is not None else []
        if retry is not None:
            head.append(f"retry: {retry}")
        if not data_lines:
            return "\n".join(head) + "\n\n" if head else ""
        data = "\n".join(data_lines)
        if data.strip() == "[DONE]":
            # the terminal marker goes out when the body ends (``tail``), after everything released: a client
            # stops reading at it, and text an upstream sends after it continues the channels it was cut from
            self._done_marker = "\n".join([*head, "data: [DONE]"]) + "\n\n"
            return ""
        if data.lstrip()[:1] in ("{", "["):
            events = self._events.event(name, _loads(data))
        elif (string := _json_string(data)) is not None:
            # a JSON string payload is what a client that parses each event reads: its text, joined by path
            events = self._events.event(name, string)
        else:
            events = self._events.event(name, {SSE_TEXT: data})
        return lambda: self._emit(events, head)

    def _retry(self, value: str) -> str | None:
        """A reconnection delay passes as its number of milliseconds, at most 6 digits (under 17 minutes, shorter
        than any identifier it could carry: 9-digit SSNs and 10-digit phones are dropped), when scanning finds
        nothing in it."""
        if not (value.isascii() and value.isdigit() and len(value.lstrip("0")) <= _MAX_RETRY_DIGITS):
            return None
        ms = str(int(value))
        return ms if self._redactor.redact(ms) == ms else None

    def _id_ok(self, value: str) -> bool:
        """An event id passes when it has the id grammar and scanning finds nothing in it, nor anything that
        reaches into it from the ids kept before it (``id: 478-2`` then ``id: 1-5096``: read one after the
        other, an SSN)."""
        if _SSE_ID.fullmatch(value) is None or self._redactor.redact(value) != value:
            return False
        joined = self._ids + value
        if any(sp.end > len(self._ids) for sp in self._redactor.spans(joined)):
            return False
        self._ids = joined[-_ID_CONTEXT:]
        return True

    @staticmethod
    def _emit(events: list[Event], head: list[str]) -> str:
        """Serialise events; ``head`` (kept id/retry lines) goes with the last one (the original event)."""
        parts = []
        for n, (name, obj) in enumerate(events):
            if isinstance(obj, dict) and SSE_TEXT in obj and len(obj) == 1:
                payload_lines = str(obj[SSE_TEXT]).split("\n")
            else:
                payload_lines = [_dumps(payload(obj))]
            lines = [f"event: {name}"] if name is not None else []
            if n == len(events) - 1:
                lines.extend(head)
            lines.extend(f"data: {p}" for p in payload_lines)
            parts.append("\n".join(lines) + "\n\n")
        return "".join(parts)

    def tail(self) -> str:
        return self._emit(self._events.close(), []) + self._done_marker


_SSE_ID = re.compile(r"[A-Za-z0-9._:/-]{1,128}")
_ID_CONTEXT = 128  # characters of earlier event ids an id is read after
# ``retry`` values longer than this are dropped: they could carry an identifier (a 9-digit SSN, a 10-digit phone)
_MAX_RETRY_DIGITS = 6
_SSE_EVENT_NAMES = frozenset({"message", "endpoint", "completion", "done", "delta"})
_THREAD_EVENT = re.compile(r"thread(?:\.[a-z_]{1,40}){1,4}")


def event_name_ok(name: str) -> bool:
    """An SSE event name of a supported provider (Anthropic, OpenAI Responses and Assistants, MCP)."""
    return (
        name in _SSE_EVENT_NAMES
        or value_shape_ok("type", name)
        or event_type_ok(name, _THREAD_EVENT)
    )


class NdjsonProcessor(_FramedProcessor):
    """``application/x-ndjson`` (Ollama and others): one JSON value per line."""

    def record(self, rec: str, last: bool = False) -> Rendered:
        if not rec.strip():
            return rec + ("" if last else "\n")
        events = self._events.event(None, _loads(rec))
        return lambda: "".join(_dumps(payload(obj)) + "\n" for _name, obj in events)

    def tail(self) -> str:
        return "".join(_dumps(payload(obj)) + "\n" for _name, obj in self._events.close())


class WithholdProcessor(BodyProcessor):
    """Content types the policy does not let through: any non-empty body fails."""

    def process(self, text: str, final: bool) -> str:
        if text:
            raise ContentWithheld("content type is withheld by policy")
        return ""


# The start of an event stream: a field line (``data:``, ``event:``, ``id:``, ``retry:``, or the bare name), after
# a BOM, blank lines and comment lines (EventSource parsers skip them)
_SSE_FIELD = re.compile(r"(?:data|event|id|retry)(?::|\r|\n|\Z)")
_SNIFF_CHARS = 8  # enough to read "retry:" after the blank lines
_SNIFF_LINE_MAX = 65536  # a first line longer than this is read as text


class SniffingTextProcessor(BodyProcessor):
    """A ``text/*`` answer read the way a client may read it whatever its label: a client that asked for a
    stream parses the body as an event stream (OpenAI, Anthropic SDKs), an Ollama client as JSON lines. A body
    that opens like an event stream (a field line, after any comment lines) is redacted as one; a body whose
    first line is a JSON value followed by a line break (or the whole body, one JSON value) as JSON lines;
    anything else as text (``text``). The decision waits for the first line (bounded) and is final."""

    streaming = True

    def __init__(
        self, redactor: TextRedactor, decoder: Decoder, max_buffered: int, text: BodyProcessor,
        sse: Callable[[], BodyProcessor], ndjson: Callable[[], BodyProcessor],
    ) -> None:
        super().__init__(redactor, decoder, max_buffered)
        self._plain, self._sse, self._ndjson = text, sse, ndjson
        self._inner: BodyProcessor | None = None
        self._head = ""

    def process(self, text: str, final: bool) -> str:
        inner = self._inner
        if inner is None:
            self._head += text
            inner = self._decide(final)
            if inner is None:
                return ""
            self._inner = inner
            text, self._head = self._head, ""
        out = inner.process(text, final)
        self.max_held_chars = inner.max_held_chars
        return out

    def _decide(self, final: bool) -> BodyProcessor | None:
        """The processor for this body, once its opening says (None: not yet)."""
        probe = self._head.lstrip("\ufeff\r\n")
        line_end = _line_end(probe)
        while probe.startswith(":") and line_end >= 0 and len(self._head) <= _SNIFF_LINE_MAX:
            probe = probe[line_end:].lstrip("\r\n")  # comments first (keep-alives): the next line decides
            line_end = _line_end(probe)
        if probe.startswith(":") and not final and len(self._head) <= _SNIFF_LINE_MAX:
            return None
        if _SSE_FIELD.match(probe) and (len(probe) >= _SNIFF_CHARS or line_end >= 0 or final):
            return self._sse()
        if line_end >= 0 or final or len(probe) > _SNIFF_LINE_MAX:
            first = probe[:line_end] if line_end >= 0 else probe
            return self._ndjson() if _json_value(first) else self._plain
        if len(probe) >= _SNIFF_CHARS and not probe.lstrip().startswith(("{", "[")):
            return self._plain
        return None


def _line_end(text: str) -> int:
    return min((i for i in (text.find("\n"), text.find("\r")) if i >= 0), default=-1)


def _json_value(line: str) -> bool:
    """``line`` is one JSON object or array (a JSON-lines record)."""
    line = line.strip()
    if not line.startswith(("{", "[")):
        return False
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


StreamFactory = Callable[[], TextStream]
