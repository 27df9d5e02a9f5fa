"""``phi-guard redact``: offline redaction of stdin (plain text, or JSON lines with offsets).
``phi-guard warm-cache``: compile the redaction engine's hyperscan databases into the compile cache."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import time
from pathlib import Path
from typing import Any

from sidecar.config import ConfigError, load_settings
from sidecar.redaction.detectors import hs_cache
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
    w = subparsers.add_parser(
        "warm-cache", help="compile the redaction databases into the compile cache (faster starts; CI, images)"
    )
    w.add_argument("--dir", default=None, help="cache directory (default: redaction.compile_cache_dir)")
    w.set_defaults(handler=warm_cache)


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


def warm_cache(args: argparse.Namespace) -> int:
    """Build the engine of the configuration (its site vocabulary too) with the cache on: every database it
    compiles is stored, so later starts with the same configuration load them."""
    try:
        settings = load_settings(args.config).redaction
        cache_dir = args.dir or settings.compile_cache_dir
        settings = settings.model_copy(update={"compile_cache": True, "compile_cache_dir": cache_dir})
        started = time.process_time()
        RedactionEngine(settings, secrets.token_bytes(32))
    except (ConfigError, RedactionError, OSError) as exc:
        print(f"phi-guard warm-cache: {exc}", file=sys.stderr)
        return 2
    print(f"phi-guard warm-cache: {hs_cache.cache_dir()} ready ({time.process_time() - started:.1f} s CPU)")
    return 0

