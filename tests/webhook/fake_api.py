"""A stand-in for the Kubernetes API server (HTTPS on loopback) that answers the webhook's object checks the way
the real one does: GET /api/v1/namespaces/NS/{configmaps,secrets}/NAME -> 200 / 404, 401 without the token."""

from __future__ import annotations

import http.server
import json
import re
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TOKEN = "test-service-account-token"
_PATH = re.compile(r"^/api/v1/namespaces/([^/]+)/(configmaps|secrets)/([^/?]+)$")
KINDS = {"configmaps": "ConfigMap", "secrets": "Secret"}


@dataclass
class FakeApi:
    """``objects`` holds (namespace, kind, name); ``fail`` makes every answer a 500 (API server trouble)."""

    objects: set[tuple[str, str, str]] = field(default_factory=set)
    fail: bool = False
    requests: list[dict[str, str]] = field(default_factory=list)
    port: int = 0

    def serve(self, cert: Path, key: Path) -> http.server.ThreadingHTTPServer:
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                api.requests.append({"path": self.path, "accept": self.headers.get("accept", "")})
                if self.headers.get("authorization") != f"Bearer {TOKEN}":
                    return self._send(401, {"kind": "Status", "code": 401})
                if api.fail:
                    return self._send(500, {"kind": "Status", "code": 500})
                m = _PATH.match(self.path)
                if m is None:
                    return self._send(404, {"kind": "Status", "code": 404})
                ns, resource, name = m.groups()
                if (ns, KINDS[resource], name) in api.objects:
                    return self._send(200, {"kind": "PartialObjectMetadata", "metadata": {"name": name}})
                return self._send(404, {"kind": "Status", "code": 404, "reason": "NotFound"})

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(cert, key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
        self.port = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server


def service_account_dir(directory: Path, ca: Path) -> Path:
    """The layout of /var/run/secrets/kubernetes.io/serviceaccount: token and ca.crt."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "token").write_text(TOKEN + "\n", encoding="utf-8")
    (directory / "ca.crt").write_bytes(ca.read_bytes())
    return directory
