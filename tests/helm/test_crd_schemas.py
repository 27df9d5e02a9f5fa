"""Every shipped Istio, Envoy Gateway and Gateway API resource against the projects' published CRDs (vendored in
schemas/crds, provenance in schemas/README.md): defaults, unknown fields refused, CEL rules evaluated."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from sidecar.envoy_config import dropins
from sidecar.envoy_config.settings import GATEWAY_ERROR_STATUSES, EnvoySettings
from sidecar.webhook import strict_yaml

from .conftest import ROOT
from .crd_validation import CrdVersion, cel_errors, closed, load_crds, validation_errors

CRDS = Path(__file__).parent / "schemas" / "crds"
SHIPPED = ("envoy/istio/envoyfilter.yaml", "envoy/gateway/policies.yaml")


@functools.cache
def crds() -> dict[tuple[str, str], CrdVersion]:
    return load_crds(CRDS)


def errors(doc: dict[str, Any]) -> list[str]:
    return validation_errors(crds(), doc)


def _shipped() -> list[dict[str, Any]]:
    docs = []
    for rel in SHIPPED:
        docs += [d for d in strict_yaml.load_all((ROOT / rel).read_text(encoding="utf-8")) if d]
    return docs


def _policy(kind: str) -> dict[str, Any]:
    return copy.deepcopy(next(d for d in _shipped() if d["kind"] == kind))


@pytest.mark.parametrize("doc", _shipped(), ids=lambda d: d["kind"])
def test_shipped_resources_are_admitted_by_the_published_crds(doc: dict[str, Any]) -> None:
    assert errors(doc) == []


def test_every_shipped_kind_has_a_published_crd() -> None:
    kinds = {(d["apiVersion"], d["kind"]) for d in _shipped()}
    assert kinds == {
        ("networking.istio.io/v1alpha3", "EnvoyFilter"),
        ("gateway.envoyproxy.io/v1alpha1", "SecurityPolicy"),
        ("gateway.envoyproxy.io/v1alpha1", "EnvoyExtensionPolicy"),
        ("gateway.networking.k8s.io/v1beta1", "ReferenceGrant"),
    }
    assert kinds <= set(crds()), "every shipped kind must be validated"


def test_the_vendored_crds_carry_the_fields_the_issue_is_about() -> None:
    """The vendored copies are the current API, not an old snapshot: ext_proc ``metadata`` and
    ``statusOnError`` on both filters exist, ``metadataOptions`` does not."""
    eep = crds()[("gateway.envoyproxy.io/v1alpha1", "EnvoyExtensionPolicy")].schema
    proc = eep["properties"]["spec"]["properties"]["extProc"]["items"]["properties"]
    assert {"metadata", "statusOnError", "failOpen", "processingMode"} <= set(proc)
    assert "metadataOptions" not in proc
    sp = crds()[("gateway.envoyproxy.io/v1alpha1", "SecurityPolicy")].schema
    ext_auth = sp["properties"]["spec"]["properties"]["extAuth"]["properties"]
    assert {"statusOnError", "failOpen", "timeout"} <= set(ext_auth)


def test_the_policies_fail_closed_with_the_guards_error_status() -> None:
    sp, eep = _policy("SecurityPolicy"), _policy("EnvoyExtensionPolicy")
    status = dropins.cluster_params(dropins.EnvoyParams()).guard_error_status
    assert sp["spec"]["extAuth"]["failOpen"] is False and sp["spec"]["extAuth"]["statusOnError"] == status
    [proc] = eep["spec"]["extProc"]
    assert proc["failOpen"] is False and proc["statusOnError"] == status
    assert 500 <= status <= 599


# Controls: each way the API server refuses a resource is shown to make the oracle fail.


def test_an_unknown_field_is_refused() -> None:
    eep = _policy("EnvoyExtensionPolicy")
    forwarding = {"forwardingNamespaces": {"untyped": ["envoy.filters.http.ext_authz"]}}
    eep["spec"]["extProc"][0]["metadataOptions"] = forwarding
    assert any("metadataOptions" in e for e in errors(eep))
    sp = _policy("SecurityPolicy")
    sp["spec"]["extAuth"]["grpc"]["backendRefs"][0]["portt"] = 9001
    assert any("portt" in e for e in errors(sp))
    ef = _policy("EnvoyFilter")
    ef["spec"]["configPatches"][0]["match"]["proxy"]["version"] = "1.24"
    assert any("version" in e for e in errors(ef))
    grant = _policy("ReferenceGrant")
    grant["spec"]["to"][0]["namespace"] = "default"
    assert any("namespace" in e for e in errors(grant))
    grant = _policy("ReferenceGrant")
    grant["metadata"]["labelz"] = {}
    assert any("labelz" in e for e in errors(grant))


def test_preserve_unknown_fields_stays_open() -> None:
    """An EnvoyFilter patch ``value`` is Envoy configuration (x-kubernetes-preserve-unknown-fields): any field
    is admitted there (tests/envoy/test_render.py parses it with Envoy's protos)."""
    ef = _policy("EnvoyFilter")
    ef["spec"]["configPatches"][0]["patch"]["value"]["anything_envoy_knows"] = {"x": 1}
    assert errors(ef) == []


def test_enums_patterns_and_bounds_are_enforced() -> None:
    ef = _policy("EnvoyFilter")
    ef["spec"]["configPatches"][0]["match"]["context"] = "SIDECAR_IN"
    assert errors(ef)
    sp = _policy("SecurityPolicy")
    sp["spec"]["extAuth"]["statusOnError"] = 509  # not in Envoy Gateway's enum
    assert any("509" in e for e in errors(sp))
    sp = _policy("SecurityPolicy")
    sp["spec"]["extAuth"]["timeout"] = "2 seconds"
    assert errors(sp)
    eep = _policy("EnvoyExtensionPolicy")
    eep["spec"]["extProc"][0]["backendRefs"][0]["port"] = 70000
    assert errors(eep)
    grant = _policy("ReferenceGrant")
    del grant["spec"]["to"]
    assert errors(grant)


def test_cel_rules_are_evaluated() -> None:
    eep = _policy("EnvoyExtensionPolicy")
    eep["spec"]["extProc"][0]["metadata"]["writableNamespaces"] = ["envoy.filters.http.ext_authz"]
    assert any("writableNamespaces cannot contain" in e for e in errors(eep))
    eep = _policy("EnvoyExtensionPolicy")
    eep["spec"]["extProc"][0]["backendRefs"][0].pop("port")  # the defaulted kind Service needs a port
    assert any("Must have port for Service reference" in e for e in errors(eep))
    sp = _policy("SecurityPolicy")
    sp["spec"]["extAuth"].pop("grpc")
    assert any("one of grpc or http must be specified" in e for e in errors(sp))
    sp = _policy("SecurityPolicy")
    sp["spec"]["targetRefs"][0]["kind"] = "Service"
    assert any("targetRefs[*].kind" in e for e in errors(sp))
    ef = _policy("EnvoyFilter")
    ef["spec"]["targetRefs"] = [{"kind": "Gateway", "name": "eg"}]
    assert any("only one of targetRefs or workloadSelector" in e for e in errors(ef))
    ef = _policy("EnvoyFilter")
    ef["spec"]["workloadSelector"]["labels"]["app"] = "*"
    assert any("wildcard is not supported" in e for e in errors(ef))


def test_defaults_are_applied_before_the_rules() -> None:
    """``group`` defaults to "" and ``kind`` to Service, so a port-less reference with neither set is refused by
    the Service-needs-port rule, as on a real server."""
    eep = _policy("EnvoyExtensionPolicy")
    ref = eep["spec"]["extProc"][0]["backendRefs"][0]
    for key in ("group", "kind", "port"):
        ref.pop(key)
    assert any("Must have port" in e for e in errors(eep))


def test_an_unevaluable_rule_fails_instead_of_passing() -> None:
    schema = {"type": "object", "x-kubernetes-validations": [{"rule": "self.noSuchFunction()", "message": "m"}]}
    assert cel_errors(schema, {}) and "could not be evaluated" in cel_errors(schema, {})[0]
    schema = {"type": "object", "x-kubernetes-validations": [{"rule": "self.a", "message": "missing"}]}
    assert cel_errors(schema, {}) != []  # an evaluation error (no such key) is a refusal


def test_closing_follows_the_structural_rules() -> None:
    schema = {
        "type": "object",
        "properties": {
            "open": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
            "map": {"type": "object", "additionalProperties": {"type": "string"}},
            "empty": {"type": "object"},
        },
    }
    out = closed(schema)
    assert out["additionalProperties"] is False
    assert "additionalProperties" not in out["properties"]["open"]
    assert out["properties"]["map"]["additionalProperties"] == {"type": "string"}
    assert out["properties"]["empty"]["additionalProperties"] is False  # no properties: every field is pruned


def test_istio_proxy_version_is_an_re2_regex_for_1_24_and_later() -> None:
    """The CRD says ``proxyVersion`` is a Go (RE2) regex; istiod matches it against the proxy's ISTIO_VERSION."""
    import re2  # google-re2, the RE2 engine Go's regexp follows

    versions = {p["match"]["proxy"]["proxyVersion"] for p in _policy("EnvoyFilter")["spec"]["configPatches"]}
    [pattern] = versions
    regex = re2.compile(pattern)
    for admitted in ("1.24", "1.24.0", "1.28.2", "1.30.0-beta.1", "1.99.1"):
        assert regex.search(admitted), admitted
    for refused in ("1.23.4", "1.2", "2.0.0", "11.24.0"):
        assert not regex.search(refused), refused


def test_every_error_status_the_settings_admit_is_in_both_crds_enum() -> None:
    """``envoy.guard_error_status`` is refused at start-up unless Envoy Gateway's CRDs admit it."""
    sp = crds()[("gateway.envoyproxy.io/v1alpha1", "SecurityPolicy")].schema
    eep = crds()[("gateway.envoyproxy.io/v1alpha1", "EnvoyExtensionPolicy")].schema
    auth_enum = set(sp["properties"]["spec"]["properties"]["extAuth"]["properties"]["statusOnError"]["enum"])
    proc_props = eep["properties"]["spec"]["properties"]["extProc"]["items"]["properties"]
    proc_enum = set(proc_props["statusOnError"]["enum"])
    assert auth_enum & proc_enum >= GATEWAY_ERROR_STATUSES
    assert {code for code in auth_enum & proc_enum if code >= 500} == GATEWAY_ERROR_STATUSES
    for code in (500, 503, 511):
        assert EnvoySettings(guard_error_status=code).guard_error_status == code
    # Control: a 5xx the CRDs do not enumerate is refused with a message naming the key.
    with pytest.raises(ValidationError, match="guard_error_status"):
        EnvoySettings(guard_error_status=509)
