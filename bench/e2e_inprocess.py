"""The guard's CPU per request without Envoy, load generator or demo model on the same cores: ``Check`` and
``Process`` driven in-process with the stages the guard runs (policy, audit log with its spool, fsync and
encryption, redaction, metrics, logging), timed in CPU seconds of this process.

Run: ``python -m bench.e2e_inprocess [--n 400] [--cache on|off|both] [--profile json|json-clean|sse]
[--engine compiled|embedded|golib] [--audit spool|serialize] [--shapes json,json-clean,sse] [--check-only]``.
The engine defaults to the one the guard ships with (``PolicySettings().engine``): measuring another engine's
uncached decisions is what ``--engine`` is for. ``--check-only`` times Check alone (steadier when a change is
on the Check path).

Per answer shape (the same three as ``bench/e2e.py``: PHI-dense JSON, identifier-free JSON, SSE of 16-char
events) it prints CPU µs per request for Check alone, Process alone and both, with the decision cache on (as
deployed: the same caller and request shape repeat) and off. Identity is a fixed resolved caller (its cost is
``bench/identity_bench.py``'s). Process gets the stream metadata the rendered Envoy config sends (body chunks
before the headers reply), so a JSON answer's replies are held as in the served guard. ``--profile NAME`` prints
cProfile's top functions by own time for that shape. ``--audit serialize`` replaces the spool write (encryption,
write, one fsync per event: here one batch per event, as no requests run concurrently) by serialising the event:
the guard's own Python alone, steadier on a shared machine. The last line, ``RESULT_JSON {...}``, carries every
number. The machine is shared: compare revisions with ``python -m bench.ab REV`` or by running this in both trees
one after the other.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import json
import os
import pstats
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from envoy.config.core.v3 import base_pb2
from envoy.service.auth.v3 import external_auth_pb2 as authz
from envoy.service.ext_proc.v3 import external_processor_pb2 as ep

import sidecar
from bench.e2e import CLEAN_TEXT, PROMPT, STREAM_CHUNK_CHARS
from devstack.demo_data import CLINICAL_NOTE
from sidecar import protocol as P
from sidecar.config import Settings, UpstreamSettings
from sidecar.identity.model import Identity
from sidecar.observability.logging import configure_logging
from sidecar.policy.settings import PolicySettings
from sidecar.request_view import RequestView

ROOT = Path(sidecar.__file__).resolve().parents[1]  # the tree under test (PYTHONPATH), for its opa/
CALLER = Identity("bench.clinician", "https://issuer.bench", "jwt", ("clinician",))


class _FixedIdentity:
    async def resolve(self, view: RequestView) -> Identity:
        return CALLER


class _EnvoyStream:
    """The ext_proc stream's context as the rendered Envoy config opens it: with ``P.EARLY_BODY_METADATA`` (body
    chunks sent before the headers reply), so a JSON answer's replies are held as in the served guard."""

    def __init__(self) -> None:
        from sidecar.envoy_config.filters import ext_proc_filter
        from sidecar.envoy_config.params import EnvoyParams

        grpc_service = ext_proc_filter(EnvoyParams())["typed_config"]["grpc_service"]
        self._metadata = tuple((m["key"], m["value"]) for m in grpc_service["initial_metadata"])

    def invocation_metadata(self) -> tuple[tuple[str, str], ...]:
        return self._metadata


_STREAM = _EnvoyStream()


def _answer_json(text: str, model: str) -> bytes:
    return json.dumps({
        "id": "chatcmpl-bench", "object": "chat.completion", "model": model,
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}],
        "usage": {"prompt_tokens": 12, "completion_tokens": 180, "total_tokens": 192},
    }).encode()


def _answer_sse(text: str, model: str, chars: int, per_message: int = 8) -> list[bytes]:
    """SSE events of ``chars`` characters, ``per_message`` events to an ext_proc body message (Envoy passes
    on what it has read, several small events at a time under load)."""
    events = []
    for i in range(0, len(text), chars):
        delta = {"id": "chatcmpl-bench", "object": "chat.completion.chunk", "model": model,
                 "choices": [{"index": 0, "delta": {"content": text[i:i + chars]}, "finish_reason": None}]}
        events.append(f"data: {json.dumps(delta)}\n\n".encode())
    events.append(b"data: [DONE]\n\n")
    return [b"".join(events[i:i + per_message]) for i in range(0, len(events), per_message)]


SHAPES: dict[str, tuple[str, bytes, str, list[bytes]]] = {
    # name: (model, request body, response content type, response body chunks)
    "json": ("clinical-notes",
             json.dumps({"model": "clinical-notes", "messages": [{"role": "user", "content": PROMPT}]}).encode(),
             "application/json", [_answer_json(CLINICAL_NOTE, "clinical-notes")]),
    "json-clean": ("echo",
                   json.dumps({"model": "echo", "messages": [{"role": "user", "content": CLEAN_TEXT}]}).encode(),
                   "application/json", [_answer_json(CLEAN_TEXT, "echo")]),
    "sse": ("clinical-notes",
            json.dumps({"model": "clinical-notes", "stream": True,
                        "messages": [{"role": "user", "content": PROMPT}]}).encode(),
            "text/event-stream", _answer_sse(CLINICAL_NOTE, "clinical-notes", STREAM_CHUNK_CHARS)),
}


def check_request(body: bytes, request_id: str) -> authz.CheckRequest:
    """A CheckRequest as Envoy's ext_authz filter sends it for a chat call."""
    req = authz.CheckRequest()
    http = req.attributes.request.http
    http.method, http.path, http.host, http.scheme = "POST", "/v1/chat/completions", "guard", "http"
    http.id = request_id
    http.headers.update({
        ":authority": "guard", ":method": "POST", ":path": "/v1/chat/completions", ":scheme": "http",
        "content-type": "application/json", "authorization": "Bearer eyJ.bench.token",
        "x-phi-guard-purpose": "treatment", "user-agent": "bench", "x-request-id": request_id,
        "accept": "*/*", "content-length": str(len(body)),
    })
    http.raw_body = body
    req.attributes.source.address.socket_address.address = "127.0.0.1"
    return req


def processing_requests(metadata: Any, content_type: str, chunks: list[bytes]) -> list[ep.ProcessingRequest]:
    """response headers, then one body message per chunk, each carrying the ext_authz metadata (as Envoy does)."""
    msgs = [ep.ProcessingRequest(response_headers=ep.HttpHeaders(headers=base_pb2.HeaderMap(headers=[
        base_pb2.HeaderValue(key=":status", raw_value=b"200"),
        base_pb2.HeaderValue(key="content-type", raw_value=content_type.encode()),
        base_pb2.HeaderValue(key="date", raw_value=b"Sun, 06 Dec 2026 04:00:00 GMT"),
        base_pb2.HeaderValue(key="server", raw_value=b"demo")])))]
    msgs += [ep.ProcessingRequest(response_body=ep.HttpBody(body=c, end_of_stream=i == len(chunks) - 1))
             for i, c in enumerate(chunks)]
    for m in msgs:
        m.metadata_context.filter_metadata[P.EXT_AUTHZ_METADATA_NAMESPACE].CopyFrom(metadata)
    return msgs


class Guard:
    """The guard's stages as GuardServer wires them, minus gRPC, identity and approvals."""

    def __init__(self, state_dir: Path, engine: str, cache: int, audit: str = "spool") -> None:
        from sidecar.server.app import GuardServer

        secret = state_dir / "model-key"
        secret.write_text("sk-bench\n")
        settings = Settings.model_validate({
            "state_dir": str(state_dir),
            "policy": {"directory": str(ROOT / "opa"), "engine": engine, "decision_cache_size": cache,
                       "require_tests_pass": False},
            "upstreams": [UpstreamSettings(name="default", credential_file=str(secret)).model_dump()],
        })
        self.server = GuardServer(settings)
        self.server.identity = _FixedIdentity()  # type: ignore[assignment]
        if audit == "serialize":
            async def serialized(event: Any) -> str:
                event.SerializeToString()
                return "bench"

            self.server.audit_log.record = serialized  # type: ignore[method-assign]

    async def start(self) -> tuple[Any, Any]:
        from sidecar.edge.request_guard import RequestEdge
        from sidecar.edge.response_headers import ResponseHeaderFilter, engine_scanner
        from sidecar.server.authz_service import AuthorizationService, AuthzDeps
        from sidecar.server.budget import ByteBudget
        from sidecar.server.ext_proc_service import ExternalProcessorService, ExtProcDeps

        g, s = self.server, self.server.settings
        # As ``serve`` runs the guard: JSON log lines (to a sink here, a log file there), the GIL switch interval,
        # and start-up objects frozen out of the collector after start.
        stderr, sys.stderr = sys.stderr, open(os.devnull, "w")  # noqa: SIM115 - the loggers keep it open
        try:
            configure_logging(s.logging.level, s.logging.json_logs)
        finally:
            sys.stderr = stderr
        sys.setswitchinterval(s.server.gil_switch_interval_ms / 1000.0)
        await g.audit_log.start()
        await asyncio.to_thread(g.policy.start)
        check = AuthorizationService(AuthzDeps(
            identity=g.identity, policy=g.policy, approvals=None, audit=g.audit, credentials=g.credentials,
            metrics=g.metrics, log=g.log, identity_key=g.identity_key, timezone=s.policy.timezone,
            request_edge=RequestEdge(s.edge.request_headers, g.redaction)))
        proc = ExternalProcessorService(ExtProcDeps(
            redaction=g.redaction, audit=g.audit, metrics=g.metrics, log=g.log,
            max_audit_body_bytes=s.redaction.max_buffered_body_bytes,
            budget=ByteBudget(s.server.max_inflight_body_bytes),
            response_headers=ResponseHeaderFilter(s.edge.response_headers, engine_scanner(g.redaction),
                                                  keep=[P.REDACTION_PROFILE_HEADER])))
        gc.collect()
        gc.freeze()
        return check, proc

    async def stop(self) -> None:
        await self.server.audit_log.aclose()
        self.server.policy.aclose()


async def _one(check: Any, proc: Any, shape: str, i: int, cpu: dict[str, float], check_only: bool = False) -> None:
    _, body, ctype, chunks = SHAPES[shape]
    t0 = time.process_time()
    resp = await check.Check(check_request(body, f"bench-{shape}-{i}"), None)
    t1 = time.process_time()
    if resp.status.code != 0:
        raise SystemExit(f"{shape}: Check refused the bench request: {resp.denied_response.body}")
    if check_only:
        cpu["check"] += t1 - t0
        return
    msgs = processing_requests(resp.dynamic_metadata, ctype, chunks)
    t2 = time.process_time()

    async def gen() -> AsyncIterator[ep.ProcessingRequest]:
        for m in msgs:
            yield m

    replies = [r async for r in proc.Process(gen(), _STREAM)]  # type: ignore[arg-type]
    t3 = time.process_time()
    if any(r.HasField("immediate_response") for r in replies):
        raise SystemExit(f"{shape}: Process withheld the bench answer")
    cpu["check"] += t1 - t0
    cpu["process"] += t3 - t2


async def measure(engine: str, n: int, cache: int, profile: str | None, audit: str = "spool",
                  shapes: list[str] | None = None, check_only: bool = False) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory(prefix="phi-guard-inproc-") as tmp:
        guard = Guard(Path(tmp), engine, cache, audit)
        check, proc = await guard.start()
        out: dict[str, dict[str, float]] = {}
        try:
            for shape in shapes or list(SHAPES):
                for i in range(20):  # warm-up: caches, first-use imports
                    await _one(check, proc, shape, -i - 1, {"check": 0.0, "process": 0.0})
                cpu = {"check": 0.0, "process": 0.0}
                prof = cProfile.Profile() if profile == shape else None
                if prof is not None:
                    prof.enable()
                for i in range(n):
                    await _one(check, proc, shape, i, cpu, check_only)
                if prof is not None:
                    prof.disable()
                    text = io.StringIO()
                    stats = pstats.Stats(prof, stream=text)
                    stats.sort_stats("tottime").print_stats(30)
                    stats.sort_stats("cumulative").print_stats(r"sidecar|protobuf|json|structlog|prometheus", 45)
                    print(text.getvalue(), file=sys.stderr)
                out[shape] = {k: v / n * 1e6 for k, v in cpu.items()}
                out[shape]["total"] = out[shape]["check"] + out[shape]["process"]
        finally:
            await guard.stop()
        return out


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--engine", default=PolicySettings().engine, choices=["compiled", "embedded", "golib"],
                    help="policy engine (default: the shipped default)")
    ap.add_argument("--profile", choices=list(SHAPES), help="print cProfile's top functions for this shape")
    ap.add_argument("--cache", choices=["on", "off", "both"], default="both", help="decision cache (default both)")
    ap.add_argument("--audit", choices=["spool", "serialize"], default="spool",
                    help="serialize: events serialised, not written to the spool (the guard's Python alone)")
    ap.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated answer shapes (default: all)")
    ap.add_argument("--check-only", action="store_true", help="time Check alone (no Process: its column is 0)")
    args = ap.parse_args(argv)
    args.shapes = [x for x in args.shapes.split(",") if x]
    if unknown := set(args.shapes) - set(SHAPES):
        ap.error(f"unknown shapes: {', '.join(sorted(unknown))}")
    return args


def main() -> None:
    args = parse_args()
    from sidecar.observability.logging import configure_logging

    with open(os.devnull, "w") as devnull:  # the guard's JSON log lines are rendered and written, as in production
        real_stderr, sys.stderr = sys.stderr, devnull
        try:
            configure_logging("info")
        finally:
            sys.stderr = real_stderr
        _run(args)


def _run(args: argparse.Namespace) -> None:
    results: dict[str, Any] = {"n": args.n, "engine": args.engine, "audit": args.audit}
    for label, cache in (("cached", 4096), ("uncached", 0)):
        if args.cache != "both" and (args.cache == "on") != bool(cache):
            continue
        rows = asyncio.run(measure(args.engine, args.n, cache, args.profile if label == "cached" else None,
                                   args.audit, args.shapes, args.check_only))
        results[label] = rows
        print(f"\n{args.engine}, decision cache {'on' if cache else 'off'}: CPU µs per request")
        print(f"{'answer':12} {'Check':>9} {'Process':>9} {'total':>9}")
        for shape, r in rows.items():
            print(f"{shape:12} {r['check']:9.0f} {r['process']:9.0f} {r['total']:9.0f}")
    print("RESULT_JSON " + json.dumps(results))


if __name__ == "__main__":
    main()
