"""The OPA-server engine: queries a running OPA's Data API (``POST /v1/data/<path>``) through
opa-python-client, for clusters that already run OPA with bundles. With ``opa_push`` the guard uploads its
own policy directory instead (policies under ``phi_guard/<file>``, data at the root)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from opa_client import OpaClient

from sidecar.policy.bundle import PolicySource
from sidecar.policy.errors import PolicyEvalError, PolicyLoadError
from sidecar.policy.model import UNDEFINED  # one sentinel for every engine


class OpaServerEngine:
    name = "opa"

    def __init__(self, url: str, timeout: float, source: PolicySource | None = None) -> None:
        u = urlsplit(url)
        self._client = OpaClient(
            host=u.hostname or "127.0.0.1",
            port=u.port or 8181,
            ssl=u.scheme == "https",
            timeout=timeout,
            retries=0,
        )
        self.version = source.version if source is not None else ""
        self._pushed = source is not None
        if source is not None:
            self._push(source)

    def _push(self, source: PolicySource) -> None:
        s = self._client._session
        root = self._client.root_url
        try:
            r = s.put(f"{root}/data", json=source.data, timeout=self._client.timeout)
            r.raise_for_status()
            # OPA compiles on every PUT, so modules that use rules of a module not yet uploaded are retried
            # until a round makes no progress (then the last refusal is the error).
            pending = dict(source.modules)
            while pending:
                refused: dict[str, PolicyLoadError] = {}
                for name, text in pending.items():
                    pid = "phi_guard/" + Path(name).relative_to(source.root).as_posix()
                    r = s.put(
                        f"{root}/policies/{pid}",
                        data=text.encode(),
                        headers={"content-type": "text/plain"},
                        timeout=self._client.timeout,
                    )
                    if r.status_code >= 400:
                        errs: list[dict[str, Any]] = [{}]
                        if r.headers.get("content-type", "").startswith("application/json"):
                            errs = r.json().get("errors") or [{}]
                        loc = errs[0].get("location") or {}
                        refused[name] = PolicyLoadError(
                            errs[0].get("message", f"OPA refused the policy ({r.status_code})"),
                            name,
                            loc.get("row"),
                        )
                if len(refused) == len(pending):
                    raise next(iter(refused.values()))
                pending = {n: pending[n] for n in refused}
        except PolicyLoadError:
            raise
        except Exception as exc:  # noqa: BLE001 - any transport failure
            raise PolicyLoadError(f"cannot upload policy to OPA: {type(exc).__name__}") from None

    def evaluate(self, path: str, input_doc: dict[str, Any]) -> Any:
        try:
            resp = self._client.query_rule(
                input_doc, path.replace(".", "/"), query_params={"provenance": "true"}
            )
        except Exception as exc:  # noqa: BLE001 - OPA down, timeout, 4xx/5xx: fail closed upstream
            raise PolicyEvalError(f"OPA query failed: {type(exc).__name__}") from None
        if not self._pushed:
            bundles = (resp.get("provenance") or {}).get("bundles") or {}
            revs = ",".join(f"{n}@{b.get('revision', '')}" for n, b in sorted(bundles.items()))
            self.version = f"opa:{revs}" if revs else "opa:unknown"
        return resp.get("result", UNDEFINED)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._client.close_connection()
