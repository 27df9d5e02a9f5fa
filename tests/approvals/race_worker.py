"""A separate guard-like process for the cross-process race: N concurrent consume attempts on one grant.

Usage: python race_worker.py ENDPOINT BUCKET PREFIX APPROVAL_ID FINGERPRINT ATTEMPTS
Prints {"ready": true} once connected, fires when a line arrives on stdin, then prints
{"ok": n, "codes": {...}}.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections import Counter

from devstack.seaweed import s3_client
from sidecar.approvals.service import ApprovalRefused, ApprovalService
from sidecar.approvals.settings import ApprovalSettings
from sidecar.identity.model import Identity


async def main(
    endpoint: str, bucket: str, prefix: str, approval_id: str, fingerprint: str, attempts: int
) -> None:
    async def record(kind: str, approval: dict) -> None:
        print(json.dumps({"event": kind}), flush=True)

    svc = ApprovalService(
        ApprovalSettings(prefix=prefix, sweep_interval_seconds=0, s3_max_workers=8),
        s3_client(endpoint),
        bucket,
        policy_query=lambda p, d: None,
        record_event=record,
    )
    who = Identity(sub="dr-house", iss="https://idp.test", auth_method="jwt", roles=("clinician",))
    codes: Counter[str] = Counter()

    async def attempt() -> None:
        try:
            await svc.consume(approval_id, who, fingerprint)
            codes["ok"] += 1
        except ApprovalRefused as err:
            codes[err.reason_code] += 1
        except Exception as exc:  # noqa: BLE001 - reported to the test
            codes[type(exc).__name__] += 1

    await svc.list(days=1)  # connect (and warm the S3 client) before the start signal
    print(json.dumps({"ready": True}), flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    await asyncio.gather(*(attempt() for _ in range(attempts)))
    await svc.aclose()
    print(json.dumps({"ok": codes.pop("ok", 0), "codes": dict(codes)}), flush=True)


if __name__ == "__main__":
    a = sys.argv[1:]
    asyncio.run(main(a[0], a[1], a[2], a[3], a[4], int(a[5])))
