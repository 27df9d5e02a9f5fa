"""Redaction settings: profiles are chosen by policy; these are the engine's limits."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class RedactionSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    default_profile: str = "standard"
    # Extra profile definitions (YAML/JSON file); built-in profiles are always there.
    profiles_file: str | None = None
    max_buffered_body_bytes: int = Field(8 * 1024 * 1024, gt=0)
    unknown_content_type: Literal["redact_text", "withhold"] = "withhold"
    # Key for stable pseudonyms (HMAC); generated under state_dir when unset.
    pseudonym_key_file: str | None = None
