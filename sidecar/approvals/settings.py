"""Just-in-time approval and break-glass settings."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ApprovalSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    prefix: str = "approvals/"
    default_ttl_seconds: int = Field(900, gt=0)
    webhook_url: str | None = None
    webhook_secret_file: str | None = None
    webhook_retries: int = Field(5, ge=0)
