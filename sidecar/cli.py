"""The ``phi-guard`` command. Each stage contributes its subcommands through a ``commands`` module
with ``register(subparsers)``; every subcommand's handler takes the parsed args and returns an exit status."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Modules that contribute subcommands, in the order they appear in --help.
COMMAND_MODULES = (
    "sidecar.server.commands",  # serve, check-config
    "sidecar.stack.commands",  # up, down, token, demo
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(_config_first(list(sys.argv[1:] if argv is None else argv)))
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
