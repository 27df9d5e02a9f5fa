"""Checks kube-apiserver makes in Go beyond the OpenAPI schema (k8s.io/apimachinery validation and
pkg/apis/*/validation), for the kinds the chart and the injection webhook produce. kubernetes-validate checks the
shape of a manifest; these are the refusals a platform engineer meets only on a real API server: a Deployment
whose selector misses its template's labels, two containers or volumes with one name, a mount of a volume that
does not exist, a port name longer than 15 characters, a webhook name that is not fully qualified...

Each rule cites the validation it mirrors; ``problems(doc)`` returns one line per violation (empty: admitted)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_QUALIFIED_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_IANA_SVC_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
_ENV_VAR_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")
_CONFIG_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")
_POD_TEMPLATE_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job")
_QUANTITY = re.compile(r"^([+-]?[0-9.]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$")
_SUFFIX = {
    **{s: Decimal(1024) ** (i + 1) for i, s in enumerate(("Ki", "Mi", "Gi", "Ti", "Pi", "Ei"))},
    **{s: Decimal(10) ** (3 * i) for i, s in enumerate(("n", "u", "m", "", "k", "M", "G", "T", "P", "E"), start=-3)},
}
_MAX_ANNOTATIONS_BYTES = 256 * 1024
_MAX_CONFIG_BYTES = 1024 * 1024


def dns1123_label(value: str) -> bool:
    """IsDNS1123Label: container, volume, Service and port names."""
    return len(value) <= 63 and bool(_DNS1123_LABEL.match(value))


def dns1123_subdomain(value: str) -> bool:
    """IsDNS1123Subdomain: most object names."""
    return len(value) <= 253 and bool(_DNS1123_SUBDOMAIN.match(value))


def qualified_name(value: str) -> bool:
    """IsQualifiedName: label and annotation keys (optional DNS-subdomain prefix, then a name of <= 63)."""
    prefix, _, name = value.rpartition("/")
    if prefix and not dns1123_subdomain(prefix):
        return False
    return len(name) <= 63 and bool(_QUALIFIED_NAME.match(name))


def label_value(value: str) -> bool:
    """IsValidLabelValue: empty, or a qualified name part of <= 63."""
    return value == "" or (len(value) <= 63 and bool(_QUALIFIED_NAME.match(value)))


def iana_svc_name(value: str) -> bool:
    """IsValidPortName: container port names and named probe/target ports."""
    return (
        len(value) <= 15
        and bool(_IANA_SVC_NAME.match(value))
        and "--" not in value
        and any(c.isalpha() for c in value)
    )


def parse_quantity(value: str | int | float) -> Decimal:
    """A resource.Quantity ("100m", "64Mi", "1e3", 2) as a number; ValueError when it is not one."""
    match = _QUANTITY.match(str(value))
    if not match:
        raise ValueError(f"{value!r} is not a Kubernetes quantity")
    number, suffix = Decimal(match.group(1)), match.group(2) or ""
    if suffix[:1] in ("e", "E"):
        return number * Decimal(10) ** int(suffix[1:])
    return number * _SUFFIX.get(suffix, Decimal(1))


def _duplicates(values: Iterable[Any]) -> list[Any]:
    return [v for v, n in Counter(values).items() if n > 1]


def _meta(meta: dict[str, Any], where: str, name_rule: Callable[[str], bool]) -> list[str]:
    out = []
    name = meta.get("name")
    if name is not None and not name_rule(name):
        out.append(f"{where}.metadata.name {name!r} is not a valid name")
    for key, value in (meta.get("labels") or {}).items():
        if not qualified_name(key):
            out.append(f"{where}.metadata.labels: key {key!r} is not a qualified name")
        if not isinstance(value, str) or not label_value(value):
            out.append(f"{where}.metadata.labels[{key!r}]: value {value!r} is not a valid label value")
    annotations = meta.get("annotations") or {}
    for key in annotations:
        if not qualified_name(key):
            out.append(f"{where}.metadata.annotations: key {key!r} is not a qualified name")
    if sum(len(k) + len(str(v)) for k, v in annotations.items()) > _MAX_ANNOTATIONS_BYTES:
        out.append(f"{where}.metadata.annotations: larger than 256 KiB")
    return out


def _port_ref(port: Any) -> bool:
    return (isinstance(port, int) and 1 <= port <= 65535) or (isinstance(port, str) and iana_svc_name(port))


def _probe(probe: dict[str, Any] | None, where: str) -> list[str]:
    if probe is None:
        return []
    handlers = [h for h in ("exec", "httpGet", "tcpSocket", "grpc") if h in probe]
    out = [] if len(handlers) == 1 else [f"{where}: must specify exactly one handler, has {handlers}"]
    for handler in ("httpGet", "tcpSocket"):
        if handler in probe and not _port_ref(probe[handler].get("port")):
            out.append(f"{where}.{handler}.port {probe[handler].get('port')!r} is not a port number or name")
    if "grpc" in probe and not isinstance(probe["grpc"].get("port"), int):
        out.append(f"{where}.grpc.port must be a number")
    return out


def _resources(resources: dict[str, Any], where: str) -> list[str]:
    out = []
    limits, requests = resources.get("limits") or {}, resources.get("requests") or {}
    for name, value in requests.items():
        if name in limits and parse_quantity(value) > parse_quantity(limits[name]):
            out.append(f"{where}.requests[{name}] {value} must be <= limits {limits[name]}")
    return out


def _container(c: dict[str, Any], where: str, volumes: set[str]) -> list[str]:
    out = [] if dns1123_label(c.get("name", "")) else [f"{where}.name {c.get('name')!r} is not a DNS-1123 label"]
    ports = c.get("ports") or []
    for port in ports:
        if "name" in port and not iana_svc_name(port["name"]):
            out.append(f"{where}.ports: name {port['name']!r} is not a valid port name (<= 15, IANA_SVC_NAME)")
    out += [f"{where}.ports: duplicate name {n!r}" for n in _duplicates(p["name"] for p in ports if "name" in p)]
    for env in c.get("env") or []:
        if not _ENV_VAR_NAME.match(env.get("name", "")):
            out.append(f"{where}.env: {env.get('name')!r} is not a valid environment variable name")
    mounts = c.get("volumeMounts") or []
    for mount in mounts:
        if mount.get("name") not in volumes:
            out.append(f"{where}.volumeMounts: {mount.get('name')!r} names no volume of the pod")
    out += [f"{where}.volumeMounts: mountPath {p!r} used twice" for p in _duplicates(m["mountPath"] for m in mounts)]
    for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
        out += _probe(c.get(kind), f"{where}.{kind}")
    out += _resources(c.get("resources") or {}, f"{where}.resources")
    return out


def pod_spec_problems(spec: dict[str, Any], where: str) -> list[str]:
    """ValidatePodSpec: names unique and valid, mounts resolve, probes and resources coherent."""
    volumes = [v.get("name", "") for v in spec.get("volumes") or []]
    out = [f"{where}.volumes: {v!r} is not a DNS-1123 label" for v in volumes if not dns1123_label(v)]
    out += [f"{where}.volumes: duplicate name {v!r}" for v in _duplicates(volumes)]
    containers = [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]
    out += [f"{where}: duplicate container name {n!r}" for n in _duplicates(c.get("name") for c in containers)]
    if not spec.get("containers"):
        out.append(f"{where}.containers: at least one container is required")
    for c in containers:
        out += _container(c, f"{where}.containers[{c.get('name')}]", set(volumes))
    for c in spec.get("initContainers") or []:
        if c.get("restartPolicy") != "Always":  # a plain init container runs once: no probes, no lifecycle
            fields = ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe")
            out += [f"{where}.initContainers[{c.get('name')}].{f} is forbidden" for f in fields if f in c]
    return out


def _selector_matches(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        return False  # an empty selector is refused for workloads
    if any(labels.get(k) != v for k, v in (selector.get("matchLabels") or {}).items()):
        return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values") or []
        if (
            (op == "In" and labels.get(key) not in values)
            or (op == "NotIn" and labels.get(key) in values)
            or (op == "Exists" and key not in labels)
            or (op == "DoesNotExist" and key in labels)
        ):
            return False
    return True


def _workload(doc: dict[str, Any], where: str) -> list[str]:
    template = doc["spec"]["template"]
    out = _meta(template.get("metadata") or {}, f"{where}.spec.template", dns1123_subdomain)
    labels = (template.get("metadata") or {}).get("labels") or {}
    if doc["kind"] != "Job" and not _selector_matches(doc["spec"].get("selector") or {}, labels):
        out.append(f"{where}.spec.selector: does not match the template's labels")
    return out + pod_spec_problems(template["spec"], f"{where}.spec.template.spec")


def _service(doc: dict[str, Any], where: str) -> list[str]:
    ports = doc["spec"].get("ports") or []
    out = []
    if len(ports) > 1 and any("name" not in p for p in ports):
        out.append(f"{where}.spec.ports: every port needs a name when there are several")
    out += [f"{where}.spec.ports: duplicate name {n!r}" for n in _duplicates(p["name"] for p in ports if "name" in p)]
    for p in ports:
        if "name" in p and not dns1123_label(p["name"]):
            out.append(f"{where}.spec.ports: name {p['name']!r} is not a DNS-1123 label")
        if "targetPort" in p and not _port_ref(p["targetPort"]):
            out.append(f"{where}.spec.ports: targetPort {p['targetPort']!r} is not a port number or name")
    return out


def _webhooks(doc: dict[str, Any], where: str) -> list[str]:
    hooks = doc.get("webhooks") or []
    out = [f"{where}: duplicate webhook name {n!r}" for n in _duplicates(h["name"] for h in hooks)]
    for hook in hooks:
        name = hook["name"]
        if not (dns1123_subdomain(name) and name.count(".") >= 2):
            out.append(f"{where}: webhook name {name!r} must be a fully qualified domain name (3+ labels)")
        if hook.get("sideEffects") not in ("None", "NoneOnDryRun"):
            out.append(f"{where}[{name}].sideEffects must be None or NoneOnDryRun in admissionregistration/v1")
        if not {"v1", "v1beta1"} & set(hook.get("admissionReviewVersions") or []):
            out.append(f"{where}[{name}].admissionReviewVersions must include v1")
        if not 1 <= hook.get("timeoutSeconds", 10) <= 30:
            out.append(f"{where}[{name}].timeoutSeconds must be between 1 and 30")
        path = (hook.get("clientConfig", {}).get("service") or {}).get("path")
        if path is not None and not path.startswith("/"):
            out.append(f"{where}[{name}].clientConfig.service.path must start with /")
    return out


def _config_data(doc: dict[str, Any], where: str) -> list[str]:
    keys = [*(doc.get("data") or {}), *(doc.get("binaryData") or {}), *(doc.get("stringData") or {})]
    out = [f"{where}: key {k!r} is not a valid config key" for k in keys if not _CONFIG_KEY.match(k)]
    size = sum(len(str(v)) for part in ("data", "binaryData", "stringData") for v in (doc.get(part) or {}).values())
    return out + ([f"{where}: data larger than 1 MiB"] if size > _MAX_CONFIG_BYTES else [])


def _network_policy(doc: dict[str, Any], where: str) -> list[str]:
    out = []
    rules = [*(doc["spec"].get("ingress") or []), *(doc["spec"].get("egress") or [])]
    for rule in rules:
        for port in rule.get("ports") or []:
            if "endPort" in port and not (isinstance(port.get("port"), int) and port["endPort"] >= port["port"]):
                out.append(f"{where}: endPort needs a numeric port <= endPort")
            if "port" in port and not _port_ref(port["port"]):
                out.append(f"{where}: port {port['port']!r} is not a port number or name")
    return out


def _pdb(doc: dict[str, Any], where: str) -> list[str]:
    spec = doc["spec"]
    if "minAvailable" in spec and "maxUnavailable" in spec:
        return [f"{where}.spec: minAvailable and maxUnavailable cannot both be set"]
    return []


def _rbac_rules(doc: dict[str, Any], where: str) -> list[str]:
    out = []
    for index, rule in enumerate(doc.get("rules") or []):
        at = f"{where}.rules[{index}]"
        if not rule.get("verbs"):
            out.append(f"{at}.verbs must contain at least one value")
        if rule.get("nonResourceURLs"):
            if rule.get("resources") or rule.get("apiGroups"):
                out.append(f"{at}: rules with nonResourceURLs cannot have apiGroups or resources")
        elif "apiGroups" not in rule or not rule.get("resources"):
            out.append(f"{at}: resource rules must supply at least one api group and one resource")
    return out


def _binding(doc: dict[str, Any], where: str) -> list[str]:
    ref = doc.get("roleRef") or {}
    out = []
    if ref.get("apiGroup") != "rbac.authorization.k8s.io" or ref.get("kind") not in ("Role", "ClusterRole"):
        out.append(f"{where}.roleRef must name a Role or ClusterRole of rbac.authorization.k8s.io")
    for subject in doc.get("subjects") or []:
        bad_group = subject.get("apiGroup", "") != ""
        if subject.get("kind") == "ServiceAccount" and (bad_group or not subject.get("namespace")):
            out.append(f"{where}.subjects: a ServiceAccount needs a namespace and the core apiGroup")
    return out


_LABEL_NAMED = ("Service", "Namespace")


def problems(doc: dict[str, Any]) -> list[str]:
    """Every refusal of ``doc`` that this module knows of (empty: admitted)."""
    kind = doc.get("kind", "")
    where = f"{kind}/{(doc.get('metadata') or {}).get('name')}"
    out = _meta(doc.get("metadata") or {}, where, dns1123_label if kind in _LABEL_NAMED else dns1123_subdomain)
    if kind in _POD_TEMPLATE_KINDS:
        out += _workload(doc, where)
    elif kind == "Pod":
        out += pod_spec_problems(doc["spec"], f"{where}.spec")
    elif kind == "Service":
        out += _service(doc, where)
    elif kind in ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"):
        out += _webhooks(doc, where)
    elif kind in ("ConfigMap", "Secret"):
        out += _config_data(doc, where)
    elif kind == "NetworkPolicy":
        out += _network_policy(doc, where)
    elif kind == "PodDisruptionBudget":
        out += _pdb(doc, where)
    elif kind in ("Role", "ClusterRole"):
        out += _rbac_rules(doc, where)
    elif kind in ("RoleBinding", "ClusterRoleBinding"):
        out += _binding(doc, where)
    return out
