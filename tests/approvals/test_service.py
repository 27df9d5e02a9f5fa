"""The approval state machine against a real SeaweedFS bucket (Object Lock on, like the audit bucket)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from devstack.ports import free_port
from devstack.seaweed import s3_client
from sidecar.approvals.service import ApprovalRefused, ApprovalService, ApprovalUnavailable
from sidecar.approvals.settings import ApprovalSettings

from .conftest import CATHY, DR_HOUSE, DR_WILSON, OFFICER_HOUSE, WORKLOAD, Clock, Events, held_decision, run

FP = "fp1:" + "a" * 64
OTHER_FP = "fp1:" + "b" * 64
SUMMARY = {"model": "gpt-4o", "api": "openai.chat", "path": "/v1/chat/completions", "method": "POST"}


async def refused(coro: Any) -> ApprovalRefused:
    with pytest.raises(ApprovalRefused) as err:
        await coro
    return err.value


def test_request_approve_consume_once(make_service: Any, events: Events) -> None:
    async def go() -> None:
        svc: ApprovalService = make_service()
        approval = await svc.request_approval(DR_HOUSE, held_decision(), FP, SUMMARY)
        assert approval["status"] == "pending" and approval["id"].startswith("apr_")
        assert (
            approval["retry"]["header"] == "x-phi-guard-approval"
            and approval["retry"]["value"] == approval["id"]
        )
        assert approval["reasons"][0]["code"] == "approval_required" and approval["risk"] == 55.0
        assert approval["expires_at"].endswith("Z") and approval["approvers"] == ["compliance-officer"]
        aid = approval["id"]
        assert (await refused(svc.consume(aid, DR_HOUSE, FP))).reason_code == "approval_pending"
        decided = await svc.decide(aid, CATHY, True, "ok for treatment")
        assert decided["status"] == "approved" and decided["decided_by"]["sub"] == "cathy"
        assert decided["grant"]["max_uses"] == 1
        grant = await svc.consume(aid, DR_HOUSE, FP)
        assert grant["id"] == aid and grant["status"] == "consumed" and grant["uses"] == 1
        assert (await refused(svc.consume(aid, DR_HOUSE, FP))).reason_code == "approval_used"
        assert events.kinds() == ["requested", "approved", "consumed"]
        shown = await svc.get(aid)
        assert [h["state"] for h in shown["history"]] == ["requested", "approved", "consumed"]
        await svc.aclose()

    run(go())


def test_a_repeated_held_request_reuses_the_pending_approval(
    make_service: Any, clock: Clock, events: Events
) -> None:
    async def go() -> None:
        a, b = make_service(), make_service()
        first = await a.request_approval(DR_HOUSE, held_decision(), FP, SUMMARY)
        clock.advance(60)
        again = await b.request_approval(DR_HOUSE, held_decision(), FP, SUMMARY)  # another replica
        assert again["id"] == first["id"] and again["reused"] and not first["reused"]
        assert again["expires_in_seconds"] == first["expires_in_seconds"] - 60
        assert events.kinds() == ["requested"]  # one record, one event, one notification
        other_request = await a.request_approval(DR_HOUSE, held_decision(), OTHER_FP, SUMMARY)
        other_person = await a.request_approval(DR_WILSON, held_decision(), FP, SUMMARY)
        assert len({first["id"], other_request["id"], other_person["id"]}) == 3
        await a.decide(first["id"], CATHY, False)
        after_denial = await a.request_approval(DR_HOUSE, held_decision(), FP, SUMMARY)
        assert after_denial["id"] != first["id"] and not after_denial["reused"]
        clock.advance(901)  # the pending one expires: the next attempt gets a fresh approval
        fresh = await a.request_approval(DR_HOUSE, held_decision(), FP, SUMMARY)
        assert fresh["id"] != after_denial["id"]
        off = make_service(
            ApprovalSettings(sweep_interval_seconds=0, prefix=a.settings.prefix, reuse_pending=False)
        )
        assert (await off.request_approval(DR_HOUSE, held_decision(), FP, SUMMARY))["id"] != fresh["id"]
        for svc in (a, b, off):
            await svc.aclose()

    run(go())


def test_every_refusal_code(make_service: Any, clock: Clock) -> None:
    async def go() -> None:
        svc: ApprovalService = make_service()
        aid = (await svc.request_approval(DR_HOUSE, held_decision(), FP, SUMMARY))["id"]
        await svc.decide(aid, CATHY, True)
        assert (
            await refused(svc.consume("apr_20261125_" + "x" * 24, DR_HOUSE, FP))
        ).reason_code == "approval_not_found"
        assert (
            await refused(svc.consume("../../etc/passwd", DR_HOUSE, FP))
        ).reason_code == "approval_not_found"
        assert (await refused(svc.consume(aid, DR_WILSON, FP))).reason_code == "approval_wrong_requester"
        other_iss = DR_HOUSE.__class__(sub="dr-house", iss="https://evil.test", auth_method="jwt")
        assert (await refused(svc.consume(aid, other_iss, FP))).reason_code == "approval_wrong_requester"
        assert (
            await refused(svc.consume(aid, DR_HOUSE, OTHER_FP))
        ).reason_code == "approval_request_mismatch"
        # the refusals did not burn the grant
        assert (await svc.consume(aid, DR_HOUSE, FP))["uses"] == 1

        denied = (await svc.request_approval(DR_HOUSE, held_decision(), FP, SUMMARY))["id"]
        await svc.decide(denied, CATHY, False, "no")
        assert (await refused(svc.consume(denied, DR_HOUSE, FP))).reason_code == "approval_denied"

        late = (await svc.request_approval(DR_HOUSE, held_decision(), FP, SUMMARY))["id"]
        await svc.decide(late, CATHY, True)
        clock.advance(901)
        assert (await refused(svc.consume(late, DR_HOUSE, FP))).reason_code == "approval_expired"
        await svc.aclose()

    run(go())


def test_expiry_is_enforced_on_read_and_recorded_once(
    make_service: Any, clock: Clock, events: Events
) -> None:
    async def go() -> None:
        a = make_service()
        b = make_service()  # a second replica
        pending = (await a.request_approval(DR_HOUSE, held_decision(), FP, SUMMARY))["id"]
        clock.advance(899)
        assert (await a.get(pending))["status"] == "pending"
        clock.advance(2)
        assert (await a.get(pending))["status"] == "expired"
        assert [x["id"] for x in await a.list(status="expired")] == [pending]
        assert await a.list(status="pending") == []
        e1 = await refused(a.decide(pending, CATHY, True))
        e2 = await refused(b.decide(pending, CATHY, True))
        assert (e1.reason_code, e1.status) == (
            "approval_expired",
            409,
        ) and e2.reason_code == "approval_expired"
        assert events.kinds().count("expired") == 1

        approved = (await a.request_approval(DR_HOUSE, held_decision(), FP, SUMMARY))["id"]
        await a.decide(approved, CATHY, True)
        clock.advance(900)
        assert (await a.expire_due()) == 1
        assert (await b.expire_due()) == 0  # already written as expired
        assert events.kinds().count("expired") == 2
        assert (await refused(b.consume(approved, DR_HOUSE, FP))).reason_code == "approval_expired"
        await a.aclose()
        await b.aclose()

    run(go())


def test_self_approval_is_refused_whatever_the_roles_and_the_policy(
    make_service: Any, events: Events
) -> None:
    async def go() -> None:
        permissive = make_service(policy_query=lambda path, doc: {"allow": True, "reasons": []})
        aid = (await permissive.request_approval(OFFICER_HOUSE, held_decision(), FP, SUMMARY))["id"]
        err = await refused(permissive.decide(aid, OFFICER_HOUSE, True))
        assert (err.reason_code, err.status) == ("approval_self_approval", 403)
        same_sub_other_roles = OFFICER_HOUSE.__class__(
            sub="dr-house", iss="https://other-idp.test", auth_method="jwt", roles=("compliance-officer",)
        )
        assert (
            await refused(permissive.decide(aid, same_sub_other_roles, True))
        ).reason_code == "approval_self_approval"
        assert (await permissive.get(aid))["status"] == "pending"
        assert events.kinds() == ["requested"]
        await permissive.aclose()

    run(go())


def test_the_approvals_policy_decides_who_may_approve(make_service: Any, policy: Any) -> None:
    async def go() -> None:
        svc = make_service()
        aid = (await svc.request_approval(DR_HOUSE, held_decision(), FP, SUMMARY))["id"]
        before = policy.calls
        err = await refused(svc.decide(aid, DR_WILSON, True))  # no approver role: refused before policy
        assert (err.reason_code, err.status) == ("approval_not_permitted", 403)
        err = await refused(svc.decide(aid, WORKLOAD, True))  # approver role, but the policy wants a person
        assert err.reason_code == "approval_not_permitted"
        assert "approver_must_be_a_person" in [r["code"] for r in err.reasons]
        assert policy.calls == before + 1
        assert (await svc.get(aid))["status"] == "pending"
        seen: list[dict[str, Any]] = []

        def spy(path: str, doc: dict[str, Any]) -> Any:
            seen.append(doc)
            return policy(path, doc)

        spying = make_service(policy_query=spy)
        await spying.decide(aid, CATHY, True)
        assert seen[0]["action"] == "approve"
        assert seen[0]["approver"]["sub"] == "cathy"
        assert seen[0]["request"]["requester"] == {
            "sub": "dr-house",
            "iss": "https://idp.test",
            "roles": ["clinician"],
            "groups": [],
        }
        assert seen[0]["request"]["model"] == "gpt-4o" and seen[0]["request"]["risk"] == 55.0
        await svc.aclose()
        await spying.aclose()

    run(go())


@pytest.mark.parametrize("answer", [None, "yes", {"allow": "true"}, {"reasons": []}])
def test_a_policy_without_a_clear_allow_refuses(make_service: Any, answer: Any) -> None:
    async def go() -> None:
        svc = make_service(policy_query=lambda path, doc: answer)
        aid = (await svc.request_approval(DR_HOUSE, held_decision(), FP, SUMMARY))["id"]
        assert (await refused(svc.decide(aid, CATHY, True))).reason_code == "approval_not_permitted"
        await svc.aclose()

    run(go())


def test_a_failing_policy_is_unavailable_not_an_approval(make_service: Any) -> None:
    def broken(path: str, doc: dict[str, Any]) -> Any:
        raise RuntimeError("engine down")

    async def go() -> None:
        svc = make_service(policy_query=broken)
        aid = (await svc.request_approval(DR_HOUSE, held_decision(), FP, SUMMARY))["id"]
        with pytest.raises(ApprovalUnavailable):
            await svc.decide(aid, CATHY, True)
        assert (await svc.get(aid))["status"] == "pending"
        await svc.aclose()

    run(go())


def test_decisions_are_final(make_service: Any) -> None:
    async def go() -> None:
        svc = make_service()
        aid = (await svc.request_approval(DR_HOUSE, held_decision(), FP, SUMMARY))["id"]
        await svc.decide(aid, CATHY, False, "not justified")
        err = await refused(svc.decide(aid, CATHY, True))
        assert (err.reason_code, err.status) == ("approval_already_decided", 409)
        assert (await refused(svc.decide("apr_20261125_" + "y" * 24, CATHY, True))).status == 404
        await svc.aclose()

    run(go())


def test_policy_may_grant_a_count_or_a_window(make_service: Any, clock: Clock) -> None:
    async def go() -> None:
        svc = make_service()
        counted = (await svc.request_approval(DR_HOUSE, held_decision(approval_uses=3), FP, SUMMARY))["id"]
        await svc.decide(counted, CATHY, True)
        assert [(await svc.consume(counted, DR_HOUSE, FP))["uses"] for _ in range(3)] == [1, 2, 3]
        assert (await refused(svc.consume(counted, DR_HOUSE, FP))).reason_code == "approval_used"

        window = (
            await svc.request_approval(DR_HOUSE, held_decision(approval_window_seconds=3600), FP, SUMMARY)
        )["id"]
        grant = await svc.decide(window, CATHY, True)
        assert grant["grant"]["max_uses"] is None and grant["grant"]["window_seconds"] == 3600
        for _ in range(4):
            assert (await svc.consume(window, DR_HOUSE, FP))["status"] == "approved"
        clock.advance(3599)
        await svc.consume(window, DR_HOUSE, FP)
        clock.advance(2)
        assert (await refused(svc.consume(window, DR_HOUSE, FP))).reason_code == "approval_expired"

        capped = (
            await svc.request_approval(DR_HOUSE, held_decision(approval_window_seconds=10**9), FP, SUMMARY)
        )["id"]
        assert (await svc.decide(capped, CATHY, True))["grant"]["window_seconds"] == 10**9
        clock.advance(24 * 3600 + 1)  # max_ttl_seconds caps it
        assert (await refused(svc.consume(capped, DR_HOUSE, FP))).reason_code == "approval_expired"
        await svc.aclose()

    run(go())


def test_two_replicas_race_to_consume_one_grant(make_service: Any, seaweed: Any, events: Events) -> None:
    async def go() -> None:
        replicas = [make_service(s3_client=seaweed.client()) for _ in range(2)]
        aid = (await replicas[0].request_approval(DR_HOUSE, held_decision(), FP, SUMMARY))["id"]
        await replicas[1].decide(aid, CATHY, True)

        async def attempt(svc: ApprovalService) -> str:
            try:
                await svc.consume(aid, DR_HOUSE, FP)
                return "ok"
            except ApprovalRefused as err:
                return err.reason_code

        results = await asyncio.gather(*(attempt(replicas[i % 2]) for i in range(40)))
        assert results.count("ok") == 1, results
        assert set(results) == {"ok", "approval_used"}
        assert events.kinds().count("consumed") == 1
        for svc in replicas:
            await svc.aclose()

    run(go())


def test_two_approvers_race_to_decide(make_service: Any, events: Events) -> None:
    async def go() -> None:
        a, b = make_service(), make_service()
        aid = (await a.request_approval(DR_HOUSE, held_decision(), FP, SUMMARY))["id"]
        results = await asyncio.gather(
            a.decide(aid, CATHY, True), b.decide(aid, CATHY, False), return_exceptions=True
        )
        winners = [r for r in results if isinstance(r, dict)]
        losers = [r for r in results if isinstance(r, ApprovalRefused)]
        assert len(winners) == 1 and len(losers) == 1 and losers[0].reason_code == "approval_already_decided"
        assert (await a.get(aid))["status"] == winners[0]["status"]
        assert len([k for k in events.kinds() if k in ("approved", "denied")]) == 1
        await a.aclose()
        await b.aclose()

    run(go())


def test_break_glass_needs_a_reason_and_leaves_a_trail(make_service: Any, events: Events) -> None:
    async def go() -> None:
        svc = make_service()
        for blank in ("", "   ", "\n\t", "\u3164" * 20, "\u2800" * 20, "\u200b\u115f\u1160" * 5, "-- . --"):
            assert (
                await refused(svc.break_glass(DR_HOUSE, blank, FP))
            ).reason_code == "break_glass_reason_required"
        assert events.items == []
        record = await svc.break_glass(DR_HOUSE, "  code blue\nbed 4 \x07", FP, SUMMARY)
        assert record["id"].startswith("bg_") and record["status"] == "break_glass"
        assert record["reason"] == "code blue bed 4"
        assert events.kinds() == ["break_glass"] and events.items[0][1]["reason"] == "code blue bed 4"
        stored = await svc.get(record["id"])
        assert stored["requester"]["sub"] == "dr-house" and stored["reason_chars"] == len("code blue bed 4")
        assert "reason" not in stored
        assert [x["id"] for x in await svc.list(status="break_glass")] == [record["id"]]
        # a break-glass record is not a grant
        assert (await refused(svc.consume(record["id"], DR_HOUSE, FP))).reason_code == "approval_not_found"
        long = await svc.break_glass(DR_HOUSE, "x" * 5000, FP)
        assert len(long["reason"]) == 500
        await svc.aclose()

    run(go())


def test_list_filters_and_rejects_unknown_status(make_service: Any) -> None:
    async def go() -> None:
        svc = make_service()
        ids = [
            (await svc.request_approval(DR_HOUSE, held_decision(), f"fp1:{i}", SUMMARY))["id"]
            for i in range(3)
        ]
        await svc.decide(ids[0], CATHY, True)
        await svc.decide(ids[1], CATHY, False)
        assert {x["id"] for x in await svc.list()} == set(ids)
        assert [x["id"] for x in await svc.list(status="pending")] == [ids[2]]
        assert [x["id"] for x in await svc.list(status="approved")] == [ids[0]]
        assert [x["id"] for x in await svc.list(status="denied")] == [ids[1]]
        assert (await refused(svc.list(status="bogus"))).status == 400
        await svc.aclose()

    run(go())


def test_store_down_fails_closed(make_service: Any, events: Events) -> None:
    async def go() -> None:
        dead = s3_client(f"http://127.0.0.1:{free_port()}")
        svc = make_service(s3_client=dead)
        with pytest.raises(ApprovalUnavailable):
            await svc.request_approval(DR_HOUSE, held_decision(), FP, SUMMARY)
        with pytest.raises(ApprovalUnavailable):
            await svc.consume("apr_20261125_" + "z" * 24, DR_HOUSE, FP)
        assert events.items == []
        # break-glass still leaves its audit trail when the review copy cannot be stored
        await svc.break_glass(DR_HOUSE, "code blue", FP)
        assert events.kinds() == ["break_glass"]
        await svc.aclose()

    run(go())


def test_a_corrupt_record_is_unavailable_not_a_grant(make_service: Any, seaweed: Any, bucket: str) -> None:
    async def go() -> None:
        svc = make_service()
        aid = (await svc.request_approval(DR_HOUSE, held_decision(), FP, SUMMARY))["id"]
        seaweed.client().put_object(Bucket=bucket, Key=svc.store.key(aid), Body=b"{not json")
        with pytest.raises(ApprovalUnavailable):
            await svc.consume(aid, DR_HOUSE, FP)
        await svc.aclose()

    run(go())


def test_audit_failure_propagates(make_service: Any) -> None:
    async def failing(kind: str, approval: dict[str, Any]) -> None:
        raise OSError("spool not writable")

    async def go() -> None:
        svc = make_service(record_event=failing)
        with pytest.raises(OSError):
            await svc.request_approval(DR_HOUSE, held_decision(), FP, SUMMARY)
        with pytest.raises(OSError):
            await svc.break_glass(DR_HOUSE, "code blue", FP)
        await svc.aclose()

    run(go())


def test_the_bucket_holds_no_body_and_no_free_text(
    make_service: Any, seaweed: Any, bucket: str, events: Events
) -> None:
    async def go() -> None:
        svc = make_service()
        aid = (await svc.request_approval(DR_HOUSE, held_decision(), FP, SUMMARY))["id"]
        decided = await svc.decide(aid, CATHY, True, "Jane Doe's therapist asked")
        bg = await svc.break_glass(DR_HOUSE, "Jane Doe in crisis", FP)
        assert decided["note"] == "Jane Doe's therapist asked" and bg["reason"] == "Jane Doe in crisis"
        s3 = seaweed.client()
        raws = [s3.get_object(Bucket=bucket, Key=svc.store.key(i))["Body"].read() for i in (aid, bg["id"])]
        assert set(json.loads(raws[0])["summary"]) == {"model", "api", "path", "method"}
        for raw in raws:
            assert b"Jane" not in raw and b"messages" not in raw
        # the audit trail gets the text
        assert dict(events.items)["approved"]["note"] == "Jane Doe's therapist asked"
        assert dict(events.items)["break_glass"]["reason"] == "Jane Doe in crisis"
        await svc.aclose()

    run(go())


def test_settings_require_a_secret_with_a_webhook(make_service: Any) -> None:
    with pytest.raises(ValueError):
        make_service(ApprovalSettings(webhook_url="http://127.0.0.1:1/hook", webhook_secret_file=None))
