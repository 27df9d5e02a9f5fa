"""Approval store latencies on a local SeaweedFS: ``python -m bench.approvals_store [--n 50] [--race 40]``.

Prints p50/p95/max for request_approval, decide and consume (each one conditional S3 write plus reads), and
the outcome of ``--race`` concurrent consumes of one grant from two service instances. Numbers, not asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

from devstack.seaweed import ensure_locked_bucket, start_seaweed
from sidecar.approvals.service import ApprovalRefused, ApprovalService
from sidecar.approvals.settings import ApprovalSettings
from sidecar.identity.model import Identity
from sidecar.policy.model import Decision, Reason

REQUESTER = Identity(sub="bench-requester", iss="bench", auth_method="jwt", roles=("clinician",))
APPROVER = Identity(sub="bench-approver", iss="bench", auth_method="jwt", roles=("compliance-officer",))
DECISION = Decision(
    allow=False,
    approval_required=True,
    risk=60.0,
    reasons=(Reason("approval_required"),),
    extra={"approvers": ["compliance-officer"]},
)


def _ms(samples: list[float]) -> str:
    s = sorted(samples)
    p95 = s[min(len(s) - 1, int(len(s) * 0.95))]
    return f"p50 {statistics.median(s) * 1000:7.2f} ms  p95 {p95 * 1000:7.2f} ms  max {s[-1] * 1000:7.2f} ms"


async def _timed(aw: Awaitable[Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = await aw
    return time.perf_counter() - t0, out


async def run(endpoint_client: Any, bucket: str, n: int, race: int) -> None:
    async def record(kind: str, approval: dict[str, Any]) -> None:
        return None

    def allow(path: str, doc: dict[str, Any]) -> dict[str, Any]:
        return {"allow": True, "reasons": []}

    settings = ApprovalSettings(sweep_interval_seconds=0)
    a = ApprovalService(settings, endpoint_client(), bucket, allow, record)
    b = ApprovalService(settings, endpoint_client(), bucket, allow, record)
    req, dec, con = [], [], []
    for i in range(n):
        fp = f"fp1:{i:064x}"
        t, approval = await _timed(a.request_approval(REQUESTER, DECISION, fp, {"model": "m"}))
        req.append(t)
        t, _ = await _timed(a.decide(approval["id"], APPROVER, True))
        dec.append(t)
        t, _ = await _timed(a.consume(approval["id"], REQUESTER, fp))
        con.append(t)
    print(f"request_approval  {_ms(req)}")
    print(f"decide            {_ms(dec)}")
    print(f"consume           {_ms(con)}")

    approval = await a.request_approval(REQUESTER, DECISION, "fp1:race", {})
    await a.decide(approval["id"], APPROVER, True)

    async def attempt(svc: ApprovalService) -> str:
        try:
            await svc.consume(approval["id"], REQUESTER, "fp1:race")
            return "ok"
        except ApprovalRefused as err:
            return err.reason_code

    t0 = time.perf_counter()
    results = await asyncio.gather(*(attempt(a if i % 2 else b) for i in range(race)))
    took = time.perf_counter() - t0
    print(
        f"race: {race} concurrent consumes from 2 instances -> {results.count('ok')} ok, "
        f"{results.count('approval_used')} approval_used, in {took * 1000:.0f} ms"
    )
    await a.aclose()
    await b.aclose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--race", type=int, default=40)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="approvals-bench-") as d:
        server = start_seaweed(Path(d))
        try:
            ensure_locked_bucket(server.client(), "approvals-bench", 1)
            asyncio.run(run(server.client, "approvals-bench", args.n, args.race))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
