"""Start-up time of the redaction engine and of the guard, cold and warm compile cache (docs/startup.md).

    python -m bench.startup [--serve] [--root DIR]

Each figure comes from a fresh process with its own compile cache directory (``XDG_CACHE_HOME`` in a temp
directory): the first run is cold (everything compiled and stored), the second warm (everything loaded).
``build``: CPU seconds of ``RedactionEngine(...)`` and the process's VmHWM. ``--serve``: ``phi-guard serve`` with
the embedded defaults (free ports, a temp state dir) until the first 200 on /healthz and /readyz: wall seconds,
the guard's CPU seconds and its VmHWM. ``--root``: the code to measure (e.g. an export of another revision).
Prints one JSON object per line.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_BUILD = """
import json, time
t0 = time.process_time()
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.settings import RedactionSettings
t1 = time.process_time()
RedactionEngine(RedactionSettings(unknown_content_type="withhold"), b"k" * 32)
t2 = time.process_time()
hwm = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
print(json.dumps({"import_cpu_s": round(t1 - t0, 2), "build_cpu_s": round(t2 - t1, 2), "vmhwm_mb": int(hwm) // 1024}))
"""


def _env(root: Path, cache: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1", "XDG_CACHE_HOME": cache, **extra}


def build(root: Path, cache: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", _BUILD], env=_env(root, cache), cwd=root, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def serve(root: Path, cache: str, limit: float = 300.0) -> dict[str, object]:
    admin = _free_port()
    env = _env(root, cache, PHI_GUARD__SERVER__ADMIN_PORT=str(admin), PHI_GUARD__SERVER__GRPC_PORT=str(_free_port()),
               PHI_GUARD__STATE_DIR=tempfile.mkdtemp(prefix="startup-state-"))
    t0 = time.time()
    proc = subprocess.Popen([sys.executable, "-m", "sidecar.cli", "serve"], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen: dict[str, float] = {}
    try:
        while len(seen) < 2 and time.time() - t0 < limit and proc.poll() is None:
            for path in ("/healthz", "/readyz"):
                if path not in seen and _get(f"http://127.0.0.1:{admin}{path}"):
                    seen[path] = round(time.time() - t0, 2)
            time.sleep(0.05)
        stat = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
        hwm = int(Path(f"/proc/{proc.pid}/status").read_text().split("VmHWM:")[1].split()[0])
    finally:
        proc.terminate()
        proc.wait(30)
    return {"healthz_wall_s": seen.get("/healthz"), "readyz_wall_s": seen.get("/readyz"),
            "guard_cpu_s": round(cpu, 2), "vmhwm_mb": hwm // 1024}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--serve", action="store_true", help="also time phi-guard serve to its first health answers")
    ap.add_argument("--root", type=Path, default=ROOT, help="the checkout (or export) whose code is measured")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="startup-cache-") as cache:
        for run in ("cold", "warm"):
            print(json.dumps({"what": "build", "cache": run, **build(args.root, cache)}), flush=True)
    if args.serve:
        with tempfile.TemporaryDirectory(prefix="startup-cache-") as cache:
            for run in ("cold", "warm"):
                print(json.dumps({"what": "serve", "cache": run, **serve(args.root, cache)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
