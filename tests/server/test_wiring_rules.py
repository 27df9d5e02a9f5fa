"""Rules of the wiring that a reader would otherwise check by hand: protocol constants are spelled once
(sidecar/protocol.py), and every settings field is read by some code (configuration that does nothing is a
lie to the operator)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from sidecar import protocol as P
from sidecar.config import Settings

ROOT = Path(__file__).resolve().parents[2]
SIDECAR = ROOT / "sidecar"
DEV_CODE = ("devstack/", "demo_steps.py", "bench.py", "sidecar/_generated/")
LITERAL = re.compile(r"""["'](x-phi-guard-[a-z-]+|envoy\.filters\.http\.ext_authz)["']""")
CODES = {P.GUARD_UNAVAILABLE, P.POLICY_UNAVAILABLE, P.AUDIT_UNAVAILABLE, P.UPSTREAM_CREDENTIAL_UNAVAILABLE}

# Settings fields read generically rather than as ``.name`` (explain each one).
READ_ELSEWHERE: dict[str, str] = {}


def _runtime_sources() -> Iterator[tuple[str, str]]:
    for path in sorted(SIDECAR.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "sidecar/protocol.py" or any(d in rel for d in DEV_CODE):
            continue
        yield rel, path.read_text(encoding="utf-8")


def _literals(text: str) -> list[str]:
    out = [m.group(1) for m in LITERAL.finditer(text)]
    out += [c for c in CODES if re.search(rf"""["']{c}["']""", text)]
    return out


def test_protocol_constants_are_spelled_only_in_protocol_py() -> None:
    # the filter's own name (envoy_config.filters.EXT_AUTHZ_FILTER) is Envoy's, not a metadata key
    allowed = {("sidecar/envoy_config/filters.py", "envoy.filters.http.ext_authz"),
               ("sidecar/envoy_config/check.py", "envoy.filters.http.ext_authz")}
    found = [(rel, lit) for rel, text in _runtime_sources() for lit in _literals(text)]
    assert [f for f in found if f not in allowed] == []


def test_control_the_spelling_oracle_finds_literals() -> None:
    text = (SIDECAR / "protocol.py").read_text(encoding="utf-8")
    assert "x-phi-guard-identity" in _literals(text) and P.POLICY_UNAVAILABLE in _literals(text)


def _fields(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, str]]:
    for name, field in model.model_fields.items():
        yield prefix + name, name
        for t in (field.annotation, *getattr(field.annotation, "__args__", ())):
            if isinstance(t, type) and issubclass(t, BaseModel):
                yield from _fields(t, f"{prefix}{name}.")


def _unread(fields: list[tuple[str, str]]) -> list[str]:
    text = "\n".join(t for _, t in _runtime_sources())
    return [path for path, name in fields
            if path not in READ_ELSEWHERE and not re.search(rf"\.{re.escape(name)}\b", text)]


def test_every_settings_field_is_read() -> None:
    assert _unread(list(_fields(Settings))) == []


def test_control_an_unread_field_is_reported() -> None:
    assert _unread([("server.never_read_anywhere", "never_read_anywhere")]) == ["server.never_read_anywhere"]
