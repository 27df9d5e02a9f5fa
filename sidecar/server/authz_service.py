"""ext_authz v3 ``Authorization.Check``: identity -> request context -> policy -> approval/break-glass -> verdict.

Every arrow is one call below; each stage lives in its own package and knows nothing of Envoy.
Fail closed: any stage that cannot do its job turns into a 503 local reply, never an allow.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from functools import partial
from typing import Any

import grpc
from envoy.service.auth.v3 import external_auth_pb2 as authz
from envoy.service.auth.v3 import external_auth_pb2_grpc as authz_grpc

from sidecar import protocol as P
from sidecar.ai_request import AIRequest, parse_ai_request
from sidecar.approvals.service import ApprovalRefused
from sidecar.audit.log import AuditUnavailable
from sidecar.edge.request_guard import HeaderEdits, Refusal, RequestEdge, check_body, request_body_media_type
from sidecar.identity.model import AuthError, Identity
from sidecar.mcp_tools import permitted_tools
from sidecar.observability.metrics import Metrics
from sidecar.policy.input import build_policy_input
from sidecar.policy.model import Decision, PolicyUnavailable
from sidecar.request_view import RequestView
from sidecar.server import authz_translate as tr
from sidecar.server.handoff import Handoff, MetadataStructs
from sidecar.server.stages import (
    ApprovalsStage,
    AuditStage,
    CredentialStage,
    IdentityStage,
    Log,
    PolicyStage,
    RequestParser,
)

GUARD_API_PREFIX = "/phi-guard/v1/"
# Kept importable from here for other modules; spelled in sidecar.protocol.
APPROVAL_HEADER = P.APPROVAL_HEADER
REQUEST_BODY_SKIP_HEADER = P.REQUEST_BODY_SKIP_HEADER
BREAK_GLASS_HEADER = P.BREAK_GLASS_HEADER
STRIPPED_HEADERS = P.STRIPPED_REQUEST_HEADERS


@dataclass
class AuthzDeps:
    """What Check needs, built by :mod:`sidecar.server.app` (or in memory by the fast tests)."""

    identity: IdentityStage
    policy: PolicyStage
    approvals: ApprovalsStage | None
    audit: AuditStage
    credentials: CredentialStage
    metrics: Metrics
    log: Log
    identity_key: bytes
    # Names of the configured upstreams, in order. With one, every route goes there; with several, Envoy's
    # route names its upstream (ext_authz context extension ``phi_guard_upstream``) or the request is refused.
    upstream_names: tuple[str, ...] = ("default",)
    timezone: str = "UTC"
    parse_request: RequestParser = parse_ai_request
    # URL and header scan under a request profile (sidecar/edge/request_guard.py); None: no scan
    request_edge: RequestEdge | None = None


class AuthorizationService(authz_grpc.AuthorizationServicer):
    def __init__(self, deps: AuthzDeps) -> None:
        self.d = deps
        # The labelled children every allowed request touches, looked up once (``labels()`` locks and hashes).
        self._identity_timer = deps.metrics.stage_seconds.labels("identity")
        self._policy_timer = deps.metrics.stage_seconds.labels("policy")
        self._allowed = deps.metrics.decisions.labels("allow", "allow")
        self._metadata = MetadataStructs()

    async def Check(self, request: authz.CheckRequest, context: grpc.aio.ServicerContext) -> authz.CheckResponse:
        t0 = time.perf_counter()
        view = tr.request_view(request)
        try:
            return await self._check(view, t0, dict(request.attributes.context_extensions))
        except AuditUnavailable:
            return await self._unavailable(view, P.AUDIT_UNAVAILABLE, t0)
        except Exception:  # noqa: BLE001 - whatever broke, the request is refused with 503
            self.d.log.exception("authz_internal_error", request_id=view.request_id)
            return await self._unavailable(view, P.GUARD_UNAVAILABLE, t0)

    async def _check(self, view: RequestView, t0: float, context: dict[str, str]) -> authz.CheckResponse:
        d = self.d
        if not d.audit.writable:
            return await self._unavailable(view, P.AUDIT_UNAVAILABLE, t0)

        # 1. identity
        with self._identity_timer.time():
            try:
                identity = await d.identity.resolve(view)
            except AuthError as err:
                return await self._unauthenticated(view, err, t0)

        if view.path_only.startswith(GUARD_API_PREFIX):
            return await self._allow_guard_api(view, identity, t0)

        # 2. request context, 3. policy
        with self._policy_timer.time():
            ai = d.parse_request(view)
            if (refusal := check_body(view, ai)) is not None:  # strict JSON, content type (sidecar/edge)
                return await self._edge_refused(view, identity, None, ai, t0, refusal)
            policy_input = build_policy_input(view, identity, ai, tz=d.timezone)
            try:
                decision = await d.policy.decide_async(policy_input)
            except PolicyUnavailable:
                return await self._unavailable(view, P.POLICY_UNAVAILABLE, t0, identity, ai=ai)

        edge = HeaderEdits()  # URL and header scan under a request profile (sidecar/edge/request_guard.py)
        if decision.request_profile and d.request_edge is not None and (decision.allow or decision.approval_required):
            scrubbed = d.request_edge.scrub(view, decision.request_profile)
            if isinstance(scrubbed, Refusal):
                return await self._edge_refused(view, identity, decision, ai, t0, scrubbed)
            edge = scrubbed

        # 4. approval / break-glass
        approval_ref = ""
        break_glass_reason = ""
        if decision.allow and "break_glass" in decision.reason_codes:
            break_glass_reason = view.header(P.BREAK_GLASS_HEADER).strip()
            if d.approvals is not None:
                try:
                    await d.approvals.break_glass(identity, break_glass_reason,
                                                  self._fingerprint(view, ai, decision),
                                                  summary=self._summary(view, ai))
                except ApprovalRefused as refused:
                    return await self._refused(view, identity, decision, ai, t0, refused)
            d.metrics.break_glass.inc()
        elif decision.approval_required:
            verdict = await self._approval(view, identity, decision, ai, t0)
            if isinstance(verdict, authz.CheckResponse):
                return verdict
            approval_ref = verdict

        if not decision.allow and not approval_ref:
            return await self._denied(view, identity, decision, ai, t0)

        # 5. verdict: allow, broker the upstream credential, audit the request half, hand off to ext_proc
        upstream = self._upstream(context)
        try:
            if upstream is None:
                raise LookupError("the route names no upstream and several are configured")
            cred = d.credentials.header_for(upstream)
        except Exception:  # noqa: BLE001 - a configured credential we cannot read: fail closed
            d.log.error(P.UPSTREAM_CREDENTIAL_UNAVAILABLE, request_id=view.request_id, upstream=upstream)
            return await self._unavailable(view, P.UPSTREAM_CREDENTIAL_UNAVAILABLE, t0, identity, decision, ai)
        upstream_headers = {
            **edge.set,
            P.REQUEST_ID_HEADER: view.request_id,
            P.DECISION_ID_HEADER: decision.decision_id,
            **decision.headers,
        }
        if not decision.request_profile:
            upstream_headers[P.REQUEST_BODY_SKIP_HEADER] = "skip"  # Envoy re-routes: no request-body message
        remove = [*P.STRIPPED_REQUEST_HEADERS, *edge.remove]
        if cred is not None:
            upstream_headers[cred[0]] = cred[1]
            if cred[0].lower() != "authorization":
                remove.append("authorization")
        else:
            remove.append("authorization")
        handoff = self._handoff(view, identity, decision, ai, approval_ref, bool(break_glass_reason))
        # The request half is durable before the request goes upstream; the response half joins it by request id.
        await d.audit.allowed(view, identity, decision, ai, outcome=P.OUTCOME_ALLOWED,
                              latency_s=time.perf_counter() - t0, approval_ref=approval_ref,
                              break_glass_reason=break_glass_reason)
        (d.metrics.decisions.labels("allow", "approved") if approval_ref else self._allowed).inc()
        d.log.debug("decision", request_id=view.request_id, decision_id=decision.decision_id, sub=identity.sub,
                    result="allow", reasons=decision.reason_codes, risk=decision.risk,
                    authz_ms=round((time.perf_counter() - t0) * 1000, 3))
        return tr.allow(upstream_headers, remove, partial(self._metadata.fill, handoff),
                        client_headers={P.DECISION_ID_HEADER: decision.decision_id})

    # --- the branches -------------------------------------------------------------------------------------

    def _upstream(self, context: dict[str, str]) -> str | None:
        """The upstream this request is routed to: named by the route, or the only one configured."""
        named = context.get(P.CONTEXT_UPSTREAM, "")
        if named:
            return named
        return self.d.upstream_names[0] if len(self.d.upstream_names) == 1 else None

    @staticmethod
    def _handoff(view: RequestView, identity: Identity, decision: Decision, ai: AIRequest, approval_ref: str,
                 break_glass: bool) -> Handoff:
        return Handoff(
            request_id=view.request_id,
            decision_id=decision.decision_id,
            policy_version=decision.policy_version,
            response_profile=decision.response_profile or "",
            request_profile=decision.request_profile or "",
            sub=identity.sub,
            iss=identity.iss,
            auth_method=identity.auth_method,
            roles=tuple(identity.roles),
            client_id=identity.client_id or "",
            approval_ref=approval_ref,
            break_glass=break_glass,
            request_sha256=hashlib.sha256(view.body).hexdigest(),
            # the parsed body, not the caller's content-type, picks the request processor (sidecar/edge)
            request_content_type=request_body_media_type(ai),
            request_content_encoding=view.header("content-encoding"),
            api=str(ai.api or ""),
            model=str(ai.model or ""),
            rpc_method=str(ai.rpc_method or ""),
            permitted_tools=permitted_tools(decision.extra),
            authorized_at=time.time(),
            tools=tuple(ai.tools),
        )

    async def _allow_guard_api(self, view: RequestView, identity: Identity, t0: float) -> authz.CheckResponse:
        """The guard's own HTTP API: identity proven (and audited) here, authorisation done by the API."""
        from sidecar.approvals.identity_header import sign_identity

        await self.d.audit.allowed(view, identity, None, None, outcome=P.OUTCOME_GUARD_API,
                                   latency_s=time.perf_counter() - t0)
        self.d.metrics.decisions.labels("allow", "guard_api").inc()
        return tr.allow(
            {P.IDENTITY_HEADER: sign_identity(identity, self.d.identity_key)},
            ["authorization", "cookie"],
            {P.MD_REQUEST_ID: view.request_id, P.MD_GUARD_API: True},
        )

    async def _unauthenticated(self, view: RequestView, err: AuthError, t0: float) -> authz.CheckResponse:
        d = self.d
        d.metrics.decisions.labels("unauthenticated", err.reason).inc()
        await d.audit.refused(view, None, None, None, status=err.status, reason=err.reason,
                              latency_s=time.perf_counter() - t0)
        d.log.info("decision", request_id=view.request_id, result="unauthenticated", reasons=[err.reason])
        headers = {}
        if err.status == 401:
            headers["www-authenticate"] = f'Bearer error="invalid_token", error_description="{err.reason}"'
        return tr.deny(err.status, {"error": err.reason, "message": err.message, "request_id": view.request_id},
                       headers, {P.MD_REQUEST_ID: view.request_id, P.MD_DENIED: True})

    async def _denied(self, view: RequestView, identity: Identity, decision: Decision, ai: AIRequest,
                      t0: float) -> authz.CheckResponse:
        d = self.d
        d.metrics.decisions.labels("deny", decision.reason_codes[0] if decision.reasons else "denied").inc()
        await d.audit.refused(view, identity, decision, ai, status=403, reason=P.POLICY_DENIED,
                              latency_s=time.perf_counter() - t0)
        d.log.info("decision", request_id=view.request_id, decision_id=decision.decision_id, sub=identity.sub,
                   result="deny", reasons=decision.reason_codes, risk=decision.risk)
        body = {
            "error": P.POLICY_DENIED,
            "reasons": [r.to_dict() for r in decision.reasons],
            "risk": decision.risk,
            "decision_id": decision.decision_id,
            "policy_version": decision.policy_version,
            "request_id": view.request_id,
        }
        return tr.deny(403, body, {P.DECISION_ID_HEADER: decision.decision_id},
                       {P.MD_REQUEST_ID: view.request_id, P.MD_DENIED: True})

    def _fingerprint(self, view: RequestView, ai: AIRequest, decision: Decision) -> str:
        from sidecar.approvals.fingerprint import request_fingerprint

        return request_fingerprint(view, ai.model, decision.extra.get("approval_scope"), tools=ai.tools)

    async def _approval(self, view: RequestView, identity: Identity, decision: Decision, ai: AIRequest,
                        t0: float) -> str | authz.CheckResponse:
        """A consumed grant's id, or the 403 reply (pending / refused)."""
        d = self.d
        if d.approvals is None:
            return await self._denied(view, identity, decision, ai, t0)
        fingerprint = self._fingerprint(view, ai, decision)
        approval_id = view.header(P.APPROVAL_HEADER).strip()
        if approval_id:
            try:
                grant = await d.approvals.consume(approval_id, identity, fingerprint)
            except ApprovalRefused as refused:
                return await self._refused(view, identity, decision, ai, t0, refused)
            return str(grant.get("id", approval_id))
        approval = await d.approvals.request_approval(identity, decision, fingerprint, self._summary(view, ai))
        d.metrics.decisions.labels(P.APPROVAL_REQUIRED, P.APPROVAL_REQUIRED).inc()
        await d.audit.refused(view, identity, decision, ai, status=403, reason=P.APPROVAL_REQUIRED,
                              latency_s=time.perf_counter() - t0, approval_ref=str(approval.get("id", "")))
        body = {
            "error": P.APPROVAL_REQUIRED,
            "approval": approval,
            "reasons": [r.to_dict() for r in decision.reasons],
            "risk": decision.risk,
            "decision_id": decision.decision_id,
            "request_id": view.request_id,
        }
        return tr.deny(403, body, metadata={P.MD_REQUEST_ID: view.request_id, P.MD_DENIED: True})

    @staticmethod
    def _summary(view: RequestView, ai: AIRequest) -> dict[str, Any]:
        return {"model": ai.model, "api": ai.api, "path": view.path_only, "method": view.method}

    async def _refused(self, view: RequestView, identity: Identity, decision: Decision, ai: AIRequest, t0: float,
                       refused: ApprovalRefused) -> authz.CheckResponse:
        """An approval or break-glass attempt the approvals stage refused (403 with its reason code)."""
        self.d.metrics.decisions.labels("deny", refused.reason_code).inc()
        await self.d.audit.refused(view, identity, decision, ai, status=403, reason=refused.reason_code,
                                   latency_s=time.perf_counter() - t0)
        return tr.deny(403, {"error": refused.reason_code, "message": refused.message,
                             "decision_id": decision.decision_id, "request_id": view.request_id},
                       metadata={P.MD_REQUEST_ID: view.request_id, P.MD_DENIED: True})

    async def _edge_refused(self, view: RequestView, identity: Identity, decision: Decision | None, ai: AIRequest,
                            t0: float, refusal: Refusal) -> authz.CheckResponse:
        """A request the edge checks refused (400/415 with its code), audited like every refusal."""
        self.d.metrics.decisions.labels("deny", refusal.reason).inc()
        await self.d.audit.refused(view, identity, decision, ai, status=refusal.status, reason=refusal.reason,
                                  latency_s=time.perf_counter() - t0)
        self.d.log.info("decision", request_id=view.request_id, sub=identity.sub, result="refused",
                        status=refusal.status, reasons=[refusal.reason])
        return tr.deny(refusal.status, refusal.body(view.request_id),
                       metadata={P.MD_REQUEST_ID: view.request_id, P.MD_DENIED: True})

    async def _unavailable(self, view: RequestView, reason: str, t0: float, identity: Identity | None = None,
                           decision: Decision | None = None, ai: AIRequest | None = None) -> authz.CheckResponse:
        """503: the guard cannot decide (or cannot act on its decision). Audited, except when the audit log
        itself is what failed (then the metric and the log line are the trail)."""
        d = self.d
        d.metrics.decisions.labels("error", reason).inc()
        if reason != P.AUDIT_UNAVAILABLE:
            try:
                await d.audit.refused(view, identity, decision, ai, status=503, reason=reason,
                                      latency_s=time.perf_counter() - t0)
            except Exception:  # noqa: BLE001 - the request is refused either way; say so in the log
                d.log.error("audit_refusal_failed", request_id=view.request_id, reason=reason)
        else:
            d.log.error("decision", request_id=view.request_id, result="error", reasons=[reason])
        return tr.deny(503, {"error": reason, "request_id": view.request_id}, {"retry-after": "5"},
                       {P.MD_REQUEST_ID: view.request_id, P.MD_DENIED: True})
