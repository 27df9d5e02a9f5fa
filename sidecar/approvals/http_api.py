"""The approvals HTTP API (aiohttp, the guard's admin port; Envoy routes ``/phi-guard/v1/`` here).

Callers are identified only by the ``x-phi-guard-identity`` header that this guard's ext_authz signed
(:mod:`sidecar.approvals.identity_header`); without a valid one every route answers 401. Errors are JSON
``{"error": code, "message": ...}``: 400 bad input, 401 no identity, 403 refused (with ``reasons`` when the
policy gave some), 404 unknown id, 409 state conflict, 503 store or policy unavailable.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from sidecar.approvals.identity_header import HEADER, verify_identity
from sidecar.approvals.service import API_PREFIX, ApprovalRefused, ApprovalService, ApprovalUnavailable
from sidecar.identity.model import AuthError, Identity
from sidecar.protocol import GUARD_UNAVAILABLE

Handler = Callable[[web.Request, Identity], Awaitable[web.StreamResponse]]
_MAX_BODY = 16 * 1024


def _error(status: int, code: str, message: str, **extra: Any) -> web.Response:
    headers = {"cache-control": "no-store"}
    if status == 401:
        headers["www-authenticate"] = 'Bearer error="invalid_token"'
    return web.json_response({"error": code, "message": message, **extra}, status=status, headers=headers)


def _ok(data: Any) -> web.Response:
    return web.json_response(data, headers={"cache-control": "no-store"})


def routes(service: ApprovalService, identity_key: bytes) -> web.RouteTableDef:
    """Routes for ``GET /phi-guard/v1/approvals[?status=&days=]``, ``GET .../{id}``,
    ``POST .../{id}/approve`` and ``POST .../{id}/deny`` (JSON body ``{"note": "..."}``, optional)."""
    table = web.RouteTableDef()
    max_age = service.settings.identity_header_max_age_seconds

    def authenticated(handler: Handler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def wrapper(request: web.Request) -> web.StreamResponse:
            try:
                identity = verify_identity(
                    request.headers.get(HEADER, ""), identity_key, max_age=max_age, now=service.clock()
                )
            except AuthError as err:
                return _error(401, err.reason, err.message)
            try:
                return await handler(request, identity)
            except ApprovalRefused as refused:
                extra = {"reasons": refused.reasons} if refused.reasons else {}
                return _error(refused.status, refused.reason_code, refused.message, **extra)
            except ApprovalUnavailable:
                return _error(503, GUARD_UNAVAILABLE, "the approval store or policy is unavailable")

        return wrapper

    @table.get(API_PREFIX)
    @authenticated
    async def list_approvals(request: web.Request, identity: Identity) -> web.StreamResponse:
        status = request.query.get("status") or None
        try:
            days = int(request.query.get("days", "7"))
            limit = int(request.query.get("limit", "200"))
        except ValueError:
            return _error(400, "bad_request", "days and limit must be integers")
        if not 1 <= days <= 366 or not 1 <= limit <= 1000:
            return _error(400, "bad_request", "days must be 1..366 and limit 1..1000")
        everything = await service.list(status=status, days=days, limit=10000)
        items = [x for x in everything if service.can_view(identity, x)][:limit]
        return _ok({"approvals": items, "count": len(items)})

    @table.get(API_PREFIX + "/{id}")
    @authenticated
    async def show(request: web.Request, identity: Identity) -> web.StreamResponse:
        view = await service.get(request.match_info["id"])
        if not service.can_view(identity, view):
            return _error(404, "approval_not_found", "no such approval")
        return _ok(view)

    async def _decide(request: web.Request, identity: Identity, approve: bool) -> web.StreamResponse:
        note = ""
        if request.can_read_body:
            raw = await request.content.read(_MAX_BODY + 1)
            if len(raw) > _MAX_BODY:
                return _error(413, "body_too_large", f"body over {_MAX_BODY} bytes")
            if raw.strip():
                try:
                    doc = json.loads(raw)
                except ValueError:
                    return _error(400, "bad_request", 'body must be JSON like {"note": "..."}')
                if not isinstance(doc, dict) or not isinstance(doc.get("note", ""), str):
                    return _error(400, "bad_request", 'body must be JSON like {"note": "..."}')
                note = doc.get("note", "")
        return _ok(await service.decide(request.match_info["id"], identity, approve, note))

    @table.post(API_PREFIX + "/{id}/approve")
    @authenticated
    async def approve(request: web.Request, identity: Identity) -> web.StreamResponse:
        return await _decide(request, identity, True)

    @table.post(API_PREFIX + "/{id}/deny")
    @authenticated
    async def deny(request: web.Request, identity: Identity) -> web.StreamResponse:
        return await _decide(request, identity, False)

    return table
