"""Policy test helpers: request views, identities and a copy of the shipped policy to break."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from sidecar.identity.model import Identity
from sidecar.request_view import RequestView

SHIPPED = Path(__file__).resolve().parents[2] / "opa"


def view(
    body: Any = b"",
    path: str = "/v1/chat/completions",
    method: str = "POST",
    headers: dict[str, str] | None = None,
    truncated: bool = False,
) -> RequestView:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    h = {"content-type": "application/json", "x-phi-guard-purpose": "treatment", **(headers or {})}
    return RequestView(
        method=method,
        path=path,
        host="guard.local",
        scheme="http",
        headers=h,
        body=raw,
        body_truncated=truncated,
        request_id="req-1",
        source_address="127.0.0.1",
    )


def person(role: str, sub: str = "u-1") -> Identity:
    return Identity(sub=sub, iss="https://idp.local", auth_method="jwt", roles=(role,))


def agent(sub: str = "spiffe://hospital.example/agent/scheduler") -> Identity:
    return Identity(sub=sub, iss="spiffe://hospital.example", auth_method="mtls", roles=("agent",))


def chat(
    model: str = "gpt-4o", text: str = "Summarise the plan for the patient.", **extra: Any
) -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": text}], **extra}


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped policy, free to edit."""
    dst = tmp_path / "opa"
    shutil.copytree(SHIPPED, dst)
    return dst
