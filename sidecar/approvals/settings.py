"""Just-in-time approval and break-glass settings."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ApprovalSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    # Object key prefix inside the deployment's bucket (the audit bucket unless the wiring says otherwise).
    prefix: str = "approvals/"
    # How long an approved grant stays usable after the decision (unless the policy names a window).
    default_ttl_seconds: int = Field(default=900, gt=0)
    # How long a pending request waits for a decision before it expires.
    pending_ttl_seconds: int = Field(default=900, gt=0)
    # Upper bound on any grant lifetime or window the policy asks for.
    max_ttl_seconds: int = Field(default=24 * 3600, gt=0)
    # Defence in depth on top of the approvals policy: when the request names approver roles, the approver
    # must hold one of them.
    require_approver_role: bool = True
    # A repeated held request (same requester, same fingerprint) gets the approval still pending for it.
    reuse_pending: bool = True
    # Who may read every record through the API (others see their own requests and those they may approve).
    reviewer_roles: list[str] = ["compliance-officer", "privacy-officer", "security-officer"]
    webhook_url: str | None = None
    webhook_secret_file: str | None = None
    webhook_retries: int = Field(default=5, ge=0)
    webhook_timeout_seconds: float = Field(default=5.0, gt=0)
    webhook_backoff_seconds: float = Field(default=0.5, gt=0)
    webhook_backoff_max_seconds: float = Field(default=30.0, gt=0)
    webhook_queue_size: int = Field(default=1000, gt=0)
    webhook_workers: int = Field(default=2, gt=0)
    # Validity window of the signed x-phi-guard-identity header the API trusts.
    identity_header_max_age_seconds: float = Field(default=30.0, gt=0)
    # Background pass that turns overdue pending/approved records into ``expired`` (0: only on read).
    sweep_interval_seconds: float = Field(default=60.0, ge=0)
    # Threads for blocking S3 calls (kept off the event loop).
    s3_max_workers: int = Field(default=8, gt=0)
    max_break_glass_reason_chars: int = Field(default=500, gt=0)
