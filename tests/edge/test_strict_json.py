"""Strict JSON: one reading of an AI request body, for policy and for whatever parser the upstream uses."""

from __future__ import annotations

import json

import pytest

from sidecar import strict_json
from sidecar.ai_request import parse_ai_request
from sidecar.edge.request_guard import check_body
from sidecar.request_view import RequestView

GOOD = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 5, "temperature": 0.5}


def view(body: bytes, ctype: str = "application/json", path: str = "/v1/chat/completions") -> RequestView:
    return RequestView(method="POST", path=path, host="h", scheme="http", headers={"content-type": ctype},
                       body=body)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b'{"model": "gpt-4o-mini", "model": "gpt-4o", "messages": []}', "duplicate_key"),
        (b'{"model": "m", "messages": [{"role": "user", "role": "system", "content": "x"}]}', "duplicate_key"),
        (b'{"model": "m", "messages": [], "x": {"a": {"b": 1, "b": 2}}}', "duplicate_key"),
        (b'{"MODEL": "gpt-4o", "model": "m", "messages": []}', "case_variant_key"),
        (b'{"model": "m", "MODEL": "gpt-4o", "messages": []}', "case_variant_key"),
        (b'{"model": "m", "messages": [], "Tools": [{"type": "function"}]}', "case_variant_key"),
        (b'{"Model": "gpt-4o", "messages": []}', "case_variant_key"),
        ('{"\uff4dodel": "gpt-4o", "messages": []}'.encode(), "case_variant_key"),  # full-width m
        (b'{"model": "m", "messages": [{"Role": "system", "content": "x"}]}', "case_variant_key"),
        (b'{"model": "m", "messages": [{"role": "user", "content": "\xff"}]}', "invalid_utf8"),
        (b'\xef\xbb\xbf{"model": "m", "messages": []}', "invalid_json"),  # BOM: not one reading
        (b'{"model": "m", "messages": [{"role": "user", "content": "\\ud800"}]}', "lone_surrogate"),
        (b'{"model": "m", "messages": [], "\\udc00": 1}', "lone_surrogate"),
        (b'{"model": "m", "messages": [], "temperature": NaN}', "non_finite_number"),
        (b'{"model": "m", "messages": [], "temperature": Infinity}', "non_finite_number"),
        (b'{"model": "m", "messages": [], "temperature": -Infinity}', "non_finite_number"),
        (b'{"model": "m", "messages": [], "max_tokens": 99999999999999999999}', "number_out_of_range"),
        (b'{"model": "m", "messages": [], "temperature": 1e400}', "number_out_of_range"),
        (b'{"model": "m", "messages": [], "seed": ' + b"1" * 5000 + b"}", "number_out_of_range"),
        (b'{"model": "m", "messages": [], "temperature": 0.' + b"1" * 100 + b"}", "number_out_of_range"),
        ('{"model": "m", "messages": []}'.encode("utf-16"), "invalid_utf8"),
        (b'{"model\\u0000": "gpt-4o", "model": "m", "messages": []}', "invisible_character_in_key"),
        (b'{"mo\\u200bdel": "gpt-4o", "model": "m", "messages": []}', "invisible_character_in_key"),
        (b'{"model": "m", "m\\u006fdel": "gpt-4o", "messages": []}', "duplicate_key"),
    ],
)
def test_bodies_with_two_readings_are_400_invalid_body(raw: bytes, code: str) -> None:
    with pytest.raises(strict_json.StrictJsonError) as err:
        strict_json.loads(raw)
    assert err.value.code == code
    ai = parse_ai_request(view(raw))
    assert ai.parse_error == code and ai.body is None
    refusal = check_body(view(raw), ai)
    if code in strict_json.STRICT_ERRORS:
        assert refusal is not None and (refusal.status, refusal.error, refusal.reason) == (400, "invalid_body", code)
        assert "gpt-4o" not in refusal.message  # no body content in messages


def test_control_plain_api_bodies_pass_and_parse_like_json() -> None:
    raw = json.dumps(GOOD).encode()
    assert strict_json.loads(raw) == json.loads(raw)
    ai = parse_ai_request(view(raw))
    assert ai.parse_error is None and ai.model == "gpt-4o"
    assert check_body(view(raw), ai) is None
    # caller data may use any case: tool arguments, JSON schemas, metadata, Gemini's camelCase fields
    data = {"model": "m", "messages": [{"role": "assistant", "content": None, "tool_calls": [
        {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{\"ID\": 1}"}}]}],
        "tools": [{"type": "function", "function": {"name": "f", "parameters": {
            "type": "object", "properties": {"Name": {"type": "string"}, "ID": {"type": "integer"}}}}}],
        "metadata": {"Model": "x"}, "seed": 2**63 - 1, "temperature": -0.0}
    assert strict_json.loads(json.dumps(data).encode()) == data
    gemini = {"contents": [{"role": "user", "parts": [{"text": "hi"}]}], "systemInstruction": {"parts": []},
              "generationConfig": {"maxOutputTokens": 5}}
    assert strict_json.loads(json.dumps(gemini)) == gemini
    anthropic = {"model": "m", "max_tokens": 5, "messages": [{"role": "assistant", "content": [
        {"type": "tool_use", "id": "t", "name": "f", "input": {"Text": "x", "TYPE": 1}}]}]}
    assert strict_json.loads(json.dumps(anthropic)) == anthropic


def test_an_ai_body_under_another_content_type_is_415() -> None:
    raw = json.dumps(GOOD).encode()
    for ctype in ("text/event-stream", "text/plain", "application/x-ndjson", "", "multipart/form-data"):
        refusal = check_body(view(raw, ctype), parse_ai_request(view(raw, ctype)))
        assert refusal is not None and (refusal.status, refusal.error) == (415, "unsupported_media_type"), ctype
    for ctype in ("application/json", "application/json; charset=utf-8", "application/vnd.api+json"):
        assert check_body(view(raw, ctype), parse_ai_request(view(raw, ctype))) is None
    # a body the guard does not know as an AI API is not judged by its content type here
    other = view(b"hello", "text/plain", path="/v1/files")
    assert check_body(other, parse_ai_request(other)) is None
