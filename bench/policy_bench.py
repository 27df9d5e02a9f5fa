"""Policy evaluation time per request for the shipped policy (prints numbers; not a test).

Run: ``python -m bench.policy_bench [--n 2000] [--policy DIR]``. Reports, per request mix, the time to parse
the AI request, build the input, convert it for rego-cpp, and decide (embedded rego-cpp, decision cache off;
includes the conversion), the CPU time of the whole policy stage, OPA's Go engine on the same inputs, a decision
served from the cache (an identical readable input seen before), and the hot-reload gate (validate + compile)
time. ``--policy`` measures another policy directory (e.g. an older copy) with the same engine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sidecar.ai_request import parse_ai_request
from sidecar.identity.model import Identity
from sidecar.policy.bundle import load_source
from sidecar.policy.input import build_policy_input
from sidecar.policy.input_keys import prune
from sidecar.policy.rego_input import build_input, free_input
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--policy", type=Path, default=POLICY, help="policy directory (default: the shipped opa/)")
    args = ap.parse_args()
    policy = args.policy
    svc = PolicyService(PolicySettings(directory=str(policy), decision_cache_size=0))
    t0 = time.perf_counter()
    svc.start()
    start_s = time.perf_counter() - t0
    warm = PolicyService(PolicySettings(directory=str(policy), require_tests_pass=False))
    warm.start()
    try:
        from sidecar.policy.reference import ReferenceOpa

        opa: Any = ReferenceOpa(load_source(policy), include_tests=False)
    except Exception:  # noqa: BLE001 - the comparison is optional
        opa = None
    print(f"policy {svc.version}  (start incl. validation gate + Rego tests: {start_s * 1000:.0f} ms)")
    print(
        f"{'request':26} {'parse p50':>10} {'input p50':>10} {'rego-in p50':>11} {'decide p50':>11} {'decide p99':>11} "
        f"{'total p50':>10} {'total CPU':>10} {'OPA-Go p50':>11} {'cached p50':>11}   (microseconds)"
    )
    for name, (identity, view) in MIX.items():
        ai = parse_ai_request(view)
        inp = build_policy_input(view, identity, ai, now=NOW)
        svc.decide(inp)
        p_parse, _ = _time(lambda v=view: parse_ai_request(v), args.n)
        p_input, _ = _time(lambda v=view, a=ai, i=identity: build_policy_input(v, i, a, now=NOW), args.n)
        paths = svc._engine.input_paths
        readable = prune(inp, paths) if paths is not None else inp
        p_conv, _ = _time(lambda x=readable: free_input(build_input(x)), args.n)
        p_dec, p99_dec = _time(lambda x=inp: svc.decide(x), args.n)
        p_all, _ = _time(
            lambda v=view, i=identity: svc.decide(build_policy_input(v, i, parse_ai_request(v), now=NOW)),
            args.n,
        )
        cpu_all = _cpu(
            lambda v=view, i=identity: svc.decide(build_policy_input(v, i, parse_ai_request(v), now=NOW)),
            args.n,
        )
        p_opa = (
            _time(lambda x=inp: opa.evaluate("phi_guard/authz/decision", x), max(200, args.n // 10))[0]
            if opa is not None
            else float("nan")
        )
        warm.decide(inp)
        p_warm, _ = _time(lambda x=inp: warm.decide(x), args.n)
        print(
            f"{name:26} {p_parse:10.1f} {p_input:10.1f} {p_conv:11.1f} {p_dec:11.1f} {p99_dec:11.1f} "
            f"{p_all:10.1f} {cpu_all:10.1f} {p_opa:11.1f} {p_warm:11.1f}"
        )
    t0 = time.perf_counter()
    svc._validate()
    gate = time.perf_counter() - t0
    print(
        f"reload gate (child process: compile + evaluate + {svc.status.tests_passed} Rego tests): "
        f"{gate * 1000:.0f} ms wall"
    )


if __name__ == "__main__":
    main()
