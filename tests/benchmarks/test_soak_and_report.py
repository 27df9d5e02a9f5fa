"""bench.soak's verdict on RSS samples and bench.report's ratios to the trivial guard and the LiteLLM peer."""

from __future__ import annotations

from typing import Any

from bench.report import derived, markdown
from bench.soak import judge


def _samples(fn: Any, seconds: int = 600, step: int = 5) -> list[tuple[float, float]]:
    return [(float(t), fn(t)) for t in range(0, seconds + 1, step)]


def test_flat_rss_after_warmup_passes() -> None:
    # warm-up climb over the first minute, then flat with noise
    v = judge(_samples(lambda t: 90 + min(t, 60) / 6 + (t % 7) * 0.1), 150, 5)
    assert v["ok"] and abs(v["growth_mb"]) < 1 and v["peak_mb"] < 101


def test_steady_growth_fails() -> None:
    """A leak of 1 MB a minute after warm-up: 8 MB over the judged window."""
    v = judge(_samples(lambda t: 100 + t / 60), 150, 5)
    assert not v["ok"] and v["growth_mb"] > 5 and 0.9 < v["slope_mb_per_min"] < 1.1


def test_over_the_limit_fails_even_when_flat() -> None:
    v = judge(_samples(lambda t: 160.0), 150, 5)
    assert not v["ok"] and v["growth_mb"] == 0


def test_too_few_samples_is_a_failure_not_a_pass() -> None:
    assert not judge([(0.0, 100.0), (1.0, 100.0)], 150, 5)["ok"]


def _run(rps: float, p50: float, p99: float) -> dict[str, Any]:
    return {
        "saturation": {"rps": rps, "not_ok": 0},
        "rate": {"rps": 100, "p50_ms": p50, "p99_ms": p99, "not_ok": 0},
    }


def _res(guard_rps: float, peer_rps: float, guard_p50: float = 8.0) -> dict[str, Any]:
    runs = {}
    for sc in ("json", "json-clean", "sse"):
        runs[f"bare/{sc}"] = _run(2000, 5, 10)
        runs[f"trivial/{sc}"] = _run(600, 7, 14)
        runs[f"guard/{sc}"] = _run(guard_rps, guard_p50, 20)
        runs[f"litellm/{sc}"] = _run(peer_rps, 30, 60)
    return {"e2e": {"runs": runs, "guard_rss_peak_mb": 120}, "soak": {"ok": True, "seconds": 60}}


def test_targets_from_ratios_and_peer() -> None:
    res = _res(guard_rps=450, peer_rps=150)
    d = derived(res)
    t = d["targets"]
    assert d["json"]["keep_of_trivial"] == 0.75
    assert t["guard keeps >= 70% of the trivial guard's req/s (json)"] is True
    assert t["p50 at 100 req/s <= bare + 5 ms (json)"] is True  # 8 - 5 = 3 ms
    assert t["p99 at 100 req/s <= bare + 15 ms (json)"] is True  # 20 - 10 = 10 ms
    assert t["ahead of LiteLLM on req/s, p50 and p99 (json)"] is True
    assert d["json"]["vs_litellm"]["rps_ratio"] == 3.0
    res["derived"] = d
    doc = markdown(res)
    assert "Beside the LiteLLM peer" in doc and "| json | 3.00 | 0.27 | 0.33 |" in doc


def test_control_targets_fail_when_behind() -> None:
    t = derived(_res(guard_rps=300, peer_rps=500, guard_p50=12))["targets"]
    assert t["guard keeps >= 70% of the trivial guard's req/s (json)"] is False
    assert t["p50 at 100 req/s <= bare + 5 ms (json)"] is False
    assert t["ahead of LiteLLM on req/s, p50 and p99 (json)"] is False


def test_settled_rss_is_the_median_of_the_samples() -> None:
    from bench.soak import settled_rss

    class Fake:
        def __init__(self, values: list[float | None]) -> None:
            self.values = values

        def rss_mb(self) -> float | None:
            return self.values.pop(0) if self.values else None

    # one spike among steady readings does not move the figure; a process gone gives None, not 0
    assert settled_rss(Fake([100.0, 100.2, 180.0, 100.1, 99.9]), count=5, step=0) == 100.1  # type: ignore[arg-type]
    assert settled_rss(Fake([]), count=3, step=0) is None  # type: ignore[arg-type]


def test_envoy_counter_reads_one_counter_from_admin_stats() -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from bench.soak import SIDE_STREAM_RESETS, envoy_counter

    class Stats(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = (f"{SIDE_STREAM_RESETS}_total_x: 99\n{SIDE_STREAM_RESETS}: 7\n"
                    "cluster.phi_guard_grpc.upstream_rq_time: P0(nan,0)\n").encode()
            self.send_response(200)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Stats)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        assert envoy_counter(url, SIDE_STREAM_RESETS) == 7  # the exact name, not a longer one
        assert envoy_counter(url, "cluster.phi_guard_grpc.upstream_rq_time") is None  # a histogram: no count
        assert envoy_counter(None, SIDE_STREAM_RESETS) is None
    finally:
        server.shutdown()
        server.server_close()


EVAL_OUTPUT = """
## ASQ-PHI — phi-guard
type                                   n  rec(any) rec(full)
NAME                                 814     0.999     0.998
OVERALL                             2975     0.991     0.977
STRUCTURED (SSN MRN phone email dates plan acct IP)  1318               0.993
precision (redacted chars inside gold spans): 0.991
PHI-free records altered: 10/219 = 0.046

## ASQ-PHI — presidio-patterns
type                                   n  rec(any) rec(full)
NAME                                 814     0.000     0.000
OVERALL                             2975     0.100     0.050

## nursing notes (blind) — phi-guard
type                                   n  rec(any) rec(full)
NAME                                2302     0.955     0.952
OVERALL                             4027     0.962     0.958
precision (redacted chars inside gold spans): 0.941
PHI-free records altered: 0/100 = 0.000
"""


def test_detection_quality_is_read_per_set_for_phi_guard_only() -> None:
    from bench.report import quality, quality_lines

    rows = quality(EVAL_OUTPUT)
    assert [r["set"] for r in rows] == ["ASQ-PHI", "nursing notes (blind)"]  # the baseline's rows are not ours
    assert rows[0] == {"set": "ASQ-PHI", "recall_any": 0.991, "recall_full": 0.977, "name_recall_any": 0.999,
                       "structured_full": 0.993, "precision": 0.991, "altered": 0.046}
    assert rows[1]["name_recall_any"] == 0.955 and "structured_full" not in rows[1]
    table = "\n".join(quality_lines({"stages": {"redaction": {"output": EVAL_OUTPUT}}}))
    assert "| nursing notes (blind) | 0.962 | 0.958 | 0.955 |  | 0.941 | 0.0% |" in table


def test_control_no_quality_section_without_the_eval_output() -> None:
    from bench.report import quality_lines

    assert quality_lines({"stages": {"redaction": {"output": EVAL_OUTPUT.replace("phi-guard", "other")}}}) == []
