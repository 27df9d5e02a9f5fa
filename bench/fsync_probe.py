"""fsync latency on a filesystem, written the way the audit spool writes: a 4 KiB append and an fsync every 50 ms,
and every 100 appends a new file and a directory fsync (a segment rotation). Prints each call over 0.25 s as it
happens, then a summary.

``python -m bench.fsync_probe DIR [--seconds 1800]`` (DIR on the spool's filesystem; it is created, and the files
in it are removed as the probe goes).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from sidecar.audit.segment import _fsync_dir as dir_fsync  # the spool's own directory fsync

SLOW_SECONDS = 0.25


def probe(directory: Path, seconds: float, interval: float = 0.05) -> list[float]:
    """Latencies (s) of every append + fsync for ``seconds``; slow ones (and slow rotations) are printed."""
    directory.mkdir(parents=True, exist_ok=True)
    latencies: list[float] = []
    n = 0
    f = open(directory / "seg-0", "ab")  # noqa: SIM115 - rotated below
    end = time.time() + seconds
    try:
        while time.time() < end:
            t = time.time()
            f.write(b"x" * 4096)
            f.flush()
            os.fsync(f.fileno())
            latencies.append(time.time() - t)
            _report("fsync", t, latencies[-1])
            n += 1
            if n % 100 == 0:
                t = time.time()
                f.close()
                f = open(directory / f"seg-{n}", "ab")  # noqa: SIM115
                dir_fsync(directory)
                _report("rotation", t, time.time() - t)
                (directory / f"seg-{n - 100}").unlink()
            time.sleep(interval)
    finally:
        f.close()
    return latencies


def _report(op: str, started: float, seconds: float) -> None:
    if seconds > SLOW_SECONDS:
        print(time.strftime("%H:%M:%S", time.gmtime(started)), op, f"{seconds:.3f}s", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("directory", type=Path)
    ap.add_argument("--seconds", type=float, default=1800)
    args = ap.parse_args(argv)
    lat = sorted(probe(args.directory, args.seconds))
    k = len(lat)
    if not k:
        return 1
    slow = sum(1 for v in lat if v > SLOW_SECONDS)
    print(f"n={k} p50={lat[k // 2] * 1000:.1f}ms p99={lat[int(k * 0.99)] * 1000:.1f}ms "
          f"p999={lat[int(k * 0.999)] * 1000:.1f}ms max={lat[-1] * 1000:.0f}ms over_{SLOW_SECONDS}s={slow}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
