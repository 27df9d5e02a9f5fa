"""Hypothesis strategies for policy inputs in the shape :func:`sidecar.policy.input.build_policy_input` builds,
with values drawn mostly from the policy's own vocabulary (roles, purposes, models, tools, topics, limits) so
that generated requests reach every rule, plus unknown values and odd types at the edges."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from tests.policy.conftest import SHIPPED

CONFIG: dict[str, Any] = json.loads((SHIPPED / "phi_guard" / "config" / "data.json").read_text())
if "phi_guard" in CONFIG:  # data.json may sit at the root or under phi_guard/config
    CONFIG = CONFIG["phi_guard"]["config"]

ROLES = sorted(CONFIG["roles"]) + ["janitor", "pharmacist"]  # pharmacist: added by an edit in the tests
PURPOSES = sorted(CONFIG["purposes"]) + ["marketing"]
MODELS = sorted({m for r in CONFIG["roles"].values() for m in r.get("models", [])}) + ["gpt-5", "llama"]
TOOLS = sorted({t for r in CONFIG["roles"].values() for t in r.get("tools", [])} | set(CONFIG["export_tools"]))
TOPICS = sorted(CONFIG["risk"]["points"]) + ["oncology"]
APIS = ["openai.chat", "openai.responses", "anthropic.messages", "mcp.rpc", "openai.embeddings", "unknown"]
MCP_METHODS = ["tools/call", "tools/list", "initialize", "resources/read", "prompts/get"]

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
small_int = st.integers(min_value=-2, max_value=20_000)
# max_tokens is an int or absent: the request parser refuses anything else (parse_error).
number = st.one_of(small_int, st.sampled_from([4000, 4096, 8192, 8193, 3999, 2**53 + 1]))


def _maybe(values: list[str]) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(values), text, st.none())


@st.composite
def policy_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Half of the inputs are coherent for one role (its purpose, API, model and tools), so that allowed and
    approval-bound requests are common; the rest mix anything."""
    if draw(st.booleans()):
        name = draw(st.sampled_from(sorted(CONFIG["roles"])))
        role = CONFIG["roles"][name]
        roles = [name]
        api = draw(st.sampled_from(role.get("apis") or APIS))
        purpose = draw(st.sampled_from(role.get("purposes") or PURPOSES))
        model = draw(st.sampled_from(role.get("models") or MODELS))
        auth = "mtls" if role.get("requires_mtls") else "jwt"
        own_tools = role.get("tools") or TOOLS
        tools = draw(st.lists(st.sampled_from(own_tools), max_size=2))
        calls = [{"name": t} for t in draw(st.lists(st.sampled_from(own_tools), max_size=1))]
        max_tokens = draw(st.sampled_from([None, 256, 1024, 4000, 4096, role.get("max_tokens", 0)]))
        patients = draw(st.integers(0, role.get("max_patients", 1)))
    else:
        roles = draw(st.lists(st.one_of(st.sampled_from(ROLES), text), max_size=3))
        api = draw(st.sampled_from(APIS))
        purpose = draw(_maybe(PURPOSES))
        model = draw(st.one_of(st.sampled_from(MODELS), text, st.none(), st.integers(0, 3)))
        auth = draw(st.sampled_from(["jwt", "mtls", "none"]))
        tools = draw(st.lists(st.sampled_from(TOOLS), max_size=2))
        calls = [{"name": t} for t in draw(st.lists(st.one_of(st.sampled_from(TOOLS), text), max_size=2))]
        max_tokens = draw(st.one_of(number, st.none()))
        patients = draw(st.integers(0, 40))
    path = {
        "openai.chat": "/v1/chat/completions",
        "openai.responses": "/v1/responses",
        "anthropic.messages": "/v1/messages",
        "mcp.rpc": "/mcp",
    }.get(api, draw(st.sampled_from(["/v1/embeddings", "/v1/models", "/x"])))
    method = draw(st.sampled_from(["POST", "POST", "GET"]))
    bg_requested = draw(st.booleans())
    return {
        "attributes": {
            "request": {
                "http": {
                    "id": draw(text),  # not read by the policy
                    "method": method,
                    "path": path,
                    "host": "guard.local",
                    "scheme": "http",
                    "headers": {"x-unread": draw(text)},
                }
            },
            "source": {"address": "127.0.0.1", "principal": ""},
        },
        "parsed_path": [p for p in path.split("/") if p],
        "parsed_query": {},
        "parsed_body": {"messages": [{"role": "user", "content": draw(text)}]},
        "truncated_body": draw(st.booleans()) and draw(st.booleans()),
        "identity": {
            "sub": draw(st.sampled_from(["u-1", "u-2"])),
            "iss": "https://idp.local",
            "auth_method": auth,
            "roles": roles,
        },
        "ai": {
            "api": api,
            "provider": "openai",
            "model": model,
            "stream": draw(st.booleans()),
            "max_tokens": max_tokens,
            "tools": tools,
            "tool_calls": calls,
            "messages": [],
            "text_chars": draw(small_int),
            "parse_error": draw(st.sampled_from([None, None, None, "invalid_json"])),
            "rpc_method": draw(_maybe(MCP_METHODS)) if api == "mcp.rpc" else None,
            "patient_count": patients,
            "topics": draw(st.lists(st.sampled_from(TOPICS), max_size=2, unique=True)),
        },
        "purpose": purpose,
        "break_glass": {
            "requested": bg_requested,
            "reason": draw(st.sampled_from(["", "unconscious patient"])) if bg_requested else "",
        },
        "approval": {"id": None},
        "time": {
            "hour": draw(st.integers(0, 23)),
            "minute": draw(st.integers(0, 59)),  # not read by the policy
            "weekday": draw(st.integers(0, 6)),
            "weekday_name": "",
            "iso": "",
            "timezone": "UTC",
        },
    }


@st.composite
def approval_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """``input`` of the approvals entrypoint: the stored request and the approver."""
    subs = st.sampled_from(["u-1", "u-2", "u-3"])
    return {
        "request": {
            "requester": {"sub": draw(subs), "roles": draw(st.lists(st.sampled_from(ROLES), max_size=2))},
            "approvers": draw(st.lists(st.sampled_from(ROLES), max_size=2)),
        },
        "approver": {
            "sub": draw(subs),
            "roles": draw(st.lists(st.one_of(st.sampled_from(ROLES), text), max_size=2)),
            "auth_method": draw(st.sampled_from(["jwt", "mtls"])),
        },
    }
