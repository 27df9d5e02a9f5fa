"""The request as the guard sees it, independent of Envoy's protobuf types.

Built once per request by :mod:`sidecar.server.authz_translate` from Envoy's CheckRequest; every stage
(identity, AI-request parsing, policy input, approvals) reads this instead of the protobuf.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True, slots=True)
class RequestView:
    method: str
    path: str  # full path including the query string, as Envoy saw it
    host: str
    scheme: str
    # Lower-cased header names. Envoy joins repeated headers with "," in CheckRequest;
    # ``header_counts`` keeps how many times a header appeared where that is known (else 1).
    headers: dict[str, str]
    body: bytes = b""
    body_truncated: bool = False
    request_id: str = ""
    source_address: str = ""
    # Set by Envoy when the TLS peer presented a verified client certificate.
    source_principal: str = ""  # the peer certificate's URI SAN (SPIFFE ID) or subject
    source_certificate_pem: str = ""  # URL-encoded PEM as Envoy passes it (include_peer_certificate)
    tls: bool = False
    header_counts: dict[str, int] = field(default_factory=dict)

    @property
    def path_only(self) -> str:
        return urlsplit(self.path).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query, keep_blank_values=True)

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)
