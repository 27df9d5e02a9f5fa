"""ext_authz v3 ``Authorization.Check``: identity -> request context -> policy -> approval/break-glass -> verdict.

Every arrow is one call below; each stage lives in its own package and knows nothing of Envoy.
Fail closed: any stage that cannot do its job turns into a 503 local reply, never an allow.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import grpc
from envoy.service.auth.v3 import external_auth_pb2 as authz
from envoy.service.auth.v3 import external_auth_pb2_grpc as authz_grpc

from sidecar.ai_request import parse_ai_request
from sidecar.audit.log import AuditUnavailable
from sidecar.edge.request_guard import HeaderEdits, Refusal, check_body
from sidecar.identity.model import AuthError, Identity
from sidecar.policy.input import build_policy_input
from sidecar.policy.model import Decision, PolicyUnavailable
from sidecar.request_view import RequestView
from sidecar.server import authz_translate as tr
from sidecar.server.exchanges import Exchange

GUARD_API_PREFIX = "/phi-guard/v1/"
APPROVAL_HEADER = "x-phi-guard-approval"
# Tells Envoy's route table that this request's body needs no ext_proc message (see sidecar/envoy_config).
REQUEST_BODY_SKIP_HEADER = "x-phi-guard-request-body"
BREAK_GLASS_HEADER = "x-phi-guard-break-glass"
# Never forwarded to the model: the caller's credential, and our own control headers.
STRIPPED_HEADERS = ("accept-encoding", "cookie", "x-phi-guard-identity", APPROVAL_HEADER, BREAK_GLASS_HEADER)


@dataclass
class AuthzDeps:
    """What Check needs, built by :mod:`sidecar.server.app`."""

    identity: Any  # IdentityResolver
    policy: Any  # PolicyService
    approvals: Any | None  # ApprovalService
    audit: Any  # AuditRecorder (sidecar.server.auditing)
    credentials: Any  # UpstreamCredentials
    exchanges: Any  # ExchangeRegistry
    metrics: Any
    log: Any
    identity_key: bytes
    upstream_name: str = "default"
    timezone: str = "UTC"
    request_edge: Any = None  # sidecar.edge.request_guard.RequestEdge (URL and header scan under a request profile)


class AuthorizationService(authz_grpc.AuthorizationServicer):
    def __init__(self, deps: AuthzDeps) -> None:
        self.d = deps

    async def Check(self, request: authz.CheckRequest, context: grpc.aio.ServicerContext) -> authz.CheckResponse:
        t0 = time.perf_counter()
        view = tr.request_view(request)
        try:
            return await self._check(view, t0)
        except AuditUnavailable:
            self.d.metrics.decisions.labels("error", "audit_unavailable").inc()
            return self._unavailable(view, "audit_unavailable")
        except Exception:  # noqa: BLE001 - whatever broke, the request is refused with 503
            self.d.log.exception("authz_internal_error", request_id=view.request_id)
            self.d.metrics.decisions.labels("error", "guard_unavailable").inc()
            return self._unavailable(view, "guard_unavailable")

    async def _check(self, view: RequestView, t0: float) -> authz.CheckResponse:
        d = self.d
        if not d.audit.writable:
            d.metrics.decisions.labels("error", "audit_unavailable").inc()
            return self._unavailable(view, "audit_unavailable")

        # 1. identity
        with d.metrics.stage_seconds.labels("identity").time():
            try:
                identity = await d.identity.resolve(view)
            except AuthError as err:
                return await self._unauthenticated(view, err, t0)

        if view.path_only.startswith(GUARD_API_PREFIX):
            return self._allow_guard_api(view, identity)

        # 2. request context, 3. policy
        with d.metrics.stage_seconds.labels("policy").time():
            ai = parse_ai_request(view)
            if (refusal := check_body(view, ai)) is not None:  # strict JSON, content type (sidecar/edge)
                return await self._edge_refused(view, identity, None, ai, t0, refusal)
            policy_input = build_policy_input(view, identity, ai, tz=d.timezone)
            try:
                decision = await d.policy.decide_async(policy_input)
            except PolicyUnavailable:
                d.metrics.decisions.labels("error", "policy_unavailable").inc()
                return self._unavailable(view, "policy_unavailable")

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
            break_glass_reason = view.header(BREAK_GLASS_HEADER).strip()
            if d.approvals is not None:
                from sidecar.approvals.service import ApprovalRefused

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

        # 5. verdict: allow, broker the upstream credential, park the exchange for ext_proc
        try:
            cred = d.credentials.header_for(d.upstream_name)
        except Exception:  # noqa: BLE001 - a configured credential we cannot read: fail closed
            d.log.error("upstream_credential_unavailable", request_id=view.request_id, upstream=d.upstream_name)
            return self._unavailable(view, "upstream_credential_unavailable")
        upstream_headers = {
            **edge.set,
            "x-phi-guard-request-id": view.request_id,
            "x-phi-guard-decision-id": decision.decision_id,
            **decision.headers,
        }
        if not decision.request_profile:
            upstream_headers[REQUEST_BODY_SKIP_HEADER] = "skip"  # Envoy re-routes: no request-body message
        remove = [*STRIPPED_HEADERS, *edge.remove]
        if cred is not None:
            upstream_headers[cred[0]] = cred[1]
            if cred[0].lower() != "authorization":
                remove.append("authorization")
        else:
            remove.append("authorization")
        d.exchanges.put(
            view.request_id,
            Exchange(view=view, identity=identity, decision=decision, ai=ai,
                     approval_ref=approval_ref, break_glass_reason=break_glass_reason),
        )
        d.metrics.decisions.labels("allow", "approved" if approval_ref else "allow").inc()
        # An allowed request is logged once, when its response ends (ext_proc), with the decision in it.
        d.log.debug("decision", request_id=view.request_id, decision_id=decision.decision_id, sub=identity.sub,
                    result="allow", reasons=decision.reason_codes, risk=decision.risk,
                    authz_ms=round((time.perf_counter() - t0) * 1000, 3))
        return tr.allow(
            upstream_headers,
            remove,
            {
                "request_id": view.request_id,
                "decision_id": decision.decision_id,
                "policy_version": decision.policy_version,
                "response_profile": decision.response_profile,
                "request_profile": decision.request_profile,
                "sub": identity.sub,
            },
            client_headers={"x-phi-guard-decision-id": decision.decision_id},
        )

    # --- the branches -------------------------------------------------------------------------------------

    def _allow_guard_api(self, view: RequestView, identity: Identity) -> authz.CheckResponse:
        """The guard's own HTTP API: identity proven here, authorisation done by the API (approvals policy)."""
        from sidecar.approvals.identity_header import sign_identity

        self.d.metrics.decisions.labels("allow", "guard_api").inc()
        return tr.allow(
            {"x-phi-guard-identity": sign_identity(identity, self.d.identity_key)},
            ["authorization", "cookie"],
            {"request_id": view.request_id, "guard_api": True},
        )

    async def _unauthenticated(self, view: RequestView, err: AuthError, t0: float) -> authz.CheckResponse:
        d = self.d
        d.metrics.decisions.labels("unauthenticated", err.reason).inc()
        await d.audit.denied(view, None, None, None, status=err.status, reason=err.reason,
                             latency_s=time.perf_counter() - t0)
        d.log.info("decision", request_id=view.request_id, result="unauthenticated", reasons=[err.reason])
        headers = {}
        if err.status == 401:
            headers["www-authenticate"] = f'Bearer error="invalid_token", error_description="{err.reason}"'
        return tr.deny(err.status, {"error": err.reason, "message": err.message, "request_id": view.request_id},
                       headers, {"request_id": view.request_id, "denied": True})

    async def _denied(self, view: RequestView, identity: Identity, decision: Decision, ai: Any,
                      t0: float) -> authz.CheckResponse:
        d = self.d
        d.metrics.decisions.labels("deny", decision.reason_codes[0] if decision.reasons else "denied").inc()
        await d.audit.denied(view, identity, decision, ai, status=403, reason="policy_denied",
                             latency_s=time.perf_counter() - t0)
        d.log.info("decision", request_id=view.request_id, decision_id=decision.decision_id, sub=identity.sub,
                   result="deny", reasons=decision.reason_codes, risk=decision.risk)
        body = {
            "error": "policy_denied",
            "reasons": [r.to_dict() for r in decision.reasons],
            "risk": decision.risk,
            "decision_id": decision.decision_id,
            "policy_version": decision.policy_version,
            "request_id": view.request_id,
        }
        return tr.deny(403, body, {"x-phi-guard-decision-id": decision.decision_id},
                       {"request_id": view.request_id, "denied": True})

    def _fingerprint(self, view: RequestView, ai: Any, decision: Decision) -> str:
        from sidecar.approvals.fingerprint import request_fingerprint

        return request_fingerprint(view, getattr(ai, "model", None), decision.extra.get("approval_scope"),
                                   tools=getattr(ai, "tools", None))

    async def _approval(self, view: RequestView, identity: Identity, decision: Decision, ai: Any,
                        t0: float) -> str | authz.CheckResponse:
        """A consumed grant's id, or the 403 reply (pending / refused)."""
        d = self.d
        if d.approvals is None:
            return await self._denied(view, identity, decision, ai, t0)
        from sidecar.approvals.service import ApprovalRefused

        fingerprint = self._fingerprint(view, ai, decision)
        approval_id = view.header(APPROVAL_HEADER).strip()
        if approval_id:
            try:
                grant = await d.approvals.consume(approval_id, identity, fingerprint)
            except ApprovalRefused as refused:
                return await self._refused(view, identity, decision, ai, t0, refused)
            return str(grant.get("id", approval_id))
        approval = await d.approvals.request_approval(identity, decision, fingerprint, self._summary(view, ai))
        d.metrics.decisions.labels("approval_required", "approval_required").inc()
        await d.audit.denied(view, identity, decision, ai, status=403, reason="approval_required",
                             latency_s=time.perf_counter() - t0, approval_ref=str(approval.get("id", "")))
        body = {
            "error": "approval_required",
            "approval": approval,
            "reasons": [r.to_dict() for r in decision.reasons],
            "risk": decision.risk,
            "decision_id": decision.decision_id,
            "request_id": view.request_id,
        }
        return tr.deny(403, body, metadata={"request_id": view.request_id, "denied": True})

    @staticmethod
    def _summary(view: RequestView, ai: Any) -> dict[str, Any]:
        return {"model": getattr(ai, "model", None), "api": getattr(ai, "api", None),
                "path": view.path_only, "method": view.method}

    async def _refused(self, view: RequestView, identity: Identity, decision: Decision, ai: Any, t0: float,
                       refused: Any) -> authz.CheckResponse:
        """An approval or break-glass attempt the approvals stage refused (403 with its reason code)."""
        self.d.metrics.decisions.labels("deny", refused.reason_code).inc()
        await self.d.audit.denied(view, identity, decision, ai, status=403, reason=refused.reason_code,
                                  latency_s=time.perf_counter() - t0)
        return tr.deny(403, {"error": refused.reason_code, "message": refused.message,
                             "decision_id": decision.decision_id, "request_id": view.request_id},
                       metadata={"request_id": view.request_id, "denied": True})

    async def _edge_refused(self, view: RequestView, identity: Identity, decision: Decision | None, ai: Any,
                            t0: float, refusal: Refusal) -> authz.CheckResponse:
        """A request the edge checks refused (400/415 with its code), audited like every refusal."""
        self.d.metrics.decisions.labels("deny", refusal.reason).inc()
        await self.d.audit.denied(view, identity, decision, ai, status=refusal.status, reason=refusal.reason,
                                  latency_s=time.perf_counter() - t0)
        self.d.log.info("decision", request_id=view.request_id, sub=identity.sub, result="refused",
                        status=refusal.status, reasons=[refusal.reason])
        return tr.deny(refusal.status, refusal.body(view.request_id),
                       metadata={"request_id": view.request_id, "denied": True})

    def _unavailable(self, view: RequestView, reason: str) -> authz.CheckResponse:
        return tr.deny(503, {"error": reason, "request_id": view.request_id}, {"retry-after": "5"},
                       {"request_id": view.request_id, "denied": True})
