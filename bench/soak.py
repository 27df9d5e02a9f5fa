"""Soak: the guard's memory under steady load. Fails when RSS grows or exceeds the limit.

``python -m bench.soak [--seconds 600] [--rate 100] [--max-rss-mb 150]`` starts the local stack, loads the guard
with ``hey`` at a fixed rate (the PHI-dense JSON answer) for the duration, samples the guard's RSS from /proc, and
exits 1 on failure. ``make bench`` runs a shorter soak on its own stack (``python -m bench --soak-seconds``).

Reported: RSS idle (the started guard before the load), under load (the judged window's median and the peak)
and after the load (a few seconds later), each a median of samples.

Also reported: how many of the guard's gRPC streams Envoy reset during the load (``side_stream_resets``; 0 with
the rendered bootstrap, about one a request without its runtime layer: see docs/memory.md).

Growth: the first 20 % of the run (at least 10 s) is warm-up (caches, allocator arenas, the policy's decision
cache) and is not judged. After it, the median RSS of the last third of the samples may exceed the median of the
first third by at most ``max(--max-growth-mb, 3 %)``; the least-squares slope is reported beside it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.e2e import PURPOSE, RssSampler, hey, running_stack, scenarios
from devstack.info import StackInfo

MAX_RSS_MB = 150.0
MAX_GROWTH_MB = 5.0
# Envoy's count of guard gRPC streams it reset: each reset ext_proc stream leaks native memory in the guard
# (grpc/grpc#43360; docs/memory.md), so the soak reports it beside the RSS verdict.
SIDE_STREAM_RESETS = "cluster.phi_guard_grpc.upstream_rq_tx_reset"


def envoy_counter(admin_url: str | None, name: str) -> int | None:
    """One counter from Envoy's admin ``/stats``; None when there is no admin URL or no such counter."""
    if not admin_url:
        return None
    import httpx

    try:
        text = httpx.get(f"{admin_url}/stats", params={"filter": f"^{name}$"}, timeout=5).text
    except httpx.HTTPError:
        return None
    for line in text.splitlines():
        key, _, val = line.partition(": ")
        if key == name and val.strip().isdigit():
            return int(val)
    return None


def judge(samples: list[tuple[float, float]], max_rss_mb: float, max_growth_mb: float) -> dict[str, Any]:
    """Verdict over ``(seconds since start, RSS MB)`` samples (see the module docstring)."""
    if len(samples) < 6:
        return {"ok": False, "error": f"too few RSS samples ({len(samples)})"}
    end = samples[-1][0]
    warm = max(10.0, 0.2 * end)
    judged = [s for s in samples if s[0] >= warm] if end > warm * 1.5 else samples[len(samples) // 5 :]
    third = max(1, len(judged) // 3)
    start_mb = statistics.median(v for _, v in judged[:third])
    end_mb = statistics.median(v for _, v in judged[-third:])
    growth = end_mb - start_mb
    allowed = max(max_growth_mb, 0.03 * start_mb)
    xs = [t for t, _ in judged]
    ys = [v for _, v in judged]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var * 60 if var else 0.0
    peak = max(v for _, v in samples)
    return {
        "ok": growth <= allowed and peak <= max_rss_mb,
        "peak_mb": round(peak, 1),
        "start_mb": round(start_mb, 1),
        "end_mb": round(end_mb, 1),
        "growth_mb": round(growth, 2),
        "allowed_growth_mb": round(allowed, 2),
        "slope_mb_per_min": round(slope, 3),
        "warmup_s": round(warm, 1),
    }


def settled_rss(sampler: RssSampler, count: int = 7, step: float = 0.5) -> float | None:
    """Median of ``count`` RSS samples (MB) ``step`` seconds apart: one figure for an idle or just-unloaded
    process; None when the process is gone."""
    vals: list[float] = []
    for i in range(count):
        if i:
            time.sleep(step)
        v = sampler.rss_mb()
        if v is not None:
            vals.append(v)
    return round(statistics.median(vals), 1) if vals else None


def soak(
    stack: StackInfo,
    workdir: Path,
    seconds: float = 600,
    rate: int = 100,
    max_rss_mb: float = MAX_RSS_MB,
    max_growth_mb: float = MAX_GROWTH_MB,
) -> dict[str, Any]:
    """Load the guard of a running stack for ``seconds`` at ``rate`` req/s and judge its RSS."""
    pid = stack.pids.get("guard")
    if pid is None:
        return {"ok": False, "error": "the stack reports no guard PID"}
    scen = next(s for s in scenarios() if s.name == "json")
    body = workdir / "soak-body.json"
    body.write_text(json.dumps(scen.body))
    token = stack.token("bench.soak", ["clinician"], ttl=int(seconds) + 600)
    headers = {"authorization": f"Bearer {token}", **PURPOSE}
    workers = 10
    args = ["-z", f"{int(seconds)}s", "-c", str(workers), "-q", str(max(1, rate // workers))]
    result: dict[str, Any] = {}
    load = threading.Thread(
        target=lambda: result.update(hey(f"{stack.envoy_url}/v1/chat/completions", headers, body, args, seconds + 120))
    )
    interval = min(10.0, max(1.0, seconds / 120))
    samples: list[tuple[float, float]] = []
    sampler = RssSampler(pid)
    idle_mb = settled_rss(sampler)
    resets_before = envoy_counter(stack.envoy_admin_url, SIDE_STREAM_RESETS)
    t0 = time.monotonic()
    load.start()
    while load.is_alive():
        v = sampler.rss_mb()
        if v is not None:
            samples.append((time.monotonic() - t0, v))
        load.join(timeout=interval)
    verdict = judge(samples, max_rss_mb, max_growth_mb)
    resets_after = envoy_counter(stack.envoy_admin_url, SIDE_STREAM_RESETS)
    judged = [v for t, v in samples if t >= verdict.get("warmup_s", 0.0)]
    verdict.update(
        {
            "idle_mb": idle_mb,
            "load_median_mb": round(statistics.median(judged), 1) if judged else None,
            "after_mb": settled_rss(sampler),
            "seconds": seconds,
            "rate": rate,
            "requests_ok": result.get("ok", 0),
            "non_200": result.get("not_ok", 0),
            "side_stream_resets": None if resets_before is None or resets_after is None
            else resets_after - resets_before,
            "rps": result.get("rps"),
            "command": result.get("command"),
            "samples": [(round(t, 1), round(v, 1)) for t, v in samples[:: max(1, len(samples) // 60)]],
        }
    )
    if verdict.get("non_200"):
        verdict["ok"] = False
        verdict["statuses"] = result.get("statuses", {})
        verdict["errors"] = result.get("errors", "")
        verdict["refusals"] = refusal_reasons(stack.state_dir / "logs" / "envoy-access.log")
    return verdict


def refusal_reasons(access_log: Path) -> dict[str, int]:
    """Non-200 answers in Envoy's access log, counted by status, response code details and flags (the log
    carries no body and no PHI)."""
    counts: dict[str, int] = {}
    try:
        lines = access_log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return counts
    for line in lines:
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if str(rec.get("status")) in ("200", "None", ""):
            continue
        key = f"{rec.get('status')} {rec.get('details')} {rec.get('flags')}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--rate", type=int, default=100)
    ap.add_argument("--max-rss-mb", type=float, default=MAX_RSS_MB)
    ap.add_argument("--max-growth-mb", type=float, default=MAX_GROWTH_MB)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="phi-guard-soak-") as tmp, running_stack(Path(tmp)) as stack:
        res = soak(stack, Path(tmp), args.seconds, args.rate, args.max_rss_mb, args.max_growth_mb)
    print(json.dumps({k: v for k, v in res.items() if k != "samples"}, indent=1))
    print("PASS" if res["ok"] else "FAIL")
    return 0 if res["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
