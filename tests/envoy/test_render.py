"""Rendering: the shipped files are the renderer's output, every bootstrap loads in real Envoy, every snippet
is a well-formed Envoy v3 message, and the settings are the one source of truth."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ENVOY, ROOT
from envoy_certs import TestCA
from google.protobuf import json_format

from sidecar.cli import main as cli_main
from sidecar.config import ConfigError, load_settings
from sidecar.envoy_config.check import check_config
from sidecar.envoy_config.dropins import SIDECAR_TLS_DIR, render_all
from sidecar.envoy_config.params import EnvoyParams, TlsFiles, UpstreamTarget
from sidecar.envoy_config.render import render_bootstrap, write_bootstrap
from sidecar.envoy_config.settings import EnvoySettings, params_from_settings, upstream_target

SHIPPED = ROOT / "envoy"


def _validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ENVOY), "--mode", "validate", "-c", str(path), "--disable-hot-restart", "-l", "error"],
        capture_output=True,
        text=True,
        timeout=60,
    )


def _default_files() -> dict[str, str]:
    return render_all(params_from_settings(load_settings(None, environ={})))


def test_shipped_files_are_the_renderers_output() -> None:
    expected = _default_files()
    shipped = {str(p.relative_to(SHIPPED)): p.read_text() for p in SHIPPED.rglob("*.yaml")}
    assert sorted(shipped) == sorted(expected), "re-run: phi-guard envoy-config --out envoy/"
    for rel, text in expected.items():
        assert shipped[rel] == text, f"envoy/{rel} is stale: re-run phi-guard envoy-config --out envoy/"


def test_cli_out_writes_the_same_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for k in [k for k in __import__("os").environ if k.startswith("PHI_GUARD__")]:
        monkeypatch.delenv(k)
    assert cli_main(["envoy-config", "--out", str(tmp_path)]) == 0
    for rel, text in _default_files().items():
        assert (tmp_path / rel).read_text() == text


def test_local_bootstrap_loads_in_envoy_and_is_clean() -> None:
    path = SHIPPED / "bootstrap-local.yaml"
    out = _validate(path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert check_config(yaml.safe_load(path.read_text())) == []


def test_sidecar_bootstrap_loads_in_envoy_with_its_certificates_and_is_clean(tmp_path: Path) -> None:
    ca = TestCA(tmp_path / "pki")
    leaf = ca.issue("tls", dns=["localhost"])
    tls_dir = tmp_path / "tls"
    tls_dir.mkdir()
    (tls_dir / "tls.crt").write_bytes(leaf.cert.read_bytes())
    (tls_dir / "tls.key").write_bytes(leaf.key.read_bytes())
    (tls_dir / "ca.crt").write_bytes(ca.ca_file.read_bytes())
    text = (SHIPPED / "bootstrap-sidecar.yaml").read_text()
    assert SIDECAR_TLS_DIR in text
    cfg = tmp_path / "sidecar.yaml"
    cfg.write_text(text.replace(SIDECAR_TLS_DIR, str(tls_dir)))
    out = _validate(cfg)
    assert out.returncode == 0, out.stdout + out.stderr
    doc = yaml.safe_load(text)
    assert check_config(doc) == []
    [listener] = doc["static_resources"]["listeners"]
    ctx = listener["filter_chains"][0]["transport_socket"]["typed_config"]
    assert ctx["require_client_certificate"] is True
    guard = next(c for c in doc["static_resources"]["clusters"] if c["name"] == "phi_guard_grpc")
    assert "pipe" in guard["load_assignment"]["endpoints"][0]["lb_endpoints"][0]["endpoint"]["address"]


def _parse(message: object, doc: dict) -> None:
    # Raises ParseError on any unknown field or wrong value type: the typed check envoy-data-plane would give.
    json_format.ParseDict(json.loads(json.dumps(doc)), message)  # type: ignore[arg-type]


def test_every_snippet_is_a_typed_envoy_message() -> None:
    # Registers the Any types used in typed_config so ParseDict can resolve them.
    import envoy.extensions.access_loggers.file.v3.file_pb2  # noqa: F401
    import envoy.extensions.access_loggers.grpc.v3.als_pb2  # noqa: F401
    import envoy.extensions.filters.http.ext_authz.v3.ext_authz_pb2  # noqa: F401
    import envoy.extensions.filters.http.ext_proc.v3.ext_proc_pb2  # noqa: F401
    import envoy.extensions.filters.http.header_mutation.v3.header_mutation_pb2  # noqa: F401
    import envoy.extensions.filters.http.router.v3.router_pb2  # noqa: F401
    import envoy.extensions.formatter.req_without_query.v3.req_without_query_pb2  # noqa: F401
    import envoy.extensions.http.early_header_mutation.header_mutation.v3.header_mutation_pb2  # noqa: F401
    import envoy.extensions.transport_sockets.tls.v3.tls_pb2  # noqa: F401
    import envoy.extensions.upstreams.http.v3.http_protocol_options_pb2  # noqa: F401
    from envoy.config.bootstrap.v3 import bootstrap_pb2
    from envoy.config.cluster.v3 import cluster_pb2
    from envoy.config.listener.v3 import listener_components_pb2 as listener_pb2
    from envoy.extensions.filters.network.http_connection_manager.v3 import http_connection_manager_pb2 as hcm

    files = {rel: list(yaml.safe_load_all(t)) for rel, t in _default_files().items()}
    for rel in ("bootstrap-local.yaml", "bootstrap-sidecar.yaml"):
        _parse(bootstrap_pb2.Bootstrap(), files[rel][0])
    for f in files["dropin/http_filters.yaml"][0]["http_filters"]:
        _parse(hcm.HttpFilter(), f)
    for c in files["dropin/cluster.yaml"][0]["clusters"]:
        _parse(cluster_pb2.Cluster(), c)
    _parse(hcm.HttpConnectionManager(), files["dropin/hcm_settings.yaml"][0])
    _parse(hcm.HttpConnectionManager(), files["dropin/access_log.yaml"][0])
    from envoy.config.route.v3 import route_components_pb2

    per_route = files["dropin/per_route.yaml"][0]
    _parse(route_components_pb2.Route(), {**per_route["model_no_request_body_route"], "route": {"cluster": "model"}})
    targets = {
        "CLUSTER": cluster_pb2.Cluster,
        "HTTP_FILTER": hcm.HttpFilter,
        "NETWORK_FILTER": listener_pb2.Filter,
    }
    patches = files["istio/envoyfilter.yaml"][0]["spec"]["configPatches"]
    assert [p["applyTo"] for p in patches] == ["NETWORK_FILTER", "HTTP_FILTER", "HTTP_FILTER", "HTTP_FILTER"] * 2
    assert [p["match"]["context"] for p in patches] == ["SIDECAR_INBOUND"] * 4 + ["GATEWAY"] * 4
    assert all(p["match"]["proxy"]["proxyVersion"] for p in patches)
    istio = files["istio/envoyfilter.yaml"][0]
    assert "namespace" not in istio["metadata"], "applied with kubectl -n: no hard-coded namespace"
    for patch in patches:
        _parse(targets[patch["applyTo"]](), patch["patch"]["value"])
        if patch["applyTo"] == "HTTP_FILTER" and "grpc_service" in patch["patch"]["value"]["typed_config"]:
            # through the mesh (mTLS), never a plaintext side cluster
            grpc = patch["patch"]["value"]["typed_config"]["grpc_service"]["envoy_grpc"]
            assert grpc["cluster_name"] == "outbound|9001||phi-guard.phi-guard.svc.cluster.local"
    assert "&id" not in _default_files()["istio/envoyfilter.yaml"]
    kinds = [d["kind"] for d in files["gateway/policies.yaml"]]
    assert kinds == ["SecurityPolicy", "EnvoyExtensionPolicy", "ReferenceGrant"]
    for d in files["gateway/policies.yaml"][:2]:
        assert '"failOpen": false' in json.dumps(d) and '"failOpen": true' not in json.dumps(d)
    [ext_proc] = files["gateway/policies.yaml"][1]["spec"]["extProc"]
    assert "metadataOptions" not in ext_proc  # not an Envoy Gateway field: dropped silently or refused
    assert ext_proc["metadata"] == {
        "accessibleNamespaces": ["envoy.filters.http.ext_authz"],
        "writableNamespaces": ["phi_guard"],
    }


def test_settings_are_the_source_of_truth() -> None:
    s = load_settings(
        None,
        environ={
            "PHI_GUARD__SERVER__GRPC_PORT": "7001",
            "PHI_GUARD__SERVER__ADMIN_PORT": "7002",
            "PHI_GUARD__UPSTREAMS": '[{"name": "openai", "url": "https://api.openai.com/v1"}]',
        },
    )
    p = params_from_settings(s, EnvoySettings(max_request_bytes=4096, stream_idle_timeout_s=7))
    assert (p.guard_grpc_port, p.guard_http_port) == (7001, 7002)
    assert p.upstream == UpstreamTarget("openai", "api.openai.com", 443, True, "api.openai.com", None)
    doc = render_bootstrap(p)
    text = json.dumps(doc)
    assert '"port_value": 7001' in text and '"port_value": 7002' in text
    assert '"max_request_bytes": 4096' in text and '"stream_idle_timeout": "7s"' in text
    up = next(c for c in doc["static_resources"]["clusters"] if c["name"] == "openai")
    tls = up["transport_socket"]["typed_config"]
    assert tls["sni"] == "api.openai.com"
    assert tls["common_tls_context"]["validation_context"]["match_typed_subject_alt_names"][0]["matcher"] == {
        "exact": "api.openai.com"
    }


@pytest.mark.parametrize("value,loggers", [(None, 1), ("true", 1), ("false", 0)])  # false: the control
def test_envoy_audit_envoy_replies_renders_the_guards_access_log(value: str | None, loggers: int) -> None:
    environ = {} if value is None else {"PHI_GUARD__ENVOY__AUDIT_ENVOY_REPLIES": value}
    params = params_from_settings(load_settings(None, environ=environ))
    files = {rel: yaml.safe_load_all(t) for rel, t in render_all(params).items()}
    for rel in ("bootstrap-local.yaml", "bootstrap-sidecar.yaml"):
        (boot,) = files[rel]
        for lst in boot["static_resources"]["listeners"]:
            hcm = lst["filter_chains"][0]["filters"][0]["typed_config"]
            grpc = [a for a in hcm["access_log"] if a["name"] == "envoy.access_loggers.http_grpc"]
            assert len(grpc) == loggers, rel
            assert len(hcm["access_log"]) == 1 + loggers  # the file log stays
            for a in grpc:
                assert a["typed_config"]["common_config"]["grpc_service"]["envoy_grpc"]["cluster_name"] == (
                    "phi_guard_grpc")
    assert len(next(files["dropin/access_log.yaml"])["access_log"]) == loggers


def test_envoy_audit_envoy_replies_is_validated_at_start_up() -> None:
    with pytest.raises(ConfigError, match="audit_envoy_replies"):
        load_settings(None, environ={"PHI_GUARD__ENVOY__AUDIT_ENVOY_REPLIES": "sometimes"})


@pytest.mark.parametrize("url", ["ftp://x", "api.openai.com", "http://", ""])
def test_bad_upstream_url_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="upstream"):
        upstream_target("u", url)


def test_contradictory_params_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="tls"):
        render_bootstrap(EnvoyParams(https_port=8443, tls=None))
    with pytest.raises(ValueError, match="no listener"):
        render_bootstrap(EnvoyParams(http_port=None, https_port=None))
    with pytest.raises(ValueError, match="reserved"):
        render_bootstrap(EnvoyParams(https_port=None, upstream=UpstreamTarget("phi_guard_http", "h", 1)))
    assert not list(tmp_path.iterdir())


def test_write_bootstrap_writes_valid_yaml(tmp_path: Path) -> None:
    params = EnvoyParams(https_port=8443, tls=TlsFiles("/c.pem", "/k.pem"), guard_uds="/run/g.sock")
    path = write_bootstrap(params, tmp_path / "sub" / "envoy.yaml")
    assert yaml.safe_load(path.read_text()) == render_bootstrap(params)


def test_cli_print_and_bad_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["envoy-config", "--profile", "sidecar"]) == 0
    assert "require_client_certificate: true" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text("envoy: [unclosed\n")
    assert cli_main(["--config", str(bad), "envoy-config"]) == 2
    assert "unclosed" not in capsys.readouterr().err
