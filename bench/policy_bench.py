"""Policy decision time per request, per in-process engine (prints numbers; not a test).

Run: ``python -m bench.policy_bench [--n 2000] [--policy DIR] [--engines compiled,embedded,golib] [--no-edits]``;
``--breakdown`` times the stages of an uncached golib decision and the floor of that path; ``--against DIR``
compares two policy directories in alternating rounds (for a Rego edit on a shared machine).

Per request mix and engine (``compiled`` = the Rego's IR plan compiled to Python, ``embedded`` = rego-cpp,
``golib`` = OPA's Go evaluator): ``PolicyService.decide``
p50/p99 with the decision cache off (uncached: prune, convert, evaluate, build the Decision) and on, with the
readable input seen before (cached), and the mean CPU time of an uncached decision (process CPU, Go's threads
included: steadier than wall time on a shared machine). Then the same uncached p50 for the compliance team's
typical edits (bench/policy_edits.py), and the hot-reload gate time. The last line, ``RESULT_JSON {...}``, carries every
number for bench/e2e_stages.py. ``--policy`` measures another policy directory (e.g. an older copy).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.policy_edits import EDITS, edited_copy
from sidecar.ai_request import parse_ai_request
from sidecar.identity.model import Identity
from sidecar.policy.input import build_policy_input
from sidecar.policy.service import PolicyService
from sidecar.policy.settings import PolicySettings
from sidecar.request_view import RequestView

POLICY = Path(__file__).resolve().parents[1] / "opa"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def _view(body: bytes, path: str = "/v1/chat/completions", **headers: str) -> RequestView:
    h = {"content-type": "application/json", "x-phi-guard-purpose": "treatment", **headers}
    return RequestView("POST", path, "guard", "http", h, body, request_id="r")


def _chat(text: str, n_msgs: int = 1) -> bytes:
    import json

    msgs = [{"role": "user", "content": text} for _ in range(n_msgs)]
    return json.dumps({"model": "gpt-4o", "messages": msgs, "max_tokens": 512}).encode()


CLINICIAN = Identity("dr", "iss", "jwt", ("clinician",))
AGENT = Identity("spiffe://h/agent", "iss", "mtls", ("agent",))
MIX: dict[str, tuple[Identity, RequestView]] = {
    "small chat (allow)": (CLINICIAN, _view(_chat("Summarise the plan for the patient."))),
    "chat 8 KB, 10 msgs": (CLINICIAN, _view(_chat("Vitals stable, MRN 1234567. " * 30, 10))),
    "sensitive (approval)": (CLINICIAN, _view(_chat("psychotherapy notes and methadone dose"))),
    "mcp tools/call (agent)": (
        AGENT,
        _view(
            b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"ehr.get_encounter","arguments":{}}}',
            "/mcp",
        ),
    ),
    "denied model": (Identity("n", "iss", "jwt", ("nurse",)), _view(_chat("hi"))),
}


def _time(fn: Callable[[], Any], n: int) -> tuple[float, float]:
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    samples.sort()
    return statistics.median(samples) * 1e6, samples[int(len(samples) * 0.99) - 1] * 1e6


def _cpu(fn: Callable[[], Any], n: int) -> float:
    """Mean CPU time per call (not inflated by other processes on a busy machine)."""
    t0 = time.process_time()
    for _ in range(n):
        fn()
    return (time.process_time() - t0) / n * 1e6


def _service(policy: Path, engine: str, cache: int) -> PolicyService:
    svc = PolicyService(
        PolicySettings(directory=str(policy), engine=engine, decision_cache_size=cache, require_tests_pass=False)
    )
    svc.start()
    return svc


def _inputs() -> dict[str, dict[str, Any]]:
    return {name: build_policy_input(v, i, parse_ai_request(v), now=NOW) for name, (i, v) in MIX.items()}


def measure(policy: Path, engine: str, n: int) -> dict[str, dict[str, float]]:
    """Per request mix: uncached and cached decide p50/p99 (µs)."""
    plain, cached = _service(policy, engine, 0), _service(policy, engine, 4096)
    rows = {}
    for name, inp in _inputs().items():
        plain.decide(inp)
        cached.decide(inp)
        u50, u99 = _time(lambda x=inp: plain.decide(x), n)
        c50, c99 = _time(lambda x=inp: cached.decide(x), n)
        ucpu = _cpu(lambda x=inp: plain.decide(x), n)
        rows[name] = {"uncached_p50": u50, "uncached_p99": u99, "cached_p50": c50, "cached_p99": c99,
                      "uncached_cpu": ucpu}
    return rows


# A document of the shipped data that costs OPA no evaluation: the bridge's own cost (call, envelope, input).
CONSTANT_DOC = "phi_guard/config/risk/threshold"
DECISION = "phi_guard/authz/decision"


def breakdown(policy: Path, n: int) -> dict[str, dict[str, float]]:
    """Where an uncached ``golib`` decision goes, per request mix: mean CPU µs of each stage timed apart.

    ``call`` is the bridge on a constant document with an empty input; ``input`` what the real (pruned) input
    adds to it (the bridge converts the JSON text to OPA's values); ``eval`` what the decision document adds
    over the constant one (OPA's evaluation and the result's conversion back to JSON); ``decode`` the
    envelope's json.loads; ``decision`` to_decision with an id. ``prepare`` is the first evaluation of a
    document never asked before (the bridge prepares its query then, and only then)."""
    import uuid

    from sidecar.policy.decision import to_decision
    from sidecar.policy.golib import GolibEngine, encode_input
    from sidecar.policy.input_keys import prune

    svc = _service(policy, "golib", 0)
    engine: GolibEngine = svc._engine
    opa = engine.opa
    t0 = time.perf_counter()
    opa.evaluate_raw("phi_guard/config/approval/window_seconds", b"{}")
    prepare = (time.perf_counter() - t0) * 1e6
    rows = {}
    paths = engine.input_paths
    for name, (identity, view) in MIX.items():
        inp = build_policy_input(view, identity, parse_ai_request(view), now=NOW)
        pruned = prune(inp, paths) if paths is not None else inp
        encoded = encode_input(pruned)
        raw = opa.evaluate_raw(DECISION, encoded)
        doc = opa.evaluate_fast(DECISION, encoded)
        stages = {
            "build input": _cpu(lambda v=view, i=identity: build_policy_input(v, i, parse_ai_request(v), now=NOW), n),
            "prune": _cpu(lambda x=inp: prune(x, paths) if paths is not None else x, n),
            "encode": _cpu(lambda x=pruned: encode_input(x), n),
            "call": _cpu(lambda: opa.evaluate_raw(CONSTANT_DOC, b"{}"), n),
            "call+input": _cpu(lambda e=encoded: opa.evaluate_raw(CONSTANT_DOC, e), n),
            "call+input+eval": _cpu(lambda e=encoded: opa.evaluate_raw(DECISION, e), n),
            "decode": _cpu(lambda r=raw: json.loads(r), n),
            "decision": _cpu(lambda d=doc: to_decision(d, engine.version, str(uuid.uuid4())), n),
            "decide": _cpu(lambda x=inp: svc.decide(x), n),
        }
        stages["input"] = stages["call+input"] - stages["call"]
        stages["eval"] = stages["call+input+eval"] - stages["call+input"]
        stages["input bytes"] = float(len(encoded))
        stages["result bytes"] = float(len(raw))
        floor = _constant_decision(policy, doc)

        def floor_decide(x: dict[str, Any], f: Any = floor) -> Any:
            p = prune(x, paths) if paths is not None else x
            raw = f.evaluate_raw("bench_floor/decision", encode_input(p))
            return to_decision(json.loads(raw)["result"][0]["expressions"][0]["value"], "v", str(uuid.uuid4()))

        stages["floor"] = _cpu(lambda x=inp: floor_decide(x), n)
        stages["floor p50"] = _time(lambda x=inp: floor_decide(x), n)[0]
        stages["decide p50"] = _time(lambda x=inp: svc.decide(x), n)[0]
        floor.close()
        rows[name] = stages
    svc.aclose()
    rows["_prepare_first_call_us"] = {"wall": prepare}
    return rows


def _constant_decision(policy: Path, doc: Any) -> Any:
    """OPA holding only ``data.bench_floor.decision``, the constant ``doc``: the bridge call, input and result
    conversion of a decision of this shape with no evaluation (the floor of this path)."""
    from dataclasses import replace

    from sidecar.policy.bundle import load_source
    from sidecar.policy.reference import ReferenceOpa

    source = load_source(policy)
    floor = {"bench_floor.rego": "package bench_floor\n\ndecision := " + json.dumps(doc) + "\n"}
    return ReferenceOpa(replace(source, modules=floor, tests={}, data={}), include_tests=False)


def against(policy: Path, other: Path, engines: list[str], n: int, rounds: int = 5) -> dict[str, Any]:
    """Uncached decide of ``policy`` and ``other`` in alternating rounds (steadier than two runs on a shared
    machine): per engine and request mix, the median over rounds of each side's wall p50 and mean CPU (µs)."""
    out: dict[str, Any] = {}
    for engine in engines:
        a, b = _service(policy, engine, 0), _service(other, engine, 0)
        out[engine] = {}
        for name, inp in _inputs().items():
            samples: dict[str, list[float]] = {"p50": [], "cpu": [], "other p50": [], "other cpu": []}
            for _ in range(rounds):
                for side, svc in (("", a), ("other ", b)):
                    svc.decide(inp)
                    samples[side + "p50"].append(_time(lambda x=inp, s=svc: s.decide(x), n)[0])
                    samples[side + "cpu"].append(_cpu(lambda x=inp, s=svc: s.decide(x), n))
            out[engine][name] = {k: statistics.median(v) for k, v in samples.items()}
        a.aclose()
        b.aclose()
    return out


def print_breakdown(rows: dict[str, dict[str, float]]) -> None:
    cols = ["build input", "prune", "encode", "call", "input", "eval", "decode", "decision", "decide", "floor",
            "decide p50", "floor p50"]
    print("golib: where an uncached decision goes (mean CPU µs per stage; decide = prune..decision in one call;")
    print("floor = the same path to a constant decision document of the same shape: no evaluation; p50 = wall)")
    print(f"{'request':26} " + " ".join(f"{c:>11}" for c in cols) + f" {'in/out B':>10}")
    for name, r in rows.items():
        if name.startswith("_"):
            continue
        print(f"{name:26} " + " ".join(f"{r[c]:11.1f}" for c in cols)
              + f" {int(r['input bytes']):>4}/{int(r['result bytes']):<5}")
    print(f"first evaluation of a new document (query prepared): {rows['_prepare_first_call_us']['wall']:.0f} µs wall")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--policy", type=Path, default=POLICY, help="policy directory (default: the shipped opa/)")
    ap.add_argument("--engines", default="compiled,embedded,golib")
    ap.add_argument("--no-edits", action="store_true", help="skip the typical-edit variants")
    ap.add_argument("--breakdown", action="store_true", help="only time the stages of an uncached golib decision")
    ap.add_argument("--against", type=Path, help="compare with this policy directory in alternating rounds")
    args = ap.parse_args()
    if args.against is not None:
        res = against(args.policy, args.against, [e for e in args.engines.split(",") if e], args.n)
        print(f"uncached decide, median of 5 alternating rounds (µs): {args.policy} vs {args.against}")
        print(f"{'engine':9} {'request':26} {'p50':>8} {'other p50':>10} {'CPU':>8} {'other CPU':>10}")
        for engine, rows in res.items():
            for name, r in rows.items():
                print(f"{engine:9} {name:26} {r['p50']:8.1f} {r['other p50']:10.1f} "
                      f"{r['cpu']:8.1f} {r['other cpu']:10.1f}")
        print("RESULT_JSON " + json.dumps({"n": args.n, "against": str(args.against), "engines": res}))
        return
    if args.breakdown:
        rows = breakdown(args.policy, args.n)
        print_breakdown(rows)
        print("RESULT_JSON " + json.dumps({"n": args.n, "breakdown": rows}))
        return
    engines = [e for e in args.engines.split(",") if e]
    out: dict[str, Any] = {"n": args.n, "engines": {}, "edits": {}, "stage": {}}

    print(f"{'request':26} {'parse p50':>10} {'input p50':>10} {'stage CPU':>10}   (µs; stage = parse + input)")
    for name, (identity, view) in MIX.items():
        p_parse, _ = _time(lambda v=view: parse_ai_request(v), args.n)
        ai = parse_ai_request(view)
        p_input, _ = _time(lambda v=view, a=ai, i=identity: build_policy_input(v, i, a, now=NOW), args.n)
        cpu = _cpu(lambda v=view, i=identity: build_policy_input(v, i, parse_ai_request(v), now=NOW), args.n)
        out["stage"][name] = {"parse_p50": p_parse, "input_p50": p_input, "parse_input_cpu": cpu}
        print(f"{name:26} {p_parse:10.1f} {p_input:10.1f} {cpu:10.1f}")

    for engine in engines:
        rows = measure(args.policy, engine, args.n)
        out["engines"][engine] = rows
        print(f"\nengine {engine}: PolicyService.decide (microseconds)")
        print(
            f"{'request':26} {'uncached p50':>13} {'uncached p99':>13} {'cached p50':>11} {'cached p99':>11}"
            f" {'uncached CPU':>13}"
        )
        for name, r in rows.items():
            print(
                f"{name:26} {r['uncached_p50']:13.1f} {r['uncached_p99']:13.1f} "
                f"{r['cached_p50']:11.1f} {r['cached_p99']:11.1f} {r['uncached_cpu']:13.1f}"
            )

    if not args.no_edits and args.policy == POLICY:
        heads = " ".join(f"{e + ' p50':>14}" for e in engines)
        print(f"\n{'policy edit':26} {heads}   (uncached, median over the mix)")
        with tempfile.TemporaryDirectory() as tmp:
            for edit in EDITS:
                root = edited_copy(POLICY, Path(tmp) / edit.replace(" ", "-"), edit)
                vals = {}
                for engine in engines:
                    rows = measure(root, engine, max(50, args.n // 4))
                    vals[engine] = statistics.median(r["uncached_p50"] for r in rows.values())
                out["edits"][edit] = vals
                print(f"{edit:26} " + " ".join(f"{vals[e]:14.1f}" for e in engines))

    svc = PolicyService(PolicySettings(directory=str(args.policy)))
    svc.start()
    t0 = time.perf_counter()
    svc._validate()
    gate = time.perf_counter() - t0
    out["reload_gate_ms"] = gate * 1000
    print(
        f"\nreload gate (child process: compile + evaluate + {svc.status.tests_passed} Rego tests): "
        f"{gate * 1000:.0f} ms wall"
    )
    print("RESULT_JSON " + json.dumps(out))


if __name__ == "__main__":
    main()
