"""tools/list filtering on the real redaction processors: JSON and SSE, split anywhere, fail closed."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from sidecar.mcp_tools import mcp_answer_processor, permitted_tools
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.errors import RedactionError
from sidecar.redaction.settings import RedactionSettings

KEY = b"test-key-0123456789abcdef0123456"
ALL = ["ehr.search_patients", "ehr.get_encounter", "ehr.export_records", "drug_interactions"]
PERMITTED = ["drug_interactions", "ehr.get_encounter", "ehr.search_patients"]
SSN = "523-81-4467"


@pytest.fixture(scope="module")
def engine() -> RedactionEngine:
    return RedactionEngine(RedactionSettings(unknown_content_type="withhold"), KEY)


def _exchange(method: str | None = "tools/list", permitted: object = PERMITTED) -> SimpleNamespace:
    """What the hand-off carries for the request: its JSON-RPC method and the decision's permitted tools."""
    extra = {} if permitted is None else {"permitted_tools": permitted}
    return SimpleNamespace(rpc_method=method or "", permitted=permitted_tools(extra))


def _answer() -> dict:
    tools = [{"name": n, "description": f"{n} (example SSN {SSN})", "inputSchema": {"type": "object"}} for n in ALL]
    return {"jsonrpc": "2.0", "id": 2, "result": {"tools": tools}}


def _run(engine: RedactionEngine, ctype: str, body: bytes, exchange: SimpleNamespace, step: int) -> bytes:
    proc = mcp_answer_processor(engine.open_body("standard", ctype), exchange.rpc_method, exchange.permitted, ctype)
    out = b"".join(proc.feed(body[i : i + step]) for i in range(0, len(body), step))
    return out + proc.finish()


@pytest.mark.parametrize("step", [1, 7, 10_000])
def test_json_answer_keeps_only_permitted_tools_and_is_redacted(engine: RedactionEngine, step: int) -> None:
    out = json.loads(_run(engine, "application/json", json.dumps(_answer()).encode(), _exchange(), step))
    assert [t["name"] for t in out["result"]["tools"]] == [n for n in ALL if n in PERMITTED]
    assert SSN not in json.dumps(out)  # still redacted after filtering


@pytest.mark.parametrize("step", [1, 5, 10_000])
def test_sse_answer_filters_each_event(engine: RedactionEngine, step: int) -> None:
    note = {"jsonrpc": "2.0", "method": "notifications/message", "params": {"level": "info", "data": "listing"}}
    body = (f"event: message\nid: 1\ndata: {json.dumps(note)}\n\n"
            f"event: message\r\nid: 2\r\ndata: {json.dumps(_answer())}\r\n\r\n").encode()
    out = _run(engine, "text/event-stream", body, _exchange(), step).decode()
    datas = [json.loads(ln[5:]) for ln in out.splitlines() if ln.startswith("data:")]
    assert datas[0]["method"] == "notifications/message"
    assert [t["name"] for t in datas[1]["result"]["tools"]] == [n for n in ALL if n in PERMITTED]
    assert "id: 2" in out and SSN not in out


def test_control_other_methods_pass_unfiltered(engine: RedactionEngine) -> None:
    """The oracle can fail: without the tools/list method every tool comes back."""
    out = json.loads(_run(engine, "application/json", json.dumps(_answer()).encode(), _exchange("tools/call"), 50))
    assert [t["name"] for t in out["result"]["tools"]] == ALL


def test_decision_without_permitted_tools_shows_none(engine: RedactionEngine) -> None:
    out = json.loads(_run(engine, "application/json", json.dumps(_answer()).encode(), _exchange(permitted=None), 50))
    assert out["result"]["tools"] == []


def test_unreadable_answer_is_withheld(engine: RedactionEngine) -> None:
    with pytest.raises(RedactionError):
        _run(engine, "application/json", b'{"jsonrpc": "2.0", "result": {"tools": [', _exchange(), 10)
    with pytest.raises(RedactionError):
        _run(engine, "text/event-stream", b"data: {not json\n\n", _exchange(), 10)


def test_batch_and_malformed_tools_entries(engine: RedactionEngine) -> None:
    answer = _answer()
    answer["result"]["tools"] += ["ehr.search_patients", {"name": 3}]
    out = json.loads(_run(engine, "application/json", json.dumps([answer]).encode(), _exchange(), 64))
    assert [t["name"] for t in out[0]["result"]["tools"]] == [n for n in ALL if n in PERMITTED]


def _init_answer(version: str) -> dict:
    return {"jsonrpc": "2.0", "id": 0, "result": {"protocolVersion": version, "capabilities": {},
                                                  "serverInfo": {"name": "ehr", "version": "1"}}}


@pytest.mark.parametrize("ctype", ["application/json", "text/event-stream"])
def test_initialize_keeps_a_published_protocol_version_under_safe_harbor(engine: RedactionEngine, ctype: str) -> None:
    def run(version: str, method: str = "initialize") -> dict:
        body = json.dumps(_init_answer(version))
        raw = f"id: 7\ndata: \n\nevent: message\ndata: {body}\n\n" if ctype == "text/event-stream" else body
        ex = _exchange(method)
        proc = mcp_answer_processor(engine.open_body("safe_harbor", ctype), ex.rpc_method, ex.permitted, ctype)
        out = (b"".join(proc.feed(raw.encode()[i : i + 9]) for i in range(0, len(raw), 9)) + proc.finish()).decode()
        if ctype == "text/event-stream":
            assert "id: 7" in out
            out = next(ln[5:] for ln in out.splitlines() if ln.startswith("data:") and ln[5:].strip())
        return json.loads(out)["result"]

    assert run("2025-06-18")["protocolVersion"] == "2025-06-18"
    # control: the same answer without the rewriter loses it to the date detector
    assert run("2025-06-18", method="tools/call")["protocolVersion"] != "2025-06-18"
    # a date that is not a protocol version (a birth date smuggled there) stays redacted
    assert run("1956-03-14")["protocolVersion"] != "1956-03-14"
