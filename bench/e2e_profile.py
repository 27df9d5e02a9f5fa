"""Where the guard's time goes: py-spy samples the running guard while hey loads it, and Envoy's own
counters give the gRPC messages per request.

``profile_guard(stack, workdir, scenario, seconds) -> dict``: py-spy ``record --format raw`` (collapsed
stacks, GIL-holding and waiting threads, idle excluded) on the guard's PID, summarised as the top frames by
self time and the top ``sidecar/`` frames by inclusive time (percent of samples). The profile run is
separate from the measured runs (sampling slows the guard a little).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from bench.e2e import PURPOSE, SAT_CONCURRENCY, Scenario, hey
from devstack.info import StackInfo

GRPC_STATS = (
    "http.ingress_http.ext_proc.stream_msgs_sent",
    "http.ingress_http.ext_proc.stream_msgs_received",
    "http.ingress_http.ext_proc.streams_started",
    "http.ingress_http.ext_authz.ok",
    "http.ingress_http.downstream_rq_2xx",
    "cluster.phi_guard_grpc.upstream_rq_total",
)


# Parts of the guard, by the frames that belong to them (a sample counts for every part it touches).
PARTS: dict[str, tuple[str, ...]] = {
    "ext_authz Check (all)": ("AuthorizationService.Check ",),
    "identity": ("IdentityResolver.resolve ",),
    "policy (parse + input + decide)": ("parse_ai_request ", "build_policy_input ", "PolicyService.decide"),
    "ext_proc Process (all)": ("ExternalProcessorService.Process ",),
    "redaction": ("BodyProcessor.feed ", "BodyProcessor.finish "),
    "audit (loop side)": ("AuditRecorder.", "AuditLog.record", "AuditLog.append"),
    "audit (writer thread)": ("AuditLog._write_batch", "AuditLog._flush", "AuditLog._seal", "AuditLog._sync",
                              "AuditLog._ship"),
    "logging (structlog)": ("structlog/",),
    "metrics (prometheus_client)": ("prometheus_client/",),
}


def envoy_counters(admin_url: str) -> dict[str, int]:
    """Envoy's counters (admin ``/stats?format=json``), by name."""
    r = httpx.get(f"{admin_url}/stats", params={"format": "json"}, timeout=10)
    r.raise_for_status()
    return {s["name"]: int(s["value"]) for s in r.json()["stats"] if "value" in s}


def per_request(before: dict[str, int], after: dict[str, int]) -> dict[str, float]:
    """gRPC messages per successful request between two counter snapshots."""
    n = after.get("http.ingress_http.downstream_rq_2xx", 0) - before.get("http.ingress_http.downstream_rq_2xx", 0)
    out: dict[str, float] = {"requests": float(n)}
    if n <= 0:
        return out
    for k in GRPC_STATS[:-2]:
        out[k.rsplit(".", 2)[-2] + "." + k.rsplit(".", 1)[-1]] = round((after.get(k, 0) - before.get(k, 0)) / n, 2)
    return out


def stage_totals(admin_url: str) -> dict[str, tuple[float, float]]:
    """The guard's ``phi_guard_stage_seconds`` histogram: (sum seconds, count) per stage."""
    from prometheus_client.parser import text_string_to_metric_families

    r = httpx.get(f"{admin_url}/metrics", timeout=10)
    r.raise_for_status()
    out: dict[str, list[float]] = {}
    for fam in text_string_to_metric_families(r.text):
        if fam.name != "phi_guard_stage_seconds":
            continue
        for s in fam.samples:
            stage = s.labels.get("stage", "?")
            if s.name.endswith("_sum"):
                out.setdefault(stage, [0.0, 0.0])[0] = s.value
            elif s.name.endswith("_count"):
                out.setdefault(stage, [0.0, 0.0])[1] = s.value
    return {k: (v[0], v[1]) for k, v in out.items()}


def stage_means(before: dict[str, tuple[float, float]], after: dict[str, tuple[float, float]]) -> dict[str, Any]:
    """Mean wall ms per timed call of each stage between two scrapes (includes waiting for the loop)."""
    res: dict[str, Any] = {}
    for stage, (s1, c1) in after.items():
        s0, c0 = before.get(stage, (0.0, 0.0))
        if c1 > c0:
            res[stage] = {"calls": int(c1 - c0), "mean_ms": round((s1 - s0) / (c1 - c0) * 1000, 3)}
    return res


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU seconds so far per thread of ``pid``, keyed ``name/tid`` (from /proc/<pid>/task)."""
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[str, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if task.name == str(pid):
            name = "main thread (event loop)"
        elif name == "python":
            name = "other Python threads"
        out[f"{name}/{task.name}"] = (int(fields[11]) + int(fields[12])) / tick
    return out


def thread_share(before: dict[str, float], after: dict[str, float], requests: float) -> dict[str, Any]:
    """CPU ms per request by thread name (threads of one name summed), busiest first."""
    by_name: Counter[str] = Counter()
    for key, cpu in after.items():
        by_name[key.split("/", 1)[0]] += cpu - before.get(key, 0.0)
    n = max(requests, 1.0)
    return {name: round(cpu / n * 1000, 3) for name, cpu in by_name.most_common() if cpu > 0}


def summarize(raw: str, top: int = 20) -> dict[str, Any]:
    """Top frames by self and inclusive samples (percent) from py-spy's raw collapsed stacks."""
    self_c: Counter[str] = Counter()
    incl: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, n_txt = line.rstrip().rpartition(" ")
        if not stack or not n_txt.isdigit():
            continue
        n = int(n_txt)
        total += n
        frames = stack.split(";")
        self_c[frames[-1]] += n
        for f in set(frames):
            incl[f] += n
    shares = Counter()
    for line in raw.splitlines():
        stack, _, n_txt = line.rstrip().rpartition(" ")
        if stack and n_txt.isdigit():
            for part, needles in PARTS.items():
                if any(x in stack for x in needles):
                    shares[part] += int(n_txt)
    pct = (lambda c: round(100 * c / total, 1)) if total else (lambda c: 0.0)
    ours = [
        (f, c)
        for f, c in incl.most_common()
        if "sidecar/" in f and "sidecar/cli.py" not in f and "commands.py" not in f
    ]
    return {
        "samples": total,
        "parts": {k: pct(shares[k]) for k in PARTS},
        "self": [[pct(c), f] for f, c in self_c.most_common(top)],
        "inclusive_sidecar": [[pct(c), f] for f, c in ours[:top]],
    }


def profile_guard(
    stack: StackInfo, workdir: Path, scenario: Scenario, seconds: int = 10, keep_dir: Path | None = None
) -> dict[str, Any]:
    """Profile the guard under ``hey -z {seconds}s -c 32`` of ``scenario``; also gRPC messages/request and
    the guard's stage timers. The raw py-spy stacks go to ``keep_dir`` (default: ``workdir``)."""
    pid = stack.pids["guard"]
    pyspy = shutil.which("py-spy") or str(Path(__file__).resolve().parents[1] / ".venv" / "bin" / "py-spy")
    body = workdir / f"profile-{scenario.name}.json"
    body.write_text(json.dumps(scenario.body))
    out_file = (keep_dir or workdir) / f"profile-{scenario.name}.txt"
    headers = {
        "authorization": f"Bearer {stack.token('bench.clinician', ['clinician'])}",
        **PURPOSE,
        **scenario.headers,
    }
    before = envoy_counters(str(stack.envoy_admin_url))
    stages0 = stage_totals(str(stack.admin_url))
    threads0 = thread_cpu(pid)
    spy = None
    if Path(pyspy).exists():
        spy = subprocess.Popen(
            [
                pyspy,
                "record",
                "-p",
                str(pid),
                "-d",
                str(seconds + 2),
                "-r",
                "200",
                "-f",
                "raw",
                "-o",
                str(out_file),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(1)
    load = hey(
        f"{stack.envoy_url}/v1/chat/completions",
        headers,
        body,
        ["-z", f"{seconds}s", "-c", str(SAT_CONCURRENCY)],
        seconds + 60,
    )
    after = envoy_counters(str(stack.envoy_admin_url))
    threads1 = thread_cpu(pid)
    res: dict[str, Any] = {
        "load": load,
        "grpc_per_request": per_request(before, after),
        "guard_stage_ms": stage_means(stages0, stage_totals(str(stack.admin_url))),
        "guard_cpu_ms_per_request_by_thread": thread_share(
            threads0, threads1, per_request(before, after).get("requests", 0.0)
        ),
    }
    if spy is None:
        res["profile_error"] = "py-spy not installed (pip install py-spy)"
        return res
    try:
        _, err = spy.communicate(timeout=seconds + 30)
    except subprocess.TimeoutExpired:
        spy.kill()
        _, err = spy.communicate()
    if out_file.exists():
        res["profile"] = summarize(out_file.read_text())
        res["profile_file"] = str(out_file)
    else:
        res["profile_error"] = (err or "py-spy wrote nothing")[-500:]
    return res
