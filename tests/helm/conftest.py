"""The real helm binary (scripts/install-helm.sh), rendering helpers and schema validation for the chart
tests."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jsonpatch
import jsonschema
import kubernetes_validate
import pytest
from referencing import Registry, Resource

from sidecar.webhook import strict_yaml
from sidecar.webhook.config import InjectionConfig
from sidecar.webhook.injection import mutate_pod

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "helm" / "phi-guard"
LIBRARY = CHART / "charts" / "phi-guard-sidecar"
CI_VALUES = sorted((CHART / "ci").glob("*-values.yaml"))
KUBE_VERSIONS = ("1.29.0", "1.30.0", "1.31.0", "1.32.0", "1.33.0", "1.34.0", "1.35.0")
RELEASE, NAMESPACE = "rel", "phi-guard"


def find_helm() -> Path | None:
    for candidate in (
        os.environ.get("PHI_GUARD_HELM"),
        ROOT / ".tools" / "bin" / "helm",
        ROOT / ".venv" / "bin" / "helm",
        shutil.which("helm"),
    ):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def helm_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for helm: a dummy kubeconfig (never localhost:8080) and private cache/config dirs."""
    home = tmp_path_factory.mktemp("helm-home")
    kubeconfig = home / "kubeconfig"
    kubeconfig.write_text(
        "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n", encoding="utf-8"
    )
    return {
        **os.environ,
        "KUBECONFIG": str(kubeconfig),
        "HELM_CACHE_HOME": str(home / "cache"),
        "HELM_CONFIG_HOME": str(home / "config"),
        "HELM_DATA_HOME": str(home / "data"),
    }


@pytest.fixture(scope="session")
def helm() -> Path:
    found = find_helm()
    if found is None:  # install the pinned binary the way CI does; failing to is a test failure, not a skip
        subprocess.run(["bash", str(ROOT / "scripts" / "install-helm.sh")], check=True, timeout=300)
        found = find_helm()
    assert found is not None, "helm not found after scripts/install-helm.sh"
    return found


HelmRun = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def run_helm(helm: Path, helm_env: dict[str, str]) -> HelmRun:
    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        out = subprocess.run([str(helm), *args], capture_output=True, text=True, env=helm_env, timeout=120)
        if check and out.returncode != 0:
            raise AssertionError(f"helm {' '.join(args)} failed:\n{out.stderr}")
        return out

    return run


Render = Callable[..., list[dict[str, Any]]]


@pytest.fixture(scope="session")
def render(run_helm: HelmRun) -> Render:
    """``render(values_files, set_values, kube_version)`` -> the rendered documents."""

    cache: dict[tuple[str, ...], str] = {}

    def _render(
        values_files: Sequence[Path] = (),
        sets: Sequence[str] = (),
        kube_version: str = "1.33.0",
        chart: Path = CHART,
        fresh: bool = False,
    ) -> list[dict[str, Any]]:
        args = ["template", RELEASE, str(chart), "--namespace", NAMESPACE, "--kube-version", kube_version]
        for f in values_files:
            args += ["-f", str(f)]
        for s in sets:
            args += ["--set", s]
        key = tuple(args)
        if fresh or key not in cache:  # the same render is reused across tests (helm start-up is ~1 s here)
            cache[key] = run_helm(*args).stdout
        return [d for d in strict_yaml.load_all(cache[key]) if d]

    return _render


def validate_cert_manager(doc: dict[str, Any]) -> None:
    """cert-manager kinds against cert-manager's own (generated) models; unknown fields are errors."""
    from cloudcoil.models.cert_manager import v1

    model = {"Certificate": v1.Certificate, "Issuer": v1.Issuer, "ClusterIssuer": v1.ClusterIssuer}[
        doc["kind"]
    ]
    parsed = model.model_validate(doc)
    round_trip = parsed.model_dump(by_alias=True, exclude_unset=True, mode="json")
    assert round_trip == doc, f"{doc['kind']} has fields cert-manager does not define"


@functools.lru_cache(maxsize=256)
def _validator(kube_version: str, kind: str, api_version: str) -> jsonschema.protocols.Validator:
    """kubernetes-validate's strict schema for one kind, built once (its own validate() rebuilds it per
    call)."""
    from kubernetes_validate import utils

    version = [v for v in utils.all_versions() if utils.major_minor(v) <= utils.major_minor(kube_version)][-1]
    schema_dir = f"v{version}-local-strict"
    group = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    try:
        schema = utils.schema_contents(
            f"kubernetes-json-schema/{schema_dir}/{kind.lower()}-{group}.json", kube_version
        )
    except FileNotFoundError:
        raise kubernetes_validate.SchemaNotFoundError(
            version=kube_version, kind=kind, api_version=api_version
        ) from None
    defs = utils.schema_contents(f"kubernetes-json-schema/{schema_dir}/_definitions.json", kube_version)
    registry = Resource.from_contents(defs) @ (Resource.from_contents(schema) @ Registry())
    return jsonschema.validators.Draft202012Validator(schema, registry=registry)


def validate_doc(doc: dict[str, Any], kube_version: str) -> None:
    """Strict validation (as ``kubernetes-validate --strict``); a kind with no schema at all is a failure."""
    if doc.get("apiVersion") == "cert-manager.io/v1":
        validate_cert_manager(doc)
        return
    _validator(kube_version, doc["kind"], doc["apiVersion"]).validate(doc)


def by_kind(docs: list[dict[str, Any]], kind: str, name_suffix: str = "") -> list[dict[str, Any]]:
    return [d for d in docs if d["kind"] == kind and d["metadata"]["name"].endswith(name_suffix)]


def one(docs: list[dict[str, Any]], kind: str, name_suffix: str = "") -> dict[str, Any]:
    found = by_kind(docs, kind, name_suffix)
    assert len(found) == 1, (
        f"expected one {kind} *{name_suffix}, got {[d['metadata']['name'] for d in found]}"
    )
    return found[0]


def injector(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """The injection webhook's sidecar configuration (as a dict) from the rendered ConfigMap."""
    return dict(strict_yaml.load(one(docs, "ConfigMap", "-webhook-injector")["data"]["sidecar.yaml"]))


def injected_pod(cfg: InjectionConfig) -> dict[str, Any]:
    """A one-container model pod in namespace ``ml`` after the webhook's patch with ``cfg``."""
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "llm", "namespace": "ml"},
        "spec": {
            "containers": [
                {"name": "model", "image": "m:1", "ports": [{"name": "http", "containerPort": 8000}]}
            ]
        },
    }
    return dict(jsonpatch.apply_patch(pod, mutate_pod(pod, "ml", cfg).patch))
