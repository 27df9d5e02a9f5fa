"""The Rego decision document -> :class:`Decision`. A document that is not the agreed shape is an error
(the request is refused), never a partial allow."""

from __future__ import annotations

from typing import Any

from sidecar.policy.errors import PolicyEvalError
from sidecar.policy.model import Decision, Reason

_KNOWN = frozenset({"allow", "reasons", "risk", "approval_required", "redaction", "headers"})


def to_decision(doc: Any, version: str, decision_id: str) -> Decision:
    if not isinstance(doc, dict) or not isinstance(doc.get("allow"), bool):
        raise PolicyEvalError("decision document lacks a boolean 'allow'")
    for key, kind in (("reasons", list), ("headers", dict), ("redaction", dict)):
        if key in doc and doc[key] is not None and not isinstance(doc[key], kind):
            raise PolicyEvalError(f"decision '{key}' must be a {kind.__name__}")
    reasons = []
    for r in doc.get("reasons") or []:
        if not isinstance(r, dict) or not isinstance(r.get("code"), str):
            raise PolicyEvalError("decision reasons must be objects with a string 'code'")
        reasons.append(Reason(r["code"], str(r.get("message", ""))))
    reasons.sort(key=lambda r: r.code)
    risk = doc.get("risk", 0)
    if isinstance(risk, bool) or not isinstance(risk, int | float):
        raise PolicyEvalError("decision 'risk' must be a number")
    redaction = doc.get("redaction") or {}
    if not isinstance(redaction, dict):
        raise PolicyEvalError("decision 'redaction' must be an object")
    response_profile = redaction.get("response")
    request_profile = redaction.get("request")
    if doc["allow"] and not (isinstance(response_profile, str) and response_profile):
        raise PolicyEvalError("an allow decision must name a response redaction profile")
    if request_profile is not None and not isinstance(request_profile, str):
        raise PolicyEvalError("decision 'redaction.request' must be a profile name or null")
    headers = doc.get("headers") or {}
    if not isinstance(headers, dict):
        raise PolicyEvalError("decision 'headers' must be an object")
    return Decision(
        allow=doc["allow"],
        reasons=tuple(reasons),
        risk=float(risk),
        approval_required=doc.get("approval_required") is True,
        response_profile=response_profile if isinstance(response_profile, str) else None,
        request_profile=request_profile,
        headers={str(k).lower(): str(v) for k, v in headers.items()},
        policy_version=version,
        decision_id=decision_id,
        extra={k: v for k, v in doc.items() if k not in _KNOWN},
    )
