"""Every shipped Istio and Envoy Gateway resource against its project's schema, unknown fields refused
(schemas/README.md says where each schema comes from)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sidecar.webhook import strict_yaml

from .conftest import ROOT

SCHEMAS = Path(__file__).parent / "schemas"
SHIPPED = ("envoy/istio/envoyfilter.yaml", "envoy/gateway/policies.yaml")


def _schemas() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for path in SCHEMAS.glob("*.json"):
        for kind, schema in json.loads(path.read_text(encoding="utf-8")).items():
            if not kind.startswith("$"):
                out[kind] = schema
    return out


def validate(doc: dict[str, Any]) -> None:
    schemas = _schemas()
    assert doc["kind"] in schemas, f"no schema for {doc['kind']}: every shipped kind must be validated"
    jsonschema.Draft202012Validator(schemas[doc["kind"]]).validate(doc)


def _shipped() -> list[dict[str, Any]]:
    docs = []
    for rel in SHIPPED:
        docs += [d for d in strict_yaml.load_all((ROOT / rel).read_text(encoding="utf-8")) if d]
    return docs


@pytest.mark.parametrize("doc", _shipped(), ids=lambda d: d["kind"])
def test_shipped_resources_match_their_schema(doc: dict[str, Any]) -> None:
    validate(doc)


def test_every_shipped_kind_is_covered() -> None:
    kinds = {d["kind"] for d in _shipped()}
    assert kinds == {"EnvoyFilter", "SecurityPolicy", "EnvoyExtensionPolicy", "ReferenceGrant"}


def _policy(kind: str) -> dict[str, Any]:
    return copy.deepcopy(next(d for d in _shipped() if d["kind"] == kind))


def test_the_schemas_refuse_what_a_real_server_refuses() -> None:  # controls: each oracle can fail
    eep = _policy("EnvoyExtensionPolicy")
    proc = eep["spec"]["extProc"][0]
    proc["metadataOptions"] = {"forwardingNamespaces": {"untyped": ["envoy.filters.http.ext_authz"]}}
    with pytest.raises(jsonschema.ValidationError, match="metadataOptions"):
        validate(eep)
    eep = _policy("EnvoyExtensionPolicy")
    eep["spec"]["extProc"][0]["metadata"]["writableNamespaces"] = ["envoy.filters.http.ext_authz"]
    with pytest.raises(jsonschema.ValidationError):
        validate(eep)
    sp = _policy("SecurityPolicy")
    sp["spec"]["extAuth"]["grpc"]["backendRefs"][0]["portt"] = 9001
    with pytest.raises(jsonschema.ValidationError, match="portt"):
        validate(sp)
    ef = _policy("EnvoyFilter")
    ef["spec"]["configPatches"][0]["match"]["context"] = "SIDECAR_IN"
    with pytest.raises(jsonschema.ValidationError):
        validate(ef)
    ef = _policy("EnvoyFilter")
    ef["spec"]["configPatches"][0]["match"]["proxy"]["version"] = "1.24"
    with pytest.raises(jsonschema.ValidationError, match="version"):
        validate(ef)
    grant = _policy("ReferenceGrant")
    del grant["spec"]["to"]
    with pytest.raises(jsonschema.ValidationError):
        validate(grant)
