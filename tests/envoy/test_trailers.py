"""Upstream response trailers never reach the client: ext_proc does not see them in the guard's processing
mode, so the rendered chain removes them all. Proven with real Envoy, trailers enabled end to end (HTTP/1.1
chunked trailers from the upstream, forwarded to an HTTP/1.1 client), and a control without the filter."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from conftest import RunningEnvoy
from envoy_fakes import FakeGuard

from sidecar.envoy_config.filters import DROP_TRAILERS_FILTER, HTTP_PROTOCOL_OPTIONS_KEY, T_HTTP_PROTOCOL_OPTIONS
from sidecar.envoy_config.params import UpstreamTarget

pytestmark = pytest.mark.e2e
SECRET = b"John Smith 123-45-6789"


class _Trailing(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("content-type", "text/plain")
        self.send_header("transfer-encoding", "chunked")
        self.send_header("trailer", "x-patient")
        self.end_headers()
        self.wfile.write(b"5\r\nhello\r\n0\r\nx-patient: " + SECRET + b"\r\n\r\n")
        self.wfile.flush()


@pytest.fixture(scope="module")
def upstream() -> Iterator[int]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Trailing)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield int(srv.server_address[1])
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def guard() -> Iterator[FakeGuard]:
    g = FakeGuard().start()
    yield g
    g.stop()


def _enable_trailers(drop_filter: bool) -> Callable[[dict[str, Any]], None]:
    def mutate(doc: dict[str, Any]) -> None:
        res = doc["static_resources"]
        hcm = res["listeners"][0]["filter_chains"][0]["filters"][0]["typed_config"]
        hcm.setdefault("http_protocol_options", {})["enable_trailers"] = True
        for cluster in res["clusters"]:
            if cluster["name"] == "model":
                cluster["typed_extension_protocol_options"] = {HTTP_PROTOCOL_OPTIONS_KEY: {
                    "@type": T_HTTP_PROTOCOL_OPTIONS,
                    "explicit_http_config": {"http_protocol_options": {"enable_trailers": True}}}}
        if not drop_filter:
            hcm["http_filters"] = [f for f in hcm["http_filters"] if f["name"] != DROP_TRAILERS_FILTER]

    return mutate


def _raw_get(port: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET /v1/trailers HTTP/1.1\r\nhost: x\r\nTE: trailers\r\nconnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data


def test_upstream_trailers_never_reach_the_client(start_envoy: Callable[..., RunningEnvoy], upstream: int,
                                                  guard: FakeGuard) -> None:
    target = UpstreamTarget("model", "127.0.0.1", upstream)
    control = start_envoy(_enable_trailers(drop_filter=False), guard_grpc_port=guard.port, upstream=target)
    leaked = _raw_get(control.params.http_port)
    assert b" 200 " in leaked.split(b"\r\n", 1)[0] and SECRET in leaked  # the oracle sees a trailer when it passes
    envoy = start_envoy(_enable_trailers(drop_filter=True), guard_grpc_port=guard.port, upstream=target)
    got = _raw_get(envoy.params.http_port)
    assert b" 200 " in got.split(b"\r\n", 1)[0] and b"hello" in got
    assert SECRET not in got
