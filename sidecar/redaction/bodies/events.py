"""Streamed model events (OpenAI chat/completions/responses, Anthropic messages, Ollama): the text
deltas are joined per channel and redacted with a hold-back; every other string is redacted in place.

``EventRedactor.event(name, obj)`` returns the events to emit (the given one, possibly preceded by
synthesised delta events carrying text released when a channel closes); ``close()`` flushes the rest.
The text of an event is only held by ``event``: the caller must call ``flush()`` after the last event of
a batch (one Envoy chunk) and before serialising the returned events: each open channel is then scanned
once and its releasable text placed in the channel's last delta slot of the batch.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from sidecar.redaction.bodies.json_walk import JsonWalker
from sidecar.redaction.stream import TextStream

Event = tuple[str | None, Any]  # (SSE event name or None, JSON payload)
Slot = tuple[tuple[Any, ...], dict[str, Any], str]  # (channel key, container, field)
Maker = Callable[[str], Event]
MAX_REMEMBERED_SKELETONS = 64


def _slots(obj: dict[str, Any]) -> tuple[list[Slot], list[tuple[Any, ...]], bool]:
    """Text delta slots in ``obj``, channel prefixes it closes, whether it closes every channel."""
    slots: list[Slot] = []
    closes: list[tuple[Any, ...]] = []
    if isinstance(obj.get("__sse_text__"), str):  # a non-JSON SSE data payload
        return [(("ssetext",), obj, "__sse_text__")], closes, False
    t = obj.get("type")
    choices = obj.get("choices")
    if isinstance(choices, list) and (
        obj.get("object") in ("chat.completion.chunk", "text_completion") or t is None
    ):
        for c in choices:
            if not isinstance(c, dict):
                continue
            i = c.get("index", 0)
            delta = c.get("delta")
            if isinstance(delta, dict):
                for f in ("content", "reasoning_content", "refusal"):
                    if isinstance(delta.get(f), str):
                        slots.append((("chat", i, f), delta, f))
                for tc in delta.get("tool_calls") or ():
                    fn = tc.get("function") if isinstance(tc, dict) else None
                    if isinstance(fn, dict) and isinstance(fn.get("arguments"), str):
                        slots.append((("chat", i, "tool", tc.get("index", 0)), fn, "arguments"))
            elif isinstance(c.get("text"), str):
                slots.append((("chat", i, "text"), c, "text"))
            if c.get("finish_reason"):
                closes.append(("chat", i))
        return slots, closes, False
    if t == "content_block_delta" and isinstance(obj.get("delta"), dict):
        d = obj["delta"]
        for f in ("text", "partial_json", "thinking"):
            if isinstance(d.get(f), str):
                slots.append((("anth", obj.get("index", 0), f), d, f))
        return slots, closes, False
    if t == "content_block_stop":
        return slots, [("anth", obj.get("index", 0))], False
    if t == "message_stop":
        return slots, closes, True
    if (
        isinstance(t, str)
        and t.startswith("response.")
        and t.endswith(".delta")
        and isinstance(obj.get("delta"), str)
    ):
        slots.append((("resp", t, obj.get("item_id"), obj.get("content_index")), obj, "delta"))
        return slots, closes, False
    if isinstance(t, str) and t.startswith("response.") and t.endswith(".done"):
        return (
            slots,
            [("resp", t[: -len(".done")] + ".delta", obj.get("item_id"), obj.get("content_index"))],
            False,
        )
    if t in ("response.completed", "response.failed", "response.incomplete"):
        return slots, closes, True
    msg = obj.get("message")
    if "done" in obj and (isinstance(msg, dict) or isinstance(obj.get("response"), str)):
        if isinstance(msg, dict) and isinstance(msg.get("content"), str):
            slots.append((("ollama", "message"), msg, "content"))
        elif isinstance(obj.get("response"), str):
            slots.append((("ollama", "response"), obj, "response"))
        return slots, closes, bool(obj.get("done"))
    return slots, closes, False


def _maker(name: str | None, obj: dict[str, Any], key: tuple[Any, ...], field: str) -> Maker:
    """A function building a delta event for ``key`` that carries only released text. ``obj`` is an
    already emitted event (never mutated afterwards); it is copied only when an event is needed."""

    def make(text: str) -> Event:
        ev = copy.deepcopy(obj)
        if key[0] == "chat":
            i = key[1]
            ev["choices"] = [c for c in ev["choices"] if isinstance(c, dict) and c.get("index", 0) == i][:1]
            ev.pop("usage", None)
            c = ev["choices"][0]
            c["finish_reason"] = None
            if "delta" in c:
                if key[2] == "tool":
                    c["delta"] = {"tool_calls": [{"index": key[3], "function": {"arguments": text}}]}
                else:
                    c["delta"] = {key[2]: text}
            else:
                c["text"] = text
        elif key[0] == "ollama":
            ev["done"] = False
            for k in ("done_reason", "total_duration", "eval_count"):
                ev.pop(k, None)
            if key[1] == "message":
                ev["message"]["content"] = text
            else:
                ev["response"] = text
        else:
            _, container, _ = next(sl for sl in _slots(ev)[0] if sl[0] == key)
            container[field] = text
        return name, ev

    return make


class EventRedactor:
    def __init__(self, walker: JsonWalker, new_stream: Callable[[], TextStream]) -> None:
        self._walker = walker
        self._new_stream = new_stream
        self._streams: dict[tuple[Any, ...], TextStream] = {}
        self._makers: dict[tuple[Any, ...], Maker] = {}
        # channel -> (container, field) of its last delta slot since the last flush: where released text goes
        self._slot: dict[tuple[Any, ...], tuple[dict[str, Any], str]] = {}
        # Serialised event skeletons (text slots emptied) that walking left unchanged: a stream repeats the
        # same skeleton in every delta event (same id, model, index), so the walk runs once per shape.
        self._unchanged: set[str] = set()
        self.max_held_chars = 0

    def _stream(self, key: tuple[Any, ...]) -> TextStream:
        st = self._streams.get(key)
        if st is None:
            st = self._streams[key] = self._new_stream()
        return st

    def event(self, name: str | None, obj: Any) -> list[Event]:
        if not isinstance(obj, dict):
            return [(name, self._walker.walk(obj))]
        slots, closes, close_all = _slots(obj)
        texts = [container[field] for _key, container, field in slots]
        # everything except the text slots is redacted as a plain document
        for _key, container, field in slots:
            container[field] = ""
        skeleton = json.dumps(obj, separators=(",", ":"))
        if skeleton in self._unchanged:
            out_obj, out_slots = obj, slots
        else:
            out_obj = self._walker.walk(obj)
            out_slots, _, _ = _slots(out_obj)
            if out_obj == obj and len(self._unchanged) < MAX_REMEMBERED_SKELETONS:
                self._unchanged.add(skeleton)
        before: list[Event] = []
        slot_keys = set()
        for (key, _c, field), (_k2, out_container, _f2), text in zip(slots, out_slots, texts, strict=True):
            slot_keys.add(key)
            self._makers[key] = _maker(name, out_obj, key, field)
            st = self._stream(key)
            st.add(text)
            if self._closes(key, closes, close_all):
                self._slot.pop(key, None)
                out_container[field] = st.finish()
            else:
                self._slot[key] = (out_container, field)
                out_container[field] = ""
        for key in list(self._streams):
            if key not in slot_keys and self._closes(key, closes, close_all):
                self._slot.pop(key, None)
                rest = self._streams[key].finish()
                if rest:
                    before.append(self._makers[key](rest))
        return [*before, (name, out_obj)]

    def flush(self) -> None:
        """End of a batch: release what each open channel can, into its last slot of the batch."""
        for key, (container, field) in self._slot.items():
            container[field] = self._streams[key].release()
        self._slot.clear()
        self._track()

    def close(self) -> list[Event]:
        out = []
        self._slot.clear()
        for key, st in self._streams.items():
            rest = st.finish()
            if rest:
                out.append(self._makers[key](rest))
        self._track()
        return out

    def close_text(self) -> list[Event]:
        """Flush before a terminal marker such as ``data: [DONE]``."""
        return self.close()

    def _track(self) -> None:
        for st in self._streams.values():
            self.max_held_chars = max(self.max_held_chars, st.max_held_chars)

    @staticmethod
    def _closes(key: tuple[Any, ...], closes: list[tuple[Any, ...]], close_all: bool) -> bool:
        return close_all or any(key[: len(c)] == c for c in closes)
