"""Issue 19, image: `make image` picks the engine that is present (docker, podman, buildah, in that order) and
says clearly when there is none; the release workflow is a valid GitHub Actions workflow that builds, scans and
pushes the image and the chart with the same version."""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from sidecar.webhook import strict_yaml

from .conftest import CHART, ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
TOOLS = ("sh", "awk", "cat", "dirname")


def _bin(tmp_path: Path, engines: tuple[str, ...]) -> Path:
    """A PATH directory with the shell tools make needs and fake engines that record their arguments."""
    d = tmp_path / "bin"
    d.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        assert found, tool
        (d / tool).symlink_to(found)
    for engine in engines:
        fake = d / engine
        fake.write_text(f'#!/bin/sh\necho "{engine} $*" >> "{tmp_path}/calls"\n', encoding="utf-8")
        fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    return d


def _make(tmp_path: Path, engines: tuple[str, ...], *args: str) -> subprocess.CompletedProcess[str]:
    make = shutil.which("make")
    assert make
    env = {"PATH": str(_bin(tmp_path, engines)), "HOME": str(tmp_path)}
    return subprocess.run([make, "-C", str(ROOT), "image", *args], capture_output=True, text=True, env=env,
                          timeout=60)


def _calls(tmp_path: Path) -> list[str]:
    calls = tmp_path / "calls"
    return calls.read_text(encoding="utf-8").splitlines() if calls.exists() else []


def _app_version() -> str:
    return str(strict_yaml.load((CHART / "Chart.yaml").read_text(encoding="utf-8"))["appVersion"])


@pytest.mark.parametrize(
    ("engines", "expected"),
    [
        (("docker", "podman", "buildah"), "docker build"),
        (("podman", "buildah"), "podman build"),
        (("buildah",), "buildah bud"),
    ],
)
def test_make_image_uses_the_first_engine_present(tmp_path: Path, engines: tuple[str, ...], expected: str) -> None:
    out = _make(tmp_path, engines)
    assert out.returncode == 0, out.stderr
    [call] = _calls(tmp_path)
    assert call == f"{expected} --file Dockerfile --tag ghcr.io/phi-guard/phi-guard:{_app_version()} ."


def test_make_image_to_a_private_registry(tmp_path: Path) -> None:
    out = _make(tmp_path, ("podman",), "IMAGE=registry.example.org/platform/phi-guard", "IMAGE_TAG=0.1.0-rc1")
    assert out.returncode == 0, out.stderr
    tag = "registry.example.org/platform/phi-guard:0.1.0-rc1"
    assert _calls(tmp_path) == [f"podman build --file Dockerfile --tag {tag} ."]


def test_make_image_without_an_engine_says_so(tmp_path: Path) -> None:
    out = _make(tmp_path, ())
    assert out.returncode != 0
    assert "no container engine found" in out.stderr and "docker, podman or buildah" in out.stderr
    assert _calls(tmp_path) == []


def _workflow() -> dict[str, object]:
    doc = strict_yaml.load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def test_workflow_matches_the_github_actions_schema(tmp_path: Path) -> None:
    import sys

    checker = Path(sys.executable).parent / "check-jsonschema"
    exe = str(checker) if checker.is_file() else shutil.which("check-jsonschema") or "check-jsonschema"
    run = [exe, "--builtin-schema", "vendor.github-workflows"]
    good = subprocess.run([*run, str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert good.returncode == 0, good.stdout + good.stderr
    broken = tmp_path / "broken.yml"  # the control: a typo in a job key fails the same check
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "run-on:", 1), encoding="utf-8")
    bad = subprocess.run([*run, str(broken)], capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0


def test_workflow_builds_scans_and_pushes_image_and_chart() -> None:
    wf = _workflow()
    jobs = wf["jobs"]
    assert isinstance(jobs, dict)
    steps = [s for job in jobs.values() for s in job["steps"]]
    uses = [s["uses"] for s in steps if "uses" in s]
    for action in uses:  # pinned by version, never a moving branch
        name, _, ref = action.partition("@")
        assert ref and ref not in ("main", "master", "latest"), action
    names = {u.partition("@")[0] for u in uses}
    assert {"docker/setup-buildx-action", "docker/build-push-action", "aquasecurity/trivy-action"} <= names
    trivy = next(s for s in steps if s.get("uses", "").startswith("aquasecurity/trivy-action"))
    assert trivy["with"]["exit-code"] == "1"
    pushes = [s for s in steps if s.get("uses", "").startswith("docker/build-push-action") and s["with"].get("push")]
    assert pushes and all(s["if"] == "github.ref_type == 'tag'" for s in pushes)
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "helm package helm/phi-guard --version \"$VERSION\" --app-version \"$VERSION\"" in text
    assert "helm push" in text and "oci://$REGISTRY/$owner/charts" in text
    assert "does not match Chart.yaml version" in text
    assert wf["permissions"] == {"contents": "read"}
