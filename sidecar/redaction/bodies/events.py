"""Streamed model events: the text channels of every supported provider are joined across events and released
per the stream rule (``TextStream``); every other string and key of an event is redacted in place.

Channels (docs/redaction-channels.md lists them per provider):
- OpenAI chat / completions: ``choices[i].delta.{content,reasoning_content,reasoning,refusal}``,
  ``tool_calls[j].function.arguments``, ``choices[i].text``; a choice's ``finish_reason`` closes it.
- OpenAI Responses: text that begins in ``response.output_item.added`` (message parts, function-call
  arguments, reasoning summaries) or ``response.content_part.added`` / ``reasoning_summary_part.added``,
  continued by every ``response.*.delta``; ``*.done`` closes it, ``output_item.done`` closes the item.
- Anthropic: text / thinking that begins in ``content_block_start``, continued by ``content_block_delta``; the
  blocks of one kind are one channel (a block's stop is held while its text may still continue in the next
  block: see ``_resume``; also through a tool block when the text ends inside a token: ``_queued``); tool
  ``partial_json`` per block, closed by ``content_block_stop``.
- Gemini ``streamGenerateContent``: ``candidates[i].content.parts[].text`` (thoughts separately), and the
  ``executableCode.code`` / ``codeExecutionResult.output`` of code execution.
- Ollama NDJSON (with or without ``done``): ``message.content`` / ``message.thinking`` / ``response``.
- MCP JSON-RPC requests and results are complete documents: redacted in place; the text of notifications
  (``notifications/progress`` messages, ``notifications/message`` log data) is joined per method and path.
- Any other JSON event: every string leaf that is not of a strict shape is a generic channel keyed by its
  JSON path, so an identifier split across events at the same path is still seen whole; so is text under an
  unknown key of a Responses delta, an Anthropic delta or a Gemini part (its rest goes out in a copy of its
  event). A leaf's key is read with its value (``_key_with_value``).
- Channel switches: the channels of one chat choice, Anthropic message, Gemini candidate or Ollama answer are a
  family; a tail one of them holds when another one receives text is read joined with what follows before it
  is released (``_Bridge``).

``EventRedactor.event(name, obj)`` returns the events to emit (the given one, possibly preceded by synthesised
delta events carrying text released when a channel closes, or by a held block stop; none while it holds this
one). The text of an event is only held by ``event``;
the caller calls ``flush()`` after the last event of a batch (one network chunk), before serialising: each open
channel is then scanned once and its releasable text placed in the channel's last slot of the batch.
"""

from __future__ import annotations

import copy
import json
import marshal
from collections.abc import Callable
from typing import Any

from sidecar.redaction.bodies import phi_keys
from sidecar.redaction.bodies.json_walk import JsonWalker
from sidecar.redaction.bodies.shapes import value_shape_ok
from sidecar.redaction.errors import BodyParseError
from sidecar.redaction.spans import Span, resolve
from sidecar.redaction.stream import TextStream

Event = tuple[str | None, Any]  # (SSE event name or None, JSON payload)
Key = tuple[Any, ...]
Path = tuple[str | int, ...]
Slot = tuple[Key, Path]  # (channel key, path of the text leaf in the event)
Maker = Callable[[str], Event]
MAX_REMEMBERED_SKELETONS = 64
MAX_HELD_EVENTS = 16  # events held behind a close marker whose channel still holds text (see ``_hold_close``)
BRIDGE_MAX_CHARS = 4096  # text read after a channel switch before the source's held tail is decided anyway
MAX_CHANNELS = 4096  # distinct channels of one body (generic paths included): beyond, the body is withheld
SSE_TEXT = "__sse_text__"  # key of the box carrying a non-JSON SSE data payload
_BOX = "__value__"
# channels whose protocol orders deltas before their part's close marker: finished at the marker (``_close_channel``)
_ORDERED_KINDS = frozenset({"anth", "anthb", "resp"})
# Anthropic blocks of text (any other block between two text blocks is a tool's: held text may go on after it)
_TEXT_BLOCKS = frozenset({"text", "thinking", "redacted_thinking"})
_JOINERS = frozenset("-/@_#+(")
_MESSAGE_CHANNELS = frozenset({"ssetext", "gen", "evgen"})  # key of the box carrying a JSON event that is not an object


class Boxed:
    """An event that is no JSON object (a string, an array), in the box its text slots were filled in: released
    text goes into the box after ``event`` returns (``flush``), so the value is read only when serialised."""

    __slots__ = ("_box",)

    def __init__(self, box: dict[str, Any]) -> None:
        self._box = box

    @property
    def value(self) -> Any:
        return self._box[_BOX]


def payload(obj: Any) -> Any:
    """The JSON value of an emitted event (``Boxed`` unwrapped)."""
    return obj.value if isinstance(obj, Boxed) else obj


def _skeleton(obj: Any) -> bytes:
    """A key of a parsed event (text slots emptied) equal only for equal events, key order and types included:
    marshal's format 2 (no back-references, so the bytes depend on the value alone) is four times cheaper than
    serialising the event as JSON."""
    return marshal.dumps(obj, 2)


_CHAT_DELTA_FIELDS = ("content", "reasoning_content", "reasoning", "refusal")
# an Anthropic delta's own fields (a citation's strings are joined across events, like unknown fields: a client
# shows the citations of a block one after the other)
_ANTH_DELTA_OWN = frozenset({"type", "text", "thinking", "partial_json", "signature"})
# the fields of a Gemini candidate the guard reads itself; the strings under any other (grounding and citation
# metadata, a finish message) are joined across events per candidate and path
_GEM_CANDIDATE_OWN = frozenset({"content", "index", "finishReason"})
_CHAT_DELTA_OWN = frozenset({"role", "tool_calls", "function_call"})  # redacted in place (identifiers.py)
# the fields of a chat choice and of a chat chunk the guard reads itself (log probabilities are emptied: json_walk),
# and the per-chunk metadata of the compatible APIs (Azure content filter results, OpenRouter's provider, vLLM's
# stop reason, Perplexity's citations, Groq's ``x_groq``), each whole in its chunk: redacted in place. The strings
# under any other key are joined across events per path.
_CHAT_CHOICE_OWN = frozenset({"index", "delta", "text", "finish_reason", "logprobs", "content_filter_results",
                              "content_filter_offsets", "native_finish_reason", "stop_reason", "matched_stop"})
_CHAT_CHUNK_OWN = frozenset({"id", "object", "created", "model", "system_fingerprint", "choices", "usage",
                             "service_tier", "obfuscation", "prompt_filter_results", "provider", "citations",
                             "search_results", "x_groq"})
# the fields of an OpenAI Responses delta event and of a Gemini part that the guard reads; text under any other
# key of such an event is a channel of its own (``_generic`` with ``chan``)
_RESP_DELTA_OWN = frozenset({"type", "item_id", "output_index", "content_index", "summary_index",
                             "sequence_number", "delta", "logprobs", "obfuscation"})
_GEM_PART_OWN = frozenset({"text", "thought", "thoughtSignature", "functionCall", "functionResponse", "inlineData",
                           "fileData", "executableCode", "codeExecutionResult", "videoMetadata"})
_GEM_STREAMED = (("executableCode", "code"), ("codeExecutionResult", "output"))
# OpenAI's random padding of a delta event (its length hides the token's): the SDKs discard it and the guard cannot
# read random text, so it is replaced by as many of this character (joining it as text cost a scan per event)
PADDING_FILL = "x"

ANTHROPIC_EVENTS = frozenset(
    {
        "message_start",
        "message_delta",
        "message_stop",
        "content_block_start",
        "content_block_delta",
        "content_block_stop",
        "ping",
        "error",
    }
)
_ANTH_DELTA_TYPE = {"text": "text_delta", "thinking": "thinking_delta", "partial_json": "input_json_delta"}
_RESP_PART_DELTA = {
    "output_text": ("text", "response.output_text.delta"),
    "refusal": ("refusal", "response.refusal.delta"),
    "reasoning_text": ("text", "response.reasoning_text.delta"),
    "summary_text": ("text", "response.reasoning_summary_text.delta"),
}


class _Found:
    """What one event carries: text slots, the channel prefixes it closes, whether it closes every channel."""

    def __init__(self) -> None:
        self.slots: list[Slot] = []
        self.closes: list[Key] = []
        self.close_all = False
        self.block_stop: Any = None  # index of the Anthropic content block this event stops

    def text(self, key: Key, path: Path, obj: Any) -> None:
        v = _get(obj, path)
        if isinstance(v, str) or (type(v) in _NUMBER_TYPES and isinstance(_numeric_text(_get(obj, path[:-1]),
                                                                                        path[-1]), str)):
            self.slots.append((key, path))


def _numeric_text(parent: Any, k: str | int) -> Any:
    """The value at ``parent[k]`` (None when there is none); a number there (where a text piece belongs) is first
    written as its JSON text in place: a client appends it to the text it joins (``"SSN "``, ``478``, ``"-21-"``
    ... reads ``SSN 478-21-``)."""
    if isinstance(parent, dict):
        v = parent.get(k)
    elif isinstance(parent, list) and isinstance(k, int) and 0 <= k < len(parent):
        v = parent[k]
    else:
        return None
    if type(v) in _NUMBER_TYPES:  # not bool (a subclass of int)
        v = parent[k] = json.dumps(v)
    return v


_NUMBER_TYPES = (int, float)


def _get(obj: Any, path: Path) -> Any:
    for p in path:
        if isinstance(obj, dict) and isinstance(p, str):
            obj = obj.get(p)
        elif isinstance(obj, list) and isinstance(p, int) and 0 <= p < len(obj):
            obj = obj[p]
        else:
            return None
    return obj


def _resp_index(obj: dict[str, Any]) -> Any:
    if "content_index" in obj:
        return obj["content_index"]
    return obj.get("summary_index")


def _scan(obj: dict[str, Any]) -> _Found:  # noqa: C901 - one branch per provider shape, kept together
    f = _Found()
    if isinstance(obj.get(SSE_TEXT), str):
        f.text(("ssetext",), (SSE_TEXT,), obj)
        return f
    t = obj.get("type")
    choices = obj.get("choices")
    if isinstance(choices, list) and (obj.get("object") in ("chat.completion.chunk", "text_completion") or t is None):
        for n, c in enumerate(choices):
            if not isinstance(c, dict):
                continue
            i = c.get("index", 0)
            delta = c.get("delta")
            if isinstance(delta, dict):
                for fld in _CHAT_DELTA_FIELDS:
                    v = delta.get(fld)  # what f.text finds at choices[n].delta[fld]
                    if isinstance(v, str) or (type(v) in _NUMBER_TYPES and _numeric_text(delta, fld)):
                        f.slots.append((("chat", i, fld), ("choices", n, "delta", fld)))
                for m, tc in enumerate(delta.get("tool_calls") or ()):
                    if isinstance(tc, dict):
                        f.text(
                            ("chat", i, "tool", tc.get("index", m)),
                            ("choices", n, "delta", "tool_calls", m, "function", "arguments"),
                            obj,
                        )
                if "function_call" in delta:
                    f.text(("chat", i, "function_call"), ("choices", n, "delta", "function_call", "arguments"), obj)
                # any other text of the delta (OpenRouter ``reasoning_details``, Mistral content chunks, audio
                # transcripts): generic channels, joined across events like an unknown event's leaves
                for k, v in delta.items():
                    if k not in _CHAT_DELTA_OWN and not (k in _CHAT_DELTA_FIELDS and isinstance(v, str)):
                        _generic(v, ("choices", n, "delta", k), f, k)
            else:
                f.text(("chat", i, "text"), ("choices", n, "text"), obj)
            if not c.keys() <= _CHAT_CHOICE_OWN:  # text under a key of a choice this guard does not know: joined
                for k in c.keys() - _CHAT_CHOICE_OWN:
                    _generic(c[k], ("choices", n, k), f, k, ("evgen", "chat", i))
            if c.get("finish_reason"):
                f.closes.append(("chat", i))
        if not obj.keys() <= _CHAT_CHUNK_OWN:  # text under a key of the chunk this guard does not know: joined
            for k in obj.keys() - _CHAT_CHUNK_OWN:
                _generic(obj[k], (k,), f, k, ("evgen", "chat"))
        return f
    if t in ANTHROPIC_EVENTS:
        idx = obj.get("index", 0)
        if t == "content_block_start":
            for fld in ("text", "thinking"):
                f.text(("anthb", fld), ("content_block", fld), obj)
        elif t == "content_block_delta":
            for fld in ("text", "thinking"):
                f.text(("anthb", fld), ("delta", fld), obj)
            f.text(("anth", idx, "partial_json"), ("delta", "partial_json"), obj)
            delta = obj.get("delta")
            for k, v in delta.items() if isinstance(delta, dict) else ():
                if k not in _ANTH_DELTA_OWN:  # text of a delta type this guard does not know: joined
                    _generic(v, ("delta", k), f, k, ("evgen", "anth", idx))
        elif t == "content_block_stop":
            f.closes.append(("anth", idx))
            f.block_stop = idx
        elif t == "message_stop":
            f.close_all = True
        return f
    if isinstance(t, str) and t.startswith("response."):
        _responses(obj, t, f)
        return f
    cands = obj.get("candidates")
    if isinstance(cands, list):
        for n, c in enumerate(cands):
            if not isinstance(c, dict):
                continue
            i = c.get("index", n)
            parts = _get(c, ("content", "parts"))
            for m, part in enumerate(parts if isinstance(parts, list) else ()):
                if isinstance(part, dict):
                    kind = "thought" if part.get("thought") else "text"
                    f.text(("gem", i, kind), ("candidates", n, "content", "parts", m, "text"), obj)
                    # code execution streams its code and its output in pieces, like text
                    for own, fld in _GEM_STREAMED:
                        f.text(("gem", i, own), ("candidates", n, "content", "parts", m, own, fld), obj)
                    for k, v in part.items():
                        if k not in _GEM_PART_OWN:  # text under a key of a part this guard does not know: joined
                            _generic(v, ("candidates", n, "content", "parts", m, k), f, k, ("evgen", "gem", i))
                    call = part.get("functionCall")
                    if isinstance(call, dict) and "partialArgs" in call:  # arguments streamed in pieces
                        path = ("candidates", n, "content", "parts", m, "functionCall", "partialArgs")
                        _generic(call["partialArgs"], path, f, "partialArgs")
            for k, v in c.items():
                if k not in _GEM_CANDIDATE_OWN:
                    _generic(v, ("candidates", n, k), f, k, ("evgen", "gem", i))
            if c.get("finishReason"):
                f.closes.append(("gem", i))
        return f
    msg = obj.get("message")
    if (isinstance(msg, dict) or isinstance(obj.get("response"), str)) and (
        "done" in obj or "model" in obj or "created_at" in obj
    ):
        if isinstance(msg, dict):
            f.text(("ollama", "message"), ("message", "content"), obj)
            f.text(("ollama", "thinking"), ("message", "thinking"), obj)
        else:
            f.text(("ollama", "response"), ("response",), obj)
            f.text(("ollama", "thinking"), ("thinking",), obj)
        f.close_all = obj.get("done") is True
        return f
    if obj.get("jsonrpc") == "2.0" and "id" not in obj and isinstance(obj.get("method"), str):
        # notifications (progress, log messages) carry text in pieces, one after the other: joined per method
        _generic(obj.get("params"), ("params",), f, "params", ("evgen", "mcp", obj["method"]))
        return f
    if obj.get("jsonrpc") == "2.0" or set(obj) <= {"error"}:
        return f  # complete documents (MCP requests and results, error objects): redacted in place
    _generic(obj, (), f)
    return f


def _responses(obj: dict[str, Any], t: str, f: _Found) -> None:
    if t == "response.output_item.added":
        item = obj.get("item")
        if not isinstance(item, dict):
            return
        iid = item.get("id")
        if item.get("type") == "message":
            for ci, part in enumerate(item.get("content") or ()):
                spec = _RESP_PART_DELTA.get(str(part.get("type"))) if isinstance(part, dict) else None
                if spec:
                    f.text(("resp", iid, spec[1], ci), ("item", "content", ci, spec[0]), obj)
        elif item.get("type") == "function_call":
            f.text(("resp", iid, "response.function_call_arguments.delta", None), ("item", "arguments"), obj)
        elif item.get("type") == "reasoning":
            for si, part in enumerate(item.get("summary") or ()):
                if isinstance(part, dict):
                    key = ("resp", iid, "response.reasoning_summary_text.delta", si)
                    f.text(key, ("item", "summary", si, "text"), obj)
    elif t in ("response.content_part.added", "response.reasoning_summary_part.added"):
        part = obj.get("part")
        spec = _RESP_PART_DELTA.get(str(part.get("type"))) if isinstance(part, dict) else None
        if spec:
            f.text(("resp", obj.get("item_id"), spec[1], _resp_index(obj)), ("part", spec[0]), obj)
    elif t.endswith(".delta"):
        f.text(("resp", obj.get("item_id"), t, _resp_index(obj)), ("delta",), obj)
        for k, v in obj.items():
            if k not in _RESP_DELTA_OWN:  # text under another key: joined across events
                _generic(v, (k,), f, k, ("evgen", "resp", obj.get("item_id"), _resp_index(obj)))
    elif t.endswith(".added") and t not in ("response.output_item.added", "response.content_part.added",
                                            "response.reasoning_summary_part.added"):
        # an annotation (a citation's title and URL) and any other part of an item added in pieces: joined
        for k, v in obj.items():
            if k not in _RESP_DELTA_OWN:
                _generic(v, (k,), f, k, ("evgen", "resp", obj.get("item_id"), _resp_index(obj)))
    elif t == "response.output_item.done":
        item = obj.get("item")
        f.closes.append(("resp", item.get("id") if isinstance(item, dict) else obj.get("item_id")))
    elif t.endswith(".done"):
        f.closes.append(("resp", obj.get("item_id"), t[: -len(".done")] + ".delta", _resp_index(obj)))
    elif t in ("response.completed", "response.failed", "response.incomplete"):
        f.close_all = True


def _generic(node: Any, path: Path, f: _Found, key: str = "", chan: Key = ("gen",)) -> None:
    """Every string leaf under ``node`` not of a strict shape: a channel ``(*chan, *_channel_path(path))``.
    ``chan`` ``("evgen", ...)``: the leaf is in an event of a known kind, whose held rest goes out in a copy of
    it."""
    if isinstance(node, str):
        if not value_shape_ok(key, node):
            f.slots.append(((*chan, *_channel_path(path)), path))
    elif isinstance(node, dict):
        for k, v in node.items():
            _generic(v, (*path, k), f, k, chan)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _generic(v, (*path, i), f, key, chan)


def _channel_path(path: Path) -> Path:
    """The channel of a leaf at ``path``: its path, with the position of a string in a list read as ``*`` (a client
    joins the strings of a list: ``["478", "-21-5096"]``), and the position of an item of an event that is itself
    a JSON array read as ``*`` too (a stream sent as one array of chunks: the pieces of one field one after the
    other). Positions of objects inside an event keep their own channels (parallel items)."""
    if path and isinstance(path[-1], int):
        path = (*path[:-1], "*")
    if len(path) > 1 and path[0] == _BOX and isinstance(path[1], int):
        path = (_BOX, "*", *path[2:])
    return path


def _family(key: Key) -> Key | None:
    """Channels a client shows one after the other (OpenAI Responses parts of one kind): a new one starts with
    the previous one's released tail as left context, so the part of an identifier split across two parts that
    lands in the second is still redacted there. (Anthropic blocks of one kind share one channel.)"""
    if key[0] == "resp":
        return ("resp", key[2])
    return None


def _switch_family(key: Key) -> Key | None:
    """The text channels of one answer that an upstream can switch between (reasoning, content, refusal, tool
    arguments of every chat choice; Anthropic thinking, text and tool input; Gemini thought and text parts of
    every candidate; Ollama thinking and content): a client may read them one after the other, so a finding that
    crosses a switch (also from one choice to another) is read across it (``_Bridge``)."""
    kind = key[0]
    if kind in ("chat", "gem"):
        return (kind,)  # every choice / candidate: a reader of several reads an identifier split across them
    if kind in ("anth", "anthb"):
        return ("anth",)
    if kind == "ollama":
        return ("ollama",)
    return None


class _Bridge:
    """A switch from channel ``source`` (which still held text) to another channel of its family: the source's
    held tail is read joined with the family's text that followed (``after``, in arrival order) before it is
    released, and what crosses the switch is redacted in the tail too. The channel switched to starts with the
    tail as left context, so it redacts its part of such a finding itself."""

    __slots__ = ("after", "source")

    def __init__(self, source: Key, first: str) -> None:
        self.source = source
        self.after = [first]

    def size(self) -> int:
        return sum(map(len, self.after))


def _cut_token(held: str) -> bool:
    """Whether held text ends inside a token (a letter, a digit or a joiner of an identifier last: ``478-21-``,
    ``Okon``): the next text block may finish it. Text that ends a sentence or a line does not wait for it."""
    return held[-1:].isalnum() or held[-1:] in _JOINERS


def _uncovered_word_char(text: str, start: int, end: int, spans: list[Span]) -> bool:
    """Whether ``text[start:end]`` has a letter or digit outside every one of ``spans``."""
    return any(text[i].isalnum() and not any(s.start <= i < s.end for s in spans) for i in range(start, end))


def _set(obj: Any, path: Path, value: Any) -> None:
    parent = _get(obj, path[:-1])
    parent[path[-1]] = value


def _nest(path: Path, text: str) -> Any:
    """A minimal JSON value with ``text`` at ``path`` (list positions become one-element lists)."""
    node: Any = text
    for p in reversed(path):
        node = [node] if isinstance(p, int) else {p: node}
    return node


def _maker(name: str | None, obj: dict[str, Any], key: Key, path: Path, slots: list[Path]) -> Maker:
    """A function building an event for channel ``key`` that carries only released text (emitted when the
    channel closes in an event that has no slot for it). ``obj`` is an already emitted event, never mutated;
    ``slots``: the paths of its text slots."""

    def make(text: str) -> Event:
        kind = key[0]
        if kind == "evgen":  # a copy of the event (its type, item and index) with only this text in it
            ev = copy.deepcopy(obj)
            for p in slots:
                if isinstance(_get(ev, p), str):
                    _set(ev, p, "")
            _set(ev, path, text)
            ev.pop("usageMetadata", None)
            ev.pop("usage", None)
            for c in ev.get("candidates") or ():
                if isinstance(c, dict):
                    c.pop("finishReason", None)
            for c in ev.get("choices") or ():
                if isinstance(c, dict) and c.get("finish_reason") is not None:
                    c["finish_reason"] = None
            return name, ev
        if kind == "chat":
            ev = copy.deepcopy(obj)
            i = key[1]
            ev["choices"] = [c for c in ev["choices"] if isinstance(c, dict) and c.get("index", 0) == i][:1]
            ev.pop("usage", None)
            c = ev["choices"][0]
            c["finish_reason"] = None
            if "delta" in c:
                if key[2] == "tool":
                    c["delta"] = {"tool_calls": [{"index": key[3], "function": {"arguments": text}}]}
                elif key[2] == "function_call":
                    c["delta"] = {"function_call": {"arguments": text}}
                else:
                    c["delta"] = {key[2]: text}
            else:
                c["text"] = text
            return name, ev
        if kind in ("anth", "anthb"):
            fld, idx = (key[2], key[1]) if kind == "anth" else (key[1], obj.get("index", 0))
            delta = {"type": _ANTH_DELTA_TYPE[fld], fld: text}
            named = "content_block_delta" if name is not None else None
            return named, {"type": "content_block_delta", "index": idx, "delta": delta}
        if kind == "resp":
            # the item id as the walker wrote it in the event that carried the text (``key[1]`` is the raw id)
            iid = obj.get("item_id") if "item_id" in obj else _get(obj, ("item", "id"))
            ev = {"type": key[2], "item_id": iid}
            if isinstance(obj.get("output_index"), int):
                ev["output_index"] = obj["output_index"]
            if key[3] is not None:
                ev["summary_index" if "summary" in key[2] else "content_index"] = key[3]
            ev["delta"] = text
            return (key[2] if name is not None else None), ev
        if kind == "gem":
            part: dict[str, Any] = {"text": text}
            if key[2] == "thought":
                part["thought"] = True
            ev = {"candidates": [{"content": {"parts": [part], "role": "model"}, "index": key[1]}]}
            return name, ev
        if kind == "ollama":
            ev = copy.deepcopy(obj)
            ev["done"] = False
            for k in ("done_reason", "total_duration", "eval_count", "load_duration", "prompt_eval_count",
                      "prompt_eval_duration", "eval_duration", "context"):
                ev.pop(k, None)
            if isinstance(ev.get("message"), dict):
                ev["message"] = {"role": ev["message"].get("role", "assistant"), "content": ""}
                ev["message"]["content" if key[1] != "thinking" else "thinking"] = text
            else:
                ev["response"] = text if key[1] != "thinking" else ""
                if key[1] == "thinking":
                    ev["thinking"] = text
            return name, ev
        if kind == "ssetext":
            return name, {SSE_TEXT: text}
        return name, _nest(path[1:] if path[:1] == (_BOX,) else path, text)

    return make


class EventRedactor:
    def __init__(self, walker: JsonWalker, new_stream: Callable[[], TextStream]) -> None:
        self._walker = walker
        self._new_stream = new_stream
        self._streams: dict[Key, TextStream] = {}
        self._makers: dict[Key, Maker] = {}
        # channel -> (event, path) of its last slot since the last flush: where released text goes
        self._slot: dict[Key, tuple[Any, Path]] = {}
        # Serialised event skeletons (text slots emptied) that walking left unchanged: a stream repeats the
        # same skeleton in every delta event (same id, model, index), so the walk runs once per shape.
        self._unchanged: set[bytes] = set()
        # released text of the last closed channel of each family: left context of the next one (see _family)
        self._last_context: dict[Key, str] = {}
        # Anthropic: kind of each text/thinking block, and a block stop held while its channel holds text
        self._block_kind: dict[Any, str] = {}
        self._deferred: tuple[str | None, Any, str, Any] | None = None
        self._queue: list[Event] | None = None  # events after a held block stop, while a switch is read
        self._queue_bridged = False  # whether the queued block's text has opened a bridge from the held tail
        self._queue_through = False  # whether the queued block is a tool block the held text may continue after
        self._finished: set[Key] = set()  # channels finished (their streams released everything)
        self._anth_blocks: list[Any] = []  # Anthropic content block indices in the order they began
        self._last_of_family: dict[Key, Key] = {}  # switch family -> the channel that last received text
        self._bridges: dict[Key, _Bridge] = {}  # source channel -> its open bridge (see _Bridge)
        self._pair_keys: dict[Key, str] = {}  # channel -> its key as redacted with its value (_key_with_value)
        # Anthropic: message_delta / message_stop after a held block stop, held with it (see ``event``)
        self._after_stop: list[tuple[str | None, dict[str, Any], bool]] = []
        # Responses: a part's close marker held while its channel holds text, with the events after it
        self._held_close: tuple[Key, list[tuple[str | None, dict[str, Any], bool]]] | None = None
        self.max_held_chars = 0

    def _stream(self, key: Key) -> TextStream:
        st = self._streams.get(key)
        if st is None:
            if len(self._streams) >= MAX_CHANNELS:
                raise BodyParseError("too many text channels in one stream")
            fam = _family(key)
            prev = next((k for k in self._streams if k not in self._finished and _family(k) == fam),
                        None) if fam is not None else None
            if prev is not None:
                # an earlier part of this kind is still open: it may hold the start of an identifier this part
                # continues, so its held text flows into this part (one channel, as Anthropic blocks of one kind)
                st = self._streams[key] = self._streams.pop(prev)
                self._slot.pop(prev, None)
                return st
            st = self._streams[key] = self._new_stream()
            if fam is not None and fam in self._last_context:
                st.seed(self._last_context[fam])
        return st

    def _switch(self, key: Key, text: str) -> None:
        """Before ``text`` is added to channel ``key``: follow the switches of its family (``_Bridge``)."""
        fam = _switch_family(key)
        if fam is None or not text:
            return
        for b in [b for b in self._bridges.values() if _switch_family(b.source) == fam]:
            if b.source == key:
                self._decide(b, final=True)  # the source goes on: what followed the switch has ended
            else:
                b.after.append(text)
                if b.size() > BRIDGE_MAX_CHARS:
                    self._decide(b, final=True)
        prev = self._last_of_family.get(fam)
        self._last_of_family[fam] = key
        if prev is None or prev == key or prev in self._bridges or prev in self._finished:
            return
        src = self._streams.get(prev)
        if src is None or not src.held:
            return
        self._bridges[prev] = _Bridge(prev, text)
        self._stream(key).seed(src.context + src.held_text)  # no-op when the channel already carries text

    def _decide(self, b: _Bridge, final: bool) -> bool:
        """Read the source's held tail joined with what followed the switch; once no continuation can change a
        finding that reaches into the tail (or ``final``), hand the findings in it to the source's stream and
        close the bridge. Returns whether it was decided."""
        src = self._streams[b.source]
        r = self._walker.redactor
        left, tail = src.context, src.held_text
        text = left + tail + "".join(b.after)
        lo, hi = len(left), len(left) + len(tail)
        if not final and r.open_at(text) < hi:
            return False
        del self._bridges[b.source]
        crossing = [s for s in r.spans(text) if s.start < hi < s.end]
        if crossing:
            # a crossing finding whose part in the tail the source's own reading finds anyway (all its letters
            # and digits) changes nothing there: it is the other channel's to redact
            own = r.spans(left + tail)
            found = [Span(max(s.start, lo) - lo, hi - lo, s.type, s.score) for s in crossing
                     if _uncovered_word_char(text, max(s.start, lo), hi, own)]
            if found:
                src.redact_held(found)
        return True

    def _close_channel(self, key: Key) -> str:
        """A channel's close marker (``finish_reason``, ``finishReason``, ``*.done``, ``done: true``, a block or
        message stop): what it can release now. Its tail that later text could still continue stays held until
        the body ends (``close``): a client appends text that comes after the marker on the same channel (a
        choice's delta after its ``finish_reason``), so an identifier split across the marker is read whole.
        (Anthropic blocks and Responses parts are finished here: a marker that would cut their held text is held
        before it gets here, with the events after it, until the part goes on, the body ends or
        ``MAX_HELD_EVENTS`` pass: ``_resume`` with ``_after_stop``, ``_close_to_hold``; the next part of a family
        reads on from the last one: ``_family``.)"""
        st = self._streams[key]
        if key in self._bridges:
            self._decide(self._bridges[key], final=True)
        if key[0] in _ORDERED_KINDS:
            return self._finish(key)
        out = st.release()
        return out if st.held else out + self._finish(key)

    def _finish(self, key: Key) -> str:
        st = self._streams[key]
        if key in self._bridges:
            self._decide(self._bridges[key], final=True)
        self._finished.add(key)
        out = st.finish()
        fam = _family(key)
        if fam is not None:
            self._last_context[fam] = st.context
        return out

    def event(self, name: str | None, obj: Any) -> list[Event]:
        if isinstance(obj, (int, float)) and not isinstance(obj, bool):
            obj = json.dumps(obj)  # a bare number event is text a client prints, one after the other
        boxed = not isinstance(obj, dict)
        if boxed:
            obj = {_BOX: obj}
        return self._dispatch(name, obj, boxed)

    def _dispatch(self, name: str | None, obj: dict[str, Any], boxed: bool) -> list[Event]:
        if self._held_close is not None:
            return self._after_held_close(name, obj, boxed)
        if self._queue is not None:
            return self._queued(name, obj, boxed)
        if self._deferred is not None:
            if obj.get("type") == "ping":
                return [(name, self._walker.walk(obj))]
            if obj.get("type") in ("message_delta", "message_stop") and len(self._after_stop) < MAX_HELD_EVENTS:
                # the message's end is no promise from a hostile upstream: text may still follow it, continuing
                # the held tail; these wait with the held block stop
                self._after_stop.append((name, obj, boxed))
                return []
            block = obj.get("content_block")
            if obj.get("type") == "content_block_start" and isinstance(block, dict) and block.get("type") not in (
                    self._deferred[2], None):
                # a block of another kind: its text is read with the held tail first (a channel switch), so
                # the held stop and everything after it wait until that tail is decided
                self._queue = []
                self._queue_bridged = False
                self._queue_through = block.get("type") not in _TEXT_BLOCKS and _cut_token(
                    self._streams[("anthb", self._deferred[2])].held_text)
                return self._queued(name, obj, boxed)
            resumed = self._resume(obj)
            return [*resumed, *self._event(name, obj, boxed)]
        key = self._close_to_hold(obj)
        if key is not None:
            self._held_close = (key, [(name, obj, boxed)])
            return []
        return self._event(name, obj, boxed)

    def _close_to_hold(self, obj: dict[str, Any]) -> Key | None:
        """A Responses close marker (``*.done``, ``response.completed``) of a part whose channel still holds
        text: that part may still go on (protocol order is no promise from a hostile upstream), so the marker and
        the events after it are held (``_after_held_close``) instead of releasing the tail unfinished."""
        t = obj.get("type")
        if not isinstance(t, str) or not t.startswith("response.") or t.endswith((".delta", ".added")):
            return None
        f = _scan(obj)
        return next((k for k, st in self._streams.items() if k[0] == "resp" and k not in self._finished and st.held
                     and self._closes(k, f.closes, f.close_all)), None)

    def _after_held_close(self, name: str | None, obj: dict[str, Any], boxed: bool) -> list[Event]:
        """An event after a held Responses close marker: a delta of the held part continues it (the held events
        go out first, without closing it); any other event waits with them, up to ``MAX_HELD_EVENTS``."""
        assert self._held_close is not None
        key, held = self._held_close
        if obj.get("type") == key[2] and obj.get("item_id") == key[1] and _resp_index(obj) == key[3]:
            self._held_close = None
            out: list[Event] = [(n, Boxed(self._walker.walk(o)) if b else self._walker.walk(o)) for n, o, b in held]
            return [*out, *self._event(name, obj, boxed)]
        held.append((name, obj, boxed))
        return self._release_held_close() if len(held) > MAX_HELD_EVENTS else []

    def _release_held_close(self) -> list[Event]:
        """Finish the held part (its tail goes out in a delta before its close marker), then the held events."""
        assert self._held_close is not None
        (key, held), self._held_close = self._held_close, None
        self._slot.pop(key, None)
        rest = self._finish(key)
        out = [self._makers[key](rest)] if rest else []
        for n, o, b in held:
            out += self._dispatch(n, o, b)
        return out

    def _queued(self, name: str | None, obj: dict[str, Any], boxed: bool) -> list[Event]:
        """An event while an Anthropic block stop waits for a channel switch to be decided (see ``event``):
        the next block's start, deltas and pings are queued; once the held tail is decided (``flush``), or
        when anything else comes, the tail, the stop and the queue go out in their order."""
        assert self._deferred is not None and self._queue is not None
        src = ("anthb", self._deferred[2])
        block = obj.get("content_block")
        if self._queue_through and obj.get("type") == "content_block_start" and isinstance(block, dict) and (
                block.get("type") == self._deferred[2]):
            # a block of the held kind after a tool block: the held text goes on in it (the stop, the tool
            # block, then this block, which carries the tail read joined with its text)
            queue, self._queue = self._queue, None
            return [*self._resume(obj), *queue, *self._event(name, obj, boxed)]
        through = self._queue_through and len(self._queue) < MAX_HELD_EVENTS and obj.get("type") in (
            "content_block_start", "content_block_delta", "content_block_stop", "ping")
        if through or obj.get("type") in ("content_block_start", "content_block_delta", "ping"):
            out = self._event(name, obj, boxed)
            if through or src in self._bridges or not self._queue_bridged:
                self._queue_bridged = self._queue_bridged or src in self._bridges
                self._queue += out
                return []
            return [*self._release_queue(), *out]
        return [*self._release_queue(), *self._event(name, obj, boxed)]

    def _release_queue(self) -> list[Event]:
        assert self._queue is not None
        queue, self._queue = self._queue, None
        return [*self._resume({}), *queue]

    def _resume(self, obj: dict[str, Any]) -> list[Event]:
        """The event after a deferred block stop: a block of the same kind continues the channel (the stop goes
        out now, the held text flows into the new block); anything else ends it (the rest, then the stop)."""
        assert self._deferred is not None
        d_name, d_event, fld, idx = self._deferred
        self._deferred = None
        block, delta = obj.get("content_block"), obj.get("delta")
        after, self._after_stop = self._after_stop, []
        if (obj.get("type") == "content_block_start" and isinstance(block, dict) and block.get("type") == fld) or (
                obj.get("type") == "content_block_delta" and isinstance(delta, dict)
                and isinstance(delta.get(fld), str)):
            # text of the same kind after the stop (and after the message's end): the channel goes on
            return [(d_name, d_event), *((n, self._walker.walk(o)) for n, o, _b in after)]
        key = ("anthb", fld)
        self._slot.pop(key, None)
        rest = self._finish(key)
        out: list[Event] = []
        if rest:
            delta = {"type": _ANTH_DELTA_TYPE[fld], fld: rest}
            out.append(("content_block_delta" if d_name is not None else None,
                        {"type": "content_block_delta", "index": idx, "delta": delta}))
        out.append((d_name, d_event))
        for n, o, b in after:
            out += self._event(n, o, b)
        return out

    def _anthropic_order(self, obj: dict[str, Any]) -> None:
        """Anthropic streams one content block after another; a block that goes on after a later one began
        (interleaved blocks: a client joins each block's text, the guard joins blocks of one kind in arrival
        order) cannot be read the client's way: the body is withheld."""
        if obj.get("type") not in ("content_block_start", "content_block_delta"):
            return
        idx = obj.get("index", 0)
        if idx in self._anth_blocks and idx != self._anth_blocks[-1]:
            raise BodyParseError("Anthropic content blocks interleaved")
        if not self._anth_blocks or idx != self._anth_blocks[-1]:
            if len(self._anth_blocks) >= MAX_CHANNELS:
                raise BodyParseError("too many content blocks in one stream")
            self._anth_blocks.append(idx)

    def _event(self, name: str | None, obj: dict[str, Any], boxed: bool) -> list[Event]:
        self._anthropic_order(obj)
        if obj.get("type") == "content_block_start" and isinstance(obj.get("content_block"), dict):
            kind = obj["content_block"].get("type")
            if kind in ("text", "thinking"):
                self._block_kind[obj.get("index", 0)] = kind
        if isinstance(obj.get("obfuscation"), str) and str(obj.get("type")).startswith("response."):
            obj["obfuscation"] = PADDING_FILL * len(obj["obfuscation"])
        found = _scan(obj)
        # everything except the text slots is redacted as a plain document (each slot holds a string: _scan)
        parents = [_get(obj, path[:-1]) for _key, path in found.slots]
        texts = [parent[path[-1]] for parent, (_key, path) in zip(parents, found.slots, strict=True)]
        for parent, (_key, path) in zip(parents, found.slots, strict=True):
            parent[path[-1]] = ""
        skeleton = _skeleton(obj)
        if skeleton in self._unchanged:
            out_obj = obj
        else:
            out_obj = self._walker.walk(obj)
            if out_obj == obj and len(self._unchanged) < MAX_REMEMBERED_SKELETONS:
                self._unchanged.add(skeleton)
        before: list[Event] = []
        keys = set()
        out_slots: list[Path] = []  # filled below; the makers of this event read it only later
        for (key, path), text in zip(found.slots, texts, strict=True):
            # the walker left the event as it was (same object): every slot is where it was
            out_path = path if out_obj is obj else self._out_path(out_obj, path)
            if out_path is None:
                continue  # a field rule replaced or dropped what holds this text: the rule decided it
            pair: list[Span] = []
            if key[0] in _MESSAGE_CHANNELS and text and isinstance(path[-1], str):
                out_path, pair = self._key_with_value(key, path, out_obj, out_path, text)
            keys.add(key)
            out_slots.append(out_path)
            self._makers[key] = _maker(name, out_obj, key, out_path, out_slots)
            self._switch(key, text)
            st = self._stream(key)
            # SSE text payloads and generic leaves are whole messages: their own findings count too
            # (a generic leaf under a key that names a PHI field is that field whole: phi_keys)
            st.add(text, resolve(pair + phi_keys.whole_value(path, text, self._walker.redactor.profile.types,
                                                             self._walker.redactor.spans(text)))
                   if key[0] in _MESSAGE_CHANNELS and text else None)
            if self._closes(key, found.closes, found.close_all):
                self._slot.pop(key, None)
                _set(out_obj, out_path, self._close_channel(key))
            else:
                self._slot[key] = (out_obj, out_path)
        for key in list(self._streams):
            if key not in keys and self._closes(key, found.closes, found.close_all):
                self._slot.pop(key, None)
                rest = self._close_channel(key)
                if rest:
                    before.append(self._makers[key](rest))
        kind = self._block_kind.get(found.block_stop) if found.block_stop is not None else None
        family = self._streams.get(("anthb", kind)) if kind is not None else None
        if kind is not None and family is not None and family.held and not found.close_all:
            # the block's text may still end in an identifier that the next block continues: hold its stop
            self._deferred = (name, out_obj, kind, found.block_stop)
            return before
        return [*before, (name, Boxed(out_obj) if boxed else out_obj)]

    def _key_with_value(self, key: Key, path: Path, out_obj: Any, out_path: Path, text: str
                        ) -> tuple[Path, list[Span]]:
        """A streamed leaf's key is text too, read with its value as a client prints them (as ``JsonWalker``
        reads a document's pairs): a finding that crosses from the key into this piece of the value renames
        the key (redacted where it lies) and is returned for the piece (offsets into ``text``); a new channel
        starts with the key as left context, so a later piece that continues such a finding is redacted."""
        k = path[-1]
        assert isinstance(k, str)
        if not self._walker.reads_with_value(k, tuple("*" if isinstance(p, int) else p for p in path)):
            return out_path, []
        if key not in self._streams:
            self._stream(key).seed(k + " ")
        in_k, in_v = self._walker.pair_spans(k, text)
        r = self._walker.redactor
        # the key's own findings too: it is renamed from the raw key, not from the walker's redacted one
        new = r.apply(k, resolve(in_k + r.spans(k))) if in_k else self._pair_keys.get(key)
        if new is None:
            return out_path, []
        if len(self._pair_keys) < MAX_CHANNELS:
            self._pair_keys[key] = new  # the same key in a later event of this channel reads the same
        parent = _get(out_obj, out_path[:-1])
        old = out_path[-1]
        new = JsonWalker.unique(new, k, {kk: None for kk in parent if kk != old}) if new != old else old
        items = list(parent.items())
        parent.clear()
        parent.update((new if kk == old else kk, vv) for kk, vv in items)
        return (*out_path[:-1], new), in_v

    def _out_path(self, out_obj: Any, path: Path) -> Path | None:
        """``path`` in the walked event (object keys scanned by the walker may have been renamed)."""
        node = out_obj
        out: list[str | int] = []
        for p in path:
            if isinstance(p, str):
                if not isinstance(node, dict):
                    return None
                q = p if p in node else self._walker.key(p)
                if q not in node:
                    return None
                node = node[q]
                out.append(q)
            else:
                if not isinstance(node, list) or p >= len(node):
                    return None
                node = node[p]
                out.append(p)
        return tuple(out) if isinstance(node, str) else None

    def flush(self) -> None:
        """End of a batch: release what each open channel can, into its last slot of the batch."""
        for b in list(self._bridges.values()):
            self._decide(b, final=False)
        for key, (obj, path) in self._slot.items():
            _set(obj, path, self._streams[key].release())
        self._slot.clear()
        self._track()

    def close(self) -> list[Event]:
        """End of the stream (or a terminal marker such as ``data: [DONE]``): release every channel."""
        out = self._release_held_close() if self._held_close is not None else []
        if self._queue is not None:
            out += self._release_queue()
        elif self._deferred is not None:
            out += self._resume({})
        self._slot.clear()
        for key in list(self._streams):
            rest = self._finish(key)
            if rest:
                out.append(self._makers[key](rest))
        self._track()
        return out

    def close_text(self) -> list[Event]:
        return self.close()

    def _track(self) -> None:
        for st in self._streams.values():
            self.max_held_chars = max(self.max_held_chars, st.max_held_chars)

    @staticmethod
    def _closes(key: Key, closes: list[Key], close_all: bool) -> bool:
        return close_all or any(key[: len(c)] == c for c in closes)
