"""Every supported API through its official client, pointed at Envoy: OpenAI (chat and Responses), Anthropic,
Google Gen AI (Gemini) and Ollama, streamed and not, tool calls included.

Each test checks what a caller sees: PHI redacted in answers and in tool-call arguments, refusals as the SDK's
own permission error, and (at the end) one audit event per call. ``test_control_*`` sends the same requests
straight to the demo model, proving the PHI is there to be caught.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import anthropic
import ollama
import openai
import pytest
from google import genai
from google.genai import errors as genai_errors
from google.genai import types as genai_types

from tests.e2e.audit_util import wait_events

pytestmark = pytest.mark.e2e

NAME, SSN, PHONE, EMAIL = "John Smith", "123-45-6789", "(617) 555-0142", "john.smith@example.org"
PHI_TEXT = f"Patient {NAME}, SSN {SSN}, phone {PHONE}, email {EMAIL}, seen for chest pain."
SAFE_HARBOR_VALUES = (NAME, SSN, PHONE, EMAIL, "555-0142", "6789")
SUB = f"sdk-{uuid.uuid4().hex[:8]}"  # every call of this module, so the audit test finds them
TOOL = "drug_interactions"  # on the clinician's tool allowlist
SPLIT = {"x-demo-chunk-chars": "3"}  # streamed answers in 3-character pieces: identifiers span events
TIMEOUT = 30.0


def _headers(stack: Any, role: str, purpose: str, token: bool = True) -> dict[str, str]:
    h = {"x-phi-guard-purpose": purpose, **SPLIT}
    if token:
        h["authorization"] = f"Bearer {stack.token(SUB, [role])}"
    return h


# --- clients, aimed at the guard (or, for the controls, at the demo model with its own key) --------------------


def openai_client(stack: Any, role: str, purpose: str, direct: bool = False) -> openai.OpenAI:
    base = stack.upstream_url if direct else stack.envoy_url
    key = stack.upstream_credential() if direct else stack.token(SUB, [role])
    return openai.OpenAI(base_url=f"{base}/v1", api_key=key, max_retries=0, timeout=TIMEOUT,
                         default_headers=_headers(stack, role, purpose, token=False))


def anthropic_client(stack: Any, role: str, purpose: str, direct: bool = False) -> anthropic.Anthropic:
    base = stack.upstream_url if direct else stack.envoy_url
    key = stack.upstream_credential() if direct else stack.token(SUB, [role])
    return anthropic.Anthropic(base_url=base, auth_token=key, max_retries=0, timeout=TIMEOUT,
                               default_headers=_headers(stack, role, purpose, token=False))


def gemini_client(stack: Any, role: str, purpose: str, direct: bool = False) -> genai.Client:
    base = stack.upstream_url if direct else stack.envoy_url
    key = stack.upstream_credential() if direct else stack.token(SUB, [role])
    headers = {**_headers(stack, role, purpose, token=False), "authorization": f"Bearer {key}"}
    return genai.Client(api_key="unused", http_options=genai_types.HttpOptions(
        base_url=base, headers=headers, timeout=int(TIMEOUT * 1000),
        retry_options=genai_types.HttpRetryOptions(attempts=1)))


def ollama_client(stack: Any, role: str, purpose: str, direct: bool = False) -> ollama.Client:
    base = stack.upstream_url if direct else stack.envoy_url
    key = stack.upstream_credential() if direct else stack.token(SUB, [role])
    headers = {**_headers(stack, role, purpose, token=False), "authorization": f"Bearer {key}"}
    return ollama.Client(host=base, headers=headers, timeout=TIMEOUT)


# --- one answer's text (or tool-call arguments) per SDK, streamed or not ---------------------------------------


def openai_chat_text(c: openai.OpenAI, model: str, stream: bool) -> str:
    msgs: Any = [{"role": "user", "content": PHI_TEXT}]
    if not stream:
        return c.chat.completions.create(model=model, messages=msgs).choices[0].message.content or ""
    return "".join(ch.choices[0].delta.content or "" for ch in
                   c.chat.completions.create(model=model, messages=msgs, stream=True) if ch.choices)


def openai_chat_tool(c: openai.OpenAI, stream: bool) -> tuple[str, str]:
    tools: Any = [{"type": "function", "function": {"name": TOOL, "parameters": {"type": "object"}}}]
    msgs: Any = [{"role": "user", "content": PHI_TEXT}]
    if not stream:
        call = c.chat.completions.create(model="echo", messages=msgs, tools=tools).choices[0].message.tool_calls
        assert call
        return call[0].function.name, call[0].function.arguments  # type: ignore[union-attr]
    name, args = "", ""
    for ch in c.chat.completions.create(model="echo", messages=msgs, tools=tools, stream=True):
        for tc in (ch.choices[0].delta.tool_calls or []) if ch.choices else []:
            name += (tc.function.name or "") if tc.function else ""
            args += (tc.function.arguments or "") if tc.function else ""
    return name, args


def openai_responses_text(c: openai.OpenAI, model: str, stream: bool) -> str:
    if not stream:
        return c.responses.create(model=model, input=PHI_TEXT).output_text
    return "".join(e.delta for e in c.responses.create(model=model, input=PHI_TEXT, stream=True)
                   if e.type == "response.output_text.delta")


def openai_responses_tool(c: openai.OpenAI, stream: bool) -> tuple[str, str]:
    tools: Any = [{"type": "function", "name": TOOL, "parameters": {"type": "object"}, "strict": False}]
    if not stream:
        item = c.responses.create(model="echo", input=PHI_TEXT, tools=tools).output[0]
        assert item.type == "function_call"
        return item.name, item.arguments
    name, args = "", ""
    for e in c.responses.create(model="echo", input=PHI_TEXT, tools=tools, stream=True):
        if e.type == "response.function_call_arguments.delta":
            args += e.delta
        elif e.type == "response.output_item.added" and e.item.type == "function_call":
            name = e.item.name
    return name, args


def anthropic_text(c: anthropic.Anthropic, model: str, stream: bool) -> str:
    msgs: Any = [{"role": "user", "content": PHI_TEXT}]
    if not stream:
        block = c.messages.create(model=model, max_tokens=512, messages=msgs).content[0]
        return block.text if block.type == "text" else ""
    return "".join(e.delta.text for e in c.messages.create(model=model, max_tokens=512, messages=msgs, stream=True)
                   if e.type == "content_block_delta" and e.delta.type == "text_delta")


def anthropic_tool(c: anthropic.Anthropic, stream: bool) -> tuple[str, str]:
    msgs: Any = [{"role": "user", "content": PHI_TEXT}]
    tools: Any = [{"name": TOOL, "input_schema": {"type": "object"}}]
    if not stream:
        block = c.messages.create(model="echo", max_tokens=512, messages=msgs, tools=tools).content[0]
        assert block.type == "tool_use"
        return block.name, json.dumps(block.input)
    name, args = "", ""
    for e in c.messages.create(model="echo", max_tokens=512, messages=msgs, tools=tools, stream=True):
        if e.type == "content_block_start" and e.content_block.type == "tool_use":
            name = e.content_block.name
        elif e.type == "content_block_delta" and e.delta.type == "input_json_delta":
            args += e.delta.partial_json
    return name, args


def gemini_text(c: genai.Client, model: str, stream: bool) -> str:
    if not stream:
        return c.models.generate_content(model=model, contents=PHI_TEXT).text or ""
    return "".join(ch.text or "" for ch in c.models.generate_content_stream(model=model, contents=PHI_TEXT))


def gemini_tool(c: genai.Client, stream: bool) -> tuple[str, str]:
    config = genai_types.GenerateContentConfig(
        tools=[genai_types.Tool(function_declarations=[genai_types.FunctionDeclaration(name=TOOL)])],
        automatic_function_calling=genai_types.AutomaticFunctionCallingConfig(disable=True))
    if not stream:
        calls = c.models.generate_content(model="echo", contents=PHI_TEXT, config=config).function_calls
    else:
        calls = [fc for ch in c.models.generate_content_stream(model="echo", contents=PHI_TEXT, config=config)
                 for fc in ch.function_calls or []]
    assert calls
    return calls[0].name or "", json.dumps(calls[0].args)


def ollama_text(c: ollama.Client, model: str, stream: bool) -> str:
    msgs = [{"role": "user", "content": PHI_TEXT}]
    if not stream:
        return c.chat(model=model, messages=msgs, stream=False).message.content or ""
    return "".join(p.message.content or "" for p in c.chat(model=model, messages=msgs, stream=True))


def ollama_tool(c: ollama.Client, stream: bool) -> tuple[str, str]:
    msgs = [{"role": "user", "content": PHI_TEXT}]
    tools: Any = [{"type": "function", "function": {"name": TOOL, "parameters": {"type": "object"}}}]
    parts = [c.chat(model="echo", messages=msgs, tools=tools, stream=False)] if not stream else \
        list(c.chat(model="echo", messages=msgs, tools=tools, stream=True))
    calls = [tc for p in parts for tc in p.message.tool_calls or []]
    assert calls
    return calls[0].function.name, json.dumps(calls[0].function.arguments)


SDKS: dict[str, tuple[Callable[..., Any], Callable[..., str], Callable[..., tuple[str, str]]]] = {
    "openai.chat": (openai_client, openai_chat_text, openai_chat_tool),
    "openai.responses": (openai_client, openai_responses_text, openai_responses_tool),
    "anthropic.messages": (anthropic_client, anthropic_text, anthropic_tool),
    "gemini.generate_content": (gemini_client, gemini_text, gemini_tool),
    "ollama.chat": (ollama_client, ollama_text, ollama_tool),
}
STREAM = pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
API = pytest.mark.parametrize("api", list(SDKS))


def _leaks(text: str, values: tuple[str, ...]) -> list[str]:
    return [v for v in values if v in text]


@API
@STREAM
def test_answer_is_redacted_safe_harbor(stack, api: str, stream: bool) -> None:
    make, text_of, _ = SDKS[api]
    text = text_of(make(stack, "researcher", "research"), "echo", stream)
    assert "chest pain" in text, text  # the answer arrives and stays readable
    assert not _leaks(text, SAFE_HARBOR_VALUES), text


@API
@STREAM
def test_tool_call_arguments_are_redacted(stack, api: str, stream: bool) -> None:
    make, _, tool_of = SDKS[api]
    name, args = tool_of(make(stack, "clinician", "treatment"), stream)
    assert name == TOOL
    assert "chest pain" in args, args
    assert SSN not in args and "6789" not in args, args  # the clinical profile never releases an SSN


@API
@STREAM
def test_control_the_demo_model_itself_answers_with_the_phi(stack, api: str, stream: bool) -> None:
    """The oracle can fail: without the guard the same calls carry every identifier."""
    make, text_of, tool_of = SDKS[api]
    client = make(stack, "researcher", "research", direct=True)
    assert SSN in text_of(client, "echo", stream) and SSN in tool_of(client, stream)[1]


# --- the second turn: the tool's result goes back to the model, whose answer quotes it -----------------------

TOOL_RESULT = f"Interaction check for {NAME} (SSN {SSN}): no interaction; monitor chest pain."


def openai_chat_followup(c: openai.OpenAI, stream: bool) -> str:
    msgs: Any = [
        {"role": "user", "content": "Check warfarin and aspirin."},
        {"role": "assistant", "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": TOOL, "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "c1", "content": TOOL_RESULT},
    ]
    if not stream:
        return c.chat.completions.create(model="echo", messages=msgs).choices[0].message.content or ""
    return "".join(ch.choices[0].delta.content or "" for ch in
                   c.chat.completions.create(model="echo", messages=msgs, stream=True) if ch.choices)


def openai_responses_followup(c: openai.OpenAI, stream: bool) -> str:
    items: Any = [
        {"role": "user", "content": "Check warfarin and aspirin."},
        {"type": "function_call", "call_id": "c1", "name": TOOL, "arguments": "{}"},
        {"type": "function_call_output", "call_id": "c1", "output": TOOL_RESULT},
    ]
    if not stream:
        return c.responses.create(model="echo", input=items).output_text
    return "".join(e.delta for e in c.responses.create(model="echo", input=items, stream=True)
                   if e.type == "response.output_text.delta")


def anthropic_followup(c: anthropic.Anthropic, stream: bool) -> str:
    msgs: Any = [
        {"role": "user", "content": "Check warfarin and aspirin."},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": TOOL, "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": TOOL_RESULT}]},
    ]
    if not stream:
        block = c.messages.create(model="echo", max_tokens=512, messages=msgs).content[0]
        return block.text if block.type == "text" else ""
    return "".join(e.delta.text for e in c.messages.create(model="echo", max_tokens=512, messages=msgs, stream=True)
                   if e.type == "content_block_delta" and e.delta.type == "text_delta")


def gemini_followup(c: genai.Client, stream: bool) -> str:
    contents = [
        genai_types.Content(role="user", parts=[genai_types.Part(text="Check warfarin and aspirin.")]),
        genai_types.Content(role="model", parts=[genai_types.Part(
            function_call=genai_types.FunctionCall(name=TOOL, args={}))]),
        genai_types.Content(role="user", parts=[genai_types.Part(
            function_response=genai_types.FunctionResponse(name=TOOL, response={"result": TOOL_RESULT}))]),
    ]
    if not stream:
        return c.models.generate_content(model="echo", contents=contents).text or ""
    return "".join(ch.text or "" for ch in c.models.generate_content_stream(model="echo", contents=contents))


def ollama_followup(c: ollama.Client, stream: bool) -> str:
    msgs: Any = [
        {"role": "user", "content": "Check warfarin and aspirin."},
        {"role": "assistant", "content": "", "tool_calls": [{"function": {"name": TOOL, "arguments": {}}}]},
        {"role": "tool", "content": TOOL_RESULT, "tool_name": TOOL},
    ]
    if not stream:
        return c.chat(model="echo", messages=msgs, stream=False).message.content or ""
    return "".join(p.message.content or "" for p in c.chat(model="echo", messages=msgs, stream=True))


FOLLOWUPS: dict[str, Callable[..., str]] = {
    "openai.chat": openai_chat_followup,
    "openai.responses": openai_responses_followup,
    "anthropic.messages": anthropic_followup,
    "gemini.generate_content": gemini_followup,
    "ollama.chat": ollama_followup,
}


@API
@STREAM
def test_answer_quoting_a_tool_result_is_redacted(stack, api: str, stream: bool) -> None:
    make = SDKS[api][0]
    text = FOLLOWUPS[api](make(stack, "clinician", "treatment"), stream)
    assert "monitor chest pain" in text, text
    assert SSN not in text and "6789" not in text, text
    # control: the demo model really quotes the tool result (with the SSN) when asked directly
    assert SSN in FOLLOWUPS[api](make(stack, "clinician", "treatment", direct=True), stream)


def _refused(api: str, call: Callable[[], Any]) -> int:
    """The HTTP status of the SDK's own permission error (fails if the call succeeds)."""
    try:
        call()
    except (openai.PermissionDeniedError, anthropic.PermissionDeniedError) as exc:
        return exc.status_code
    except genai_errors.ClientError as exc:
        return int(exc.code)
    except ollama.ResponseError as exc:
        return exc.status_code
    raise AssertionError(f"{api}: the call was allowed")


@API
def test_model_not_on_the_allowlist_is_refused(stack, api: str) -> None:
    make, text_of, _ = SDKS[api]
    before = stack.demo_stats()["requests"]
    assert _refused(api, lambda: text_of(make(stack, "clinician", "treatment"), "gpt-9-unreviewed", False)) == 403
    assert stack.demo_stats()["requests"] == before  # the model never saw it


@pytest.mark.parametrize("api", ["anthropic.messages", "gemini.generate_content", "ollama.chat"])
def test_api_not_permitted_for_the_role_is_refused(stack, api: str) -> None:
    """Billing may use OpenAI only: the other SDKs get a 403 (streamed calls too)."""
    make, text_of, _ = SDKS[api]
    assert _refused(api, lambda: text_of(make(stack, "billing", "payment"), "echo", True)) == 403


def _counts(e: dict[str, Any]) -> dict[str, int]:
    """Redaction counts of an exchange's response half: the answer's, or (a researcher's prompt is minimised
    before it reaches the model, so the echo has nothing left) the request's."""
    return dict(e.get("response", {}).get("redactions") or e.get("request", {}).get("redactions") or {})


def test_each_call_is_an_audit_event(stack) -> None:
    """Runs last in the module: every API appears with redaction counts; refusals are audited too."""
    for make, text_of, _ in SDKS.values():  # one more allowed call per API, in case of -k selection
        text_of(make(stack, "researcher", "research"), "echo", False)

    def apis_seen(events: list[dict[str, Any]]) -> set[str]:
        return {e.get("request", {}).get("api", "") for e in events if _counts(e)}

    def complete(evs: list[dict[str, Any]]) -> bool:  # the refusals too: they may sit in a later segment
        return set(SDKS) <= apis_seen(evs) and any(e.get("outcome") == "policy_denied" for e in evs)

    events = wait_events(stack, SUB, complete, timeout=90)
    for api in SDKS:
        mine = [e for e in events if e.get("request", {}).get("api") == api and e.get("outcome") == "completed"]
        assert mine, api
        assert any(_counts(e) for e in mine), api
    outcomes = sorted({str(e.get("outcome")) for e in events})
    assert "policy_denied" in outcomes, outcomes
