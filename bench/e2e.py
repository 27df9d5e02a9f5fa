"""End-to-end load: bare Envoy vs Envoy + trivial guard vs Envoy + phi-guard vs the LiteLLM peer (its proxy
with its in-process PII filter, bench/litellm_peer.py), same demo model, same run.

``run_e2e(workdir, quick=False) -> dict`` starts the local stack (:func:`devstack.runner.start_stack`),
a second "bare" Envoy rendered from the stack's own bootstrap minus the ext_authz/ext_proc filters (the
caller sends the upstream credential itself there), and measures with ``hey`` (Debian):

- saturation: ``hey -z {SAT_SECONDS}s -c {SAT_CONCURRENCY}`` -> req/s;
- fixed moderate rate: ``hey -z {RATE_SECONDS}s -c 10 -q 10`` (100 req/s) -> p50/p99 latency;
- streams: time to first byte and to first non-empty ``delta.content`` with an httpx streaming client;
- guard RSS sampled from /proc during every guard load.

Every process it starts is stopped by PID before it returns (also on errors).
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import yaml

from bench.litellm_peer import MASTER_KEY, litellm_proxy
from devstack import launchers
from devstack.info import StackInfo
from devstack.ports import free_port, wait_for_port
from devstack.processes import spawn, stop_pid
from devstack.runner import StackOptions, start_stack, stop_stack
from sidecar.envoy_config.filters import HTTP_GRPC_LOGGER

SAT_SECONDS = 6
SAT_CONCURRENCY = 32
RATE_SECONDS = 8
RATE_CONCURRENCY = 10
RATE_PER_WORKER = 10  # hey -q is per worker: 10 x 10 = 100 req/s
RATE = RATE_CONCURRENCY * RATE_PER_WORKER
TTFT_REQUESTS = 40
STREAM_CHUNK_CHARS = 16  # demo model: characters per SSE event for the load runs
TTFT_CHUNK_CHARS = 4  # ... and for the time-to-first-token runs (token-sized events)
TTFT_CHUNK_DELAY_MS = 5  # a model emitting ~200 tokens/s
GUARD_FILTERS = ("envoy.filters.http.ext_authz", "envoy.filters.http.ext_proc")
FILE_ACCESS_LOG = "envoy.access_loggers.file"
GRPC_ACCESS_LOG = HTTP_GRPC_LOGGER  # the refusals Envoy sends the guard
PROMPT = "Summarize today's visit in two sentences for the care team."
PURPOSE = {"x-phi-guard-purpose": "treatment"}


@dataclass(frozen=True)
class Target:
    """One way into the demo model: a base URL and the headers a caller sends there."""

    name: str
    url: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Scenario:
    """One request shape: ``json`` (a whole answer) or ``sse`` (a streamed answer)."""

    name: str
    body: dict[str, Any]
    headers: dict[str, str]


# ~700 characters of clinical prose without identifiers: what most model output looks like.
CLEAN_TEXT = (
    "The patient reports improved sleep and less shortness of breath on exertion since the last visit. "
    "Blood pressure is well controlled on the current regimen and no side effects were described. "
    "Continue the present dose, reinforce the low sodium diet and daily walking, and review home readings "
    "at the next appointment. Laboratory results show stable kidney function and a modest improvement in "
    "glucose control. Encourage adherence to the inhaler technique reviewed today and provide written "
    "guidance on recognising early warning signs. Follow up in three months or sooner if symptoms worsen, "
    "and coordinate with the care team about the physical therapy referral."
)


def scenarios() -> list[Scenario]:
    """``json``/``sse``: the demo's synthetic discharge note (dense PHI: redaction does real work), whole
    and streamed; ``json-clean``: ~700 characters of identifier-free prose echoed back (the common case)."""
    base = {"model": "clinical-notes", "messages": [{"role": "user", "content": PROMPT}]}
    clean = {"model": "echo", "messages": [{"role": "user", "content": CLEAN_TEXT}]}
    return [
        Scenario("json", dict(base), {}),
        Scenario("json-clean", clean, {}),
        Scenario("sse", {**base, "stream": True}, {"x-demo-chunk-chars": str(STREAM_CHUNK_CHARS)}),
    ]


# ---------------------------------------------------------------------------------------------- bare Envoy


def bare_bootstrap(
    guard_bootstrap: dict[str, Any], http_port: int, admin_port: int, log: Path, trivial_grpc_port: int = 0
) -> dict[str, Any]:
    """The stack's bootstrap without the guard: the two guard filters and their per-route configs dropped,
    one plain HTTP listener on ``http_port``, admin on ``admin_port``. Raises ValueError if a guard filter
    survives (the comparison would be meaningless). With ``trivial_grpc_port`` the filters stay and the
    guard's gRPC cluster points at that port instead (the trivial guard of bench/e2e_trivial.py)."""
    doc = json.loads(json.dumps(guard_bootstrap))
    listeners = [ln for ln in doc["static_resources"]["listeners"] if "transport_socket" not in ln["filter_chains"][0]]
    if not listeners:
        raise ValueError("the stack's bootstrap has no plain HTTP listener")
    ln = listeners[0]
    ln["name"] = "bare_http"
    ln["address"]["socket_address"]["port_value"] = http_port
    doc["static_resources"]["listeners"] = [ln]
    doc["admin"]["address"]["socket_address"]["port_value"] = admin_port
    doc["node"]["id"] = "phi-guard-bench-trivial" if trivial_grpc_port else "phi-guard-bench-bare"
    if trivial_grpc_port:
        grpc_cluster = next(c for c in doc["static_resources"]["clusters"] if c["name"] == "phi_guard_grpc")
        for group in grpc_cluster["load_assignment"]["endpoints"]:
            for ep in group["lb_endpoints"]:
                ep["endpoint"]["address"]["socket_address"]["port_value"] = trivial_grpc_port
    for chain in ln["filter_chains"]:
        for f in chain["filters"]:
            hcm = f["typed_config"]
            hcm["stat_prefix"] = "ingress_http"  # same counter names as the guard's Envoy
            if not trivial_grpc_port:  # no guard behind bare Envoy: its gRPC access log (refusals) goes too
                hcm["access_log"] = [al for al in hcm.get("access_log", []) if al["name"] != GRPC_ACCESS_LOG]
            for al in hcm.get("access_log", []):
                if al["name"] == FILE_ACCESS_LOG:
                    al["typed_config"]["path"] = str(log)
            if trivial_grpc_port:
                continue
            hcm["http_filters"] = [h for h in hcm["http_filters"] if h["name"] not in GUARD_FILTERS]
            for vh in hcm["route_config"]["virtual_hosts"]:
                for route in vh["routes"]:
                    tpfc = route.get("typed_per_filter_config", {})
                    for name in GUARD_FILTERS:
                        tpfc.pop(name, None)
                    if not tpfc:
                        route.pop("typed_per_filter_config", None)
    text = json.dumps(doc)
    if not trivial_grpc_port and any(n in text for n in ("ext_authz.v3.ExtAuthz", "ext_proc.v3.ExternalProcessor")):
        raise ValueError("a guard filter survived in the bare bootstrap")
    return doc


@contextmanager
def bare_envoy(stack: StackInfo, workdir: Path, trivial_grpc_port: int = 0) -> Iterator[str]:
    """A second Envoy to the same demo model without the guard (or, with ``trivial_grpc_port``, with the
    trivial guard); yields its base URL, stops it by PID."""
    guard_boot = yaml.safe_load(Path(stack.raw["envoy_bootstrap"]).read_text())
    name = "trivial-envoy" if trivial_grpc_port else "bare-envoy"
    for attempt in range(3):
        http_port, admin_port = free_port(), free_port()
        boot = bare_bootstrap(guard_boot, http_port, admin_port, workdir / f"{name}-access.log", trivial_grpc_port)
        path = workdir / f"{name}.yaml"
        path.write_text(yaml.safe_dump(boot, sort_keys=False))
        try:
            rec = launchers.launch_envoy(path, admin_port, [http_port], workdir / f"{name}-{attempt}.log")
            break
        except launchers.LaunchError:
            if attempt == 2:
                raise
    try:
        yield f"http://127.0.0.1:{http_port}"
    finally:
        stop_pid(rec.pid, timeout=10)


@contextmanager
def trivial_guard(stack: StackInfo, workdir: Path) -> Iterator[tuple[str, int]]:
    """The trivial guard (bench/e2e_trivial.py) and an Envoy in front of it; yields (Envoy URL, its PID)."""
    port = free_port()
    argv = [sys.executable, "-m", "bench.e2e_trivial", "--port", str(port)]
    argv += ["--credential-file", str(stack.upstream_credential_file)]
    proc = spawn(argv, workdir / "trivial-guard.log", cwd=Path(__file__).resolve().parents[1])
    try:
        wait_for_port("127.0.0.1", port, timeout=30)
        with bare_envoy(stack, workdir, trivial_grpc_port=port) as url:
            yield url, proc.pid
    finally:
        stop_pid(proc.pid, timeout=10)


# --------------------------------------------------------------------------------------------------- hey


_HEY_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_HEY_PCT = re.compile(r"(\d+)%% in ([\d.]+) secs".replace("%%", "%"))
_HEY_STATUS = re.compile(r"\[(\d{3})\]\s+(\d+) responses")
_HEY_ERRORS = re.compile(r"Error distribution:(.*)", re.S)


def parse_hey(text: str) -> dict[str, Any]:
    """Requests/s, latency percentiles (ms) and status counts from hey's text summary."""
    m = _HEY_RPS.search(text)
    pct = {int(p): float(s) * 1000 for p, s in _HEY_PCT.findall(text)}
    statuses = {int(c): int(n) for c, n in _HEY_STATUS.findall(text)}
    errors = _HEY_ERRORS.search(text)
    return {
        "rps": float(m.group(1)) if m else 0.0,
        "p50_ms": pct.get(50),
        "p90_ms": pct.get(90),
        "p99_ms": pct.get(99),
        "statuses": statuses,
        "ok": statuses.get(200, 0),
        "not_ok": sum(n for c, n in statuses.items() if c != 200),
        "errors": errors.group(1).strip()[:500] if errors else "",
    }


def hey(url: str, headers: dict[str, str], body_file: Path, args: list[str], timeout: float) -> dict[str, Any]:
    """Run hey (POST JSON) and return :func:`parse_hey` plus the exact command line."""
    argv = ["hey", *args, "-m", "POST", "-T", "application/json", "-D", str(body_file), "-t", "30"]
    for k, v in headers.items():
        if k.lower() != "content-type":
            argv += ["-H", f"{k}: {v}"]
    argv.append(url)
    out = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    res = parse_hey(out.stdout)
    shown = [a if not a.lower().startswith("authorization:") else "authorization: Bearer ..." for a in argv]
    res["command"] = " ".join(shown[:-1] + ["<url>"])
    if out.returncode != 0:
        res["errors"] = (res["errors"] + " " + out.stderr[-300:]).strip()
    return res


# ------------------------------------------------------------------------------------------------- RSS


class RssSampler:
    """Samples a process's VmRSS (MB) from /proc in a thread while a load runs."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid = pid
        self.interval = interval
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def rss_mb(self) -> float | None:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def _run(self) -> None:
        while not self._stop.is_set():
            v = self.rss_mb()
            if v is not None:
                self.samples.append(v)
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)

    @property
    def peak(self) -> float | None:
        return max(self.samples) if self.samples else None


def cpu_seconds(pid: int) -> float:
    """User+system CPU seconds used so far by ``pid`` (from /proc/<pid>/stat)."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------------------------------------ TTFT


def ttft(client: httpx.Client, url: str, headers: dict[str, str], body: dict[str, Any], n: int) -> dict[str, Any]:
    """Median/p99 ms to the first body byte and to the first non-empty ``delta.content`` of ``n``
    sequential streamed requests (each closed after its first token; a non-200 or no content counts as
    failed)."""
    first_byte: list[float] = []
    first_token: list[float] = []
    failed = 0
    for _ in range(n):
        t0 = time.perf_counter()
        fb = ft = None
        buf = b""
        with client.stream("POST", url, json=body, headers=headers) as r:
            if r.status_code != 200:
                r.read()
                failed += 1
                continue
            for chunk in r.iter_bytes():
                now = time.perf_counter()
                if fb is None and chunk:
                    fb = now
                buf += chunk
                if _has_content(buf):
                    ft = now
                    break  # the rest of the answer is not what this measures
        if fb is None or ft is None:
            failed += 1
            continue
        first_byte.append((fb - t0) * 1000)
        first_token.append((ft - t0) * 1000)
    return {
        "n": n,
        "failed": failed,
        "first_byte_p50_ms": _pct(first_byte, 50),
        "first_byte_p99_ms": _pct(first_byte, 99),
        "first_token_p50_ms": _pct(first_token, 50),
        "first_token_p99_ms": _pct(first_token, 99),
    }


_CONTENT = re.compile(rb'"content"\s*:\s*"([^"\\]|\\.)')


def _has_content(buf: bytes) -> bool:
    """Whether the SSE text so far holds a non-empty ``"content"`` string (the demo's first event is empty)."""
    return any(ev.startswith(b"data:") and _CONTENT.search(ev) for ev in buf.split(b"\n\n")[:-1])


def _pct(xs: list[float], p: int) -> float | None:
    if not xs:
        return None
    if len(xs) == 1:
        return xs[0]
    return statistics.quantiles(xs, n=100, method="inclusive")[p - 1] if p < 100 else max(xs)


# ------------------------------------------------------------------------------------------------ checks


def answer_text(raw: str) -> str:
    """The model's text in a chat completion (JSON) or the joined ``delta.content`` of an SSE answer."""
    if raw.lstrip().startswith("{"):
        return str(json.loads(raw)["choices"][0]["message"]["content"])
    parts = []
    for ev in raw.split("\n\n"):
        data = ev.strip()
        if data.startswith("data:") and data[5:].strip() != "[DONE]":
            delta = json.loads(data[5:])["choices"][0].get("delta", {})
            parts.append(delta.get("content") or "")
    return "".join(parts)


_SSN = re.compile(r"\b\d{3}-\d{2}-\d{4}\b")


def sanity(client: httpx.Client, targets: list[Target], scen: list[Scenario]) -> dict[str, Any]:
    """One request per target and scenario before any load. Raises RuntimeError on a non-200; returns
    ``problems`` (empty when right): the note's SSN must reach the bare client and never the guard's, and an
    identifier-free answer must come through the guard unchanged (no over-redaction)."""
    text: dict[tuple[str, str], str] = {}
    for t in targets:
        for s in scen:
            r = client.post(f"{t.url}/v1/chat/completions", json=s.body, headers={**t.headers, **s.headers})
            if r.status_code != 200:
                raise RuntimeError(f"{t.name}/{s.name}: HTTP {r.status_code} {r.text[:200]}")
            text[(t.name, s.name)] = answer_text(r.text)
    problems = []
    peer_masks = {}
    for s in scen:
        bare, guard = text[("bare", s.name)], text[("guard", s.name)]
        if ("litellm", s.name) in text and not s.name.endswith("clean"):
            peer_masks[s.name] = not _SSN.search(text[("litellm", s.name)])
        if s.name.endswith("clean"):
            if bare != guard:
                problems.append(f"{s.name}: the guard altered an identifier-free answer")
        elif not _SSN.search(bare) or _SSN.search(guard):
            problems.append(f"{s.name}: SSN not redacted by the guard (or missing from the note)")
    return {
        "problems": problems,
        "chars": {f"{k[0]}/{k[1]}": len(v) for k, v in text.items()},
        "litellm_masks_ssn": peer_masks,  # what the peer's filter caught (information, not a check)
    }


# -------------------------------------------------------------------------------------------------- run


def _load(run: Callable[[], dict[str, Any]], guard_pid: int | None, rss: list[float]) -> dict[str, Any]:
    if guard_pid is None:
        return run()
    c0 = cpu_seconds(guard_pid)
    with RssSampler(guard_pid) as s:
        res = run()
    res["guard_cpu_s"] = round(cpu_seconds(guard_pid) - c0, 2)
    if s.peak is not None:
        res["guard_rss_peak_mb"] = round(s.peak, 1)
        rss.append(s.peak)
    return res


def measure(
    stack: StackInfo,
    bare_url: str,
    workdir: Path,
    quick: bool = False,
    trivial: tuple[str, int] | None = None,
    peer: tuple[str, int] | None = None,
) -> dict[str, Any]:
    """All e2e numbers for a running stack and bare Envoy (see the module docstring); ``trivial`` (URL, PID)
    adds the trivial-guard path (the gRPC hops without logic), ``peer`` (URL, PID) the LiteLLM proxy."""
    if shutil.which("hey") is None:
        raise RuntimeError("hey is not installed (make tools)")
    token = stack.token("bench.clinician", ["clinician"], ttl=3600)
    upstream_key = stack.upstream_credential()
    targets = [
        Target("bare", bare_url, {"authorization": f"Bearer {upstream_key}"}),
        Target("guard", str(stack.envoy_url), {"authorization": f"Bearer {token}", **PURPOSE}),
    ]
    if trivial is not None:
        targets.insert(1, Target("trivial", trivial[0], {"authorization": f"Bearer {token}", **PURPOSE}))
    if peer is not None:
        targets.append(Target("litellm", peer[0], {"authorization": f"Bearer {MASTER_KEY}"}))
    scen = scenarios()
    sat_s, rate_s, n_ttft = (3, 4, 15) if quick else (SAT_SECONDS, RATE_SECONDS, TTFT_REQUESTS)
    guard_pid = stack.pids.get("guard")
    pids = {"guard": guard_pid, "trivial": trivial[1] if trivial else None, "litellm": peer[1] if peer else None}
    out: dict[str, Any] = {
        "parameters": {
            "tool": "hey (Debian), HTTP/1.1 keep-alive, 127.0.0.1",
            "saturation": f"hey -z {sat_s}s -c {SAT_CONCURRENCY}",
            "fixed_rate": f"hey -z {rate_s}s -c {RATE_CONCURRENCY} -q {RATE_PER_WORKER} (= {RATE} req/s)",
            "ttft": f"httpx streaming client, {n_ttft} sequential requests, demo model events of "
            f"{TTFT_CHUNK_CHARS} chars every {TTFT_CHUNK_DELAY_MS} ms",
            "model": "demo model `clinical-notes` (synthetic discharge note full of PHI) and `echo` "
            f"(json-clean); SSE load runs with {STREAM_CHUNK_CHARS}-char events",
            "guard_token": "RS256 JWT from the dev issuer, role clinician, purpose treatment",
        },
        "runs": {},
    }
    rss: list[float] = []
    with httpx.Client(timeout=30) as client:
        out["sanity"] = sanity(client, targets, scen)
        # warm-up (JIT-less Python still has caches: JWKS, compiled policy, connection pools)
        for t in targets:
            for s in scen:
                body_file = workdir / f"body-{s.name}.json"
                body_file.write_text(json.dumps(s.body))
                n_warm = "40" if t.name == "litellm" else "200"  # the peer streams ~1 answer/s per connection
                hey(
                    f"{t.url}/v1/chat/completions",
                    {**t.headers, **s.headers},
                    body_file,
                    ["-n", n_warm, "-c", "8"],
                    180,
                )
        for s in scen:
            body_file = workdir / f"body-{s.name}.json"
            for t in targets:
                url = f"{t.url}/v1/chat/completions"
                h = {**t.headers, **s.headers}
                pid = pids.get(t.name)
                rss_of = rss if t.name == "guard" else []
                sat_args = ["-z", f"{sat_s}s", "-c", str(SAT_CONCURRENCY)]
                sat = _load(partial(hey, url, h, body_file, sat_args, sat_s + 60), pid, rss_of)
                time.sleep(1)
                rate_args = ["-z", f"{rate_s}s", "-c", str(RATE_CONCURRENCY), "-q", str(RATE_PER_WORKER)]
                rate = _load(partial(hey, url, h, body_file, rate_args, rate_s + 60), pid, rss_of)
                time.sleep(1)
                out["runs"][f"{t.name}/{s.name}"] = {"saturation": sat, "rate": rate}
        ttft_body = next(s.body for s in scen if s.name == "sse")
        for t in targets:
            h = {
                **t.headers,
                "x-demo-chunk-chars": str(TTFT_CHUNK_CHARS),
                "x-demo-chunk-delay-ms": str(TTFT_CHUNK_DELAY_MS),
            }
            url = f"{t.url}/v1/chat/completions"
            ttft(client, url, h, ttft_body, 3)  # warm-up
            pid = pids.get(t.name)
            rss_of = rss if t.name == "guard" else []
            out["runs"][f"{t.name}/ttft"] = _load(partial(ttft, client, url, h, ttft_body, n_ttft), pid, rss_of)
    out["guard_rss_peak_mb"] = round(max(rss), 1) if rss else None
    out["guard_pid"] = guard_pid
    return out


@contextmanager
def running_stack(workdir: Path) -> Iterator[StackInfo]:
    """The local stack in ``workdir/stack`` (fresh), stopped by PID afterwards."""
    sd = workdir / "stack"
    doc, lock = start_stack(StackOptions(state_dir=sd))
    lock.release()
    try:
        yield StackInfo.from_doc(doc)
    finally:
        stop_stack(sd)


def run_e2e(
    workdir: Path, quick: bool = False, extra: Callable[[StackInfo, str], dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Start the stack and bare Envoy, measure, stop everything; ``extra(stack, bare_url)`` (e.g. the
    profiler) runs after the measurements on the same stack and its result is stored under ``extra``."""
    workdir.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    with running_stack(workdir) as stack:
        started = time.monotonic() - t0
        with (
            bare_envoy(stack, workdir) as bare_url,
            trivial_guard(stack, workdir) as trivial,
            litellm_proxy(stack.upstream_url, stack.upstream_credential(), workdir) as peer,
        ):
            res = measure(stack, bare_url, workdir, quick=quick, trivial=trivial, peer=peer)
            res["stack_start_s"] = round(started, 1)
            if extra is not None:
                res["extra"] = extra(stack, bare_url)
    return res
