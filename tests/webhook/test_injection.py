"""The pure mutation: golden patches, applied the way the API server applies them (RFC 6902,
``jsonpatch``), the
patched pods validated against the Kubernetes 1.29 and 1.33 schemas, and every rule (idempotence, opt-out,
excluded namespaces, refusals). Regenerate the golden files with PHI_GUARD_UPDATE_GOLDEN=1 and review the
diff."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import jsonpatch
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sidecar.webhook.config import InjectionConfig
from sidecar.webhook.injection import InjectionRefused, mutate_pod

from .conftest import validate_k8s

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PHI_GUARD_UPDATE_GOLDEN") == "1"


def pod(containers: list[dict[str, Any]] | None = None, **spec: Any) -> dict[str, Any]:
    meta = spec.pop("metadata", {"name": "llm-0", "namespace": "ml", "labels": {"app": "llm"}})
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {
            "containers": containers
            or [
                {
                    "name": "model",
                    "image": "vllm/vllm-openai:v0.6.0",
                    "ports": [{"name": "http", "containerPort": 8000}],
                }
            ],
            **spec,
        },
    }


CASES: dict[str, dict[str, Any]] = {
    # the smallest pod: no init containers, volumes, annotations or env; the "http" port moves to Envoy
    "minimal": pod(),
    # everything already present: init containers, volumes, env, annotations; the model is the second
    # container
    "busy": pod(
        [
            {
                "name": "log-shipper",
                "image": "fluent/fluent-bit:3.1",
                "ports": [{"name": "metrics", "containerPort": 2020}],
            },
            {
                "name": "llm",
                "image": "ghcr.io/acme/llm:1.2",
                "env": [{"name": "MODEL", "value": "m"}],
                "ports": [{"name": "api", "containerPort": 8000}, {"name": "grpc", "containerPort": 9000}],
            },
        ],
        initContainers=[{"name": "fetch-weights", "image": "busybox:1.36", "command": ["true"]}],
        volumes=[{"name": "weights", "emptyDir": {}}],
        metadata={
            "generateName": "llm-",
            "namespace": "ml",
            "annotations": {
                "phi-guard.io/model-container": "llm",
                "phi-guard.io/service-port-name": "api",
                "team": "nlp",
            },
        },
    ),
    # the model declares no port by that name: nothing is handed over, Services must target phi-guard-http
    "no_named_port": pod([{"name": "model", "image": "m:1"}]),
}


def _golden(name: str, actual: Any) -> Any:
    path = GOLDEN / f"{name}.json"
    if UPDATE:
        path.write_text(json.dumps(actual, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("native", [True, False], ids=["native", "containers"])
def test_golden_patch_applies_validates_and_is_idempotent(
    case: str, native: bool, injection_config: InjectionConfig
) -> None:
    cfg = injection_config.model_copy(update={"native_sidecars": native})
    original = CASES[case]
    before = copy.deepcopy(original)
    mutation = mutate_pod(original, "ml", cfg)
    assert original == before, "mutate_pod must not modify its input"
    assert mutation.injected
    assert mutation.patch == _golden(f"{case}-{'native' if native else 'containers'}", mutation.patch)

    patched = jsonpatch.apply_patch(original, mutation.patch)
    validate_k8s(patched)
    spec = patched["spec"]
    sidecar_names = [c["name"] for c in cfg.containers]
    where = spec["initContainers"] if native else spec["containers"]
    assert [c["name"] for c in where if c["name"] in sidecar_names] == sidecar_names
    assert spec["initContainers"][0]["name"] == "phi-guard-envoy-config", (
        "Envoy's bootstrap is rendered first"
    )
    if native:
        assert all(c["restartPolicy"] == "Always" for c in where if c["name"] in sidecar_names)
    assert patched["metadata"]["annotations"]["phi-guard.io/status"] == "injected"
    assert patched["metadata"]["annotations"]["phi-guard.io/revision"] == cfg.revision

    again = mutate_pod(patched, "ml", cfg)
    assert again.reason == "already_injected" and again.patch == []


def test_service_port_moves_to_envoy(injection_config: InjectionConfig) -> None:
    patched = jsonpatch.apply_patch(CASES["busy"], mutate_pod(CASES["busy"], "ml", injection_config).patch)
    llm = next(c for c in patched["spec"]["containers"] if c["name"] == "llm")
    assert [p["name"] for p in llm["ports"]] == ["grpc"]
    assert {"name": "PHI_GUARD_MODEL_PORT", "value": str(injection_config.model_port)} in llm["env"]
    assert {"name": "MODEL", "value": "m"} in llm["env"]
    envoy = next(c for c in patched["spec"]["initContainers"] if c["name"] == "phi-guard-envoy")
    assert envoy["ports"][0] == {
        "name": "api",
        "containerPort": injection_config.envoy_port,
        "protocol": "TCP",
    }
    assert patched["metadata"]["annotations"]["kubectl.kubernetes.io/default-container"] == "llm"
    assert patched["metadata"]["annotations"]["team"] == "nlp"
    # the shared config is untouched by the renaming
    assert injection_config.containers[0]["ports"][0]["name"] == "phi-guard-http"


def test_sidecars_are_restricted(injection_config: InjectionConfig) -> None:
    for c in injection_config.init_containers + injection_config.containers:
        sc = c["securityContext"]
        assert sc["runAsNonRoot"] and sc["readOnlyRootFilesystem"] and not sc["allowPrivilegeEscalation"]
        assert sc["capabilities"]["drop"] == ["ALL"] and sc["seccompProfile"]["type"] == "RuntimeDefault"
        assert "limits" in c["resources"] and "requests" in c["resources"]
    for c in injection_config.containers:
        assert {"readinessProbe", "livenessProbe"} <= c.keys()


@pytest.mark.parametrize(
    "meta",
    [
        {"name": "p", "labels": {"phi-guard.io/inject": "false"}},
        {"name": "p", "annotations": {"phi-guard.io/inject": "false"}},
        {"name": "p", "annotations": {"phi-guard.io/inject": " False "}},
    ],
)
def test_opt_out(meta: dict[str, Any], injection_config: InjectionConfig) -> None:
    assert mutate_pod(pod(metadata=meta), "ml", injection_config).patch == []
    assert mutate_pod(pod(metadata=meta), "ml", injection_config).reason == "opted_out"


@pytest.mark.parametrize("namespace", ["kube-system", "kube-public", "kube-node-lease", "phi-guard"])
def test_excluded_namespaces(namespace: str, injection_config: InjectionConfig) -> None:
    mutation = mutate_pod(pod(), namespace, injection_config)
    assert (mutation.reason, mutation.patch) == ("excluded_namespace", [])


def test_pod_built_with_the_library_chart_is_left_alone(injection_config: InjectionConfig) -> None:
    whole = [copy.deepcopy(c) for c in injection_config.init_containers + injection_config.containers]
    own = pod(initContainers=whole)
    assert mutate_pod(own, "ml", injection_config).reason == "already_injected"


@pytest.mark.parametrize(
    "tamper",
    [
        {"metadata": {"name": "p", "annotations": {"phi-guard.io/status": "injected"}}},  # a claim, no sidecar
        {"part": True},  # some of the sidecar's containers only
        {"fake": True},  # every name, but the guard is some other image
    ],
)
def test_a_pod_cannot_skip_injection_by_claiming_it(tamper: dict[str, Any], injection_config: InjectionConfig) -> None:
    whole = [copy.deepcopy(c) for c in injection_config.init_containers + injection_config.containers]
    if "metadata" in tamper:
        p = pod(metadata=tamper["metadata"])
    elif "part" in tamper:
        p = pod(initContainers=whole[1:2])
    else:
        for c in whole:
            c["image"] = "busybox:1.36"
        p = pod(initContainers=whole)
    with pytest.raises(InjectionRefused) as info:
        mutate_pod(p, "ml", injection_config)
    assert info.value.code == "sidecar_incomplete"


@pytest.mark.parametrize(
    ("p", "code"),
    [
        (pod(hostNetwork=True), "host_network"),
        (
            pod(metadata={"name": "p", "annotations": {"phi-guard.io/model-container": "nope"}}),
            "model_container_not_found",
        ),
        (pod(volumes=[{"name": "phi-guard-config", "emptyDir": {}}]), "volume_conflict"),
        (
            pod([{"name": "model", "image": "m", "ports": [{"name": "web", "containerPort": 8443}]}]),
            "port_conflict",
        ),
        (
            pod(
                [
                    {"name": "model", "image": "m"},
                    {"name": "x", "image": "x", "ports": [{"containerPort": 8000}]},
                ]
            ),
            "port_conflict",
        ),
        ({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}, "invalid_pod"),
        (pod(containers=None) | {"spec": {"containers": []}}, "invalid_pod"),
        (pod(initContainers="not-a-list"), "invalid_pod"),
        (pod([{"name": "model", "image": "m", "ports": "8000"}]), "invalid_pod"),
    ],
)
def test_refusals(p: dict[str, Any], code: str, injection_config: InjectionConfig) -> None:
    with pytest.raises(InjectionRefused) as info:
        mutate_pod(p, "ml", injection_config)
    assert info.value.code == code
    assert "PHI" not in str(info.value)


_name = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True).filter(lambda n: not n.startswith("phi-guard"))
_port = st.integers(1, 65535).filter(lambda p: p not in (8000, 8443, 15020))


@st.composite
def pods(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(_name, min_size=1, max_size=3, unique=True))
    containers = []
    for n in names:
        ports = draw(
            st.lists(st.tuples(_name, _port), max_size=3, unique_by=(lambda t: t[0], lambda t: t[1]))
        )
        c: dict[str, Any] = {"name": n, "image": "img:1"}
        if ports:
            c["ports"] = [{"name": pn, "containerPort": pp} for pn, pp in ports]
        if draw(st.booleans()):
            c["env"] = [{"name": "A", "value": "1"}]
        containers.append(c)
    spec: dict[str, Any] = {"containers": containers}
    if draw(st.booleans()):
        spec["initContainers"] = [{"name": "init-" + names[0], "image": "busybox:1.36"}]
    if draw(st.booleans()):
        spec["volumes"] = [{"name": "data", "emptyDir": {}}]
    meta: dict[str, Any] = {"name": "p"}
    if draw(st.booleans()):
        meta["annotations"] = {"a/b~c": "x"}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(p=pods(), native=st.booleans())
def test_any_pod_patches_cleanly_once(
    p: dict[str, Any], native: bool, injection_config: InjectionConfig
) -> None:
    cfg = injection_config.model_copy(update={"native_sidecars": native})
    patched = jsonpatch.apply_patch(p, mutate_pod(p, "ml", cfg).patch)
    names = [c["name"] for c in patched["spec"]["containers"] + patched["spec"].get("initContainers", [])]
    assert len(names) == len(set(names))
    assert set(cfg.container_names) <= set(names)
    original_names = {c["name"] for c in p["spec"]["containers"]}
    assert original_names <= {c["name"] for c in patched["spec"]["containers"]}
    assert mutate_pod(patched, "ml", cfg).patch == []
