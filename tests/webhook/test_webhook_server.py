"""The real webhook process (``phi-guard webhook``) over TLS on loopback, with a CA made by the test:
AdmissionReview
v1 in, JSONPatch out, the way the API server calls it."""

from __future__ import annotations

import base64
import json
import os
import shutil
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonpatch
import pytest
from cryptography import x509

from devstack.ports import free_port, wait_for_port
from devstack.processes import spawn, stop_pid
from sidecar.webhook.cluster import SA_DIR_ENV, required_objects
from sidecar.webhook.config import load_injection_config

from .conftest import SIDECAR_FIXTURE, TlsPair, make_server_cert, validate_k8s
from .fake_api import FakeApi, service_account_dir


def review(obj: Any, namespace: str = "ml", kind: str = "Pod", operation: str = "CREATE") -> dict[str, Any]:
    return {
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": str(uuid.uuid4()),
            "kind": {"group": "", "version": "v1", "kind": kind},
            "resource": {"group": "", "version": "v1", "resource": "pods"},
            "requestKind": {"group": "", "version": "v1", "kind": kind},
            "namespace": namespace,
            "operation": operation,
            "userInfo": {"username": "system:serviceaccount:kube-system:replicaset-controller"},
            "object": obj,
            "oldObject": None,
            "dryRun": False,
            "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"},
        },
    }


POD: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"generateName": "llm-", "namespace": "ml", "labels": {"phi-guard.io/inject": "true"}},
    "spec": {
        "containers": [
            {
                "name": "model",
                "image": "vllm/vllm-openai:v0.6.0",
                "ports": [{"name": "http", "containerPort": 8000}],
            }
        ]
    },
}


class Webhook:
    def __init__(self, base: str, client: httpx.Client, proc: subprocess.Popen[bytes], log: Path) -> None:
        self.base, self.client, self.proc, self.log = base, client, proc, log

    def post(self, body: Any, raw: bytes | None = None) -> httpx.Response:
        content = raw if raw is not None else json.dumps(body).encode()
        return self.client.post(
            f"{self.base}/mutate", content=content, headers={"content-type": "application/json"}
        )

    def admit(self, obj: Any, **kw: Any) -> dict[str, Any]:
        req = review(obj, **kw)
        resp = self.post(req)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert body["apiVersion"] == "admission.k8s.io/v1" and body["kind"] == "AdmissionReview"
        assert body["response"]["uid"] == req["request"]["uid"]
        return dict(body["response"])


@pytest.fixture(scope="module")
def webhook_tls(tmp_path_factory: pytest.TempPathFactory, test_ca: Any) -> TlsPair:
    directory = tmp_path_factory.mktemp("webhook-serving")
    pair = make_server_cert(*test_ca, stem="serving")
    cert, key = directory / "tls.crt", directory / "tls.key"
    shutil.copy(pair.cert, cert)
    shutil.copy(pair.key, key)
    return TlsPair(pair.ca, cert, key)


@pytest.fixture(scope="module")
def fake_api(webhook_tls: TlsPair, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeApi]:
    """The API server the webhook checks namespaces with: namespace ``ml`` holds every object the sidecar
    mounts, ``bare`` holds only the sidecar ConfigMap."""
    required = required_objects(load_injection_config(SIDECAR_FIXTURE).volumes)
    assert {r.kind for r in required} == {"ConfigMap", "Secret"}
    api = FakeApi({("ml", r.kind, r.name) for r in required} | {("bare", required[0].kind, required[0].name)})
    server = api.serve(webhook_tls.cert, webhook_tls.key)
    try:
        yield api
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def webhook(
    webhook_tls: TlsPair, fake_api: FakeApi, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Webhook]:
    sa_dir = service_account_dir(tmp_path_factory.mktemp("serviceaccount"), webhook_tls.ca)
    port = free_port()
    log = tmp_path_factory.mktemp("webhook-log") / "webhook.log"
    proc = spawn(
        [
            sys.executable,
            "-m",
            "sidecar.cli",
            "webhook",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--tls-cert",
            str(webhook_tls.cert),
            "--tls-key",
            str(webhook_tls.key),
            "--sidecar-config",
            str(SIDECAR_FIXTURE),
            "--cert-reload-seconds",
            "0.2",
        ],
        log,
        env={
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "KUBERNETES_SERVICE_HOST": "127.0.0.1",
            "KUBERNETES_SERVICE_PORT": str(fake_api.port),
            SA_DIR_ENV: str(sa_dir),
        },
    )
    try:
        wait_for_port("127.0.0.1", port, timeout=30)
        with httpx.Client(
            verify=ssl.create_default_context(cafile=str(webhook_tls.ca)), timeout=10
        ) as client:
            yield Webhook(f"https://127.0.0.1:{port}", client, proc, log)
    finally:
        stop_pid(proc.pid)


def test_healthz_over_tls_only(webhook: Webhook) -> None:
    assert webhook.client.get(f"{webhook.base}/healthz").json() == {"status": "ok"}
    with pytest.raises(httpx.HTTPError):
        httpx.get(webhook.base.replace("https", "http") + "/healthz", timeout=5)
    with pytest.raises(httpx.ConnectError):  # a client that does not trust the test CA
        httpx.get(f"{webhook.base}/healthz", timeout=5)


def test_injects_then_second_call_is_a_no_op(webhook: Webhook) -> None:
    answer = webhook.admit(POD)
    assert answer["allowed"] is True and answer["patchType"] == "JSONPatch"
    patch = json.loads(base64.b64decode(answer["patch"]))
    patched = jsonpatch.apply_patch(POD, patch)
    validate_k8s(patched)
    names = [c["name"] for c in patched["spec"]["initContainers"]]
    assert names == ["phi-guard-envoy-config", "phi-guard-envoy", "phi-guard"]
    assert patched["metadata"]["annotations"]["phi-guard.io/status"] == "injected"

    again = webhook.admit(patched)
    assert again["allowed"] is True and "patch" not in again


def test_opt_out_and_excluded_namespaces(webhook: Webhook) -> None:
    opted_out = json.loads(json.dumps(POD))
    opted_out["metadata"]["annotations"] = {"phi-guard.io/inject": "false"}
    assert "patch" not in webhook.admit(opted_out)
    for ns in ("kube-system", "phi-guard"):
        answer = webhook.admit(POD, namespace=ns)
        assert answer["allowed"] is True and "patch" not in answer


def test_other_kinds_and_operations_pass_untouched(webhook: Webhook) -> None:
    assert "patch" not in webhook.admit({"apiVersion": "v1", "kind": "Service"}, kind="Service")
    assert "patch" not in webhook.admit(POD, operation="UPDATE")


def test_unsafe_pod_is_denied_with_a_reason(webhook: Webhook) -> None:
    bad = json.loads(json.dumps(POD))
    bad["spec"]["hostNetwork"] = True
    answer = webhook.admit(bad)
    assert answer["allowed"] is False and "patch" not in answer
    assert answer["status"]["code"] == 403 and answer["status"]["reason"] == "host_network"
    assert "hostNetwork" in answer["status"]["message"]


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"[]",
        b'"x"',
        b"\xff\xfe",
        json.dumps(
            {"apiVersion": "admission.k8s.io/v1beta1", "kind": "AdmissionReview", "request": {}}
        ).encode(),
        json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview"}).encode(),
        json.dumps(
            {
                "apiVersion": "admission.k8s.io/v1",
                "kind": "AdmissionReview",
                "request": {"kind": {"kind": "Pod"}},
            }
        ).encode(),
        json.dumps(
            {
                "apiVersion": "admission.k8s.io/v1",
                "kind": "AdmissionReview",
                "request": {"uid": "u", "kind": {"kind": "Pod"}, "operation": "CREATE"},
            }
        ).encode(),
        json.dumps(
            {
                "apiVersion": "admission.k8s.io/v1",
                "kind": "AdmissionReview",
                "request": {"uid": "u", "kind": "Pod", "object": {}},
            }
        ).encode(),
    ],
    ids=[
        "empty",
        "text",
        "array",
        "string",
        "binary",
        "v1beta1",
        "no-request",
        "no-uid",
        "no-object",
        "bad-kind",
    ],
)
def test_bad_requests_get_400(webhook: Webhook, raw: bytes) -> None:
    resp = webhook.post(None, raw=raw)
    assert resp.status_code == 400
    assert resp.json()["error"] == "bad_request"
    assert webhook.client.get(f"{webhook.base}/healthz").status_code == 200


def test_logs_carry_no_pod_content(webhook: Webhook) -> None:
    secret_image = "registry.example/secret-image-name:1"
    pod = json.loads(json.dumps(POD))
    pod["spec"]["containers"][0]["image"] = secret_image
    pod["spec"]["containers"][0]["env"] = [{"name": "PATIENT", "value": "Jane Doe MRN 12345"}]
    webhook.admit(pod)
    time.sleep(0.2)
    text = webhook.log.read_text(encoding="utf-8")
    assert '"admission"' in text and "injected" in text
    assert secret_image not in text and "Jane Doe" not in text


def test_rotated_certificate_is_served_without_restart(
    webhook: Webhook, webhook_tls: TlsPair, test_ca: Any
) -> None:
    def served_serial() -> int:
        ctx = ssl.create_default_context(cafile=str(webhook_tls.ca))
        host, port = webhook.base.removeprefix("https://").split(":")
        import socket

        with (
            socket.create_connection((host, int(port)), timeout=5) as raw,
            ctx.wrap_socket(raw, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
        assert der is not None
        return int(x509.load_der_x509_certificate(der).serial_number)

    before = served_serial()
    fresh = make_server_cert(*test_ca, stem="rotated")
    shutil.copy(fresh.key, webhook_tls.key)
    shutil.copy(fresh.cert, webhook_tls.cert)
    want = x509.load_pem_x509_certificate(fresh.cert.read_bytes()).serial_number
    deadline = time.monotonic() + 10
    while served_serial() != want:
        assert time.monotonic() < deadline, "rotated certificate not picked up"
        time.sleep(0.1)
    assert want != before
    assert webhook.admit(POD)["allowed"] is True


def test_bad_sidecar_config_exits_2(tmp_path: Path, webhook_tls: TlsPair) -> None:
    bad = tmp_path / "sidecar.yaml"
    bad.write_text("containers: []\nenvoyPort: 8443\nmodelPort: 8000\n", encoding="utf-8")
    for path in (bad, tmp_path / "missing.yaml"):
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "sidecar.cli",
                "webhook",
                "--tls-cert",
                str(webhook_tls.cert),
                "--tls-key",
                str(webhook_tls.key),
                "--sidecar-config",
                str(path),
                "--port",
                "0",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert out.returncode == 2, out.stderr
        assert "sidecar config" in out.stderr and "Traceback" not in out.stderr


def test_namespace_without_the_sidecars_objects_is_refused_naming_each(webhook: Webhook, fake_api: FakeApi) -> None:
    required = required_objects(load_injection_config(SIDECAR_FIXTURE).volumes)
    answer = webhook.admit(POD, namespace="empty")
    assert answer["allowed"] is False and "patch" not in answer
    assert answer["status"]["reason"] == "missing_objects"
    for ref in required:
        assert f"{ref.kind} {ref.name}" in answer["status"]["message"]
    partial = webhook.admit(POD, namespace="bare")
    assert partial["allowed"] is False
    assert f"{required[0].kind} {required[0].name}," not in partial["status"]["message"]
    assert all(f"{r.kind} {r.name}" in partial["status"]["message"] for r in required[1:])
    # only metadata is asked for: no Secret value reaches the webhook
    assert all("PartialObjectMetadata" in r["accept"] for r in fake_api.requests)
    assert webhook.admit(POD)["allowed"] is True  # the control: namespace ml has them all


def test_api_trouble_refuses_the_pod(webhook: Webhook, fake_api: FakeApi) -> None:
    fake_api.fail = True
    try:
        answer = webhook.admit(POD)
    finally:
        fake_api.fail = False
    assert answer["allowed"] is False and answer["status"]["reason"] == "objects_unverified"
    assert "500" in answer["status"]["message"]


def test_without_api_access_the_webhook_does_not_start(tmp_path: Path, webhook_tls: TlsPair) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUBERNETES_")}
    env[SA_DIR_ENV] = str(tmp_path / "none")
    out = subprocess.run(
        [sys.executable, "-m", "sidecar.cli", "webhook", "--tls-cert", str(webhook_tls.cert), "--tls-key",
         str(webhook_tls.key), "--sidecar-config", str(SIDECAR_FIXTURE), "--port", "0"],
        capture_output=True, text=True, timeout=60, env=env,
    )
    assert out.returncode == 2 and "checkObjects" in out.stderr, out.stderr


def test_warnings_reach_the_api_server(webhook: Webhook) -> None:
    grpc_probe = json.loads(json.dumps(POD))
    grpc_probe["spec"]["containers"][0]["readinessProbe"] = {"grpc": {"port": 8000}}
    answer = webhook.admit(grpc_probe)
    assert answer["allowed"] is True and answer["patchType"] == "JSONPatch"
    assert len(answer["warnings"]) == 1 and "gRPC probe" in answer["warnings"][0]
    assert "warnings" not in webhook.admit(POD)  # the control


def test_model_bound_to_every_address_is_refused(webhook: Webhook) -> None:
    exposed = json.loads(json.dumps(POD))
    exposed["spec"]["containers"][0]["args"] = ["--host", "0.0.0.0"]
    answer = webhook.admit(exposed)
    assert answer["allowed"] is False and answer["status"]["reason"] == "model_exposed"
