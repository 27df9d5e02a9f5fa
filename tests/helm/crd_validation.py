"""Validate a custom resource against its CustomResourceDefinition the way kube-apiserver does on create with
strict field validation: the CRD's defaults applied first, then the structural ``openAPIV3Schema`` with every
object closed unless it says ``x-kubernetes-preserve-unknown-fields`` (an unknown field is an error, as
``kubectl apply --validate=strict`` reports it), then every ``x-kubernetes-validations`` CEL rule evaluated with
cel-python. A rule that cel-python cannot compile or evaluate is an error, never a pass."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import celpy
import jsonschema

from sidecar.webhook import strict_yaml

_DNS_SUBDOMAIN = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
# ObjectMeta fields a client may set; the API server refuses any other (strict field validation).
_OBJECT_META: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "maxLength": 253, "pattern": _DNS_SUBDOMAIN},
        "generateName": {"type": "string"},
        "namespace": {"type": "string", "maxLength": 63, "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "annotations": {"type": "object", "additionalProperties": {"type": "string"}},
        "finalizers": {"type": "array", "items": {"type": "string"}},
        "ownerReferences": {"type": "array", "items": {"type": "object"}},
    },
}
_COMPOSITIONS = ("allOf", "anyOf", "oneOf")


@dataclass(frozen=True)
class CrdVersion:
    """One served version of a CRD: its group/version/kind and ``openAPIV3Schema``."""

    api_version: str
    kind: str
    schema: dict[str, Any]


def load_crds(directory: Path) -> dict[tuple[str, str], CrdVersion]:
    """Every served version of every CRD in ``directory/*.yaml``, keyed by (apiVersion, kind)."""
    out: dict[tuple[str, str], CrdVersion] = {}
    for path in sorted(directory.glob("*.yaml")):
        for crd in strict_yaml.load_all(path.read_text(encoding="utf-8")):
            if not crd or crd.get("kind") != "CustomResourceDefinition":
                continue
            group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
            for version in crd["spec"]["versions"]:
                if version.get("served", False):
                    key = (f"{group}/{version['name']}", kind)
                    out[key] = CrdVersion(key[0], kind, version["schema"]["openAPIV3Schema"])
    return out


def closed(schema: dict[str, Any], root: bool = True) -> dict[str, Any]:
    """``schema`` as JSON Schema with the API server's structural rules made explicit: objects closed unless
    ``x-kubernetes-preserve-unknown-fields``, ``nullable`` allowing null, the root's apiVersion/kind/metadata
    always known (the server adds them to every CRD)."""
    out = {k: v for k, v in schema.items() if not k.startswith("x-kubernetes-") and k != "description"}
    if schema.get("nullable"):
        out.pop("nullable")
        if "type" in out:
            out["type"] = [out["type"], "null"]
    if "properties" in schema:
        out["properties"] = {k: closed(v, root=False) for k, v in schema["properties"].items()}
    if isinstance(schema.get("additionalProperties"), dict):
        out["additionalProperties"] = closed(schema["additionalProperties"], root=False)
    if "items" in schema:
        out["items"] = closed(schema["items"], root=False)
    for key in _COMPOSITIONS:
        if key in schema:
            out[key] = [closed(s, root=False) for s in schema[key]]
    if "not" in schema:
        out["not"] = closed(schema["not"], root=False)
    is_object = schema.get("type") == "object"
    if is_object and not schema.get("x-kubernetes-preserve-unknown-fields") and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if root:
        props = out.setdefault("properties", {})
        props.setdefault("apiVersion", {"type": "string"})
        props.setdefault("kind", {"type": "string"})
        props["metadata"] = _OBJECT_META
        out["additionalProperties"] = False
    return out


def apply_defaults(schema: dict[str, Any], value: Any) -> Any:
    """``value`` with the schema's ``default``s filled in where a property is absent (as the API server does
    before it validates)."""
    if isinstance(value, dict):
        for name, sub in schema.get("properties", {}).items():
            if name not in value and "default" in sub:
                value[name] = copy.deepcopy(sub["default"])
            if name in value:
                value[name] = apply_defaults(sub, value[name])
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            for name in value:
                if name not in schema.get("properties", {}):
                    value[name] = apply_defaults(extra, value[name])
    elif isinstance(value, list) and "items" in schema:
        value[:] = [apply_defaults(schema["items"], item) for item in value]
    return value


def _nodes(schema: dict[str, Any], value: Any, path: str) -> Iterator[tuple[dict[str, Any], Any, str]]:
    """Every (schema node, value, path) pair present in ``value``, parents first."""
    yield schema, value, path
    if isinstance(value, dict):
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for name, item in value.items():
            if name in props:
                yield from _nodes(props[name], item, f"{path}.{name}")
            elif isinstance(extra, dict):
                yield from _nodes(extra, item, f"{path}[{name!r}]")
    elif isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            yield from _nodes(schema["items"], item, f"{path}[{index}]")


_CEL = celpy.Environment()


def cel_errors(schema: dict[str, Any], value: Any) -> list[str]:
    """The messages of the ``x-kubernetes-validations`` rules ``value`` breaks (path: message)."""
    errors = []
    for node, item, path in _nodes(schema, value, "<root>"):
        for rule in node.get("x-kubernetes-validations", []):
            try:
                program = _CEL.program(_CEL.compile(rule["rule"]))
                result = program.evaluate({"self": celpy.json_to_cel(item)})
            except Exception as exc:  # noqa: BLE001 - an unevaluable rule must fail, whatever the cause
                errors.append(f"{path}: rule {rule['rule']!r} could not be evaluated: {exc}")
                continue
            if not (isinstance(result, celpy.celtypes.BoolType) and bool(result)):
                errors.append(f"{path}: {rule.get('message', rule['rule'])}")
    return errors


def validation_errors(crds: dict[tuple[str, str], CrdVersion], doc: dict[str, Any]) -> list[str]:
    """Everything the API server would refuse in ``doc``; empty when it would be admitted."""
    crd = crds.get((doc.get("apiVersion", ""), doc.get("kind", "")))
    if crd is None:
        return [f"no served CRD version for {doc.get('apiVersion')} {doc.get('kind')}"]
    obj = apply_defaults(crd.schema, copy.deepcopy(doc))
    validator = jsonschema.Draft7Validator(closed(crd.schema))
    errors = [f"<root>.{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(obj)]
    return errors or cel_errors(crd.schema, obj)
