"""parse_ai_request: every API shape, and malformed bodies that must never raise."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sidecar.ai_request import parse_ai_request
from tests.policy.conftest import chat, view


def test_openai_chat() -> None:
    body = chat(
        max_tokens=300, stream=True, tools=[{"type": "function", "function": {"name": "ehr.get_labs"}}]
    )
    body["messages"].append(
        {
            "role": "assistant",
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "ehr.get_labs", "arguments": '{"patient_ids": ["a", "b"]}'},
                }
            ],
        }
    )
    ai = parse_ai_request(view(body))
    assert (ai.api, ai.provider, ai.model, ai.stream, ai.max_tokens) == (
        "openai.chat",
        "openai",
        "gpt-4o",
        True,
        300,
    )
    assert ai.tools == ["ehr.get_labs"]
    assert ai.tool_calls == [{"name": "ehr.get_labs", "arguments": {"patient_ids": ["a", "b"]}}]
    assert ai.messages == 2 and ai.parse_error is None
    assert ai.patient_count == 2


def test_openai_max_completion_tokens() -> None:
    ai = parse_ai_request(view(chat(max_completion_tokens=77)))
    assert ai.max_tokens == 77


def test_openai_responses() -> None:
    body = {
        "model": "gpt-4.1",
        "input": [
            {"role": "user", "content": "hi"},
            {"type": "function_call", "name": "drug_interactions", "arguments": "{}"},
        ],
        "max_output_tokens": 50,
        "tools": [{"type": "function", "name": "drug_interactions"}],
    }
    ai = parse_ai_request(view(body, path="/v1/responses"))
    assert (ai.api, ai.model, ai.max_tokens, ai.messages) == ("openai.responses", "gpt-4.1", 50, 2)
    assert ai.tools == ["drug_interactions"]
    assert ai.tool_calls == [{"name": "drug_interactions", "arguments": {}}]
    assert parse_ai_request(view({"model": "m", "input": "plain"}, path="/v1/responses")).messages == 1


def test_anthropic_messages() -> None:
    body = {
        "model": "claude-sonnet-4",
        "max_tokens": 1024,
        "system": "be brief",
        "messages": [
            {
                "role": "assistant",
                "content": [
                    {"type": "tool_use", "id": "t", "name": "ehr.search_patients", "input": {"q": "x"}}
                ],
            }
        ],
    }
    ai = parse_ai_request(view(body, path="/v1/messages"))
    assert (ai.api, ai.provider, ai.max_tokens) == ("anthropic.messages", "anthropic", 1024)
    assert ai.tool_calls == [{"name": "ehr.search_patients", "arguments": {"q": "x"}}]


def test_mcp_tools_call_and_other_methods() -> None:
    call = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "ehr.get_encounter", "arguments": {"mrns": ["1", "2", "3"]}},
    }
    ai = parse_ai_request(view(call, path="/mcp"))
    assert (ai.api, ai.provider, ai.rpc_method) == ("mcp.tools_call", "mcp", "tools/call")
    assert ai.tools == ["ehr.get_encounter"] and ai.patient_count == 3
    listing = parse_ai_request(view({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}, path="/mcp"))
    assert (listing.api, listing.rpc_method, listing.parse_error) == ("mcp.rpc", "tools/list", None)


def test_sensitive_topics_and_mrns() -> None:
    text = "MRN: 12345678 and MRN 87654321 on methadone; HIV viral load; BRCA1 result; psychotherapy notes"
    ai = parse_ai_request(view(chat(text=text)))
    assert ai.topics == ["genetic", "hiv", "psychotherapy_notes", "substance_use"]
    assert ai.patient_count == 2
    assert ai.text_chars == len(text)


@pytest.mark.parametrize(
    ("raw", "path", "code"),
    [
        (b"{not json", "/v1/chat/completions", "invalid_json"),
        (b"\xff\xfe\x00", "/v1/chat/completions", "invalid_utf8"),
        (b"[1, 2]", "/v1/chat/completions", "not_an_object"),
        (b'{"model": "m", "messages": "hi"}', "/v1/chat/completions", "invalid_shape"),
        (b'{"model": 5, "messages": []}', "/v1/chat/completions", "invalid_shape"),
        (b'{"model": "m", "messages": [], "max_tokens": "lots"}', "/v1/chat/completions", "invalid_shape"),
        (b'{"model": "m", "messages": [], "max_tokens": true}', "/v1/chat/completions", "invalid_shape"),
        (b'{"model": "m", "messages": ["x"]}', "/v1/messages", "invalid_shape"),
        (b'{"model": "m"}', "/v1/responses", "invalid_shape"),
        (b'{"jsonrpc": "2.0", "method": "tools/call", "params": {}}', "/mcp", "invalid_shape"),
        (b"", "/v1/chat/completions", "empty_body"),
        (b"[" * 100 + b"]" * 100, "/v1/chat/completions", "not_an_object"),
        (
            b'{"model": "m", "messages": [], "x": ' + b"[" * 80 + b"]" * 80 + b"}",
            "/v1/chat/completions",
            "invalid_shape",
        ),
    ],
)
def test_malformed_bodies_set_parse_error(raw: bytes, path: str, code: str) -> None:
    ai = parse_ai_request(view(raw, path=path))
    assert ai.parse_error == code


def test_truncated_and_encoded_bodies() -> None:
    assert parse_ai_request(view(chat(), truncated=True)).parse_error == "truncated"
    enc = view(chat(), headers={"content-encoding": "gzip"})
    assert parse_ai_request(enc).parse_error == "encoded_body"


def test_unknown_api_and_bodiless_get() -> None:
    ai = parse_ai_request(view({"input": "x", "model": "e5"}, path="/v1/embeddings"))
    assert (ai.api, ai.model, ai.parse_error) == ("unknown", "e5", None)
    get = parse_ai_request(view(b"", path="/v1/models", method="GET"))
    assert (get.api, get.parse_error) == ("unknown", None)


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=300),
    st.sampled_from(["/v1/chat/completions", "/v1/responses", "/v1/messages", "/mcp", "/x"]),
)
def test_never_raises_on_arbitrary_bytes(raw: bytes, path: str) -> None:
    ai = parse_ai_request(view(raw, path=path))
    json.dumps(ai.to_input())


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            ["model", "messages", "input", "tools", "max_tokens", "stream", "jsonrpc", "method", "params"]
        ),
        _json,
        max_size=6,
    ),
    st.sampled_from(["/v1/chat/completions", "/v1/responses", "/v1/messages", "/mcp"]),
)
def test_never_raises_on_arbitrary_json(doc: dict, path: str) -> None:
    ai = parse_ai_request(view(doc, path=path))
    json.dumps(ai.to_input())
