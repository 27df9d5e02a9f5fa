"""Credential brokering: the header the guard injects towards an upstream model.

The credential comes only from configuration (a mounted secret file or an environment variable named in
the upstream's settings), never from the caller, and is never logged. A secret file is re-read when its
modification time, size or inode changes (Kubernetes swaps a symlink on rotation), so rotation needs no
restart. A credential that is configured but unreadable, empty or not a safe header value raises
:class:`CredentialUnavailable`: the wiring then refuses the request with 503 rather than forwarding it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from sidecar.config import UpstreamSettings

_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 token
_PLACEHOLDER = "{credential}"


class CredentialUnavailable(Exception):
    """A configured upstream credential cannot be read; the message names the upstream, never the secret."""


@dataclass(slots=True)
class _FileState:
    key: tuple[int, int, int]  # (mtime_ns, size, inode)
    value: str


class UpstreamCredentials:
    """Header name and value to inject per upstream. Thread-compatible; cheap per call (one ``stat``)."""

    def __init__(self, upstreams: list[UpstreamSettings], environ: Mapping[str, str] | None = None) -> None:
        self._upstreams = {u.name: u for u in upstreams}
        self._environ = os.environ if environ is None else environ
        self._files: dict[str, _FileState] = {}
        self._checked: dict[str, tuple[str, tuple[str, str]]] = {}  # upstream -> (file value, its header)
        for u in upstreams:
            if not _HEADER_NAME.fullmatch(u.credential_header):
                raise ValueError(f"upstream {u.name}: credential_header is not a valid header name")
            if (u.credential_file or u.credential_env) and _PLACEHOLDER not in u.credential_format:
                raise ValueError(f"upstream {u.name}: credential_format must contain {_PLACEHOLDER}")

    def header_for(self, name: str) -> tuple[str, str] | None:
        """(header name, value) to send upstream, or None when the upstream has no credential configured.

        Raises :class:`CredentialUnavailable` for an unknown upstream or a configured credential that
        cannot be used.
        """
        u = self._upstreams.get(name)
        if u is None:
            raise CredentialUnavailable(f"unknown upstream {name!r}")
        if u.credential_file:
            secret = self._read_file(u)
            checked = self._checked.get(u.name)
            if checked is not None and checked[0] is secret:  # the same file content, already checked
                return checked[1]
        elif u.credential_env:
            secret = self._environ.get(u.credential_env, "").strip()
            if not secret:
                raise CredentialUnavailable(f"upstream {u.name}: credential env var is unset or empty")
        else:
            return None
        if not _safe_value(secret):
            raise CredentialUnavailable(f"upstream {u.name}: credential is not a valid header value")
        header = (u.credential_header.lower(), u.credential_format.replace(_PLACEHOLDER, secret))
        if u.credential_file:
            self._checked[u.name] = (secret, header)
        return header

    def _read_file(self, u: UpstreamSettings) -> str:
        path = u.credential_file
        assert path is not None
        try:
            st = os.stat(path)
            key = (st.st_mtime_ns, st.st_size, st.st_ino)
            cached = self._files.get(u.name)
            if cached is not None and cached.key == key:
                return cached.value
            with open(path, encoding="utf-8") as f:
                value = f.read().strip()
        except (OSError, UnicodeDecodeError) as exc:
            self._files.pop(u.name, None)
            what = exc.__class__.__name__
            raise CredentialUnavailable(f"upstream {u.name}: credential file unreadable ({what})") from None
        if not value:
            raise CredentialUnavailable(f"upstream {u.name}: credential file is empty")
        self._files[u.name] = _FileState(key, value)
        return value


def _safe_value(secret: str) -> bool:
    # Visible ASCII and spaces/tabs only: no CR/LF (header injection), no control characters.
    return all(c == "\t" or " " <= c <= "~" for c in secret)
