"""End to end through Envoy, the guard and real S3 (the local stack): held -> approved -> passes once; every
refusal; break-glass; the webhook; the audit trail in ``phi-guard audit export``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from devstack.info import StackInfo
from devstack.ports import free_port
from sidecar.approvals.webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify_signature

pytestmark = pytest.mark.e2e

GRANT_TTL = 8  # seconds a grant lives in this stack (caps the policy's window too), so expiry can be seen
SECRET = b"e2e-webhook-secret"
PURPOSE = {"x-phi-guard-purpose": "treatment"}
PROMPT = "Summarise the psychotherapy notes from the last session for the care plan."
REQUESTER = ("dr.chen", ["clinician"])
OFFICER = ("officer.okafor", ["compliance-officer"])
BG_REASON = "patient in crisis, psychiatrist away"


class Hooks(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        self.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def hooks() -> Iterator[tuple[str, type[Hooks]]]:
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Hooks)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/hook", Hooks
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def approvals_stack(tmp_path_factory: pytest.TempPathFactory, hooks: tuple[str, Any]) -> Iterator[StackInfo]:
    from devstack.runner import StackOptions, start_stack, stop_stack

    state_dir = tmp_path_factory.mktemp("approvals-stack")
    secret = state_dir / "webhook.secret"
    secret.write_bytes(SECRET)
    overrides = {
        "approvals": {
            "default_ttl_seconds": GRANT_TTL,
            "max_ttl_seconds": GRANT_TTL,
            "webhook_url": hooks[0],
            "webhook_secret_file": str(secret),
            "webhook_backoff_seconds": 0.2,
        }
    }
    doc, lock = start_stack(StackOptions(state_dir=state_dir, guard_overrides=overrides))
    lock.release()
    try:
        yield StackInfo.from_doc(doc)
    finally:
        stop_stack(state_dir)


def chat(
    stack: StackInfo, who: tuple[str, list[str]], prompt: str = PROMPT, **headers: str
) -> httpx.Response:
    return httpx.post(
        f"{stack.envoy_url}/v1/chat/completions",
        timeout=30,
        json={"model": "echo", "messages": [{"role": "user", "content": prompt}]},
        headers={
            **PURPOSE,
            "authorization": f"Bearer {stack.token(*who)}",
            **{k.replace("_", "-"): v for k, v in headers.items()},
        },
    )


def api(stack: StackInfo, who: tuple[str, list[str]], method: str, path: str, **kw: Any) -> httpx.Response:
    return httpx.request(
        method,
        f"{stack.envoy_url}/phi-guard/v1/approvals{path}",
        timeout=30,
        headers={"authorization": f"Bearer {stack.token(*who)}"},
        **kw,
    )


def hold(stack: StackInfo, prompt: str = PROMPT) -> str:
    r = chat(stack, REQUESTER, prompt)
    assert r.status_code == 403, r.text
    doc = r.json()
    assert doc["error"] == "approval_required", doc
    assert doc["approval"]["status"] == "pending"
    return str(doc["approval"]["id"])


def error(r: httpx.Response) -> str:
    return str(r.json().get("error"))


def test_held_approved_passes_once(approvals_stack: StackInfo) -> None:
    s = approvals_stack
    before = s.demo_stats()["requests"]
    aid = hold(s)
    body = chat(s, REQUESTER).json()  # the same request again without the id: the same pending approval
    assert (
        body["error"] == "approval_required" and body["approval"]["id"] == aid and body["approval"]["reused"]
    )
    a = body["approval"]
    assert {"id", "status", "reasons", "risk", "expires_at", "retry"} <= set(a)
    assert a["retry"]["header"] == "x-phi-guard-approval"
    assert s.demo_stats()["requests"] == before  # nothing held reached the model

    r = chat(s, REQUESTER, x_phi_guard_approval=aid)
    assert (r.status_code, error(r)) == (403, "approval_pending")
    # the requester's own approval is refused, even with the approver role
    r = api(s, (REQUESTER[0], [*REQUESTER[1], "compliance-officer"]), "POST", f"/{aid}/approve")
    assert (r.status_code, error(r)) == (403, "approval_self_approval")
    # a clinician is not an approver
    r = api(s, ("dr.patel", ["clinician"]), "POST", f"/{aid}/approve")
    assert (r.status_code, error(r)) == (403, "approval_not_permitted")
    # no credentials: Envoy's ext_authz answers for the API as for everything else
    r = httpx.post(f"{s.envoy_url}/phi-guard/v1/approvals/{aid}/approve", timeout=30)
    assert r.status_code == 401
    # a forged identity header does not get through Envoy
    r = httpx.post(
        f"{s.envoy_url}/phi-guard/v1/approvals/{aid}/approve",
        timeout=30,
        headers={"authorization": f"Bearer {s.token(*REQUESTER)}", "x-phi-guard-identity": "v1.x.y"},
    )
    assert (r.status_code, error(r)) == (403, "approval_self_approval")

    r = api(s, OFFICER, "GET", "", params={"status": "pending"})
    assert r.status_code == 200 and aid in [x["id"] for x in r.json()["approvals"]]
    r = api(s, OFFICER, "POST", f"/{aid}/approve", json={"note": "continuity of care"})
    assert r.status_code == 200 and r.json()["status"] == "approved", r.text

    r = chat(s, REQUESTER, PROMPT + " Include everything.", x_phi_guard_approval=aid)
    assert (r.status_code, error(r)) == (403, "approval_request_mismatch")
    r = chat(s, ("dr.patel", ["clinician"]), x_phi_guard_approval=aid)
    assert (r.status_code, error(r)) == (403, "approval_wrong_requester")
    r = chat(s, REQUESTER, x_phi_guard_approval=aid)
    assert r.status_code == 200, r.text
    assert r.json()["choices"][0]["message"]["content"] == PROMPT
    last = s.demo_last() or {}
    assert "x-phi-guard-approval" not in {k.lower() for k in last.get("headers", {})}
    r = chat(s, REQUESTER, x_phi_guard_approval=aid)
    assert (r.status_code, error(r)) == (403, "approval_used")
    assert s.demo_stats()["requests"] == before + 1
    assert api(s, OFFICER, "GET", f"/{aid}").json()["status"] == "consumed"


def test_denied_and_expired_grants_are_refused(approvals_stack: StackInfo) -> None:
    s = approvals_stack
    denied = hold(s, PROMPT + " (denied)")
    assert api(s, OFFICER, "POST", f"/{denied}/deny", json={"note": "not needed"}).status_code == 200
    r = chat(s, REQUESTER, PROMPT + " (denied)", x_phi_guard_approval=denied)
    assert (r.status_code, error(r)) == (403, "approval_denied")
    r = api(s, OFFICER, "POST", f"/{denied}/approve")
    assert (r.status_code, error(r)) == (409, "approval_already_decided")

    late = hold(s, PROMPT + " (late)")
    assert api(s, OFFICER, "POST", f"/{late}/approve").status_code == 200
    time.sleep(GRANT_TTL + 1)
    r = chat(s, REQUESTER, PROMPT + " (late)", x_phi_guard_approval=late)
    assert (r.status_code, error(r)) == (403, "approval_expired")
    assert api(s, OFFICER, "GET", f"/{late}").json()["status"] == "expired"
    r = chat(s, REQUESTER, x_phi_guard_approval="apr_20260101_doesnotexistatall0000")
    assert (r.status_code, error(r)) == (403, "approval_not_found")


def test_break_glass_and_the_trail(approvals_stack: StackInfo, hooks: tuple[str, Any]) -> None:
    s = approvals_stack
    before = s.demo_stats()["requests"]
    r = chat(s, REQUESTER, PROMPT + " (bg)", x_phi_guard_break_glass="")
    assert r.status_code == 403, r.text
    r = chat(s, ("billing.kim", ["billing"]), PROMPT + " (bg)", x_phi_guard_break_glass="I need it")
    assert r.status_code == 403, r.text
    assert s.demo_stats()["requests"] == before
    r = chat(s, REQUESTER, PROMPT + " (bg)", x_phi_guard_break_glass=BG_REASON)
    assert r.status_code == 200, r.text
    listed = api(s, OFFICER, "GET", "", params={"status": "break_glass"}).json()["approvals"]
    assert any(x["requester"]["sub"] == REQUESTER[0] and x["reason_chars"] == len(BG_REASON) for x in listed)

    # webhooks: signed, one per state change, break-glass without its reason
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not any(b'"break_glass.used"' in b for _, b in hooks[1].received):
        time.sleep(0.2)
    events = [json.loads(b)["event"] for _, b in hooks[1].received]
    assert {"approval.requested", "approval.approved", "approval.consumed", "break_glass.used"} <= set(events)
    for headers, body in hooks[1].received:
        assert verify_signature(SECRET, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
        assert b"psychiatrist away" not in body

    # the audit trail, as a person reads it
    kinds: set[str] = set()
    lines: list[dict[str, Any]] = []
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        p = subprocess.run(
            [sys.executable, "-m", "sidecar.cli", "--config", str(s.guard_config), "audit", "export"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        lines = [json.loads(x) for x in p.stdout.splitlines() if x.startswith("{")]
        kinds = {_change(e) for e in lines} - {""}
        if {"requested", "approved", "denied", "consumed", "expired", "break_glass"} <= kinds:
            break
        time.sleep(2)
    assert {"requested", "approved", "denied", "consumed", "expired", "break_glass"} <= kinds, kinds
    bg_events = [e for e in lines if _change(e) == "break_glass"]
    assert any(BG_REASON in json.dumps(e) for e in bg_events)  # the reason is in the (encrypted) trail
    # and the allowed break-glass request itself is flagged with its reason
    assert any(BG_REASON in json.dumps(e) for e in lines if e.get("kind") == "EVENT_KIND_REQUEST")


def _change(event: dict[str, Any]) -> str:
    ch = event.get("approval_change") or event.get("approvalChange") or {}
    return str(ch.get("change", ""))


@pytest.fixture(scope="module")
def second_guard(approvals_stack: StackInfo, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Another ``phi-guard serve`` on the same bucket (own ports and spool); yields its gRPC address."""
    import yaml

    from devstack.ports import wait_for_port
    from devstack.processes import spawn, stop_pid

    d = tmp_path_factory.mktemp("guard2")
    cfg = yaml.safe_load(Path(str(approvals_stack.guard_config)).read_text())
    port = free_port()
    cfg["server"].update({"grpc_port": port, "admin_port": free_port()})
    cfg["audit"]["spool_dir"] = str(d / "spool")
    path = d / "guard2.yaml"
    path.write_text(yaml.safe_dump(cfg))
    from devstack.seaweed import ACCESS_KEY, SECRET_KEY

    # the S3 client has no fallback credentials: the local stack's are passed as any deployment passes its own
    env = {**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}
    proc = spawn([sys.executable, "-m", "sidecar.cli", "--config", str(path), "serve"], d / "guard2.log", env=env)
    try:
        wait_for_port("127.0.0.1", port, timeout=90)
        yield f"127.0.0.1:{port}"
    finally:
        stop_pid(proc.pid, timeout=10)


def test_two_guard_processes_race_to_consume_one_grant(approvals_stack: StackInfo, second_guard: str) -> None:
    import asyncio
    from urllib.parse import urlsplit

    import grpc
    from envoy.service.auth.v3 import external_auth_pb2 as authz
    from envoy.service.auth.v3 import external_auth_pb2_grpc as authz_grpc

    s = approvals_stack
    prompt = PROMPT + " (race)"
    aid = hold(s, prompt)
    assert api(s, OFFICER, "POST", f"/{aid}/approve").status_code == 200
    token = s.token(*REQUESTER)
    body = json.dumps({"model": "echo", "messages": [{"role": "user", "content": prompt}]}).encode()

    def check_request(i: int) -> authz.CheckRequest:
        req = authz.CheckRequest()
        http = req.attributes.request.http
        http.method, http.path, http.host, http.scheme, http.id = (
            "POST",
            "/v1/chat/completions",
            urlsplit(s.envoy_url).netloc,  # the grant is bound to the host it was asked through
            "http",
            f"r{i}",
        )
        http.headers.update(
            {
                "authorization": f"Bearer {token}",
                "content-type": "application/json",
                "x-phi-guard-purpose": "treatment",
                "x-phi-guard-approval": aid,
            }
        )
        http.raw_body = body
        return req

    async def race() -> list[tuple[int, str]]:
        addresses = [str(s.grpc_address), second_guard]
        channels = [grpc.aio.insecure_channel(a) for a in addresses]
        stubs = [authz_grpc.AuthorizationStub(c) for c in channels]
        for c in channels:
            await asyncio.wait_for(c.channel_ready(), 30)

        async def one(i: int) -> tuple[int, str]:
            resp = await stubs[i % 2].Check(check_request(i), timeout=30)
            err = json.loads(resp.denied_response.body).get("error", "") if resp.status.code else ""
            return resp.status.code, err

        results = await asyncio.gather(*(one(i) for i in range(40)))
        for c in channels:
            await c.close()
        return list(results)

    results = asyncio.run(race())
    assert sum(1 for code, _ in results if code == 0) == 1, results
    assert {err for code, err in results if code != 0} == {"approval_used"}, results
    assert api(s, OFFICER, "GET", f"/{aid}").json()["uses"] == 1
