"""Per-stage costs from the stage owners' benches, each run as a subprocess (bounded count and time) and
parsed from its printed table: identity (µs per resolve), policy (µs per decision), redaction (MB/s),
audit (events/s), and the guard's Check and Process in-process (CPU µs per request). ``run_stages(quick) -> dict``
keeps each bench's raw output next to the parsed numbers; a bench that fails or times out is reported as such,
never silently dropped.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

# (module, arguments, timeout s); quick variants for a smoke run.
BENCHES: dict[str, tuple[list[str], list[str], float]] = {
    "identity": (["--n", "400", "--rounds", "3"], ["--n", "100", "--rounds", "1"], 120),
    "policy": (["--n", "300"], ["--n", "30", "--no-edits"], 240),
    "audit": (
        ["--seconds", "2", "--concurrency", "1,16,64"],
        ["--seconds", "0.5", "--concurrency", "16"],
        90,
    ),
    "redaction": (["--speed-seconds", "1.5"], ["--speed-seconds", "0.3", "--no-presidio"], 240),
    "guard": (["--n", "300"], ["--n", "40", "--cache", "on"], 300),
}
MODULES = {
    "identity": "bench.identity_bench",
    "policy": "bench.policy_bench",
    "audit": "bench.audit_bench",
    "redaction": "bench.redaction_eval",
    "guard": "bench.e2e_inprocess",
}
_NUM = r"(-?[\d.]+|nan)"


def run_bench(name: str, quick: bool = False) -> dict[str, Any]:
    """Run one stage bench; returns {ok, seconds, command, output, parsed} (parsed may be partial)."""
    full, short, timeout = BENCHES[name]
    argv = [sys.executable, "-m", MODULES[name], *(short if quick else full)]
    t0 = time.monotonic()
    try:
        p = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
        out, ok = p.stdout, p.returncode == 0
        err = p.stderr[-1500:] if not ok else ""
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        ok, err = False, f"timed out after {timeout:.0f}s"
    res: dict[str, Any] = {
        "ok": ok,
        "seconds": round(time.monotonic() - t0, 1),
        "command": "python -m " + " ".join(argv[2:]),
        "output": out,
        "error": err,
    }
    try:
        res["parsed"] = PARSERS[name](out)
    except (ValueError, IndexError, KeyError) as exc:
        res["parsed"] = {}
        res["error"] = (res["error"] + f" (output not parsed: {exc})").strip()
    return res


def parse_identity(text: str) -> dict[str, Any]:
    """µs CPU per resolve, per case (columns: resolve, jwt.decode, sig only, resolve - sig)."""
    rows = {}
    for m in re.finditer(rf"^(jwt \w+(?:-repeat)?|mtls spiffe \(principal\))\s+{_NUM}", text, re.M):
        rows[m.group(1)] = float(m.group(2))
    return {"resolve_us": rows}


def parse_policy(text: str) -> dict[str, Any]:
    """The bench's ``RESULT_JSON`` line: per engine and request mix, uncached/cached decide p50/p99 (µs);
    per typical policy edit, uncached p50 per engine; parse/input cost; reload gate time."""
    line = next(ln for ln in reversed(text.splitlines()) if ln.startswith("RESULT_JSON "))
    return json.loads(line[len("RESULT_JSON ") :])


def parse_audit(text: str) -> dict[str, Any]:
    """events/s, ack p50/p99 ms, loop CPU µs and total CPU µs per event, by concurrency."""
    rows = {}
    pat = re.compile(rf"^\s*(\d+)\s+(\d+)\s+{_NUM}ms\s+{_NUM}ms\s+{_NUM}us\s+{_NUM}us\s+{_NUM}us\s+{_NUM}", re.M)
    for m in pat.finditer(text):
        rows[int(m.group(1))] = {
            "events_per_s": float(m.group(2)),
            "ack_p50_ms": float(m.group(3)),
            "ack_p99_ms": float(m.group(4)),
            "loop_cpu_us": float(m.group(6)),
            "total_cpu_us": float(m.group(7)),
        }
    return {"by_concurrency": rows}


def parse_redaction(text: str) -> dict[str, Any]:
    """MB per CPU-second per corpus and tool (per record and 64 KiB documents), stream cost per chunk."""
    speed: dict[str, dict[str, dict[str, float]]] = {}
    corpus = None
    in_speed = False
    for ln in text.splitlines():
        if ln.startswith("## "):
            in_speed = ln.startswith("## speed")
            continue
        if in_speed and ln.startswith("### "):
            corpus = ln[4:].strip()
            continue
        m = re.match(rf"^(\S.*?)\s+per-record\s+{_NUM}\s+64KiB-doc\s+{_NUM}", ln)
        if in_speed and m and corpus:
            speed.setdefault(corpus, {})[m.group(1).strip()] = {
                "per_record_mb_s": float(m.group(2)),
                "doc_64k_mb_s": float(m.group(3)),
            }
    stream = [
        {
            "rate": float(m.group(1)),
            "chars": int(m.group(2)),
            "max_held": int(m.group(3)),
            "us_per_chunk": float(m.group(4)),
        }
        for m in re.finditer(r"rate\s+([\d.]+), (\d+) char\(s\)/event: max held (\d+),\s+([\d.]+) us/chunk", text)
    ]
    return {"mb_per_s": speed, "stream": stream}


def parse_guard(text: str) -> dict[str, Any]:
    """``bench.e2e_inprocess``'s ``RESULT_JSON`` line: CPU µs per request (Check, Process, total) per answer
    shape, decision cache on and off."""
    line = next(ln for ln in reversed(text.splitlines()) if ln.startswith("RESULT_JSON "))
    return json.loads(line[len("RESULT_JSON ") :])


PARSERS = {
    "identity": parse_identity,
    "policy": parse_policy,
    "audit": parse_audit,
    "redaction": parse_redaction,
    "guard": parse_guard,
}


def run_stages(quick: bool = False, only: list[str] | None = None) -> dict[str, Any]:
    """Every stage bench in turn (sequentially: the machine has 2 cores)."""
    return {name: run_bench(name, quick) for name in (only or list(BENCHES))}
