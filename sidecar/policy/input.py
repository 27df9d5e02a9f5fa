"""The policy input document, shaped like opa-envoy-plugin's (``input.attributes.request.http`` ...) plus
``identity``, ``ai``, ``purpose``, ``break_glass``, ``approval`` and ``time``."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from sidecar import protocol as P
from sidecar.ai_request import AIRequest
from sidecar.approvals.reasons import visible_alnum_count
from sidecar.identity.model import Identity
from sidecar.request_view import RequestView

PURPOSE_HEADER = P.PURPOSE_HEADER
BREAK_GLASS_HEADER = P.BREAK_GLASS_HEADER
APPROVAL_HEADER = P.APPROVAL_HEADER
# Header values policy never sees (credentials); the key stays so policy can tell the header was sent.
MASKED_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", P.IDENTITY_HEADER}
)
MASK = "<redacted>"
_NO_REASON = frozenset({"", "1", "true", "yes", "on"})
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def build_policy_input(
    view: RequestView,
    identity: Identity,
    ai: AIRequest,
    now: datetime | None = None,
    tz: tzinfo | str = "UTC",
) -> dict[str, Any]:
    """Build ``input`` for one request. ``now`` (default: the current time) is rendered in ``tz`` so that
    time-of-day rules are deterministic in tests."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    moment = (now or datetime.now(UTC)).astimezone(zone)
    headers = {k: (MASK if k in MASKED_HEADERS else v) for k, v in view.headers.items()}
    path = view.path_only
    bg_raw = view.headers.get(BREAK_GLASS_HEADER)
    bg_reason = (bg_raw or "").strip()
    bg_visible = visible_alnum_count(bg_reason)
    if bg_visible == 0:  # only invisible, filler or punctuation characters: no reason at all
        bg_reason = ""
    purpose = view.header(PURPOSE_HEADER).strip().lower() or None
    approval_id = view.header(APPROVAL_HEADER).strip() or None
    return {
        "attributes": {
            "request": {
                "http": {
                    "id": view.request_id,
                    "method": view.method,
                    "path": view.path,
                    "host": view.host,
                    "scheme": view.scheme,
                    "headers": headers,
                }
            },
            "source": {"address": view.source_address, "principal": view.source_principal},
        },
        "parsed_path": [p for p in path.split("/") if p],
        "parsed_query": view.query,
        "parsed_body": ai.body,
        "truncated_body": view.body_truncated,
        "identity": identity.to_input(),
        "ai": ai.to_input(),
        "purpose": purpose,
        "break_glass": {
            "requested": bg_raw is not None,
            "reason": "" if bg_reason.lower() in _NO_REASON else bg_reason,
            # visible letters and digits in the reason; policy sets the minimum (config.break_glass)
            "reason_visible_chars": 0 if bg_reason.lower() in _NO_REASON else bg_visible,
        },
        "approval": {"id": approval_id},
        "time": {
            "hour": moment.hour,
            "minute": moment.minute,
            "weekday": moment.weekday(),  # 0 = Monday
            "weekday_name": WEEKDAYS[moment.weekday()],
            "iso": moment.isoformat(),
            "timezone": str(zone),
        },
    }
