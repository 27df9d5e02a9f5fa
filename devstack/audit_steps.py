"""Demo steps for the audit trail (``phi-guard demo``): a request through Envoy becomes one encrypted,
hash-chained event in the Object-Lock bucket; ``audit export`` finds it, ``audit verify`` passes, the bucket
holds no plaintext PHI, and S3 refuses to delete a segment."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from typing import Any

import httpx

from devstack.demo import DemoContext, Step, check
from devstack.demo_data import all_phi_values
from sidecar.config import load_settings

SUBJECT = ("dr.audit", ["clinician"])
PURPOSE = {"x-phi-guard-purpose": "treatment"}


def _cli(ctx: DemoContext, *argv: str) -> subprocess.CompletedProcess[str]:
    check(ctx.stack.guard_config is not None, "the stack runs without the guard")
    return subprocess.run(
        [sys.executable, "-m", "sidecar.cli", "--config", str(ctx.stack.guard_config), "audit", *argv],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _export_subject(ctx: DemoContext, sub: str) -> list[dict[str, Any]]:
    p = _cli(ctx, "export", "--subject", sub)
    check(p.returncode == 0, f"audit export exit {p.returncode}: {p.stderr.strip()[-300:]}")
    return [json.loads(line) for line in p.stdout.splitlines() if line.strip()]


def _audited(ctx: DemoContext) -> str:
    marker = f"audit-demo-{uuid.uuid4().hex[:8]}"
    phi = all_phi_values()
    prompt = f"{marker}: summarise for {phi[0]} (SSN {ctx.notes.setdefault('ssn', '523-81-4467')})."
    token = ctx.stack.token(*SUBJECT)
    r = httpx.post(
        f"{ctx.stack.envoy_url}/v1/chat/completions",
        json={"model": "echo", "messages": [{"role": "user", "content": prompt}]},
        headers={**PURPOSE, "authorization": f"Bearer {token}"},
        timeout=30,
    )
    check(r.status_code == 200, f"HTTP {r.status_code}: {r.text[:200]}")
    ctx.notes["phi_sent"] = [phi[0], ctx.notes["ssn"]]
    deadline = time.monotonic() + 30  # a segment is sealed within seconds, then shipped
    found: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        events = _export_subject(ctx, SUBJECT[0])
        found = [e for e in events if marker in e.get("request", {}).get("body", "")]
        # the response half joins the request half (written at Check) by request id
        answers = [e for e in events if found and e.get("request_id") == found[0].get("request_id")
                   and e.get("outcome") == "completed"]
        if found and answers:
            break
        time.sleep(1.0)
    check(len(found) == 1, f"{len(found)} events carry the request after 30 s")
    check(len(answers) == 1, f"{len(answers)} response events joined to the request after 30 s")
    ev, answer = found[0], answers[0]
    return (
        f"event seq {ev['sequence']} in chain {ev['instance_id']}: {ev['identity']['sub']} "
        f"{ev['request']['method']} {ev['request']['path']}, decision "
        f"{ev.get('decision', {}).get('outcome')}; its response (seq {answer['sequence']}): status "
        f"{answer.get('status')}, redactions {answer.get('response', {}).get('redactions', {})}"
    )


def _no_plaintext(ctx: DemoContext) -> str:
    client = ctx.stack.s3_client()
    sent = [v.encode() for v in ctx.notes.get("phi_sent", [])]
    check(bool(sent), "the previous step sent nothing")
    n = 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=ctx.stack.audit_bucket):
        for obj in page.get("Contents", []):
            data = client.get_object(Bucket=ctx.stack.audit_bucket, Key=obj["Key"])["Body"].read()
            leaked = [v.decode() for v in sent if v in data]
            check(not leaked, f"{obj['Key']} holds plaintext PHI")
            n += 1
    check(n > 0, "the bucket is empty")
    return f"{n} segment objects searched: none holds the name or SSN that was sent"


def _verify(ctx: DemoContext) -> str:
    p = _cli(ctx, "verify")
    check(p.returncode == 0, f"exit {p.returncode}: {(p.stdout + p.stderr).strip()[-400:]}")
    lines = p.stdout.strip().splitlines()
    return f"exit 0: {lines[1] if len(lines) > 1 else lines[-1]}; {lines[-1]}"


def _locked(ctx: DemoContext) -> str:
    client = ctx.stack.s3_client()
    bucket = ctx.stack.audit_bucket
    prefix = load_settings(str(ctx.stack.guard_config)).audit.prefix if ctx.stack.guard_config else "audit/"
    versions = client.list_object_versions(Bucket=bucket, Prefix=prefix).get("Versions", [])
    check(bool(versions), "no segment in the bucket")
    v = versions[0]
    try:
        client.delete_object(Bucket=bucket, Key=v["Key"], VersionId=v["VersionId"])
    except client.exceptions.ClientError as exc:
        code = exc.response["Error"]["Code"]
        check(code == "AccessDenied", f"delete refused with {code}")
        return f"DELETE {v['Key']} (version {v['VersionId'][:12]}...): {code} (COMPLIANCE retention)"
    raise AssertionError("S3 deleted a locked audit segment")


def steps() -> list[Step]:
    return [
        Step(
            "Audit: the request is one event in the bucket",
            "a call through Envoy is exported (decrypted) by `phi-guard audit export --subject dr.audit`",
            _audited,
        ),
        Step(
            "Audit: no plaintext PHI at rest",
            "no segment object in the bucket contains the name or SSN just sent (envelope encryption)",
            _no_plaintext,
        ),
        Step(
            "Audit: `phi-guard audit verify`",
            "every chain, hash, MAC and Object Lock retention checks out: exit 0",
            _verify,
        ),
        Step(
            "Audit: segments cannot be deleted",
            "deleting a segment version in the Object-Lock bucket is refused by S3 (AccessDenied)",
            _locked,
        ),
    ]
