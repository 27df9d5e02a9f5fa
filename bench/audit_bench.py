"""Audit spool throughput: events/s into the spool (fsync'd, group commit) and the request path's cost.

    python -m bench.audit_bench [--seconds 2] [--concurrency 1,16,64] [--body-bytes 2048] [--busy-ms 0]

Prints, per concurrency: events/s, acknowledgement latency p50/p99 (record() until durable), event-loop CPU
per event (what the request path pays: building, chaining, hashing, queueing), and total CPU per event
(including encryption and fsync in the worker thread). No S3: shipping is off. ``--busy-ms N`` adds a
neighbour task that holds the event loop N ms per pass, as other requests' work does on a serving guard:
every hand-off between a thread and the loop then waits behind it, which an idle loop hides.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sidecar.audit.events import request_event
from sidecar.audit.log import AuditLog
from sidecar.audit.settings import AuditSettings
from sidecar.identity.model import Identity
from sidecar.policy.model import Decision

IDENT = Identity(sub="bench-user", iss="https://idp.bench", auth_method="jwt", roles=("clinician",))
DECISION = Decision(allow=True, policy_version="bench", decision_id="d")


def make_event(i: int, body: bytes) -> object:
    return request_event(
        identity=IDENT,
        decision=DECISION,
        request_id=f"r{i}",
        client_address="10.0.0.1",
        method="POST",
        path="/v1/chat/completions",
        api="openai.chat",
        model="m",
        parameters={"temperature": 0.1},
        request_body=body,
        response_body=body,
        redaction_summary={"NAME": 2},
        status=200,
        latency_s=0.01,
        outcome="completed",
    )


async def run(concurrency: int, seconds: float, body: bytes, group_commit_ms: float,
              busy_ms: float = 0.0) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="audit-bench-", dir=Path.home()) as d:
        log = AuditLog(AuditSettings(group_commit_ms=group_commit_ms, max_spool_bytes=8 << 30), Path(d))
        await log.start()
        lat: list[float] = []
        build: list[float] = []
        stop = time.monotonic() + seconds

        async def worker() -> None:
            i = 0
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                ev = make_event(i, body)
                t1 = time.perf_counter()
                await log.record(ev)  # type: ignore[arg-type]
                lat.append(time.perf_counter() - t1)
                build.append(t1 - t0)
                i += 1

        async def neighbour() -> None:
            while time.monotonic() < stop:
                end = time.perf_counter() + busy_ms / 1000
                while time.perf_counter() < end:
                    pass
                await asyncio.sleep(0)

        cpu0, loop0, wall0 = time.process_time(), time.thread_time(), time.perf_counter()
        busy = [neighbour()] if busy_ms > 0 else []
        await asyncio.gather(*(worker() for _ in range(concurrency)), *busy)
        cpu1, loop1, wall1 = time.process_time(), time.thread_time(), time.perf_counter()
        stats = log.stats()
        await log.aclose()
    n = len(lat)
    lat.sort()
    return {
        "events": n,
        "events_per_s": n / (wall1 - wall0),
        "ack_p50_ms": lat[n // 2] * 1e3,
        "ack_p99_ms": lat[int(n * 0.99)] * 1e3,
        "build_us": statistics.median(build) * 1e6,
        "loop_cpu_us_per_event": (loop1 - loop0) / n * 1e6,
        "total_cpu_us_per_event": (cpu1 - cpu0) / n * 1e6,
        "events_per_fsync": n / max(1, stats["batches"]),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--concurrency", default="1,16,64")
    p.add_argument("--body-bytes", type=int, default=2048)
    p.add_argument("--group-commit-ms", type=float, default=2.0)
    p.add_argument("--busy-ms", type=float, default=0.0, help="a neighbour holds the loop this long per pass")
    a = p.parse_args()
    if a.busy_ms > 0:  # the serving guard's GIL switch interval, so thread hand-offs wait as they do there
        from sidecar.server.app import GIL_SWITCH_INTERVAL_S

        sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    body = (b"patient note " * (a.body_bytes // 13 + 1))[: a.body_bytes]
    print(
        f"audit spool bench: {a.seconds}s per run, {a.body_bytes} B request + response body, "
        f"group_commit_ms={a.group_commit_ms}, busy neighbour {a.busy_ms} ms per loop pass"
    )
    print(
        f"{'conc':>5} {'events/s':>9} {'ack p50':>8} {'ack p99':>8} {'build':>7} {'loop CPU':>9} "
        f"{'total CPU':>10} {'ev/fsync':>9}"
    )
    for c in (int(x) for x in a.concurrency.split(",")):
        r = asyncio.run(run(c, a.seconds, body, a.group_commit_ms, a.busy_ms))
        print(
            f"{c:>5} {r['events_per_s']:>9.0f} {r['ack_p50_ms']:>6.2f}ms {r['ack_p99_ms']:>6.2f}ms "
            f"{r['build_us']:>5.0f}us {r['loop_cpu_us_per_event']:>7.0f}us "
            f"{r['total_cpu_us_per_event']:>8.0f}us "
            f"{r['events_per_fsync']:>9.1f}"
        )


if __name__ == "__main__":
    main()
