"""In-memory stages and canned Envoy protos for the fast ``Check`` / ``Process`` tests (no Envoy, no S3)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from envoy.config.core.v3 import base_pb2
from envoy.service.auth.v3 import external_auth_pb2 as authz
from envoy.service.ext_proc.v3 import external_processor_pb2 as ep
from google.protobuf import struct_pb2

from sidecar import protocol as P
from sidecar.ai_request import AIRequest
from sidecar.identity.model import AuthError, Identity
from sidecar.observability.metrics import Metrics
from sidecar.policy.model import Decision, PolicyUnavailable
from sidecar.request_view import RequestView
from sidecar.server.authz_service import AuthorizationService, AuthzDeps
from sidecar.server.ext_proc_service import ExternalProcessorService, ExtProcDeps
from sidecar.server.handoff import Handoff

PHI = "Ada Lovelace"


class FakeIdentity:
    def __init__(self, identity: Identity | None = None) -> None:
        self.identity = identity or Identity(sub="dr.who", iss="https://idp.test", auth_method="jwt",
                                             roles=("researcher",), client_id="agent-1")

    async def resolve(self, view: RequestView) -> Identity:
        if not view.header("authorization"):
            raise AuthError("missing_credentials", "no token")
        return self.identity


class FakePolicy:
    def __init__(self, decision: Decision | None = None, fail: bool = False) -> None:
        self.decision = decision or Decision(allow=True, response_profile="safe_harbor", request_profile=None,
                                             policy_version="v-test", decision_id="dec-1")
        self.fail = fail
        self.inputs: list[dict[str, Any]] = []

    async def decide_async(self, input_doc: dict[str, Any]) -> Decision:
        self.inputs.append(input_doc)
        if self.fail:
            raise PolicyUnavailable("no policy loaded")
        return self.decision


class FakeCredentials:
    def __init__(self, creds: Mapping[str, tuple[str, str] | None] | None = None, fail: bool = False) -> None:
        self.creds = dict(creds or {"default": ("authorization", "Bearer sk-upstream")})
        self.fail = fail

    def header_for(self, name: str) -> tuple[str, str] | None:
        if self.fail or name not in self.creds:
            raise LookupError(f"upstream {name}")
        return self.creds[name]


@dataclass
class FakeAudit:
    writable: bool = True
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    async def refused(self, view: RequestView, identity: Identity | None, decision: Decision | None,
                      ai: AIRequest | None, *, status: int, reason: str, latency_s: float,
                      approval_ref: str = "") -> None:
        self.events.append(("refused", {"request_id": view.request_id, "status": status, "reason": reason,
                                        "sub": identity.sub if identity else None}))

    denied = refused

    async def allowed(self, view: RequestView, identity: Identity, decision: Decision | None,
                      ai: AIRequest | None, *, outcome: str, latency_s: float, approval_ref: str = "",
                      break_glass_reason: str = "") -> None:
        self.events.append(("allowed", {"request_id": view.request_id, "outcome": outcome, "body": view.body,
                                        "decision_id": decision.decision_id if decision else None}))

    async def response(self, handoff: Handoff, *, status: int, response_body: bytes, response_truncated: bool,
                       redaction_summary: Mapping[str, int], request_redactions: Mapping[str, int],
                       profile: str, complete: bool, latency_s: float,
                       response_headers_dropped: int = 0, outcome: str = "") -> None:
        self.events.append(("response", {"handoff": handoff, "status": status, "body": response_body,
                                          "profile": profile, "complete": complete, "outcome": outcome,
                                          "redactions": dict(redaction_summary)}))


class _Processor:
    streaming = False
    content_type = "application/json"

    def __init__(self, profile: str) -> None:
        self.profile = profile
        self.counts: dict[str, int] = {}
        self._tail = b""

    @property
    def summary(self) -> dict[str, int]:
        return dict(self.counts)

    def _redact(self, data: bytes) -> bytes:
        out, n = re.subn(PHI.encode(), f"[NAME:{self.profile}]".encode(), data)
        if n:
            self.counts["NAME"] = self.counts.get("NAME", 0) + n
        return out

    def feed(self, chunk: bytes) -> bytes:
        self._tail += chunk  # buffered: a name split across chunks is seen whole at the end
        return b""

    def finish(self) -> bytes:
        out, self._tail = self._redact(self._tail), b""
        return out


class FakeRedaction:
    def __init__(self) -> None:
        self.opened: list[tuple[str, str, str]] = []

    def open_body(self, profile: str, content_type: str, content_encoding: str = "", conversation_key: str = "",
                  direction: Literal["response", "request"] = "response", request: Any = None) -> _Processor:
        self.opened.append((direction, profile, content_type))
        return _Processor(profile)


class NullLog:
    def __getattr__(self, name: str) -> Any:
        return lambda *a, **k: None


def authz_service(**over: Any) -> tuple[AuthorizationService, AuthzDeps]:
    deps = AuthzDeps(identity=over.pop("identity", FakeIdentity()), policy=over.pop("policy", FakePolicy()),
                     approvals=None, audit=over.pop("audit", FakeAudit()),
                     credentials=over.pop("credentials", FakeCredentials()), metrics=Metrics(), log=NullLog(),
                     identity_key=b"k" * 32, **over)
    return AuthorizationService(deps), deps


def ext_proc_service(audit: FakeAudit | None = None) -> tuple[ExternalProcessorService, ExtProcDeps]:
    deps = ExtProcDeps(redaction=FakeRedaction(), audit=audit or FakeAudit(), metrics=Metrics(), log=NullLog())
    return ExternalProcessorService(deps), deps


def check_request(body: bytes, *, path: str = "/v1/chat/completions", method: str = "POST",
                  request_id: str = "req-1", token: str = "Bearer t",
                  context: Mapping[str, str] | None = None) -> authz.CheckRequest:
    req = authz.CheckRequest()
    http = req.attributes.request.http
    http.method, http.path, http.host, http.scheme, http.id = method, path, "guard.test", "http", request_id
    http.headers.update({"content-type": "application/json", "x-phi-guard-purpose": "research",
                         **({"authorization": token} if token else {})})
    http.raw_body = body
    req.attributes.context_extensions.update(dict(context or {}))
    return req


def chat_body(text: str = f"Summarise the chart of {PHI}.") -> bytes:
    import json

    return json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": text}]}).encode()


def processing_requests(metadata: struct_pb2.Struct | None, chunks: Iterable[bytes],
                        content_type: str = "text/plain") -> list[ep.ProcessingRequest]:
    """response_headers then one response_body message per chunk (the last with end_of_stream)."""
    chunks = list(chunks)
    first = ep.ProcessingRequest(response_headers=ep.HttpHeaders(headers=base_pb2.HeaderMap(headers=[
        base_pb2.HeaderValue(key=":status", raw_value=b"200"),
        base_pb2.HeaderValue(key="content-type", raw_value=content_type.encode())])))
    msgs = [first] + [ep.ProcessingRequest(response_body=ep.HttpBody(body=c, end_of_stream=i == len(chunks) - 1))
                      for i, c in enumerate(chunks)]
    if metadata is not None:
        for m in msgs:  # Envoy sends the forwarded namespaces on every message
            m.metadata_context.filter_metadata[P.EXT_AUTHZ_METADATA_NAMESPACE].CopyFrom(metadata)
    return msgs


async def run_process(svc: ExternalProcessorService, msgs: list[ep.ProcessingRequest]) -> list[ep.ProcessingResponse]:
    async def gen() -> AsyncIterator[ep.ProcessingRequest]:
        for m in msgs:
            yield m

    return [r async for r in svc.Process(gen(), None)]  # type: ignore[arg-type]


def released_body(replies: list[ep.ProcessingResponse]) -> bytes:
    return b"".join(r.response_body.response.body_mutation.body for r in replies if r.HasField("response_body"))


def response_header(replies: list[ep.ProcessingResponse], name: str) -> str | None:
    for r in replies:
        if r.HasField("response_headers"):
            for h in r.response_headers.response.header_mutation.set_headers:
                if h.header.key == name:
                    return h.header.raw_value.decode()
    return None
