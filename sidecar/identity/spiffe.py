"""Workload identity from a client certificate Envoy verified: its SPIFFE URI SAN.

Envoy passes ``source.principal`` (the peer certificate's first URI SAN, else its subject) and, with
``include_peer_certificate``, the URL-encoded PEM. The certificate chain is verified by Envoy's listener
(``require_client_certificate`` + a validation context); here we parse and check the SPIFFE ID and its trust
domain, following the SPIFFE ID specification (lower-case trust domain, no port/userinfo/query/fragment,
non-empty path segments other than "." and "..", at most 2048 bytes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from cryptography import x509

from sidecar.identity import reasons as R
from sidecar.identity.model import AuthError, Identity
from sidecar.identity.settings import MtlsSettings

_TRUST_DOMAIN = re.compile(r"[a-z0-9._-]+")
_SEGMENT = re.compile(r"[A-Za-z0-9._-]+")
MAX_SPIFFE_ID_BYTES = 2048
_SAN_CACHE_SIZE = 1024


@dataclass(frozen=True, slots=True)
class SpiffeId:
    trust_domain: str
    path: str

    def __str__(self) -> str:
        return f"spiffe://{self.trust_domain}{self.path}"


def parse_spiffe_id(value: str) -> SpiffeId:
    """Parse a workload SPIFFE ID; raises ValueError (message without the value) when it is not one."""
    if len(value.encode("utf-8", "surrogatepass")) > MAX_SPIFFE_ID_BYTES:
        raise ValueError("too long")
    if not value.startswith("spiffe://"):
        raise ValueError("not a spiffe:// URI")
    rest = value[len("spiffe://") :]
    td, slash, path = rest.partition("/")
    if not td or not _TRUST_DOMAIN.fullmatch(td):
        raise ValueError("bad trust domain")
    if not slash or not path:
        raise ValueError("a workload ID needs a path")
    for seg in path.split("/"):
        if not seg or seg in (".", "..") or not _SEGMENT.fullmatch(seg):
            raise ValueError("bad path segment")
    return SpiffeId(td, "/" + path)


def uri_sans_from_pem(url_encoded_pem: str) -> list[str]:
    """URI SANs of the leaf certificate in Envoy's URL-encoded PEM; raises ValueError if unparseable."""
    pem = unquote(url_encoded_pem).encode("ascii", "strict")
    cert = x509.load_pem_x509_certificate(pem)
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    return list(ext.value.get_values_for_type(x509.UniformResourceIdentifier))


class SpiffeAuthenticator:
    """Turns Envoy's peer attributes into an mTLS :class:`Identity`."""

    def __init__(self, settings: MtlsSettings) -> None:
        self.settings = settings
        self._domains = frozenset(settings.trust_domains)
        self._exact = {k: tuple(v) for k, v in settings.roles.items() if not k.endswith("/")}
        # Longest prefix first, so the most specific mapping contributes first.
        self._prefixes = sorted(
            ((k, tuple(v)) for k, v in settings.roles.items() if k.endswith("/")), key=lambda kv: -len(kv[0])
        )
        # Envoy sends the same certificate on every request of a connection: parse each one once.
        self._sans: dict[str, tuple[str, ...]] = {}

    @property
    def enabled(self) -> bool:
        return self.settings.enabled

    def authenticate(self, principal: str, certificate_pem: str) -> Identity:
        """Identity for a verified peer; raises :class:`AuthError` 401 unless it is a trusted workload."""
        candidate = principal
        if certificate_pem:
            try:
                sans = self._spiffe_sans(certificate_pem)
            except ValueError:
                raise AuthError(R.INVALID_SPIFFE_ID, "the client certificate could not be parsed") from None
            # An X509-SVID carries exactly one URI SAN; two SPIFFE IDs would make the identity ambiguous.
            if len(sans) != 1:
                raise AuthError(R.INVALID_SPIFFE_ID, "the certificate must carry exactly one SPIFFE ID")
            if principal and principal != sans[0]:
                raise AuthError(R.INVALID_SPIFFE_ID, "the certificate does not match the peer principal")
            candidate = sans[0]
        try:
            sid = parse_spiffe_id(candidate)
        except ValueError as exc:
            raise AuthError(R.INVALID_SPIFFE_ID, f"the peer has no valid SPIFFE ID ({exc})") from None
        if sid.trust_domain not in self._domains:
            raise AuthError(R.UNTRUSTED_TRUST_DOMAIN, "the workload's trust domain is not trusted")
        spiffe_id = str(sid)
        return Identity(
            sub=spiffe_id,
            iss=f"spiffe://{sid.trust_domain}",
            auth_method="mtls",
            roles=self._roles_for(spiffe_id),
            client_id=spiffe_id,
            claims={"spiffe_id": spiffe_id, "trust_domain": sid.trust_domain, "path": sid.path},
        )

    def _spiffe_sans(self, certificate_pem: str) -> tuple[str, ...]:
        sans = self._sans.get(certificate_pem)
        if sans is None:
            sans = tuple(s for s in uri_sans_from_pem(certificate_pem) if s.startswith("spiffe://"))
            if len(self._sans) >= _SAN_CACHE_SIZE:
                self._sans.clear()
            self._sans[certificate_pem] = sans
        return sans

    def _roles_for(self, spiffe_id: str) -> tuple[str, ...]:
        out: dict[str, None] = dict.fromkeys(self._exact.get(spiffe_id, ()))
        for prefix, roles in self._prefixes:
            if spiffe_id.startswith(prefix):
                out.update(dict.fromkeys(roles))
        return tuple(out)
