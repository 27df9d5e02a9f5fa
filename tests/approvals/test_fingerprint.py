"""The request fingerprint a grant is bound to."""

from __future__ import annotations

from sidecar.approvals.fingerprint import canonical_body_hash, request_fingerprint
from sidecar.request_view import RequestView


def view(body: bytes, path: str = "/v1/chat/completions", method: str = "POST",
         purpose: str | None = "treatment") -> RequestView:
    headers = {"x-phi-guard-purpose": purpose} if purpose is not None else {}
    return RequestView(method=method, path=path, host="h", scheme="http", headers=headers, body=body)


BODY = b'{"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "temperature": 0.2}'


def test_canonical_json_ignores_key_order_and_whitespace() -> None:
    same = b'{"temperature":0.2,"messages":[{"content":"hi","role":"user"}],\n "model":"gpt-4o"}'
    assert request_fingerprint(view(BODY), "gpt-4o") == request_fingerprint(view(same), "gpt-4o")
    assert canonical_body_hash(BODY) == canonical_body_hash(same)


def test_any_change_in_what_is_asked_changes_it() -> None:
    base = request_fingerprint(view(BODY), "gpt-4o")
    assert request_fingerprint(view(BODY.replace(b"hi", b"hj")), "gpt-4o") != base
    assert request_fingerprint(view(BODY, path="/v1/responses"), "gpt-4o") != base
    assert request_fingerprint(view(BODY, method="PUT"), "gpt-4o") != base
    assert request_fingerprint(view(BODY), "gpt-4o-mini") != base
    assert request_fingerprint(view(BODY), None) != base


def test_query_string_purpose_and_tools_are_bound_and_method_case_is_normalised() -> None:
    base = request_fingerprint(view(BODY), "gpt-4o")
    assert request_fingerprint(view(BODY, path="/v1/chat/completions?x=1"), "gpt-4o") != base
    assert request_fingerprint(view(BODY, path="/v1/chat/completions?"), "gpt-4o") != base
    assert request_fingerprint(view(BODY, purpose="operations"), "gpt-4o") != base
    assert request_fingerprint(view(BODY, purpose=None), "gpt-4o") != base
    assert request_fingerprint(view(BODY, purpose=" Treatment "), "gpt-4o") == base  # as policy reads it
    assert request_fingerprint(view(BODY), "gpt-4o", tools=["search"]) != base
    assert request_fingerprint(view(BODY), "gpt-4o", tools=["a", "b"]) == request_fingerprint(
        view(BODY), "gpt-4o", tools=["b", "a"])
    assert request_fingerprint(view(BODY, method="post"), "gpt-4o") == base
    other_host = RequestView(method="POST", path="/v1/chat/completions", host="other", scheme="http",
                             headers={"x-phi-guard-purpose": "treatment"}, body=BODY)
    assert request_fingerprint(other_host, "gpt-4o") != base


def test_duplicate_keys_never_hash_like_the_body_policy_judged() -> None:
    dup = b'{"model": "gpt-4o", "model": "other", "messages": [{"role": "user", "content": "hi"}]}'
    assert canonical_body_hash(dup) != canonical_body_hash(b'{"model": "other", "messages": '
                                                           b'[{"role": "user", "content": "hi"}]}')


def test_non_json_bodies_hash_raw_bytes() -> None:
    a = request_fingerprint(view(b"not json {"), None)
    assert a == request_fingerprint(view(b"not json {"), None)
    assert a != request_fingerprint(view(b"not json  {"), None)
    assert request_fingerprint(view(b"\xff\xfe"), None).startswith("fp2:")
    assert request_fingerprint(view(b""), None) != request_fingerprint(view(b"{}"), None)


def test_a_named_scope_replaces_the_request() -> None:
    a = request_fingerprint(view(BODY), "gpt-4o", scope="oncology-cohort-42")
    assert a == request_fingerprint(view(b"other", path="/x"), None, scope="oncology-cohort-42")
    assert a != request_fingerprint(view(BODY), "gpt-4o", scope="oncology-cohort-43")
    assert a != request_fingerprint(view(BODY), "gpt-4o")
    assert a != request_fingerprint(view(BODY, purpose="operations"), "gpt-4o", scope="oncology-cohort-42")


def test_a_scope_that_is_not_a_name_is_ignored_so_the_grant_stays_narrow() -> None:
    # The policy's approval_scope document (api/model/purpose/tools) describes the request; it must not
    # widen a grant to every body.
    doc = {"api": "openai.chat", "model": "gpt-4o", "purpose": "treatment", "tools": []}
    assert request_fingerprint(view(BODY), "gpt-4o", scope=doc) == request_fingerprint(view(BODY), "gpt-4o")  # type: ignore[arg-type]
    assert request_fingerprint(view(BODY), "gpt-4o", scope="") == request_fingerprint(view(BODY), "gpt-4o")
