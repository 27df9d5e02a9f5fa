"""Fixtures for the Envoy tests: real Envoy processes started from rendered bootstraps and stopped by PID."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from devstack.ports import free_port
from devstack.processes import spawn, stop_pid
from sidecar.envoy_config.params import EnvoyParams
from sidecar.envoy_config.render import envoy_args, render_bootstrap, to_yaml, write_bootstrap

ROOT = Path(__file__).resolve().parents[2]
ENVOY = ROOT / ".venv" / "bin" / "envoy"


@dataclass
class RunningEnvoy:
    pid: int
    params: EnvoyParams
    config: Path
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.params.http_port}"

    @property
    def https_url(self) -> str:
        return f"https://localhost:{self.params.https_port}"

    def access_log(self) -> str:
        assert self.params.access_log_path
        p = Path(self.params.access_log_path)
        return p.read_text() if p.exists() else ""


def wait_ready(admin_port: int, pid: int, log: Path, timeout: float = 30.0) -> None:
    from devstack.processes import pid_alive

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            raise RuntimeError("envoy exited:\n" + log.read_text()[-3000:])
        try:
            r = httpx.get(f"http://127.0.0.1:{admin_port}/ready", timeout=0.5)
            if r.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError("envoy not ready:\n" + log.read_text()[-3000:])


@pytest.fixture(scope="module")
def start_envoy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., RunningEnvoy]]:
    """start_envoy(**params_overrides) -> RunningEnvoy; ports, admin and access log filled in; stopped by PID
    when the module's tests are done."""
    started: list[int] = []
    tmp_path = tmp_path_factory.mktemp("envoy")

    def _start(mutate: Callable[[dict], None] | None = None, **overrides: object) -> RunningEnvoy:
        """``mutate`` edits the rendered bootstrap dict before it is written (negative controls)."""
        n = len(started)
        base = dict(
            http_port=free_port(),
            https_port=None,
            admin_port=free_port(),
            access_log_path=str(tmp_path / f"access-{n}.log"),
            authz_timeout_ms=1000,
            ext_proc_message_timeout_ms=1000,
            stream_idle_timeout_s=3,
            max_stream_duration_s=15,
        )
        base.update(overrides)
        params = EnvoyParams(**base)  # type: ignore[arg-type]
        cfg = tmp_path / f"envoy-{n}.yaml"
        if mutate is None:
            write_bootstrap(params, cfg)
        else:
            doc = render_bootstrap(params)
            mutate(doc)
            cfg.write_text(to_yaml(doc))
        log = tmp_path / f"envoy-{n}.log"
        proc = spawn([str(ENVOY), *envoy_args(cfg, concurrency=1), "-l", "warning"], log)
        started.append(proc.pid)
        wait_ready(params.admin_port, proc.pid, log)
        return RunningEnvoy(proc.pid, params, cfg, log)

    yield _start
    for pid in started:
        stop_pid(pid)
