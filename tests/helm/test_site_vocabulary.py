"""Issue 16: site vocabularies (siteVocabulary.*) mounted as a directory into every guard, from a ConfigMap the
operator manages or one the chart renders from values; the real helm binary, strict Kubernetes schemas."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from sidecar.webhook import strict_yaml
from sidecar.webhook.config import InjectionConfig

from .conftest import (
    CHART,
    KUBE_VERSIONS,
    LIBRARY,
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
from .test_chart_render import _comparable

VALUES = CHART / "ci" / "site-vocabulary-values.yaml"
CONSUMER = Path(__file__).parent / "consumer-chart"
FIXTURE = ROOT / "tests" / "webhook" / "fixtures" / "sidecar-site-vocabulary.yaml"
OPERATOR = ["siteVocabulary.enabled=true", "siteVocabulary.configMapName=site-vocabulary"]
MOUNT = "/etc/phi-guard/site-vocabulary"
VOLUME = "phi-guard-site-vocabulary"


def _guard(containers: list[dict[str, Any]]) -> dict[str, Any]:
    return next(c for c in containers if c["name"] == "phi-guard")


def _vocab_mounts(containers: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """container name -> its mounts of the vocabulary volume or path."""
    found = {
        c["name"]: [m for m in c.get("volumeMounts", []) if m["name"] == VOLUME or m["mountPath"] == MOUNT]
        for c in containers
    }
    return {name: mounts for name, mounts in found.items() if mounts}


def _assert_mounted(spec: dict[str, Any], configmap: str) -> None:
    """Only the guard mounts it, read-only, whole (no subPath: kubelet updates must reach it), from ``configmap``
    and every key (no items)."""
    containers = spec["containers"] + spec.get("initContainers", [])
    assert _vocab_mounts(containers) == {"phi-guard": [{"name": VOLUME, "mountPath": MOUNT, "readOnly": True}]}
    volume = next(v for v in spec["volumes"] if v["name"] == VOLUME)
    assert volume == {"name": VOLUME, "configMap": {"name": configmap}}


def _assert_absent(docs: list[dict[str, Any]]) -> None:
    text = yaml.safe_dump_all(docs)
    assert VOLUME not in text and MOUNT not in text and "site_vocabulary_dir" not in text
    assert not [d for d in by_kind(docs, "ConfigMap") if "site-vocabulary" in d["metadata"]["name"]]


def _guard_config(doc: dict[str, Any]) -> dict[str, Any]:
    return dict(strict_yaml.load(doc["data"]["config.yaml"]))


def test_files_are_rendered_and_mounted_in_sidecars_and_gateway(render: Render) -> None:
    docs = render([VALUES], kube_version=KUBE_VERSIONS[0])
    files = yaml.safe_load(VALUES.read_text(encoding="utf-8"))["siteVocabulary"]["files"]
    maps = by_kind(docs, "ConfigMap", "-site-vocabulary")
    assert {d["metadata"]["namespace"] for d in maps} == {"ml", NAMESPACE}
    assert all(d["metadata"]["name"] == "rel-phi-guard-site-vocabulary" and d["data"] == files for d in maps)
    assert set(files) == {"staff.txt", "facilities.txt", "units.txt", "streets.txt"}
    # the gateway Deployment
    gateway = one(docs, "Deployment", "-gateway")
    _assert_mounted(gateway["spec"]["template"]["spec"], "rel-phi-guard-site-vocabulary")
    # hot reload: no checksum of the vocabulary on the pod template (an edit must not roll the gateway)
    annotations = gateway["spec"]["template"]["metadata"]["annotations"]
    assert set(annotations) == {"checksum/config", "checksum/policy"}
    # both guard configurations point at the mount
    for name in ("-gateway-config", "-sidecar"):
        assert _guard_config(one(docs, "ConfigMap", name))["redaction"] == {"site_vocabulary_dir": MOUNT}
    # the injected sidecar: the patch carries the volume and the mount, and the pod is valid everywhere
    cfg = InjectionConfig.model_validate(injector(docs))
    pod = injected_pod(cfg)
    _assert_mounted(pod["spec"], "rel-phi-guard-site-vocabulary")
    for version in KUBE_VERSIONS:
        validate_doc(pod, version)
        for doc in maps + [gateway]:
            validate_doc(doc, version)


def test_operator_configmap_is_mounted_checked_and_readable_by_the_webhook(render: Render) -> None:
    docs = render([CHART / "ci" / "sidecar-values.yaml"], sets=OPERATOR)
    # the operator manages it: the chart renders no ConfigMap of that name
    assert not [d for d in by_kind(docs, "ConfigMap") if "site-vocabulary" in d["metadata"]["name"]]
    cfg = injector(docs)
    _assert_mounted(
        {"containers": cfg["containers"], "initContainers": cfg["initContainers"], "volumes": cfg["volumes"]},
        "site-vocabulary",
    )
    role = one(docs, "ClusterRole")
    configmaps = next(r for r in role["rules"] if r["resources"] == ["configmaps"])
    assert "site-vocabulary" in configmaps["resourceNames"]
    for cm in by_kind(docs, "ConfigMap", "-sidecar"):
        assert _guard_config(cm)["redaction"]["site_vocabulary_dir"] == MOUNT
    # guard.config still merges over the generated redaction section
    merged = render([CHART / "ci" / "sidecar-values.yaml"], sets=[*OPERATOR, "guard.config.redaction.id_min_digits=7"])
    assert _guard_config(by_kind(merged, "ConfigMap", "-sidecar")[0])["redaction"] == {
        "site_vocabulary_dir": MOUNT,
        "id_min_digits": 7,
    }


@pytest.mark.parametrize(
    "values",
    [[], [CHART / "ci" / "sidecar-values.yaml"], [CHART / "ci" / "gateway-values.yaml"]],
    ids=["default", "sidecar", "gateway"],
)
def test_control_disabled_mounts_nothing(values: list[Path], render: Render) -> None:
    docs = render(values)
    _assert_absent(docs)
    # the control of the control: the same oracle sees the enabled render
    with pytest.raises(AssertionError):
        _assert_absent(render(values, sets=OPERATOR))


@pytest.mark.parametrize(
    ("sets", "expected"),
    [
        (["siteVocabulary.enabled=true"], "needs siteVocabulary.configMapName"),
        ([*OPERATOR, "siteVocabulary.files.staff\\.txt=x"], "not both"),
        (["siteVocabulary.enabled=true", "siteVocabulary.files.staff=x"], "'staff.txt'"),
        (["siteVocabulary.enabled=true", "siteVocabulary.configMapName=Bad_Name"], "configMapName"),
    ],
    ids=["neither", "both", "unknown-file", "bad-name"],
)
def test_helm_refuses_bad_site_vocabulary_values(sets: list[str], expected: str, run_helm: HelmRun) -> None:
    args = ["template", "rel", str(CHART)]
    for s in sets:
        args += ["--set", s]
    out = run_helm(*args, check=False)
    assert out.returncode != 0
    assert expected in out.stderr


def test_webhook_site_vocabulary_fixture_matches_the_chart(render: Render) -> None:
    """tests/webhook uses this injector configuration (operator-managed ConfigMap) for its end-to-end checks."""
    rendered = injector(render(sets=OPERATOR))
    if os.environ.get("PHI_GUARD_UPDATE_GOLDEN") == "1":
        header = (
            "# Generated from helm/phi-guard with --set siteVocabulary.enabled=true,"
            "siteVocabulary.configMapName=site-vocabulary; do not edit.\n"
            "# tests/helm/test_site_vocabulary.py fails when it drifts; regenerate with PHI_GUARD_UPDATE_GOLDEN=1.\n"
        )
        FIXTURE.write_text(header + yaml.safe_dump(rendered, sort_keys=True), encoding="utf-8")
    fixture = strict_yaml.load(FIXTURE.read_text(encoding="utf-8"))
    assert _comparable(rendered) == _comparable(fixture), (
        "tests/webhook/fixtures/sidecar-site-vocabulary.yaml is stale: rerun with PHI_GUARD_UPDATE_GOLDEN=1"
    )


def test_library_chart_mounts_the_vocabulary_like_the_webhook(
    run_helm: HelmRun, render: Render, tmp_path: Path
) -> None:
    """Teams using the phi-guard-sidecar library set phiGuard.siteVocabularyConfigMap and get the same volume and
    guard mount as an injected pod; unset, neither."""
    chart = tmp_path / "model-server"
    shutil.copytree(CONSUMER, chart)
    deps = strict_yaml.load((chart / "Chart.yaml").read_text(encoding="utf-8"))
    deps["dependencies"][0]["repository"] = f"file://{LIBRARY}"
    (chart / "Chart.yaml").write_text(yaml.safe_dump(deps), encoding="utf-8")
    run_helm("dependency", "build", str(chart))
    built = one(render(chart=chart, sets=["phiGuard.siteVocabularyConfigMap=site-vocabulary"]), "Deployment")
    validate_doc(built, KUBE_VERSIONS[-1])
    spec = built["spec"]["template"]["spec"]
    _assert_mounted(spec, "site-vocabulary")
    cfg = injector(render(sets=OPERATOR))
    assert next(v for v in cfg["volumes"] if v["name"] == VOLUME) == next(
        v for v in spec["volumes"] if v["name"] == VOLUME
    )
    assert _vocab_mounts(cfg["initContainers"] + cfg["containers"]) == _vocab_mounts(
        spec["initContainers"] + spec["containers"]
    )
    _assert_absent([one(render(chart=chart), "Deployment")])  # the control: the library's default is off
