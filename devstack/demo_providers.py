"""The demo model's wire formats (NOT part of the guard): each supported API, streamed and not, with tool calls.

One behaviour, many dialects. :func:`read_turn` turns a request of any API into a :class:`Turn` (the model, the
text to answer with, the first declared tool, whether the last message was a tool result); :func:`answer` picks
what the model says (a tool call when tools are declared and the user spoke last, otherwise text); the
``render_*`` functions write that answer as the API's JSON document or its stream frames.

- ``openai.chat``: ``/v1/chat/completions`` (SSE ``chat.completion.chunk`` events, ``data: [DONE]``)
- ``openai.responses``: ``/v1/responses`` (SSE ``event: response.*`` events)
- ``anthropic.messages``: ``/v1/messages`` (SSE ``message_start`` ... ``message_stop``, as Anthropic sends them)
- ``gemini``: ``/v1beta/models/{model}:generateContent`` / ``:streamGenerateContent?alt=sse``
- ``ollama.chat``: ``/api/chat`` (NDJSON; streamed unless ``"stream": false``)
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


class BadRequest(ValueError):
    """The request is not the shape its API defines (answered with 400)."""


@dataclass(frozen=True)
class Turn:
    model: str
    text: str | None  # the last user text, or the last tool result's text
    tool: str | None  # the first declared tool
    from_tool: bool  # the last message was a tool result
    stream: bool


@dataclass(frozen=True)
class Answer:
    text: str = ""
    tool: str | None = None  # a tool call (with ``arguments``) instead of text
    arguments: dict[str, Any] | None = None


def answer(turn: Turn, text: str) -> Answer:
    """A tool call when tools are declared and the user spoke last; otherwise ``text``."""
    if turn.tool and not turn.from_tool:
        return Answer(tool=turn.tool, arguments={"query": text})
    return Answer(text=text)


def _id(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:24]}"


def _pieces(text: str, n: int) -> Iterator[str]:
    for i in range(0, len(text), n):
        yield text[i : i + n]


def _text_of(content: Any, kinds: tuple[str, ...] = ("text", "input_text", "output_text")) -> str | None:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            str(p.get("text", "")) for p in content if isinstance(p, dict) and p.get("type") in kinds
        )
    return None


def _first_tool(tools: Any) -> str | None:
    for t in tools if isinstance(tools, list) else []:
        if isinstance(t, dict):
            fn: dict[str, Any] = t["function"] if isinstance(t.get("function"), dict) else t
            if isinstance(fn.get("name"), str):
                return str(fn["name"])
    return None


def _sse(data: Any, event: str | None = None) -> bytes:
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {json.dumps(data)}\n\n".encode()


# --- OpenAI chat completions --------------------------------------------------------------------------------


def read_openai_chat(req: dict[str, Any]) -> Turn:
    msgs = req.get("messages")
    if not isinstance(msgs, list) or not msgs:
        raise BadRequest("messages must be a non-empty list")
    last = msgs[-1] if isinstance(msgs[-1], dict) else {}
    from_tool = last.get("role") == "tool"
    text = None
    for m in reversed(msgs):
        if isinstance(m, dict) and m.get("role") in (("tool",) if from_tool else ("user",)):
            text = _text_of(m.get("content"))
            break
    return Turn(str(req.get("model")), text, _first_tool(req.get("tools")), from_tool, req.get("stream") is True)


def render_openai_chat(turn: Turn, ans: Answer) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": ans.text or None}
    if ans.tool:
        message["tool_calls"] = [
            {"id": _id("call_"), "type": "function",
             "function": {"name": ans.tool, "arguments": json.dumps(ans.arguments)}}
        ]
    words = len(ans.text.split())
    return {
        "id": _id("chatcmpl-"), "object": "chat.completion", "created": int(time.time()), "model": turn.model,
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if ans.tool else "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": words, "total_tokens": words + 1},
    }


def stream_openai_chat(turn: Turn, ans: Answer, n: int) -> Iterator[bytes]:
    cid, created = _id("chatcmpl-"), int(time.time())

    def event(delta: dict[str, Any], finish: str | None = None) -> bytes:
        return _sse({"id": cid, "object": "chat.completion.chunk", "created": created, "model": turn.model,
                     "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})

    yield event({"role": "assistant", "content": ""})
    if ans.tool:
        call = {"index": 0, "id": _id("call_"), "type": "function", "function": {"name": ans.tool, "arguments": ""}}
        yield event({"tool_calls": [call]})
        for piece in _pieces(json.dumps(ans.arguments), n):
            yield event({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]})
        yield event({}, "tool_calls")
    else:
        for piece in _pieces(ans.text, n):
            yield event({"content": piece})
        yield event({}, "stop")
    yield b"data: [DONE]\n\n"


# --- OpenAI Responses ---------------------------------------------------------------------------------------


def read_openai_responses(req: dict[str, Any]) -> Turn:
    items = req.get("input")
    text, from_tool = None, False
    if isinstance(items, str):
        text = items
    elif isinstance(items, list) and items:
        last = items[-1] if isinstance(items[-1], dict) else {}
        from_tool = last.get("type") == "function_call_output"
        for it in reversed(items):
            if not isinstance(it, dict):
                continue
            if from_tool and it.get("type") == "function_call_output":
                text = _text_of(it.get("output"))
                break
            if not from_tool and it.get("role") == "user":
                text = _text_of(it.get("content"))
                break
    else:
        raise BadRequest("input must be a string or a non-empty list")
    return Turn(str(req.get("model")), text, _first_tool(req.get("tools")), from_tool, req.get("stream") is True)


def _responses_item(ans: Answer, item_id: str, text: str | None = None) -> dict[str, Any]:
    if ans.tool:
        return {"type": "function_call", "id": item_id, "call_id": item_id.replace("fc_", "call_"),
                "name": ans.tool, "arguments": json.dumps(ans.arguments) if text is None else text,
                "status": "completed" if text is None else "in_progress"}
    return {"type": "message", "id": item_id, "role": "assistant",
            "status": "completed" if text is None else "in_progress",
            "content": [] if text is not None else [{"type": "output_text", "text": ans.text, "annotations": []}]}


def _response(turn: Turn, rid: str, status: str, output: list[dict[str, Any]]) -> dict[str, Any]:
    words = sum(len(str(o.get("arguments", ""))) for o in output) or 1
    return {"id": rid, "object": "response", "created_at": int(time.time()), "status": status,
            "model": turn.model, "output": output, "parallel_tool_calls": True, "tool_choice": "auto", "tools": [],
            "usage": {"input_tokens": 1, "output_tokens": words, "total_tokens": words + 1,
                      "input_tokens_details": {"cached_tokens": 0},
                      "output_tokens_details": {"reasoning_tokens": 0}}}


def render_openai_responses(turn: Turn, ans: Answer) -> dict[str, Any]:
    item_id = _id("fc_" if ans.tool else "msg_")
    return _response(turn, _id("resp_"), "completed", [_responses_item(ans, item_id)])


def stream_openai_responses(turn: Turn, ans: Answer, n: int) -> Iterator[bytes]:
    rid, item_id = _id("resp_"), _id("fc_" if ans.tool else "msg_")
    seq = iter(range(1 << 30))

    def ev(kind: str, **data: Any) -> bytes:
        return _sse({"type": kind, "sequence_number": next(seq), **data}, kind)

    yield ev("response.created", response=_response(turn, rid, "in_progress", []))
    yield ev("response.in_progress", response=_response(turn, rid, "in_progress", []))
    yield ev("response.output_item.added", output_index=0, item=_responses_item(ans, item_id, ""))
    done_item = _responses_item(ans, item_id)
    if ans.tool:
        args = json.dumps(ans.arguments)
        for piece in _pieces(args, n):
            yield ev("response.function_call_arguments.delta", item_id=item_id, output_index=0, delta=piece)
        yield ev("response.function_call_arguments.done", item_id=item_id, output_index=0, arguments=args)
    else:
        part = {"type": "output_text", "text": "", "annotations": []}
        yield ev("response.content_part.added", item_id=item_id, output_index=0, content_index=0, part=part)
        for piece in _pieces(ans.text, n):
            yield ev("response.output_text.delta", item_id=item_id, output_index=0, content_index=0, delta=piece,
                     logprobs=[])
        yield ev("response.output_text.done", item_id=item_id, output_index=0, content_index=0, text=ans.text,
                 logprobs=[])
        yield ev("response.content_part.done", item_id=item_id, output_index=0, content_index=0,
                 part=done_item["content"][0])
    yield ev("response.output_item.done", output_index=0, item=done_item)
    yield ev("response.completed", response=_response(turn, rid, "completed", [done_item]))


# --- Anthropic Messages -------------------------------------------------------------------------------------


def read_anthropic(req: dict[str, Any]) -> Turn:
    msgs = req.get("messages")
    if not isinstance(msgs, list) or not msgs or not isinstance(msgs[-1], dict):
        raise BadRequest("messages must be a non-empty list")
    content = msgs[-1].get("content")
    results = [b for b in content if isinstance(b, dict) and b.get("type") == "tool_result"] \
        if isinstance(content, list) else []
    if results:
        return Turn(str(req.get("model")), _text_of(results[-1].get("content")), _first_tool(req.get("tools")),
                    True, req.get("stream") is True)
    return Turn(str(req.get("model")), _text_of(content), _first_tool(req.get("tools")), False,
                req.get("stream") is True)


def _anthropic_block(ans: Answer, streaming: bool = False) -> dict[str, Any]:
    if ans.tool:
        return {"type": "tool_use", "id": _id("toolu_"), "name": ans.tool,
                "input": {} if streaming else ans.arguments}
    return {"type": "text", "text": "" if streaming else ans.text}


def _anthropic_message(turn: Turn, content: list[dict[str, Any]], stop: str | None, out: int) -> dict[str, Any]:
    return {"id": _id("msg_"), "type": "message", "role": "assistant", "model": turn.model, "content": content,
            "stop_reason": stop, "stop_sequence": None, "usage": {"input_tokens": 1, "output_tokens": out}}


def render_anthropic(turn: Turn, ans: Answer) -> dict[str, Any]:
    stop = "tool_use" if ans.tool else "end_turn"
    return _anthropic_message(turn, [_anthropic_block(ans)], stop, max(1, len(ans.text.split())))


def stream_anthropic(turn: Turn, ans: Answer, n: int) -> Iterator[bytes]:
    def ev(kind: str, **data: Any) -> bytes:
        return _sse({"type": kind, **data}, kind)

    yield ev("message_start", message=_anthropic_message(turn, [], None, 1))
    yield ev("content_block_start", index=0, content_block=_anthropic_block(ans, streaming=True))
    yield ev("ping")
    if ans.tool:
        for piece in _pieces(json.dumps(ans.arguments), n):
            yield ev("content_block_delta", index=0, delta={"type": "input_json_delta", "partial_json": piece})
    else:
        for piece in _pieces(ans.text, n):
            yield ev("content_block_delta", index=0, delta={"type": "text_delta", "text": piece})
    yield ev("content_block_stop", index=0)
    stop = "tool_use" if ans.tool else "end_turn"
    yield ev("message_delta", delta={"stop_reason": stop, "stop_sequence": None},
             usage={"output_tokens": max(1, len(ans.text.split()))})
    yield ev("message_stop")


# --- Gemini generateContent ---------------------------------------------------------------------------------


def read_gemini(req: dict[str, Any], model: str, stream: bool) -> Turn:
    contents = req.get("contents")
    if not isinstance(contents, list) or not contents or not isinstance(contents[-1], dict):
        raise BadRequest("contents must be a non-empty list")
    parts = [p for p in contents[-1].get("parts") or [] if isinstance(p, dict)]
    tool = None
    for t in req.get("tools") or []:
        decls = t.get("functionDeclarations") if isinstance(t, dict) else None
        if isinstance(decls, list) and decls and isinstance(decls[0], dict):
            tool = decls[0].get("name")
            break
    responses = [p["functionResponse"] for p in parts if isinstance(p.get("functionResponse"), dict)]
    if responses:
        resp = responses[-1].get("response")
        text = resp.get("result", resp.get("output")) if isinstance(resp, dict) else resp
        return Turn(model, text if isinstance(text, str) else json.dumps(text), tool, True, stream)
    text = "".join(str(p["text"]) for p in parts if "text" in p)
    return Turn(model, text, tool, False, stream)


def _gemini_chunk(turn: Turn, part: dict[str, Any], finish: str | None, out: int) -> dict[str, Any]:
    cand: dict[str, Any] = {"content": {"role": "model", "parts": [part]}, "index": 0}
    if finish:
        cand["finishReason"] = finish
    return {"candidates": [cand], "modelVersion": turn.model, "responseId": _id(""),
            "usageMetadata": {"promptTokenCount": 1, "candidatesTokenCount": out, "totalTokenCount": out + 1}}


def render_gemini(turn: Turn, ans: Answer) -> dict[str, Any]:
    part = {"functionCall": {"name": ans.tool, "args": ans.arguments}} if ans.tool else {"text": ans.text}
    return _gemini_chunk(turn, part, "STOP", max(1, len(ans.text.split())))


def stream_gemini(turn: Turn, ans: Answer, n: int) -> Iterator[bytes]:
    if ans.tool:  # Gemini sends a function call whole, in one chunk
        yield f"data: {json.dumps(render_gemini(turn, ans))}\r\n\r\n".encode()
        return
    pieces = list(_pieces(ans.text, n)) or [""]
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        chunk = _gemini_chunk(turn, {"text": piece}, "STOP" if last else None, 1)
        yield f"data: {json.dumps(chunk)}\r\n\r\n".encode()


# --- Ollama /api/chat ---------------------------------------------------------------------------------------


def read_ollama(req: dict[str, Any]) -> Turn:
    msgs = req.get("messages")
    if not isinstance(msgs, list) or not msgs or not isinstance(msgs[-1], dict):
        raise BadRequest("messages must be a non-empty list")
    from_tool = msgs[-1].get("role") == "tool"
    text = msgs[-1].get("content")
    if not from_tool:
        text = next((m.get("content") for m in reversed(msgs) if isinstance(m, dict) and m.get("role") == "user"),
                    None)
    return Turn(str(req.get("model")), text if isinstance(text, str) else None, _first_tool(req.get("tools")),
                from_tool, req.get("stream", True) is not False)


def _ollama_line(turn: Turn, message: dict[str, Any], done: bool) -> dict[str, Any]:
    doc: dict[str, Any] = {"model": turn.model, "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime()),
                           "message": message, "done": done}
    if done:
        doc.update({"done_reason": "stop", "total_duration": 1000, "load_duration": 10, "prompt_eval_count": 1,
                    "prompt_eval_duration": 10, "eval_count": 1, "eval_duration": 10})
    return doc


def _ollama_message(ans: Answer) -> dict[str, Any]:
    msg: dict[str, Any] = {"role": "assistant", "content": ans.text}
    if ans.tool:
        msg["tool_calls"] = [{"function": {"name": ans.tool, "arguments": ans.arguments}}]
    return msg


def render_ollama(turn: Turn, ans: Answer) -> dict[str, Any]:
    return _ollama_line(turn, _ollama_message(ans), True)


def stream_ollama(turn: Turn, ans: Answer, n: int) -> Iterator[bytes]:
    if ans.tool:
        yield (json.dumps(_ollama_line(turn, _ollama_message(ans), False)) + "\n").encode()
    else:
        for piece in _pieces(ans.text, n):
            yield (json.dumps(_ollama_line(turn, {"role": "assistant", "content": piece}, False)) + "\n").encode()
    yield (json.dumps(_ollama_line(turn, {"role": "assistant", "content": ""}, True)) + "\n").encode()
