"""Bring the local stack up and down: the one code path behind ``phi-guard up/down`` and the test fixtures.

Order: dev PKI -> SeaweedFS (+ Object-Lock audit bucket) -> dev OIDC issuer -> demo model -> guard -> Envoy.
``stack.json`` is rewritten after every process starts, so ``down`` can stop a half-started stack too.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devstack import launchers
from devstack.certs import client_cert, ensure_pki
from devstack.dev_issuer import DEFAULT_AUDIENCE
from devstack.guard_config import UPSTREAM_NAME, guard_config, write_guard_config
from devstack.ports import free_port
from devstack.processes import stop_pid
from devstack.seaweed import ACCESS_KEY, SECRET_KEY, ensure_locked_bucket, s3_client
from devstack.state import ProcessRecord, StartLock, read_state, records, records_to_json, write_state
from sidecar.audit.settings import AuditSettings
from sidecar.envoy_config.params import EnvoyParams, TlsFiles, UpstreamTarget

AUDIT_BUCKET = "phi-guard-audit"
DEFAULT_CLIENT = "demo-agent"
STOP_ORDER = ("envoy", "guard", "demo-model", "demo-mcp", "dev-issuer", "seaweedfs")
# Seconds between SIGTERM and SIGKILL. SeaweedFS takes ~25 s to finish a graceful stop (its filer, S3 and
# volume servers wait on each other); its writes are on disk already, so it gets a short grace.
STOP_GRACE = {"guard": 25.0, "seaweedfs": 3.0}


class StackError(RuntimeError):
    """The stack cannot be started (or is already running); ``str()`` says what to do."""


class StackRunning(StackError):
    """Another stack runs (or is starting) in this state dir."""


@dataclass
class StackOptions:
    state_dir: Path = Path(".phi-guard")
    # Turn parts off (e.g. dev-server tests that need neither Envoy nor the guard). Envoy needs the guard.
    guard: bool = True
    envoy: bool = True
    seaweed: bool = True
    # Merged into the generated guard config (tests: e.g. {"approvals": {"default_ttl_seconds": 5}}).
    guard_overrides: Mapping[str, Any] = field(default_factory=dict)
    max_request_bytes: int = 1024 * 1024
    # Envoy's ext_authz timeout (tests: a tiny one makes every Check time out, Envoy refusing on its own)
    authz_timeout_ms: int = 2000
    # Envoy's gRPC access log of its own refusals to the guard (tests: off for the control)
    audit_envoy_replies: bool = True
    guard_timeout: float = 180.0


def _write_secret(path: Path) -> Path:
    """The upstream's dev credential (created once; the caller never sees it, the guard injects it)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(f"sk-demo-{secrets.token_urlsafe(24)}\n")
    return path


def running(state_dir: Path) -> dict[str, Any] | None:
    """The stack.json of a stack whose processes (some or all) still run here, else None."""
    try:
        doc = read_state(state_dir)
    except ValueError:
        return None
    if doc is None:
        return None
    return doc if any(r.alive() for r in records(doc)) else None


def start_stack(opts: StackOptions) -> tuple[dict[str, Any], StartLock]:
    """Start every part and return (stack.json document, the held start lock).

    The caller releases the lock (``up --detach``: at once; foreground ``up``: on exit). Raises
    :class:`StackRunning` when a stack already runs in the state dir, :class:`StackError` /
    :class:`launchers.LaunchError` when a part does not start (everything started is stopped again).
    """
    sd = opts.state_dir.resolve()
    sd.mkdir(mode=0o700, parents=True, exist_ok=True)  # keys and secrets live here
    lock = StartLock(sd)
    if not lock.acquire():
        raise StackRunning(f"a phi-guard stack is already starting or running in {sd} (run `phi-guard down`)")
    try:
        live = running(sd)
        if live is not None:
            pids = ", ".join(f"{r.name}={r.pid}" for r in records(live) if r.alive())
            raise StackRunning(
                f"a phi-guard stack is already running in {sd} ({pids}); run `phi-guard down` first"
            )
        doc = _start(opts, sd)
    except BaseException:
        lock.release()
        raise
    return doc, lock


def _start(opts: StackOptions, sd: Path) -> dict[str, Any]:
    if opts.envoy and not opts.guard:
        raise StackError("envoy needs the guard (StackOptions.guard=True)")
    logs = sd / "logs"
    logs.mkdir(exist_ok=True)
    pki = ensure_pki(sd / "pki")
    agent = client_cert(sd / "pki", DEFAULT_CLIENT)
    secret = _write_secret(sd / "secrets" / "upstream-demo.key")
    procs: list[ProcessRecord] = []
    doc: dict[str, Any] = {
        "status": "starting",
        "state_dir": str(sd),
        "started_at": time.time(),
        "ca_cert": str(pki.ca.cert),
        "server_cert": str(pki.server.cert),
        "server_key": str(pki.server.key),
        "client_cert": str(agent.cert),
        "client_key": str(agent.key),
        "client_spiffe_id": agent.spiffe_id,
        "pki_dir": str(pki.dir),
        "audience": DEFAULT_AUDIENCE,
        "issuer_keys_dir": str(sd / "issuer" / "keys"),
        "upstream_name": UPSTREAM_NAME,
        "upstream_credential_file": str(secret),
        "audit_bucket": AUDIT_BUCKET,
        "s3_endpoint": None,
        "s3_access_key": ACCESS_KEY,
        "s3_secret_key": SECRET_KEY,
        "processes": [],
        "pids": {},
    }

    def add(rec: ProcessRecord) -> None:
        procs.append(rec)
        doc["processes"] = records_to_json(procs)
        doc["pids"] = {r.name: r.pid for r in procs}
        doc["logs"] = {r.name: r.log for r in procs}
        write_state(sd, doc)

    write_state(sd, doc)
    try:
        if opts.seaweed:
            rec, endpoint = launchers.launch_seaweed(sd / "s3", logs / "seaweedfs.log")
            add(rec)
            doc["s3_endpoint"] = endpoint
            ensure_locked_bucket(s3_client(endpoint), AUDIT_BUCKET, AuditSettings().retention_days)

        def issuer() -> ProcessRecord:
            port = free_port()
            doc["issuer"] = f"http://127.0.0.1:{port}"
            return launchers.launch_issuer(port, Path(doc["issuer_keys_dir"]), logs / "dev-issuer.log")

        add(_retry_on_port_clash(issuer))

        def model() -> ProcessRecord:
            port = free_port()
            doc["upstream_url"] = f"http://127.0.0.1:{port}"
            doc["_model_port"] = port
            return launchers.launch_demo_model(port, secret, logs / "demo-model.log")

        add(_retry_on_port_clash(model))
        model_port = doc.pop("_model_port")

        mcp_port = 0
        if opts.envoy:  # the demo MCP server is reached through Envoy's /mcp route only

            def mcp() -> ProcessRecord:
                port = free_port()
                doc["mcp_upstream_url"] = f"http://127.0.0.1:{port}"
                doc["_mcp_port"] = port
                return launchers.launch_demo_mcp(port, logs / "demo-mcp.log")

            add(_retry_on_port_clash(mcp))
            mcp_port = doc.pop("_mcp_port")

        if opts.guard:

            def guard() -> ProcessRecord:
                grpc_port, admin_port = free_port(), free_port()
                doc["grpc_address"] = f"127.0.0.1:{grpc_port}"
                doc["admin_url"] = f"http://127.0.0.1:{admin_port}"
                doc["_guard_ports"] = (grpc_port, admin_port)
                cfg = guard_config(
                    state_dir=sd,
                    grpc_port=grpc_port,
                    admin_port=admin_port,
                    issuer=doc["issuer"],
                    s3_endpoint=doc["s3_endpoint"],
                    bucket=AUDIT_BUCKET,
                    upstream_url=doc["upstream_url"],
                    credential_file=secret,
                    overrides=opts.guard_overrides,
                )
                doc["guard_config"] = str(write_guard_config(cfg, sd / "guard.yaml"))
                return launchers.launch_guard(
                    Path(doc["guard_config"]),
                    doc["admin_url"],
                    logs / "guard.log",
                    _guard_env(),
                    timeout=opts.guard_timeout,
                )

            add(_retry_on_port_clash(guard))
            grpc_port, admin_port = doc.pop("_guard_ports")

        if opts.envoy:

            def envoy() -> ProcessRecord:
                http_port, https_port, envoy_admin = free_port(), free_port(), free_port()
                params = EnvoyParams(
                    http_port=http_port,
                    https_port=https_port,
                    listen_address="127.0.0.1",
                    tls=TlsFiles(
                        cert_chain=str(pki.server.cert),
                        private_key=str(pki.server.key),
                        client_ca=str(pki.ca.cert),
                        require_client_certificate=False,
                    ),
                    admin_port=envoy_admin,
                    guard_host="127.0.0.1",
                    guard_grpc_port=grpc_port,
                    guard_http_port=admin_port,
                    upstream=UpstreamTarget("model", "127.0.0.1", model_port),
                    mcp_upstream=UpstreamTarget("mcp", "127.0.0.1", mcp_port),
                    max_request_bytes=opts.max_request_bytes,
                    authz_timeout_ms=opts.authz_timeout_ms,
                    audit_envoy_replies=opts.audit_envoy_replies,
                    access_log_path=str(logs / "envoy-access.log"),
                )
                boot = launchers.write_envoy_bootstrap(params, sd / "envoy" / "bootstrap.yaml")
                doc.update(
                    {
                        "envoy_url": f"http://127.0.0.1:{http_port}",
                        "envoy_tls_url": f"https://127.0.0.1:{https_port}",
                        "envoy_admin_url": f"http://127.0.0.1:{envoy_admin}",
                        "envoy_bootstrap": str(boot),
                    }
                )
                return launchers.launch_envoy(boot, envoy_admin, [http_port, https_port], logs / "envoy.log")

            add(_retry_on_port_clash(envoy))
    except BaseException:
        _stop(procs)
        doc["status"] = "failed"
        doc["processes"], doc["pids"] = [], {}
        write_state(sd, doc)
        raise
    doc["status"] = "running"
    write_state(sd, doc)
    return doc


_PORT_CLASH = re.compile(r"address already in use|failed to bind|EADDRINUSE|cannot bind", re.IGNORECASE)


def _retry_on_port_clash(launch: Callable[[], ProcessRecord], attempts: int = 3) -> ProcessRecord:
    """Run ``launch`` (which picks fresh free ports each call) again when another process took a port
    between ``free_port()`` and the bind (the machine is shared with other tests)."""
    for attempt in range(1, attempts + 1):
        try:
            return launch()
        except launchers.LaunchError as exc:
            if attempt == attempts or not _PORT_CLASH.search(str(exc)):
                raise
            log = exc.log
            if log is not None and log.exists():
                os.replace(log, log.with_suffix(f".clash{attempt}.log"))
    raise AssertionError("unreachable")


def _guard_env() -> dict[str, str]:
    """The guard inherits the environment (PHI_GUARD__* overrides work) plus the local S3 credentials."""
    env = dict(os.environ)
    env.update(
        {
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _stop(recs: list[ProcessRecord]) -> list[ProcessRecord]:
    """Stop the processes we started (Envoy first), only if still the same process; returns those stopped."""
    order = {name: i for i, name in enumerate(STOP_ORDER)}
    stopped = []
    for rec in sorted(reversed(recs), key=lambda r: order.get(r.name, -1)):
        if rec.alive():
            stop_pid(rec.pid, timeout=STOP_GRACE.get(rec.name, 10.0))
            stopped.append(rec)
    return stopped


def stop_stack(state_dir: Path) -> list[ProcessRecord]:
    """Stop every process recorded in ``stack.json`` (by PID, verified by start time) and mark it stopped.

    Returns the records that were still running. Raises :class:`StackError` if one survives.
    """
    sd = state_dir.resolve()
    try:
        doc = read_state(sd)
    except ValueError as exc:
        raise StackError(str(exc)) from None
    if doc is None:
        return []
    recs = records(doc)
    stopped = _stop(recs)
    survivors = [r for r in recs if r.alive()]
    if survivors:
        raise StackError("still running after down: " + ", ".join(f"{r.name}={r.pid}" for r in survivors))
    doc["status"] = "stopped"
    doc["stopped_at"] = time.time()
    write_state(sd, doc)
    return stopped


def _find(doc: dict[str, Any], name: str) -> ProcessRecord:
    for rec in records(doc):
        if rec.name == name:
            return rec
    raise StackError(f"this stack has no {name} process")


def kill_part(state_dir: Path, name: str, sig: int = signal.SIGKILL, timeout: float = 10.0) -> ProcessRecord:
    """Stop one part of a running stack with ``sig`` (default SIGKILL: a crash), e.g. to test fail-closed
    behaviour or crash recovery. The rest keeps running; :func:`relaunch_part` brings it back."""
    doc = read_state(state_dir.resolve())
    if doc is None:
        raise StackError(f"no stack in {state_dir}")
    rec = _find(doc, name)
    if rec.alive():
        stop_pid(rec.pid, timeout=timeout, sig=sig)
    return rec


RELAUNCHABLE = ("guard", "demo-model", "demo-mcp", "dev-issuer")


def relaunch_part(state_dir: Path, name: str, timeout: float = 180.0) -> ProcessRecord:
    """Start a stopped part again on the same ports with the same files; updates stack.json.

    Supported parts: :data:`RELAUNCHABLE`. Raises :class:`StackError` if it still runs or is unknown.
    """
    sd = state_dir.resolve()
    doc = read_state(sd)
    if doc is None:
        raise StackError(f"no stack in {state_dir}")
    old = _find(doc, name)
    if old.alive():
        raise StackError(f"{name} is still running (pid {old.pid})")
    log = Path(old.log)
    if name == "guard":
        rec = launchers.launch_guard(
            Path(doc["guard_config"]), doc["admin_url"], log, _guard_env(), timeout=timeout
        )
    elif name == "demo-model":
        port = int(doc["upstream_url"].rsplit(":", 1)[1])
        rec = launchers.launch_demo_model(port, Path(doc["upstream_credential_file"]), log, timeout=timeout)
    elif name == "demo-mcp":
        rec = launchers.launch_demo_mcp(int(doc["mcp_upstream_url"].rsplit(":", 1)[1]), log, timeout=timeout)
    elif name == "dev-issuer":
        port = int(doc["issuer"].rsplit(":", 1)[1])
        rec = launchers.launch_issuer(port, Path(doc["issuer_keys_dir"]), log, timeout=timeout)
    else:
        raise StackError(f"cannot relaunch {name} (only {', '.join(RELAUNCHABLE)})")
    recs = [rec if r.name == name else r for r in records(doc)]
    doc["processes"] = records_to_json(recs)
    doc["pids"] = {r.name: r.pid for r in recs}
    write_state(sd, doc)
    return rec
