"""The optional MCP route: an MCP server behind both filters, before the model's catch-all routes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml
from conftest import ENVOY

from sidecar.envoy_config.check import check_config
from sidecar.envoy_config.params import EnvoyParams, UpstreamTarget
from sidecar.envoy_config.render import render_bootstrap, write_bootstrap


def _routes(params: EnvoyParams) -> list[dict]:
    listener = render_bootstrap(params)["static_resources"]["listeners"][0]
    hcm = listener["filter_chains"][0]["filters"][0]["typed_config"]
    return hcm["route_config"]["virtual_hosts"][0]["routes"]


def test_mcp_route_goes_to_its_cluster_before_the_model_routes(tmp_path: Path) -> None:
    params = EnvoyParams(https_port=None, mcp_upstream=UpstreamTarget("mcp", "127.0.0.1", 9100))
    routes = _routes(params)
    names = [r["name"] for r in routes]
    assert names.index("mcp") < names.index("model_no_request_body") < names.index("model")
    mcp = routes[names.index("mcp")]
    assert mcp["match"] == {"prefix": "/mcp"} and mcp["route"]["cluster"] == "mcp"
    assert "typed_per_filter_config" not in mcp  # both filters run, as for the model
    assert "accept-encoding" in mcp["request_headers_to_remove"]
    clusters = {c["name"] for c in render_bootstrap(params)["static_resources"]["clusters"]}
    assert "mcp" in clusters
    path = write_bootstrap(params, tmp_path / "bootstrap.yaml")
    assert check_config(yaml.safe_load(path.read_text())) == []
    argv = [str(ENVOY), "--mode", "validate", "-c", str(path), "--disable-hot-restart", "-l", "error"]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr


def test_control_no_mcp_upstream_no_mcp_route() -> None:
    params = EnvoyParams(https_port=None)
    assert "mcp" not in [r["name"] for r in _routes(params)]
    assert "mcp" not in {c["name"] for c in render_bootstrap(params)["static_resources"]["clusters"]}
