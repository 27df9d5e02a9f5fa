"""Audit settings: spool, encryption, S3 Object Lock shipping."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class AuditSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    spool_dir: str = ".phi-guard/spool"
    max_spool_bytes: int = Field(1024 * 1024 * 1024, gt=0)
    segment_max_events: int = Field(5000, gt=0)
    segment_max_seconds: float = Field(5.0, gt=0)
    group_commit_ms: float = Field(2.0, ge=0)
    s3_endpoint: str | None = None
    s3_region: str = "us-east-1"
    bucket: str = "phi-guard-audit"
    prefix: str = "audit/"
    retention_days: int = Field(6 * 365 + 2, gt=0)
    key_provider: Literal["local", "kms"] = "local"
    kms_key_id: str | None = None
    # Local key-encryption key and MAC key (embedded default), kept apart from the data.
    key_file: str = ".phi-guard/keys/audit-kek.key"
    mac_key_file: str = ".phi-guard/keys/audit-mac.key"
    ship_interval_seconds: float = Field(1.0, gt=0)
    instance_id: str | None = None
