"""Workload identity from a client certificate Envoy verified: its SPIFFE URI SAN.

Envoy passes ``source.principal`` (the peer certificate's first URI SAN, else its subject) and, with
``include_peer_certificate``, the URL-encoded PEM. The certificate chain is verified by Envoy's listener
(``require_client_certificate`` + a validation context). With ``mtls.ca_file`` set, the guard verifies the
forwarded leaf against that bundle as well (defense in depth against a mis-configured listener). Here we
parse and check the SPIFFE ID and its trust domain, following the SPIFFE ID specification (lower-case
trust domain, no port/userinfo/query/fragment, non-empty path segments other than "." and "..", at most
2048 bytes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

from cryptography import x509
from cryptography.x509.verification import ClientVerifier, PolicyBuilder, Store, VerificationError

from sidecar.identity import reasons as R
from sidecar.identity.model import AuthError, Identity
from sidecar.identity.settings import MtlsSettings

_TRUST_DOMAIN = re.compile(r"[a-z0-9._-]+")
_SEGMENT = re.compile(r"[A-Za-z0-9._-]+")
MAX_SPIFFE_ID_BYTES = 2048
_CERT_CACHE_SIZE = 1024


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


def load_envoy_pem(url_encoded_pem: str) -> x509.Certificate:
    """The leaf certificate from Envoy's URL-encoded PEM; raises ValueError if unparseable."""
    try:
        return x509.load_pem_x509_certificate(unquote(url_encoded_pem).encode("ascii", "strict"))
    except ValueError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parse failure is the peer's fault, reported as ValueError
        raise ValueError(exc.__class__.__name__) from None


def uri_sans(cert: x509.Certificate) -> list[str]:
    """The certificate's URI SANs; raises ValueError when its extensions are malformed."""
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    except Exception as exc:  # noqa: BLE001 - duplicate or undecodable extensions
        raise ValueError(exc.__class__.__name__) from None
    return list(ext.value.get_values_for_type(x509.UniformResourceIdentifier))


def uri_sans_from_pem(url_encoded_pem: str) -> list[str]:
    """URI SANs of the leaf certificate in Envoy's URL-encoded PEM; raises ValueError if unparseable."""
    return uri_sans(load_envoy_pem(url_encoded_pem))


@dataclass(frozen=True, slots=True)
class _PeerCert:
    spiffe_sans: tuple[str, ...]
    not_before: datetime
    not_after: datetime


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
        # Optional second check of Envoy's work: the forwarded leaf must chain to this bundle.
        self._verifier: ClientVerifier | None = None
        if settings.ca_file:
            cas = x509.load_pem_x509_certificates(Path(settings.ca_file).read_bytes())
            self._verifier = PolicyBuilder().store(Store(cas)).build_client_verifier()
        # Envoy sends the same certificate on every request of a connection: parse (and verify) each once.
        self._certs: dict[str, _PeerCert] = {}

    @property
    def enabled(self) -> bool:
        return self.settings.enabled

    def authenticate(self, principal: str, certificate_pem: str) -> Identity:
        """Identity for a verified peer; raises :class:`AuthError` 401 unless it is a trusted workload."""
        candidate = principal
        if self._verifier is not None and not certificate_pem:
            raise AuthError(R.UNTRUSTED_CERTIFICATE, "no client certificate was forwarded to verify")
        if certificate_pem:
            peer = self._peer(certificate_pem)
            now = datetime.now(UTC)
            if not peer.not_before <= now <= peer.not_after:
                raise AuthError(R.UNTRUSTED_CERTIFICATE, "the client certificate is not valid now")
            sans = peer.spiffe_sans
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

    def _peer(self, certificate_pem: str) -> _PeerCert:
        peer = self._certs.get(certificate_pem)
        if peer is not None:
            return peer
        try:
            cert = load_envoy_pem(certificate_pem)
            sans = tuple(u for u in uri_sans(cert) if u.startswith("spiffe://"))
        except ValueError:
            raise AuthError(R.INVALID_SPIFFE_ID, "the client certificate could not be parsed") from None
        if self._verifier is not None:
            try:
                self._verifier.verify(cert, [])
            except (VerificationError, ValueError):
                raise AuthError(
                    R.UNTRUSTED_CERTIFICATE, "the client certificate does not chain to a trusted CA"
                ) from None
        peer = _PeerCert(sans, cert.not_valid_before_utc, cert.not_valid_after_utc)
        if len(self._certs) >= _CERT_CACHE_SIZE:
            self._certs.clear()
        self._certs[certificate_pem] = peer  # only certificates that parsed (and verified) are remembered
        return peer

    def _roles_for(self, spiffe_id: str) -> tuple[str, ...]:
        out: dict[str, None] = dict.fromkeys(self._exact.get(spiffe_id, ()))
        for prefix, roles in self._prefixes:
            if spiffe_id.startswith(prefix):
                out.update(dict.fromkeys(roles))
        return tuple(out)
