"""Envoy's own refusals reach the audit trail, through the real path: the session stack's Envoy bootstrap (as
the renderer wrote it), started again on new ports with its ext_authz pointed at a copy of the guard's cluster
that listens nowhere, so every Check fails (503 ``ext_authz_error``, flag UAEX), and a body over the stack's 1 MiB
limit is refused with 413 before Check is called. Each refusal is one ``EVENT_KIND_ENVOY_REPLY`` event in the
bucket (chain verified, decrypted by ``phi-guard audit export``), joined by the ``x-request-id`` Envoy sent the
client, with Envoy's flags and details and none of the PHI the request carried. Control: the same bootstrap minus
the guard's access log refuses the same way and leaves no such event (the oracle fails there)."""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from bench.soak import envoy_counter
from devstack.info import StackInfo
from devstack.launchers import launch_envoy
from devstack.ports import free_port
from devstack.processes import stop_pid
from sidecar import protocol as P
from tests.e2e.audit_util import export

pytestmark = pytest.mark.e2e

PHI = ("Okonkwo", "478-21-5096")
QUERY = {"patient": "Maria Okonkwo", "ssn": "478-21-5096"}
GRPC_LOGGER = "envoy.access_loggers.http_grpc"
LOGS_WRITTEN = "access_logs.grpc_access_log.logs_written"  # Envoy's count of entries its gRPC access log sent


def _refusals(base_url: str, stack: StackInfo) -> dict[str, httpx.Response]:
    """One request of each kind; PHI in the query string and the body, none of it may reach the event."""
    headers = {**stack.auth_headers("dr.refused", ["clinician"]), "x-phi-guard-purpose": "treatment"}
    ask = {"model": "echo", "messages": [{"role": "user", "content": f"Patient {PHI[0]}, SSN {PHI[1]}"}]}
    big = {**ask, "padding": "x" * (1024 * 1024)}
    with httpx.Client(base_url=base_url, timeout=30) as client:
        return {
            "too_large": client.post("/v1/chat/completions", params=QUERY, headers=headers, json=big),
            "authz_timeout": client.post("/v1/chat/completions", params=QUERY, headers=headers, json=ask),
        }


def _envoy_events(stack: StackInfo, since: datetime, request_ids: set[str], timeout: float = 30
                  ) -> list[dict[str, Any]]:
    """The Envoy-reply events for ``request_ids`` once there is one for each (or what is there at ``timeout``)."""
    deadline = time.monotonic() + timeout
    while True:
        events = [e for e in export(stack, "--since", since.isoformat())
                  if e.get("kind") == "EVENT_KIND_ENVOY_REPLY" and e.get("request_id") in request_ids]
        if {e["request_id"] for e in events} >= request_ids or time.monotonic() > deadline:
            return events
        time.sleep(1)


def _check(stack: StackInfo, since: datetime, answers: dict[str, httpx.Response], timeout: float = 30) -> None:
    """The oracle: one event per refusal, with Envoy's status, flags and details, and no PHI."""
    assert answers["too_large"].status_code == 413, answers["too_large"].text[:200]
    assert answers["authz_timeout"].status_code == 503, answers["authz_timeout"].text[:200]
    ids = {name: r.headers["x-request-id"] for name, r in answers.items()}
    events = _envoy_events(stack, since, set(ids.values()), timeout)
    by_id: dict[str, list[dict[str, Any]]] = {}
    for e in events:
        by_id.setdefault(e["request_id"], []).append(e)
    assert sorted(len(v) for v in by_id.values()) == [1, 1], by_id
    (large,), (timed_out,) = by_id[ids["too_large"]], by_id[ids["authz_timeout"]]
    assert (large["status"], large["outcome"]) == (413, P.OUTCOME_ENVOY_REFUSED)
    assert (timed_out["status"], timed_out["outcome"]) == (503, P.OUTCOME_ENVOY_REFUSED)
    assert timed_out["envoy_reply"]["response_flags"] == ["UAEX"]
    assert timed_out["envoy_reply"]["response_code_details"] == "ext_authz_error"
    assert large["envoy_reply"]["response_code_details"] == "request_payload_too_large"
    for e in (large, timed_out):
        assert e["request"]["path"] == "/v1/chat/completions" and e["envoy_reply"]["route_name"] == "model"
        assert not [p for p in PHI if p in str(e)], e


def _envoy(stack: StackInfo, tmp_path: Path, guard_log: bool) -> Iterator[str]:
    """The stack's bootstrap on new ports, every Check failing (an unreachable cluster); without the guard's gRPC
    access log unless ``guard_log``. Yields its URL."""
    boot = yaml.safe_load((stack.state_dir / "envoy" / "bootstrap.yaml").read_text())
    port, admin = free_port(), free_port()
    boot["static_resources"]["listeners"] = [lst for lst in boot["static_resources"]["listeners"]
                                             if lst["name"] == "ingress_http"]
    (listener,) = boot["static_resources"]["listeners"]
    listener["address"]["socket_address"]["port_value"] = port
    boot["admin"]["address"]["socket_address"]["port_value"] = admin
    hcm = listener["filter_chains"][0]["filters"][0]["typed_config"]
    (authz,) = [f for f in hcm["http_filters"] if f["name"] == "envoy.filters.http.ext_authz"]
    # Check goes to a copy of the guard's cluster that listens nowhere: every Check fails at once (UAEX), whatever
    # the machine's speed (a 1 ms timeout let a fast cached Check through); the access log still reaches the guard
    grpc = authz["typed_config"]["grpc_service"]["envoy_grpc"]
    (guard,) = [c for c in boot["static_resources"]["clusters"] if c["name"] == grpc["cluster_name"]]
    dead = copy.deepcopy(guard)
    dead["name"] = dead["load_assignment"]["cluster_name"] = "phi_guard_unreachable"
    for group in dead["load_assignment"]["endpoints"]:
        for ep in group["lb_endpoints"]:
            ep["endpoint"]["address"]["socket_address"].update(address="127.0.0.1", port_value=free_port())
    boot["static_resources"]["clusters"].append(dead)
    grpc["cluster_name"] = dead["name"]
    assert [a["name"] for a in hcm["access_log"]].count(GRPC_LOGGER) == 1
    if not guard_log:
        hcm["access_log"] = [a for a in hcm["access_log"] if a["name"] != GRPC_LOGGER]
    path = tmp_path / "bootstrap.yaml"
    path.write_text(yaml.safe_dump(boot))
    rec = launch_envoy(path, admin, [port], tmp_path / "envoy.log")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_pid(rec.pid)


@pytest.fixture
def envoy_with_guard_log(stack: StackInfo, tmp_path: Path) -> Iterator[str]:
    yield from _envoy(stack, tmp_path, guard_log=True)


@pytest.fixture
def envoy_without_guard_log(stack: StackInfo, tmp_path: Path) -> Iterator[str]:
    yield from _envoy(stack, tmp_path, guard_log=False)


def test_each_envoy_refusal_is_one_audit_event_without_phi(stack: StackInfo, envoy_with_guard_log: str) -> None:
    since = datetime.now(UTC) - timedelta(seconds=5)
    _check(stack, since, _refusals(envoy_with_guard_log, stack))


def test_control_without_the_access_log_the_oracle_fails(stack: StackInfo, envoy_without_guard_log: str) -> None:
    since = datetime.now(UTC) - timedelta(seconds=5)
    answers = _refusals(envoy_without_guard_log, stack)
    assert [r.status_code for r in answers.values()] == [413, 503]  # refused exactly as with the log
    # a later refusal through the stack's own Envoy (with the log) is in the bucket: so would these be
    assert stack.envoy_url is not None
    sent_before = envoy_counter(stack.envoy_admin_url, LOGS_WRITTEN)
    denied = httpx.post(f"{stack.envoy_url}/v1/chat/completions", json={"model": "echo"}, timeout=30)
    assert denied.status_code == 401  # the guard's own refusal: Envoy's filter does not send it to the guard
    marker = _refusals(stack.envoy_url, stack)["too_large"].headers["x-request-id"]
    assert _envoy_events(stack, since, {marker})
    assert sent_before is not None and envoy_counter(stack.envoy_admin_url, LOGS_WRITTEN) == sent_before + 1
    with pytest.raises(AssertionError):
        _check(stack, since, answers, timeout=0)
