"""``phi-guard approvals`` (its real entry point) against the real API. A small proxy stands in for Envoy +
ext_authz: it turns a bearer token into the signed identity header, as the guard does for /phi-guard/v1/."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from sidecar.approvals.http_api import routes
from sidecar.approvals.identity_header import HEADER, sign_identity

from .conftest import CATHY, DR_HOUSE, held_decision, run

KEY = b"c" * 32
TOKENS = {"tok-cathy": CATHY, "tok-house": DR_HOUSE}


async def cli(*argv: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """The same entry point in this process (in a thread, so the server keeps serving), saving start-ups."""
    import contextlib
    import io
    import os

    from sidecar.cli import main

    def call() -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        saved = dict(os.environ)
        try:
            if env is not None:
                os.environ.clear()
                os.environ.update(env)
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                rc = main(["approvals", *argv])
        finally:
            os.environ.clear()
            os.environ.update(saved)
        return rc, out.getvalue(), err.getvalue()

    return await asyncio.to_thread(call)


def payload(out: str) -> Any:
    """The JSON the command printed (the server's own log lines share this process's stdout)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("{"))
    return json.loads("\n".join(lines[start:]))


def test_cli_list_show_approve_deny(make_service: Any, clock: Any, tmp_path: Path) -> None:
    import os
    import time

    clock.now = time.time()

    @web.middleware
    async def identify(request: web.Request, handler: Any) -> web.StreamResponse:
        who = TOKENS.get(request.headers.get("authorization", "").removeprefix("Bearer "))
        if who is None:
            return web.json_response({"error": "invalid_token", "message": "no"}, status=401)
        request = request.clone(headers={**request.headers, HEADER: sign_identity(who, KEY, now=clock())})
        return await handler(request)

    async def go() -> None:
        svc = make_service()
        app = web.Application(middlewares=[identify])
        app.router.add_routes(routes(svc, KEY))
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        url = str(server.make_url("")).rstrip("/")
        one = (await svc.request_approval(DR_HOUSE, held_decision(), "fp1:a", {"model": "gpt-4o"}))["id"]
        two = (await svc.request_approval(DR_HOUSE, held_decision(), "fp1:b", {"model": "gpt-4o"}))["id"]

        rc, out, _ = await cli("list", "--url", url, "--token", "tok-cathy", "--status", "pending")
        table = [line for line in out.splitlines() if not line.startswith(("20", "{"))]  # minus server logs
        assert rc == 0 and table[0].split()[:2] == ["id", "status"]
        assert {line.split()[0] for line in table[1:]} == {one, two}
        rc, out, _ = await cli("show", two, "--url", url, "--token", "tok-cathy")
        assert rc == 0 and payload(out)["id"] == two
        # the requester cannot approve their own request
        rc, _, err = await cli("approve", one, "--url", url, "--token", "tok-house")
        assert rc == 1 and "approval_self_approval" in err
        # token from the environment, URL from stack.json
        (tmp_path / "stack.json").write_text(json.dumps({"envoy_url": url}))
        env = {**os.environ, "PHI_GUARD_TOKEN": "tok-cathy", "PHI_GUARD_STATE_DIR": str(tmp_path)}
        rc, out, _ = await cli("approve", one, "--note", "treatment", env=env)
        assert rc == 0 and payload(out)["status"] == "approved"
        rc, out, _ = await cli("deny", two, env=env)
        assert rc == 0 and payload(out)["status"] == "denied"
        rc, _, err = await cli("deny", two, env=env)
        assert rc == 1 and "409 approval_already_decided" in err
        rc, out, _ = await cli("list", "--json", env=env)
        assert rc == 0 and {x["status"] for x in payload(out)["approvals"]} == {"approved", "denied"}
        rc, _, err = await cli("list", "--url", url, "--token", "wrong")
        assert rc == 1 and "401" in err
        await server.close()
        await svc.aclose()

    run(go())
