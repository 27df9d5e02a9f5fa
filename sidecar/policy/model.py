"""The decision document every request gets from policy (see opa/README.md for the Rego side)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

UNDEFINED: Any = object()  # an entrypoint's document is undefined for this input (one sentinel for every engine)


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    message: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class Decision:
    allow: bool
    reasons: tuple[Reason, ...] = ()
    risk: float = 0.0
    approval_required: bool = False
    # Redaction profile names for the response / the request (None: no request minimisation).
    response_profile: str | None = "standard"
    request_profile: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    policy_version: str = ""
    decision_id: str = ""
    # Who may approve (roles), break-glass permission, approval scope etc.: the raw extras from Rego.
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def reason_codes(self) -> list[str]:
        return [r.code for r in self.reasons]


class PolicyUnavailable(Exception):
    """No policy is loaded or evaluation failed: the request must be refused (fail closed, 503)."""
