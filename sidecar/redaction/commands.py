"""``phi-guard redact``: offline redaction of stdin (plain text, or JSON lines with offsets)."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from pathlib import Path
from typing import Any

from sidecar.config import ConfigError, load_settings
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.errors import RedactionError


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("redact", help="redact PHI in text read from stdin")
    p.add_argument(
        "--profile", "-p", default=None, help="redaction profile (default: redaction.default_profile)"
    )
    p.add_argument(
        "--format",
        "-f",
        choices=("text", "jsonl"),
        default="text",
        help='text: stdin to stdout; jsonl: lines {"id","text"} -> {"id","text","redacted","spans"}',
    )
    p.add_argument("--conversation", default="", help="conversation key for stable pseudonyms")
    p.add_argument("--list-profiles", action="store_true", help="print the profile names and exit")
    p.set_defaults(handler=run)


def _key(path: str | None) -> bytes:
    if path:
        return Path(path).read_bytes().strip()
    return secrets.token_bytes(32)  # offline use: pseudonyms are stable within this run only


def run(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(args.config)
        engine = RedactionEngine(settings.redaction, _key(settings.redaction.pseudonym_key_file))
    except (ConfigError, RedactionError, OSError) as exc:
        print(f"phi-guard redact: {exc}", file=sys.stderr)
        return 2
    if args.list_profiles:
        print("\n".join(engine.profile_names()))
        return 0
    profile = args.profile or settings.redaction.default_profile
    try:
        engine.profile(profile)
    except RedactionError as exc:
        print(f"phi-guard redact: {exc}; known: {', '.join(engine.profile_names())}", file=sys.stderr)
        return 2
    if args.format == "text":
        sys.stdout.write(engine.redact_text(sys.stdin.read(), profile, args.conversation).text)
        return 0
    status = 0
    for lineno, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                raise ValueError
        except ValueError:
            print(
                f"phi-guard redact: line {lineno}: expected a JSON object with a string 'text'",
                file=sys.stderr,
            )
            status = 1
            continue
        res = engine.redact_text(rec["text"], profile, args.conversation)
        out = {
            "id": rec.get("id"),
            "text": rec["text"],
            "redacted": res.text,
            "spans": [{"start": s, "end": e, "type": t} for s, e, t in res.spans],
        }
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    return status
