"""The core demo steps: health, no credentials, an allowed call, a denied call, PHI redacted in JSON, in a
stream and in a compressed answer, and an agent over MCP (:mod:`devstack.demo_agent`). The approvals
and audit stages' steps are in :mod:`devstack.approvals_steps` and :mod:`devstack.audit_steps`."""

from __future__ import annotations

import json
import re
from collections import Counter

import httpx

from devstack.demo import DemoContext, Step, StepFailed, check
from devstack.demo_agent import agent_over_mcp
from devstack.demo_data import CLINICAL_NOTE_PHI

PURPOSE = {"x-phi-guard-purpose": "treatment"}
PROMPT = "Draft a friendly reminder to bring the medication list to the follow-up visit."
# Identifiers every response profile removes (the clinical profile keeps names and dates for treatment).
ALWAYS_REDACTED = [*CLINICAL_NOTE_PHI["SSN"], *CLINICAL_NOTE_PHI["IP"], *CLINICAL_NOTE_PHI["URL"]]
# Direct identifiers the standard profile (care coordination) removes as well.
STANDARD_REDACTED = [
    *ALWAYS_REDACTED,
    *CLINICAL_NOTE_PHI["PHONE"],
    *CLINICAL_NOTE_PHI["EMAIL"],
    *CLINICAL_NOTE_PHI["MRN"],
]


def _leaks(text: str, values: list[str]) -> list[str]:
    return [v for v in values if v in text]


def _health(ctx: DemoContext) -> str:
    r = httpx.get(f"{ctx.stack.envoy_url}/healthz", timeout=10)
    check(r.status_code == 200, f"HTTP {r.status_code}")
    return f"HTTP {r.status_code} from Envoy itself"


def _no_credentials(ctx: DemoContext) -> str:
    before = ctx.stack.demo_stats()["requests"]
    r = httpx.post(
        f"{ctx.stack.envoy_url}/v1/chat/completions",
        headers=PURPOSE,
        timeout=10,
        json={"model": "echo", "messages": [{"role": "user", "content": PROMPT}]},
    )
    check(r.status_code == 401, f"HTTP {r.status_code}: {r.text[:200]}")
    www = r.headers.get("www-authenticate", "")
    check('error="invalid_token"' in www, f"401 without the RFC 6750 challenge (www-authenticate: {www!r})")
    after = ctx.stack.demo_stats()["requests"]
    check(after == before, f"the model received {after - before} request(s)")
    return f"HTTP 401 {r.json().get('error')!r}, {www}; the model received nothing"


def _allowed(ctx: DemoContext) -> str:
    token = ctx.stack.token("dr.chen", ["clinician"])
    client = ctx.openai(token)
    resp = client.chat.completions.create(
        model="echo", messages=[{"role": "user", "content": PROMPT}], extra_headers=PURPOSE
    )
    answer = resp.choices[0].message.content
    check(answer == PROMPT, f"answer differs from the prompt: {answer!r}")
    last = ctx.stack.demo_last() or {}
    auth = last.get("headers", {}).get("authorization", "")
    check(token not in auth, "the caller's token reached the model")
    check(
        auth == f"Bearer {ctx.stack.upstream_credential()}", "the model did not get the brokered credential"
    )
    return f"clinician dr.chen got {answer[:40]!r}...; the model saw the guard's credential, not the token"


def _denied(ctx: DemoContext) -> str:
    import openai

    before = ctx.stack.demo_stats()["requests"]
    client = ctx.openai(ctx.stack.token("visitor.pat", ["visitor"]))
    try:
        client.chat.completions.create(
            model="echo", messages=[{"role": "user", "content": PROMPT}], extra_headers=PURPOSE
        )
    except openai.PermissionDeniedError as exc:
        body = exc.response.json()
        check(body.get("error") == "policy_denied", f"403 but error={body.get('error')!r}")
        codes = [r.get("code") for r in body.get("reasons", [])]
        after = ctx.stack.demo_stats()["requests"]
        check(after == before, f"the model received {after - before} request(s)")
        decision = body.get("decision_id")
        return f"HTTP 403 policy_denied, reasons {codes}, decision {decision}; the model saw nothing"
    raise StepFailed("the call was allowed")


def _json_redacted(ctx: DemoContext) -> str:
    client = ctx.openai(ctx.stack.token("cc.ortiz", ["care-coordinator"]))
    raw = client.chat.completions.with_raw_response.create(
        model="clinical-notes",
        messages=[{"role": "user", "content": "Summarise the discharge."}],
        extra_headers=PURPOSE,
    )
    text = raw.parse().choices[0].message.content or ""
    leaked = _leaks(text, STANDARD_REDACTED)
    check(not leaked, f"{len(leaked)} identifier(s) leaked")
    tags = Counter(re.findall(r"\[([A-Z_]+)\]", text))
    check(sum(tags.values()) > 0, "no redaction tags in the answer")
    profile = raw.headers.get("x-phi-guard-redaction-profile", "?")
    return f"care coordinator got the note with tags {dict(tags)} (profile {profile})"


def _stream_redacted(ctx: DemoContext) -> str:
    client = ctx.openai(ctx.stack.token("dr.chen", ["clinician"]))
    stream = client.chat.completions.create(
        model="clinical-notes",
        messages=[{"role": "user", "content": "Read me the note."}],
        stream=True,
        extra_headers={**PURPOSE, "x-demo-chunk-chars": "3"},
    )
    parts = [c.choices[0].delta.content or "" for c in stream if c.choices]
    text = "".join(parts)
    leaked = _leaks(text, ALWAYS_REDACTED)
    check(not leaked, f"{len(leaked)} identifier(s) leaked across {len(parts)} chunks")
    check(len(text) > 100, f"only {len(text)} characters arrived")
    return f"{len(parts)} chunks of 3 characters, SSN/IP/URL never appeared, {len(text)} characters delivered"


def _compressed_redacted(ctx: DemoContext) -> str:
    token = ctx.stack.token("dr.chen", ["clinician"])
    with httpx.Client(timeout=30) as c:
        r = c.post(
            f"{ctx.stack.envoy_url}/v1/chat/completions",
            headers={
                **PURPOSE,
                "authorization": f"Bearer {token}",
                "x-demo-compress": "force-gzip",
                "accept-encoding": "gzip",
            },
            json={"model": "clinical-notes", "messages": [{"role": "user", "content": "note"}]},
        )
    if r.status_code != 200:
        check(r.status_code >= 500, f"HTTP {r.status_code}")
        return f"the guard withheld the gzip answer it could not redact (HTTP {r.status_code})"
    text = json.dumps(r.json())
    leaked = _leaks(text, ALWAYS_REDACTED)
    check(not leaked, f"{len(leaked)} identifier(s) leaked from a gzip answer")
    return (
        f"the upstream answered gzip; the caller got redacted text (content-encoding: "
        f"{r.headers.get('content-encoding', 'none')})"
    )


def steps() -> list[Step]:
    return [
        Step("Health check", "Envoy answers /healthz itself (200), without the guard", _health),
        Step(
            "No credentials",
            '401 with WWW-Authenticate: Bearer error="invalid_token"; the model sees nothing',
            _no_credentials,
        ),
        Step(
            "Allowed call (clinician, openai SDK)",
            "the echo model answers; it receives the guard's credential, never the caller's token",
            _allowed,
        ),
        Step(
            "Denied call (a role the policy does not know)",
            "403 policy_denied with reasons in JSON; the model sees nothing",
            _denied,
        ),
        Step(
            "PHI redacted in a JSON answer (care coordinator)",
            "SSN, MRN, phone, e-mail, IP and URL replaced by type tags such as [SSN]",
            _json_redacted,
        ),
        Step(
            "PHI redacted in a streamed answer (3-character SSE chunks)",
            "identifiers split across chunks still never reach the caller",
            _stream_redacted,
        ),
        Step(
            "PHI in a compressed answer",
            "a gzip answer from the upstream is redacted (or withheld), never passed through",
            _compressed_redacted,
        ),
        Step(
            "An agent over MCP (mTLS identity, official mcp client)",
            "tools/list shows only permitted tools; a permitted call's result is redacted; a forbidden call is "
            "refused and never reaches the MCP server",
            agent_over_mcp,
        ),
    ]
