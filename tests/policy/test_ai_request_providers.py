"""parse_ai_request for the APIs recognised by path (Gemini, Ollama) and MCP session requests."""

from __future__ import annotations

import pytest

from sidecar.ai_request import parse_ai_request
from tests.policy.conftest import view


def test_gemini_generate_content_model_and_stream_from_path() -> None:
    body = {
        "contents": [
            {"role": "user", "parts": [{"text": "Patient SSN 123-45-6789"}]},
            {"role": "model", "parts": [{"functionCall": {"name": "ehr.get_encounter", "args": {"id": "e1"}}}]},
        ],
        "tools": [{"functionDeclarations": [{"name": "ehr.get_encounter"}, {"name": "ehr.get_labs"}]}],
        "generationConfig": {"maxOutputTokens": 256},
    }
    ai = parse_ai_request(view(body, path="/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse"))
    assert (ai.api, ai.provider, ai.model, ai.stream, ai.max_tokens, ai.messages) == (
        "gemini.generate_content", "google", "gemini-2.0-flash", True, 256, 2)
    assert ai.tools == ["ehr.get_encounter", "ehr.get_labs"]
    assert ai.tool_calls == [{"name": "ehr.get_encounter", "arguments": {"id": "e1"}}]
    assert ai.parse_error is None
    plain = parse_ai_request(view({"contents": []}, path="/v1/models/echo:generateContent"))
    assert (plain.api, plain.model, plain.stream) == ("gemini.generate_content", "echo", False)


def test_ollama_chat_streams_by_default() -> None:
    body = {
        "model": "echo",
        "messages": [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": "", "tool_calls": [
                {"function": {"name": "drug_interactions", "arguments": {"drugs": ["a"]}}}]},
        ],
        "tools": [{"type": "function", "function": {"name": "drug_interactions"}}],
        "options": {"num_predict": 99},
    }
    ai = parse_ai_request(view(body, path="/api/chat"))
    assert (ai.api, ai.provider, ai.model, ai.stream, ai.max_tokens) == ("ollama.chat", "ollama", "echo", True, 99)
    assert ai.tools == ["drug_interactions"]
    assert ai.tool_calls == [{"name": "drug_interactions", "arguments": {"drugs": ["a"]}}]
    assert parse_ai_request(view({**body, "stream": False}, path="/api/chat")).stream is False
    assert parse_ai_request(view(body, path="/ollama/api/chat")).api == "ollama.chat"
    assert parse_ai_request(view(body, path="/api/chatty")).api == "unknown"  # control


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1beta/models/echo:generateContent", {"contents": "not a list"}),
        ("/v1beta/models/echo:generateContent", {"contents": [{"parts": [{"functionCall": 1}]}], "tools": [1]}),
        ("/api/chat", {"model": "echo", "messages": {"role": "user"}}),
        ("/api/chat", {"model": "echo", "messages": [], "stream": "yes"}),
    ],
)
def test_bad_provider_shapes_are_parse_errors(path: str, body: dict) -> None:
    assert parse_ai_request(view(body, path=path)).parse_error == "invalid_shape"


def test_mcp_session_get_and_delete_are_mcp_rpc() -> None:
    for method in ("GET", "DELETE"):
        ai = parse_ai_request(view(b"", path="/mcp", method=method, headers={"mcp-session-id": "abc"}))
        assert (ai.api, ai.rpc_method, ai.parse_error) == ("mcp.rpc", f"http.{method.lower()}", None)
    # control: without the session header a bodiless GET is no MCP request
    assert parse_ai_request(view(b"", path="/mcp", method="GET")).api == "unknown"
    # and a body on a DELETE is never waved through as a session request
    ai = parse_ai_request(view(b'{"x": 1}', path="/mcp", method="DELETE", headers={"mcp-session-id": "abc"}))
    assert ai.api == "unknown"
