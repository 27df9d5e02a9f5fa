"""Does the pod's namespace hold what the sidecar mounts? Read through the Kubernetes API with the webhook's
ServiceAccount (RBAC: ``get`` on exactly those ConfigMap and Secret names).

Only object metadata is asked for (``PartialObjectMetadata``), so no Secret value ever reaches the webhook. Any
answer other than 200 or 404 (no permission, API server unreachable, timeout) is an error, and the caller
refuses the pod: an injected pod whose volumes cannot be mounted never starts, and one that cannot be checked
is not admitted (fail closed).
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

import aiohttp

SA_DIR = Path("/var/run/secrets/kubernetes.io/serviceaccount")
SA_DIR_ENV = "PHI_GUARD_WEBHOOK_SA_DIR"
METADATA_ONLY = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json"
_RESOURCES = {"ConfigMap": "configmaps", "Secret": "secrets"}


@dataclass(frozen=True, order=True)
class ObjectRef:
    kind: str  # ConfigMap | Secret
    name: str

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


class ObjectCheckError(Exception):
    """The API could not say whether an object exists; ``str()`` is safe to show."""


class ObjectReader(Protocol):
    """``exists`` is True/False, or raises :class:`ObjectCheckError`."""

    async def exists(self, namespace: str, ref: ObjectRef) -> bool: ...


def required_objects(volumes: Iterable[Mapping[str, Any]]) -> list[ObjectRef]:
    """The ConfigMaps and Secrets the volumes mount and do not mark ``optional``."""
    refs: set[ObjectRef] = set()
    for volume in volumes:
        sources: list[tuple[str, Mapping[str, Any]]] = []
        if isinstance(volume.get("configMap"), Mapping):
            sources.append(("ConfigMap", volume["configMap"]))
        if isinstance(volume.get("secret"), Mapping):
            sources.append(("Secret", {**volume["secret"], "name": volume["secret"].get("secretName")}))
        projected = volume.get("projected")
        for src in projected.get("sources", []) if isinstance(projected, Mapping) else []:
            if isinstance(src.get("configMap"), Mapping):
                sources.append(("ConfigMap", src["configMap"]))
            if isinstance(src.get("secret"), Mapping):
                sources.append(("Secret", src["secret"]))
        for kind, src in sources:
            if src.get("name") and not src.get("optional"):
                refs.add(ObjectRef(kind, str(src["name"])))
    return sorted(refs)


async def missing_objects(reader: ObjectReader, namespace: str, refs: Iterable[ObjectRef]) -> list[ObjectRef]:
    """The refs that do not exist in ``namespace``; raises :class:`ObjectCheckError` if any cannot be told."""
    wanted = list(refs)
    found = await asyncio.gather(*(reader.exists(namespace, ref) for ref in wanted))  # the first error wins
    return [ref for ref, exists in zip(wanted, found, strict=True) if not exists]


class InClusterReader:
    """:class:`ObjectReader` over the API server, with the pod's ServiceAccount token (re-read per call: bound
    tokens rotate) and the cluster CA."""

    def __init__(self, host: str, port: str, sa_dir: Path = SA_DIR, timeout: float = 2.0) -> None:
        self.base = f"https://{host}:{port}" if ":" not in host else f"https://[{host}]:{port}"
        self.sa_dir = sa_dir
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._tls = ssl.create_default_context(cafile=str(sa_dir / "ca.crt"))
        self._session: aiohttp.ClientSession | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> InClusterReader:
        """From the in-cluster environment; ``PHI_GUARD_WEBHOOK_SA_DIR`` overrides where the token and CA are
        (a projected token mounted elsewhere)."""
        sa_dir = Path(environ.get(SA_DIR_ENV) or SA_DIR)
        host, port = environ.get("KUBERNETES_SERVICE_HOST"), environ.get("KUBERNETES_SERVICE_PORT", "443")
        if not host or not (sa_dir / "token").is_file() or not (sa_dir / "ca.crt").is_file():
            raise ObjectCheckError(
                "not running in a cluster with a ServiceAccount token (KUBERNETES_SERVICE_HOST and "
                f"{sa_dir}/token, ca.crt are needed)"
            )
        return cls(host, port, sa_dir)

    async def exists(self, namespace: str, ref: ObjectRef) -> bool:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        try:
            token = (self.sa_dir / "token").read_text(encoding="utf-8").strip()
        except OSError:
            raise ObjectCheckError("cannot read the ServiceAccount token") from None
        path = f"namespaces/{quote(namespace, safe='')}/{_RESOURCES[ref.kind]}/{quote(ref.name, safe='')}"
        url = f"{self.base}/api/v1/{path}"
        try:
            async with self._session.get(
                url, headers={"Authorization": f"Bearer {token}", "Accept": METADATA_ONLY}, ssl=self._tls
            ) as resp:
                await resp.read()
                if resp.status == 200:
                    return True
                if resp.status == 404:
                    return False
                raise ObjectCheckError(f"the API server answered {resp.status} for {ref} in {namespace}")
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise ObjectCheckError(f"the API server could not be asked about {ref}: {type(exc).__name__}") from None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
