"""ext_proc v3 ``ExternalProcessor.Process``: response (and, when policy asks, request) bodies are redacted
before they leave; the finished exchange becomes one audit event.

Processing modes (fixed by the Envoy config): request headers SKIP, request body BUFFERED, response headers SEND,
response body STREAMED — so exactly one reply per message, in order. Any failure withholds: the stream is
ended with an immediate response, never passed through raw.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import grpc
from envoy.config.core.v3 import base_pb2
from envoy.service.ext_proc.v3 import external_processor_pb2 as ep
from envoy.service.ext_proc.v3 import external_processor_pb2_grpc as ep_grpc
from envoy.type.v3 import http_status_pb2

from sidecar.audit.log import AuditUnavailable
from sidecar.edge.request_guard import request_body_media_type
from sidecar.redaction.engine import summary_header
from sidecar.redaction.errors import RedactionError
from sidecar.server.authz_translate import METADATA_NAMESPACE
from sidecar.server.exchanges import Exchange

# Used when a response arrives without a decision we know of (e.g. Envoy's own local replies): strictest.
FALLBACK_PROFILE = "safe_harbor"
# Redaction work on chunks bigger than this runs in a worker thread so the event loop keeps serving.
THREAD_THRESHOLD_BYTES = 256 * 1024
_OVERWRITE = base_pb2.HeaderValueOption.OVERWRITE_IF_EXISTS_OR_ADD


@dataclass
class ExtProcDeps:
    redaction: Any  # RedactionEngine
    audit: Any  # AuditRecorder
    exchanges: Any  # ExchangeRegistry
    metrics: Any
    log: Any
    max_audit_body_bytes: int = 4 * 1024 * 1024
    response_headers: Any = None  # sidecar.edge.response_headers.ResponseHeaderFilter (None: keep all)


@dataclass
class _Stream:
    request_id: str = ""
    exchange: Exchange | None = None
    local_reply: bool = False
    profile: str = FALLBACK_PROFILE
    status: int = 0
    processor: Any = None
    sse: bool = False
    buffered_bytes: int = 0
    raw: bytearray = field(default_factory=bytearray)
    raw_truncated: bool = False
    out_bytes: int = 0
    first_byte_at: float | None = None
    request_redactions: dict[str, int] = field(default_factory=dict)
    headers_dropped: int = 0
    finished: bool = False


def _header_value(headers: Any, name: str) -> str:
    for h in headers.headers.headers:
        if h.key.lower() == name:
            return h.raw_value.decode("latin-1") if h.raw_value else h.value
    return ""


def _metadata(req: ep.ProcessingRequest) -> dict[str, Any]:
    md = req.metadata_context.filter_metadata.get(METADATA_NAMESPACE)
    if md is None:
        return {}
    return {k: md.fields[k].string_value or md.fields[k].bool_value for k in md.fields}


def _body_reply(which: str, body: bytes | None) -> ep.ProcessingResponse:
    common = ep.CommonResponse()
    if body is not None:
        common.body_mutation.body = body
    return ep.ProcessingResponse(**{which: ep.BodyResponse(response=common)})


def _withhold(reason: str) -> ep.ProcessingResponse:
    body = json.dumps({"error": "response_withheld", "reason": reason}).encode()
    return ep.ProcessingResponse(
        immediate_response=ep.ImmediateResponse(
            status=http_status_pb2.HttpStatus(code=502),  # type: ignore[arg-type]
            headers=ep.HeaderMutation(set_headers=[base_pb2.HeaderValueOption(
                header=base_pb2.HeaderValue(key="content-type", raw_value=b"application/json"),
                append_action=_OVERWRITE)]),
            body=body,
            details=f"phi_guard_withheld_{reason}",
        )
    )


def _apply_header_verdict(mutation: ep.HeaderMutation, verdict: Any) -> int:
    mutation.remove_headers.extend(verdict.remove)
    for name, value in verdict.set.items():
        mutation.set_headers.append(base_pb2.HeaderValueOption(
            header=base_pb2.HeaderValue(key=name, raw_value=value.encode("utf-8")), append_action=_OVERWRITE))
    return int(verdict.dropped)


class ExternalProcessorService(ep_grpc.ExternalProcessorServicer):
    def __init__(self, deps: ExtProcDeps) -> None:
        self.d = deps

    async def Process(
        self, request_iterator: AsyncIterator[ep.ProcessingRequest], context: grpc.aio.ServicerContext
    ) -> AsyncIterator[ep.ProcessingResponse]:
        st = _Stream()
        t0 = time.monotonic()
        try:
            async for req in request_iterator:
                if not st.request_id:
                    self._bind(st, req)
                which = req.WhichOneof("request")
                if which == "request_body":
                    yield self._request_body(st, req.request_body)
                elif which == "response_headers":
                    yield self._response_headers(st, req.response_headers)
                    if req.response_headers.end_of_stream:
                        await self._finish(st, t0)
                elif which == "response_body":
                    reply = await self._response_body(st, req.response_body, t0)
                    yield reply
                    if reply.WhichOneof("response") == "immediate_response":
                        return
                else:  # modes we did not ask for: acknowledge without change
                    yield ep.ProcessingResponse(**{which: ep.HeadersResponse() if "headers" in which
                                                   else ep.TrailersResponse()})
        except (RedactionError, AuditUnavailable) as err:
            # Fail closed: what was not scanned, or not audited, is never released.
            self.d.metrics.withheld.labels(type(err).__name__).inc()
            self.d.log.warning("body_withheld", request_id=st.request_id, cause=type(err).__name__)
            yield _withhold(type(err).__name__)
        finally:
            if not st.finished and st.exchange is not None and not st.local_reply:
                # Stream ended early (client gone, guard shutting down): still one event for the request.
                await self._finish(st, t0, complete=False)

    # --- phases ---------------------------------------------------------------------------------------------

    def _bind(self, st: _Stream, req: ep.ProcessingRequest) -> None:
        md = _metadata(req)
        st.request_id = str(md.get("request_id") or "")
        if md.get("denied") or md.get("guard_api"):
            st.local_reply = True
            return
        st.exchange = self.d.exchanges.take(st.request_id) if st.request_id else None
        if st.exchange is not None and st.exchange.decision.response_profile:
            st.profile = st.exchange.decision.response_profile

    def _request_body(self, st: _Stream, body: ep.HttpBody) -> ep.ProcessingResponse:
        ex = st.exchange
        profile = ex.decision.request_profile if ex is not None else None
        if not profile:
            return _body_reply("request_body", None)
        assert ex is not None
        # The parsed body, not the caller's content-type, picks the processor (sidecar/edge/request_guard.py).
        proc = self.d.redaction.open_body(profile, request_body_media_type(ex.ai), ex.view.header("content-encoding"),
                                          conversation_key=st.request_id, direction="request")
        out = proc.feed(body.body) + proc.finish()
        st.request_redactions = dict(proc.summary)
        return _body_reply("request_body", out)

    def _response_headers(self, st: _Stream, headers: ep.HttpHeaders) -> ep.ProcessingResponse:
        status_text = _header_value(headers, ":status")
        st.status = int(status_text) if status_text.isdigit() else 0
        mutation = ep.HeaderMutation(remove_headers=["content-length"])
        if st.local_reply:
            return ep.ProcessingResponse(response_headers=ep.HeadersResponse(
                response=ep.CommonResponse(header_mutation=mutation)))
        ctype = _header_value(headers, "content-type")
        encoding = _header_value(headers, "content-encoding")
        st.processor = self.d.redaction.open_body(st.profile, ctype, encoding, conversation_key=st.request_id)
        st.sse = ctype.split(";")[0].strip().lower() == "text/event-stream"
        mutation.remove_headers.append("content-encoding")
        if self.d.response_headers is not None:  # allowlist: drop, shape-check or redact (sidecar/edge)
            st.headers_dropped = _apply_header_verdict(mutation, self.d.response_headers.filter(
                ((h.key, h.raw_value.decode("latin-1") if h.raw_value else h.value)
                 for h in headers.headers.headers), st.profile))
        mutation.set_headers.append(base_pb2.HeaderValueOption(
            header=base_pb2.HeaderValue(key="x-phi-guard-redaction-profile", raw_value=st.profile.encode()),
            append_action=_OVERWRITE))
        return ep.ProcessingResponse(response_headers=ep.HeadersResponse(
            response=ep.CommonResponse(header_mutation=mutation)))

    async def _response_body(self, st: _Stream, body: ep.HttpBody, t0: float) -> ep.ProcessingResponse:
        if st.local_reply:
            return _body_reply("response_body", None)
        if st.processor is None:  # body without headers cannot happen in our modes: refuse
            return _withhold("protocol")
        self._keep_raw(st, body.body)
        st.buffered_bytes += len(body.body)
        with self.d.metrics.stage_seconds.labels("redaction").time():
            if st.buffered_bytes > THREAD_THRESHOLD_BYTES and (body.end_of_stream or len(body.body) > 65536):
                out = await asyncio.to_thread(self._redact_chunk, st.processor, body.body, body.end_of_stream)
            else:
                out = self._redact_chunk(st.processor, body.body, body.end_of_stream)
            if st.processor.streaming:
                st.buffered_bytes = 0
        if body.end_of_stream and st.sse and st.processor.summary:
            # The headers left before the counts existed: an SSE comment (ignored by clients) carries them.
            out += f": phi-guard-redactions {summary_header(st.processor.summary)}\n\n".encode()
        if out and st.first_byte_at is None:
            st.first_byte_at = time.monotonic()
        st.out_bytes += len(out)
        if body.end_of_stream:
            await self._finish(st, t0)
        return _body_reply("response_body", out)

    @staticmethod
    def _redact_chunk(processor: Any, chunk: bytes, end: bool) -> bytes:
        out: bytes = processor.feed(chunk)
        return out + processor.finish() if end else out

    def _keep_raw(self, st: _Stream, chunk: bytes) -> None:
        room = self.d.max_audit_body_bytes - len(st.raw)
        if room >= len(chunk):
            st.raw += chunk
        else:
            st.raw += chunk[: max(room, 0)]
            st.raw_truncated = True

    async def _finish(self, st: _Stream, t0: float, complete: bool = True) -> None:
        """Write the exchange's audit event (durable before the last byte is released)."""
        st.finished = True
        if st.exchange is None or st.local_reply:
            return
        summary = dict(st.processor.summary) if st.processor is not None else {}
        for kind, n in summary.items():
            self.d.metrics.redactions.labels(kind).inc(n)
        await self.d.audit.exchange(
            st.exchange,
            status=st.status,
            response_body=bytes(st.raw),
            response_truncated=st.raw_truncated,
            redaction_summary=summary,
            request_redactions=st.request_redactions,
            response_headers_dropped=st.headers_dropped,
            complete=complete,
            latency_s=time.monotonic() - st.exchange.started,
        )
        ex = st.exchange
        self.d.log.info("decision", request_id=st.request_id, decision_id=ex.decision.decision_id, sub=ex.identity.sub,
                        result="allow", reasons=ex.decision.reason_codes, risk=ex.decision.risk, status=st.status,
                        redactions=summary, bytes_out=st.out_bytes, complete=complete,
                        proc_ms=round((time.monotonic() - t0) * 1000, 3))
