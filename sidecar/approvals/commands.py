"""``phi-guard approvals list|show|approve|deny``: the approvals API, called through Envoy like any client.

The URL is ``--url``, else ``envoy_url`` from the local stack's ``stack.json`` (``--state-dir``, default
``$PHI_GUARD_STATE_DIR`` or ``.phi-guard``). The bearer token is ``--token`` or ``$PHI_GUARD_TOKEN``.
Exit status: 0 done, 1 the API refused (its error code is printed), 2 usage, 3 the API is unreachable.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import httpx

API = "/phi-guard/v1/approvals"
TOKEN_ENV = "PHI_GUARD_TOKEN"


class _Usage(Exception):
    pass


def _endpoint(args: argparse.Namespace) -> tuple[str, Any]:
    """Base URL and the ``verify`` argument for httpx."""
    from devstack.state import default_state_dir, read_state

    state_dir = Path(args.state_dir) if args.state_dir else default_state_dir()
    try:
        doc = read_state(state_dir) or {}
    except ValueError as exc:
        raise _Usage(str(exc)) from None
    url = args.url or doc.get("envoy_url")
    if not url:
        raise _Usage(f"no --url and no envoy_url in {state_dir / 'stack.json'} (is the stack up?)")
    ca = args.ca or doc.get("ca_cert")
    verify: Any = ca if (ca and url.startswith("https")) else True
    return url.rstrip("/"), verify


def _token(args: argparse.Namespace) -> str:
    token = args.token or os.environ.get(TOKEN_ENV, "")
    if not token:
        raise _Usage(
            f"no token: pass --token or set {TOKEN_ENV} (e.g. $(phi-guard token --sub ... --role ...))"
        )
    return token.strip()


def _table(items: list[dict[str, Any]]) -> str:
    cols = ("id", "status", "requester", "risk", "model", "created_at", "expires_at")
    rows = [cols]
    for x in items:
        rows.append(
            (
                x.get("id", ""),
                x.get("status", ""),
                (x.get("requester") or {}).get("sub", ""),
                "" if x.get("risk") is None else str(x.get("risk")),
                str((x.get("summary") or {}).get("model") or ""),
                x.get("created_at") or "",
                x.get("expires_at") or "",
            )
        )
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(cols))]
    return "\n".join(
        "  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


def _call(args: argparse.Namespace) -> int:
    try:
        base, verify = _endpoint(args)
        token = _token(args)
    except _Usage as exc:
        print(f"phi-guard approvals: {exc}", file=sys.stderr)
        return 2
    action = args.approvals_command
    headers = {"authorization": f"Bearer {token}", "accept": "application/json"}
    params: dict[str, str] = {}
    body: dict[str, Any] | None = None
    if action == "list":
        method, path = "GET", API
        if args.status:
            params["status"] = args.status
        params["days"] = str(args.days)
    elif action == "show":
        method, path = "GET", f"{API}/{args.id}"
    else:
        method, path = "POST", f"{API}/{args.id}/{action}"
        body = {"note": args.note or ""}
    try:
        with httpx.Client(verify=verify, timeout=args.timeout) as client:
            resp = client.request(method, base + path, params=params, json=body, headers=headers)
    except httpx.HTTPError as exc:
        print(f"phi-guard approvals: cannot reach {base}: {type(exc).__name__}", file=sys.stderr)
        return 3
    try:
        doc = resp.json()
    except ValueError:
        doc = {"error": f"http_{resp.status_code}", "message": resp.text[:200]}
    if resp.status_code >= 400:
        code = (
            doc.get("error", f"http_{resp.status_code}")
            if isinstance(doc, dict)
            else f"http_{resp.status_code}"
        )
        message = doc.get("message", "") if isinstance(doc, dict) else ""
        print(f"phi-guard approvals: {resp.status_code} {code}: {message}", file=sys.stderr)
        for r in (doc.get("reasons") or []) if isinstance(doc, dict) else []:
            print(f"  - {r.get('code')}: {r.get('message', '')}", file=sys.stderr)
        return 1
    if action == "list" and not args.json:
        print(_table(doc.get("approvals", [])))
    else:
        print(json.dumps(doc, indent=2))
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("approvals", help="list, show, approve or deny held requests (through Envoy)")
    p.set_defaults(handler=lambda args: (p.print_help(), 2)[1])
    actions = p.add_subparsers(dest="approvals_command", metavar="ACTION")

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("--url", help="Envoy URL (default: envoy_url from stack.json)")
        q.add_argument("--token", help=f"bearer token (default: ${TOKEN_ENV})")
        q.add_argument("--state-dir", help="local stack state dir holding stack.json")
        q.add_argument("--ca", help="CA bundle for an https URL (default: the stack's CA)")
        q.add_argument("--timeout", type=float, default=10.0, help="seconds (default 10)")
        q.set_defaults(handler=_call)

    q = actions.add_parser("list", help="approval and break-glass records, newest first")
    q.add_argument(
        "--status", choices=("pending", "approved", "denied", "consumed", "expired", "break_glass")
    )
    q.add_argument("--days", type=int, default=7, help="how many days back (default 7)")
    q.add_argument("--json", action="store_true", help="print JSON instead of a table")
    common(q)
    q = actions.add_parser("show", help="one record, as JSON")
    q.add_argument("id")
    common(q)
    for name, help_ in (("approve", "approve a pending request"), ("deny", "deny a pending request")):
        q = actions.add_parser(name, help=help_)
        q.add_argument("id")
        q.add_argument("--note", default="", help="why (stored with the decision and audited)")
        common(q)
