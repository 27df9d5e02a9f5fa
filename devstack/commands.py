"""``phi-guard up | down | token | demo``: the local stack (every part a real process on 127.0.0.1)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from devstack.state import default_state_dir, records


def _state_dir(args: argparse.Namespace) -> Path:
    return Path(args.state_dir) if args.state_dir else default_state_dir()


def _overrides(config: str | None) -> dict[str, Any]:
    """With the global ``--config FILE``, ``up`` merges that YAML into the generated guard config."""
    if not config:
        return {}
    try:
        doc = yaml.safe_load(Path(config).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SystemExit(f"phi-guard up: cannot read --config {config}: {exc}") from None
    if not isinstance(doc, dict):
        raise SystemExit(f"phi-guard up: --config {config}: expected a mapping")
    return doc


def _print_summary(doc: dict[str, Any]) -> None:
    sd = doc["state_dir"]
    lines = ["phi-guard local stack is up:"]
    for key in (
        "envoy_url",
        "envoy_tls_url",
        "grpc_address",
        "admin_url",
        "issuer",
        "upstream_url",
        "s3_endpoint",
        "audit_bucket",
        "ca_cert",
        "client_cert",
    ):
        if doc.get(key):
            lines.append(f"  {key:15} {doc[key]}")
    lines.append(f"  {'pids':15} " + " ".join(f"{k}={v}" for k, v in doc.get("pids", {}).items()))
    lines.append(f"  {'state':15} {sd}/stack.json (logs in {sd}/logs/)")
    if doc.get("envoy_url"):
        lines += [
            "try:",
            f"  TOKEN=$(phi-guard token --state-dir {sd} --sub dr.house --role clinician)",
            f'  curl -s {doc["envoy_url"]}/v1/chat/completions -H "authorization: Bearer $TOKEN" '
            "-H 'content-type: application/json' "
            '-d \'{"model":"echo","messages":[{"role":"user","content":"hello"}]}\'',
        ]
    print("\n".join(lines), flush=True)


def _up(args: argparse.Namespace) -> int:
    from devstack.launchers import LaunchError
    from devstack.runner import StackError, StackOptions, StackRunning, start_stack, stop_stack

    sd = _state_dir(args)
    opts = StackOptions(
        state_dir=sd,
        guard=not args.no_guard,
        envoy=not (args.no_guard or args.no_envoy),
        seaweed=not args.no_s3,
        guard_overrides=_overrides(args.config),
    )
    _signals_interrupt()  # SIGTERM/SIGHUP during start-up stop what was started, like Ctrl-C
    try:
        doc, lock = start_stack(opts)
    except StackRunning as exc:
        print(f"phi-guard up: {exc}", file=sys.stderr)
        return 3
    except (StackError, LaunchError, OSError) as exc:
        print(f"phi-guard up: the stack did not start: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("phi-guard up: interrupted; everything started was stopped", file=sys.stderr)
        return 130
    _print_summary(doc)
    if args.detach:
        lock.release()
        print("detached: stop it with `phi-guard down" + (f" --state-dir {sd}`" if args.state_dir else "`"))
        return 0
    return _foreground(sd, doc, lock, stop_stack)


def _signals_interrupt() -> None:
    def on_signal(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored


def _foreground(sd: Path, doc: dict[str, Any], lock: Any, stop_stack: Any) -> int:
    """Run until Ctrl-C / SIGTERM / SIGHUP or until a part dies; then stop everything."""
    print("running in the foreground; Ctrl-C stops the stack", flush=True)
    status = 0
    try:
        while True:
            dead = [r for r in records(doc) if not r.alive()]
            if dead:
                names = ", ".join(f"{r.name} (log {r.log})" for r in dead)
                print(f"phi-guard up: {names} exited; stopping the stack", file=sys.stderr)
                status = 1
                break
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the clean-up
        stopped = stop_stack(sd)
        print(f"stopped: {', '.join(f'{r.name}={r.pid}' for r in stopped) or 'nothing was running'}")
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        lock.release()
    return status


def _down(args: argparse.Namespace) -> int:
    from devstack.runner import StackError, stop_stack

    sd = _state_dir(args)
    try:
        stopped = stop_stack(sd)
    except StackError as exc:
        print(f"phi-guard down: {exc}", file=sys.stderr)
        return 1
    if not stopped:
        print(f"no phi-guard stack running in {sd.resolve()}")
    else:
        print("stopped: " + ", ".join(f"{r.name}={r.pid}" for r in stopped))
    return 0


def _token(args: argparse.Namespace) -> int:
    from devstack.info import StackInfo, StackNotFound

    try:
        info = StackInfo.load(_state_dir(args))
    except StackNotFound as exc:
        print(f"phi-guard token: {exc}", file=sys.stderr)
        return 2
    claims: dict[str, Any] = {}
    for item in args.claim:
        key, sep, value = item.partition("=")
        if not sep or not key:
            print(f"phi-guard token: --claim expects KEY=VALUE (JSON or text), got {item!r}", file=sys.stderr)
            return 2
        try:
            claims[key] = json.loads(value)
        except ValueError:
            claims[key] = value
    aud: str | list[str] | None = None
    if args.aud:
        aud = args.aud[0] if len(args.aud) == 1 else list(args.aud)
    try:
        print(
            info.token(
                args.sub, args.role, ttl=args.ttl, audience=aud, groups=args.group, extra_claims=claims
            )
        )
    except (ValueError, OSError) as exc:
        print(f"phi-guard token: {exc}", file=sys.stderr)
        return 2
    return 0


def _demo(args: argparse.Namespace) -> int:
    from devstack.demo import run_demo

    return run_demo(_state_dir(args), keep_up=args.keep_up)


def register(sub: Any) -> None:
    def state_dir_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--state-dir",
            default=None,
            help="stack state directory (default: $PHI_GUARD_STATE_DIR or .phi-guard)",
        )

    p = sub.add_parser(
        "up", help="start the local stack: Envoy, the guard, SeaweedFS, dev OIDC issuer, demo model"
    )
    state_dir_arg(p)
    p.add_argument("--detach", "-d", action="store_true", help="return once everything is ready")
    p.add_argument("--no-envoy", action="store_true", help="(development) start everything but Envoy")
    p.add_argument(
        "--no-guard", action="store_true", help="(development) only S3, the issuer and the demo model"
    )
    p.add_argument("--no-s3", action="store_true", help="(development) no SeaweedFS")
    p.set_defaults(handler=_up)

    p = sub.add_parser("down", help="stop every process the local stack started")
    state_dir_arg(p)
    p.set_defaults(handler=_down)

    p = sub.add_parser("token", help="print a JWT from the local stack's dev issuer (local stack only)")
    state_dir_arg(p)
    p.add_argument("--sub", required=True, help="subject (user or service name)")
    p.add_argument("--role", action="append", default=[], help="role claim (repeatable)")
    p.add_argument("--group", action="append", default=[], help="group claim (repeatable)")
    p.add_argument("--ttl", type=int, default=3600, help="lifetime in seconds (default 3600)")
    p.add_argument("--aud", action="append", default=[], help="audience (repeatable; default phi-guard)")
    p.add_argument(
        "--claim", action="append", default=[], help="extra claim KEY=VALUE (VALUE as JSON if it parses)"
    )
    p.set_defaults(handler=_token)

    p = sub.add_parser("demo", help="bring the stack up, run the scripted scenario, take it down")
    state_dir_arg(p)
    p.add_argument("--keep-up", action="store_true", help="leave the stack running afterwards")
    p.set_defaults(handler=_demo)
