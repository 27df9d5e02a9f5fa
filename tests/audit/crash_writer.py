"""Child process for the crash test: records events under load and prints ``ACK <event_id>`` for each one
``record`` confirmed. ``--seconds`` bounds a clean run (then it closes and prints ``CLOSED``)."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

from devstack.seaweed import s3_client
from sidecar.audit.events import request_event
from sidecar.audit.log import AuditLog
from sidecar.audit.settings import AuditSettings
from sidecar.identity.model import Identity


async def main(args: argparse.Namespace) -> None:
    settings = AuditSettings(
        s3_endpoint=args.endpoint,
        bucket=args.bucket,
        prefix=args.prefix,
        segment_max_events=200,
        segment_max_seconds=0.5,
        group_commit_ms=2,
        ship_interval_seconds=0.1,
        ship_max_backoff_seconds=0.5,
    )
    log = AuditLog(settings, Path(args.state_dir), s3_client_factory=lambda: s3_client(args.endpoint))
    await log.start()
    ident = Identity(sub=f"user-{args.tag}", iss="https://idp.test", auth_method="jwt")
    deadline = time.monotonic() + args.seconds
    out = sys.stdout

    async def worker(w: int) -> None:
        i = 0
        while time.monotonic() < deadline:
            ev = request_event(
                identity=ident,
                request_id=f"{args.tag}-{w}-{i}",
                method="POST",
                path="/v1/chat/completions",
                request_body=b"patient Jane Q. Doeberman",
                response_body=b"ok",
                status=200,
            )
            event_id = await log.record(ev)
            out.write(f"ACK {event_id}\n")
            out.flush()
            i += 1

    await asyncio.gather(*(worker(w) for w in range(args.concurrency)))
    await log.aclose()
    out.write(f"CLOSED backlog={log.backlog_segments}\n")
    out.flush()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--state-dir", required=True)
    p.add_argument("--endpoint", required=True)
    p.add_argument("--bucket", required=True)
    p.add_argument("--prefix", default="audit/")
    p.add_argument("--tag", default="run")
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--seconds", type=float, default=3600)
    asyncio.run(main(p.parse_args()))
