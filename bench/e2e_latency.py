"""Where the guard's added latency goes: bare Envoy, the trivial guard and phi-guard side by side, in one run.

    python -m bench.e2e_latency [--rounds 3] [--seconds 5] [--override audit.group_commit_ms=2] [--out F]

Starts the local stack, a bare Envoy and the trivial guard (bench/e2e.py), then, alternating the targets inside
every round so a noisy neighbour hits all of them alike:

- **sequential**: one request at a time (identifier-free JSON), wall time per request;
- **rate**: ``hey -z Ns -c 10 -q 10`` (100 req/s) for each answer shape (PHI-dense JSON, identifier-free JSON,
  SSE), p50/p99;
- **spread**: identifier-free JSON at the same 100 req/s from one worker (``hey -c 1 -q 100``): arrivals
  10 ms apart. ``hey -c 10 -q 10`` starts its ten workers' tickers together, so its requests arrive in bursts
  of ten every 100 ms and its p50 is mostly the wait behind the burst on the guard's one event loop;
- **ttft**: time to the first token, demo pacing (4 characters every 5 ms), sequential.

Reported per target as the median over rounds, and as guard − bare. It also prints the guard's own stage
timings (``phi_guard_stage_seconds``: identity, policy, audit wait, redaction; mean per call over the whole
run), so the difference between "guard − trivial" and the guard's stages is the time spent waiting elsewhere.
``--override`` merges dotted keys into the guard's configuration (e.g. to compare an audit setting).
Runs are short and bounded: ``rounds × (3 shapes × 3 targets × seconds)`` plus a few seconds per round.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.e2e import (  # noqa: E402
    PURPOSE,
    RATE_CONCURRENCY,
    RATE_PER_WORKER,
    TTFT_CHUNK_CHARS,
    TTFT_CHUNK_DELAY_MS,
    _pct,
    bare_envoy,
    hey,
    scenarios,
    trivial_guard,
    ttft,
)
from devstack.info import StackInfo  # noqa: E402
from devstack.runner import StackOptions, start_stack, stop_stack  # noqa: E402

_STAGE = re.compile(r'^phi_guard_stage_seconds_(sum|count)\{stage="([a-z_]+)"\} ([\d.e+-]+)$', re.M)


def parse_override(text: str) -> dict[str, Any]:
    """``a.b.c=VALUE`` (VALUE read as YAML) -> ``{"a": {"b": {"c": VALUE}}}``."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    doc: dict[str, Any] = {}
    cur = doc
    parts = key.split(".")
    for p in parts[:-1]:
        cur = cur.setdefault(p, {})
    cur[parts[-1]] = yaml.safe_load(value)
    return doc


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


@contextmanager
def stack_with(workdir: Path, overrides: dict[str, Any]) -> Iterator[StackInfo]:
    sd = workdir / "stack"
    doc, lock = start_stack(StackOptions(state_dir=sd, guard_overrides=overrides))
    lock.release()
    try:
        yield StackInfo.from_doc(doc)
    finally:
        stop_stack(sd)


def stage_means(admin_url: str) -> dict[str, tuple[float, float]]:
    """stage -> (seconds summed, calls) from the guard's /metrics."""
    text = httpx.get(f"{admin_url}/metrics", timeout=10).text
    out: dict[str, list[float]] = {}
    for kind, stage, value in _STAGE.findall(text):
        out.setdefault(stage, [0.0, 0.0])[0 if kind == "sum" else 1] = float(value)
    return {k: (v[0], v[1]) for k, v in out.items()}


def sequential(client: httpx.Client, url: str, headers: dict[str, str], body: dict[str, Any]) -> float:
    t0 = time.perf_counter()
    r = client.post(url, json=body, headers=headers)
    if r.status_code != 200:
        raise RuntimeError(f"HTTP {r.status_code} from {url}")
    return (time.perf_counter() - t0) * 1000


def run(rounds: int, seconds: int, n_seq: int, n_ttft: int, overrides: dict[str, Any]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="phi-guard-latency-") as tmp:
        workdir = Path(tmp)
        with (
            stack_with(workdir, overrides) as stack,
            bare_envoy(stack, workdir) as bare_url,
            trivial_guard(stack, workdir) as trivial,
        ):
            return _measure(stack, bare_url, trivial[0], workdir, rounds, seconds, n_seq, n_ttft)


def _measure(stack: StackInfo, bare_url: str, trivial_url: str, workdir: Path, rounds: int, seconds: int,
             n_seq: int, n_ttft: int) -> dict[str, Any]:
    token = stack.token("bench.clinician", ["clinician"], ttl=3600)
    guard_h = {"authorization": f"Bearer {token}", **PURPOSE}
    targets = {
        "bare": (bare_url, {"authorization": f"Bearer {stack.upstream_credential()}"}),
        "trivial": (trivial_url, guard_h),
        "guard": (str(stack.envoy_url), guard_h),
    }
    scen = scenarios()
    clean = next(s for s in scen if s.name == "json-clean")
    sse = next(s for s in scen if s.name == "sse")
    for s in scen:
        (workdir / f"body-{s.name}.json").write_text(json.dumps(s.body))
    samples: dict[str, list[float]] = {}
    admin = str(stack.admin_url)
    with httpx.Client(timeout=30) as client:
        for url, h in targets.values():  # warm-up: caches, pools, JWKS
            hey(f"{url}/v1/chat/completions", {**h, **clean.headers}, workdir / "body-json-clean.json",
                ["-n", "200", "-c", "4"], 120)
        before = stage_means(admin)
        for rnd in range(rounds):
            order = list(targets) if rnd % 2 == 0 else list(reversed(targets))
            seq: dict[str, list[float]] = {n: [] for n in targets}
            for _ in range(n_seq):  # interleaved one request at a time
                for name in order:
                    url, h = targets[name]
                    seq[name].append(sequential(client, f"{url}/v1/chat/completions", h, clean.body))
            for name in order:
                samples.setdefault(f"{name}/seq p50", []).append(_pct(seq[name], 50) or 0.0)
                samples.setdefault(f"{name}/seq p99", []).append(_pct(seq[name], 99) or 0.0)
            for s in scen:
                for name in order:
                    url, h = targets[name]
                    args = ["-z", f"{seconds}s", "-c", str(RATE_CONCURRENCY), "-q", str(RATE_PER_WORKER)]
                    res = hey(f"{url}/v1/chat/completions", {**h, **s.headers}, workdir / f"body-{s.name}.json",
                              args, seconds + 60)
                    if res["not_ok"] or not res["ok"]:
                        raise RuntimeError(f"{name}/{s.name}: {res['statuses']} {res['errors']}")
                    samples.setdefault(f"{name}/{s.name} p50", []).append(res["p50_ms"])
                    samples.setdefault(f"{name}/{s.name} p99", []).append(res["p99_ms"])
            for name in order:  # the same 100 req/s from one worker: arrivals 10 ms apart, not in bursts of 10
                url, h = targets[name]
                res = hey(f"{url}/v1/chat/completions", {**h, **clean.headers}, workdir / "body-json-clean.json",
                          ["-z", f"{seconds}s", "-c", "1", "-q", str(RATE_CONCURRENCY * RATE_PER_WORKER)],
                          seconds + 60)
                if res["not_ok"] or not res["ok"]:
                    raise RuntimeError(f"{name}/json-clean spread: {res['statuses']} {res['errors']}")
                samples.setdefault(f"{name}/json-clean spread p50", []).append(res["p50_ms"])
                samples.setdefault(f"{name}/json-clean spread p99", []).append(res["p99_ms"])
            for name in order:
                url, h = targets[name]
                h2 = {**h, "x-demo-chunk-chars": str(TTFT_CHUNK_CHARS),
                      "x-demo-chunk-delay-ms": str(TTFT_CHUNK_DELAY_MS)}
                res = ttft(client, f"{url}/v1/chat/completions", h2, sse.body, n_ttft)
                if res["failed"]:
                    raise RuntimeError(f"{name}/ttft: {res['failed']} failed")
                samples.setdefault(f"{name}/ttft p50", []).append(res["first_token_p50_ms"])
        after = stage_means(admin)
    medians = {k: round(statistics.median(v), 2) for k, v in samples.items()}
    stages = {}
    for stage, (s1, c1) in after.items():
        s0, c0 = before.get(stage, (0.0, 0.0))
        if c1 > c0:
            stages[stage] = {"mean_ms": round((s1 - s0) / (c1 - c0) * 1000, 3), "calls": int(c1 - c0)}
    return {"medians": medians, "samples": samples, "guard_stages": stages}


def report(res: dict[str, Any]) -> str:
    m = res["medians"]
    rows = sorted({k.split("/", 1)[1] for k in m})
    lines = [f"{'measure (ms, median of rounds)':34} {'bare':>8} {'trivial':>8} {'guard':>8} "
             f"{'trivial-bare':>12} {'guard-bare':>10}"]
    for r in rows:
        b, t, g = (m.get(f"{n}/{r}") for n in ("bare", "trivial", "guard"))
        if b is None or t is None or g is None:
            continue
        lines.append(f"{r:34} {b:8.2f} {t:8.2f} {g:8.2f} {t - b:12.2f} {g - b:10.2f}")
    lines.append("guard stages (mean ms per call over the run): " + ", ".join(
        f"{k} {v['mean_ms']} ({v['calls']})" for k, v in sorted(res["guard_stages"].items())))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=5, help="seconds per hey run (keep it short: shared cores)")
    ap.add_argument("--seq", type=int, default=40, help="sequential requests per target per round")
    ap.add_argument("--ttft", type=int, default=15, help="time-to-first-token requests per target per round")
    ap.add_argument("--override", type=parse_override, action="append", default=[],
                    help="guard configuration, KEY=VALUE with a dotted key (repeatable)")
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    overrides: dict[str, Any] = {}
    for o in a.override:
        overrides = _merge(overrides, o)
    res = run(a.rounds, a.seconds, a.seq, a.ttft, overrides)
    res["overrides"] = overrides
    print(report(res))
    if a.out:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
