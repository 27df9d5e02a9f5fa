"""The edges through real Envoy, the real guard and the demo model acting as a hostile upstream (and tests acting as
hostile callers): response headers, the request side under a request profile, parser differentials, approval
binding and break-glass reasons. Each class is shown streamed and not, with a control that passes."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from devstack.info import StackInfo

pytestmark = pytest.mark.e2e

NAME, SSN, EMAIL = "John Smith", "123-45-6789", "john.smith@example.org"
PHI = (NAME, "Smith", SSN, "6789", EMAIL)
PROMPT = f"Patient {NAME}, SSN {SSN}, email {EMAIL}, chest pain."

HOSTILE_HEADERS = [
    ["x-patient-name", NAME],
    ["set-cookie", f"session=1; patient={SSN}"],
    ["location", f"https://ehr.example.org/patients/{SSN}"],
    ["link", f"<https://ehr.example.org/p/{SSN}>; rel=next"],
    ["x-request-id", NAME],  # allowlisted name, value off its shape
    ["request-id", SSN],  # id shape, but an SSN
    ["openai-processing-ms", f"12 {NAME}"],
    ["x-ms-diagnostics", f"lookup for SSN {SSN}"],  # a provider id header holding an SSN: dropped
    ["x-ms-region", f"req_{SSN}"],  # id shape, SSN glued to it: dropped
    ["x-envoy-patient", NAME],
    ["x-phi-guard-decision-id", NAME],
    ["www-authenticate", f'Bearer realm="{NAME}"'],
    # what a provider legitimately sends: kept
    ["openai-processing-ms", "412"],
    ["x-ratelimit-remaining-requests", "9999"],
    ["x-request-id", "req_7f3a9c2b1d4e5f60"],
]
HEADERS_KEPT = {"openai-processing-ms": "412", "x-ratelimit-remaining-requests": "9999"}


def _chat(content: str = "hello", model: str = "echo", stream: bool = False, **extra: Any) -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": content}], "stream": stream, **extra}


def _headers(stack: StackInfo, sub: str, roles: list[str], purpose: str, **extra: str) -> dict[str, str]:
    return {"authorization": f"Bearer {stack.token(sub, roles)}", "x-phi-guard-purpose": purpose, **extra}


def _clinician(stack: StackInfo, **extra: str) -> dict[str, str]:
    return _headers(stack, "dr.house", ["clinician"], "treatment", **extra)


def _researcher(stack: StackInfo, **extra: str) -> dict[str, str]:
    return _headers(stack, "r.franklin", ["researcher"], "research", **extra)


def _sse(text_parts: list[str]) -> list[str]:
    chunk = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {}}]}
    events = []
    for t in text_parts:
        chunk["choices"][0]["delta"] = {"content": t}
        events.append(f"data: {json.dumps(chunk)}\n\n")
    return [*events, "data: [DONE]\n\n"]


def _no_phi_in_headers(resp: httpx.Response) -> None:
    dumped = "\n".join(f"{k}: {v}" for k, v in resp.headers.multi_items())
    for value in PHI:
        assert value not in dumped, (value, dumped)


# --- 1. response headers --------------------------------------------------------------------------------------

@pytest.mark.parametrize("streamed", [False, True])
@pytest.mark.parametrize("status", [200, 500])
def test_hostile_response_headers_never_reach_the_client(stack: StackInfo, streamed: bool, status: int) -> None:
    if streamed:
        answer = {"status": status, "headers": [["content-type", "text/event-stream"], *HOSTILE_HEADERS],
                  "chunks": _sse(["The answer ", "is fine."]), "delay_ms": 5}
    else:
        body = {"id": "chatcmpl-1", "object": "chat.completion", "model": "echo",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": "The answer is fine."},
                             "finish_reason": "stop"}]}
        answer = {"status": status, "headers": [["content-type", "application/json"], *HOSTILE_HEADERS],
                  "chunks": [json.dumps(body)]}
    stack.demo_script(answer)
    with stack.http() as client:
        resp = client.post("/v1/chat/completions", json=_chat(stream=streamed), headers=_clinician(stack))
    assert resp.status_code == status, resp.text
    _no_phi_in_headers(resp)
    for name in ("x-patient-name", "set-cookie", "location", "link", "x-envoy-patient", "www-authenticate",
                 "request-id"):
        assert name not in resp.headers, name
    assert "x-ms-diagnostics" not in resp.headers and "x-ms-region" not in resp.headers
    assert resp.headers["x-phi-guard-redaction-profile"] == "clinical"
    assert resp.headers.get("x-phi-guard-decision-id", "") not in ("", NAME)  # ours, not the upstream's
    if streamed:  # the stream releases text as it arrives: join the deltas
        text = "".join(
            c.get("delta", {}).get("content") or ""
            for line in resp.text.splitlines() if line.startswith("data: {")
            for c in json.loads(line[6:]).get("choices", [])
        )
    else:
        text = resp.text
    assert "The answer" in text


def test_control_provider_headers_pass_through_envoy(stack: StackInfo) -> None:
    stack.demo_script({"headers": [["content-type", "application/json"], *[[k, v] for k, v in HEADERS_KEPT.items()],
                                   ["x-request-id", "req_7f3a9c2b1d4e5f60"]],
                       "chunks": [json.dumps({"choices": [{"index": 0, "message": {"role": "assistant",
                                                                                   "content": "ok"}}]})]})
    with stack.http() as client:
        resp = client.post("/v1/chat/completions", json=_chat(), headers=_clinician(stack))
    assert resp.status_code == 200, resp.text
    for k, v in HEADERS_KEPT.items():
        assert resp.headers.get(k) == v, k
    # the oracle can fail: the same check finds a planted header when it is there
    with pytest.raises(AssertionError):
        _no_phi_in_headers(httpx.Response(200, headers={"x-a": NAME}))


# Random ids the whole-value scan dropped (a name fragment "bea"; an IBAN checksum passing by chance, under every
# profile), and ids carrying an identifier or glued to a name (sidecar/edge/opaque_tokens.py).
RANDOM_IDS_KEPT = {"mcp-session-id": "0f6c243bea1f4c2e9d71a5b3c8e0d2f4",
                   "apim-request-id": "cf766ede-4ad3-4fb5-a554-83e395679759",
                   "request-id": "req_cf766ede4ad34fb5a55483e395679759"}
IDS_CARRYING_PHI = {"openai-project": "478215096abcdef0", "x-ms-request-id": "maria-okonkwo-7f3a9c2b1d4e5f60718293a4",
                    "x-ms-client-request-id": "JohnSmith", "anthropic-organization-id": "a1b2-478-21-5096"}


@pytest.mark.parametrize("streamed", [False, True])
def test_random_ids_pass_and_ids_carrying_phi_do_not(stack: StackInfo, streamed: bool) -> None:
    """Under safe_harbor (a researcher): opaque random ids reach the client unchanged, whatever they spell by
    chance; an id padding an SSN, glued to a name, or a name itself is dropped."""
    ids = [[k, v] for k, v in {**RANDOM_IDS_KEPT, **IDS_CARRYING_PHI}.items()]
    if streamed:
        answer = {"headers": [["content-type", "text/event-stream"], *ids], "chunks": _sse(["fine"])}
    else:
        answer = {"headers": [["content-type", "application/json"], *ids],
                  "chunks": [json.dumps({"choices": [{"index": 0, "message": {"role": "assistant",
                                                                              "content": "fine"}}]})]}
    stack.demo_script(answer)
    with stack.http() as client:
        resp = client.post("/v1/chat/completions", json=_chat(stream=streamed), headers=_researcher(stack))
    assert resp.status_code == 200, resp.text
    assert resp.headers["x-phi-guard-redaction-profile"] == "safe_harbor"
    for k, v in RANDOM_IDS_KEPT.items():
        assert resp.headers.get(k) == v, (k, dict(resp.headers))
    for k in IDS_CARRYING_PHI:
        assert k not in resp.headers, (k, resp.headers[k])
    # Envoy's own request id comes back as Envoy made it: the request profile scans it as a token, not as text
    # (a whole-value scan redacted one in ten, ``[ID]-5c66-...``)
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", resp.headers["x-request-id"])


def test_control_ids_carrying_phi_reach_the_client_without_the_guard(stack: StackInfo) -> None:
    """The oracle can fail: straight from the demo model (no Envoy, no guard) every planted id is there."""
    stack.demo_script({"headers": [["content-type", "application/json"],
                                   *[[k, v] for k, v in IDS_CARRYING_PHI.items()]],
                       "chunks": [json.dumps({"choices": []})]})
    resp = httpx.post(f"{stack.upstream_url}/v1/chat/completions", json=_chat(),
                      headers={"authorization": f"Bearer {stack.upstream_credential()}"}, timeout=30)
    for k, v in IDS_CARRYING_PHI.items():
        assert resp.headers.get(k) == v, k


# --- 2. the request side under a request profile ----------------------------------------------------------------

def _model_saw(stack: StackInfo) -> str:
    seen = stack.demo_last()
    assert seen is not None
    return json.dumps(seen)


def _leaks(seen: str) -> list[str]:
    """The planted values found in what the model saw, each as a whole token: a random request id, trace id or
    timestamp that happens to hold the digits ``6789`` is no leak (that flaked one CI run in a thousand)."""
    return [v for v in PHI if re.search(rf"(?<![0-9A-Za-z]){re.escape(v)}(?![0-9A-Za-z])", seen)]


def test_control_leak_oracle_finds_whole_values_only() -> None:
    assert _leaks(json.dumps({"content": f"Patient {NAME}, SSN {SSN}"})) == [NAME, "Smith", SSN, "6789"]
    assert _leaks("SSN ***-**-6789") == ["6789"]
    assert not _leaks('{"x-request-id": "9a1f6789c0de", "time": 1796551576.6789123}')


@pytest.mark.parametrize("streamed", [False, True])
def test_researcher_prompt_reaches_the_model_redacted_whatever_the_caller_labels(stack: StackInfo,
                                                                                 streamed: bool) -> None:
    # control: the plain request, prompt redacted at the model
    with stack.http() as client:
        resp = client.post("/v1/chat/completions", json=_chat(PROMPT, stream=streamed), headers=_researcher(stack))
        assert resp.status_code == 200, resp.text
        seen = _model_saw(stack)
        assert "chest pain" in seen and not _leaks(seen), _leaks(seen)
        # the caller's content type must not choose the processor: 415, nothing reaches the model
        before = stack.demo_stats()["requests"]
        for ctype in ("text/event-stream", "text/plain", "application/x-ndjson"):
            resp = client.post("/v1/chat/completions", content=json.dumps(_chat(PROMPT, stream=streamed)),
                               headers=_researcher(stack, **{"content-type": ctype}))
            assert resp.status_code == 415 and resp.json()["error"] == "unsupported_media_type", resp.text
        # the guard-only routing header cannot be set by a caller
        resp = client.post("/v1/chat/completions", json=_chat(PROMPT, stream=streamed),
                           headers=_researcher(stack, **{"x-phi-guard-request-body": "skip"}))
        assert resp.status_code == 200, resp.text
        assert stack.demo_stats()["requests"] == before + 1
        seen = _model_saw(stack)
        assert "chest pain" in seen and not _leaks(seen), _leaks(seen)


def test_researcher_query_string_and_extra_headers(stack: StackInfo) -> None:
    with stack.http() as client:
        before = stack.demo_stats()["requests"]
        resp = client.post(f"/v1/chat/completions?patient={NAME.replace(' ', '%20')}&ssn={SSN}",
                           json=_chat("hello"), headers=_researcher(stack))
        assert resp.status_code == 400 and resp.json()["error"] == "phi_in_url", resp.text
        assert SSN not in resp.text
        resp = client.post(f"/v1/chat/completions?q=SSN%2520{SSN}", json=_chat("hello"), headers=_researcher(stack))
        assert resp.status_code == 400 and resp.json()["error"] == "phi_in_url", resp.text  # double-encoded
        assert stack.demo_stats()["requests"] == before  # never reached the model
        resp = client.post("/v1/chat/completions", json=_chat("hello"),
                           headers=_researcher(stack, **{"x-patient": f"{NAME} SSN {SSN}",
                                                         "x-note": f"email {EMAIL}", f"x-ssn-{SSN}": "1",
                                                         "user-agent": f"agent for {NAME} {SSN}"}))
        assert resp.status_code == 200, resp.text
        headers = (stack.demo_last() or {})["headers"]
        assert "x-patient" in headers and "x-note" in headers  # redacted, not dropped
        assert f"x-ssn-{SSN}" not in headers
        assert not _leaks(json.dumps(headers)), _leaks(json.dumps(headers))
        # control: a clinician (no request profile) is not minimised
        resp = client.post("/v1/chat/completions?trace=1", json=_chat("hello"),
                           headers=_clinician(stack, **{"x-note": f"SSN {SSN}"}))
        assert resp.status_code == 200, resp.text
        assert SSN in (stack.demo_last() or {})["headers"].get("x-note", "")


# --- 3. parser differentials --------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"model": "not-allowed", "model": "echo", "messages": [{"role": "user", "content": "hi"}]}',
         "duplicate_key"),
        (b'{"model": "echo", "MODEL": "gpt-4.5", "messages": [{"role": "user", "content": "hi"}]}',
         "case_variant_key"),
        (b'{"model": "echo", "messages": [{"role": "user", "content": "hi"}], "Tools": [{"type": "function"}]}',
         "case_variant_key"),
        (b'{"model": "echo", "messages": [{"role": "user", "content": "hi \xff"}]}', "invalid_utf8"),
        (b'{"model": "echo", "messages": [{"role": "user", "content": "\\ud83d"}]}', "lone_surrogate"),
        (b'{"model": "echo", "messages": [{"role": "user", "content": "hi"}], "temperature": NaN}',
         "non_finite_number"),
        (b'{"model": "echo", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 1e999}',
         "number_out_of_range"),
    ],
)
def test_bodies_with_two_readings_are_400_and_never_reach_the_model(stack: StackInfo, raw: bytes,
                                                                    reason: str) -> None:
    before = stack.demo_stats()["requests"]
    with stack.http() as client:
        resp = client.post("/v1/chat/completions", content=raw,
                           headers=_clinician(stack, **{"content-type": "application/json"}))
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"] == "invalid_body" and resp.json()["reason"] == reason
    assert stack.demo_stats()["requests"] == before
    # control: the same request with one reading passes, and the model gets exactly the bytes policy judged
    good = json.dumps(_chat("hi")).encode()
    with stack.http() as client:
        resp = client.post("/v1/chat/completions", content=good,
                           headers=_clinician(stack, **{"content-type": "application/json"}))
    assert resp.status_code == 200, resp.text
    assert (stack.demo_last() or {})["body"] == good.decode()


# --- 4. approval binding ------------------------------------------------------------------------------------------

HELD = "Summarise the psychotherapy notes from the last session for the care plan."


def _approve(stack: StackInfo, approval_id: str) -> None:
    r = httpx.post(f"{stack.envoy_url}/phi-guard/v1/approvals/{approval_id}/approve", timeout=30,
                   headers={"authorization": f"Bearer {stack.token('officer.okafor', ['compliance-officer'])}"})
    assert r.status_code == 200, r.text


def test_a_grant_is_bound_to_every_field_of_the_request(stack: StackInfo) -> None:
    with stack.http() as client:
        def send(path: str = "/v1/chat/completions", purpose: str = "treatment", body: dict[str, Any] | None = None,
                 sub: str = "dr.chen", **headers: str) -> httpx.Response:
            return client.post(path, json=body or _chat(HELD),
                               headers=_headers(stack, sub, ["clinician"], purpose, **headers))

        held = send()
        assert held.status_code == 403 and held.json()["error"] == "approval_required", held.text
        aid = held.json()["approval"]["id"]
        _approve(stack, aid)
        before = stack.demo_stats()["requests"]
        variants = {
            "requester": send(sub="dr.patel", **{"x-phi-guard-approval": aid}),
            "purpose": send(purpose="operations", **{"x-phi-guard-approval": aid}),
            "query": send(path="/v1/chat/completions?x=1", **{"x-phi-guard-approval": aid}),
            "body": send(body=_chat(HELD + " Also list the diagnoses."), **{"x-phi-guard-approval": aid}),
            "model": send(body=_chat(HELD, model="gpt-4o"), **{"x-phi-guard-approval": aid}),
            "tools": send(body=_chat(HELD, tools=[{"type": "function", "function": {"name": "export_notes"}}]),
                          **{"x-phi-guard-approval": aid}),
            "path": send(path="/v1/responses", body={"model": "echo", "input": HELD},
                         **{"x-phi-guard-approval": aid}),
        }
        for field, resp in variants.items():
            assert resp.status_code == 403, (field, resp.text)
            expected = "approval_wrong_requester" if field == "requester" else "approval_request_mismatch"
            assert resp.json()["error"] in (expected, "policy_denied"), (field, resp.text)
            if field in ("purpose", "query", "body", "model"):
                assert resp.json()["error"] == expected, (field, resp.text)
        assert stack.demo_stats()["requests"] == before  # none of them reached the model
        # control: the identical request uses the grant once
        ok = send(**{"x-phi-guard-approval": aid})
        assert ok.status_code == 200, ok.text
        again = send(**{"x-phi-guard-approval": aid})
        assert again.status_code == 403 and again.json()["error"] == "approval_used"


# --- 5. break-glass reasons ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "reason",
    ["\u3164" * 30, "\u2800" * 30, "\u115f\u1160" * 15, "\u200b" * 30, "a\u200bb\u3164c\u2800d", "code blue"],
)
def test_break_glass_reasons_need_visible_words(stack: StackInfo, reason: str) -> None:
    before = stack.demo_stats()["requests"]
    with stack.http() as client:
        headers: dict[str, str | bytes] = {**_clinician(stack), "x-phi-guard-break-glass": reason.encode("utf-8")}
        resp = client.post("/v1/chat/completions", json=_chat(HELD), headers=headers)
    assert resp.status_code == 403, resp.text
    codes = {r["code"] for r in resp.json().get("reasons", [])}
    assert codes & {"break_glass_reason_required", "break_glass_reason_too_short"}, resp.text
    assert stack.demo_stats()["requests"] == before


def test_control_break_glass_with_a_real_reason_passes(stack: StackInfo) -> None:
    with stack.http() as client:
        resp = client.post("/v1/chat/completions", json=_chat(HELD),
                           headers=_clinician(stack, **{"x-phi-guard-break-glass": "patient in crisis now"}))
    assert resp.status_code == 200, resp.text


def test_the_guard_stays_up(stack: StackInfo) -> None:
    with stack.http() as client:
        resp = client.post("/v1/chat/completions", json=_chat("hello"), headers=_clinician(stack))
    assert resp.status_code == 200, resp.text


def _audit_events(stack: StackInfo, subject: str) -> list[dict[str, Any]]:
    import io
    from pathlib import Path

    from sidecar.audit.export import export_events
    from sidecar.audit.keys import load_keys
    from sidecar.config import load_settings

    settings = load_settings(stack.guard_config)
    keys = load_keys(settings.audit, Path(settings.state_dir), create=False)
    buf = io.StringIO()
    export_events(stack.s3_client(), stack.audit_bucket, settings.audit.prefix, keys, buf, subject=subject)
    return [json.loads(line) for line in buf.getvalue().splitlines()]


def test_dropped_response_headers_are_counted_in_the_audit_event(stack: StackInfo) -> None:
    import time

    sub = "dr.headers"
    body = {"choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}}]}
    stack.demo_script({"headers": [["content-type", "application/json"], *HOSTILE_HEADERS],
                       "chunks": [json.dumps(body)]})
    with stack.http() as client:
        resp = client.post("/v1/chat/completions", json=_chat("audit marker"),
                           headers=_headers(stack, sub, ["clinician"], "treatment"))
    assert resp.status_code == 200, resp.text
    deadline = time.monotonic() + 60  # segments seal every few seconds, then ship to S3
    events: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        events = [e for e in _audit_events(stack, sub) if e.get("status") == 200]
        if events:
            break
        time.sleep(2)
    assert events, "no audit event shipped"
    dropped = int(events[-1].get("response", {}).get("headers_dropped", 0))
    # x-patient-name, set-cookie, location, link, x-request-id (2 values), request-id, openai-processing-ms
    # (2 values), x-ms-diagnostics, x-ms-region, x-envoy-patient, x-phi-guard-decision-id, www-authenticate
    assert dropped >= 10, events[-1].get("response")


def test_property_identifiers_planted_in_random_headers_never_reach_the_client(stack: StackInfo) -> None:
    """Random header sets (provider names, wildcard names, arbitrary names; identifiers glued into ids, dates,
    numbers) from a hostile upstream, streamed and not: no identifier in any header the client receives."""
    import re

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    planted = ["123-45-6789", "John Smith", "john.smith@example.org", "(617) 555-0142"]
    names = ["x-request-id", "request-id", "openai-processing-ms", "x-ratelimit-remaining-tokens",
             "anthropic-ratelimit-requests-reset", "x-ms-region", "x-goog-request-id", "mcp-session-id",
             "retry-after", "date", "vary", "cache-control", "x-patient", "set-cookie", "location", "etag"]
    value = st.tuples(st.sampled_from(["", "req_", "id:", "x-", "v="]), st.sampled_from(planted),
                      st.sampled_from(["", "_1", ".x"])).map("".join)

    def squash(v: str) -> str:
        return re.sub(r"[^0-9A-Za-z@]", "", v).lower()

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(st.sampled_from(names), value), min_size=1, max_size=5), st.booleans())
    def run(headers: list[tuple[str, str]], streamed: bool) -> None:
        ctype = "text/event-stream" if streamed else "application/json"
        chunks = _sse(["fine"]) if streamed else [json.dumps({"choices": [{"index": 0, "message": {
            "role": "assistant", "content": "fine"}}]})]
        stack.demo_script({"headers": [["content-type", ctype], *[list(h) for h in headers]], "chunks": chunks})
        with stack.http() as client:
            resp = client.post("/v1/chat/completions", json=_chat(stream=streamed), headers=_clinician(stack))
        assert resp.status_code == 200, resp.text
        seen = squash(" ".join(f"{k} {v}" for k, v in resp.headers.multi_items()))
        for p in planted:
            assert squash(p) not in seen, (p, headers, dict(resp.headers))

    run()
