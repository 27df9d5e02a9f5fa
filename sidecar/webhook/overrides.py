"""Per-pod overrides of the injected sidecars, read from the pod's annotations and validated: a bad value
refuses the pod (it is never silently ignored, and never passed on to the API server unchecked).

- ``phi-guard.io/log-level``: ``debug|info|warning|error`` for the guard and Envoy;
- ``phi-guard.io/guard-image`` / ``phi-guard.io/envoy-image``: another tag or digest of an allowed repository
  (the configured ones, plus ``imageOverrideRepositories``), so a pod cannot swap the guard for anything else;
- ``phi-guard.io/<envoy|guard|opa|probes>-resources``: JSON ``{"requests": {...}, "limits": {...}}`` with
  ``cpu``, ``memory`` or ``ephemeral-storage`` quantities, replacing that sidecar's resources.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sidecar.webhook.config import (
    ANNOTATION_PREFIX,
    ENVOY_CONTAINER,
    ENVOY_IMAGE_KEY,
    GUARD_CONTAINER,
    GUARD_IMAGE_KEY,
    LOG_LEVEL_KEY,
    RESOURCES_KEY_SUFFIX,
    SIDECAR_SHORT_NAMES,
    InjectionConfig,
    split_image,
)

LOG_LEVELS = {"debug": "debug", "info": "info", "warning": "warn", "error": "error"}  # guard -> Envoy
LOG_LEVEL_ENV = "PHI_GUARD__LOGGING__LEVEL"
RESOURCE_NAMES = frozenset({"cpu", "memory", "ephemeral-storage"})
# Kubernetes resource.Quantity (decimal SI, binary SI, or decimal exponent), e.g. 250m, 1.5, 512Mi, 1e3.
_QUANTITY = re.compile(r"^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$")
# A repository path (registry host with optional port, lower-case path components) and a tag or digest.
_REPOSITORY = re.compile(r"^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._/-][a-z0-9]+)*)*$")
_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
_DIGEST = re.compile(r"^@sha256:[a-f0-9]{64}$")


class OverrideError(ValueError):
    """An override annotation has a value that cannot be applied; ``str()`` names the annotation."""


@dataclass(frozen=True)
class Overrides:
    log_level: str | None = None
    images: dict[str, str] = field(default_factory=dict)  # container name -> image
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)  # container name -> requirements


def _image(key: str, value: str, cfg: InjectionConfig) -> str:
    repo, ref = split_image(value.strip())
    if not _REPOSITORY.match(repo) or not (_TAG.match(ref) or _DIGEST.match(ref)):
        raise OverrideError(f"annotation {key} is not an image reference with a tag or digest")
    if repo not in cfg.allowed_image_repositories:
        raise OverrideError(
            f"annotation {key}: repository {repo} is not allowed (allowed: {sorted(cfg.allowed_image_repositories)})"
        )
    return value.strip()


def _resources(key: str, value: str) -> dict[str, Any]:
    try:
        doc = json.loads(value)
    except ValueError:
        raise OverrideError(f"annotation {key} is not JSON") from None
    if not isinstance(doc, dict) or not doc or not set(doc) <= {"requests", "limits"}:
        raise OverrideError(f'annotation {key} must be an object with "requests" and/or "limits"')
    for part, amounts in doc.items():
        if not isinstance(amounts, dict) or not amounts:
            raise OverrideError(f"annotation {key}: {part} must be a non-empty object")
        for name, quantity in amounts.items():
            if name not in RESOURCE_NAMES:
                raise OverrideError(f"annotation {key}: unknown resource {name!r} (use {sorted(RESOURCE_NAMES)})")
            if not isinstance(quantity, str | int) or isinstance(quantity, bool) or not _QUANTITY.match(str(quantity)):
                raise OverrideError(f"annotation {key}: {part}.{name} is not a Kubernetes quantity")
            amounts[name] = str(quantity)
    return doc


def parse_overrides(annotations: Mapping[str, Any], cfg: InjectionConfig) -> Overrides:
    """The validated overrides in ``annotations``; :class:`OverrideError` on the first bad one."""
    level = annotations.get(LOG_LEVEL_KEY)
    if level is not None and (not isinstance(level, str) or level.strip().lower() not in LOG_LEVELS):
        raise OverrideError(f"annotation {LOG_LEVEL_KEY} must be one of {sorted(LOG_LEVELS)}")
    images: dict[str, str] = {}
    for key, container in ((GUARD_IMAGE_KEY, GUARD_CONTAINER), (ENVOY_IMAGE_KEY, ENVOY_CONTAINER)):
        if key in annotations:
            images[container] = _image(key, str(annotations[key]), cfg)
    resources: dict[str, dict[str, Any]] = {}
    for short, container in SIDECAR_SHORT_NAMES.items():
        key = f"{ANNOTATION_PREFIX}/{short}{RESOURCES_KEY_SUFFIX}"
        if key in annotations:
            resources[container] = _resources(key, str(annotations[key]))
    unknown = [
        k
        for k in annotations
        if isinstance(k, str)
        and k.startswith(f"{ANNOTATION_PREFIX}/")
        and k.endswith(RESOURCES_KEY_SUFFIX)
        and k.removeprefix(f"{ANNOTATION_PREFIX}/").removesuffix(RESOURCES_KEY_SUFFIX) not in SIDECAR_SHORT_NAMES
    ]
    if unknown:
        raise OverrideError(f"annotation {unknown[0]} names no sidecar (use {sorted(SIDECAR_SHORT_NAMES)})")
    return Overrides(level.strip().lower() if isinstance(level, str) else None, images, resources)


def apply_overrides(containers: list[dict[str, Any]], overrides: Overrides) -> None:
    """Apply ``overrides`` in place to the sidecar containers (init containers that run the guard image get the
    same guard image, so the rendered bootstrap matches the guard)."""
    for c in containers:
        name = c.get("name")
        if name in overrides.resources:
            c["resources"] = overrides.resources[name]
        if name in overrides.images:
            c["image"] = overrides.images[name]
        if overrides.log_level is None:
            continue
        if name == GUARD_CONTAINER:
            env = [e for e in c.get("env", []) if e.get("name") != LOG_LEVEL_ENV]
            c["env"] = [*env, {"name": LOG_LEVEL_ENV, "value": overrides.log_level}]
        elif name == ENVOY_CONTAINER:
            args = list(c.get("args", []))
            if "--log-level" in args:
                i = args.index("--log-level")
                args[i + 1 : i + 2] = [LOG_LEVELS[overrides.log_level]]
            else:
                args += ["--log-level", LOG_LEVELS[overrides.log_level]]
            c["args"] = args
