"""Redaction profiles: which types a profile redacts, with which operator, and JSON field rules.

Built-ins (names fixed, referred to by policy): ``clinical``, ``standard``, ``safe_harbor``. Extra
profiles come from ``redaction.profiles_file`` (YAML/JSON ``{"profiles": {name: {...}}}``), each may
``extends`` another and override ``types``/``add_types``/``remove_types``/``operators``/``fields``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sidecar.redaction.errors import RedactionError
from sidecar.redaction.operators import OperatorSpec

ALL_TYPES = frozenset(
    {
        "NAME",
        "ADDRESS",
        "ZIP",
        "LOCATION",
        "DATE",
        "AGE",
        "PHONE",
        "FAX",
        "EMAIL",
        "SSN",
        "MRN",
        "HEALTH_PLAN",
        "ACCOUNT",
        "LICENSE",
        "NPI",
        "VIN",
        "DEVICE",
        "URL",
        "IP",
        "CARD",
        "ID",
    }
)


class FieldRule(BaseModel):
    """A JSON field rule. ``path``: dotted keys from the root, ``*`` for any key or array element,
    a leading ``**.`` for any depth (``**.ssn`` matches key ``ssn`` anywhere). ``drop`` removes the field;
    the operator kinds replace its value (scalars as text, containers whole) with type ``type``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = Field(min_length=1)
    action: Literal["drop", "tag", "mask", "pseudonym", "remove"] = "drop"
    type: str = "REDACTED"


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    types: frozenset[str]
    operators: dict[str, OperatorSpec] = {}
    default_operator: OperatorSpec = OperatorSpec()
    fields: tuple[FieldRule, ...] = ()
    # Overrides RedactionSettings.unknown_content_type for this profile.
    unknown_content_type: Literal["redact_text", "withhold"] | None = None

    def operator(self, type_: str) -> OperatorSpec:
        return self.operators.get(type_, self.default_operator)


_MASK4 = OperatorSpec(kind="mask", keep_last=4)

BUILTIN_PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            name="clinical",
            types=frozenset({"SSN", "CARD", "ACCOUNT", "LICENSE", "NPI", "IP", "URL"}),
            operators={"CARD": _MASK4, "ACCOUNT": _MASK4},
        ),
        Profile(name="standard", types=ALL_TYPES - {"DATE", "AGE"}),
        Profile(name="safe_harbor", types=ALL_TYPES),
    )
}


class ProfileFileError(RedactionError):
    code = "profile_file_error"


def load_profiles(path: str | None) -> dict[str, Profile]:
    """Built-ins plus the profiles in ``path``. Raises :class:`ProfileFileError` naming the bad entry."""
    profiles = dict(BUILTIN_PROFILES)
    if not path:
        return profiles
    try:
        text = Path(path).read_text(encoding="utf-8")
        data = json.loads(text) if path.endswith(".json") else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ProfileFileError(f"cannot read profiles file {path}: {type(exc).__name__}") from None
    if not isinstance(data, dict) or not isinstance(data.get("profiles"), dict):
        raise ProfileFileError(f"profiles file {path}: expected a mapping under 'profiles'")
    pending: dict[str, dict[str, Any]] = dict(data["profiles"])
    while pending:
        progressed = False
        for name, raw in list(pending.items()):
            if not isinstance(raw, dict):
                raise ProfileFileError(f"profiles file {path}: profile {name!r} must be a mapping")
            base_name = raw.get("extends")
            if base_name is not None and base_name not in profiles:
                continue
            profiles[name] = _build(name, raw, profiles.get(base_name) if base_name else None, path)
            del pending[name]
            progressed = True
        if not progressed:
            raise ProfileFileError(f"profiles file {path}: unknown or cyclic 'extends' in {sorted(pending)}")
    return profiles


def _build(name: str, raw: dict[str, Any], base: Profile | None, path: str) -> Profile:
    raw = dict(raw)
    raw.pop("extends", None)
    add = set(raw.pop("add_types", []) or [])
    remove = set(raw.pop("remove_types", []) or [])
    merged: dict[str, Any] = base.model_dump() if base else {"types": frozenset()}
    if "operators" in raw and base:
        raw["operators"] = {**{k: v.model_dump() for k, v in base.operators.items()}, **raw["operators"]}
    merged.update(raw)
    merged["name"] = name
    merged["types"] = (set(merged["types"]) | add) - remove
    unknown = set(merged["types"]) - ALL_TYPES
    if unknown:
        raise ProfileFileError(f"profiles file {path}: profile {name!r}: unknown types {sorted(unknown)}")
    try:
        return Profile.model_validate(merged)
    except ValidationError as exc:
        where = "; ".join(".".join(str(p) for p in e["loc"]) + ": " + e["msg"] for e in exc.errors())
        raise ProfileFileError(f"profiles file {path}: profile {name!r}: {where}") from None
