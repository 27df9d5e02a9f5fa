"""checkov over the rendered manifests of every values file and the Dockerfile: no finding except the ones
helm/phi-guard/.checkov.yaml explains. checkov exits 0 when it scanned nothing, so the test also counts
checks."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from .conftest import CHART, CI_VALUES, ROOT, Render

CHECKOV = ROOT / ".tools" / "checkov-venv" / "bin" / "checkov"


@pytest.fixture(scope="module")
def checkov() -> Path:
    def works() -> bool:
        if not CHECKOV.exists():
            return False
        return subprocess.run([str(CHECKOV), "--version"], capture_output=True, timeout=120).returncode == 0

    if not works():  # the same install step CI runs; failing to install is a failure, not a skip
        subprocess.run(["bash", str(ROOT / "scripts" / "install-helm.sh")], check=True, timeout=600)
    assert works()
    return CHECKOV


def _run_checkov(checkov: Path, directory: Path) -> subprocess.CompletedProcess[str]:
    """Checkov over ``directory`` with the chart's config; both tests scan the same way."""
    return subprocess.run(
        [str(checkov), "-d", str(directory), "--config-file", str(CHART / ".checkov.yaml"), "--compact", "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_checkov_finds_nothing_unexplained(checkov: Path, render: Render, tmp_path: Path) -> None:
    for values in CI_VALUES:
        docs = render([values])
        (tmp_path / values.name).write_text(yaml.safe_dump_all(docs), encoding="utf-8")
    shutil.copy(ROOT / "Dockerfile", tmp_path / "Dockerfile")
    out = _run_checkov(checkov, tmp_path)
    report = out.stdout + out.stderr
    assert out.returncode == 0, report[-5000:]
    counts = [(int(p), int(f)) for p, f in re.findall(r"Passed checks: (\d+), Failed checks: (\d+)", report)]
    assert len(counts) == 2, f"expected a kubernetes and a dockerfile section:\n{report[-3000:]}"
    assert all(passed > 50 and failed == 0 for passed, failed in counts), counts


def test_checkov_is_not_blind(checkov: Path, tmp_path: Path) -> None:
    """The same invocation reports a privileged, root pod: the scan above really looks at manifests."""
    bad = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "bad", "namespace": "x"},
        "spec": {
            "containers": [
                {
                    "name": "c",
                    "image": "busybox:1.36",
                    "securityContext": {"privileged": True, "runAsUser": 0},
                }
            ]
        },
    }
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(bad), encoding="utf-8")
    out = _run_checkov(checkov, tmp_path)
    assert out.returncode == 1 and "CKV_K8S_16" in out.stdout
