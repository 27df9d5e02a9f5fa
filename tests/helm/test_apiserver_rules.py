"""What kube-apiserver refuses beyond the OpenAPI schema (apiserver_rules.py), on every rendered manifest and on
injected pods with the features real model pods have (probes on named ports, init containers, volumes,
resources); controls show each rule refusing a broken manifest."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonpatch
import pytest

from sidecar.webhook.config import InjectionConfig
from sidecar.webhook.injection import mutate_pod

from .apiserver_rules import iana_svc_name, parse_quantity, problems, qualified_name
from .conftest import CI_VALUES, KUBE_VERSIONS, Render, injector, validate_doc

ids = [p.name.removesuffix("-values.yaml") for p in CI_VALUES]
DEFAULT_VALUES = next(p for p in CI_VALUES if p.name == "default-values.yaml")

MODEL_POD: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "llm", "namespace": "ml", "labels": {"app": "llm"}},
    "spec": {
        "volumes": [{"name": "weights", "emptyDir": {}}],
        "initContainers": [
            {"name": "fetch", "image": "f:1", "volumeMounts": [{"name": "weights", "mountPath": "/w"}]}
        ],
        "containers": [
            {
                "name": "model",
                "image": "m:1",
                "ports": [{"name": "http", "containerPort": 8000}],
                "env": [{"name": "MODEL_PATH", "value": "/w"}],
                "resources": {
                    "requests": {"cpu": "500m", "memory": "1Gi"},
                    "limits": {"cpu": "2", "memory": "2Gi"},
                },
                "volumeMounts": [{"name": "weights", "mountPath": "/w"}],
                "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}},
                "livenessProbe": {"httpGet": {"path": "/live", "port": 8000}},
                "startupProbe": {"tcpSocket": {"port": "http"}},
            },
            {"name": "metrics", "image": "x:1", "ports": [{"name": "metrics", "containerPort": 9100}]},
        ],
    },
}


@pytest.mark.parametrize("values", CI_VALUES, ids=ids)
def test_rendered_manifests_pass_the_api_servers_own_checks(values: Path, render: Render) -> None:
    docs = render([values], kube_version=KUBE_VERSIONS[0])
    assert [p for d in docs for p in problems(d)] == []


INJECTING = [p for p in CI_VALUES if "injection:\n  enabled: false" not in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("values", INJECTING, ids=[p.name.removesuffix("-values.yaml") for p in INJECTING])
def test_injected_model_pods_are_admitted(values: Path, render: Render) -> None:
    cfg = InjectionConfig.model_validate(injector(render([values], kube_version=KUBE_VERSIONS[0])))
    pod = copy.deepcopy(MODEL_POD)
    patched = jsonpatch.apply_patch(pod, mutate_pod(json.loads(json.dumps(pod)), "ml", cfg).patch)
    assert problems(patched) == []
    for version in KUBE_VERSIONS:
        validate_doc(patched, version)
    model = next(c for c in patched["spec"]["containers"] if c["name"] == "model")
    for kind in ("readinessProbe", "livenessProbe", "startupProbe"):  # the kubelet resolves names in `model`
        port = model[kind]["httpGet"]["port"]
        assert isinstance(port, int) or port in {p.get("name") for p in model.get("ports") or []}


# Controls: each rule refuses what the API server refuses.


def _pod(d: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = d["spec"]["template"]["spec"]
    return spec


def _first(d: dict[str, Any]) -> dict[str, Any]:
    container: dict[str, Any] = _pod(d)["containers"][0]
    return container


BREAKS: list[tuple[str, Callable[[dict[str, Any]], Any], str]] = [
    ("Deployment", lambda d: d["spec"]["template"]["metadata"]["labels"].clear(), "selector"),
    ("Deployment", lambda d: _pod(d)["containers"].append(copy.deepcopy(_first(d))), "duplicate container"),
    (
        "Deployment",
        lambda d: _first(d).setdefault("volumeMounts", []).append({"name": "nope", "mountPath": "/nope"}),
        "names no volume",
    ),
    ("Deployment", lambda d: _first(d)["ports"][0].update(name="a-very-long-port-name"), "port name"),
    (
        "Deployment",
        lambda d: _first(d).update(resources={"requests": {"cpu": "2"}, "limits": {"cpu": "500m"}}),
        "requests[cpu]",
    ),
    (
        "Deployment",
        lambda d: _first(d).update(readinessProbe={"httpGet": {"port": 1}, "tcpSocket": {"port": 1}}),
        "exactly one handler",
    ),
    ("Deployment", lambda d: d["metadata"]["labels"].update(bad="-x-"), "label value"),
    ("Deployment", lambda d: _first(d).setdefault("env", []).append({"name": "1BAD"}), "environment variable"),
    ("MutatingWebhookConfiguration", lambda d: d["webhooks"][0].update(name="inject"), "fully qualified"),
    ("MutatingWebhookConfiguration", lambda d: d["webhooks"][0].update(sideEffects="Some"), "sideEffects"),
    ("Service", lambda d: d["metadata"].update(name="Guard.svc"), "valid name"),
    ("ConfigMap", lambda d: d["data"].update({"a/b": "x"}), "config key"),
    ("PodDisruptionBudget", lambda d: d["spec"].update(minAvailable=1, maxUnavailable=1), "cannot both"),
    ("ClusterRole", lambda d: d["rules"][0].update(verbs=[]), "verbs"),
    ("ClusterRoleBinding", lambda d: d["subjects"][0].pop("namespace"), "needs a namespace"),
    (
        "Deployment",
        lambda d: _pod(d).setdefault("initContainers", []).append(
            {"name": "once", "image": "i:1", "readinessProbe": {"exec": {"command": ["true"]}}}
        ),
        "readinessProbe is forbidden",
    ),
]


@pytest.mark.parametrize(("kind", "change", "expected"), BREAKS, ids=[b[2] for b in BREAKS])
def test_each_rule_refuses(kind: str, change: Callable[[dict[str, Any]], Any], expected: str, render: Render) -> None:
    docs = render([DEFAULT_VALUES], kube_version=KUBE_VERSIONS[0])
    doc = copy.deepcopy(next(d for d in docs if d["kind"] == kind))
    assert problems(doc) == []
    change(doc)
    assert any(expected in p for p in problems(doc)), problems(doc)


def test_rule_primitives() -> None:
    assert iana_svc_name("http") and iana_svc_name("grpc-9001") and not iana_svc_name("9001")
    assert not iana_svc_name("a--b") and not iana_svc_name("phi-guard-envoy-http")  # 20 > 15
    assert qualified_name("phi-guard.io/inject") and not qualified_name("phi-guard.io/") and not qualified_name("-a")
    assert parse_quantity("500m") < parse_quantity("1") < parse_quantity("1Ki") == 1024
    assert parse_quantity("1e3") == parse_quantity("1k") == 1000
    with pytest.raises(ValueError):
        parse_quantity("1 GB")
