"""App probe rewriting (as Istio's ``rewriteAppHTTPProbe``).

After injection the model listens on 127.0.0.1 and its named service port belongs to Envoy, but the kubelet
probes the pod IP and resolves named ports in the probed container. So the model container's ``httpGet`` and
``tcpSocket`` probes are rewritten to ``GET /app-health/<container>/<kind>`` on the probe forwarder sidecar
(``phi-guard app-probes``), which repeats the original probe against 127.0.0.1 and answers 200 or 503. The
original probes travel in the forwarder's ``PHI_GUARD_APP_PROBERS`` environment variable (JSON) and the pod
annotation ``phi-guard.io/app-probers``. ``exec`` probes run inside the model container and need no change;
``grpc`` probes cannot be forwarded: they are left as they are and the admission answer carries a warning.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sidecar.webhook.config import ANNOTATION_PREFIX, PROBES_CONTAINER, InjectionConfig

PROBE_KINDS = {"livenessProbe": "livez", "readinessProbe": "readyz", "startupProbe": "startupz"}
PROBERS_ENV = "PHI_GUARD_APP_PROBERS"
PROBERS_ANNOTATION = f"{ANNOTATION_PREFIX}/app-probers"
PROBE_PATH_PREFIX = "/app-health"
_TIMING = ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold")


class ProbeError(ValueError):
    """A probe that cannot be rewritten (e.g. a named port the container does not declare)."""


def _resolve_port(port: Any, ports: list[dict[str, Any]], handed_over: int | None, cfg: InjectionConfig) -> int:
    """The port the model serves the probe on, after injection (the handed-over port is now modelPort)."""
    if isinstance(port, str) and not port.isdigit():
        match = next((p for p in ports if p.get("name") == port), None)
        if match is None:
            raise ProbeError(f"probe port {port!r} is not a port of the container")
        number = int(match.get("containerPort", 0))
    else:
        number = int(port)
    if handed_over is not None and number == handed_over:
        return cfg.model_port
    if number in (cfg.envoy_port, cfg.probe_port):
        raise ProbeError(f"probe port {number} belongs to the sidecar")
    return number


def rewrite_probes(
    container: Mapping[str, Any], handed_over: int | None, cfg: InjectionConfig
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], list[str]]:
    """(new probes by field, probers by path, warnings) for the model ``container``. ``handed_over`` is the
    containerPort given to Envoy (None if none)."""
    name = str(container.get("name"))
    ports = [p for p in container.get("ports") or [] if isinstance(p, dict)]
    new: dict[str, dict[str, Any]] = {}
    probers: dict[str, dict[str, Any]] = {}
    warnings: list[str] = []
    for field, kind in PROBE_KINDS.items():
        probe = container.get(field)
        if not isinstance(probe, dict):
            continue
        if isinstance(probe.get("httpGet"), dict):
            get = probe["httpGet"]
            if get.get("host"):  # probes another host: nothing to do with the pod's loopback
                continue
            target: dict[str, Any] = {
                "type": "http",
                "port": _resolve_port(get.get("port"), ports, handed_over, cfg),
                "path": str(get.get("path") or "/"),
                "scheme": str(get.get("scheme") or "HTTP").upper(),
                "httpHeaders": [
                    {"name": str(h.get("name")), "value": str(h.get("value", ""))}
                    for h in get.get("httpHeaders") or []
                    if isinstance(h, dict)
                ],
            }
        elif isinstance(probe.get("tcpSocket"), dict):
            sock = probe["tcpSocket"]
            if sock.get("host"):
                continue
            target = {"type": "tcp", "port": _resolve_port(sock.get("port"), ports, handed_over, cfg)}
        else:
            if isinstance(probe.get("grpc"), dict):
                warnings.append(
                    f"container {name!r} {field} is a gRPC probe: the kubelet calls the pod IP, which the model "
                    f"must not listen on; use an exec or HTTP probe"
                )
            continue
        target["timeoutSeconds"] = int(probe.get("timeoutSeconds") or 1)
        path = f"{PROBE_PATH_PREFIX}/{name}/{kind}"
        probers[path] = target
        new[field] = {
            **{k: probe[k] for k in _TIMING if k in probe},
            **(
                {"terminationGracePeriodSeconds": probe["terminationGracePeriodSeconds"]}
                if "terminationGracePeriodSeconds" in probe
                else {}
            ),
            "httpGet": {"path": path, "port": cfg.probe_port, "scheme": "HTTP"},
        }
    return new, probers, warnings


def probe_container(cfg: InjectionConfig, probers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The forwarder sidecar: the guard's image and security context, ``phi-guard app-probes``."""
    guard = cfg.sidecar("phi-guard") or cfg.containers[0]
    container: dict[str, Any] = {
        "name": PROBES_CONTAINER,
        "image": guard["image"],
        "args": ["app-probes", "--port", str(cfg.probe_port)],
        "env": [{"name": PROBERS_ENV, "value": json.dumps(probers, sort_keys=True, separators=(",", ":"))}],
        "ports": [{"name": "phi-guard-probe", "containerPort": cfg.probe_port, "protocol": "TCP"}],
        "resources": json.loads(json.dumps(cfg.probe_resources)),
    }
    for key in ("imagePullPolicy", "securityContext"):
        if key in guard:
            container[key] = json.loads(json.dumps(guard[key]))
    return container
