"""The sidecar shape with real TLS: mTLS listener passing SPIFFE identities to ext_authz, the guard over a
Unix socket, and TLS to the upstream with SNI and a pinned CA (a wrong name is refused, not trusted)."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
from conftest import ENVOY, RunningEnvoy
from envoy_certs import TestCA
from envoy_fakes import PHI, FakeGuard, UpstreamServer

from sidecar.envoy_config.params import TlsFiles, UpstreamTarget

pytestmark = pytest.mark.e2e
SPIFFE_ID = "spiffe://phi-guard.local/ns/clinic/sa/notes-app"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    ca = TestCA(tmp_path_factory.mktemp("pki"))
    return {
        "ca": ca,
        "envoy": ca.issue("envoy", dns=["localhost"], ips=["127.0.0.1"]),
        "client": ca.issue("client", uris=[SPIFFE_ID], client=True),
        "model": ca.issue("model", dns=["model.test"]),
    }


@pytest.fixture(scope="module")
def tls_upstream(pki: dict) -> Iterator[UpstreamServer]:
    srv = UpstreamServer(tls=(pki["model"].cert, pki["model"].key)).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def uds_guard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeGuard]:
    sock = tmp_path_factory.mktemp("uds") / "guard.sock"
    g = FakeGuard(uds=str(sock)).start()
    g.uds = str(sock)  # type: ignore[attr-defined]
    yield g
    g.stop()


def _sidecar(
    start: Callable[..., RunningEnvoy], pki: dict, guard: FakeGuard, upstream: UpstreamServer, sni: str
) -> RunningEnvoy:
    ca: TestCA = pki["ca"]
    return start(
        http_port=None,
        https_port=_free(),
        tls=TlsFiles(str(pki["envoy"].cert), str(pki["envoy"].key), str(ca.ca_file), True),
        guard_uds=guard.uds,  # type: ignore[attr-defined]
        upstream=UpstreamTarget(
            "model", "127.0.0.1", upstream.port, tls=True, sni=sni, ca_file=str(ca.ca_file)
        ),
    )


def _free() -> int:
    from devstack.ports import free_port

    return free_port()


@pytest.fixture(scope="module")
def sidecar(
    start_envoy: Callable[..., RunningEnvoy], pki: dict, uds_guard: FakeGuard, tls_upstream: UpstreamServer
) -> RunningEnvoy:
    return _sidecar(start_envoy, pki, uds_guard, tls_upstream, "model.test")


def _client(pki: dict, with_cert: bool = True) -> httpx.Client:
    ctx = ssl.create_default_context(cafile=str(pki["ca"].ca_file))
    if with_cert:
        ctx.load_cert_chain(str(pki["client"].cert), str(pki["client"].key))
    return httpx.Client(verify=ctx, timeout=20)


def test_mtls_identity_reaches_ext_authz_and_upstream_tls_uses_sni(
    sidecar: RunningEnvoy, pki: dict, uds_guard: FakeGuard, tls_upstream: UpstreamServer
) -> None:
    with _client(pki) as c:
        r = c.get(sidecar.https_url + "/v1/chat/completions")
    assert r.status_code == 200
    assert PHI not in r.text and "[SSN]" in r.text
    src = uds_guard.authz.checks[-1].attributes.source
    assert src.principal == SPIFFE_ID
    # Envoy sends the peer certificate URL-encoded (as in XFCC): the guard must unquote it before parsing.
    pem = unquote(src.certificate)
    assert (
        pem.startswith("-----BEGIN CERTIFICATE-----")
        and pem.strip() == pki["client"].cert.read_text().strip()
    )
    assert "model.test" in tls_upstream.sni_seen


def test_client_without_certificate_is_refused(
    sidecar: RunningEnvoy, pki: dict, uds_guard: FakeGuard
) -> None:
    before = len(uds_guard.authz.checks)
    with _client(pki, with_cert=False) as c, pytest.raises(httpx.HTTPError):
        c.get(sidecar.https_url + "/v1/chat/completions")
    assert len(uds_guard.authz.checks) == before


def test_upstream_with_wrong_name_is_not_trusted(
    start_envoy: Callable[..., RunningEnvoy], pki: dict, uds_guard: FakeGuard, tls_upstream: UpstreamServer
) -> None:
    env = _sidecar(start_envoy, pki, uds_guard, tls_upstream, "evil.test")
    with _client(pki) as c:
        r = c.get(env.https_url + "/v1/chat/completions")
    assert r.status_code == 503
    assert PHI not in r.text


def test_rendered_sidecar_bootstrap_validates(sidecar: RunningEnvoy) -> None:
    import subprocess

    out = subprocess.run(
        [str(ENVOY), "--mode", "validate", "-c", str(sidecar.config), "--disable-hot-restart", "-l", "error"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert Path(sidecar.config).read_text().count("require_client_certificate: true") == 1
