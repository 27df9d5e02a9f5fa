"""Operators: what replaces a detected span. Pure functions of (value, type) plus the pseudonym key."""

from __future__ import annotations

import hashlib
import hmac
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

OperatorKind = Literal["tag", "mask", "pseudonym", "remove"]


class OperatorSpec(BaseModel):
    """``tag``: ``[TYPE]``; ``mask``: keep the last ``keep_last`` letters/digits, mask the others;
    ``pseudonym``: ``[TYPE-xxxxxx]`` keyed HMAC, stable for one conversation key; ``remove``: empty."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: OperatorKind = "tag"
    keep_last: int = Field(default=4, ge=0, le=8)
    mask_char: str = Field(default="*", min_length=1, max_length=1)


def tag(type_: str) -> str:
    return f"[{type_}]"


def mask(value: str, keep_last: int = 4, mask_char: str = "*") -> str:
    alnum = sum(c.isalnum() for c in value)
    keep = min(keep_last, alnum // 2)  # never reveal more than half of an identifier
    out = []
    seen = 0
    for c in value:
        if c.isalnum():
            seen += 1
            out.append(c if seen > alnum - keep else mask_char)
        else:
            out.append(c)
    return "".join(out)


def _normalise(value: str) -> str:
    return " ".join(value.split()).casefold()


def pseudonym(value: str, type_: str, key: bytes, conversation_key: str) -> str:
    mac = hmac.new(key, f"{conversation_key}\x00{type_}\x00{_normalise(value)}".encode(), hashlib.sha256)
    return f"[{type_}-{mac.hexdigest()[:8]}]"


def apply(spec: OperatorSpec, value: str, type_: str, key: bytes, conversation_key: str) -> str:
    if spec.kind == "tag":
        return tag(type_)
    if spec.kind == "mask":
        return mask(value, spec.keep_last, spec.mask_char)
    if spec.kind == "pseudonym":
        return pseudonym(value, type_, key, conversation_key)
    return ""
