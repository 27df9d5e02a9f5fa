"""Rendered manifests must not repeat a mapping key (kustomize, Flux post-renderers and kubeconform refuse them;
PyYAML would silently keep the last one, so every chart test loads YAML with the strict loader)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sidecar.webhook import strict_yaml
from sidecar.webhook.config import InjectionConfigError, load_injection_config

from .conftest import CHART, CI_VALUES, NAMESPACE, RELEASE, HelmRun


def test_strict_loader_refuses_a_repeated_key() -> None:  # the control: the oracle can fail
    with pytest.raises(strict_yaml.DuplicateKeyError, match="app.kubernetes.io/name"):
        strict_yaml.load("labels:\n  app.kubernetes.io/name: a\n  app.kubernetes.io/name: b\n")
    assert strict_yaml.load("a: {b: 1}\nc: [1, 2]\n") == {"a": {"b": 1}, "c": [1, 2]}


@pytest.mark.parametrize("values", CI_VALUES, ids=lambda p: p.name)
def test_rendered_chart_has_no_duplicate_keys(run_helm: HelmRun, values: Path) -> None:
    out = run_helm("template", RELEASE, str(CHART), "--namespace", NAMESPACE, "-f", str(values)).stdout
    docs = [d for d in strict_yaml.load_all(out) if d]
    assert docs
    for doc in docs:
        if doc["kind"] == "Deployment":
            labels = doc["spec"]["template"]["metadata"]["labels"]
            selector = doc["spec"]["selector"]["matchLabels"]
            assert selector.items() <= labels.items(), doc["metadata"]["name"]


def test_injector_config_with_a_repeated_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sidecar.yaml"
    path.write_text("envoyPort: 8443\nenvoyPort: 9443\nmodelPort: 8000\ncontainers: [{name: a}]\n")
    with pytest.raises(InjectionConfigError, match="duplicate key"):
        load_injection_config(path)
