"""``make bench``: the end-to-end benchmark, the per-stage benches and a profile, in one bounded run.

    python -m bench [--quick] [--no-e2e] [--no-stages] [--no-profile] [--soak-seconds S] [--report-only]
                    [--out bench-results] [--doc docs/benchmarks.md]

Starts the local stack, a bare Envoy, the trivial guard and the LiteLLM peer (bench/e2e.py), loads each with
hey, profiles the guard with py-spy (bench/e2e_profile.py), soaks the guard on the same stack (bench/soak.py;
60 s by default here, 20 s with --quick: the 10-minute soak is ``python -m bench.soak``), runs the stage
benches (bench/e2e_stages.py), prints the table and writes ``bench-results/bench.json`` and
``docs/benchmarks.md``. Exit status 0 when everything ran (targets missed are reported, not an error), 1 when
a part failed to run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import report, stream_latency  # noqa: E402
from bench.e2e import run_e2e, scenarios  # noqa: E402
from bench.e2e_profile import profile_guard  # noqa: E402
from bench.e2e_stages import run_stages  # noqa: E402
from bench.soak import soak  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="short loads (a smoke run, ~1.5 min)")
    ap.add_argument("--no-e2e", action="store_true")
    ap.add_argument("--no-stages", action="store_true")
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument(
        "--soak-seconds",
        type=float,
        default=None,
        help="guard soak on the e2e stack (default 60, 20 with --quick; 0 skips; 600 = the full soak)",
    )
    ap.add_argument("--out", type=Path, default=ROOT / "bench-results")
    ap.add_argument("--doc", type=Path, default=ROOT / "docs" / "benchmarks.md")
    ap.add_argument("--report-only", action="store_true", help="regenerate the Markdown from --out/bench.json")
    args = ap.parse_args(argv)
    if args.report_only:
        res = json.loads((args.out / "bench.json").read_text())
        res["derived"] = report.derived(res)
        args.doc.write_text(report.markdown(res))
        print(report.table(res))
        return 0

    t0 = time.monotonic()
    res: dict[str, Any] = {"machine": report.machine(), "quick": args.quick, "errors": []}
    with tempfile.TemporaryDirectory(prefix="phi-guard-bench-") as tmp:
        work = Path(tmp)
        if not args.no_e2e:

            soak_s = args.soak_seconds if args.soak_seconds is not None else (20 if args.quick else 60)

            def profile(stack: Any, bare_url: str) -> dict[str, Any]:
                print("stream latency: model / bare Envoy / guard, demo and realistic pacing ...", flush=True)
                try:
                    res["stream_latency"] = stream_latency.measure(stack, bare_url, quick=args.quick)
                except Exception as exc:  # noqa: BLE001 - reported in the results, the rest still runs
                    res["errors"].append(f"stream latency: {type(exc).__name__}: {exc}")
                    traceback.print_exc()
                prof: dict[str, Any] = {}
                if not args.no_profile:
                    secs = 4 if args.quick else 8
                    args.out.mkdir(parents=True, exist_ok=True)  # raw py-spy stacks are kept there
                    prof = {s.name: profile_guard(stack, work, s, secs, keep_dir=args.out) for s in scenarios()}
                if soak_s > 0:
                    print(f"soak: {soak_s:.0f} s at 100 req/s (the full soak: python -m bench.soak) ...", flush=True)
                    res["soak"] = soak(stack, work, seconds=soak_s)
                    if not res["soak"].get("ok"):
                        print("soak FAILED:", {k: v for k, v in res["soak"].items() if k != "samples"}, flush=True)
                return prof

            print("e2e: starting the stack and a bare Envoy ...", flush=True)
            try:
                res["e2e"] = run_e2e(work, quick=args.quick, extra=profile)
            except Exception as exc:  # noqa: BLE001 - reported in the results, the rest still runs
                res["errors"].append(f"e2e: {type(exc).__name__}: {exc}")
                traceback.print_exc()
            res["errors"] += [f"sanity: {p}" for p in (res.get("e2e", {}).get("sanity", {}).get("problems") or [])]
        if not args.no_stages:
            print("stages: identity, policy, audit, redaction ...", flush=True)
            res["stages"] = run_stages(quick=args.quick)
            res["errors"] += [f"stage {k}: {v['error']}" for k, v in res["stages"].items() if not v["ok"]]
    res["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    res["seconds"] = round(time.monotonic() - t0, 1)
    res["derived"] = report.derived(res)

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(res, indent=1, default=str) + "\n")
    args.doc.parent.mkdir(parents=True, exist_ok=True)
    args.doc.write_text(report.markdown(res))
    print(report.table(res))
    print(f"\nwrote {args.out / 'bench.json'} and {args.doc} in {res['seconds']:.0f} s")
    for e in res["errors"]:
        print("ERROR:", e, file=sys.stderr)
    return 1 if res["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
