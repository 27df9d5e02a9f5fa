"""Demo steps for just-in-time approval and break-glass (``phi-guard demo``), through Envoy like a user.

A clinician's request about psychotherapy notes scores over the risk threshold: it is held, a compliance
officer approves it with the ``phi-guard approvals`` CLI, and the retried request passes exactly once.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import httpx

from devstack.demo import DemoContext, Step, check

PURPOSE = {"x-phi-guard-purpose": "treatment"}
HELD_PROMPT = "Summarise the psychotherapy notes from the last session for the care plan."
REQUESTER = ("dr.chen", ["clinician"])
OFFICER = ("officer.okafor", ["compliance-officer"])


def held_body(prompt: str = HELD_PROMPT) -> dict[str, Any]:
    return {"model": "echo", "messages": [{"role": "user", "content": prompt}]}


def post_chat(
    ctx: DemoContext,
    token: str,
    body: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    return httpx.post(
        f"{ctx.stack.envoy_url}/v1/chat/completions",
        json=body,
        timeout=30,
        headers={**PURPOSE, "authorization": f"Bearer {token}", **(headers or {})},
    )


def approvals_cli(ctx: DemoContext, token: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sidecar.cli",
            "approvals",
            *argv,
            "--url",
            str(ctx.stack.envoy_url),
            "--token",
            token,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )


def _held(ctx: DemoContext) -> str:
    before = ctx.stack.demo_stats()["requests"]
    token = ctx.stack.token(*REQUESTER)
    r = post_chat(ctx, token, held_body())
    check(r.status_code == 403, f"HTTP {r.status_code}: {r.text[:200]}")
    doc = r.json()
    check(doc.get("error") == "approval_required", f"403 but error={doc.get('error')!r}")
    approval = doc["approval"]
    check(approval.get("status") == "pending", f"approval status {approval.get('status')!r}")
    check(ctx.stack.demo_stats()["requests"] == before, "the model received the held request")
    ctx.notes["approval_id"] = approval["id"]
    return (
        f"HTTP 403 approval_required: approval {approval['id']} pending, risk {approval.get('risk')}, "
        f"approvers {approval.get('approvers')}, expires {approval.get('expires_at')}"
    )


def _self_approval(ctx: DemoContext) -> str:
    aid = ctx.notes["approval_id"]
    # Even holding the approver role, the requester cannot approve their own request.
    token = ctx.stack.token(REQUESTER[0], [*REQUESTER[1], "compliance-officer"])
    p = approvals_cli(ctx, token, "approve", aid)
    check(
        p.returncode == 1 and "approval_self_approval" in p.stderr, f"exit {p.returncode}: {p.stderr.strip()}"
    )
    return f"`phi-guard approvals approve` as {REQUESTER[0]}: exit 1, {p.stderr.strip().splitlines()[0]}"


def _approve(ctx: DemoContext) -> str:
    aid = ctx.notes["approval_id"]
    token = ctx.stack.token(*OFFICER)
    listed = approvals_cli(ctx, token, "list", "--status", "pending")
    check(
        listed.returncode == 0 and aid in listed.stdout,
        f"list: exit {listed.returncode} {listed.stderr.strip()}",
    )
    p = approvals_cli(ctx, token, "approve", aid, "--note", "continuity of care")
    check(p.returncode == 0, f"exit {p.returncode}: {p.stderr.strip()}")
    doc = json.loads(p.stdout)
    check(doc.get("status") == "approved", f"status {doc.get('status')!r}")
    return f"{OFFICER[0]} listed it as pending and approved it: grant {doc.get('grant')}"


def _changed_body(ctx: DemoContext) -> str:
    aid = ctx.notes["approval_id"]
    r = post_chat(
        ctx,
        ctx.stack.token(*REQUESTER),
        held_body(HELD_PROMPT + " Include everything."),
        {"x-phi-guard-approval": aid},
    )
    check(
        r.status_code == 403 and r.json().get("error") == "approval_request_mismatch",
        f"HTTP {r.status_code}: {r.text[:200]}",
    )
    r = post_chat(ctx, ctx.stack.token("dr.patel", ["clinician"]), held_body(), {"x-phi-guard-approval": aid})
    check(
        r.status_code == 403 and r.json().get("error") == "approval_wrong_requester",
        f"HTTP {r.status_code}: {r.text[:200]}",
    )
    return "a changed body: 403 approval_request_mismatch; another clinician: 403 approval_wrong_requester"


def _retry_once(ctx: DemoContext) -> str:
    aid = ctx.notes["approval_id"]
    token = ctx.stack.token(*REQUESTER)
    before = ctx.stack.demo_stats()["requests"]
    r = post_chat(ctx, token, held_body(), {"x-phi-guard-approval": aid})
    check(r.status_code == 200, f"HTTP {r.status_code}: {r.text[:200]}")
    r2 = post_chat(ctx, token, held_body(), {"x-phi-guard-approval": aid})
    check(
        r2.status_code == 403 and r2.json().get("error") == "approval_used",
        f"second use: HTTP {r2.status_code}",
    )
    check(ctx.stack.demo_stats()["requests"] == before + 1, "the model did not receive exactly one request")
    return "the retried request passed (HTTP 200); the same approval again: 403 approval_used"


def _break_glass(ctx: DemoContext) -> str:
    token = ctx.stack.token(*REQUESTER)
    r = post_chat(ctx, token, held_body(), {"x-phi-guard-break-glass": ""})
    check(r.status_code == 403, f"without a reason: HTTP {r.status_code}")
    no_reason = r.json().get("reasons", [{}])[0].get("code") or r.json().get("error")
    r = post_chat(
        ctx, token, held_body(), {"x-phi-guard-break-glass": "patient in crisis, psychiatrist unreachable"}
    )
    check(r.status_code == 200, f"with a reason: HTTP {r.status_code}: {r.text[:200]}")
    listed = approvals_cli(ctx, ctx.stack.token(*OFFICER), "list", "--status", "break_glass", "--json")
    check(listed.returncode == 0, f"list: {listed.stderr.strip()}")
    records = json.loads(listed.stdout)["approvals"]
    check(
        any((x.get("requester") or {}).get("sub") == REQUESTER[0] for x in records), "no break-glass record"
    )
    return (
        f"no reason: 403 ({no_reason}); with a reason: HTTP 200 at once, and {len(records)} break-glass "
        f"record(s) for review in `phi-guard approvals list --status break_glass`"
    )


def steps() -> list[Step]:
    return [
        Step(
            "Held for approval (clinician, psychotherapy notes)",
            "403 approval_required with an approval id, status pending; the model sees nothing",
            _held,
        ),
        Step(
            "Self-approval refused",
            "the requester cannot approve their own request, whatever roles they hold",
            _self_approval,
        ),
        Step(
            "A compliance officer approves (phi-guard approvals list / approve)",
            "the request is listed as pending and approved through Envoy",
            _approve,
        ),
        Step(
            "The grant is bound to the request and the requester",
            "a changed body or another user with the same approval id is refused",
            _changed_body,
        ),
        Step(
            "Retried request passes exactly once",
            "with x-phi-guard-approval the request reaches the model; a second use is refused",
            _retry_once,
        ),
        Step(
            "Break-glass",
            "without a reason refused; with a reason allowed at once and recorded for review",
            _break_glass,
        ),
    ]
