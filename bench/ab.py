"""Paired A/B of this tree's guard against another revision: ``python -m bench.ab REV [--pairs N]``.

The shared machine's speed drifts by tens of percent from one minute to the next, so two ``make bench`` runs
taken at different times compare poorly. This checks REV out into a temporary git worktree (its generated
protos built there) and alternates, pair by pair: REV's local stack, then this tree's, each loaded per
scenario with ``hey -z {seconds}s -c 32`` after a short warm-up. It prints req/s, the guard's CPU ms per
request (/proc) and its RSS peak for every run, then the median of each over the pairs. Every process is
stopped by PID (the stacks' own cleanup); the worktree is removed at the end.

``--env PHI_GUARD__SECTION__KEY=VALUE`` (repeatable) sets a guard setting for this tree's runs only: with
``REV`` = ``HEAD`` that is an A/B of one setting on the same code. ``--this-rev REV2`` measures a second
checked-out revision instead of the working tree (which may then change while the A/B runs). A run whose stack
does not start (a loaded machine) is retried once.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
_COLUMNS = ("rps", "cpu_ms_per_request", "rss_peak_mb", "p50_ms", "p99_ms")

# Runs inside the tree under test (cwd and sys.path[0]), so the stack starts that tree's guard.
_CHILD = r"""
import json, sys, threading, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from bench.e2e import PURPOSE, RATE_CONCURRENCY, RATE_PER_WORKER, cpu_seconds, hey, running_stack, scenarios
work, names, secs, rate = Path(sys.argv[2]), sys.argv[3].split(","), int(sys.argv[4]), sys.argv[5] == "1"

def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(ln.split()[1]) // 1024 for ln in f if ln.startswith("VmRSS"))

with running_stack(work) as stack:
    pid = stack.pids["guard"]
    for s in scenarios():
        if s.name not in names:
            continue
        body = work / f"{s.name}.json"
        body.write_text(json.dumps(s.body))
        headers = {"authorization": "Bearer " + stack.token("bench.clinician", ["clinician"]), **PURPOSE, **s.headers}
        url = f"{stack.envoy_url}/v1/chat/completions"
        hey(url, headers, body, ["-n", "200", "-c", "8"], 60)
        peak, done = [rss_mb(pid)], threading.Event()
        def sample():
            while not done.wait(0.2):
                peak[0] = max(peak[0], rss_mb(pid))
        t = threading.Thread(target=sample)
        t.start()
        c0 = cpu_seconds(pid)
        r = hey(url, headers, body, ["-z", f"{secs}s", "-c", "32"], secs + 60)
        c1 = cpu_seconds(pid)
        done.set()
        t.join()
        ok = max(r.get("ok", 0), 1)
        row = {"scenario": s.name, "rps": round(r["rps"], 1), "non_200": r.get("not_ok", 0),
               "cpu_ms_per_request": round((c1 - c0) / ok * 1000, 3), "rss_peak_mb": peak[0]}
        if rate:
            q = hey(url, headers, body, ["-z", f"{secs}s", "-c", str(RATE_CONCURRENCY), "-q", str(RATE_PER_WORKER)],
                    secs + 60)
            row.update(p50_ms=q["p50_ms"], p99_ms=q["p99_ms"], non_200=row["non_200"] + q.get("not_ok", 0))
        print(json.dumps(row), flush=True)
"""


def _run(tree: Path, work: Path, names: list[str], seconds: int, env: dict[str, str],
         rate: bool = False) -> list[dict[str, Any]]:
    argv = [sys.executable, "-c", _CHILD, str(tree), "", ",".join(names), str(seconds), "1" if rate else "0"]
    for attempt in (1, 2):
        argv[4] = str(work.with_name(f"{work.name}-{attempt}"))
        out = subprocess.run(argv, cwd=tree, capture_output=True, text=True, timeout=600,
                             env={**os.environ, **env})
        if out.returncode == 0 or attempt == 2:
            break
        print(f"run failed (exit {out.returncode}), retrying once: {out.stderr.strip()[-400:]}", flush=True)
    out.check_returncode()
    return [json.loads(ln) for ln in out.stdout.splitlines() if ln.startswith("{")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rev", help="the revision to compare against (e.g. HEAD~3, a tag, a commit)")
    ap.add_argument("--pairs", type=int, default=2)
    ap.add_argument("--seconds", type=int, default=6)
    ap.add_argument("--scenarios", default="json,json-clean,sse")
    ap.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                    help="a guard setting (PHI_GUARD__SECTION__KEY) for this tree's runs only; repeatable")
    ap.add_argument("--this-rev", help="measure this revision (checked out apart) instead of the working tree")
    ap.add_argument("--rate", action="store_true",
                    help="also p50/p99 ms at a fixed 100 req/s (hey -c 10 -q 10) for --seconds, after each load run")
    args = ap.parse_args(argv)
    names = args.scenarios.split(",")
    this_env = dict(kv.split("=", 1) for kv in args.env)
    if any(not k.startswith("PHI_GUARD__") for k in this_env):
        ap.error("--env takes PHI_GUARD__SECTION__KEY=VALUE")
    results: dict[str, list[dict[str, Any]]] = {"base": [], "this": []}
    with tempfile.TemporaryDirectory(prefix="phi-guard-ab-") as tmp:
        base = Path(tmp) / "base"
        this = Path(tmp) / "this" if args.this_rev else ROOT
        checkouts = [(base, args.rev)] + ([(this, args.this_rev)] if args.this_rev else [])
        try:
            for path, rev in checkouts:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(path), rev],
                               check=True)
                subprocess.run([sys.executable, "-m", "sidecar.audit.build_protos"], cwd=path, check=True)
            for i in range(args.pairs):
                for label, tree in (("base", base), ("this", this)):
                    env = this_env if label == "this" else {}
                    rows = _run(tree, Path(tmp) / f"{label}-{i}", names, args.seconds, env, args.rate)
                    for row in rows:
                        print(f"pair {i + 1} {label:4} {json.dumps(row)}", flush=True)
                    results[label] += rows
        finally:
            for path, _rev in checkouts:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)], check=False)
    what = args.this_rev or "the working tree"
    print(f"\nmedians over {args.pairs} pairs (base = {args.rev}, this = {what} {' '.join(args.env)})")
    print(f"{'scenario':12} {'':5} {'req/s':>8} {'CPU ms/req':>11} {'RSS peak MB':>12}"
          + (f" {'p50 ms @100':>12} {'p99 ms @100':>12}" if args.rate else ""))
    for name in names:
        for label in ("base", "this"):
            rows = [r for r in results[label] if r["scenario"] == name]
            if rows:
                rps, cpu, rss, p50, p99 = (statistics.median(r.get(k) or 0.0 for r in rows) for k in _COLUMNS)
                print(f"{name:12} {label:5} {rps:8.1f} {cpu:11.2f} {rss:12.0f}"
                      + (f" {p50:12.1f} {p99:12.1f}" if args.rate else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
