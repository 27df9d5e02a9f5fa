"""kill -9 of a real process writing events under load, restart, ship, verify: every acknowledged event
is in the bucket exactly once, the chain has no gap, and ``phi-guard audit verify`` passes."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

from devstack.seaweed import SeaweedServer
from sidecar.audit.export import export_events, iter_segments
from sidecar.audit.keys import load_keys
from sidecar.audit.segment import parse_segment
from sidecar.audit.settings import AuditSettings
from sidecar.audit.verify import verify_bucket

ROOT = Path(__file__).resolve().parents[2]


def _writer(
    state_dir: Path, seaweed: SeaweedServer, bucket: str, prefix: str, tag: str, seconds: float | None = None
) -> subprocess.Popen[str]:
    argv = [
        sys.executable,
        "-m",
        "tests.audit.crash_writer",
        "--state-dir",
        str(state_dir),
        "--endpoint",
        seaweed.endpoint,
        "--bucket",
        bucket,
        "--prefix",
        prefix,
        "--tag",
        tag,
    ]
    if seconds is not None:
        argv += ["--seconds", str(seconds)]
    return subprocess.Popen(
        argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True
    )


def _acks(lines: list[str]) -> list[str]:
    return [ln.split()[1] for ln in lines if ln.startswith("ACK ")]


def test_kill_9_under_load_then_restart(
    seaweed: SeaweedServer, locked_bucket: str, prefix: str, state_dir: Path, tmp_path: Path
) -> None:
    acked: list[str] = []
    for round_ in range(2):  # two crashes, so recovery itself is crashed into once
        proc = _writer(state_dir, seaweed, locked_bucket, prefix, f"crash{round_}")
        assert proc.stdout is not None
        lines: list[str] = []
        t0 = time.monotonic()
        while time.monotonic() - t0 < 15:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if len(lines) >= 1500 and time.monotonic() - t0 > 1.5:
                break
        os.killpg(proc.pid, signal.SIGKILL)
        rest, _ = proc.communicate(timeout=10)
        lines += rest.splitlines(keepends=True)
        assert proc.returncode == -signal.SIGKILL
        got = _acks(lines)
        assert len(got) >= 500, f"only {len(got)} events before the kill"
        acked += got

    proc = _writer(state_dir, seaweed, locked_bucket, prefix, "final", seconds=1.0)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "CLOSED backlog=0" in out, out[-300:]
    acked += _acks(out.splitlines())

    settings = AuditSettings(bucket=locked_bucket, prefix=prefix)
    keys = load_keys(settings, state_dir, create=False)
    client = seaweed.client()
    report = verify_bucket(
        client, locked_bucket, settings.prefix, keys, retention_days=settings.retention_days
    )
    assert report.ok, report.render()
    assert len(report.chains) == 1
    buf = io.StringIO()
    export_events(client, locked_bucket, settings.prefix, keys, buf)
    ids = [json.loads(x)["event_id"] for x in buf.getvalue().splitlines()]
    assert len(ids) == len(set(ids)), "an event was stored twice"
    missing = set(acked) - set(ids)
    assert not missing, f"{len(missing)} acknowledged events lost"
    assert report.events == len(ids) >= len(acked)
    recovered = [
        k
        for k, data in iter_segments(client, locked_bucket, settings.prefix)
        if (t := parse_segment(data, keys).trailer) is not None and t.recovered
    ]
    assert recovered, "no segment was left open by the kill: the crash path was not exercised"

    # The CLI agrees (exit 0), and says why when it does not (exit 1 on an unlocked copy)
    cfg = tmp_path / "guard.yaml"
    cfg.write_text(
        yaml.safe_dump(
            {
                "state_dir": str(state_dir),
                "audit": {"s3_endpoint": seaweed.endpoint, "bucket": locked_bucket, "prefix": prefix},
            }
        )
    )
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "phiguard-dev", "AWS_SECRET_ACCESS_KEY": "phiguard-dev-secret"}
    cli = [sys.executable, "-m", "sidecar.cli", "--config", str(cfg), "audit"]
    res = subprocess.run(cli + ["verify"], capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "RESULT: OK" in res.stdout
    since = "2000-01-01T00:00:00Z"
    res = subprocess.run(
        cli + ["export", "--since", since, "--subject", "user-final"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    rows = [json.loads(x) for x in res.stdout.splitlines()]
    assert rows and all(r["identity"]["sub"] == "user-final" for r in rows)
    res = subprocess.run(cli + ["export", "--since", "yesterday"], capture_output=True, text=True, env=env)
    assert res.returncode == 2 and "not an ISO 8601" in res.stderr
