"""The whole request path through real Envoy, the real guard, the dev OIDC issuer and the demo model.

Each test states what a person would see: who is refused, what reaches the model, and what comes back.
"""

from __future__ import annotations

import json
import re
import ssl
import time

import httpx
import pytest
from openai import AuthenticationError, OpenAI, PermissionDeniedError

pytestmark = pytest.mark.e2e

NAME, SSN, PHONE, EMAIL, DOB = "John Smith", "123-45-6789", "(617) 555-0142", "john.smith@example.org", "03/14/1962"
PHI_TEXT = f"Patient {NAME}, SSN {SSN}, phone {PHONE}, email {EMAIL}, born {DOB}, seen for chest pain."
PHI_VALUES = (NAME, SSN, PHONE, EMAIL, DOB, "555-0142", "6789")


def _tokens_in(text: str) -> list[str]:
    """The planted values in ``text`` as whole tokens: the body's random ids (``chatcmpl-…``) can hold ``6789``."""
    return [v for v in PHI_VALUES if re.search(rf"(?<![0-9A-Za-z]){re.escape(v)}(?![0-9A-Za-z])", text)]


def test_control_token_oracle_finds_values_and_skips_ids() -> None:
    assert _tokens_in(f"SSN ***-**-6789, {NAME}") == [NAME, "6789"]
    assert _tokens_in('{"id": "chatcmpl-a1b26789c"}') == []


def _chat_body(content: str, model: str = "echo", stream: bool = False) -> dict:
    return {"model": model, "messages": [{"role": "user", "content": content}], "stream": stream}


def _post(stack, headers: dict[str, str], body: dict, **kw) -> httpx.Response:
    with stack.http() as client:
        return client.post("/v1/chat/completions", json=body, headers=headers, **kw)


def _openai(stack, sub: str, roles: list[str], purpose: str, **headers: str) -> OpenAI:
    return OpenAI(
        base_url=f"{stack.envoy_url}/v1",
        api_key=stack.token(sub, roles),
        default_headers={"x-phi-guard-purpose": purpose, **headers},
        max_retries=0,
        timeout=20,
    )


def test_no_credentials_is_401_with_reason_and_never_reaches_model(stack) -> None:
    before = stack.demo_stats()
    resp = _post(stack, {}, _chat_body(PHI_TEXT))
    assert resp.status_code == 401
    assert 'error="invalid_token"' in resp.headers["www-authenticate"]
    body = resp.json()
    assert body["error"] == "missing_credentials" and body["request_id"]
    assert stack.demo_stats() == before


def test_garbage_token_is_401_and_token_not_echoed(stack) -> None:
    token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.secret-looking-part"
    resp = _post(stack, {"authorization": f"Bearer {token}"}, _chat_body("hello"))
    assert resp.status_code == 401
    assert "secret-looking-part" not in resp.text


def test_clinician_json_answer_masks_ssn_and_brokers_credential(stack) -> None:
    caller_token = stack.token("dr.house", ["clinician"])
    resp = _post(stack, {"authorization": f"Bearer {caller_token}", "x-phi-guard-purpose": "treatment",
                         "accept-encoding": "gzip, br"}, _chat_body(PHI_TEXT))
    assert resp.status_code == 200, resp.text
    text = resp.json()["choices"][0]["message"]["content"]
    assert SSN not in text and "6789" not in text.replace("[", "")  # clinical profile: SSN never leaves
    assert "chest pain" in text  # the answer stays readable
    assert resp.headers["x-phi-guard-redaction-profile"] == "clinical"
    seen = stack.demo_last()
    assert seen is not None
    headers = {k.lower(): v for k, v in seen["headers"].items()}
    assert caller_token not in json.dumps(headers)  # the caller's credential never reaches the model
    assert stack.upstream_credential() in headers.get("authorization", "")
    assert "accept-encoding" not in headers


def test_researcher_non_streamed_answer_is_safe_harbor_redacted(stack) -> None:
    client = _openai(stack, "r.franklin", ["researcher"], "research")
    answer = client.chat.completions.create(model="echo", messages=[{"role": "user", "content": PHI_TEXT}])
    text = answer.choices[0].message.content or ""
    for value in PHI_VALUES:
        assert value not in text, value
    assert "chest pain" in text


@pytest.mark.parametrize("chunk_chars", ["1", "3", "7"])
def test_researcher_streamed_answer_is_redacted_across_chunks(stack, chunk_chars: str) -> None:
    client = _openai(stack, "r.franklin", ["researcher"], "research", **{"x-demo-chunk-chars": chunk_chars})
    stream = client.chat.completions.create(
        model="echo", messages=[{"role": "user", "content": PHI_TEXT}], stream=True
    )
    text = "".join((c.choices[0].delta.content or "") for c in stream if c.choices)
    for value in PHI_VALUES:
        assert value not in text, value
    assert "chest pain" in text


def test_policy_denial_returns_reasons_and_model_never_sees_request(stack) -> None:
    before = stack.demo_stats()
    client = _openai(stack, "b.clerk", ["billing"], "treatment")  # billing may not act for treatment
    with pytest.raises(PermissionDeniedError) as info:
        client.chat.completions.create(model="echo", messages=[{"role": "user", "content": PHI_TEXT}])
    body = info.value.response.json()
    assert body["error"] == "policy_denied"
    assert body["reasons"] and all(r["code"] for r in body["reasons"])
    assert body["decision_id"] and body["policy_version"]
    assert stack.demo_stats() == before


def test_unknown_model_for_role_is_denied(stack) -> None:
    client = _openai(stack, "n.joy", ["nurse"], "treatment")
    with pytest.raises(PermissionDeniedError):
        client.chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "hi"}])


def test_expired_token_is_rejected_by_sdk_as_authentication_error(stack) -> None:
    expired = stack.token("dr.house", ["clinician"], ttl=600, now=time.time() - 3600)
    client = OpenAI(base_url=f"{stack.envoy_url}/v1", api_key=expired,
                    default_headers={"x-phi-guard-purpose": "treatment"}, max_retries=0)
    with pytest.raises(AuthenticationError) as info:
        client.chat.completions.create(model="echo", messages=[{"role": "user", "content": "hi"}])
    assert info.value.response.json()["error"] == "token_expired"


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_compressed_upstream_answers_do_not_leak(stack, encoding: str) -> None:
    headers = {**stack.auth_headers("r.franklin", ["researcher"]), "x-phi-guard-purpose": "research",
               "x-demo-compress": encoding, "accept-encoding": encoding}
    for stream in (False, True):
        resp = _post(stack, headers, _chat_body(PHI_TEXT, stream=stream))
        assert resp.status_code == 200, resp.text
        assert "content-encoding" not in resp.headers
        assert not _tokens_in(resp.text), (encoding, stream, _tokens_in(resp.text))


def test_tls_listener_serves_openai_sdk_streamed_and_not(stack) -> None:
    http_client = httpx.Client(verify=ssl.create_default_context(cafile=str(stack.ca_cert)), timeout=20)
    client = OpenAI(base_url=f"{stack.envoy_tls_url}/v1", api_key=stack.token("r.franklin", ["researcher"]),
                    default_headers={"x-phi-guard-purpose": "research"}, http_client=http_client, max_retries=0)
    stream = client.chat.completions.create(model="echo", messages=[{"role": "user", "content": PHI_TEXT}],
                                            stream=True)
    text = "".join((c.choices[0].delta.content or "") for c in stream if c.choices)
    assert SSN not in text and NAME not in text and "chest pain" in text
    answer = client.chat.completions.create(model="echo", messages=[{"role": "user", "content": PHI_TEXT}])
    text = answer.choices[0].message.content or ""
    assert SSN not in text and NAME not in text and "chest pain" in text


def test_health_route_skips_the_guard(stack) -> None:
    with stack.http() as client:
        assert client.get("/healthz").status_code == 200


def test_denial_bodies_are_json_untouched_by_response_redaction(stack) -> None:
    """ext_proc also sees ext_authz's local replies: they must reach the caller intact (ids not redacted)."""
    resp = _post(stack, stack.auth_headers("b.clerk", ["billing"]), _chat_body("hi"))
    assert resp.status_code == 403
    body = resp.json()
    assert body["request_id"] and "[" not in body["request_id"]
    assert resp.headers["x-phi-guard-decision-id"] == body["decision_id"]


def test_researcher_prompt_is_minimised_before_it_reaches_the_model(stack) -> None:
    """Policy names a request profile for researchers: the model never sees the identifiers in the prompt."""
    resp = _post(stack, {**stack.auth_headers("r.franklin", ["researcher"]), "x-phi-guard-purpose": "research"},
                 _chat_body(PHI_TEXT))
    assert resp.status_code == 200, resp.text
    seen = stack.demo_last()
    assert seen is not None
    sent = json.dumps(seen["body"]) if not isinstance(seen["body"], str) else seen["body"]
    for value in PHI_VALUES:
        assert value not in sent, value
    assert "chest pain" in sent


def test_clinician_prompt_reaches_the_model_unchanged(stack) -> None:
    """No request profile for treatment: the prompt is the clinician's own, byte for byte."""
    resp = _post(stack, {**stack.auth_headers("dr.house", ["clinician"]), "x-phi-guard-purpose": "treatment"},
                 _chat_body(PHI_TEXT))
    assert resp.status_code == 200, resp.text
    seen = stack.demo_last()
    assert seen is not None
    sent = json.dumps(seen["body"]) if not isinstance(seen["body"], str) else seen["body"]
    assert SSN in sent and NAME in sent
