"""A small OPA server for tests: OPA's REST Data and Policy APIs (the subset the guard uses) answered by OPA's
own Go engine (opa-golib-python-bindings). No opa binary can be installed here; the evaluation is OPA's.

Run: ``python -m tests.policy.opa_rest --port P``. ``GET /health``, ``PUT /v1/data``,
``PUT /v1/policies/<id>``, ``POST /v1/data/<path>[?provenance=true]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from opa_bindings import OpaEngine, OpaError
from opa_bindings.engine import OpaUndefinedError

_LOC = re.compile(r"(?P<file>[^\s:]+\.rego):(?P<row>\d+):\s*(?P<msg>.+)")


class Store:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.policies: dict[str, str] = {}
        self.data: Any = {}
        self.engine: OpaEngine | None = None

    def rebuild(self, policies: dict[str, str], data: Any) -> OpaEngine:
        engine = OpaEngine()
        for pid, text in policies.items():
            engine.add_policy(pid, text)
        if data:
            engine.add_data(data)
        engine.eval_query("true")
        return engine

    @property
    def revision(self) -> str:
        h = hashlib.sha256(json.dumps([self.policies, self.data], sort_keys=True).encode())
        return h.hexdigest()[:12]


STORE = Store()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, doc: Any) -> None:
        raw = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("content-length") or 0))

    def do_GET(self) -> None:  # noqa: N802
        self._send(200, {}) if self.path.startswith("/health") else self._send(404, {"code": "not_found"})

    def do_PUT(self) -> None:  # noqa: N802
        u = urlsplit(self.path)
        body = self._body()
        with STORE.lock:
            policies, data = dict(STORE.policies), STORE.data
            if u.path == "/v1/data":
                data = json.loads(body or b"{}")
            elif u.path.startswith("/v1/policies/"):
                policies[u.path[len("/v1/policies/") :]] = body.decode()
            else:
                return self._send(404, {"code": "not_found"})
            try:
                engine = STORE.rebuild(policies, data)
            except OpaError as exc:
                m = _LOC.search(exc.message)
                err = {"code": "rego_parse_error", "message": m.group("msg") if m else exc.message}
                if m:
                    err["location"] = {"file": m.group("file"), "row": int(m.group("row")), "col": 1}
                return self._send(
                    400,
                    {
                        "code": "invalid_parameter",
                        "message": "error(s) occurred while compiling module(s)",
                        "errors": [err],
                    },
                )
            old, STORE.engine = STORE.engine, engine
            STORE.policies, STORE.data = policies, data
        if old is not None:
            old.close()
        self._send(200, {})

    def do_POST(self) -> None:  # noqa: N802
        u = urlsplit(self.path)
        if not u.path.startswith("/v1/data"):
            return self._send(404, {"code": "not_found"})
        path = u.path[len("/v1/data") :].strip("/").replace("/", ".")
        doc = json.loads(self._body() or b"{}")
        engine = STORE.engine
        out: dict[str, Any] = {}
        if parse_qs(u.query).get("provenance", ["false"])[0].lower() == "true":
            out["provenance"] = {
                "version": "opa-golib",
                "bundles": {"phi_guard": {"revision": STORE.revision}},
            }
        if engine is None:
            return self._send(200, out)
        try:
            out["result"] = engine.eval_document(path or "data", doc.get("input"))
        except OpaUndefinedError:
            pass
        except OpaError as exc:
            return self._send(500, {"code": "internal_error", "message": exc.message})
        self._send(200, out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    args = ap.parse_args()
    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
