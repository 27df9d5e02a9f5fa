"""The contract of each stage as the server wiring sees it (structural types: any object with these methods).

The concrete stages (``sidecar.identity.resolver.IdentityResolver``, ``sidecar.policy.service.PolicyService``,
``sidecar.approvals.service.ApprovalService``, ``sidecar.redaction.engine.RedactionEngine``,
``sidecar.server.auditing.AuditRecorder``, ``sidecar.identity.upstream_credentials.UpstreamCredentials``) satisfy
them; the fast service tests pass in-memory ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Protocol

from sidecar.ai_request import AIRequest
from sidecar.identity.model import Identity
from sidecar.policy.model import Decision
from sidecar.redaction.bodies.identifiers import AnswerIdentifiers
from sidecar.request_view import RequestView
from sidecar.server.handoff import Handoff


class IdentityStage(Protocol):
    async def resolve(self, view: RequestView) -> Identity:
        """The caller's identity. Raises ``AuthError`` (status + reason) when there is none."""
        ...


class RequestParser(Protocol):
    def __call__(self, view: RequestView) -> AIRequest:
        """The AI request a view carries (never raises: unknown shapes are ``api == "unknown"``)."""
        ...


class PolicyStage(Protocol):
    async def decide_async(self, input_doc: dict[str, Any]) -> Decision:
        """The decision for one request. Raises ``PolicyUnavailable`` when none can be made."""
        ...


class ApprovalsStage(Protocol):
    async def request_approval(self, identity: Identity, decision: Decision, fingerprint: str,
                               summary: dict[str, Any]) -> dict[str, Any]: ...

    async def consume(self, approval_id: str, identity: Identity, fingerprint: str) -> dict[str, Any]:
        """The grant, consumed. Raises ``ApprovalRefused``."""
        ...

    async def break_glass(self, identity: Identity, reason: str, fingerprint: str,
                          summary: dict[str, Any] | None = None) -> dict[str, Any]:
        """Record an emergency access. Raises ``ApprovalRefused``."""
        ...


class BodyRedactor(Protocol):
    """One body's processor: ``feed`` returns what is safe to release now, ``finish`` the rest."""

    streaming: bool
    # the content-type header to send with the output (always UTF-8, whatever charset came in)
    content_type: str

    @property
    def summary(self) -> dict[str, int]: ...

    def feed(self, chunk: bytes) -> bytes: ...

    def finish(self) -> bytes: ...


class RedactionStage(Protocol):
    def open_body(self, profile: str, content_type: str, content_encoding: str = "", conversation_key: str = "",
                  direction: Literal["response", "request"] = "response",
                  request: AnswerIdentifiers | None = None) -> BodyRedactor:
        """Raises ``RedactionError`` subclasses (unknown profile, unsupported encoding): withhold. ``request``:
        the requested model and declared tools an answer's identifier fields are checked against."""
        ...


class CredentialStage(Protocol):
    def header_for(self, name: str) -> tuple[str, str] | None:
        """(header, value) to inject towards upstream ``name``; raises when configured but unusable."""
        ...


class AuditStage(Protocol):
    """Every access decision and exchange half becomes an event; each call returns once it is durable."""

    @property
    def writable(self) -> bool: ...

    async def refused(self, view: RequestView, identity: Identity | None, decision: Decision | None,
                      ai: AIRequest | None, *, status: int, reason: str, latency_s: float,
                      approval_ref: str = "") -> None: ...

    async def denied(self, view: RequestView, identity: Identity | None, decision: Decision | None,
                     ai: AIRequest | None, *, status: int, reason: str, latency_s: float,
                     approval_ref: str = "") -> None:
        """Older name of :meth:`refused` (kept while other branches still call it)."""
        ...

    async def allowed(self, view: RequestView, identity: Identity, decision: Decision | None,
                      ai: AIRequest | None, *,
                      outcome: str, latency_s: float, approval_ref: str = "",
                      break_glass_reason: str = "") -> None: ...

    async def response(self, handoff: Handoff, *, status: int, response_body: bytes, response_truncated: bool,
                       redaction_summary: Mapping[str, int], request_redactions: Mapping[str, int],
                       profile: str, complete: bool, latency_s: float,
                       response_headers_dropped: int = 0, outcome: str = "") -> None: ...


class Log(Protocol):
    """structlog's bound logger, as far as the services use it."""

    def debug(self, event: str, **kw: Any) -> Any: ...

    def info(self, event: str, **kw: Any) -> Any: ...

    def warning(self, event: str, **kw: Any) -> Any: ...

    def error(self, event: str, **kw: Any) -> Any: ...

    def exception(self, event: str, **kw: Any) -> Any: ...
