"""Cost of the edge checks per request (prints numbers; not a test).

Run: ``python -m bench.edge_bench [--n 2000]``. Reports the median of five rounds, in microseconds, for: strict
JSON vs plain ``json.loads`` on a ~10 KB chat body, the response-header filter on an OpenAI-like answer with a
fresh request id (clinical and safe_harbor), and the request edge (URL + OpenAI SDK headers) under safe_harbor.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable

from sidecar import strict_json
from sidecar.edge.request_guard import RequestEdge
from sidecar.edge.response_headers import ResponseHeaderFilter, engine_scanner
from sidecar.edge.settings import DEFAULT_REQUEST_HEADERS, DEFAULT_RESPONSE_HEADERS
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.settings import RedactionSettings
from sidecar.request_view import RequestView

SDK_HEADERS = {
    "content-type": "application/json", "authorization": "Bearer x", "x-phi-guard-purpose": "research",
    "user-agent": "OpenAI/Python 1.54.0", "x-stainless-lang": "python", "x-stainless-package-version": "1.54.0",
    "x-stainless-os": "Linux", "x-stainless-arch": "x64", "x-stainless-runtime": "CPython",
    "x-stainless-runtime-version": "3.11.7", "accept": "application/json", "x-request-id": "abc",
}


def _response_headers(i: int) -> list[tuple[str, str]]:
    return [(":status", "200"), ("content-type", "application/json"), ("date", "Sun, 06 Dec 2026 01:15:00 GMT"),
            ("x-request-id", f"req_{random.getrandbits(64):016x}"), ("openai-processing-ms", str(100 + i % 500)),
            ("x-ratelimit-remaining-requests", str(9999 - i % 100)), ("x-ratelimit-reset-requests", "6m0s"),
            ("openai-version", "2020-10-01"), ("cache-control", "no-cache"), ("server", "uvicorn")]


def _time(fn: Callable[[int], object], n: int) -> float:
    rounds = []
    for _ in range(5):
        t0 = time.perf_counter()
        for i in range(n):
            fn(i)
        rounds.append((time.perf_counter() - t0) / n * 1e6)
    return statistics.median(rounds)


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.edge_bench")
    ap.add_argument("--n", type=int, default=2000)
    n = ap.parse_args().n
    msgs = [{"role": "user" if i % 2 else "assistant", "content": "Patient seen for chest pain, vitals stable. " * 10}
            for i in range(20)]
    body = json.dumps({"model": "gpt-4o", "messages": msgs}).encode()
    engine = RedactionEngine(RedactionSettings(), b"edge-bench-key-0123456789abcdef0")
    filt = ResponseHeaderFilter(DEFAULT_RESPONSE_HEADERS, engine_scanner(engine))
    edge = RequestEdge(DEFAULT_REQUEST_HEADERS, engine)
    view = RequestView(method="POST", path="/v1/chat/completions", host="h", scheme="http", headers=SDK_HEADERS,
                       body=body)
    rows = [
        (f"json.loads ({len(body)} B chat body)", _time(lambda i: json.loads(body), n)),
        (f"strict_json.loads ({len(body)} B chat body)", _time(lambda i: strict_json.loads(body), n)),
        ("response headers, clinical", _time(lambda i: filt.filter(_response_headers(i), "clinical"), n)),
        ("response headers, safe_harbor", _time(lambda i: filt.filter(_response_headers(i), "safe_harbor"), n)),
        ("request edge (URL + SDK headers), safe_harbor", _time(lambda i: edge.scrub(view, "safe_harbor"), n)),
    ]
    for name, us in rows:
        print(f"{name:<50} {us:8.1f} us")


if __name__ == "__main__":
    main()
