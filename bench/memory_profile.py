"""What the guard process holds: RSS idle, under a short bounded load and after it, by mapping and by thread.

    python -m bench.memory_profile [--state-dir DIR] [--seconds 20] [--rate 100] [--in-process CONFIG]

With ``--state-dir`` it measures the guard of a running local stack (``phi-guard up --detach --state-dir DIR``);
without, it starts its own stack and stops it afterwards. The load is :func:`bench.soak.soak` (hey at a fixed
rate, the PHI-dense JSON answer). ``--in-process CONFIG`` also builds the guard in this process from CONFIG
(ports set to 0) and prints RSS after imports / ``GuardServer()`` / start, and the top tracemalloc allocations by
file (the Python objects the guard keeps; tracemalloc runs from ``GuardServer()`` on, so the RSS of the later
phases includes its bookkeeping: compare them across revisions, not with the stack's figures). Output is JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def proc_memory(pid: int) -> dict[str, Any]:
    """VmRSS/VmHWM/RssAnon/RssFile (MB), thread names, and the mappings holding the most resident memory."""
    out: dict[str, Any] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, val = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile", "Threads"):
            n = int(val.split()[0])
            out[key] = n if key == "Threads" else round(n / 1024, 1)
    threads: Counter[str] = Counter()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            threads[(task / "comm").read_text().strip()] += 1
        except OSError:
            continue
    out["threads"] = dict(threads.most_common())
    by_map: Counter[str] = Counter()
    name = ""
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split()
        if head and "-" in head[0] and ":" not in head[0]:
            name = head[5] if len(head) > 5 else "[anon]"
            name = name.rsplit("/", 1)[-1]
        elif line.startswith("Rss:"):
            by_map[name] += int(head[1])
    out["mappings_mb"] = {k: round(v / 1024, 1) for k, v in by_map.most_common(12)}
    return out


def measure_stack(stack: Any, workdir: Path, seconds: float, rate: int) -> dict[str, Any]:
    from bench.soak import soak

    pid = stack.pids["guard"]
    res: dict[str, Any] = {"idle": proc_memory(pid)}
    verdict = soak(stack, workdir, seconds=seconds, rate=rate)
    res["load"] = {k: v for k, v in verdict.items() if k != "samples"}
    time.sleep(2)
    res["after_load"] = proc_memory(pid)
    return res


def in_process(config: Path, top: int = 20) -> dict[str, Any]:
    """Build and start the guard here (ports 0, a fresh spool) and report RSS per phase and tracemalloc tops."""
    import tracemalloc

    import yaml

    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]  # as sidecar/cli.py and serve do
    sys.modules.setdefault("rich", None)  # type: ignore[arg-type]
    from sidecar.observability.memory import limit_malloc_arenas, release_free_heap

    def rss() -> float:
        gc.collect()
        release_free_heap()
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
        return 0.0

    limit_malloc_arenas()
    phases: dict[str, float] = {"interpreter": rss()}
    import sidecar.server.app as app
    from sidecar.config import load_settings
    from sidecar.observability.logging import configure_logging

    configure_logging("warning", True)  # to stderr: stdout carries the JSON report

    phases["imports"] = rss()
    doc = yaml.safe_load(config.read_text())
    tmp = Path(tempfile.mkdtemp(prefix="phi-guard-memprof-"))
    doc.setdefault("server", {}).update({"grpc_port": 0, "admin_port": 0})
    doc.setdefault("audit", {})["spool_dir"] = str(tmp / "spool")
    (tmp / "guard.yaml").write_text(yaml.safe_dump(doc))
    settings = load_settings(str(tmp / "guard.yaml"))
    tracemalloc.start(1)
    result: dict[str, Any] = {"rss_mb": phases}

    async def run() -> None:
        guard = app.GuardServer(settings)
        phases["GuardServer()"] = rss()
        await guard.start()
        phases["started"] = rss()
        snap = tracemalloc.take_snapshot()
        stats = snap.statistics("filename")
        result["traced_mb"] = round(sum(s.size for s in stats) / 2**20, 1)
        result["traced_top_mb"] = {
            str(s.traceback[0].filename).replace(str(ROOT) + "/", ""): round(s.size / 2**20, 2) for s in stats[:top]
        }
        tracemalloc.stop()
        await guard.stop()

    asyncio.run(run())
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--state-dir", type=Path, default=None, help="a running local stack (default: start one)")
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--rate", type=int, default=100)
    ap.add_argument("--in-process", type=Path, default=None, metavar="CONFIG")
    args = ap.parse_args(argv)
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="phi-guard-memprof-") as tmp:
        if args.state_dir is not None:
            from devstack.info import StackInfo
            from devstack.state import read_state

            doc = read_state(args.state_dir)
            if not doc:
                print(f"no local stack in {args.state_dir}", file=sys.stderr)
                return 2
            out["stack"] = measure_stack(StackInfo.from_doc(doc), Path(tmp), args.seconds, args.rate)
        elif args.seconds > 0:
            from bench.e2e import running_stack

            with running_stack(Path(tmp)) as stack:
                out["stack"] = measure_stack(stack, Path(tmp), args.seconds, args.rate)
    if args.in_process is not None:
        out["in_process"] = in_process(args.in_process)
    out["pid"] = os.getpid()
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
