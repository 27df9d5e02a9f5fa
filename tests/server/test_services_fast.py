"""``Check`` and ``Process`` with in-memory stages and canned protos (milliseconds; the Envoy end-to-end
versions are tests/e2e/test_replicas.py and tests/envoy)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from google.protobuf.json_format import MessageToDict
from google.rpc import code_pb2

from sidecar import protocol as P
from sidecar.policy.model import Decision
from sidecar.server.handoff import Handoff, from_document
from tests.server.fakes import (
    FakeAudit,
    FakeCredentials,
    FakePolicy,
    authz_service,
    chat_body,
    check_request,
    ext_proc_service,
    processing_requests,
    released_body,
    response_header,
    run_process,
)


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def _metadata_doc(resp: Any) -> dict[str, Any]:
    return MessageToDict(resp.dynamic_metadata)


def _upstream_headers(resp: Any) -> dict[str, str]:
    return {h.header.key: h.header.value for h in resp.ok_response.headers}


def test_check_allows_and_hands_off_through_metadata_without_phi() -> None:
    svc, deps = authz_service()
    resp = run(svc.Check(check_request(chat_body()), None))
    assert resp.status.code == code_pb2.OK
    md = _metadata_doc(resp)
    assert md[P.MD_REQUEST_ID] == "req-1" and md[P.MD_DECISION_ID] == "dec-1"
    assert md[P.MD_RESPONSE_PROFILE] == "safe_harbor" and md[P.MD_POLICY_VERSION] == "v-test"
    assert md[P.MD_SUB] == "dr.who" and md[P.MD_ROLES] == ["researcher"] and md[P.MD_MODEL] == "gpt-4o"
    assert len(md[P.MD_REQUEST_SHA256]) == 64
    assert "Lovelace" not in json.dumps(md), "the hand-off must never carry the prompt"
    # the request half is audited at Check time, with the body (the audit log encrypts it)
    assert [(k, e["outcome"]) for k, e in deps.audit.events] == [("allowed", P.OUTCOME_ALLOWED)]  # type: ignore[attr-defined]
    assert _upstream_headers(resp)["authorization"] == "Bearer sk-upstream"


def test_process_on_another_replica_redacts_with_policys_profile_and_audits_the_response_once() -> None:
    authz_svc, _ = authz_service()
    md = run(authz_svc.Check(check_request(chat_body()), None)).dynamic_metadata
    proc_svc, pdeps = ext_proc_service()  # a different "process": shares nothing with the one that ran Check
    chunks = [b"Notes for Ada Lov", b"elace: stable.", b""]
    replies = run(run_process(proc_svc, processing_requests(md, chunks)))
    out = released_body(replies)
    assert b"Lovelace" not in out and b"[NAME:safe_harbor]" in out
    assert response_header(replies, P.REDACTION_PROFILE_HEADER) == "safe_harbor"
    responses = [e for k, e in pdeps.audit.events if k == "response"]  # type: ignore[attr-defined]
    assert len(responses) == 1
    ev = responses[0]
    assert ev["handoff"].request_id == "req-1" and ev["handoff"].decision_id == "dec-1"
    assert ev["profile"] == "safe_harbor" and ev["complete"] and ev["status"] == 200
    assert ev["body"] == b"".join(chunks)  # the audit keeps what the upstream sent
    assert ev["redactions"] == {"NAME": 1}


def test_control_a_weaker_profile_from_policy_is_visible_to_the_oracle() -> None:
    """Control: the profile assertion above can fail — policy choosing 'clinical' shows 'clinical'."""
    policy = FakePolicy(Decision(allow=True, response_profile="clinical", policy_version="v", decision_id="d"))
    authz_svc, _ = authz_service(policy=policy)
    md = run(authz_svc.Check(check_request(chat_body()), None)).dynamic_metadata
    proc_svc, _ = ext_proc_service()
    replies = run(run_process(proc_svc, processing_requests(md, [b"x", b""])))
    assert response_header(replies, P.REDACTION_PROFILE_HEADER) == "clinical"


def test_process_without_handoff_uses_the_strictest_profile_and_counts_it() -> None:
    proc_svc, pdeps = ext_proc_service()
    replies = run(run_process(proc_svc, processing_requests(None, [b"Ada Lovelace", b""])))
    assert response_header(replies, P.REDACTION_PROFILE_HEADER) == "safe_harbor"
    assert b"Lovelace" not in released_body(replies)
    assert pdeps.metrics.handoff_missing._value.get() == 1  # noqa: SLF001
    assert pdeps.audit.events == []  # type: ignore[attr-defined]  # nothing was allowed: nothing to join


def test_decision_without_profile_never_downgrades() -> None:
    policy = FakePolicy(Decision(allow=True, response_profile=None, policy_version="v", decision_id="d"))
    authz_svc, _ = authz_service(policy=policy)
    md = run(authz_svc.Check(check_request(b"", path="/v1/models", method="GET"), None)).dynamic_metadata
    proc_svc, pdeps = ext_proc_service()
    replies = run(run_process(proc_svc, processing_requests(md, [b"{}", b""])))
    assert response_header(replies, P.REDACTION_PROFILE_HEADER) == "safe_harbor"
    assert pdeps.metrics.handoff_missing._value.get() == 0  # noqa: SLF001 - the hand-off was there
    assert [e["profile"] for k, e in pdeps.audit.events if k == "response"] == ["safe_harbor"]  # type: ignore[attr-defined]


def test_local_reply_is_passed_and_not_audited_twice() -> None:
    authz_svc, adeps = authz_service(policy=FakePolicy(Decision(allow=False, decision_id="d")))
    resp = run(authz_svc.Check(check_request(chat_body()), None))
    assert resp.denied_response.status.code == 403
    proc_svc, pdeps = ext_proc_service()
    replies = run(run_process(proc_svc, processing_requests(resp.dynamic_metadata, [b'{"error":"x"}'])))
    assert released_body(replies) == b""  # body reply with no mutation: Envoy's reply passes
    assert [k for k, _ in adeps.audit.events] == ["refused"]  # type: ignore[attr-defined]
    assert pdeps.audit.events == []  # type: ignore[attr-defined]


def test_stream_reset_before_the_end_writes_an_incomplete_response_half() -> None:
    authz_svc, _ = authz_service()
    md = run(authz_svc.Check(check_request(chat_body()), None)).dynamic_metadata
    proc_svc, pdeps = ext_proc_service()
    msgs = processing_requests(md, [b"partial", b"never sent"])[:2]  # headers + first chunk, then the reset
    run(run_process(proc_svc, msgs))
    (ev,) = [e for k, e in pdeps.audit.events if k == "response"]  # type: ignore[attr-defined]
    assert ev["complete"] is False


@pytest.mark.parametrize("setup, code", [
    ({"policy": FakePolicy(fail=True)}, P.POLICY_UNAVAILABLE),
    ({"credentials": FakeCredentials(fail=True)}, P.UPSTREAM_CREDENTIAL_UNAVAILABLE),
    ({"parse_request": lambda view: 1 / 0}, P.GUARD_UNAVAILABLE),
])
def test_every_503_refusal_is_audited(setup: dict[str, Any], code: str) -> None:
    audit = FakeAudit()
    svc, _ = authz_service(audit=audit, **setup)
    resp = run(svc.Check(check_request(chat_body()), None))
    assert resp.denied_response.status.code == 503
    assert json.loads(resp.denied_response.body)["error"] == code
    assert [(k, e["reason"], e["status"]) for k, e in audit.events] == [("refused", code, 503)]


def test_audit_unavailable_refuses_without_pretending_to_audit() -> None:
    audit = FakeAudit(writable=False)
    svc, deps = authz_service(audit=audit)
    resp = run(svc.Check(check_request(chat_body()), None))
    assert json.loads(resp.denied_response.body)["error"] == P.AUDIT_UNAVAILABLE and audit.events == []


def test_credential_is_the_one_of_the_upstream_the_route_names() -> None:
    creds = FakeCredentials({"openai": ("authorization", "Bearer sk-openai"), "anthropic": ("x-api-key", "sk-ant")})
    svc, _ = authz_service(credentials=creds, upstream_names=("openai", "anthropic"))
    resp = run(svc.Check(check_request(chat_body(), context={P.CONTEXT_UPSTREAM: "anthropic"}), None))
    headers = _upstream_headers(resp)
    assert headers["x-api-key"] == "sk-ant" and "authorization" not in headers
    assert "authorization" in resp.ok_response.headers_to_remove
    # several upstreams and a route that names none: refusing beats guessing whose secret to send
    resp = run(svc.Check(check_request(chat_body()), None))
    assert json.loads(resp.denied_response.body)["error"] == P.UPSTREAM_CREDENTIAL_UNAVAILABLE


def test_guard_api_calls_are_audited() -> None:
    audit = FakeAudit()
    svc, _ = authz_service(audit=audit)
    resp = run(svc.Check(check_request(b"", path="/phi-guard/v1/approvals", method="GET"), None))
    assert resp.status.code == code_pb2.OK
    assert [(k, e["outcome"]) for k, e in audit.events] == [("allowed", P.OUTCOME_GUARD_API)]


def test_handoff_round_trips_and_rejects_wrong_types() -> None:
    h = Handoff(request_id="r", decision_id="d", response_profile="standard", roles=("a", "b"), break_glass=True,
                authorized_at=12.5)
    assert from_document(h.to_metadata()).handoff == h
    bad = from_document({P.MD_REQUEST_ID: "r", P.MD_DECISION_ID: "d", P.MD_RESPONSE_PROFILE: 3,
                         P.MD_BREAK_GLASS: "yes"})
    assert bad.handoff is not None and bad.handoff.response_profile == "" and bad.handoff.break_glass is False
    assert from_document({P.MD_REQUEST_ID: "r"}).handoff is None  # no decision: not a hand-off


def test_check_and_process_take_milliseconds() -> None:
    authz_svc, _ = authz_service()
    proc_svc, _ = ext_proc_service()

    async def one() -> None:
        md = (await authz_svc.Check(check_request(chat_body()), None)).dynamic_metadata
        await run_process(proc_svc, processing_requests(md, [b"Ada Lovelace", b""]))

    async def many() -> float:
        t0 = time.perf_counter()
        for _ in range(50):
            await one()
        return (time.perf_counter() - t0) / 50

    assert run(many()) < 0.05  # ~1 ms here; generous for a loaded machine


def test_response_bytes_are_bounded_across_streams_and_freed_at_stream_end() -> None:
    """Issue 15 item 10: what streams hold is bounded by bytes; full -> 503 with a clear code; freed at the
    end or reset of a stream."""
    from sidecar.server.budget import ByteBudget
    from tests.server.fakes import ext_proc_service as make

    authz_svc, _ = authz_service()
    md = run(authz_svc.Check(check_request(chat_body()), None)).dynamic_metadata
    proc_svc, pdeps = make()
    pdeps.budget = ByteBudget(200)  # the fake processor buffers: a chunk costs twice its size (copy + buffer)

    async def scenario() -> tuple[list[Any], list[Any], list[Any], int]:
        release = asyncio.Event()
        msgs = processing_requests(md, [b"x" * 60, b""])

        async def slow() -> Any:
            yield msgs[0]
            yield msgs[1]
            await release.wait()  # a slow upstream: the stream holds its bytes meanwhile
            yield msgs[2]

        async def drain(gen: Any) -> list[Any]:
            return [r async for r in proc_svc.Process(gen, None)]  # type: ignore[arg-type]

        holder = asyncio.create_task(drain(slow()))
        await asyncio.sleep(0.05)
        refused = await run_process(proc_svc, processing_requests(md, [b"y" * 60, b""]))
        release.set()
        held = await holder
        used_after = pdeps.budget.used
        again = await run_process(proc_svc, processing_requests(md, [b"z" * 60, b""]))
        return refused, held, again, used_after

    refused, held, again, used_after = run(scenario())
    final = refused[-1]
    assert final.immediate_response.status.code == 503
    assert json.loads(final.immediate_response.body)["error"] == P.BODY_BUDGET_EXHAUSTED
    assert released_body(held) == b"x" * 60 and released_body(again) == b"z" * 60
    assert used_after == 0 and pdeps.budget.used == 0
    # the refused response still gets its audit half, marked incomplete with the 503
    refused_events = [e for k, e in pdeps.audit.events if k == "response" and e["status"] == 503]  # type: ignore[attr-defined]
    assert len(refused_events) == 1 and refused_events[0]["complete"] is False


def test_control_a_roomy_budget_serves_both_streams() -> None:
    from sidecar.server.budget import ByteBudget

    authz_svc, _ = authz_service()
    md = run(authz_svc.Check(check_request(chat_body()), None)).dynamic_metadata
    proc_svc, pdeps = ext_proc_service()
    pdeps.budget = ByteBudget(10_000)
    replies = run(run_process(proc_svc, processing_requests(md, [b"y" * 60, b""])))
    assert released_body(replies) == b"y" * 60 and pdeps.budget.used == 0
