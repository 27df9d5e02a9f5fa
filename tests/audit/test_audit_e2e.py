"""Through the real stack (Envoy -> guard -> demo model, SeaweedFS): kill -9 the guard during sustained
load, restart it: every request that got its 200 has exactly one event in the bucket; verify passes."""

from __future__ import annotations

import asyncio
import io
import json
import os
import signal
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from sidecar.audit.export import export_events
from sidecar.audit.keys import load_keys
from sidecar.audit.verify import verify_bucket
from sidecar.config import load_settings
from sidecar.stack.processes import stop_pid

pytestmark = pytest.mark.e2e

FAST_AUDIT = {
    "audit": {"segment_max_seconds": 0.5, "ship_interval_seconds": 0.2, "ship_max_backoff_seconds": 1.0}
}


@pytest.fixture
def own_stack(tmp_path: Path) -> Any:
    from sidecar.stack.info import StackInfo
    from sidecar.stack.runner import StackOptions, start_stack, stop_stack

    sd = tmp_path / "stack"
    doc, lock = start_stack(StackOptions(state_dir=sd, guard_overrides=FAST_AUDIT))
    lock.release()
    extra: list[int] = []
    try:
        yield StackInfo.from_doc(doc), extra
    finally:
        for pid in extra:  # guards this test restarted (stack.json knows only the first)
            stop_pid(pid, timeout=20)
        stop_stack(sd)


def _guard_env() -> dict[str, str]:
    from sidecar.stack.seaweed import ACCESS_KEY, SECRET_KEY

    return {
        **os.environ,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_REGION": "us-east-1",
        "PYTHONUNBUFFERED": "1",
    }


async def _load(url: str, token: str, stop: threading.Event, ok: list[str], other: Counter[str]) -> None:
    async def worker(client: httpx.AsyncClient) -> None:
        while not stop.is_set():
            marker = f"m-{uuid.uuid4().hex}"
            body = {
                "model": "echo",
                "messages": [{"role": "user", "content": f"{marker} note for Jane Doeberman"}],
            }
            try:
                r = await client.post(
                    f"{url}/v1/chat/completions",
                    json=body,
                    headers={"authorization": f"Bearer {token}", "x-phi-guard-purpose": "treatment"},
                )
                if r.status_code == 200 and r.json()["choices"]:
                    ok.append(marker)
                else:
                    other[str(r.status_code)] += 1
            except (httpx.HTTPError, ValueError) as exc:
                other[type(exc).__name__] += 1
                await asyncio.sleep(0.05)

    async with httpx.AsyncClient(timeout=10) as client:
        await asyncio.gather(*(worker(client) for _ in range(8)))


def test_kill_9_guard_under_load(own_stack: Any) -> None:
    from sidecar.stack.launchers import launch_guard

    stack, extra = own_stack
    token = stack.token("dr.load", ["clinician"])
    ok: list[str] = []
    other: Counter[str] = Counter()
    stop = threading.Event()
    loader = threading.Thread(target=lambda: asyncio.run(_load(stack.envoy_url, token, stop, ok, other)))
    loader.start()
    try:
        time.sleep(2.0)
        before_kill = len(ok)
        os.killpg(stack.pids["guard"], signal.SIGKILL)
        time.sleep(0.5)
        rec = launch_guard(
            stack.guard_config,
            stack.admin_url,
            stack.state_dir / "logs" / "guard-restarted.log",
            _guard_env(),
        )
        extra.append(rec.pid)
        time.sleep(2.0)
    finally:
        stop.set()
        loader.join(30)
    assert before_kill >= 20 and len(ok) > before_kill + 10, (before_kill, len(ok), other)
    stop_pid(extra[0], timeout=30)  # graceful: flush, seal, final ship

    settings = load_settings(stack.guard_config)
    keys = load_keys(settings.audit, Path(settings.state_dir), create=False)
    client = stack.s3_client()
    report = verify_bucket(
        client, stack.audit_bucket, settings.audit.prefix, keys, retention_days=settings.audit.retention_days
    )
    assert report.ok, report.render()
    buf = io.StringIO()
    export_events(client, stack.audit_bucket, settings.audit.prefix, keys, buf, subject="dr.load")
    seen: Counter[str] = Counter()
    for line in buf.getvalue().splitlines():
        body = json.loads(line).get("request", {}).get("body", "")
        if body.startswith("{"):
            seen[json.loads(body)["messages"][0]["content"].split()[0]] += 1
    missing = [m for m in ok if seen[m] == 0]
    twice = [m for m in ok if seen[m] > 1]
    assert not missing, f"{len(missing)} of {len(ok)} answered requests have no event"
    assert not twice, f"{len(twice)} requests have more than one event"
    # the spool of the killed guard was recovered: its open segment was sealed as recovered
    from sidecar.audit.export import iter_segments
    from sidecar.audit.segment import parse_segment

    recovered = [
        k
        for k, d in iter_segments(client, stack.audit_bucket, settings.audit.prefix)
        if (t := parse_segment(d, keys).trailer) is not None and t.recovered
    ]
    print(
        f"answered {len(ok)}, other outcomes {dict(other)}, events {sum(seen.values())}, "
        f"recovered segments {len(recovered)}"
    )
