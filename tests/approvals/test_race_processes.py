"""Two guard processes sharing the bucket race to consume one grant: exactly one attempt wins."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .conftest import CATHY, DR_HOUSE, held_decision, run

WORKER = Path(__file__).with_name("race_worker.py")
FP = "fp1:" + "c" * 64
ATTEMPTS = 30  # per process


def test_two_processes_many_attempts_one_winner(
    make_service: Any, seaweed: Any, bucket: str, clock: Any
) -> None:
    clock.now = time.time()  # the workers use the real clock
    svc = make_service()

    async def prepare() -> str:
        aid = (await svc.request_approval(DR_HOUSE, held_decision(), FP, {"model": "gpt-4o"}))["id"]
        await svc.decide(aid, CATHY, True)
        return aid

    aid = run(prepare())
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(WORKER),
                seaweed.endpoint,
                bucket,
                svc.settings.prefix,
                aid,
                FP,
                str(ATTEMPTS),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for p in procs:  # both connected: then fire together
        assert p.stdout is not None and p.stdin is not None
        while not p.stdout.readline().startswith('{"ready"'):
            assert p.poll() is None, "worker died before it was ready"
    for p in procs:
        p.stdin.write("go\n")  # type: ignore[union-attr]
        p.stdin.flush()  # type: ignore[union-attr]
    outputs = []
    for p in procs:
        out, err = p.communicate(timeout=90)
        assert p.returncode == 0, err[-2000:]
        lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        outputs.append(lines)
    summaries = [lines[-1] for lines in outputs]
    events = [x["event"] for lines in outputs for x in lines if "event" in x]
    assert sum(s["ok"] for s in summaries) == 1, summaries
    for s in summaries:
        assert set(s["codes"]) <= {"approval_used"}, s
    assert sum(s["ok"] + sum(s["codes"].values()) for s in summaries) == 2 * ATTEMPTS
    assert events == ["consumed"]
    assert run(svc.get(aid))["status"] == "consumed"
