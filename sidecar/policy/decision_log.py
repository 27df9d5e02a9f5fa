"""Decision log entries shaped like OPA's (``decision_id``, ``path``, ``input``, ``result``, ``timestamp``,
``bundles``, ``erased``), with sensitive input values erased, for the audit pipeline."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from sidecar.policy.model import Decision
from sidecar.protocol import PURPOSE_HEADER

# Request headers whose values are kept; every other header value is erased (custom headers can carry PHI).
KEPT_HEADERS = frozenset(
    {
        "content-type",
        "content-length",
        "user-agent",
        "x-request-id",
        PURPOSE_HEADER,
        "accept",
        ":authority",
        ":method",
        ":path",
        ":scheme",
        "host",
        "x-forwarded-proto",
        "x-envoy-auth-partial-body",
    }
)
ERASED = "**REDACTED**"
# JSON-pointer-like paths erased entirely (OPA's decision_logs mask convention lists them in "erased").
_ERASE = ("/parsed_body", "/break_glass/reason", "/identity/claims", "/parsed_query")


def _erase(doc: dict[str, Any], path: str) -> bool:
    keys = path.strip("/").split("/")
    node: Any = doc
    for k in keys[:-1]:
        node = node.get(k) if isinstance(node, dict) else None
        if node is None:
            return False
    if isinstance(node, dict) and keys[-1] in node and node[keys[-1]] not in (None, "", {}, []):
        node[keys[-1]] = ERASED
        return True
    return False


def mask_input(input_doc: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A copy of the policy input with PHI-bearing values erased, and the list of erased paths."""
    doc = copy.deepcopy(input_doc)
    erased = [p for p in _ERASE if _erase(doc, p)]
    http = doc.get("attributes", {}).get("request", {}).get("http", {})
    headers = http.get("headers")
    if isinstance(headers, dict):
        for k in list(headers):
            if k not in KEPT_HEADERS:
                headers[k] = ERASED
                erased.append(f"/attributes/request/http/headers/{k}")
    path = http.get("path")
    if isinstance(path, str) and "?" in path:
        http["path"] = path.split("?", 1)[0] + "?" + ERASED
        erased.append("/attributes/request/http/path")
    calls = doc.get("ai", {}).get("tool_calls")
    if isinstance(calls, list):
        for i, c in enumerate(calls):
            if isinstance(c, dict) and "arguments" in c:
                c["arguments"] = ERASED
                erased.append(f"/ai/tool_calls/{i}/arguments")
    return doc, erased


def decision_log_entry(
    input_doc: dict[str, Any], decision: Decision, path: str, now: datetime | None = None
) -> dict[str, Any]:
    """One OPA-shaped decision log entry; ``path`` is the queried document (``phi_guard/authz/decision``)."""
    masked, erased = mask_input(input_doc)
    result = {
        "allow": decision.allow,
        "reasons": [r.to_dict() for r in decision.reasons],
        "risk": decision.risk,
        "approval_required": decision.approval_required,
        "redaction": {"response": decision.response_profile, "request": decision.request_profile},
        "headers": dict(decision.headers),
        **decision.extra,
    }
    return {
        "decision_id": decision.decision_id,
        "path": path,
        "input": masked,
        "result": result,
        "erased": erased,
        "bundles": {"phi_guard": {"revision": decision.policy_version}},
        "labels": {"app": "phi-guard"},
        "timestamp": (now or datetime.now(UTC)).isoformat().replace("+00:00", "Z"),
    }
