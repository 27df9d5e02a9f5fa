"""Envoy closes each ext_proc side stream gracefully (half-close, the guard answers with a status) instead of
resetting it. A reset cancels the guard's pending read, and grpc.aio leaks that read's op array (grpc/grpc#43360):
the guard's native heap grew ~100 bytes a request, 1 MB a minute at 100 req/s (docs/memory.md). The rendered
bootstraps set the runtime guard ``protocol.ENVOY_RUNTIME``; the control is the same bootstrap without it."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from devstack import launchers
from devstack.info import StackInfo
from devstack.ports import free_port
from devstack.processes import stop_pid
from sidecar.envoy_config.params import EnvoyParams
from sidecar.envoy_config.render import render_bootstrap
from sidecar.protocol import ENVOY_RUNTIME

pytestmark = pytest.mark.e2e

GRACEFUL = "envoy.reloadable_features.ext_proc_graceful_grpc_close"
N = 12


def _stats(admin_url: str) -> dict[str, int]:
    text = httpx.get(f"{admin_url}/stats", params={"filter": "phi_guard_grpc|ext_proc"}, timeout=10).text
    out: dict[str, int] = {}
    for line in text.splitlines():
        name, _, val = line.partition(": ")
        if val.strip().isdigit():
            out[name] = int(val)
    return out


def _drive(stack: StackInfo, base_url: str) -> None:
    """N allowed answers with PHI (JSON and SSE), each through ext_authz and ext_proc."""
    headers = {**stack.auth_headers("side.stream", ["clinician"]), "x-phi-guard-purpose": "treatment"}
    text = "Patient Zebulon Quartermaine, SSN 219-09-9999, phone (415) 555-0199."
    with httpx.Client(base_url=base_url, timeout=30) as c:
        for i in range(N):
            body = {"model": "echo", "messages": [{"role": "user", "content": text}], "stream": bool(i % 2)}
            r = c.post("/v1/chat/completions", json=body, headers=headers)
            assert r.status_code == 200, r.text
            assert "219-09-9999" not in r.text


def _side_stream_counts(admin_url: str, stack: StackInfo, base_url: str) -> dict[str, int]:
    before = _stats(admin_url)
    _drive(stack, base_url)
    after = _stats(admin_url)

    def delta(key: str) -> int:
        return after.get(key, 0) - before.get(key, 0)

    return {
        "streams_started": delta("http.ingress_http.ext_proc.streams_started"),
        "reset": delta("cluster.phi_guard_grpc.upstream_rq_tx_reset"),
        "completed": delta("cluster.phi_guard_grpc.upstream_rq_completed"),
    }


@contextmanager
def _envoy_like_the_stacks(
    stack: StackInfo, workdir: Path, runtime: dict[str, Any] | None
) -> Iterator[tuple[str, str]]:
    """A second Envoy from the stack's bootstrap (same filters, same guard), plain listener only, with
    ``runtime`` as its static runtime layer (None: no layered_runtime, Envoy's defaults)."""
    doc = copy.deepcopy(yaml.safe_load(Path(stack.raw["envoy_bootstrap"]).read_text()))
    listener = next(ln for ln in doc["static_resources"]["listeners"] if "transport_socket" not in
                    ln["filter_chains"][0])
    http_port, admin_port = free_port(), free_port()
    listener["address"]["socket_address"]["port_value"] = http_port
    doc["static_resources"]["listeners"] = [listener]
    doc["admin"]["address"]["socket_address"]["port_value"] = admin_port
    doc.pop("layered_runtime", None)
    if runtime is not None:
        doc["layered_runtime"] = {"layers": [{"name": "test", "static_layer": runtime}]}
    path = workdir / "envoy.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    rec = launchers.launch_envoy(path, admin_port, [http_port], workdir / "envoy.log")
    try:
        yield f"http://127.0.0.1:{http_port}", f"http://127.0.0.1:{admin_port}"
    finally:
        stop_pid(rec.pid, timeout=10)


def test_rendered_bootstrap_sets_graceful_side_stream_close() -> None:
    params = EnvoyParams(https_port=None)
    layers = render_bootstrap(params)["layered_runtime"]["layers"]
    assert [layer["static_layer"] for layer in layers] == [ENVOY_RUNTIME]
    assert ENVOY_RUNTIME[GRACEFUL] is True


def test_stack_envoy_closes_side_streams_without_reset(stack: StackInfo) -> None:
    assert stack.envoy_admin_url
    counts = _side_stream_counts(stack.envoy_admin_url, stack, stack.envoy_url)
    assert counts["streams_started"] == N, counts
    assert counts["reset"] == 0, counts
    # every Check and every Process stream ended with the guard's status (a reset stream never completes)
    assert counts["completed"] >= 2 * N, counts


@pytest.mark.parametrize("runtime", [None, {GRACEFUL: False}], ids=["no-runtime", "flag-off"])
def test_control_without_the_runtime_guard_envoy_resets_every_side_stream(
    stack: StackInfo, tmp_path: Path, runtime: dict[str, Any] | None
) -> None:
    with _envoy_like_the_stacks(stack, tmp_path, runtime) as (url, admin):
        counts = _side_stream_counts(admin, stack, url)
    assert counts["streams_started"] == N, counts
    assert counts["reset"] >= N, counts  # the oracle above can fail: this is what it catches


def test_with_the_runtime_guard_a_second_envoy_does_not_reset(stack: StackInfo, tmp_path: Path) -> None:
    with _envoy_like_the_stacks(stack, tmp_path, dict(ENVOY_RUNTIME)) as (url, admin):
        counts = _side_stream_counts(admin, stack, url)
    assert counts == {**counts, "streams_started": N, "reset": 0}, counts
