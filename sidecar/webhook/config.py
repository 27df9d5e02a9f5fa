"""The injector's configuration: the sidecar spec rendered by the Helm library chart, plus injection rules.

The file is written by the chart (ConfigMap ``<release>-injector``, key ``sidecar.yaml``) from the same named
templates that teams include in their own charts, so the webhook and the library chart cannot drift apart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sidecar.webhook import strict_yaml

ANNOTATION_PREFIX = "phi-guard.io"
INJECT_KEY = f"{ANNOTATION_PREFIX}/inject"  # pod label or annotation: "true" opts in, "false" opts out
STATUS_KEY = f"{ANNOTATION_PREFIX}/status"  # set on injected pods; its presence makes a second call a no-op
MODEL_CONTAINER_KEY = f"{ANNOTATION_PREFIX}/model-container"  # which container is the model (default: first)
SERVICE_PORT_NAME_KEY = f"{ANNOTATION_PREFIX}/service-port-name"  # port handed over to Envoy (default below)
REVISION_LABEL = f"{ANNOTATION_PREFIX}/rev"  # namespace/pod label choosing an injector revision (canary)
INJECTED_LABEL = f"{ANNOTATION_PREFIX}/injected"  # set on injected pods: the NetworkPolicy selects it
LOG_LEVEL_KEY = f"{ANNOTATION_PREFIX}/log-level"  # per-pod sidecar log level
GUARD_IMAGE_KEY = f"{ANNOTATION_PREFIX}/guard-image"  # per-pod guard image (repository allow-listed)
ENVOY_IMAGE_KEY = f"{ANNOTATION_PREFIX}/envoy-image"  # per-pod Envoy image (repository allow-listed)
RESOURCES_KEY_SUFFIX = "-resources"  # phi-guard.io/<envoy|guard|opa|probes>-resources: JSON requirements
DEFAULT_SYSTEM_NAMESPACES = ("kube-system", "kube-public", "kube-node-lease")
GUARD_CONTAINER = "phi-guard"
ENVOY_CONTAINER = "phi-guard-envoy"
OPA_CONTAINER = "phi-guard-opa"
PROBES_CONTAINER = "phi-guard-probes"
# Short names used in the per-pod resources annotations.
SIDECAR_SHORT_NAMES = {
    "envoy": ENVOY_CONTAINER,
    "guard": GUARD_CONTAINER,
    "opa": OPA_CONTAINER,
    "probes": PROBES_CONTAINER,
}


class InjectionConfigError(Exception):
    """The sidecar configuration file is missing or invalid; ``str()`` is one line."""


class InjectionConfig(BaseModel):
    """What to add to a pod. ``containers``/``volumes`` are Kubernetes objects, copied verbatim."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    # Run-once containers that run before the sidecars start (the one that renders Envoy's bootstrap).
    init_containers: list[dict[str, Any]] = Field(default_factory=list, alias="initContainers")
    # Long-running sidecars: Envoy first, then the guard (and OPA when enabled).
    containers: list[dict[str, Any]] = Field(min_length=1)
    volumes: list[dict[str, Any]] = Field(default_factory=list)
    # Native sidecars (initContainers with restartPolicy: Always, Kubernetes >= 1.29): start before and stop
    # after the model. False: appended to spec.containers.
    native_sidecars: bool = Field(default=True, alias="nativeSidecars")
    # Envoy's listener port (the pod's service port after injection) and the model's port on 127.0.0.1.
    envoy_port: int = Field(alias="envoyPort", ge=1, le=65535)
    model_port: int = Field(alias="modelPort", ge=1, le=65535)
    # The model container's port (by name) that Envoy takes over, so Services targeting it by name hit Envoy.
    service_port_name: str = Field(default="http", alias="servicePortName")
    excluded_namespaces: list[str] = Field(
        default_factory=lambda: list(DEFAULT_SYSTEM_NAMESPACES), alias="excludedNamespaces"
    )
    # Recorded in the status annotation, so operators can see which sidecar revision a pod runs.
    revision: str = "unversioned"
    # The injector revision (chart value injection.revision) this webhook serves; "" is the default injector.
    injector_revision: str = Field(
        default="", alias="injectorRevision", pattern=r"^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)?$"
    )
    # The port of the app-probe forwarder (kubelet probes of the model are rewritten to it) and its resources.
    probe_port: int = Field(default=15020, alias="probePort", ge=1, le=65535)
    probe_resources: dict[str, Any] = Field(
        default_factory=lambda: {
            "requests": {"cpu": "10m", "memory": "48Mi"},
            "limits": {"cpu": "200m", "memory": "128Mi"},
        },
        alias="probeResources",
    )
    # What to do when the model container shows it will listen on every address (podIP:port would bypass
    # Envoy): refuse the pod, or admit it with a warning (the NetworkPolicy still blocks the port).
    bind_check: Literal["refuse", "warn"] = Field(default="refuse", alias="bindCheck")
    # Repositories a pod may pick with the guard-image / envoy-image annotations (the configured ones always).
    image_override_repositories: list[str] = Field(default_factory=list, alias="imageOverrideRepositories")
    # Check through the API that the ConfigMaps and Secrets the sidecar mounts exist in the pod's namespace.
    check_objects: bool = Field(default=True, alias="checkObjects")

    @field_validator("containers", "init_containers")
    @classmethod
    def _named(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        names = [c.get("name") for c in value]
        if not all(isinstance(n, str) and n for n in names) or len(set(names)) != len(names):
            raise ValueError("every container needs a unique non-empty name")
        return value

    @field_validator("volumes")
    @classmethod
    def _volumes_named(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        names = [v.get("name") for v in value]
        if not all(isinstance(n, str) and n for n in names) or len(set(names)) != len(names):
            raise ValueError("every volume needs a unique non-empty name")
        return value

    @model_validator(mode="after")
    def _distinct(self) -> InjectionConfig:
        names = [c["name"] for c in self.init_containers + self.containers]
        if len(set(names)) != len(names):
            raise ValueError("container names must be distinct across initContainers and containers")
        return self

    @model_validator(mode="after")
    def _ports_distinct(self) -> InjectionConfig:
        if len({self.envoy_port, self.model_port, self.probe_port}) != 3:
            raise ValueError("envoyPort, modelPort and probePort must differ")
        return self

    @property
    def container_names(self) -> set[str]:
        return {str(c["name"]) for c in self.init_containers + self.containers}

    def sidecar(self, name: str) -> dict[str, Any] | None:
        return next((c for c in self.containers if c.get("name") == name), None)

    @property
    def allowed_image_repositories(self) -> set[str]:
        """Repositories of the configured sidecar images plus the allow-listed ones."""
        repos = set(self.image_override_repositories)
        for c in self.containers + self.init_containers:
            image = str(c.get("image", ""))
            repos.add(split_image(image)[0])
        return repos


def split_image(image: str) -> tuple[str, str]:
    """(repository, tag-or-digest) of an image reference."""
    if "@" in image:
        repo, _, digest = image.partition("@")
        return repo, "@" + digest
    slash = image.rfind("/")
    colon = image.rfind(":")
    if colon > slash:
        return image[:colon], image[colon + 1 :]
    return image, ""


def load_injection_config(path: str | Path) -> InjectionConfig:
    """Read and validate the sidecar configuration. Raises :class:`InjectionConfigError`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InjectionConfigError(f"cannot read sidecar config {path}: {exc.strerror}") from None
    try:
        data = strict_yaml.load(text)
    except strict_yaml.DuplicateKeyError as exc:
        raise InjectionConfigError(f"sidecar config {path}: {exc.problem}") from None
    except yaml.YAMLError:
        raise InjectionConfigError(f"sidecar config {path} is not valid YAML") from None
    if not isinstance(data, dict):
        raise InjectionConfigError(f"sidecar config {path}: expected a mapping")
    try:
        return InjectionConfig.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in exc.errors()
        )
        raise InjectionConfigError(f"sidecar config {path}: {problems}") from None
