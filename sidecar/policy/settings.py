"""Policy settings: which engine, where the Rego lives, reload behaviour."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PolicySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    engine: Literal["embedded", "opa"] = "embedded"
    # Directory holding *.rego and data *.json (the shipped set is opa/ in the repo).
    directory: str = "opa"
    # Entrypoint document queried for every request.
    decision_path: str = "phi_guard/authz/decision"
    opa_url: str = "http://127.0.0.1:8181"
    reload: bool = True
    reload_interval_seconds: float = Field(1.0, gt=0)
    # Refuse a new policy whose Rego tests fail.
    require_tests_pass: bool = True
