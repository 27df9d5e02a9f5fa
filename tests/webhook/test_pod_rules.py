"""Issue 19 rules of the mutation: app probes rewritten to the forwarder (and the forwarder itself, for real),
the model's exposure on the pod IP, per-pod overrides, injector revisions, the webhook's self-renewed leaf."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonpatch
import pytest
from aiohttp import web
from cryptography import x509

from devstack.ports import free_port, wait_for_port
from devstack.processes import spawn, stop_pid
from sidecar.webhook import strict_yaml
from sidecar.webhook.app_probes import load_probers
from sidecar.webhook.certs import issue_leaf
from sidecar.webhook.config import InjectionConfig
from sidecar.webhook.injection import InjectionRefused, mutate_pod
from sidecar.webhook.probes import PROBERS_ENV

from .conftest import validate_k8s


def _pod(model: dict[str, Any], annotations: dict[str, str] | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": "llm", "namespace": "ml"}
    if annotations:
        meta["annotations"] = annotations
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": {"containers": [model]}}


MODEL: dict[str, Any] = {
    "name": "model",
    "image": "vllm/vllm-openai:v0.6.0",
    "ports": [{"name": "http", "containerPort": 8080}, {"name": "metrics", "containerPort": 9090}],
    "livenessProbe": {"httpGet": {"path": "/health", "port": "http"}, "periodSeconds": 7},
    "readinessProbe": {
        "httpGet": {"path": "/ready", "port": 9090, "httpHeaders": [{"name": "x-probe", "value": "1"}]}
    },
    "startupProbe": {"tcpSocket": {"port": "http"}, "failureThreshold": 30},
}


def _apply(pod: dict[str, Any], cfg: InjectionConfig) -> tuple[dict[str, Any], list[str]]:
    mutation = mutate_pod(pod, "ml", cfg)
    return dict(jsonpatch.apply_patch(pod, mutation.patch)), mutation.warnings


def _all(patched: dict[str, Any]) -> dict[str, dict[str, Any]]:
    spec = patched["spec"]
    return {c["name"]: c for c in spec.get("initContainers", []) + spec["containers"]}


# --- probes --------------------------------------------------------------------------------------------------


def test_http_and_tcp_probes_go_to_the_forwarder(injection_config: InjectionConfig) -> None:
    patched, warnings = _apply(_pod(copy.deepcopy(MODEL)), injection_config)
    validate_k8s(patched)
    assert warnings == []
    model = _all(patched)["model"]
    port = injection_config.probe_port
    assert model["livenessProbe"] == {
        "periodSeconds": 7,
        "httpGet": {"path": "/app-health/model/livez", "port": port, "scheme": "HTTP"},
    }
    assert model["readinessProbe"]["httpGet"]["path"] == "/app-health/model/readyz"
    assert model["startupProbe"] == {
        "failureThreshold": 30,
        "httpGet": {"path": "/app-health/model/startupz", "port": port, "scheme": "HTTP"},
    }
    forwarder = _all(patched)["phi-guard-probes"]
    assert forwarder["ports"] == [{"name": "phi-guard-probe", "containerPort": port, "protocol": "TCP"}]
    assert forwarder["securityContext"]["readOnlyRootFilesystem"] is True
    probers = load_probers({e["name"]: e["value"] for e in forwarder["env"]})
    # the named port "http" went to Envoy: the model now serves it on 127.0.0.1:modelPort
    assert probers["/app-health/model/livez"] == {
        "type": "http", "port": injection_config.model_port, "path": "/health", "scheme": "HTTP",
        "httpHeaders": [], "timeoutSeconds": 1,
    }
    assert probers["/app-health/model/readyz"]["port"] == 9090
    assert probers["/app-health/model/readyz"]["httpHeaders"] == [{"name": "x-probe", "value": "1"}]
    assert probers["/app-health/model/startupz"] == {"type": "tcp", "port": injection_config.model_port,
                                                     "timeoutSeconds": 1}
    assert json.loads(patched["metadata"]["annotations"]["phi-guard.io/app-probers"]) == probers
    assert mutate_pod(patched, "ml", injection_config).patch == []  # still idempotent


def test_exec_probes_stay_and_grpc_probes_warn(injection_config: InjectionConfig) -> None:
    model = {
        "name": "model",
        "image": "m:1",
        "ports": [{"name": "http", "containerPort": 8000}],
        "livenessProbe": {"exec": {"command": ["true"]}},
        "readinessProbe": {"grpc": {"port": 8000}},
    }
    patched, warnings = _apply(_pod(model), injection_config)
    assert _all(patched)["model"]["livenessProbe"] == {"exec": {"command": ["true"]}}
    assert "phi-guard-probes" not in _all(patched)  # nothing to forward: no forwarder
    assert len(warnings) == 1 and "gRPC probe" in warnings[0]


def test_probe_on_an_undeclared_named_port_is_refused(injection_config: InjectionConfig) -> None:
    model = {"name": "model", "image": "m:1", "livenessProbe": {"httpGet": {"path": "/", "port": "nope"}}}
    with pytest.raises(InjectionRefused) as info:
        mutate_pod(_pod(model), "ml", injection_config)
    assert info.value.code == "invalid_probe"


@pytest.fixture()
def app_server() -> Iterator[int]:
    """A model stand-in on 127.0.0.1: /ok answers 200 (if the header is right), /bad 500."""
    port = free_port()

    async def ok(req: web.Request) -> web.Response:
        return web.Response(status=200 if req.headers.get("x-probe") == "1" else 401, text="PHI never here")

    async def bad(_: web.Request) -> web.Response:
        return web.Response(status=500)

    loop = asyncio.new_event_loop()
    app = web.Application()
    app.router.add_get("/ok", ok)
    app.router.add_get("/bad", bad)
    runner = web.AppRunner(app)
    loop.run_until_complete(runner.setup())
    loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", port).start())
    import threading

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)


def test_forwarder_process_repeats_the_original_probes(app_server: int, tmp_path: Path) -> None:
    closed = free_port()
    probers = {
        "/app-health/model/livez": {"type": "http", "port": app_server, "path": "/ok", "scheme": "HTTP",
                                    "httpHeaders": [{"name": "x-probe", "value": "1"}], "timeoutSeconds": 2},
        "/app-health/model/readyz": {"type": "http", "port": app_server, "path": "/bad", "scheme": "HTTP",
                                     "httpHeaders": [], "timeoutSeconds": 2},
        "/app-health/model/startupz": {"type": "tcp", "port": app_server, "timeoutSeconds": 2},
        "/app-health/other/livez": {"type": "tcp", "port": closed, "timeoutSeconds": 1},
    }
    port = free_port()
    proc = spawn(
        [sys.executable, "-m", "sidecar.cli", "app-probes", "--host", "127.0.0.1", "--port", str(port)],
        tmp_path / "probes.log",
        env={**os.environ, PROBERS_ENV: json.dumps(probers)},
    )
    try:
        wait_for_port("127.0.0.1", port, timeout=30)
        base = f"http://127.0.0.1:{port}"
        got = {path: httpx.get(base + path, timeout=10) for path in probers}
        assert got["/app-health/model/livez"].status_code == 200
        assert "PHI" not in got["/app-health/model/livez"].text  # nothing of the app's answer comes back
        assert got["/app-health/model/readyz"].status_code == 503
        assert got["/app-health/model/startupz"].status_code == 200
        assert got["/app-health/other/livez"].status_code == 503
        assert httpx.get(base + "/ok", timeout=10).status_code == 404  # no other path is forwarded
        assert httpx.get(base + "/app-health/model/nope", timeout=10).status_code == 404
    finally:
        stop_pid(proc.pid)


def test_forwarder_refuses_to_start_without_probers() -> None:
    env = {k: v for k, v in os.environ.items() if k != PROBERS_ENV}
    out = subprocess.run([sys.executable, "-m", "sidecar.cli", "app-probes", "--port", "0"],
                         capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 2 and PROBERS_ENV in out.stderr


# --- the model on the pod IP ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"args": ["--host", "0.0.0.0", "--port", "8000"]},
        {"args": ["--host=0.0.0.0"]},
        {"command": ["uvicorn", "app:app", "--bind", "0.0.0.0:8000"]},
        {"env": [{"name": "OLLAMA_HOST", "value": "0.0.0.0"}]},
        {"env": [{"name": "LISTEN_ADDR", "value": "[::]:8000"}]},
        {"ports": [{"name": "http", "containerPort": 8080}, {"name": "direct", "containerPort": 8000}]},
    ],
)
def test_model_exposed_on_the_pod_ip_is_refused_or_warned(
    change: dict[str, Any], injection_config: InjectionConfig
) -> None:
    model = {"name": "model", "image": "m:1", "ports": [{"name": "http", "containerPort": 8000}], **change}
    with pytest.raises(InjectionRefused) as info:
        mutate_pod(_pod(model), "ml", injection_config)
    assert info.value.code == "model_exposed" and "127.0.0.1" in str(info.value)
    warn = injection_config.model_copy(update={"bind_check": "warn"})
    mutation = mutate_pod(_pod(model), "ml", warn)
    assert mutation.injected and any("every address" in w for w in mutation.warnings)


def test_loopback_model_is_not_flagged(injection_config: InjectionConfig) -> None:  # the control
    model = {"name": "model", "image": "m:1", "args": ["--host", "127.0.0.1"],
             "env": [{"name": "HOST", "value": "127.0.0.1"}], "ports": [{"name": "http", "containerPort": 8000}]}
    mutation = mutate_pod(_pod(model), "ml", injection_config)
    assert mutation.injected and mutation.warnings == []


def test_envoy_or_probe_port_declared_by_the_pod_is_refused(injection_config: InjectionConfig) -> None:
    for port in (injection_config.envoy_port, injection_config.probe_port):
        model = {"name": "model", "image": "m:1", "ports": [{"name": "x", "containerPort": port}]}
        with pytest.raises(InjectionRefused) as info:
            mutate_pod(_pod(model), "ml", injection_config)
        assert info.value.code == "port_conflict"


def test_injected_pods_carry_the_network_policy_label(injection_config: InjectionConfig) -> None:
    patched, _ = _apply(_pod({"name": "model", "image": "m:1"}), injection_config)
    assert patched["metadata"]["labels"] == {"phi-guard.io/injected": "true"}
    canary = injection_config.model_copy(update={"injector_revision": "canary"})
    patched, _ = _apply(_pod({"name": "model", "image": "m:1"}), canary)
    assert patched["metadata"]["labels"]["phi-guard.io/rev"] == "canary"


# --- per-pod overrides ---------------------------------------------------------------------------------------


def test_overrides_apply(injection_config: InjectionConfig) -> None:
    annotations = {
        "phi-guard.io/log-level": "debug",
        "phi-guard.io/guard-image": "ghcr.io/phi-guard/phi-guard:0.1.1",
        "phi-guard.io/envoy-image": "docker.io/envoyproxy/envoy@sha256:" + "a" * 64,
        "phi-guard.io/guard-resources": json.dumps({"requests": {"cpu": "250m", "memory": "512Mi"},
                                                    "limits": {"cpu": "2", "memory": "1Gi"}}),
    }
    model = {"name": "model", "image": "m:1", "readinessProbe": {"httpGet": {"path": "/", "port": 8000}}}
    patched, _ = _apply(_pod(model, annotations), injection_config)
    validate_k8s(patched)
    c = _all(patched)
    assert c["phi-guard"]["image"] == "ghcr.io/phi-guard/phi-guard:0.1.1"
    assert c["phi-guard-envoy-config"]["image"] == "ghcr.io/phi-guard/phi-guard:0.1.1"  # same guard build
    assert c["phi-guard-probes"]["image"] == "ghcr.io/phi-guard/phi-guard:0.1.1"
    assert c["phi-guard-envoy"]["image"].endswith("a" * 64)
    assert c["phi-guard"]["resources"]["limits"] == {"cpu": "2", "memory": "1Gi"}
    assert {"name": "PHI_GUARD__LOGGING__LEVEL", "value": "debug"} in c["phi-guard"]["env"]
    args = c["phi-guard-envoy"]["args"]
    assert args[args.index("--log-level") + 1] == "debug"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("phi-guard.io/log-level", "verbose"),
        ("phi-guard.io/guard-image", "evil.example/not-the-guard:1"),  # not an allowed repository
        ("phi-guard.io/guard-image", "ghcr.io/phi-guard/phi-guard"),  # no tag or digest
        ("phi-guard.io/envoy-image", "docker.io/envoyproxy/envoy:v1 ; rm"),
        ("phi-guard.io/guard-resources", "{not json"),
        ("phi-guard.io/guard-resources", '{"limits": {"memory": "lots"}}'),
        ("phi-guard.io/guard-resources", '{"limits": {"gpu": "1"}}'),
        ("phi-guard.io/envoy-resources", '{"requests": {}}'),
        ("phi-guard.io/sidecar-resources", '{"limits": {"cpu": "1"}}'),
    ],
)
def test_bad_overrides_are_refused(key: str, value: str, injection_config: InjectionConfig) -> None:
    with pytest.raises(InjectionRefused) as info:
        mutate_pod(_pod({"name": "model", "image": "m:1"}, {key: value}), "ml", injection_config)
    assert info.value.code == "invalid_override" and key in str(info.value)


def test_allow_listed_repository_may_be_chosen(injection_config: InjectionConfig) -> None:
    cfg = injection_config.model_copy(update={"image_override_repositories": ["registry.internal/phi-guard"]})
    pod = _pod({"name": "model", "image": "m:1"}, {"phi-guard.io/guard-image": "registry.internal/phi-guard:2"})
    patched, _ = _apply(pod, cfg)
    assert _all(patched)["phi-guard"]["image"] == "registry.internal/phi-guard:2"


# --- the webhook's own certificate ---------------------------------------------------------------------------


def test_leaf_is_renewed_from_the_same_ca_before_it_expires(tmp_path: Path) -> None:
    from devstack.certs import CertPair, _make_ca

    ca = CertPair(tmp_path / "ca.crt", tmp_path / "ca.key")
    _make_ca(ca, "webhook test CA")
    now = dt.datetime.now(dt.UTC)
    first = issue_leaf(ca.cert, ca.key, ["wh.ns.svc"], tmp_path / "leaf", days=30, now=now)
    assert first.renew_at < first.not_after and (first.renew_at - now).days == 20
    second = issue_leaf(ca.cert, ca.key, ["wh.ns.svc"], tmp_path / "leaf", days=30, now=first.renew_at)
    assert second.not_after > first.not_after
    ca_cert = x509.load_pem_x509_certificate(ca.cert.read_bytes())
    for leaf in (first, second):
        x509.load_pem_x509_certificate(leaf.cert.read_bytes()).verify_directly_issued_by(ca_cert)
    assert oct(second.key.stat().st_mode & 0o777) == "0o600"


def test_webhook_serves_and_renews_its_own_leaf(tmp_path: Path) -> None:
    """Helm mode for real: the process issues its serving certificate from the CA files and renews it in place
    (lifetime ~3 s here) without a restart; clients keep trusting the same CA."""
    import socket
    import ssl
    import time

    from devstack.certs import CertPair, _make_ca

    from .conftest import SIDECAR_FIXTURE

    ca = CertPair(tmp_path / "ca.crt", tmp_path / "ca.key")
    _make_ca(ca, "webhook test CA")
    config = tmp_path / "sidecar.yaml"
    doc = strict_yaml.load(SIDECAR_FIXTURE.read_text(encoding="utf-8"))
    doc["checkObjects"] = False
    config.write_text(json.dumps(doc), encoding="utf-8")
    port = free_port()
    proc = spawn(
        [sys.executable, "-m", "sidecar.cli", "webhook", "--host", "127.0.0.1", "--port", str(port),
         "--tls-ca-cert", str(ca.cert), "--tls-ca-key", str(ca.key), "--tls-dns-names", "localhost",
         "--leaf-days", "0.00004", "--cert-reload-seconds", "0.2", "--sidecar-config", str(config)],
        tmp_path / "webhook.log",
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )

    def served() -> x509.Certificate:
        ctx = ssl.create_default_context(cafile=str(ca.cert))
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw, \
                ctx.wrap_socket(raw, server_hostname="localhost") as tls:
            der = tls.getpeercert(binary_form=True)
        assert der is not None
        return x509.load_der_x509_certificate(der)

    try:
        wait_for_port("127.0.0.1", port, timeout=30)
        first = served()
        deadline = time.monotonic() + 20
        while served().serial_number == first.serial_number:
            assert time.monotonic() < deadline, "leaf not renewed"
            time.sleep(0.2)
        assert served().not_valid_after_utc > first.not_valid_after_utc
        health = httpx.get(f"https://localhost:{port}/healthz", verify=ssl.create_default_context(cafile=str(ca.cert)))
        assert health.status_code == 200
    finally:
        stop_pid(proc.pid)


# --- what the namespace must hold ----------------------------------------------------------------------------


def test_required_objects_and_missing_ones_with_a_fake_reader() -> None:
    from sidecar.webhook.cluster import ObjectCheckError, ObjectRef, missing_objects, required_objects

    volumes = [
        {"name": "a", "configMap": {"name": "cfg"}},
        {"name": "b", "secret": {"secretName": "tls"}},
        {"name": "c", "secret": {"secretName": "maybe", "optional": True}},
        {"name": "d", "projected": {"sources": [{"configMap": {"name": "vocab"}}, {"secret": {"name": "cred"}}]}},
        {"name": "e", "emptyDir": {}},
    ]
    refs = required_objects(volumes)
    assert refs == [ObjectRef("ConfigMap", "cfg"), ObjectRef("ConfigMap", "vocab"), ObjectRef("Secret", "cred"),
                    ObjectRef("Secret", "tls")]

    class Reader:
        def __init__(self, present: set[ObjectRef], broken: bool = False) -> None:
            self.present, self.broken = present, broken

        async def exists(self, namespace: str, ref: ObjectRef) -> bool:
            if self.broken:
                raise ObjectCheckError("API down")
            return namespace == "ml" and ref in self.present

    assert asyncio.run(missing_objects(Reader(set(refs)), "ml", refs)) == []
    assert asyncio.run(missing_objects(Reader({refs[0]}), "ml", refs)) == refs[1:]
    assert asyncio.run(missing_objects(Reader(set(refs)), "other", refs)) == refs
    with pytest.raises(ObjectCheckError):
        asyncio.run(missing_objects(Reader(set(refs), broken=True), "ml", refs))
