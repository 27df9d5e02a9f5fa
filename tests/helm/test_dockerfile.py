"""The Dockerfile agrees with the chart's defaults (no docker daemon here: checked statically; checkov
scans it in test_chart_security.py)."""

from __future__ import annotations

import json
import re
import tomllib

from sidecar.webhook import strict_yaml

from .conftest import CHART, LIBRARY, ROOT, HelmRun, Render, one

DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def _instructions(name: str) -> list[str]:
    joined = re.sub(r"\\\n", " ", DOCKERFILE)
    return [line.split(None, 1)[1] for line in joined.splitlines() if line.upper().startswith(name + " ")]


def test_image_matches_chart_defaults(render: Render) -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    chart = strict_yaml.load((CHART / "Chart.yaml").read_text(encoding="utf-8"))
    assert chart["appVersion"] == pyproject["project"]["version"]
    assert f'org.opencontainers.image.version="{chart["appVersion"]}"' in DOCKERFILE
    # the chart passes only arguments: the entrypoint must be the console script
    assert json.loads(_instructions("ENTRYPOINT")[-1]) == ["phi-guard"]
    assert "phi-guard" in pyproject["project"]["scripts"]
    # the user the chart enforces is the image's user
    assert _instructions("USER")[-1] == "65532:65532"
    deploy = one(render(), "Deployment", "-webhook")
    pod_sc = deploy["spec"]["template"]["spec"]["securityContext"]
    assert (pod_sc["runAsUser"], pod_sc["runAsGroup"]) == (65532, 65532)
    # every FROM is an exact, non-latest version
    froms = _instructions("FROM")
    assert froms and all(re.search(r":3\.11\.\d+-slim-\w+", f) and "latest" not in f for f in froms)
    # no PHI_GUARD__ variables: they would override the configuration file the chart mounts
    assert not [e for e in _instructions("ENV") if "PHI_GUARD__" in e]
    # the guard's probes run `python` with the standard library
    assert "/opt/phi-guard/bin" in " ".join(_instructions("ENV"))
    assert "python" in (LIBRARY / "templates" / "_sidecar.tpl").read_text(encoding="utf-8")


def test_dockerignore_admits_exactly_what_is_copied() -> None:
    ignore = [
        ln.strip()
        for ln in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    copied = {src for line in _instructions("COPY") if "--from" not in line for src in line.split()[:-1]}
    assert copied == {"pyproject.toml", "README.md", "proto", "sidecar", "opa"}
    for src in copied:
        assert f"!{src}" in ignore or f"!{src}/**" in ignore, src
    assert ignore[0] == "**"


def test_helm_install_dry_run_renders_notes(run_helm: HelmRun) -> None:
    out = run_helm(
        "install",
        "--dry-run=client",
        "rel",
        str(CHART),
        "--namespace",
        "phi-guard",
        "-f",
        str(CHART / "ci" / "sidecar-values.yaml"),
    )
    assert "NOTES:" in out.stdout and "phi-guard.io/injection=enabled" in out.stdout
    assert "Sidecar ConfigMaps are created in: ml, research" in out.stdout
