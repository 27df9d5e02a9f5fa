"""A policy directory read the way OPA reads a bundle: ``*.rego`` modules, and ``data.json`` files whose
directory (relative to the root) is their place in ``data``. The version is a content hash of both."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sidecar.policy.errors import PolicyLoadError

TEST_SUFFIX = "_test.rego"


@dataclass(frozen=True)
class PolicySource:
    root: Path
    modules: dict[str, str]  # display path (root-relative, prefixed with the root as given) -> text
    tests: dict[str, str]  # the *_test.rego modules, kept apart from what is served
    data: dict[str, Any]
    version: str

    def all_modules(self) -> dict[str, str]:
        return {**self.modules, **self.tests}


def _files(root: Path) -> list[Path]:
    """Policy files under ``root``; follows symlinked folders (a ConfigMap mount is ``..data`` links)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            p = Path(dirpath) / name
            if not name.startswith(".") and (p.suffix == ".rego" or name == "data.json"):
                found.append(p)
    return sorted(found)


def content_version(root: str | Path) -> str:
    """The content hash of a policy directory (cheap: used to notice changes)."""
    root = Path(root)
    h = hashlib.sha256()
    for p in _files(root):
        h.update(str(p.relative_to(root)).encode() + b"\0")
        h.update(p.read_bytes() + b"\0")
    return "sha256:" + h.hexdigest()[:16]


def _merge(into: dict[str, Any], keys: list[str], value: Any, file: str) -> None:
    node = into
    for k in keys:
        child = node.setdefault(k, {})
        if not isinstance(child, dict):
            raise PolicyLoadError(f"data conflict at data.{'.'.join(keys)}", file)
        node = child
    if not isinstance(value, dict):
        if keys:
            raise PolicyLoadError("a data.json below the root must hold a JSON object", file)
        raise PolicyLoadError("the root data.json must hold a JSON object", file)
    for k, v in value.items():
        if k in node:
            raise PolicyLoadError(f"data conflict at data.{'.'.join([*keys, k])}", file)
        node[k] = v


def load_source(directory: str | Path) -> PolicySource:
    """Read a policy directory. Raises :class:`PolicyLoadError` (file and line) on bad files or data."""
    root = Path(directory)
    if not root.is_dir():
        raise PolicyLoadError("policy directory not found", str(root))
    modules: dict[str, str] = {}
    tests: dict[str, str] = {}
    data: dict[str, Any] = {}
    h = hashlib.sha256()
    files = _files(root)
    for p in files:
        rel = p.relative_to(root)
        shown = str(root / rel)
        raw = p.read_bytes()
        h.update(str(rel).encode() + b"\0")
        h.update(raw + b"\0")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise PolicyLoadError("not UTF-8", shown) from None
        if p.suffix == ".rego":
            (tests if p.name.endswith(TEST_SUFFIX) else modules)[shown] = text
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PolicyLoadError(f"invalid JSON: {exc.msg}", shown, exc.lineno) from None
        _merge(data, list(rel.parent.parts), value, shown)
    if not modules:
        raise PolicyLoadError("no .rego modules", str(root))
    return PolicySource(
        root=root, modules=modules, tests=tests, data=data, version="sha256:" + h.hexdigest()[:16]
    )
