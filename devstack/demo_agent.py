"""The demo's agent step (``phi-guard demo``): an agent with an mTLS identity works with the demo MCP server
through Envoy, using the official ``mcp`` client. It lists its tools (only those its policy permits), calls a
permitted one and gets a redacted result, and is refused a forbidden one, which never reaches the server."""

from __future__ import annotations

import ssl
from typing import Any

import anyio
import httpx

from devstack.demo import DemoContext, StepFailed, check

AGENT = "triage-bot"
PERMITTED_CALL = ("ehr.search_patients", {"query": "Okonkwo"})
FORBIDDEN_CALL = ("ehr.export_records", {"patient_ids": ["MRN-00482913"]})
# Identifiers in the demo MCP server's patient records the agent's profile (standard) removes.
MUST_NOT_LEAK = ("523-81-4467", "MRN-00482913", "(617) 555-0143")


async def _session(ctx: DemoContext) -> dict[str, Any]:
    import httpx2
    from mcp.client.session import ClientSession
    from mcp.client.streamable_http import streamable_http_client
    from mcp.shared.exceptions import MCPError

    stack = ctx.stack
    cert = stack.client_cert(AGENT)
    tls = ssl.create_default_context(cafile=str(stack.ca_cert))
    tls.load_cert_chain(str(cert.cert), str(cert.key))
    seen: dict[str, Any] = {}
    async with httpx2.AsyncClient(verify=tls, headers={"x-phi-guard-purpose": "treatment"},
                                  timeout=httpx2.Timeout(30)) as http, \
            streamable_http_client(f"{stack.envoy_tls_url}/mcp", http_client=http) as (read, write), \
            ClientSession(read, write) as session:
        with anyio.fail_after(60):
            await session.initialize()
            seen["tools"] = sorted(t.name for t in (await session.list_tools()).tools)
            result = await session.call_tool(*PERMITTED_CALL)
            seen["result"] = "\n".join(c.text for c in result.content if c.type == "text")
            try:
                await session.call_tool(*FORBIDDEN_CALL)
                seen["refused"] = False
            except MCPError:
                seen["refused"] = True
    return seen


def _server_calls(ctx: DemoContext) -> dict[str, int]:
    r = httpx.get(f"{ctx.stack.raw['mcp_upstream_url']}/_demo/stats", timeout=10)
    r.raise_for_status()
    return dict(r.json()["tool_calls"])


def agent_over_mcp(ctx: DemoContext) -> str:
    if not ctx.stack.envoy_tls_url or "mcp_upstream_url" not in ctx.stack.raw:
        raise StepFailed("the stack runs without Envoy TLS or the demo MCP server")
    before = _server_calls(ctx)
    seen = anyio.run(_session, ctx)
    after = _server_calls(ctx)
    check(FORBIDDEN_CALL[0] not in seen["tools"], f"tools/list showed {FORBIDDEN_CALL[0]}: {seen['tools']}")
    check(PERMITTED_CALL[0] in seen["tools"], f"tools/list hid {PERMITTED_CALL[0]}: {seen['tools']}")
    leaked = [v for v in MUST_NOT_LEAK if v in seen["result"]]
    check(not leaked, f"{len(leaked)} identifier(s) leaked in the tool result")
    check(seen["refused"], f"{FORBIDDEN_CALL[0]} was allowed")
    forbidden = after.get(FORBIDDEN_CALL[0], 0) - before.get(FORBIDDEN_CALL[0], 0)
    check(forbidden == 0, f"the MCP server ran {FORBIDDEN_CALL[0]} {forbidden} time(s)")
    return (f"agent {AGENT} (mTLS) saw tools {seen['tools']}; {PERMITTED_CALL[0]} answered "
            f"{seen['result'][:60]!r}...; {FORBIDDEN_CALL[0]} refused (HTTP 403), never reached the server")
