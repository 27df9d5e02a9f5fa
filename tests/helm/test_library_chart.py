"""A team's chart using the phi-guard-sidecar library gets exactly the sidecar the webhook injects."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import jsonpatch
import yaml

from sidecar.webhook import strict_yaml
from sidecar.webhook.config import InjectionConfig
from sidecar.webhook.injection import mutate_pod

from .conftest import LIBRARY, HelmRun, Render, one, validate_doc

CONSUMER = Path(__file__).parent / "consumer-chart"


def test_library_chart_lints_as_a_library(run_helm: HelmRun) -> None:
    assert "0 chart(s) failed" in run_helm("lint", "--strict", str(LIBRARY)).stdout


def test_consumer_chart_gets_the_injected_sidecar(run_helm: HelmRun, render: Render, tmp_path: Path) -> None:
    chart = tmp_path / "model-server"
    shutil.copytree(CONSUMER, chart)
    deps = strict_yaml.load((chart / "Chart.yaml").read_text(encoding="utf-8"))
    deps["dependencies"][0]["repository"] = f"file://{LIBRARY}"
    (chart / "Chart.yaml").write_text(yaml.safe_dump(deps), encoding="utf-8")
    run_helm("dependency", "build", str(chart))
    docs = render(chart=chart, sets=["phiGuard.configMap=rel-phi-guard-sidecar"])
    deployment = one(docs, "Deployment")
    for version in ("1.29.0", "1.33.0"):
        validate_doc(deployment, version)
    built: dict[str, Any] = deployment["spec"]["template"]["spec"]

    # the webhook, configured by the phi-guard chart with default values, injecting the same model container
    phi_guard = render()
    cfg = InjectionConfig.model_validate(
        strict_yaml.load(one(phi_guard, "ConfigMap", "-webhook-injector")["data"]["sidecar.yaml"])
    )
    model = {k: v for k, v in built["containers"][0].items()}
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "m"}, "spec": {"containers": [model]}}
    injected = jsonpatch.apply_patch(pod, mutate_pod(pod, "ml", cfg).patch)["spec"]

    assert [c["name"] for c in built["initContainers"]] == [c["name"] for c in injected["initContainers"]]
    assert built["initContainers"] == injected["initContainers"]
    policy = {v["name"]: v for v in injected["volumes"]}
    policy["phi-guard-policy"]["configMap"].pop(
        "items", None
    )  # offline, lookup finds no ConfigMap to map from
    assert {v["name"]: v for v in built["volumes"]} == policy
