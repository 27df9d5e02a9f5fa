"""Just-in-time approvals and break-glass: the state machine over records in the shared S3 bucket.

States: ``pending`` -> ``approved`` | ``denied`` | ``expired``; ``approved`` -> ``consumed`` (uses
exhausted) | ``expired``. Expiry is decided on every read from the injected clock; the first reader to
notice writes the ``expired`` state (conditionally, so one replica records it). Every state change is
recorded through ``record_event(kind, approval)`` *after* the conditional write that made it happened, and
notified by webhook.

A grant is bound to the requester (issuer + subject) and to the request fingerprint; it is single-use unless
the policy's decision names ``approval_uses`` (a count) or ``approval_window_seconds`` (unlimited uses within
the window, or ``approval_uses`` of them). Consumption is a conditional write on the ETag read, so of any
number of concurrent attempts across replicas, exactly as many succeed as the grant has uses.

Free text that may name a patient (a break-glass reason, an approver's note) is not stored in the bucket in
the clear: records keep its SHA-256 and length, and the text goes only to ``record_event`` (the encrypted
audit trail) and back to the caller who wrote it.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import copy
import hashlib
import inspect
import json
import math
import secrets
import time
import unicodedata
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import structlog

from sidecar import protocol as P
from sidecar.approvals.reasons import visible_alnum_count
from sidecar.approvals.settings import ApprovalSettings
from sidecar.approvals.store import ApprovalStore, Conflict, NotFound, StoreUnavailable, Versioned
from sidecar.approvals.webhook import WebhookNotifier
from sidecar.identity.model import Identity
from sidecar.policy.model import Decision

APPROVAL_HEADER = P.APPROVAL_HEADER
API_PREFIX = "/phi-guard/v1/approvals"
APPROVALS_POLICY_PATH = "phi_guard/approvals/decision"
STATUSES = ("pending", "approved", "denied", "consumed", "expired", "break_glass")
_MAX_ATTEMPTS = 8
_MAX_NOTE_CHARS = 1000

log = structlog.get_logger("phi_guard.approvals")
T = TypeVar("T")


class ApprovalRefused(Exception):
    """The approval cannot be used or decided. ``reason_code`` is stable; ``status`` is the HTTP status the
    approvals API answers with (the ext_authz path always answers 403); ``message`` holds no PHI."""

    def __init__(
        self, reason_code: str, message: str, status: int = 403, reasons: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(f"{reason_code}: {message}")
        self.reason_code = reason_code
        self.message = message
        self.status = status
        self.reasons = reasons or []


class ApprovalUnavailable(Exception):
    """The grant store or the approvals policy could not be consulted: refuse (503), never allow."""


def iso(t: float | None) -> str | None:
    if t is None:
        return None
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _person(identity: Identity) -> dict[str, Any]:
    return {
        "sub": identity.sub,
        "iss": identity.iss,
        "auth_method": identity.auth_method,
        "roles": list(identity.roles),
        "groups": list(identity.groups),
        "client_id": identity.client_id,
    }


def _clean_text(text: str, limit: int) -> str:
    """Printable text only (no control characters, newlines folded), at most ``limit`` characters."""
    out = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    return " ".join(out.split())[:limit]


def _positive_int(value: Any) -> int | None:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or value <= 0
        or not math.isfinite(value)
    ):
        return None
    return int(value)


def effective_status(record: dict[str, Any], now: float) -> str:
    """The status a reader must act on: stored status, or ``expired`` once its deadline passed."""
    status = str(record.get("status", ""))
    if status == "pending" and now >= float(record.get("expires_at", 0)):
        return "expired"
    if status == "approved" and now >= float((record.get("grant") or {}).get("expires_at", 0)):
        return "expired"
    return status


def public_view(record: dict[str, Any], now: float) -> dict[str, Any]:
    """What the API, the CLI, webhooks and audit events see (no internal write bookkeeping)."""
    status = effective_status(record, now)
    out: dict[str, Any] = {
        "id": record["id"],
        "kind": record.get("kind", "approval"),
        "status": status,
        "requester": record.get("requester"),
        "created_at": iso(record.get("created_at")),
        "revision": record.get("revision", 0),
    }
    if out["kind"] == "break_glass":
        out.update(
            {
                "reason_sha256": record.get("reason_sha256"),
                "reason_chars": record.get("reason_chars", 0),
                "fingerprint": record.get("fingerprint"),
                "summary": record.get("summary", {}),
            }
        )
        return out
    grant = record.get("grant")
    out.update(
        {
            "reasons": record.get("reasons", []),
            "risk": record.get("risk", 0.0),
            "approvers": record.get("approvers", []),
            "summary": record.get("summary", {}),
            "fingerprint": record.get("fingerprint"),
            "scope": record.get("scope"),
            "decision_id": record.get("decision_id", ""),
            "policy_version": record.get("policy_version", ""),
            "expires_at": iso(grant["expires_at"] if grant else record.get("expires_at")),
            "decided_at": iso(record.get("decided_at")),
            "decided_by": record.get("decided_by"),
            "note_sha256": record.get("note_sha256"),
            "grant": None
            if grant is None
            else {
                "max_uses": grant.get("max_uses"),
                "window_seconds": grant.get("window_seconds"),
                "expires_at": iso(grant.get("expires_at")),
            },
            "uses": record.get("uses", 0),
            "history": record.get("history", []),
        }
    )
    return out


class ApprovalService:
    """One per guard process (built by the wiring); every replica sharing ``bucket`` sees the same records."""

    def __init__(
        self,
        settings: ApprovalSettings,
        s3_client: Any,
        bucket: str,
        policy_query: Callable[[str, dict[str, Any]], Any],
        record_event: Callable[[str, dict[str, Any]], Awaitable[None]],
        clock: Callable[[], float] = time.time,
        webhook_secret: bytes | None = None,
    ) -> None:
        self.settings = settings
        self.store = ApprovalStore(s3_client, bucket, settings.prefix)
        self.policy_query = policy_query
        self.record_event = record_event
        self.clock = clock
        self._executor = ThreadPoolExecutor(settings.s3_max_workers, thread_name_prefix="approvals-s3")
        self.webhook: WebhookNotifier | None = None
        if settings.webhook_url:
            secret = webhook_secret
            if secret is None:
                if not settings.webhook_secret_file:
                    raise ValueError("approvals.webhook_url needs approvals.webhook_secret_file")
                secret = Path(settings.webhook_secret_file).read_bytes().strip()
            self.webhook = WebhookNotifier(
                settings.webhook_url,
                secret,
                retries=settings.webhook_retries,
                timeout=settings.webhook_timeout_seconds,
                backoff=settings.webhook_backoff_seconds,
                backoff_max=settings.webhook_backoff_max_seconds,
                queue_size=settings.webhook_queue_size,
                workers=settings.webhook_workers,
                clock=clock,
            )
        self._sweeper: asyncio.Task[None] | None = None

    # --- lifecycle --------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start webhook delivery and the expiry sweep."""
        if self.webhook is not None:
            await self.webhook.start()
        if self.settings.sweep_interval_seconds > 0:
            self._sweeper = asyncio.create_task(self._sweep_forever())

    async def aclose(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            await asyncio.gather(self._sweeper, return_exceptions=True)
            self._sweeper = None
        if self.webhook is not None:
            await self.webhook.aclose()
        self._executor.shutdown(wait=False, cancel_futures=True)

    # --- helpers ----------------------------------------------------------------------------------------

    async def _io(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a blocking store call in the service's threads; store failures become ApprovalUnavailable."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, partial(fn, *args))
        except StoreUnavailable as exc:
            log.error("approval_store_unavailable", error=str(exc))
            raise ApprovalUnavailable(str(exc)) from None

    async def _read(self, approval_id: str, kind: str | None = "approval") -> Versioned:
        try:
            v = await self._io(self.store.get, approval_id)
        except NotFound:
            raise ApprovalRefused("approval_not_found", "no such approval", 404) from None
        if kind is not None and v.record.get("kind", "approval") != kind:
            raise ApprovalRefused("approval_not_found", "no such approval", 404)
        return v

    def _notify(self, event: str, payload: dict[str, Any]) -> None:
        if self.webhook is not None:
            self.webhook.notify(event, payload)

    def _day(self, t: float) -> str:
        return datetime.fromtimestamp(t, UTC).strftime("%Y%m%d")

    def _new_id(self, kind: str) -> str:
        return f"{kind}_{self._day(self.clock())}_{secrets.token_urlsafe(18)}"

    def _next(self, record: dict[str, Any], state: str, now: float, by: str) -> dict[str, Any]:
        new = copy.deepcopy(record)
        new["revision"] = int(record.get("revision", 0)) + 1
        new["write_id"] = (
            uuid.uuid4().hex
        )  # makes every version distinct, and lets a writer recognise its own
        new.setdefault("history", []).append({"state": state, "at": iso(now), "by": by})
        return new

    async def _mark_expired(self, v: Versioned, now: float) -> None:
        """Write ``expired`` for a record found overdue; the replica whose write lands records the event."""
        if v.record.get("status") not in ("pending", "approved"):
            return
        new = self._next(v.record, "expired", now, "clock")
        new["status"] = "expired"
        new["expired_at"] = now
        try:
            await self._io(self.store.replace, new, v.etag)
        except (Conflict, ApprovalUnavailable):
            return  # someone else changed it (or will notice later): not ours to record
        view = public_view(new, now)
        await self.record_event("expired", {**view, "actor": "clock"})
        self._notify("approval.expired", view)
        log.info("approval_state", approval_id=new["id"], state="expired")

    # --- the request path -------------------------------------------------------------------------------

    async def request_approval(
        self, identity: Identity, decision: Decision, fingerprint: str, summary: dict[str, Any]
    ) -> dict[str, Any]:
        """Store a pending request (If-None-Match), record and notify it, and return the 403 body's
        ``approval`` object: id, status, reasons, risk, expires_at, approvers, retry instructions.
        While the same requester's approval for the same fingerprint is still pending, that one is returned
        (``"reused": true``) instead of a new one, so repeated attempts do not flood the approvers."""
        now = self.clock()
        digest = hashlib.sha256(
            json.dumps([identity.iss, identity.sub, fingerprint], separators=(",", ":")).encode("utf-8")
        ).hexdigest()
        index: Versioned | None = None
        if self.settings.reuse_pending:
            try:
                index = await self._io(self.store.get_open, digest)
                existing = await self._io(self.store.get, str(index.record.get("id", "")))
            except NotFound:
                existing = None
            if existing is not None and effective_status(existing.record, now) == "pending":
                return self._approval_object(existing.record, now, reused=True)
        extra = decision.extra or {}
        approvers = [str(r) for r in extra.get("approvers") or []]
        record: dict[str, Any] = {
            "schema": 1,
            "kind": "approval",
            "status": "pending",
            "revision": 1,
            "write_id": uuid.uuid4().hex,
            "requester": _person(identity),
            "fingerprint": fingerprint,
            # Only a named scope (a string) widens what the grant covers; see fingerprint.request_fingerprint.
            "scope": scope if isinstance(scope := extra.get("approval_scope"), str) and scope else None,
            "reasons": [r.to_dict() for r in decision.reasons],
            "risk": float(decision.risk),
            "approvers": approvers,
            "decision_id": decision.decision_id,
            "policy_version": decision.policy_version,
            "summary": {k: v for k, v in summary.items() if v is not None},
            "purpose": extra.get("purpose") or summary.get("purpose"),
            "terms": {
                "max_uses": _positive_int(extra.get("approval_uses")),
                "window_seconds": _positive_int(extra.get("approval_window_seconds")),
            },
            "created_at": now,
            "expires_at": now + self.settings.pending_ttl_seconds,
            "uses": 0,
            "history": [{"state": "requested", "at": iso(now), "by": identity.sub}],
        }
        for _ in range(3):
            record["id"] = self._new_id("apr")
            try:
                await self._io(self.store.create, record)
                break
            except Conflict:
                continue
        else:
            raise ApprovalUnavailable("could not allocate an approval id")
        if self.settings.reuse_pending:
            # On a conflict a concurrent request indexed its own; both approvals stay valid.
            with contextlib.suppress(Conflict, ApprovalUnavailable):
                etag = index.etag if index else None
                await self._io(self.store.put_open, digest, {"id": record["id"]}, etag)
        view = public_view(record, now)
        await self.record_event("requested", {**view, "actor": identity.sub})
        self._notify("approval.requested", view)
        log.info("approval_state", approval_id=record["id"], state="requested", sub=identity.sub)
        return self._approval_object(record, now, reused=False)

    def _approval_object(self, record: dict[str, Any], now: float, reused: bool) -> dict[str, Any]:
        """The ``approval`` object of the 403 ``approval_required`` body."""
        approvers = list(record.get("approvers") or [])
        return {
            "id": record["id"],
            "status": "pending",
            "reused": reused,
            "reasons": record.get("reasons", []),
            "risk": record.get("risk", 0.0),
            "approvers": approvers,
            "expires_at": iso(record["expires_at"]),
            "expires_in_seconds": max(0, int(float(record["expires_at"]) - now)),
            "status_url": f"{API_PREFIX}/{record['id']}",
            "retry": {
                "header": APPROVAL_HEADER,
                "value": record["id"],
                "instructions": (
                    f"Ask an approver ({', '.join(approvers) or 'per policy'}) to approve "
                    f"{record['id']}; then send the identical request again with header "
                    f"'{APPROVAL_HEADER}: {record['id']}'."
                ),
            },
        }

    async def consume(self, approval_id: str, identity: Identity, fingerprint: str) -> dict[str, Any]:
        """Use one of the grant's uses, atomically across replicas; returns the grant's public view.
        Raises :class:`ApprovalRefused` (``approval_not_found``, ``approval_wrong_requester``,
        ``approval_pending``, ``approval_denied``, ``approval_expired``, ``approval_used``,
        ``approval_request_mismatch``) or :class:`ApprovalUnavailable`."""
        mine = ""
        for _ in range(_MAX_ATTEMPTS):
            now = self.clock()
            v = await self._read(approval_id)
            rec = v.record
            if mine and rec.get("write_id") == mine:  # our write landed though its answer was lost
                return await self._consumed(rec, now)
            req = rec.get("requester") or {}
            if req.get("sub") != identity.sub or req.get("iss") != identity.iss:
                raise ApprovalRefused(
                    "approval_wrong_requester", "this approval was granted to another caller"
                )
            status = effective_status(rec, now)
            if status == "expired":
                await self._mark_expired(v, now)
                raise ApprovalRefused("approval_expired", "this approval has expired")
            if status == "pending":
                raise ApprovalRefused("approval_pending", "this approval has not been decided yet")
            if status == "denied":
                raise ApprovalRefused("approval_denied", "this approval was denied")
            if status != "approved":
                raise ApprovalRefused("approval_used", "this approval has been used up")
            if rec.get("fingerprint") != fingerprint:
                raise ApprovalRefused(
                    "approval_request_mismatch", "this approval was granted for a different request"
                )
            new = self._next(rec, "consumed", now, identity.sub)
            mine = new["write_id"]
            new["uses"] = int(rec.get("uses", 0)) + 1
            new["last_used_at"] = now
            max_uses = (rec.get("grant") or {}).get("max_uses")
            if max_uses is not None and new["uses"] >= int(max_uses):
                new["status"] = "consumed"
            try:
                await self._io(self.store.replace, new, v.etag)
            except Conflict:
                continue  # another use (or a decision) landed first: read again
            return await self._consumed(new, now)
        raise ApprovalUnavailable("approval record under contention")

    async def _consumed(self, record: dict[str, Any], now: float) -> dict[str, Any]:
        view = public_view(record, now)
        await self.record_event("consumed", {**view, "actor": (record.get("requester") or {}).get("sub", "")})
        self._notify("approval.consumed", view)
        log.info("approval_state", approval_id=record["id"], state="consumed", uses=record.get("uses"))
        return view

    async def break_glass(
        self, identity: Identity, reason: str, fingerprint: str, summary: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Record an emergency access the policy already allowed: stored, audited (``break_glass``), notified.
        Raises ``ApprovalRefused("break_glass_reason_required")`` when ``reason`` is blank. The audit event is
        the record that must not fail (it raises if it cannot be written); the S3 copy is for review."""
        cleaned = _clean_text(reason or "", self.settings.max_break_glass_reason_chars)
        if not visible_alnum_count(cleaned):  # blank, or only invisible / filler characters
            raise ApprovalRefused("break_glass_reason_required", "break-glass needs a reason")
        now = self.clock()
        record: dict[str, Any] = {
            "schema": 1,
            "id": self._new_id("bg"),
            "kind": "break_glass",
            "status": "break_glass",
            "revision": 1,
            "write_id": uuid.uuid4().hex,
            "requester": _person(identity),
            # Free text may name a patient: the shared store keeps only its digest; the text itself goes to
            # the (encrypted) audit trail.
            "reason_sha256": hashlib.sha256(cleaned.encode("utf-8")).hexdigest(),
            "reason_chars": len(cleaned),
            "fingerprint": fingerprint,
            "summary": {k: v for k, v in (summary or {}).items() if v is not None},
            "created_at": now,
            "history": [{"state": "break_glass", "at": iso(now), "by": identity.sub}],
        }
        try:
            await self._io(self.store.create, record)
        except (ApprovalUnavailable, Conflict):
            log.error("break_glass_record_not_stored", break_glass_id=record["id"])
        view = public_view(record, now)
        await self.record_event("break_glass", {**view, "actor": identity.sub, "reason": cleaned})
        # The reason is in the audit trail only; the webhook says that it happened.
        self._notify("break_glass.used", view)
        log.warning("break_glass", break_glass_id=record["id"], sub=identity.sub)
        return {**view, "reason": cleaned}

    # --- approvers --------------------------------------------------------------------------------------

    def _policy_request(self, rec: dict[str, Any]) -> dict[str, Any]:
        req = rec.get("requester") or {}
        return {
            "id": rec["id"],
            "requester": {
                "sub": req.get("sub"),
                "iss": req.get("iss"),
                "roles": req.get("roles", []),
                "groups": req.get("groups", []),
            },
            "reasons": rec.get("reasons", []),
            "risk": rec.get("risk", 0.0),
            "model": (rec.get("summary") or {}).get("model"),
            "purpose": rec.get("purpose"),
            "approvers": rec.get("approvers", []),
            "summary": rec.get("summary", {}),
        }

    async def _ask_policy(self, approver: Identity, rec: dict[str, Any], action: str) -> dict[str, Any]:
        doc = {"approver": approver.to_input(), "request": self._policy_request(rec), "action": action}
        try:
            result = self.policy_query(APPROVALS_POLICY_PATH, doc)
            if inspect.isawaitable(result):
                result = await result
        except Exception as exc:  # noqa: BLE001 - whatever the engine raised: refuse, never approve
            log.error("approvals_policy_unavailable", error=type(exc).__name__)
            raise ApprovalUnavailable("approvals policy unavailable") from None
        if not isinstance(result, dict):
            raise ApprovalRefused("approval_not_permitted", "the approvals policy gave no decision")
        return result

    async def decide(
        self, approval_id: str, approver: Identity, approve: bool, note: str = ""
    ) -> dict[str, Any]:
        """Approve or deny a pending request. Refusals: ``approval_not_found`` (404),
        ``approval_self_approval`` (403, whatever policy says), ``approval_not_permitted`` (403, policy or
        approver role), ``approval_expired`` / ``approval_already_decided`` (409)."""
        action = "approve" if approve else "deny"
        for _ in range(_MAX_ATTEMPTS):
            now = self.clock()
            v = await self._read(approval_id)
            rec = v.record
            if (rec.get("requester") or {}).get("sub") == approver.sub:
                log.warning("approval_self_decision_refused", approval_id=approval_id, sub=approver.sub)
                raise ApprovalRefused("approval_self_approval", "a requester cannot decide their own request")
            status = effective_status(rec, now)
            if status == "expired":
                await self._mark_expired(v, now)
                raise ApprovalRefused("approval_expired", "this request has expired", 409)
            if status != "pending":
                raise ApprovalRefused("approval_already_decided", f"this request is already {status}", 409)
            approvers = rec.get("approvers") or []
            if self.settings.require_approver_role and approvers and not set(approvers) & set(approver.roles):
                raise ApprovalRefused(
                    "approval_not_permitted", "you do not hold an approver role for this request"
                )
            result = await self._ask_policy(approver, rec, action)
            if result.get("allow") is not True:
                reasons = [
                    r if isinstance(r, dict) else {"code": str(r), "message": ""}
                    for r in result.get("reasons") or []
                ]
                raise ApprovalRefused(
                    "approval_not_permitted",
                    "the approvals policy does not let you decide this",
                    403,
                    reasons,
                )
            new = self._next(rec, "approved" if approve else "denied", now, approver.sub)
            new["status"] = "approved" if approve else "denied"
            new["decided_at"] = now
            new["decided_by"] = {"sub": approver.sub, "iss": approver.iss, "roles": list(approver.roles)}
            text = _clean_text(note or "", _MAX_NOTE_CHARS)
            new["note_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest() if text else None
            if approve:
                new["grant"] = self._grant_terms(rec, result, now)
            try:
                await self._io(self.store.replace, new, v.etag)
            except Conflict:
                continue  # decided or expired concurrently: the next read says which
            view = public_view(new, now)
            kind = "approved" if approve else "denied"
            await self.record_event(kind, {**view, "actor": approver.sub, "note": text})
            self._notify(f"approval.{kind}", view)
            log.info("approval_state", approval_id=approval_id, state=kind, approver=approver.sub)
            return {**view, "note": text}
        raise ApprovalUnavailable("approval record under contention")

    def _grant_terms(self, rec: dict[str, Any], result: dict[str, Any], now: float) -> dict[str, Any]:
        """Uses and lifetime: the approvals policy's ``grant`` may set them, else the request's terms, else
        single use within ``default_ttl_seconds``; any window is capped at ``max_ttl_seconds``."""
        terms = dict(rec.get("terms") or {})
        grant = result.get("grant")
        override: dict[str, Any] = grant if isinstance(grant, dict) else {}
        for key in ("max_uses", "window_seconds"):
            if key in override:
                terms[key] = _positive_int(override[key])
        window = terms.get("window_seconds")
        max_uses = terms.get("max_uses")
        if window is None and max_uses is None:
            max_uses = 1
        lifetime = min(window or self.settings.default_ttl_seconds, self.settings.max_ttl_seconds)
        return {"max_uses": max_uses, "window_seconds": window, "expires_at": now + lifetime}

    # --- reading ----------------------------------------------------------------------------------------

    def can_view(self, identity: Identity, view: dict[str, Any]) -> bool:
        """Reviewers see everything; others their own records and requests naming one of their roles."""
        roles = set(identity.roles)
        if roles & set(self.settings.reviewer_roles):
            return True
        if (view.get("requester") or {}).get("sub") == identity.sub:
            return True
        return bool(roles & set(view.get("approvers") or []))

    async def get(self, approval_id: str) -> dict[str, Any]:
        """The public view of an approval or break-glass record; ``approval_not_found`` (404) otherwise."""
        v = await self._read(approval_id, kind=None)
        return public_view(v.record, self.clock())

    async def list(
        self, status: str | None = None, days: int = 7, limit: int = 200
    ) -> builtins.list[dict[str, Any]]:
        """Records created in the last ``days`` days, newest first, optionally only those whose effective
        status is ``status``."""
        if status is not None and status not in STATUSES:
            raise ApprovalRefused("bad_status", f"status must be one of {', '.join(STATUSES)}", 400)
        records = await self._recent(days)
        now = self.clock()
        views = [public_view(v.record, now) for v in records]
        if status is not None:
            views = [x for x in views if x["status"] == status]
        views.sort(key=lambda x: x["created_at"] or "", reverse=True)
        return views[:limit]

    async def _recent(self, days: int) -> builtins.list[Versioned]:
        now = self.clock()
        ids: builtins.list[str] = []
        for d in range(max(1, days)):
            ids += await self._io(self.store.list_ids, self._day(now - d * 86400))

        async def fetch(record_id: str) -> Versioned | None:
            try:
                return await self._io(self.store.get, record_id)
            except NotFound:
                return None

        found = await asyncio.gather(*(fetch(i) for i in ids))
        return [v for v in found if v is not None]

    async def expire_due(self) -> int:
        """Write ``expired`` for every overdue pending/approved record that may still be open; returns how
        many
        were found overdue."""
        horizon = self.settings.pending_ttl_seconds + self.settings.max_ttl_seconds
        days = int(horizon // 86400) + 2
        now = self.clock()
        due = [
            v
            for v in await self._recent(days)
            if v.record.get("status") in ("pending", "approved")
            and effective_status(v.record, now) == "expired"
        ]
        for v in due:
            await self._mark_expired(v, now)
        return len(due)

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self.settings.sweep_interval_seconds)
            try:
                await self.expire_due()
            except Exception:  # noqa: BLE001 - the sweep is a convenience; reads enforce expiry anyway
                log.warning("approval_sweep_failed", exc_info=True)
