"""Free loopback ports for local processes."""

from __future__ import annotations

import random
import socket
from pathlib import Path

# Ports handed out below the kernel's ephemeral range: a port the kernel picks for bind(0) is also one it may give
# the next outgoing connection, which can take it before the server that was told to use it binds it (seen as
# SeaweedFS "bind: address already in use" under load).
_LOW = 10000
_handed_out: set[int] = set()  # never the same port twice from one process (two picks before either binds)


def _ephemeral_floor() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago on ``host``: a random one below the ephemeral range when one binds,
    else whatever bind(0) gives."""
    high = _ephemeral_floor()
    for _ in range(50) if high - _LOW > 1000 else ():
        port = random.randrange(_LOW, high)
        if port in _handed_out:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind((host, port))
            except OSError:
                continue
            _handed_out.add(port)
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def wait_for_port(host: str, port: int, timeout: float = 30.0) -> None:
    """Block until something accepts TCP connections on host:port, or raise TimeoutError."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on {host}:{port} after {timeout:.0f}s")
