"""The ``phi-guard`` command. Each stage contributes its subcommands through a ``commands`` module
with ``register(subparsers)``; every subcommand's handler takes the parsed args and returns an exit status."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

# httpx imports its command-line client when click and rich are installed (click, rich, pygments: ~6 MB
# resident in every phi-guard process); nothing here uses it. An absent module makes httpx define a stub instead.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

# Modules that contribute subcommands, in the order they appear in --help. Imported one by one; a module that
# is absent (the image ships without the dev stack, demo and bench code) is skipped.
COMMAND_MODULES = (
    "sidecar.server.commands",  # serve, check-config
    "devstack.commands",  # up, down, token, demo
    "sidecar.policy.commands",  # policy test|eval
    "sidecar.redaction.commands",  # redact
    "sidecar.audit.commands",  # audit verify|export
    "sidecar.approvals.commands",  # approvals list|show|approve|deny
    "sidecar.envoy_config.commands",  # envoy-config
    "sidecar.webhook.commands",  # webhook
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="phi-guard", description=__doc__)
    parser.add_argument("--config", "-c", default=None, help="YAML configuration file (default: embedded defaults)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):  # stage not built yet
                continue
            raise
        module.register(sub)
    return parser


def _config_first(argv: list[str]) -> list[str]:
    """Accept ``--config FILE`` after the subcommand too (``phi-guard serve --config f``)."""
    out: list[str] = []
    front: list[str] = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--config" and i + 1 < len(argv):
            front += [a, argv[i + 1]]
            i += 2
            continue
        if a.startswith("--config="):
            front.append(a)
        else:
            out.append(a)
        i += 1
    return front + out


def _local_stack(state_dir: Path) -> dict[str, object]:
    """The stack.json of a local stack (``phi-guard up``) in ``state_dir``, or {} (none, or no dev code)."""
    try:
        from devstack.state import read_state
    except ModuleNotFoundError:
        return {}
    try:
        return read_state(state_dir) or {}
    except (ValueError, OSError):
        return {}


def use_local_stack(args: argparse.Namespace) -> None:
    """Commands that read the guard's state (``guard_state=True``: audit verify/export) work next to a local
    stack as ``token`` does: without ``--config``, the stack's guard configuration in the default state dir is
    used; and a configuration whose ``state_dir`` is a local stack's gets that stack's S3 credentials (from its
    stack.json), over any in the environment. Nothing happens anywhere else (no fallback credentials)."""
    if not getattr(args, "guard_state", False):
        return
    if not args.config:
        try:
            from devstack.state import default_state_dir
        except ModuleNotFoundError:
            return
        cfg = _local_stack(default_state_dir()).get("guard_config")
        if not isinstance(cfg, str) or not Path(cfg).is_file():
            return
        args.config = cfg
        print(f"phi-guard: using the local stack's configuration {cfg}", file=sys.stderr)
    from sidecar.config import ConfigError, load_settings

    try:
        state_dir = Path(load_settings(args.config).state_dir)
    except (ConfigError, OSError):
        return  # the command reports the bad configuration itself
    doc = _local_stack(state_dir)
    key, secret = doc.get("s3_access_key"), doc.get("s3_secret_key")
    if isinstance(key, str) and isinstance(secret, str):
        # the local stack's own S3 (SeaweedFS) knows only its own keys: they win over any AWS_* in the environment
        os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"] = key, secret
        os.environ.pop("AWS_SESSION_TOKEN", None)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(_config_first(list(sys.argv[1:] if argv is None else argv)))
    use_local_stack(args)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
