"""`phi-guard redact` as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sidecar.redaction.detectors import hs_cache
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.settings import RedactionSettings

PHI_GUARD = [str(Path(sys.executable).parent / "phi-guard")]


def cli(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PHI_GUARD, *args], input=stdin, capture_output=True, text=True, timeout=60)


def test_text_mode() -> None:
    r = cli(
        "redact",
        "--profile",
        "safe_harbor",
        stdin="Seen by Dr. Emily Clark on 03/04/2024, SSN 123-45-6789.\n",
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout == "Seen by [NAME] on [DATE], SSN [SSN].\n"


def test_jsonl_mode_offsets_and_bad_lines() -> None:
    recs = [
        {"id": "a", "text": "Call 617-555-0199 or mail jane@example.org"},
        {"id": 2, "text": "No PHI here."},
    ]
    stdin = "\n".join(json.dumps(r) for r in recs) + "\nnot json\n"
    r = cli("redact", "--format", "jsonl", stdin=stdin)
    assert r.returncode == 1 and "line 3" in r.stderr and "not json" not in r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["a", 2]
    first = lines[0]
    assert first["redacted"] == "Call [PHONE] or mail [EMAIL]"
    assert [first["text"][s["start"] : s["end"]] for s in first["spans"]] == [
        "617-555-0199",
        "jane@example.org",
    ]
    assert [s["type"] for s in first["spans"]] == ["PHONE", "EMAIL"]
    assert lines[1]["spans"] == [] and lines[1]["redacted"] == "No PHI here."


def test_unknown_profile() -> None:
    r = cli("redact", "--profile", "nope", stdin="x")
    assert r.returncode == 2 and "unknown redaction profile" in r.stderr and r.stdout == ""


def test_warm_cache_leaves_nothing_to_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    """After ``phi-guard warm-cache`` an engine of the same configuration loads every database: building one with
    hyperscan's compiler taken away succeeds (control: without the command, or without a cache, it raises)."""
    r = subprocess.run([*PHI_GUARD, "warm-cache"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "ready" in r.stdout

    def no_compile(*_a: object, **_k: object) -> None:
        raise AssertionError("compiled although warm-cache stored this database")

    monkeypatch.setattr(hs_cache.hyperscan, "Database", no_compile)
    engine = RedactionEngine(RedactionSettings(), b"k" * 32)
    assert engine.redact_text("Seen by Dr. Emily Clark", "safe_harbor").text == "Seen by [NAME]"
    with hs_cache.configured(None, enabled=False), pytest.raises(AssertionError, match="compiled"):
        RedactionEngine(RedactionSettings(compile_cache=False), b"k" * 32)
