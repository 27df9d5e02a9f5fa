"""The approvals HTTP API on a real aiohttp server, with signed (and bad) identity headers."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from sidecar.approvals.http_api import routes
from sidecar.approvals.identity_header import HEADER, sign_identity
from sidecar.identity.model import Identity

from .conftest import CATHY, DR_HOUSE, DR_WILSON, OFFICER_HOUSE, Clock, held_decision, run

KEY = b"i" * 32
FP = "fp1:" + "d" * 64


async def client_for(svc: Any) -> TestClient:
    app = web.Application()
    app.router.add_routes(routes(svc, KEY))
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    return client


def as_(who: Identity, clock: Clock, key: bytes = KEY, age: float = 0.0) -> dict[str, str]:
    return {HEADER: sign_identity(who, key, now=clock() - age)}


def test_approve_through_the_api(make_service: Any, clock: Clock) -> None:
    async def go() -> None:
        svc = make_service()
        c = await client_for(svc)
        aid = (await svc.request_approval(DR_HOUSE, held_decision(), FP, {"model": "gpt-4o"}))["id"]
        r = await c.get("/phi-guard/v1/approvals?status=pending", headers=as_(CATHY, clock))
        assert r.status == 200
        assert [x["id"] for x in (await r.json())["approvals"]] == [aid]
        r = await c.get(f"/phi-guard/v1/approvals/{aid}", headers=as_(CATHY, clock))
        assert r.status == 200 and (await r.json())["status"] == "pending"
        r = await c.post(
            f"/phi-guard/v1/approvals/{aid}/approve", json={"note": "treatment"}, headers=as_(CATHY, clock)
        )
        body = await r.json()
        assert r.status == 200 and body["status"] == "approved" and body["note"] == "treatment"
        assert (await (await c.get(f"/phi-guard/v1/approvals/{aid}", headers=as_(CATHY, clock))).json())[
            "note_sha256"
        ]
        r = await c.post(f"/phi-guard/v1/approvals/{aid}/deny", headers=as_(CATHY, clock))
        assert r.status == 409 and (await r.json())["error"] == "approval_already_decided"
        await c.close()
        await svc.aclose()

    run(go())


def test_refusals_map_to_statuses(make_service: Any, clock: Clock) -> None:
    async def go() -> None:
        svc = make_service()
        c = await client_for(svc)
        aid = (await svc.request_approval(OFFICER_HOUSE, held_decision(), FP, {}))["id"]
        r = await c.post(f"/phi-guard/v1/approvals/{aid}/approve", headers=as_(OFFICER_HOUSE, clock))
        assert r.status == 403 and (await r.json())["error"] == "approval_self_approval"
        r = await c.post(f"/phi-guard/v1/approvals/{aid}/approve", headers=as_(DR_WILSON, clock))
        assert r.status == 403 and (await r.json())["error"] == "approval_not_permitted"
        r = await c.post(
            "/phi-guard/v1/approvals/apr_20261125_nosuchapprovalxxxxxx/approve", headers=as_(CATHY, clock)
        )
        assert r.status == 404 and (await r.json())["error"] == "approval_not_found"
        r = await c.get("/phi-guard/v1/approvals/..%2F..%2Fsecret", headers=as_(CATHY, clock))
        assert r.status == 404
        r = await c.post(
            f"/phi-guard/v1/approvals/{aid}/approve",
            data=b"{not json",
            headers={**as_(CATHY, clock), "content-type": "application/json"},
        )
        assert r.status == 400
        r = await c.post(
            f"/phi-guard/v1/approvals/{aid}/approve", json={"note": 5}, headers=as_(CATHY, clock)
        )
        assert r.status == 400
        r = await c.get("/phi-guard/v1/approvals?status=bogus", headers=as_(CATHY, clock))
        assert r.status == 400
        r = await c.get("/phi-guard/v1/approvals?days=x", headers=as_(CATHY, clock))
        assert r.status == 400
        assert (await svc.get(aid))["status"] == "pending"  # nothing above changed it
        clock.advance(901)
        r = await c.post(f"/phi-guard/v1/approvals/{aid}/approve", headers=as_(CATHY, clock))
        assert r.status == 409 and (await r.json())["error"] == "approval_expired"
        await c.close()
        await svc.aclose()

    run(go())


def test_no_valid_identity_header_is_401(make_service: Any, clock: Clock) -> None:
    async def go() -> None:
        svc = make_service()
        c = await client_for(svc)
        aid = (await svc.request_approval(DR_HOUSE, held_decision(), FP, {}))["id"]
        bad = [
            {},
            {HEADER: ""},
            {HEADER: "v1.e30.AAAA"},
            as_(CATHY, clock, key=b"x" * 32),  # signed by another process
            as_(CATHY, clock, age=31),  # too old
            {"authorization": "Bearer whatever"},
        ]
        for headers in bad:
            for method, path in (
                ("GET", "/phi-guard/v1/approvals"),
                ("GET", f"/phi-guard/v1/approvals/{aid}"),
                ("POST", f"/phi-guard/v1/approvals/{aid}/approve"),
            ):
                r = await c.request(method, path, headers=headers)
                assert r.status == 401, (headers, path)
                assert r.headers["www-authenticate"].startswith("Bearer")
        assert (await svc.get(aid))["status"] == "pending"
        await c.close()
        await svc.aclose()

    run(go())


def test_only_reviewers_see_everything(make_service: Any, clock: Clock) -> None:
    async def go() -> None:
        svc = make_service()
        c = await client_for(svc)
        house = (await svc.request_approval(DR_HOUSE, held_decision(), FP, {}))["id"]
        wilson = (await svc.request_approval(DR_WILSON, held_decision(), FP, {}))["id"]
        bg = (await svc.break_glass(DR_WILSON, "code blue", FP))["id"]
        r = await c.get("/phi-guard/v1/approvals", headers=as_(DR_HOUSE, clock))
        assert [x["id"] for x in (await r.json())["approvals"]] == [house]
        assert (await c.get(f"/phi-guard/v1/approvals/{wilson}", headers=as_(DR_HOUSE, clock))).status == 404
        assert (await c.get(f"/phi-guard/v1/approvals/{bg}", headers=as_(DR_HOUSE, clock))).status == 404
        r = await c.get("/phi-guard/v1/approvals", headers=as_(CATHY, clock))
        assert {x["id"] for x in (await r.json())["approvals"]} == {house, wilson, bg}
        await c.close()
        await svc.aclose()

    run(go())
