"""Real servers for the Envoy tests: a model upstream that answers with known PHI, and a deliberately broken
gRPC guard (ext_authz + ext_proc) whose misbehaviour is chosen per request with the ``x-test-mode`` header.

ext_authz copies the mode into its dynamic metadata, and ext_proc reads it back through the forwarding
namespace, so the tests also exercise the metadata contract between the two filters.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from concurrent import futures
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import grpc
from envoy.config.core.v3 import base_pb2
from envoy.service.auth.v3 import external_auth_pb2 as authz
from envoy.service.auth.v3 import external_auth_pb2_grpc as authz_grpc
from envoy.service.ext_proc.v3 import external_processor_pb2 as ep
from envoy.service.ext_proc.v3 import external_processor_pb2_grpc as ep_grpc
from google.protobuf import struct_pb2
from google.rpc import code_pb2, status_pb2

PHI = "123-45-6789"
PHI_BYTES = PHI.encode()

SSE_EVENTS = [
    b'data: {"text": "hello, "}\n\n',
    b'data: {"text": "SSN ' + PHI_BYTES + b'"}\n\n',
    b"data: [DONE]\n\n",
]


# --------------------------------------------------------------------------- upstream


class _Upstream(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: UpstreamServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output quiet
        pass

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _handle(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.seen.append(
            {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
        )
        path = self.path.split("?", 1)[0]
        if path.startswith("/v1/sse"):
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            for ev in SSE_EVENTS:
                self._chunk(ev)
                time.sleep(0.3)
            self.wfile.write(b"0\r\n\r\n")
            return
        if path.startswith("/v1/big"):
            total = int(self.headers.get("x-size", "4194304"))
            self.send_response(200)
            self.send_header("content-type", "text/plain")
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            block = b"a" * 65536
            sent = 0
            while sent < total:
                part = block[: min(len(block), total - sent)]
                self._chunk(part)
                sent += len(part)
            self.wfile.write(b"0\r\n\r\n")
            return
        payload = json.dumps({"choices": [{"message": {"content": f"Patient SSN {PHI}"}}]}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = _handle
    do_POST = _handle


class UpstreamServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, tls: tuple[Path, Path] | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Upstream)
        self.seen: list[dict[str, Any]] = []
        self.sni_seen: list[str | None] = []
        if tls is not None:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(str(tls[0]), str(tls[1]))
            ctx.sni_callback = lambda _sock, name, _ctx: self.sni_seen.append(name)  # type: ignore[assignment]
            self.socket = ctx.wrap_socket(self.socket, server_side=True)
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def start(self) -> UpstreamServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


# --------------------------------------------------------------------------- guard

MODE_HEADER = "x-test-mode"
NS = "envoy.filters.http.ext_authz"


def _wait_cancelled(context: grpc.ServicerContext, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while context.is_active() and time.monotonic() < deadline:
        time.sleep(0.05)


class FakeAuthz(authz_grpc.AuthorizationServicer):
    def __init__(self) -> None:
        self.checks: list[authz.CheckRequest] = []

    def Check(self, request: authz.CheckRequest, context: grpc.ServicerContext) -> authz.CheckResponse:  # noqa: N802
        self.checks.append(request)
        mode = request.attributes.request.http.headers.get(MODE_HEADER, "pass")
        if mode == "authz-slow":
            _wait_cancelled(context)
        if mode == "authz-error":
            context.abort(grpc.StatusCode.INTERNAL, "boom")
        md = struct_pb2.Struct()
        md.update({"mode": mode, "decision_id": "dec-0001", "request_id": request.attributes.request.http.id})
        ok = authz.OkHttpResponse(
            headers=[
                base_pb2.HeaderValueOption(
                    header=base_pb2.HeaderValue(key="x-phi-guard-decision-id", value="dec-0001")
                )
            ],
        )
        return authz.CheckResponse(
            status=status_pb2.Status(code=code_pb2.OK), ok_response=ok, dynamic_metadata=md
        )


class FakeProc(ep_grpc.ExternalProcessorServicer):
    def __init__(self) -> None:
        self.messages = 0
        self.body_chunks = 0

    def Process(
        self,
        request_iterator: Iterator[ep.ProcessingRequest],  # noqa: N802
        context: grpc.ServicerContext,
    ) -> Iterator[ep.ProcessingResponse]:
        mode = "pass"
        for req in request_iterator:
            self.messages += 1
            md = req.metadata_context.filter_metadata.get(NS)
            if md is not None and "mode" in md.fields:
                mode = md.fields["mode"].string_value
            kind = req.WhichOneof("request")
            if mode == "proc-error":
                context.abort(grpc.StatusCode.INTERNAL, "boom")
            if kind == "request_body":
                yield ep.ProcessingResponse(request_body=ep.BodyResponse())
            elif kind == "response_headers":
                if mode == "proc-stuck-headers":
                    _wait_cancelled(context)
                    return
                yield ep.ProcessingResponse(
                    response_headers=ep.HeadersResponse(
                        response=ep.CommonResponse(
                            header_mutation=ep.HeaderMutation(remove_headers=["content-length"])
                        )
                    )
                )
            elif kind == "response_body":
                self.body_chunks += 1
                chunk = req.response_body.body
                if PHI_BYTES in chunk:
                    if mode == "proc-stuck-midstream":
                        _wait_cancelled(context)
                        return
                    if mode == "proc-abort-midstream":
                        context.abort(grpc.StatusCode.INTERNAL, "boom")
                chunk = chunk.replace(PHI_BYTES, b"[SSN]")
                yield ep.ProcessingResponse(
                    response_body=ep.BodyResponse(
                        response=ep.CommonResponse(body_mutation=ep.BodyMutation(body=chunk))
                    )
                )
            else:
                context.abort(grpc.StatusCode.UNIMPLEMENTED, kind or "empty")


class FakeGuard:
    """A real gRPC server on 127.0.0.1 (or a Unix socket) serving both Envoy services."""

    def __init__(self, uds: str | None = None) -> None:
        self.authz = FakeAuthz()
        self.proc = FakeProc()
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=32))
        authz_grpc.add_AuthorizationServicer_to_server(self.authz, self.server)
        ep_grpc.add_ExternalProcessorServicer_to_server(self.proc, self.server)
        if uds:
            self.server.add_insecure_port(f"unix:{uds}")
            self.port = 0
        else:
            self.port = self.server.add_insecure_port("127.0.0.1:0")

    def start(self) -> FakeGuard:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop(grace=0).wait(5)


def dead_port() -> int:
    """A loopback port with nothing listening (bound then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
