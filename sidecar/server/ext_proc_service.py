"""ext_proc v3 ``ExternalProcessor.Process``: response (and, when policy asks, request) bodies are redacted
before they leave; the finished exchange becomes one audit event.

Processing modes (fixed by the Envoy config): request headers SKIP, request body BUFFERED, response headers SEND,
response body STREAMED — so exactly one reply per message, in order. Envoy sends body chunks before the headers
reply when its config says so (``P.EARLY_BODY_METADATA``): a buffered (JSON) answer's replies are then held and
sent together once its body is scanned, so a refusal is a clean status. Any failure withholds: the stream is
ended with an immediate response, never passed through raw.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import grpc
from envoy.config.core.v3 import base_pb2
from envoy.service.ext_proc.v3 import external_processor_pb2 as ep
from envoy.service.ext_proc.v3 import external_processor_pb2_grpc as ep_grpc
from envoy.type.v3 import http_status_pb2

from sidecar import protocol as P
from sidecar.audit.log import AuditUnavailable
from sidecar.edge.response_headers import ResponseHeaderFilter
from sidecar.mcp_tools import mcp_answer_processor
from sidecar.observability.metrics import Metrics
from sidecar.redaction.bodies.documents import UnreadMedia
from sidecar.redaction.bodies.identifiers import AnswerIdentifiers
from sidecar.redaction.engine import summary_header
from sidecar.redaction.errors import RedactionError
from sidecar.redaction.scan_budget import ScanBudgetExceeded
from sidecar.server.budget import ByteBudget
from sidecar.server.handoff import Handoff, read_metadata
from sidecar.server.stages import AuditStage, BodyRedactor, Log, RedactionStage

# Used when a response arrives without a profile chosen by policy (Envoy's own local replies, or a decision
# that names none): the strictest. The server never substitutes a weaker profile than policy's.
FALLBACK_PROFILE = "safe_harbor"
# Redaction work on chunks bigger than this runs in a worker thread so the event loop keeps serving.
THREAD_THRESHOLD_BYTES = 256 * 1024
# A buffered (JSON) answer's headers reply is held until its body is scanned, up to this many body bytes: Envoy
# keeps the chunks it sent until they are answered, and past its buffer limit (1 MiB per connection in the
# rendered config) it stops reading the upstream. Longer bodies release the headers as before (a refusal after
# that is a reset stream).
HOLD_HEADERS_MAX_BYTES = 512 * 1024
_OVERWRITE = base_pb2.HeaderValueOption.OVERWRITE_IF_EXISTS_OR_ADD


@dataclass
class ExtProcDeps:
    """What Process needs, built by :mod:`sidecar.server.app` (or in memory by the fast tests)."""

    redaction: RedactionStage
    audit: AuditStage
    metrics: Metrics
    log: Log
    max_audit_body_bytes: int = 4 * 1024 * 1024
    # Response bytes all streams together may hold (audit copies + processor buffers); full -> 503.
    budget: ByteBudget = field(default_factory=lambda: ByteBudget(512 * 1024 * 1024))
    # allowlist of response headers: drop, shape-check or redact (sidecar/edge); None keeps all (tests only)
    response_headers: ResponseHeaderFilter | None = None


@dataclass
class _Stream:
    bound: bool = False
    reserved: int = 0  # bytes of the process-wide budget this stream holds
    request_id: str = ""
    handoff: Handoff | None = None
    local_reply: bool = False
    profile: str = FALLBACK_PROFILE
    status: int = 0
    processor: BodyRedactor | None = None
    sse: bool = False
    buffered_bytes: int = 0
    raw: bytearray = field(default_factory=bytearray)
    raw_truncated: bool = False
    out_bytes: int = 0
    first_byte_at: float | None = None
    request_redactions: dict[str, int] = field(default_factory=dict)
    headers_dropped: int = 0
    finished: bool = False
    refusal: str = ""  # the refusal code the client got, when it is the audit event's outcome
    # replies held back (the headers reply first) while a buffered body is read; None: nothing held
    held: list[ep.ProcessingResponse] | None = None
    next_read: asyncio.Future[ep.ProcessingRequest | None] | None = None  # a read pending while holding
    read_waiter: asyncio.Future[None] | None = None  # set when that read ends or the pause runs out


def _header_pairs(headers: ep.HttpHeaders) -> list[tuple[str, str]]:
    """(name, value) of every header, read from the message once."""
    return [(h.key, h.raw_value.decode("latin-1") if h.raw_value else h.value) for h in headers.headers.headers]


def _header_value(pairs: list[tuple[str, str]], name: str) -> str:
    """The first value of header ``name`` (lower case), or ""."""
    for key, value in pairs:
        if key.lower() == name:
            return value
    return ""


@dataclass(frozen=True, slots=True)
class _EarlyBody:
    """This Envoy sends response body chunks before the headers reply (``P.EARLY_BODY_METADATA``)."""

    pause_s: float  # a held body's pause after which the guard extends Envoy's message timer
    extend_ms: int  # ... to this (≤ the filter's max_message_timeout)


def _early_body(context: grpc.aio.ServicerContext) -> _EarlyBody | None:
    """From the stream's gRPC metadata ``"<pause ms>,<extend ms>"``; None without it (or unreadable: then the
    headers are answered at once, as STREAMED mode needs)."""
    if context is None:  # in-memory callers (tests) pass none
        return None
    for key, value in context.invocation_metadata() or ():
        if key == P.EARLY_BODY_METADATA:
            text = value.decode() if isinstance(value, bytes) else str(value)
            pause, _, extend = text.partition(",")
            if pause.isdigit() and extend.isdigit() and int(pause) > 0 and 0 < int(extend) <= 3_600_000:
                return _EarlyBody(int(pause) / 1000, int(extend))
    return None


async def _read_next(requests: AsyncIterator[ep.ProcessingRequest], st: _Stream) -> ep.ProcessingRequest | None:
    """The next message (None at the end), read on its own task; whoever waits for it (``st.read_waiter``) is
    woken from here, one loop pass sooner than through the task's done callbacks."""
    try:
        return await requests.__anext__()
    except StopAsyncIteration:
        return None
    finally:
        _wake(st.read_waiter)


def _wake(waiter: asyncio.Future[None] | None) -> None:
    if waiter is not None and not waiter.done():
        waiter.set_result(None)


def _extend_timer(ms: int) -> ep.ProcessingResponse:
    """Restarts Envoy's message timer (the held headers' and chunks' replies are not due yet)."""
    resp = ep.ProcessingResponse()
    resp.override_message_timeout.FromMilliseconds(ms)
    return resp


def _summary_comment_ok(st: _Stream) -> bool:
    return st.handoff is None or st.handoff.api not in P.NO_SSE_SUMMARY_COMMENT_APIS


def _body_reply(which: str, body: bytes | None) -> ep.ProcessingResponse:
    """The reply to a body message: ``body`` replaces it (None: passes unchanged). Filled in place: building
    the parts and passing them to constructors copies the body twice, on every streamed message."""
    resp = ep.ProcessingResponse()
    common = getattr(resp, which).response
    if body is not None:
        common.body_mutation.body = body
    else:
        common.SetInParent()
    return resp


def _withhold(reason: str, status: int = 502, error: str = P.RESPONSE_WITHHELD) -> ep.ProcessingResponse:
    body = json.dumps({"error": error, "reason": reason}).encode()
    headers = [("content-type", b"application/json")] + ([("retry-after", b"5")] if status == 503 else [])
    return ep.ProcessingResponse(
        immediate_response=ep.ImmediateResponse(
            status=http_status_pb2.HttpStatus(code=status),  # type: ignore[arg-type]
            headers=ep.HeaderMutation(set_headers=[base_pb2.HeaderValueOption(
                header=base_pb2.HeaderValue(key=k, raw_value=v), append_action=_OVERWRITE) for k, v in headers]),
            body=body,
            details=f"phi_guard_withheld_{reason}",
        )
    )


class ExternalProcessorService(ep_grpc.ExternalProcessorServicer):
    def __init__(self, deps: ExtProcDeps) -> None:
        self.d = deps
        self._redaction_timer = deps.metrics.stage_seconds.labels("redaction")  # every body message: looked up once

    async def Process(
        self, request_iterator: AsyncIterator[ep.ProcessingRequest], context: grpc.aio.ServicerContext
    ) -> AsyncIterator[ep.ProcessingResponse]:
        st = _Stream()
        t0 = time.monotonic()
        early = _early_body(context)
        requests = request_iterator.__aiter__()
        try:
            while True:
                try:
                    if st.held is None or early is None:
                        req = await requests.__anext__()
                    else:  # holding: a pause in the upstream's body must not run out Envoy's message timer
                        req = await self._next_extending(requests, early, st)
                        if req is None:
                            yield _extend_timer(early.extend_ms)
                            continue
                except StopAsyncIteration:
                    break
                if not st.bound:
                    self._bind(st, req)
                which = req.WhichOneof("request")
                if which == "request_body":
                    yield self._request_body(st, req.request_body)
                elif which == "response_headers":
                    reply = self._response_headers(st, req.response_headers)
                    if req.response_headers.end_of_stream:
                        await self._finish(st, t0)
                    elif early is not None and st.processor is not None and not st.processor.streaming:
                        st.held = [reply]  # answered with the scanned body: a refusal stays a clean status
                        continue
                    yield reply
                elif which == "response_body":
                    reply = await self._response_body(st, req.response_body, t0)
                    if reply.WhichOneof("response") == "immediate_response":
                        yield reply  # replaces whatever was held: the headers never left
                        return
                    if st.held is None:
                        yield reply
                        continue
                    st.held.append(reply)
                    # a held body's processor is not streaming: buffered_bytes is the whole body so far
                    if req.response_body.end_of_stream or st.buffered_bytes > HOLD_HEADERS_MAX_BYTES:
                        held, st.held = st.held, None
                        for r in held:
                            yield r
                else:  # modes we did not ask for: acknowledge without change
                    yield ep.ProcessingResponse(**{which: ep.HeadersResponse() if "headers" in which
                                                   else ep.TrailersResponse()})
        except (RedactionError, AuditUnavailable) as err:
            # Fail closed: what was not scanned, or not audited, is never released.
            self.d.metrics.withheld.labels(type(err).__name__).inc()
            self.d.log.warning("body_withheld", request_id=st.request_id, cause=type(err).__name__)
            if isinstance(err, ScanBudgetExceeded):  # audited as its own outcome
                st.status, st.refusal = 502, P.SCAN_BUDGET_EXCEEDED
                yield _withhold(type(err).__name__, error=P.SCAN_BUDGET_EXCEEDED)
            elif isinstance(err, UnreadMedia):  # the caller's own request: a clear 400
                st.status, st.refusal = 400, P.UNREADABLE_MEDIA
                yield _withhold(type(err).__name__, status=400, error=P.UNREADABLE_MEDIA)
            else:
                yield _withhold(type(err).__name__)
        finally:
            if st.next_read is not None:
                st.next_read.cancel()
            try:
                if not st.finished and st.handoff is not None and not st.local_reply:
                    # Stream ended early (client gone, guard shutting down): still one event for the request.
                    await self._finish(st, t0, complete=False)
            finally:
                self.d.budget.release(st.reserved)
                st.reserved = 0

    @staticmethod
    async def _next_extending(requests: AsyncIterator[ep.ProcessingRequest], early: _EarlyBody,
                              st: _Stream) -> ep.ProcessingRequest | None:
        """The next message, or None once the upstream has paused ``early.pause_s`` (the caller then extends
        Envoy's message timer and calls again; the read stays pending). Raises StopAsyncIteration at the end."""
        if st.next_read is None:
            st.next_read = asyncio.ensure_future(_read_next(requests, st))
        read = st.next_read
        if not read.done():  # wait for the read or the pause, whichever ends first (asyncio.wait, lighter)
            loop = asyncio.get_running_loop()
            waiter = st.read_waiter = loop.create_future()
            timer = loop.call_later(early.pause_s, _wake, waiter)
            try:
                await waiter
            finally:
                timer.cancel()
                st.read_waiter = None
            if not read.done():
                return None
        st.next_read = None
        req = read.result()
        if req is None:
            raise StopAsyncIteration
        return req

    # --- phases ---------------------------------------------------------------------------------------------

    def _bind(self, st: _Stream, req: ep.ProcessingRequest) -> None:
        """What Check decided, from the stream's metadata (set by whichever replica ran Check)."""
        ctx = read_metadata(req.metadata_context.filter_metadata)
        st.bound = True
        st.request_id = ctx.request_id
        st.local_reply = ctx.local_reply
        st.handoff = ctx.handoff
        if st.handoff is not None:
            st.profile = st.handoff.response_profile or FALLBACK_PROFILE
        elif not ctx.local_reply:
            # Envoy's own reply (no Check ran), or an Envoy without the metadata forwarding: strictest, counted.
            self.d.metrics.handoff_missing.inc()

    def _request_body(self, st: _Stream, body: ep.HttpBody) -> ep.ProcessingResponse:
        ho = st.handoff
        if ho is None:
            # A request body with no decision: nothing may reach the model unexamined.
            raise RedactionError("request body without a decision")
        if not ho.request_profile:
            return _body_reply("request_body", None)
        proc = self.d.redaction.open_body(ho.request_profile, ho.request_content_type, ho.request_content_encoding,
                                          conversation_key=st.request_id, direction="request")
        out = proc.feed(body.body) + proc.finish()
        st.request_redactions = dict(proc.summary)
        return _body_reply("request_body", out)

    def _response_headers(self, st: _Stream, headers: ep.HttpHeaders) -> ep.ProcessingResponse:
        pairs = _header_pairs(headers)
        status_text = _header_value(pairs, ":status")
        st.status = int(status_text) if status_text.isdigit() else 0
        # The edits are gathered as Python values and written into the reply once, in place: building messages
        # and passing them to constructors, or filtering repeated fields, copies every header option again.
        resp = ep.ProcessingResponse()
        mutation = resp.response_headers.response.header_mutation
        if st.local_reply:
            mutation.remove_headers.append("content-length")
            return resp
        ctype = _header_value(pairs, "content-type")
        encoding = _header_value(pairs, "content-encoding")
        ho = st.handoff
        request = AnswerIdentifiers.of(ho.model, ho.tools) if ho is not None else AnswerIdentifiers()
        st.processor = self.d.redaction.open_body(st.profile, ctype, encoding, conversation_key=st.request_id,
                                                  request=request)
        st.processor = mcp_answer_processor(
            st.processor, ho.rpc_method if ho else "", ho.permitted_tools if ho else None, ctype
        )  # MCP tools/list, initialize
        st.sse = ctype.split(";")[0].strip().lower() == "text/event-stream"
        remove = ["content-length", "content-encoding"]
        set_: list[tuple[str, str]] = []
        if self.d.response_headers is not None:  # allowlist: drop, shape-check or redact (sidecar/edge)
            verdict = self.d.response_headers.filter(pairs, st.profile)
            remove += verdict.remove
            set_ += verdict.set.items()
            st.headers_dropped = int(verdict.dropped)
        if ctype:  # the body leaves as UTF-8 whatever charset it came in: say so (and drop other parameters)
            remove = [h for h in remove if h.lower() != "content-type"]
            set_ = [(k, v) for k, v in set_ if k.lower() != "content-type"]
            set_.append(("content-type", st.processor.content_type))
        set_.append((P.REDACTION_PROFILE_HEADER, st.profile))
        mutation.remove_headers.extend(remove)
        for name, value in set_:
            option = mutation.set_headers.add()
            option.header.key = name
            option.header.raw_value = value.encode("utf-8")
            option.append_action = _OVERWRITE
        return resp

    async def _response_body(self, st: _Stream, body: ep.HttpBody, t0: float) -> ep.ProcessingResponse:
        if st.local_reply:
            return _body_reply("response_body", None)
        if st.processor is None:  # body without headers cannot happen in our modes: refuse
            return _withhold("protocol")
        room = max(self.d.max_audit_body_bytes - len(st.raw), 0)
        held = len(st.raw) + min(room, len(body.body)) + st.buffered_bytes + len(body.body)
        if not self.d.budget.try_reserve(held - st.reserved):
            # Fail closed and say why: the guard holds as many response bytes as it may.
            self.d.metrics.withheld.labels(P.BODY_BUDGET_EXHAUSTED).inc()
            self.d.log.warning("body_withheld", request_id=st.request_id, cause=P.BODY_BUDGET_EXHAUSTED)
            st.status = 503
            return _withhold("memory", 503, P.BODY_BUDGET_EXHAUSTED)
        st.reserved = held
        self._keep_raw(st, body.body)
        st.buffered_bytes += len(body.body)
        with self._redaction_timer.time():
            if st.buffered_bytes > THREAD_THRESHOLD_BYTES and (body.end_of_stream or len(body.body) > 65536):
                out = await asyncio.to_thread(self._redact_chunk, st.processor, body.body, body.end_of_stream)
            else:
                out = self._redact_chunk(st.processor, body.body, body.end_of_stream)
            if st.processor.streaming:
                st.buffered_bytes = 0
                self.d.budget.release(st.reserved - len(st.raw))
                st.reserved = len(st.raw)
        if body.end_of_stream and st.sse and st.processor.summary and _summary_comment_ok(st):
            # The headers left before the counts existed: an SSE comment (ignored by clients) carries them.
            out += f": phi-guard-redactions {summary_header(st.processor.summary)}\n\n".encode()
        if out and st.first_byte_at is None:
            st.first_byte_at = time.monotonic()
        st.out_bytes += len(out)
        if body.end_of_stream:
            await self._finish(st, t0)
        return _body_reply("response_body", out)

    @staticmethod
    def _redact_chunk(processor: BodyRedactor, chunk: bytes, end: bool) -> bytes:
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
        """Write the response half of the exchange's audit (durable before the last byte is released)."""
        st.finished = True
        ho = st.handoff
        if ho is None or st.local_reply:
            return
        summary = dict(st.processor.summary) if st.processor is not None else {}
        for kind, n in summary.items():
            self.d.metrics.redactions.labels(kind).inc(n)
        await self.d.audit.response(
            ho,
            status=st.status,
            response_body=bytes(st.raw),
            response_truncated=st.raw_truncated,
            redaction_summary=summary,
            request_redactions=st.request_redactions,
            profile=st.profile,
            response_headers_dropped=st.headers_dropped,
            complete=complete,
            outcome=st.refusal,
            latency_s=max(time.time() - ho.authorized_at, 0.0) if ho.authorized_at else time.monotonic() - t0,
        )
        st.raw = bytearray()  # the audit copy is in the spool now
        self.d.log.info("decision", request_id=st.request_id, decision_id=ho.decision_id, sub=ho.sub,
                        result="allow", status=st.status, profile=st.profile, redactions=summary,
                        bytes_out=st.out_bytes, complete=complete, proc_ms=round((time.monotonic() - t0) * 1000, 3))
