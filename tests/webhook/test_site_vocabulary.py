"""Issue 16: the injector with site vocabularies on (chart: siteVocabulary.enabled with an operator-managed
ConfigMap): the patch mounts the ConfigMap as a directory into the guard, and the real webhook refuses a pod whose
namespace lacks that ConfigMap, naming it."""

from __future__ import annotations

import base64
import json
import os
import ssl
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonpatch
import pytest

from devstack.ports import free_port, wait_for_port
from devstack.processes import spawn, stop_pid
from sidecar.webhook import strict_yaml
from sidecar.webhook.cluster import SA_DIR_ENV, ObjectRef, required_objects
from sidecar.webhook.config import InjectionConfig, load_injection_config
from sidecar.webhook.injection import InjectionRefused, mutate_pod

from .conftest import HERE, SIDECAR_FIXTURE, TlsPair, validate_k8s
from .fake_api import FakeApi, service_account_dir
from .test_webhook_server import POD, Webhook, webhook_tls  # noqa: F401 - webhook_tls is a fixture

VOCAB_FIXTURE = HERE / "fixtures" / "sidecar-site-vocabulary.yaml"
VOCAB = ObjectRef("ConfigMap", "site-vocabulary")
VOLUME, MOUNT = "phi-guard-site-vocabulary", "/etc/phi-guard/site-vocabulary"


@pytest.fixture(scope="module")
def vocab_config() -> InjectionConfig:
    return load_injection_config(VOCAB_FIXTURE)


def _patched(pod: dict[str, Any], cfg: InjectionConfig) -> dict[str, Any]:
    return dict(jsonpatch.apply_patch(pod, mutate_pod(pod, "ml", cfg).patch))


def _guard_mounts(pod: dict[str, Any]) -> list[dict[str, Any]]:
    containers = pod["spec"]["containers"] + pod["spec"].get("initContainers", [])
    guard = next(c for c in containers if c["name"] == "phi-guard")
    return [m for m in guard["volumeMounts"] if m["name"] == VOLUME]


def test_patch_mounts_the_vocabulary_directory_into_the_guard_only(vocab_config: InjectionConfig) -> None:
    patch = mutate_pod(POD, "ml", vocab_config).patch
    added_volumes = [
        v
        for op in patch
        if op["path"].startswith("/spec/volumes")
        for v in (op["value"] if isinstance(op["value"], list) else [op["value"]])
    ]
    assert {"name": VOLUME, "configMap": {"name": "site-vocabulary"}} in added_volumes
    pod = _patched(POD, vocab_config)
    validate_k8s(pod)
    # whole directory, read-only, no subPath (a subPath mount never sees the kubelet's updates)
    assert _guard_mounts(pod) == [{"name": VOLUME, "mountPath": MOUNT, "readOnly": True}]
    others = [
        m
        for c in pod["spec"]["containers"] + pod["spec"]["initContainers"]
        if c["name"] != "phi-guard"
        for m in c.get("volumeMounts", [])
    ]
    assert all(m["name"] != VOLUME and m["mountPath"] != MOUNT for m in others)
    # a pod that brings a volume of that name is refused rather than silently mounting its own
    own = json.loads(json.dumps(POD))
    own["spec"]["volumes"] = [{"name": VOLUME, "emptyDir": {}}]
    with pytest.raises(InjectionRefused, match="volume"):
        mutate_pod(own, "ml", vocab_config)


def test_control_default_injector_has_no_vocabulary(
    injection_config: InjectionConfig, vocab_config: InjectionConfig
) -> None:
    pod = _patched(POD, injection_config)
    assert _guard_mounts(pod) == [] and VOLUME not in json.dumps(pod)
    assert VOCAB not in required_objects(injection_config.volumes)
    assert VOCAB in required_objects(vocab_config.volumes)
    # the two configurations differ only by the vocabulary's volume and mount
    base = {v["name"] for v in injection_config.volumes}
    assert {v["name"] for v in vocab_config.volumes} - base == {VOLUME}


@pytest.fixture(scope="module")
def vocab_api(webhook_tls: TlsPair) -> Iterator[FakeApi]:  # noqa: F811 - the imported fixture
    """Namespace ``ml`` holds everything, ``novocab`` everything but the site vocabulary's ConfigMap."""
    required = required_objects(load_injection_config(VOCAB_FIXTURE).volumes)
    rest = [r for r in required if r != VOCAB]
    api = FakeApi({("ml", r.kind, r.name) for r in required} | {("novocab", r.kind, r.name) for r in rest})
    server = api.serve(webhook_tls.cert, webhook_tls.key)
    try:
        yield api
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def vocab_webhook(
    webhook_tls: TlsPair,  # noqa: F811 - the imported fixture
    vocab_api: FakeApi,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Webhook]:
    sa_dir = service_account_dir(tmp_path_factory.mktemp("serviceaccount"), webhook_tls.ca)
    port = free_port()
    log = tmp_path_factory.mktemp("vocab-webhook-log") / "webhook.log"
    args = ["--host", "127.0.0.1", "--port", str(port), "--tls-cert", str(webhook_tls.cert)]
    args += ["--tls-key", str(webhook_tls.key), "--sidecar-config", str(VOCAB_FIXTURE)]
    proc = spawn(
        [sys.executable, "-m", "sidecar.cli", "webhook", *args],
        log,
        env={
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "KUBERNETES_SERVICE_HOST": "127.0.0.1",
            "KUBERNETES_SERVICE_PORT": str(vocab_api.port),
            SA_DIR_ENV: str(sa_dir),
        },
    )
    try:
        wait_for_port("127.0.0.1", port, timeout=30)
        with httpx.Client(verify=ssl.create_default_context(cafile=str(webhook_tls.ca)), timeout=10) as client:
            yield Webhook(f"https://127.0.0.1:{port}", client, proc, log)
    finally:
        stop_pid(proc.pid)


def test_webhook_refuses_a_namespace_without_the_vocabulary_naming_it(vocab_webhook: Webhook) -> None:
    answer = vocab_webhook.admit(POD, namespace="novocab")
    assert answer["allowed"] is False and "patch" not in answer
    assert answer["status"]["reason"] == "missing_objects"
    assert str(VOCAB) in answer["status"]["message"]
    # only the vocabulary is missing there: nothing else is named
    others = required_objects(load_injection_config(VOCAB_FIXTURE).volumes)
    assert all(str(r) not in answer["status"]["message"] for r in others if r != VOCAB)
    # the control: namespace ml holds it, and the admitted patch mounts it
    allowed = vocab_webhook.admit(POD)
    assert allowed["allowed"] is True
    patch = json.loads(base64.b64decode(allowed["patch"]))
    pod = dict(jsonpatch.apply_patch(POD, patch))
    validate_k8s(pod)
    assert _guard_mounts(pod) == [{"name": VOLUME, "mountPath": MOUNT, "readOnly": True}]


def test_fixture_is_the_default_plus_the_vocabulary() -> None:
    """Apart from the vocabulary's volume and mount (and the revision hash, the policy items) the fixture is the
    default injector's configuration, so the tests above exercise the shipped sidecar (tests/helm renders both
    from the chart)."""

    def without_vocabulary(path: Path) -> dict[str, Any]:
        doc = dict(strict_yaml.load(path.read_text(encoding="utf-8")))
        doc.pop("revision")
        doc["volumes"] = [v for v in doc["volumes"] if v["name"] != VOLUME]
        for v in doc["volumes"]:  # the policy files' list follows opa/ (tests/helm compares it the same way)
            if v["name"] == "phi-guard-policy":
                v["configMap"].pop("items", None)
        for c in doc["containers"] + doc["initContainers"]:
            c["volumeMounts"] = [m for m in c.get("volumeMounts", []) if m["name"] != VOLUME]
        return doc

    vocab = strict_yaml.load(VOCAB_FIXTURE.read_text(encoding="utf-8"))
    assert any(v["name"] == VOLUME for v in vocab["volumes"])
    assert without_vocabulary(VOCAB_FIXTURE) == without_vocabulary(SIDECAR_FIXTURE)
