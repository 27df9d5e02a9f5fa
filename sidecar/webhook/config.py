"""The injector's configuration: the sidecar spec rendered by the Helm library chart, plus injection rules.

The file is written by the chart (ConfigMap ``<release>-injector``, key ``sidecar.yaml``) from the same named
templates that teams include in their own charts, so the webhook and the library chart cannot drift apart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sidecar.webhook import strict_yaml

ANNOTATION_PREFIX = "phi-guard.io"
INJECT_KEY = f"{ANNOTATION_PREFIX}/inject"  # pod label or annotation: "true" opts in, "false" opts out
STATUS_KEY = f"{ANNOTATION_PREFIX}/status"  # set on injected pods; its presence makes a second call a no-op
MODEL_CONTAINER_KEY = f"{ANNOTATION_PREFIX}/model-container"  # which container is the model (default: first)
SERVICE_PORT_NAME_KEY = f"{ANNOTATION_PREFIX}/service-port-name"  # port handed over to Envoy (default below)
DEFAULT_SYSTEM_NAMESPACES = ("kube-system", "kube-public", "kube-node-lease")


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

    @property
    def container_names(self) -> set[str]:
        return {str(c["name"]) for c in self.init_containers + self.containers}


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
