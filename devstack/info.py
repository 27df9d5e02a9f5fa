"""A running local stack as seen by its users (``phi-guard token``, the demo, the test fixtures).

``StackInfo.load(state_dir)`` reads ``stack.json``; fields mirror it and helpers mint tokens and client
certificates and read the demo model's counters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from devstack.certs import ClientCert, client_cert
from devstack.dev_issuer import DEFAULT_AUDIENCE, KeyStore, mint_token
from devstack.state import read_state


class StackNotFound(RuntimeError):
    """No stack.json in the state dir (run ``phi-guard up``)."""


@dataclass
class StackInfo:
    state_dir: Path
    issuer: str
    issuer_keys_dir: Path
    upstream_url: str
    ca_cert: Path
    client_cert_path: Path
    client_key_path: Path
    pki_dir: Path
    audit_bucket: str
    upstream_credential_file: Path
    s3_endpoint: str | None = None
    envoy_url: str | None = None
    envoy_tls_url: str | None = None
    envoy_admin_url: str | None = None
    grpc_address: str | None = None
    admin_url: str | None = None
    guard_config: Path | None = None
    audience: str = DEFAULT_AUDIENCE
    pids: dict[str, int] = field(default_factory=dict)
    logs: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> StackInfo:
        def opt_path(key: str) -> Path | None:
            return Path(doc[key]) if doc.get(key) else None

        try:
            return cls(
                state_dir=Path(doc["state_dir"]),
                issuer=doc["issuer"],
                issuer_keys_dir=Path(doc["issuer_keys_dir"]),
                upstream_url=doc["upstream_url"],
                ca_cert=Path(doc["ca_cert"]),
                client_cert_path=Path(doc["client_cert"]),
                client_key_path=Path(doc["client_key"]),
                pki_dir=Path(doc["pki_dir"]),
                audit_bucket=doc["audit_bucket"],
                upstream_credential_file=Path(doc["upstream_credential_file"]),
                s3_endpoint=doc.get("s3_endpoint"),
                envoy_url=doc.get("envoy_url"),
                envoy_tls_url=doc.get("envoy_tls_url"),
                envoy_admin_url=doc.get("envoy_admin_url"),
                grpc_address=doc.get("grpc_address"),
                admin_url=doc.get("admin_url"),
                guard_config=opt_path("guard_config"),
                audience=doc.get("audience", DEFAULT_AUDIENCE),
                pids=dict(doc.get("pids", {})),
                logs=dict(doc.get("logs", {})),
                raw=dict(doc),
            )
        except KeyError as exc:
            raise StackNotFound(
                f"stack.json lacks {exc.args[0]!r}: the stack did not finish starting"
            ) from None

    @classmethod
    def load(cls, state_dir: Path) -> StackInfo:
        try:
            doc = read_state(state_dir)
        except ValueError as exc:
            raise StackNotFound(str(exc)) from None
        if doc is None:
            raise StackNotFound(f"no stack in {state_dir} (run `phi-guard up`)")
        return cls.from_doc(doc)

    # --- identities ----------------------------------------------------------------------------------------

    def token(
        self,
        sub: str,
        roles: Iterable[str] = (),
        *,
        ttl: int = 3600,
        audience: str | list[str] | None = None,
        groups: Iterable[str] = (),
        extra_claims: Mapping[str, Any] | None = None,
        **kw: Any,
    ) -> str:
        """A JWT from the dev issuer's current key (audience defaults to the stack's)."""
        return mint_token(
            KeyStore(self.issuer_keys_dir),
            self.issuer,
            sub,
            roles,
            ttl=ttl,
            audience=audience or self.audience,
            groups=groups,
            extra_claims=extra_claims,
            **kw,
        )

    def auth_headers(self, sub: str, roles: Iterable[str] = (), **kw: Any) -> dict[str, str]:
        return {"authorization": f"Bearer {self.token(sub, roles, **kw)}"}

    def rotate_keys(self, keep_previous: bool = True) -> str:
        """Ask the running dev issuer for a new signing key; returns its kid."""
        r = httpx.post(f"{self.issuer}/rotate", json={"keep_previous": keep_previous}, timeout=30)
        r.raise_for_status()
        return str(r.json()["kid"])

    def client_cert(self, name: str, **kw: Any) -> ClientCert:
        """A client certificate ``spiffe://phi-guard.local/ns/agents/sa/<name>`` signed by the stack's CA
        (``untrusted=True``: by a CA the stack does not trust; ``expired=True``; ``uri=...``)."""
        return client_cert(self.pki_dir, name, **kw)

    # --- parts ---------------------------------------------------------------------------------------------

    def kill(self, name: str, sig: int | None = None) -> None:
        """Stop one part (default SIGKILL, a crash): ``guard``, ``envoy``, ``demo-model``, ..."""
        import signal

        from devstack.runner import kill_part

        kill_part(self.state_dir, name, signal.SIGKILL if sig is None else sig)

    def relaunch(self, name: str) -> int:
        """Start a stopped ``guard``/``demo-model``/``dev-issuer`` again on its ports; returns the PID."""
        from devstack.runner import relaunch_part

        rec = relaunch_part(self.state_dir, name)
        self.pids[name] = rec.pid
        return rec.pid

    # --- the demo model ------------------------------------------------------------------------------------

    def upstream_credential(self) -> str:
        return self.upstream_credential_file.read_text().strip()

    def demo_stats(self) -> dict[str, int]:
        """Requests the demo model received so far (``requests`` is the total; denied calls never count)."""
        r = httpx.get(f"{self.upstream_url}/_demo/stats", timeout=5)
        r.raise_for_status()
        return dict(r.json())

    def demo_last(self) -> dict[str, Any] | None:
        """The last request the demo model received (method, path, headers, body), or None."""
        r = httpx.get(f"{self.upstream_url}/_demo/last", timeout=5)
        if r.status_code == 404:
            return None
        r.raise_for_status()
        return dict(r.json())

    def demo_script(self, *answers: dict[str, Any]) -> None:
        """Queue scripted answers for the next ``/v1/*`` requests (:mod:`devstack.demo_script`)."""
        httpx.post(f"{self.upstream_url}/_demo/script", json=list(answers), timeout=5).raise_for_status()

    def demo_reset(self) -> None:
        httpx.post(f"{self.upstream_url}/_demo/reset", timeout=5).raise_for_status()

    # --- clients -------------------------------------------------------------------------------------------

    def http(self, tls: bool = False, cert: ClientCert | None = None, **kw: Any) -> httpx.Client:
        """An httpx client aimed at Envoy (plain or TLS with the dev CA; ``cert`` for mTLS)."""
        base = self.envoy_tls_url if tls or cert is not None else self.envoy_url
        if base is None:
            raise StackNotFound("this stack runs without Envoy")
        if base.startswith("https"):
            import ssl

            ctx = ssl.create_default_context(cafile=str(self.ca_cert))
            if cert is not None:
                ctx.load_cert_chain(str(cert.cert), str(cert.key))
            kw.setdefault("verify", ctx)
        kw.setdefault("timeout", 30)
        return httpx.Client(base_url=base, **kw)

    def s3_client(self) -> Any:
        from devstack.seaweed import s3_client

        if not self.s3_endpoint:
            raise StackNotFound("this stack runs without SeaweedFS")
        return s3_client(self.s3_endpoint)
