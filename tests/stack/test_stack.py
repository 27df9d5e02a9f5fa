"""``phi-guard up/down/token`` as a user runs them (real processes), and the full stack through Envoy."""

from __future__ import annotations

import json
import os
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from devstack.info import StackInfo
from devstack.state import ProcessRecord, read_state, records, write_state

CLI = [sys.executable, "-m", "sidecar.cli"]


def phi_guard(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout)


def state(state_dir: Path) -> dict[str, Any]:
    doc = read_state(state_dir)
    assert doc is not None, "no stack.json"
    return doc


def gone(rec: ProcessRecord) -> bool:
    """The process we started no longer exists (a reused PID with another start time counts as gone)."""
    return not rec.alive()


def wait_gone(recs: list[ProcessRecord], timeout: float = 15) -> list[ProcessRecord]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not all(gone(r) for r in recs):
        time.sleep(0.1)
    return [r for r in recs if not gone(r)]


def test_up_detach_refuses_second_up_and_down_leaves_nothing(tmp_path: Path) -> None:
    sd = str(tmp_path)
    up = phi_guard("up", "--detach", "--no-guard", "--no-s3", "--state-dir", sd)
    assert up.returncode == 0, up.stderr
    doc = state(tmp_path)
    assert doc is not None and doc["status"] == "running"
    recs = records(doc)
    assert {r.name for r in recs} == {"dev-issuer", "demo-model"}
    assert all(r.alive() for r in recs)
    for key in ("issuer", "upstream_url", "audit_bucket", "ca_cert", "client_cert", "pids"):
        assert doc[key], key

    second = phi_guard("up", "--detach", "--no-guard", "--no-s3", "--state-dir", sd)
    assert second.returncode != 0
    assert "already running" in second.stderr and "phi-guard down" in second.stderr
    assert state(tmp_path)["pids"] == doc["pids"]  # the refused up changed nothing

    token = phi_guard(
        "token",
        "--state-dir",
        sd,
        "--sub",
        "alice",
        "--role",
        "nurse",
        "--role",
        "billing",
        "--ttl",
        "60",
        "--claim",
        "email=a@example.org",
    )
    assert token.returncode == 0, token.stderr
    import jwt

    claims = jwt.decode(token.stdout.strip(), options={"verify_signature": False})
    assert (
        claims["sub"] == "alice" and claims["roles"] == ["nurse", "billing"] and claims["aud"] == "phi-guard"
    )
    assert claims["exp"] - claims["iat"] == 60 and claims["iss"] == doc["issuer"]

    down = phi_guard("down", "--state-dir", sd)
    assert down.returncode == 0, down.stderr
    assert wait_gone(recs, timeout=1) == []
    for r in recs:  # by PID: no such process, a zombie waiting for init to reap it, or a reused PID
        assert _proc_state(r.pid) in (None, "Z", "X") or _start_time(r.pid) != r.start_time, r
    assert state(tmp_path)["status"] == "stopped"
    again = phi_guard("down", "--state-dir", sd)
    assert again.returncode == 0 and "no phi-guard stack running" in again.stdout


def _proc_state(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2 :].split(" ", 1)[0]


def _start_time(pid: int) -> int | None:
    from devstack.state import proc_start_time

    return proc_start_time(pid)


def test_foreground_up_stops_everything_on_ctrl_c(tmp_path: Path) -> None:
    proc, doc = _foreground_up(tmp_path)
    try:
        recs = records(doc)
        assert {r.name for r in recs} == {"dev-issuer", "demo-model"} and all(r.alive() for r in recs)
        second = phi_guard("up", "--no-guard", "--no-s3", "--state-dir", str(tmp_path))
        assert second.returncode == 3 and "already" in second.stderr
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert "stopped:" in out
        assert wait_gone(recs, timeout=1) == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _foreground_up(state_dir: Path) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    proc = subprocess.Popen(
        [*CLI, "up", "--no-guard", "--no-s3", "--state-dir", str(state_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        doc = read_state(state_dir) if (state_dir / "stack.json").exists() else None
        if doc and doc.get("status") == "running":
            return proc, doc
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        time.sleep(0.2)
    proc.kill()
    raise AssertionError("foreground up did not come up")


def test_foreground_up_stops_everything_when_a_part_dies(tmp_path: Path) -> None:
    proc, doc = _foreground_up(tmp_path)
    try:
        recs = records(doc)
        model = next(r for r in recs if r.name == "demo-model")
        os.kill(model.pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 1 and "demo-model" in err and "exited" in err
        assert wait_gone(recs, timeout=1) == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_stale_stack_json_does_not_block_up(tmp_path: Path) -> None:
    """A stack.json whose processes are gone (e.g. after a reboot) is not a running stack."""
    from devstack.runner import running

    dead = subprocess.Popen(["true"])
    dead.wait()
    write_state(
        tmp_path,
        {
            "status": "running",
            "processes": [
                {"name": "guard", "pid": dead.pid, "start_time": 1, "log": ""},
                # our own PID with a different start time: a reused PID, never ours to stop
                {"name": "envoy", "pid": os.getpid(), "start_time": 1, "log": ""},
            ],
        },
    )
    assert running(tmp_path) is None
    (tmp_path / "stack.json").write_text("{broken")
    assert running(tmp_path) is None
    r = phi_guard("down", "--state-dir", str(tmp_path))
    assert r.returncode == 1 and "not valid JSON" in r.stderr


def test_token_without_stack_is_a_clear_error(tmp_path: Path) -> None:
    r = phi_guard("token", "--state-dir", str(tmp_path), "--sub", "x")
    assert r.returncode == 2 and "phi-guard up" in r.stderr
    assert not r.stdout


# --- the full stack (needs the guard's `serve`) ---------------------------------------------------


@pytest.mark.e2e
def test_cli_full_stack_through_envoy(tmp_path: Path) -> None:
    sd = str(tmp_path)
    up = phi_guard("up", "--detach", "--state-dir", sd)
    try:
        assert up.returncode == 0, up.stderr
        doc = state(tmp_path)
        for key in (
            "envoy_url",
            "envoy_tls_url",
            "grpc_address",
            "admin_url",
            "s3_endpoint",
            "audit_bucket",
            "issuer",
            "upstream_url",
            "ca_cert",
            "client_cert",
            "client_key",
            "pids",
        ):
            assert doc.get(key), key
        assert set(doc["pids"]) == {"seaweedfs", "dev-issuer", "demo-model", "demo-mcp", "guard", "envoy"}
        info = StackInfo.from_doc(doc)
        token = phi_guard(
            "token", "--state-dir", sd, "--sub", "dr.chen", "--role", "clinician"
        ).stdout.strip()
        before = info.demo_stats()["requests"]
        denied = subprocess.run(
            ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", f"{doc['envoy_url']}/v1/models"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert denied.stdout == "401"
        assert info.demo_stats()["requests"] == before
        ok = subprocess.run(
            [
                "curl",
                "-s",
                "-w",
                "\n%{http_code}",
                "-H",
                f"authorization: Bearer {token}",
                f"{doc['envoy_url']}/v1/models",
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
        body, status = ok.stdout.rsplit("\n", 1)
        assert status == "200", ok.stdout
        assert {m["id"] for m in json.loads(body)["data"]} >= {"echo"}
        last = info.demo_last()
        assert last is not None
        assert last["headers"]["authorization"] == f"Bearer {info.upstream_credential()}"
        assert token not in json.dumps(last)
        recs = records(doc)
    finally:
        down = phi_guard("down", "--state-dir", sd)
    assert down.returncode == 0, down.stderr
    assert wait_gone(recs, timeout=1) == []


@pytest.mark.e2e
def test_stack_fixture_tls_mtls_and_brokering(stack: StackInfo) -> None:
    # the audit bucket exists with Object Lock and a default COMPLIANCE retention
    lock = stack.s3_client().get_object_lock_configuration(Bucket=stack.audit_bucket)
    assert lock["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]["Mode"] == "COMPLIANCE"
    assert httpx.get(f"{stack.envoy_url}/healthz").status_code == 200
    before = stack.demo_stats()["requests"]
    r = httpx.get(f"{stack.envoy_url}/v1/models", headers={"authorization": "Bearer not-a-jwt"})
    assert r.status_code == 401 and 'error="invalid_token"' in r.headers["www-authenticate"]
    assert stack.demo_stats()["requests"] == before

    with stack.http(tls=True) as c:
        r = c.get("/v1/models", headers=stack.auth_headers("dr.chen", ["clinician"]))
        assert r.status_code == 200, r.text
    last = stack.demo_last()
    assert last is not None and last["headers"]["authorization"] == f"Bearer {stack.upstream_credential()}"

    # mTLS: a certificate from the stack's CA identifies the agent without a token
    with stack.http(cert=stack.client_cert("triage-bot")) as c:
        r = c.get("/v1/models")
        assert r.status_code == 200, r.text

    # a certificate from a CA the stack does not trust is refused in the handshake
    ctx = ssl.create_default_context(cafile=str(stack.ca_cert))
    bad = stack.client_cert("triage-bot", untrusted=True)
    ctx.load_cert_chain(str(bad.cert), str(bad.key))
    with pytest.raises(httpx.HTTPError), httpx.Client(verify=ctx) as c:
        c.get(f"{stack.envoy_tls_url}/v1/models")
    assert stack.demo_stats()["requests"] == before + 2


def test_guard_config_is_valid_and_overrides_merge(tmp_path: Path) -> None:
    from devstack.guard_config import guard_config, repo_policy_dir, write_guard_config
    from sidecar.config import ConfigError, load_settings

    common: dict[str, Any] = dict(
        state_dir=tmp_path,
        grpc_port=1234,
        admin_port=1235,
        issuer="http://127.0.0.1:9",
        s3_endpoint="http://127.0.0.1:8",
        bucket="audit",
        upstream_url="http://127.0.0.1:7",
        credential_file=tmp_path / "secrets" / "k",
    )
    doc = guard_config(
        **common, overrides={"approvals": {"default_ttl_seconds": 5}, "server": {"grpc_port": 4321}}
    )
    s = load_settings(write_guard_config(doc, tmp_path / "guard.yaml"), environ={})
    assert s.server.grpc_port == 4321 and s.server.admin_port == 1235  # deep merge keeps siblings
    assert s.approvals.default_ttl_seconds == 5
    assert s.identity.issuers[0].issuer == "http://127.0.0.1:9" and s.identity.issuers[0].audiences == [
        "phi-guard"
    ]
    assert s.audit.s3_endpoint == "http://127.0.0.1:8" and s.audit.bucket == "audit"
    assert s.audit.spool_dir.startswith(str(tmp_path.resolve()))
    assert s.policy.directory == str(repo_policy_dir()) and repo_policy_dir().is_dir()
    assert s.upstreams[0].credential_file == str(tmp_path / "secrets" / "k")
    with pytest.raises(ConfigError, match="server.nope"):
        write_guard_config(guard_config(**common, overrides={"server": {"nope": 1}}), tmp_path / "bad.yaml")


def test_up_with_unreadable_config_overrides_fails_clearly(tmp_path: Path) -> None:
    r = phi_guard("--config", str(tmp_path / "missing.yaml"), "up", "--state-dir", str(tmp_path))
    assert r.returncode != 0 and "cannot read --config" in r.stderr
    assert not (tmp_path / "stack.json").exists()


def test_port_taken_between_pick_and_bind_is_retried(tmp_path: Path) -> None:
    import socket

    from devstack import launchers
    from devstack.ports import free_port
    from devstack.processes import stop_pid
    from devstack.runner import _retry_on_port_clash

    squatter = socket.socket()
    squatter.bind(("127.0.0.1", 0))
    squatter.listen()
    ports = [squatter.getsockname()[1]]
    log = tmp_path / "demo-model.log"

    def launch() -> ProcessRecord:
        port = ports.pop() if ports else free_port()
        return launchers.launch_demo_model(port, None, log)

    try:
        rec = _retry_on_port_clash(launch)
        assert rec.alive()
        assert "address already in use" in (tmp_path / "demo-model.clash1.log").read_text().lower()
        stop_pid(rec.pid)
    finally:
        squatter.close()
    with pytest.raises(launchers.LaunchError, match="exited during start-up"):
        _retry_on_port_clash(lambda: launchers.launch_demo_model(-5, None, tmp_path / "bad.log"))


@pytest.mark.e2e
def test_guard_crash_fails_closed_and_relaunch_restores(stack: StackInfo) -> None:
    headers = {**stack.auth_headers("dr.chen", ["clinician"])}
    old_pid = stack.pids["guard"]
    stack.kill("guard")
    try:
        before = stack.demo_stats()["requests"]
        r = httpx.get(f"{stack.envoy_url}/v1/models", headers=headers, timeout=30)
        assert r.status_code == 503
        assert stack.demo_stats()["requests"] == before
    finally:
        new_pid = stack.relaunch("guard")
    assert new_pid != old_pid and state(stack.state_dir)["pids"]["guard"] == new_pid
    deadline = time.monotonic() + 30
    while True:  # Envoy reconnects to the guard's gRPC port
        r = httpx.get(f"{stack.envoy_url}/v1/models", headers=headers, timeout=30)
        if r.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert r.status_code == 200, r.text
