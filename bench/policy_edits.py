"""The edits a compliance team typically makes to the shipped policy's data (add a role, change a threshold,
add an allowlist entry): the policy bench measures each, and the engine differential test checks each."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

DATA = Path("phi_guard/config/data.json")


def add_role(doc: dict[str, Any]) -> None:
    doc["roles"]["pharmacist"] = {
        "description": "Pharmacists reviewing medication orders",
        "purposes": ["treatment"],
        "apis": ["openai.chat"],
        "models": ["gpt-4o-mini"],
        "tools": ["drug_interactions"],
        "max_tokens": 2048,
        "max_patients": 3,
        "denied_topics": ["psychotherapy_notes", "genetic"],
        "response_profile": "standard",
        "request_profile": "standard",
        "break_glass": False,
    }


def change_threshold(doc: dict[str, Any]) -> None:
    doc["risk"]["threshold"] = 30
    doc["risk"]["large_output_tokens"] = 2000
    doc["risk"]["business_hours"]["end_hour"] = 17


def add_allowlist_entry(doc: dict[str, Any]) -> None:
    for role in doc["roles"].values():
        if "gpt-4o-mini" in role.get("models", []):
            role["models"].append("llama")
    doc["roles"]["clinician"]["tools"].append("ehr.bulk_export")


EDITS: dict[str, Callable[[dict[str, Any]], None] | None] = {
    "shipped": None,
    "add a role": add_role,
    "change a threshold": change_threshold,
    "add an allowlist entry": add_allowlist_entry,
}


def edited_copy(shipped: Path, dest: Path, edit: str) -> Path:
    """A copy of the policy directory ``shipped`` at ``dest`` with the named edit applied to its data."""
    shutil.copytree(shipped, dest)
    change = EDITS[edit]
    if change is not None:
        doc = json.loads((dest / DATA).read_text())
        change(doc)
        (dest / DATA).write_text(json.dumps(doc, indent=1))
    return dest
