"""A demo MCP server (NOT part of the guard): EHR-like tools over streamable HTTP, the agents' upstream.

Built with the ``mcp`` package. Two endpoints share the tools: ``/mcp`` answers requests as SSE streams,
``/mcp-json`` as plain JSON (``Content-Type: application/json``), so both response shapes go through the
guard. Sessions use the ``Mcp-Session-Id`` header. Every result is synthetic PHI
(:mod:`devstack.demo_data`): names, MRNs, SSNs, phone numbers, addresses.

Tools: ``ehr.search_patients``, ``ehr.get_encounter``, ``ehr.get_labs``, ``ehr.export_records``,
``drug_interactions``. ``GET /_demo/health`` answers 200 once the server runs; ``GET /_demo/stats`` counts
the tool calls that reached the server, by tool.

Run: ``python -m devstack.demo_mcp --port P``.
"""

from __future__ import annotations

import argparse
import contextlib
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import uvicorn
from mcp.server.mcpserver import MCPServer
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp, StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from devstack.demo_data import CLINICAL_NOTE

SSE_PATH = "/mcp"
JSON_PATH = "/mcp-json"
TOOLS = ("ehr.search_patients", "ehr.get_encounter", "ehr.get_labs", "ehr.export_records", "drug_interactions")

PATIENTS = [
    {"name": "Margaret Okonkwo-Reyes", "mrn": "MRN-00482913", "dob": "03/14/1956", "ssn": "523-81-4467",
     "phone": "(617) 555-0143", "address": "41 Larchmont Terrace, Brookline, MA 02446"},
    {"name": "Theodore Vasquez-Lindqvist", "mrn": "MRN-00517730", "dob": "11/02/1971", "ssn": "431-66-2098",
     "phone": "(508) 555-0187", "address": "9 Quarry Lane, Quincy, MA 02169"},
]


def _patient_line(p: dict[str, str]) -> str:
    return (f"{p['name']} (MRN {p['mrn']}), born {p['dob']}, SSN {p['ssn']}, phone {p['phone']}, "
            f"{p['address']}")


def build_server(calls: Counter[str] | None = None) -> MCPServer:
    """The tools; each call that reaches them is counted in ``calls`` by tool name."""
    server = MCPServer("phi-guard demo EHR", instructions="Synthetic EHR tools for the phi-guard demo.")
    seen: Counter[str] = Counter() if calls is None else calls

    @server.tool(name="ehr.search_patients", description="Find patients by name or MRN.")
    def search_patients(query: str) -> str:
        seen["ehr.search_patients"] += 1
        q = query.lower()
        hits = [p for p in PATIENTS if q in p["name"].lower() or q in p["mrn"].lower()] or PATIENTS[:1]
        return "\n".join(_patient_line(p) for p in hits)

    @server.tool(name="ehr.get_encounter", description="The note of one encounter.")
    def get_encounter(encounter_id: str) -> str:
        seen["ehr.get_encounter"] += 1
        return f"Encounter {encounter_id}:\n{CLINICAL_NOTE}"

    @server.tool(name="ehr.get_labs", description="Recent lab results of a patient.")
    def get_labs(mrn: str) -> str:
        seen["ehr.get_labs"] += 1
        p = next((p for p in PATIENTS if p["mrn"] == mrn), PATIENTS[0])
        return f"Labs for {p['name']} ({p['mrn']}): HbA1c 7.9%, LDL 131 mg/dL, eGFR 58."

    @server.tool(name="ehr.export_records", description="Export full records of many patients.")
    def export_records(patient_ids: list[str]) -> str:
        seen["ehr.export_records"] += 1
        return "\n".join(_patient_line(p) for p in PATIENTS)

    @server.tool(name="drug_interactions", description="Known interactions between drugs.")
    def drug_interactions(drugs: list[str]) -> str:
        seen["drug_interactions"] += 1
        return f"No major interactions known between {', '.join(drugs)}."

    return server


def build_app() -> Starlette:
    """Both endpoints (SSE and JSON answers) over one set of tools."""
    calls: Counter[str] = Counter()
    server = build_server(calls)
    # Behind Envoy the Host header is the upstream's: rebinding protection belongs to a browser-facing server.
    security = TransportSecuritySettings(enable_dns_rebinding_protection=False)
    lowlevel: Any = server._lowlevel_server  # the session manager wants the low-level server
    managers = {
        path: StreamableHTTPSessionManager(app=lowlevel, json_response=json_response, security_settings=security)
        for path, json_response in ((SSE_PATH, False), (JSON_PATH, True))
    }

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            for manager in managers.values():
                await stack.enter_async_context(manager.run())
            yield

    async def health(_: Request) -> JSONResponse:
        return JSONResponse({"ok": True, "tools": list(TOOLS)})

    routes = [Route(path, StreamableHTTPASGIApp(m)) for path, m in managers.items()]
    async def stats(_: Request) -> JSONResponse:
        return JSONResponse({"tool_calls": dict(calls)})

    routes.append(Route("/_demo/health", health))
    routes.append(Route("/_demo/stats", stats))
    return Starlette(routes=routes, lifespan=lifespan)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m devstack.demo_mcp", description=__doc__)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    args = ap.parse_args(argv)
    uvicorn.run(build_app(), host=args.host, port=args.port, log_level="warning", access_log=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
