"""An answer's model and tool names are identifiers checked against the request (bodies/identifiers.py): an
undeclared tool name or a model name with a word no model name has is replaced; legitimate answers of every
provider shape pass byte-identical (controls)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sidecar.redaction.bodies.identifiers import UNDECLARED_TOOL, AnswerIdentifiers
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.settings import RedactionSettings

from .conftest import KEY

LAST = "Okonkwo"


def _walk(engine: RedactionEngine, doc: Any, request: AnswerIdentifiers | None, profile: str = "safe_harbor",
          ctype: str = "application/json") -> Any:
    proc = engine.open_body(profile, ctype, request=request)
    body = json.dumps(doc).encode() if ctype == "application/json" else doc
    out = proc.feed(body) + proc.finish()
    return json.loads(out) if ctype == "application/json" else out.decode()


def _openai(model: str, tool: str) -> dict[str, Any]:
    return {"id": "chatcmpl-RtQwErTyUiOp", "object": "chat.completion", "model": model, "choices": [
        {"index": 0, "message": {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_abc123def456", "type": "function", "function": {"name": tool, "arguments": "{}"}}]},
         "finish_reason": "tool_calls"}]}


def _anthropic(model: str, tool: str) -> dict[str, Any]:
    return {"id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message", "role": "assistant", "model": model,
            "content": [{"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": tool, "input": {}}],
            "stop_reason": "tool_use"}


def _gemini(model: str, tool: str) -> dict[str, Any]:
    return {"candidates": [{"content": {"parts": [{"functionCall": {"name": tool, "args": {}}}], "role": "model"},
                            "finishReason": "STOP"}], "modelVersion": model}


def _responses(model: str, tool: str) -> dict[str, Any]:
    return {"id": "resp_67ccd3a9da748190baa7", "object": "response", "status": "completed", "model": model,
            "output": [{"id": "fc_abc123def456", "type": "function_call", "call_id": "call_abc123def456",
                        "name": tool, "arguments": "{}"}]}


def _bedrock(model: str, tool: str) -> dict[str, Any]:
    return {"output": {"message": {"role": "assistant", "content": [
        {"toolUse": {"toolUseId": "tooluse_AbCdEfGhIj", "name": tool, "input": {}}}]}}, "stopReason": "tool_use"}


SHAPES = [_openai, _anthropic, _gemini, _responses, _bedrock]
LEGIT = [("gpt-4o", "gpt-4o-2024-08-06"), ("claude-3-5-sonnet-latest", "claude-3-5-sonnet-20241022"),
         ("gemini-2.0-flash", "gemini-2.0-flash-001"), ("llama3.1:8b", "llama3.1:8b-instruct-q4_K_M"),
         ("echo", "echo"), ("ft:gpt-4o-mini:acme::AbC123", "ft:gpt-4o-mini:acme::AbC123"),
         ("anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-haiku-20240307-v1:0")]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("requested", "answered"), LEGIT)
def test_control_legitimate_answers_pass_byte_identical(engine: RedactionEngine, shape: Any, requested: str,
                                                         answered: str) -> None:
    doc = shape(answered, "get_weather")
    assert _walk(engine, doc, AnswerIdentifiers.of(requested, ["get_weather", "lookup"])) == doc


@pytest.mark.parametrize("shape", SHAPES)
def test_undeclared_tool_names_are_replaced(engine: RedactionEngine, shape: Any) -> None:
    doc = shape("gpt-4o", f"lookup_{LAST}")
    out = json.dumps(_walk(engine, doc, AnswerIdentifiers.of("gpt-4o", ["lookup"])))
    assert LAST not in out and UNDECLARED_TOOL in out
    # control: without the request (offline redaction) a lone surname on no list passes: no detector can know it
    unlisted = shape("gpt-4o", "lookup_Zorbwickle")
    assert "Zorbwickle" in json.dumps(_walk(engine, unlisted, None))
    assert "Zorbwickle" not in json.dumps(_walk(engine, unlisted, AnswerIdentifiers.of("gpt-4o", ["lookup"])))


@pytest.mark.parametrize("shape", [_openai, _anthropic, _gemini, _responses])
@pytest.mark.parametrize("model", [f"{LAST}-v1", f"gpt-4o-{LAST.lower()}", f"{LAST}"])
def test_a_model_name_with_a_foreign_word_becomes_the_requested_model(engine: RedactionEngine, shape: Any,
                                                                      model: str) -> None:
    out = _walk(engine, shape(model, "lookup"), AnswerIdentifiers.of("gpt-4o", ["lookup"]))
    assert LAST.lower() not in json.dumps(out).lower()
    assert (out.get("model") or out.get("modelVersion")) == "gpt-4o"


def test_the_rule_reads_the_stream_shapes(engine: RedactionEngine) -> None:
    events = [
        {"object": "chat.completion.chunk", "model": f"{LAST}-v1", "choices": [{"index": 0, "delta": {"tool_calls": [
            {"index": 0, "id": "call_abc123def456", "type": "function",
             "function": {"name": f"lookup_{LAST}", "arguments": ""}}]}}]},
        {"type": "message_start", "message": {"id": "msg_01XFDUDYJgAACzvnptvVoYEL", "model": f"{LAST}-v1",
                                              "role": "assistant", "content": []}},
        {"type": "content_block_start", "index": 0, "content_block": {
            "type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": f"lookup_{LAST}", "input": {}}},
    ]
    body = "".join(f"data: {json.dumps(e)}\n\n" for e in events).encode()
    out = _walk(engine, body, AnswerIdentifiers.of("gpt-4o", ["lookup"]), ctype="text/event-stream")
    assert LAST not in out and out.count(UNDECLARED_TOOL) == 2 and out.count('"model":"gpt-4o"') == 2


def test_model_keys_in_tool_data_and_profiles_that_keep_names_are_untouched(engine: RedactionEngine) -> None:
    doc = {"jsonrpc": "2.0", "id": 3, "result": {"structuredContent": {"device": {"model": "Infusion-3000"}}}}
    assert _walk(engine, doc, AnswerIdentifiers.of("echo", [])) == doc
    legit = _openai(f"{LAST}-v1", f"lookup_{LAST}")
    assert _walk(engine, legit, AnswerIdentifiers.of("echo", []), profile="clinical") == legit


def test_operators_add_model_words() -> None:
    eng = RedactionEngine(RedactionSettings(model_name_words=["acmemed"]), KEY)
    doc = _openai("acmemed-large-2", "lookup")
    assert _walk(eng, doc, AnswerIdentifiers.of("gpt-4o", ["lookup"])) == doc
    with pytest.raises(ValueError):
        RedactionSettings(model_name_words=["acme med"])
