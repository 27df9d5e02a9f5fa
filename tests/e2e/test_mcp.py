"""An agent's MCP session through Envoy and the guard, driven by the official ``mcp`` client over mTLS.

The demo MCP server (:mod:`devstack.demo_mcp`) answers with synthetic PHI on two endpoints: ``/mcp`` (SSE
answers) and ``/mcp-json`` (JSON answers). The guard decides each ``tools/call`` by role, purpose and tool,
shows ``tools/list`` only the permitted tools, redacts tool results, and audits each call.
"""

from __future__ import annotations

import json
import ssl
import uuid
from typing import Any

import anyio
import httpx
import httpx2
import pytest
from mcp.client.session import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from devstack.demo_data import CLINICAL_NOTE_PHI
from devstack.demo_mcp import TOOLS
from tests.e2e.audit_util import wait_events

pytestmark = pytest.mark.e2e

PERMITTED = {"ehr.search_patients", "ehr.get_encounter", "drug_interactions"}  # the agent role, purpose treatment
SSN, MRN, PHONE = "523-81-4467", "MRN-00482913", "(617) 555-0143"
TIMEOUT = 60


def _client(stack: Any, agent: str, purpose: str = "treatment", cert: Any = None) -> httpx2.AsyncClient:
    ctx = ssl.create_default_context(cafile=str(stack.ca_cert))
    cert = cert or stack.client_cert(agent)
    ctx.load_cert_chain(str(cert.cert), str(cert.key))
    return httpx2.AsyncClient(verify=ctx, headers={"x-phi-guard-purpose": purpose},
                              timeout=httpx2.Timeout(TIMEOUT))


async def _session(stack: Any, agent: str, path: str, steps: Any, purpose: str = "treatment") -> Any:
    async with _client(stack, agent, purpose) as http, \
            streamable_http_client(f"{stack.envoy_tls_url}{path}", http_client=http) as (read, write), \
            ClientSession(read, write) as session:
        with anyio.fail_after(TIMEOUT):
            init = await session.initialize()
            return await steps(session, init)


def run(stack: Any, agent: str, path: str, steps: Any, purpose: str = "treatment") -> Any:
    return anyio.run(_session, stack, agent, path, steps, purpose)


@pytest.mark.parametrize("path", ["/mcp", "/mcp-json"])
def test_agent_lists_only_permitted_tools_and_gets_redacted_results(stack, path: str) -> None:
    agent = f"triage-{uuid.uuid4().hex[:6]}"

    async def steps(session: ClientSession, init: Any) -> Any:
        listed = await session.list_tools()
        found = await session.call_tool("ehr.search_patients", {"query": "Okonkwo"})
        note = await session.call_tool("ehr.get_encounter", {"encounter_id": "enc-1"})
        return init, listed, found, note

    before = _server_calls(stack)
    init, listed, found, note = run(stack, agent, path, steps)
    assert _server_calls(stack)["ehr.search_patients"] == before.get("ehr.search_patients", 0) + 1
    assert init.server_info.name == "phi-guard demo EHR"
    assert {t.name for t in listed.tools} == PERMITTED  # export_records and get_labs hidden
    for result in (found, note):
        assert not result.is_error
        text = "\n".join(c.text for c in result.content if c.type == "text")
        for value in (SSN, MRN, PHONE, *CLINICAL_NOTE_PHI["SSN"], *CLINICAL_NOTE_PHI["EMAIL"]):
            assert value not in text, f"{value!r} leaked in a tool result"
        assert "[" in text  # type tags stand where identifiers were
    assert "Encounter enc-1" in "".join(c.text for c in note.content if c.type == "text")  # still readable


def test_control_the_mcp_server_itself_serves_every_tool_and_raw_phi(stack) -> None:
    """The oracle can fail: straight to the server (no guard) all tools are listed and the SSN is there."""
    url = stack.raw["mcp_upstream_url"] + "/mcp"

    async def direct() -> tuple[set[str], str]:
        async with streamable_http_client(url) as (read, write), ClientSession(read, write) as session:
            with anyio.fail_after(TIMEOUT):
                await session.initialize()
                tools = await session.list_tools()
                res = await session.call_tool("ehr.search_patients", {"query": "Okonkwo"})
                return {t.name for t in tools.tools}, res.content[0].text

    names, text = anyio.run(direct)
    assert names == set(TOOLS) and SSN in text


@pytest.mark.parametrize("path", ["/mcp", "/mcp-json"])
def test_forbidden_tool_is_refused_and_never_reaches_the_server(stack, path: str) -> None:
    agent = f"rogue-{uuid.uuid4().hex[:6]}"

    async def steps(session: ClientSession, _: Any) -> Any:
        with pytest.raises(MCPError) as err:
            await session.call_tool("ehr.export_records", {"patient_ids": ["MRN-00482913"]})
        return err.value

    before = _server_calls(stack)
    err = run(stack, agent, path, steps)
    assert err.error.code == -32603  # the client's code for an HTTP error answer (the guard's 403)
    assert _server_calls(stack).get("ehr.export_records", 0) == before.get("ehr.export_records", 0)


def _server_calls(stack: Any) -> dict[str, int]:
    r = httpx.get(stack.raw["mcp_upstream_url"] + "/_demo/stats", timeout=10)
    r.raise_for_status()
    return dict(r.json()["tool_calls"])


def test_purpose_limits_a_tool_the_role_may_otherwise_call(stack) -> None:
    """fhir.bulk_data is on the agent's list for operations only: refused for treatment by policy."""
    cert = stack.client_cert("bulk-agent")
    ctx = ssl.create_default_context(cafile=str(stack.ca_cert))
    ctx.load_cert_chain(str(cert.cert), str(cert.key))
    call = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "fhir.bulk_data", "arguments": {}}}
    with httpx.Client(verify=ctx, timeout=30) as c:
        r = c.post(f"{stack.envoy_tls_url}/mcp", json=call, headers={
            "x-phi-guard-purpose": "treatment", "accept": "application/json, text/event-stream",
            "mcp-session-id": "none"})
    assert r.status_code == 403
    assert {x["code"] for x in r.json()["reasons"]} == {"tool_purpose_not_permitted"}


def test_mcp_without_client_certificate_is_refused(stack) -> None:
    """A person's token is not an agent identity: no role may speak MCP without mTLS."""
    init = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}}
    with stack.http() as c:
        r = c.post("/mcp", json=init, headers={**stack.auth_headers("dr.house", ["clinician"]),
                                                "x-phi-guard-purpose": "treatment",
                                                "accept": "application/json, text/event-stream"})
    assert r.status_code == 403 and r.json()["error"] == "policy_denied"


def test_each_tool_call_is_an_audit_event(stack) -> None:
    agent = f"audited-{uuid.uuid4().hex[:6]}"
    sub = f"spiffe://phi-guard.local/ns/agents/sa/{agent}"

    async def steps(session: ClientSession, _: Any) -> None:
        await session.call_tool("ehr.search_patients", {"query": "Okonkwo"})
        with pytest.raises(MCPError):
            await session.call_tool("ehr.export_records", {"patient_ids": ["x"]})

    run(stack, agent, "/mcp-json", steps)

    def calls(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [e for e in events if "tools/call" in json.dumps(e) or "mcp.tools_call" in json.dumps(e)]

    events = wait_events(stack, sub, lambda evs: len(calls(evs)) >= 2)
    dumped = [json.dumps(e) for e in calls(events)]
    allowed = [d for d in dumped if "ehr.search_patients" in d]
    denied = [d for d in dumped if "ehr.export_records" in d]
    assert allowed and denied, dumped
    assert "tool_not_permitted" in denied[0]


def test_demo_agent_step_behaves_as_stated(stack) -> None:
    """``make demo``'s agent step, on this stack."""
    from devstack.demo import DemoContext
    from devstack.demo_agent import agent_over_mcp

    seen = agent_over_mcp(DemoContext(stack))
    assert "ehr.export_records refused" in seen and "ehr.get_labs" not in seen


def _raw_client(stack: Any, agent: str) -> tuple[ssl.SSLContext, dict[str, str], dict[str, Any]]:
    """TLS context with ``agent``'s certificate, the MCP request headers and an ``initialize`` request."""
    cert = stack.client_cert(agent)
    ctx = ssl.create_default_context(cafile=str(stack.ca_cert))
    ctx.load_cert_chain(str(cert.cert), str(cert.key))
    headers = {"x-phi-guard-purpose": "treatment", "accept": "application/json, text/event-stream",
               "mcp-protocol-version": "2025-06-18"}
    init = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": agent, "version": "0"}}}
    return ctx, headers, init


@pytest.mark.parametrize("path", ["/mcp", "/mcp-json"])
def test_raw_session_headers_notifications_and_both_answer_shapes(stack, path: str) -> None:
    """The protocol as it crosses Envoy: Mcp-Session-Id comes back and is honoured, a notification gets 202,
    tools/list is filtered whether the server answers JSON or SSE."""
    ctx, headers, init = _raw_client(stack, "raw-agent")

    def messages(r: httpx.Response) -> list[dict[str, Any]]:
        if r.headers["content-type"].startswith("text/event-stream"):
            return [json.loads(ln[5:]) for ln in r.text.splitlines() if ln.startswith("data:") and ln[5:].strip()]
        return [r.json()]

    with httpx.Client(base_url=stack.envoy_tls_url, verify=ctx, timeout=30) as c:
        r = c.post(path, json=init, headers=headers)
        assert r.status_code == 200, r.text
        session = r.headers.get("mcp-session-id")
        assert session, dict(r.headers)
        assert r.headers["content-type"].startswith("application/json" if path == "/mcp-json" else "text/event-stream")
        assert messages(r)[0]["result"]["protocolVersion"] == "2025-06-18"
        headers["mcp-session-id"] = session
        note = c.post(path, json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=headers)
        assert note.status_code == 202, note.text
        listed = c.post(path, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"}, headers=headers)
        assert listed.status_code == 200, listed.text
        assert {t["name"] for t in messages(listed)[-1]["result"]["tools"]} == PERMITTED
        # control: a wrong session id is the server's 404, so the id really is what the session rides on
        bad = c.post(path, json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
                     headers={**headers, "mcp-session-id": "not-a-session"})
        assert bad.status_code in (400, 404), bad.text
        assert c.delete(path, headers=headers).status_code in (200, 204)


def test_every_session_keeps_its_random_id(stack) -> None:
    """The server's session ids are random (``uuid4().hex``); the header filter reads them as opaque tokens
    (sidecar/edge/opaque_tokens.py), so none is dropped for a name or account fragment it spells by chance (the
    whole-value scan dropped about one in eighty under the agent's ``standard`` profile: sixty sessions caught it
    more often than not). Unit level, 20,000 ids: tests/edge/test_opaque_tokens.py."""
    ctx, headers, init = _raw_client(stack, "many-sessions")
    seen: set[str] = set()
    with httpx.Client(base_url=stack.envoy_tls_url, verify=ctx, timeout=30) as c:
        for _ in range(60):
            r = c.post("/mcp-json", json=init, headers=headers)
            assert r.status_code == 200, r.text
            session = r.headers.get("mcp-session-id")
            assert session, dict(r.headers)
            seen.add(session)
            c.delete("/mcp-json", headers={**headers, "mcp-session-id": session})
    assert len(seen) == 60  # fresh random ids, not one cached verdict
