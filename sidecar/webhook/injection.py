"""The mutation itself, as a pure function: a pod (and its namespace) in, a JSONPatch (RFC 6902) out.

Rules, in order: excluded namespaces are never touched; an opt-out label/annotation wins; a pod that already
carries the status annotation or any sidecar container is left alone (so a second call is a no-op);
otherwise the
sidecars and their volumes are added, the model container's service port is handed to Envoy, and the status
annotation is set. A pod that asked for phi-guard but cannot be guarded safely raises
:class:`InjectionRefused`
(the webhook denies it: it must not run unguarded).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sidecar.webhook.config import (
    GUARD_CONTAINER,
    INJECT_KEY,
    INJECTED_LABEL,
    MODEL_CONTAINER_KEY,
    PROBES_CONTAINER,
    REVISION_LABEL,
    SERVICE_PORT_NAME_KEY,
    STATUS_KEY,
    InjectionConfig,
    split_image,
)
from sidecar.webhook.overrides import OverrideError, apply_overrides, parse_overrides
from sidecar.webhook.probes import PROBERS_ANNOTATION, ProbeError, probe_container, rewrite_probes

REVISION_KEY = "phi-guard.io/revision"
DEFAULT_CONTAINER_KEY = "kubectl.kubernetes.io/default-container"
STATUS_INJECTED = "injected"
MODEL_ENV = ("PHI_GUARD_MODEL_HOST", "PHI_GUARD_MODEL_PORT")
_OFF = frozenset({"false", "no", "off", "0", "disabled"})


class InjectionRefused(Exception):
    """The pod cannot be guarded as specified. ``code`` is a stable reason; ``str()`` is safe to show
    users."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Mutation:
    """``patch`` is empty when nothing is to change; ``reason`` says why (``injected`` when it does)."""

    reason: str
    patch: list[dict[str, Any]] = field(default_factory=list)
    # Shown by kubectl on admission (AdmissionReview warnings): what was admitted but deserves a look.
    warnings: list[str] = field(default_factory=list)

    @property
    def injected(self) -> bool:
        return self.reason == STATUS_INJECTED


def _pointer(*parts: str | int) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list_of_dicts(value: Any, what: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InjectionRefused("invalid_pod", f"{what} must be a list of objects")
    return value


def _opted_out(meta: Mapping[str, Any]) -> bool:
    for source in (_mapping(meta.get("labels")), _mapping(meta.get("annotations"))):
        value = source.get(INJECT_KEY)
        if isinstance(value, str) and value.strip().lower() in _OFF:
            return True
    return False


_ALL_ADDRESSES = re.compile(r"(^|[\s=:/])(0\.0\.0\.0|\[?::\]?)(:\d+)?$")
_BIND_ENV = re.compile(r"(HOST|ADDR|ADDRESS|BIND|LISTEN)", re.IGNORECASE)


def binds_all_addresses(container: Mapping[str, Any]) -> str | None:
    """Where the container shows that it listens on every address (env ``*HOST*=0.0.0.0``, ``--host 0.0.0.0``,
    ``--bind=0.0.0.0:8000``), or None. What cannot be seen (a default inside the image) is left to the
    NetworkPolicy."""
    for e in container.get("env") or []:
        named = isinstance(e, dict) and _BIND_ENV.search(str(e.get("name", "")))
        if named and _ALL_ADDRESSES.search(str(e.get("value", "")).strip()):
            return f"env {e.get('name')}"
    for key in ("command", "args"):
        for token in container.get(key) or []:
            if isinstance(token, str) and _ALL_ADDRESSES.search(token.strip()):
                return f"{key} {token.strip()!r}"
    return None


def mutate_pod(pod: Mapping[str, Any], namespace: str, cfg: InjectionConfig) -> Mutation:
    """The JSONPatch that injects the sidecars into ``pod`` (a Pod object as in an AdmissionReview request).

    Raises :class:`InjectionRefused` when the pod should be injected but its spec makes that unsafe or
    impossible.
    """
    if not isinstance(pod, Mapping):
        raise InjectionRefused("invalid_pod", "object must be a Pod")
    meta = _mapping(pod.get("metadata"))
    annotations = _mapping(meta.get("annotations"))
    if namespace in cfg.excluded_namespaces:
        return Mutation("excluded_namespace")
    if _opted_out(meta):
        return Mutation("opted_out")
    spec = pod.get("spec")
    if not isinstance(spec, Mapping):
        raise InjectionRefused("invalid_pod", "pod has no spec")
    containers = _list_of_dicts(spec.get("containers"), "spec.containers")
    init_containers = _list_of_dicts(spec.get("initContainers"), "spec.initContainers")
    volumes = _list_of_dicts(spec.get("volumes"), "spec.volumes")
    present = {c.get("name") for c in containers + init_containers}
    if cfg.container_names <= present and all(
        split_image(str(c.get("image", "")))[0] in cfg.allowed_image_repositories
        for c in containers + init_containers
        if c.get("name") in cfg.container_names
    ):
        return Mutation("already_injected")
    if STATUS_KEY in annotations or present & (cfg.container_names | {PROBES_CONTAINER}):
        # Claims the sidecar (status annotation, or some of its containers) without having all of it: admitting
        # it as "already injected" would let a pod skip the guard by setting an annotation.
        raise InjectionRefused(
            "sidecar_incomplete",
            f"pod carries {STATUS_KEY} or phi-guard container names but not the whole sidecar "
            f"({', '.join(sorted(cfg.container_names))}) from the allowed images",
        )
    if not containers:
        raise InjectionRefused("invalid_pod", "pod has no containers")
    if spec.get("hostNetwork") is True:
        raise InjectionRefused(
            "host_network",
            "pods with hostNetwork cannot be guarded: the model port would be reachable on the node",
        )

    model_name = annotations.get(MODEL_CONTAINER_KEY) or containers[0].get("name")
    model_index = next((i for i, c in enumerate(containers) if c.get("name") == model_name), None)
    if model_index is None:
        raise InjectionRefused(
            "model_container_not_found", f"annotation {MODEL_CONTAINER_KEY} names no container of this pod"
        )
    model = containers[model_index]
    clash = {v.get("name") for v in volumes} & {v["name"] for v in cfg.volumes}
    if clash:
        raise InjectionRefused("volume_conflict", f"pod already has volume(s) {sorted(map(str, clash))}")

    port_name = str(annotations.get(SERVICE_PORT_NAME_KEY) or cfg.service_port_name)
    model_ports = _list_of_dicts(model.get("ports"), "container ports")
    handed_over = next((i for i, p in enumerate(model_ports) if p.get("name") == port_name), None)
    for ci, c in enumerate(containers):
        for pi, p in enumerate(_list_of_dicts(c.get("ports"), "container ports")):
            number = p.get("containerPort")
            if (ci, pi) == (model_index, handed_over):
                continue
            if number in (cfg.envoy_port, cfg.probe_port) or (number == cfg.model_port and ci != model_index):
                raise InjectionRefused(
                    "port_conflict",
                    f"container {c.get('name')!r} declares port {number}, which "
                    f"the sidecar needs (Envoy {cfg.envoy_port}, probes {cfg.probe_port}, model "
                    f"127.0.0.1:{cfg.model_port})",
                )
    warnings: list[str] = []
    # The model must be reachable only through Envoy: a model that shows it binds every address, or still
    # declares modelPort as a pod port, can be called on podIP:port around the guard.
    exposed = binds_all_addresses(model)
    if exposed is None and any(
        p.get("containerPort") == cfg.model_port for i, p in enumerate(model_ports) if i != handed_over
    ):
        exposed = f"containerPort {cfg.model_port}"
    if exposed is not None:
        message = (
            f"model container {model_name!r} listens on every address ({exposed}): podIP:port would bypass "
            f"the guard; make it listen on 127.0.0.1:{cfg.model_port} (PHI_GUARD_MODEL_HOST/PORT are set)"
        )
        if cfg.bind_check == "refuse":
            raise InjectionRefused("model_exposed", message)
        warnings.append(message)
    try:
        overrides = parse_overrides(annotations, cfg)
    except OverrideError as exc:
        raise InjectionRefused("invalid_override", str(exc)) from None
    handed_port = model_ports[handed_over].get("containerPort") if handed_over is not None else None
    try:
        new_probes, probers, probe_warnings = rewrite_probes(
            model, int(handed_port) if isinstance(handed_port, int) else None, cfg
        )
    except (ProbeError, ValueError, TypeError) as exc:
        raise InjectionRefused("invalid_probe", f"model container {model_name!r}: {exc}") from None
    warnings += probe_warnings

    sidecars = copy.deepcopy(cfg.containers)
    if probers:
        sidecars.append(probe_container(cfg, probers))
    guard_image = (cfg.sidecar(GUARD_CONTAINER) or {}).get("image")
    inits = copy.deepcopy(cfg.init_containers)
    if GUARD_CONTAINER in overrides.images:  # the bootstrap renderer runs the same guard build
        for c in inits + sidecars:
            if c.get("image") == guard_image:
                c["image"] = overrides.images[GUARD_CONTAINER]
    apply_overrides(sidecars, overrides)
    if handed_over is not None:
        envoy = next(
            (
                s
                for s in sidecars
                if any(p.get("containerPort") == cfg.envoy_port for p in s.get("ports", []))
            ),
            None,
        )
        if envoy is None:
            raise InjectionRefused("sidecar_config", "no sidecar container declares Envoy's port")
        for p in envoy["ports"]:
            if p.get("containerPort") == cfg.envoy_port:
                p["name"] = port_name

    patch: list[dict[str, Any]] = []
    # 1. the model container: give up the service port, learn where to listen
    if handed_over is not None:
        patch.append(
            {"op": "remove", "path": _pointer("spec", "containers", model_index, "ports", handed_over)}
        )
    env = _list_of_dicts(model.get("env"), "container env")
    wanted = [
        {"name": MODEL_ENV[0], "value": "127.0.0.1"},
        {"name": MODEL_ENV[1], "value": str(cfg.model_port)},
    ]
    wanted = [e for e in wanted if e["name"] not in {x.get("name") for x in env}]
    if "env" not in model:
        patch.append(
            {"op": "add", "path": _pointer("spec", "containers", model_index, "env"), "value": wanted}
        )
    else:
        patch += [
            {"op": "add", "path": _pointer("spec", "containers", model_index, "env", "-"), "value": e}
            for e in wanted
        ]
    for probe_field, probe in new_probes.items():  # kubelet probes go through the forwarder (probes.py)
        patch.append(
            {"op": "add", "path": _pointer("spec", "containers", model_index, probe_field), "value": probe}
        )
    # 2. the run-once init containers first (they prepare the sidecars' files), then the sidecars: native
    #    sidecars (restartPolicy Always) right after them, so they start before and stop after the model
    if cfg.native_sidecars:
        for s in sidecars:
            s["restartPolicy"] = "Always"
        inits += sidecars
    if inits:
        if "initContainers" not in spec:
            patch.append({"op": "add", "path": "/spec/initContainers", "value": inits})
        else:
            patch += [
                {"op": "add", "path": _pointer("spec", "initContainers", i), "value": c}
                for i, c in enumerate(inits)
            ]
    if not cfg.native_sidecars:
        patch += [{"op": "add", "path": "/spec/containers/-", "value": s} for s in sidecars]
    # 3. their volumes
    if cfg.volumes:
        new_volumes = copy.deepcopy(cfg.volumes)
        if "volumes" not in spec:
            patch.append({"op": "add", "path": "/spec/volumes", "value": new_volumes})
        else:
            patch += [{"op": "add", "path": "/spec/volumes/-", "value": v} for v in new_volumes]
    # 4. the status annotation that makes the next call a no-op
    marks = {STATUS_KEY: STATUS_INJECTED, REVISION_KEY: cfg.revision}
    if DEFAULT_CONTAINER_KEY not in annotations:
        marks[DEFAULT_CONTAINER_KEY] = str(model_name)
    if probers:
        marks[PROBERS_ANNOTATION] = json.dumps(probers, sort_keys=True, separators=(",", ":"))
    if "annotations" not in meta:
        patch.append({"op": "add", "path": "/metadata/annotations", "value": marks})
    else:
        patch += [
            {"op": "add", "path": _pointer("metadata", "annotations", k), "value": v}
            for k, v in marks.items()
        ]
    # 5. the labels the NetworkPolicy (only Envoy's and the probe port reachable) and revisions select on
    labels = {INJECTED_LABEL: "true"}
    if cfg.injector_revision:
        labels[REVISION_LABEL] = cfg.injector_revision
    if not isinstance(meta.get("labels"), dict):
        patch.append({"op": "add", "path": "/metadata/labels", "value": labels})
    else:
        patch += [{"op": "add", "path": _pointer("metadata", "labels", k), "value": v} for k, v in labels.items()]
    return Mutation(STATUS_INJECTED, patch, warnings)
