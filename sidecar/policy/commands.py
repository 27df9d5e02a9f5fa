"""``phi-guard policy test [DIR]`` and ``phi-guard policy eval --input FILE``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("policy", help="Rego policy: run its unit tests, evaluate an input")
    sub = p.add_subparsers(dest="policy_command", metavar="ACTION")
    t = sub.add_parser(
        "test", help="run the Rego unit tests (rules named test_*) in OPA; exit 1 on any failure"
    )
    t.add_argument("directory", nargs="?", default=None, help="policy directory (default: policy.directory)")
    t.add_argument("--quiet", "-q", action="store_true", help="list failures only")
    t.add_argument("--coverage", action="store_true", help="report line coverage of the non-test modules")
    t.set_defaults(handler=_test)
    e = sub.add_parser("eval", help="evaluate a policy input document with the embedded engine")
    e.add_argument("directory", nargs="?", default=None)
    e.add_argument(
        "--input", "-i", required=True, help="JSON file holding the input document ('-' for stdin)"
    )
    e.add_argument("--path", default=None, help="document to query (default: policy.decision_path)")
    e.set_defaults(handler=_eval)
    p.set_defaults(handler=lambda _args: (p.print_help(), 2)[1])


def _settings(args: argparse.Namespace) -> Any:
    from sidecar.config import ConfigError, load_settings

    try:
        return load_settings(args.config).policy
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return None


def _test(args: argparse.Namespace) -> int:
    from sidecar.policy.testing import run_policy_tests

    settings = _settings(args)
    if settings is None:
        return 2
    report = run_policy_tests(args.directory or settings.directory, coverage=args.coverage)
    print(report.format(verbose=not args.quiet))
    return 0 if report.ok else 1


def _eval(args: argparse.Namespace) -> int:
    from sidecar.policy.bundle import load_source
    from sidecar.policy.embedded import UNDEFINED, EmbeddedEngine
    from sidecar.policy.errors import PolicyEvalError, PolicyLoadError

    settings = _settings(args)
    if settings is None:
        return 2
    try:
        if args.input == "-":
            raw = sys.stdin.read()
        else:
            with open(args.input, encoding="utf-8") as f:
                raw = f.read()
        doc = json.loads(raw)
    except (OSError, ValueError) as exc:
        print(f"cannot read input {args.input}: {exc}", file=sys.stderr)
        return 2
    path = (args.path or settings.decision_path).replace(".", "/")
    try:
        engine = EmbeddedEngine(load_source(args.directory or settings.directory), [path])
        result = engine.evaluate(path, doc)
    except (PolicyLoadError, PolicyEvalError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        json.dumps(
            {"result": None if result is UNDEFINED else result, "defined": result is not UNDEFINED},
            indent=2,
            sort_keys=True,
        )
    )
    return 0
