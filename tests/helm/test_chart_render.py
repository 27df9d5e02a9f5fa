"""helm lint --strict and helm template (the real binary) over the values matrix in helm/phi-guard/ci, every
rendered manifest validated for Kubernetes 1.29-1.33, the schema's refusals, and the chart's wiring."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml
from cryptography import x509

from sidecar.config import load_settings
from sidecar.webhook import strict_yaml
from sidecar.webhook.config import InjectionConfig

from .conftest import (
    CHART,
    CI_VALUES,
    KUBE_VERSIONS,
    NAMESPACE,
    ROOT,
    HelmRun,
    Render,
    by_kind,
    injected_pod,
    injector,
    one,
    validate_doc,
)

WEBHOOK_FIXTURE = ROOT / "tests" / "webhook" / "fixtures" / "sidecar.yaml"
OPA_DIR = ROOT / "opa"
ids = [p.name.removesuffix("-values.yaml") for p in CI_VALUES]


def pod_specs(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        d["spec"]["template"]["spec"] for d in docs if d["kind"] in ("Deployment", "StatefulSet", "DaemonSet")
    ]


@pytest.mark.parametrize("values", CI_VALUES, ids=ids)
def test_helm_lint_strict(values: Path, run_helm: HelmRun) -> None:
    out = run_helm("lint", "--strict", str(CHART), "-f", str(values), "--namespace", NAMESPACE)
    assert "0 chart(s) failed" in out.stdout


@pytest.mark.parametrize("values", CI_VALUES, ids=ids)
def test_rendered_manifests_are_valid(values: Path, render: Render) -> None:
    """Rendered for the oldest supported API server (Chart.yaml kubeVersion admits it; the output does not
    depend on the version) and validated strictly against every minor from 1.29 to 1.33."""
    docs = render([values], kube_version=KUBE_VERSIONS[0])
    assert docs
    for kube_version in KUBE_VERSIONS:
        for doc in docs:
            validate_doc(doc, kube_version)


def test_chart_refuses_unsupported_kubernetes(run_helm: HelmRun) -> None:
    out = run_helm("template", "rel", str(CHART), "--kube-version", "1.28.9", check=False)
    assert out.returncode != 0 and "kubeVersion" in out.stderr


def test_schema_validation_catches_mistakes() -> None:
    """The validator used above is not a no-op: a misspelt field and an unknown kind fail."""
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "x"},
        "spec": {"selector": {}, "template": {"spec": {"containers": [{"name": "c", "imagee": "i"}]}}},
    }
    with pytest.raises(jsonschema.ValidationError):
        validate_doc(deployment, "1.29.0")
    with pytest.raises(kubernetes_validate.SchemaNotFoundError):
        validate_doc({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "x"}}, "1.33.0")
    certificate = {
        "apiVersion": "cert-manager.io/v1",
        "kind": "Certificate",
        "metadata": {"name": "x"},
        "spec": {"secretName": "s", "issuerRef": {"name": "i"}, "dnsName": ["typo"]},
    }
    with pytest.raises(AssertionError):
        validate_doc(certificate, "1.29.0")


def test_kubernetes_validate_cli_is_clean(render: Render, tmp_path: Path) -> None:
    """The CLI as CI runs it: exit 0 and no warning (it only warns, exit 0, on kinds it has no schema for)."""
    docs = render([CHART / "ci" / "sidecar-values.yaml"])
    manifest = tmp_path / "rendered.yaml"
    manifest.write_text(yaml.safe_dump_all(docs), encoding="utf-8")
    for version in ("1.29", "1.33", "1.35"):
        out = subprocess.run(
            [
                str(Path(sys.executable).parent / "kubernetes-validate"),
                "--strict",
                "-k",
                version,
                str(manifest),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stdout + out.stderr
        assert "WARN" not in out.stdout + out.stderr and "ERROR" not in out.stdout + out.stderr
        assert out.stdout.count(" passed for resource ") == len(docs)


@pytest.mark.parametrize(
    ("sets", "expected"),
    [
        (["bogus=1"], "bogus"),
        (["sidecar.modelPort=8443"], "must differ"),
        (["gateway.enabled=true"], "/audit/kmsKeyId"),
        (["policy.engine=opa"], "/opa/enabled"),
        (["sidecar.tls.secretName="], "/sidecar/tls/secretName"),
    ],
    ids=lambda v: v[0] if isinstance(v, list) else None,
)
def test_helm_refuses_bad_values(sets: list[str], expected: str, run_helm: HelmRun) -> None:
    args = ["template", "rel", str(CHART)]
    for s in sets:
        args += ["--set", s]
    out = run_helm(*args, check=False)
    assert out.returncode != 0
    assert expected in out.stderr


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"webhook": {"tls": {"mode": "selfsigned"}}}, "webhook.tls.mode"),
        ({"gateway": {"upstream": {"url": "ftp://x"}}}, "gateway.upstream.url"),
        ({"sidecar": {"envoyPort": 0}}, "sidecar.envoyPort"),
        ({"injection": {"namespaces": ["ml"]}}, "audit.kmsKeyId"),
        ({"audit": {"keyProvider": "local"}}, "audit.keySecret"),
        ({"injection": {"failurePolicy": "Maybe"}}, "injection.failurePolicy"),
        ({"image": {"digest": "latest"}}, "image.digest"),
        (
            {"injection": {"namespaces": ["Not_A_Namespace"]}, "audit": {"kmsKeyId": "k"}},
            "injection.namespaces",
        ),
        ({"webhook": {"resources": {"limits": {"memory": "lots"}}}}, "webhook.resources.limits.memory"),
        ({"gateway": {"upstream": {"credentialFormat": "Bearer"}}}, "gateway.upstream.credentialFormat"),
    ],
)
def test_values_schema_refuses(change: dict[str, Any], path: str) -> None:
    """The schema itself (helm applies the same file, as test_helm_refuses_bad_values shows)."""

    def merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
        for k, v in b.items():
            a[k] = merge(dict(a.get(k) or {}), v) if isinstance(v, dict) else v
        return a

    schema = json.loads((CHART / "values.schema.json").read_text(encoding="utf-8"))
    defaults = strict_yaml.load((CHART / "values.yaml").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    assert not list(validator.iter_errors(defaults))
    errors = list(validator.iter_errors(merge(defaults, change)))
    assert errors
    flat = [".".join(str(p) for p in e.absolute_path) for e in errors]
    flat += [".".join(str(p) for p in c.absolute_path) for e in errors for c in (e.context or [])]
    assert any(f == path or f.startswith(path) or path.startswith(f) and f for f in flat), flat


def _comparable(sidecar: dict[str, Any]) -> dict[str, Any]:
    """The injector config without what legitimately follows the policy files (their list and the
    revision)."""
    doc = json.loads(json.dumps(sidecar))
    doc.pop("revision", None)
    for v in doc["volumes"]:
        if v["name"] == "phi-guard-policy":
            v["configMap"].pop("items", None)
    return dict(doc)


def test_webhook_test_fixture_matches_the_chart(render: Render) -> None:
    rendered = injector(render())
    if os.environ.get("PHI_GUARD_UPDATE_GOLDEN") == "1":
        header = "".join(
            line
            for line in WEBHOOK_FIXTURE.read_text(encoding="utf-8").splitlines(True)
            if line.startswith("#")
        )
        WEBHOOK_FIXTURE.write_text(header + yaml.safe_dump(rendered, sort_keys=True), encoding="utf-8")
    fixture = strict_yaml.load(WEBHOOK_FIXTURE.read_text(encoding="utf-8"))
    assert _comparable(rendered) == _comparable(fixture), (
        "tests/webhook/fixtures/sidecar.yaml is stale: rerun with PHI_GUARD_UPDATE_GOLDEN=1 and "
        "review the diff"
    )


def _policy_files() -> dict[str, bytes]:
    return {
        str(p.relative_to(OPA_DIR)): p.read_bytes()
        for p in sorted(OPA_DIR.rglob("*"))
        if p.is_file() and p.suffix in (".rego", ".json")
    }


def _mount_configmap(cm: dict[str, Any], items: list[dict[str, str]] | None, target: Path) -> None:
    """Lay out files the way the kubelet's atomic writer mounts a ConfigMap (..data symlink, user-visible
    links)."""
    stamp = target / "..2026_01_01_00_00_00.000000001"
    for item in items or [{"key": k, "path": k} for k in cm["data"]]:
        path = stamp / item["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(cm["data"][item["key"]], encoding="utf-8")
    (target / "..data").symlink_to(stamp.name)
    for top in {Path(i["path"]).parts[0] for i in items or [{"path": k} for k in cm["data"]]}:
        (target / top).symlink_to(Path("..data") / top)


def test_policy_configmap_is_the_opa_directory(render: Render) -> None:
    files = _policy_files()
    assert files, "opa/ holds no policy"
    docs = render([CHART / "ci" / "sidecar-values.yaml"])
    policy_maps = by_kind(docs, "ConfigMap", "-policy")
    assert {d["metadata"]["namespace"] for d in policy_maps} == {"ml", "research"}
    cm = policy_maps[0]
    items = next(v for v in injector(docs)["volumes"] if v["name"] == "phi-guard-policy")["configMap"][
        "items"
    ]
    assert {i["path"] for i in items} == set(files)
    assert {i["path"]: cm["data"][i["key"]].encode() for i in items} == files
    # the library chart derives the same items from the keys alone (when it finds the ConfigMap at
    # install time)
    assert all(i["path"] == i["key"].replace("__", "/") for i in items)


def test_guard_reads_the_policy_as_the_kubelet_mounts_it(render: Render, tmp_path: Path) -> None:
    """Depends on sidecar/policy/bundle.py following the kubelet's symlinked directories (see the report)."""
    from sidecar.policy.bundle import load_source

    docs = render([CHART / "ci" / "sidecar-values.yaml"])
    cm = by_kind(docs, "ConfigMap", "-policy")[0]
    items = next(v for v in injector(docs)["volumes"] if v["name"] == "phi-guard-policy")["configMap"][
        "items"
    ]
    mounted = tmp_path / "policy"
    mounted.mkdir()
    _mount_configmap(cm, items, mounted)
    loaded, shipped = load_source(mounted), load_source(OPA_DIR)
    assert len(loaded.modules) == len(shipped.modules) and loaded.data == shipped.data
    assert loaded.version == shipped.version


@pytest.mark.parametrize(
    "values",
    [
        "sidecar-values.yaml",
        "gateway-values.yaml",
        "certmanager-opa-values.yaml",
        "site-vocabulary-values.yaml",
    ],
)
def test_guard_configurations_load(values: str, render: Render, tmp_path: Path) -> None:
    docs = render([CHART / "ci" / values])
    configs = [
        d
        for d in by_kind(docs, "ConfigMap")
        if "config.yaml" in d.get("data", {})
        and d["metadata"]["name"].endswith(("-sidecar", "-gateway-config"))
    ]
    assert configs
    for cm in configs:
        path = tmp_path / f"{cm['metadata']['namespace']}-{cm['metadata']['name']}.yaml"
        path.write_text(cm["data"]["config.yaml"], encoding="utf-8")
        settings = load_settings(path, environ={})
        assert settings.server.grpc_uds == "/var/run/phi-guard/grpc.sock"
        assert settings.server.admin_host == "127.0.0.1"
        assert settings.policy.directory == "/etc/phi-guard/policy"
        assert settings.state_dir == "/var/lib/phi-guard"


def _verify_issued_by(cert_pem: bytes, ca_pem: bytes) -> x509.Certificate:
    cert, ca = x509.load_pem_x509_certificate(cert_pem), x509.load_pem_x509_certificate(ca_pem)
    cert.verify_directly_issued_by(ca)
    return cert


def test_webhook_tls_and_registration_helm_mode(render: Render, tmp_path: Path) -> None:
    docs = render()
    mwc = one(docs, "MutatingWebhookConfiguration")
    secret = one(docs, "Secret", "-webhook-ca")
    service = one(docs, "Service", "-webhook")
    deploy = one(docs, "Deployment", "-webhook")
    ca_pem = base64.b64decode(secret["data"]["ca.crt"])
    ca = x509.load_pem_x509_certificate(ca_pem)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert (ca.not_valid_after_utc - ca.not_valid_before_utc).days >= 3649  # the CA outlives many leaves
    assert secret["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"
    # the CA is looked up, not regenerated, on upgrades (stable caBundle)
    template = (CHART / "templates" / "webhook.yaml").read_text(encoding="utf-8")
    assert 'lookup "v1" "Secret" $ns $caSecret' in template
    assert len(mwc["webhooks"]) == 2
    for hook in mwc["webhooks"]:
        assert base64.b64decode(hook["clientConfig"]["caBundle"]) == ca_pem
        assert hook["clientConfig"]["service"] == {
            "name": service["metadata"]["name"],
            "namespace": NAMESPACE,
            "path": "/mutate",
            "port": 443,
        }
        assert hook["failurePolicy"] == "Fail" and hook["sideEffects"] == "None"
        assert hook["admissionReviewVersions"] == ["v1"]
        excluded = next(
            e
            for e in hook["namespaceSelector"]["matchExpressions"]
            if e["key"] == "kubernetes.io/metadata.name"
        )
        assert {"kube-system", "kube-public", "kube-node-lease", NAMESPACE} <= set(excluded["values"])
    pod = deploy["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert volumes["tls"]["secret"]["secretName"] == secret["metadata"]["name"]
    assert deploy["spec"]["template"]["metadata"]["annotations"]["checksum/ca"]
    args = pod["containers"][0]["args"]
    assert args[0] == "webhook" and "--sidecar-config=/etc/phi-guard/injector/sidecar.yaml" in args
    assert "--tls-ca-cert=/etc/phi-guard/tls/ca.crt" in args and "--leaf-days=30" in args
    names = next(a for a in args if a.startswith("--tls-dns-names=")).split("=", 1)[1].split(",")
    assert f"{service['metadata']['name']}.{NAMESPACE}.svc" in names
    # what the webhook does with it at start-up: a leaf from the CA, for the Service's names
    from sidecar.webhook.certs import issue_leaf

    (tmp_path / "ca.crt").write_bytes(ca_pem)
    (tmp_path / "ca.key").write_bytes(base64.b64decode(secret["data"]["ca.key"]))
    leaf = issue_leaf(tmp_path / "ca.crt", tmp_path / "ca.key", names, tmp_path / "leaf", days=30)
    cert = _verify_issued_by(leaf.cert.read_bytes(), ca_pem)
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
        x509.DNSName
    )
    assert f"{service['metadata']['name']}.{NAMESPACE}.svc" in san
    # injection's excluded namespaces and the MutatingWebhookConfiguration's agree
    assert set(injector(docs)["excludedNamespaces"]) == set(excluded["values"])


def test_webhook_tls_cert_manager_mode_ca_chain(render: Render) -> None:
    """Self-signed Issuer -> CA Certificate -> CA Issuer -> serving Certificate; the caBundle comes from the CA,
    so renewing the serving certificate does not change it."""
    docs = render([CHART / "ci" / "certmanager-opa-values.yaml"])
    mwc = one(docs, "MutatingWebhookConfiguration")
    ca_cert = one(docs, "Certificate", "-webhook-ca")
    leaf = one(docs, "Certificate", "-webhook")
    selfsigned = one(docs, "Issuer", "-selfsigned")
    ca_issuer = one(docs, "Issuer", "-webhook-ca")
    assert not by_kind(docs, "Secret")
    assert selfsigned["spec"] == {"selfSigned": {}}
    assert ca_cert["spec"]["isCA"] is True
    assert ca_cert["spec"]["issuerRef"]["name"] == selfsigned["metadata"]["name"]
    assert ca_issuer["spec"]["ca"]["secretName"] == ca_cert["spec"]["secretName"]
    assert leaf["spec"]["issuerRef"]["name"] == ca_issuer["metadata"]["name"]
    assert "isCA" not in leaf["spec"]
    ns_name = f"{ca_cert['metadata']['namespace']}/{ca_cert['metadata']['name']}"
    assert mwc["metadata"]["annotations"]["cert-manager.io/inject-ca-from"] == ns_name
    assert all("caBundle" not in h["clientConfig"] for h in mwc["webhooks"])
    deploy = one(docs, "Deployment", "-webhook")
    tls = next(v for v in deploy["spec"]["template"]["spec"]["volumes"] if v["name"] == "tls")
    assert tls["secret"]["secretName"] == leaf["spec"]["secretName"]
    args = deploy["spec"]["template"]["spec"]["containers"][0]["args"]
    assert "--tls-cert=/etc/phi-guard/tls/tls.crt" in args


def test_webhook_tls_cert_manager_with_own_issuer(render: Render) -> None:
    docs = render([CHART / "ci" / "certmanager-issuer-values.yaml"])
    mwc = one(docs, "MutatingWebhookConfiguration")
    certificate = one(docs, "Certificate")
    assert not by_kind(docs, "Issuer")
    assert certificate["spec"]["issuerRef"]["name"] == "internal-ca"
    ns_name = f"{certificate['metadata']['namespace']}/{certificate['metadata']['name']}"
    assert mwc["metadata"]["annotations"]["cert-manager.io/inject-ca-from"] == ns_name


@pytest.mark.parametrize("values", CI_VALUES, ids=ids)
def test_restricted_security_and_sane_resources(values: Path, render: Render) -> None:
    docs = render([values])
    specs = pod_specs(docs)
    sidecar = injector(docs) if by_kind(docs, "MutatingWebhookConfiguration") else None
    if sidecar:
        specs.append(
            {
                "initContainers": sidecar["initContainers"],
                "containers": sidecar["containers"],
                "volumes": sidecar["volumes"],
                "automountServiceAccountToken": False,
                "securityContext": {"runAsNonRoot": True},
            }
        )
    assert specs
    for spec in specs:
        # only the webhook holds a token: it checks that namespaces hold what the sidecar mounts
        assert spec["automountServiceAccountToken"] is str(spec.get("serviceAccountName")).endswith("-webhook")
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert not any("hostPath" in v for v in spec.get("volumes", []))
        assert not spec.get("hostNetwork") and not spec.get("hostPID")
        for c in spec.get("initContainers", []) + spec["containers"]:
            sc = c["securityContext"]
            assert (
                sc["runAsNonRoot"]
                and sc["readOnlyRootFilesystem"]
                and sc["allowPrivilegeEscalation"] is False
            )
            assert sc["capabilities"]["drop"] == ["ALL"] and sc["seccompProfile"]["type"] == "RuntimeDefault"
            assert {"cpu", "memory"} <= c["resources"]["limits"].keys()
            assert {"cpu", "memory"} <= c["resources"]["requests"].keys()
            assert ":latest" not in c["image"] and (":" in c["image"] or "@sha256:" in c["image"])
            if c["name"] != "phi-guard-envoy-config":
                assert {"readinessProbe", "livenessProbe"} <= c.keys(), c["name"]
    text = yaml.safe_dump_all(docs).lower()
    assert "aws_access_key_id" not in text and "aws_secret_access_key" not in text


def test_gateway_mode(render: Render) -> None:
    docs = render([CHART / "ci" / "gateway-values.yaml"])
    assert not by_kind(docs, "MutatingWebhookConfiguration")
    deploy, service = one(docs, "Deployment", "-gateway"), one(docs, "Service", "-gateway")
    spec = deploy["spec"]["template"]["spec"]
    assert [c["name"] for c in spec["containers"]] == ["phi-guard-envoy", "phi-guard"]
    envoy = spec["containers"][0]
    assert service["spec"]["ports"][0]["targetPort"] == envoy["ports"][0]["name"] == "phi-guard-http"
    assert envoy["ports"][0]["containerPort"] == 8080
    assert deploy["spec"]["template"]["metadata"]["labels"]["phi-guard.io/inject"] == "false"
    sa = one(docs, "ServiceAccount")
    assert sa["metadata"]["annotations"] == {
        "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/phi-guard-audit"
    }
    assert spec["serviceAccountName"] == sa["metadata"]["name"]
    volumes = {v["name"]: v for v in spec["volumes"]}
    assert volumes["phi-guard-upstream-credential"]["secret"]["secretName"] == "openai"
    assert volumes["phi-guard-tls"]["secret"]["secretName"] == "gateway-tls"
    config = strict_yaml.load(one(docs, "ConfigMap", "-gateway-config")["data"]["config.yaml"])
    assert config["upstreams"][0]["url"] == "https://api.openai.com"
    assert config["upstreams"][0]["credential_file"] == "/var/run/secrets/phi-guard/upstream/credential"
    assert config["envoy"]["https_port"] == 8080 and config["envoy"]["tls"]["cert_chain"].startswith(
        "/etc/phi-guard/tls/"
    )
    pdb = one(docs, "PodDisruptionBudget", "-gateway")
    assert pdb["spec"]["selector"]["matchLabels"] == deploy["spec"]["selector"]["matchLabels"]
    netpol = one(docs, "NetworkPolicy", "-gateway")
    assert netpol["spec"]["ingress"][0]["ports"] == [{"port": 8080, "protocol": "TCP"}]
    assert netpol["spec"]["ingress"][0]["from"][0]["namespaceSelector"]["matchLabels"]
    egress_ports = {p["port"] for rule in netpol["spec"]["egress"] for p in rule["ports"]}
    assert egress_ports == {53, 443}


def test_webhook_network_policy_allows_only_the_api_server(render: Render) -> None:
    netpol = one(render(), "NetworkPolicy", "-webhook")
    assert netpol["spec"]["policyTypes"] == ["Ingress", "Egress"]
    api_ports = [{"port": p, "protocol": "TCP"} for p in (443, 6443, 8443)]
    assert netpol["spec"]["egress"] == [{"ports": api_ports}]
    assert netpol["spec"]["ingress"] == [{"ports": [{"port": 8443, "protocol": "TCP"}]}]
    off = render(sets=["injection.checkObjects=false"])
    assert one(off, "NetworkPolicy", "-webhook")["spec"]["egress"] == []
    assert one(off, "Deployment", "-webhook")["spec"]["template"]["spec"]["automountServiceAccountToken"] is False
    assert not by_kind(off, "ClusterRole")


def test_tls_secret_reused_on_upgrade_when_lookup_finds_it(render: Render) -> None:
    """Offline, lookup finds nothing: each render makes a fresh CA; the caBundle always matches its Secret."""
    a, b = render(fresh=True), render(fresh=True)
    ca_a = one(a, "Secret", "-webhook-ca")["data"]["ca.crt"]
    assert ca_a != one(b, "Secret", "-webhook-ca")["data"]["ca.crt"]
    assert one(a, "MutatingWebhookConfiguration")["webhooks"][0]["clientConfig"]["caBundle"] == ca_a


INJECTING = [p for p in CI_VALUES if "injection:\n  enabled: false" not in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("values", INJECTING, ids=[p.name.removesuffix("-values.yaml") for p in INJECTING])
def test_every_injector_configuration_yields_valid_pods(values: Path, render: Render) -> None:
    """Each values file's webhook configuration (OPA, plain HTTP, plain containers) injects valid pods."""
    docs = render([values], kube_version=KUBE_VERSIONS[0])
    assert len(INJECTING) == len(CI_VALUES) - 1
    cfg = InjectionConfig.model_validate(injector(docs))
    patched = injected_pod(cfg)
    for version in KUBE_VERSIONS:
        validate_doc(patched, version)
    names = {c["name"] for c in patched["spec"]["containers"] + patched["spec"]["initContainers"]}
    assert cfg.container_names <= names
    assert ("phi-guard-opa" in names) == ("opa-values" in values.name)
