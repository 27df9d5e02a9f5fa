"""What identity produces: a proven caller, or a refusal with a stable reason code."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

AuthMethod = Literal["jwt", "mtls"]


@dataclass(frozen=True, slots=True)
class Identity:
    sub: str
    iss: str
    auth_method: AuthMethod
    roles: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    client_id: str | None = None
    # Selected claims for policy (never logged).
    claims: dict[str, Any] = field(default_factory=dict)

    def to_input(self) -> dict[str, Any]:
        """The ``input.identity`` document policy sees."""
        return {
            "sub": self.sub,
            "iss": self.iss,
            "auth_method": self.auth_method,
            "roles": list(self.roles),
            "groups": list(self.groups),
            "client_id": self.client_id,
            "claims": dict(self.claims),
        }


class AuthError(Exception):
    """The caller could not be identified.

    ``reason`` is a stable machine code (``token_expired``, ``bad_signature``, ``unknown_issuer``, ...);
    ``status`` is 401 for the caller's fault and 503 for ours (e.g. IdP unreachable with no cached keys).
    ``message`` is human text with no token material in it.
    """

    def __init__(self, reason: str, message: str, status: int = 401) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message
        self.status = status
