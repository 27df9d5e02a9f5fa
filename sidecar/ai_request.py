"""A normalised view of an AI request (OpenAI chat/responses, Anthropic messages, Gemini generateContent,
Ollama chat, MCP JSON-RPC).

:func:`parse_ai_request` never raises on a bad body: it sets ``parse_error`` to a stable code and policy
decides (the shipped policy denies). The result feeds ``input.ai``; it holds counts, names and flags, and the
tool-call arguments policy may need (these are masked in decision logs).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from sidecar import strict_json
from sidecar.protocol import MCP_SESSION_HEADER
from sidecar.request_view import RequestView

# parse_error codes
TRUNCATED = "truncated"
ENCODED = "encoded_body"
NOT_JSON = "invalid_json"
NOT_OBJECT = "not_an_object"
BAD_SHAPE = "invalid_shape"
EMPTY = "empty_body"
# ... and the strict-JSON codes of sidecar.strict_json (duplicate_key, case_variant_key, invalid_utf8, ...)

_API_BY_SUFFIX = (
    ("/chat/completions", "openai.chat", "openai"),
    ("/responses", "openai.responses", "openai"),
    ("/messages", "anthropic.messages", "anthropic"),
)

# Cheap keyword flags for sensitive categories; the policy gives them risk points. Not PHI detection.
# Substring tests on the lower-cased text (C speed); short words are confirmed on word boundaries.
_TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "psychotherapy_notes": ("psychotherapy", "therapy note", "therapy session note", "counseling note",
                            "counselling note"),
    "substance_use": ("substance use", "opioid use disorder", "alcohol use disorder", "=sud", "methadone",
                      "buprenorphine", "suboxone", "detox", "42 cfr part 2", "addiction treatment"),
    "hiv": ("=hiv", "=aids", "antiretroviral", "viral load"),
    "genetic": ("genetic", "genom", "=brca", "genotyp", "=dna", "hereditary"),
    "reproductive_health": ("abortion", "pregnancy termination"),
}
_WORD_CACHE: dict[str, re.Pattern[str]] = {}


def _has_word(text: str, word: str) -> bool:
    if word not in text:
        return False
    rx = _WORD_CACHE.get(word) or _WORD_CACHE.setdefault(word, re.compile(rf"\b{re.escape(word)}[12]?\b"))
    return rx.search(text) is not None


# _TOPIC_WORDS split once: (topic, substrings, words confirmed on word boundaries), in sorted topic order
_TOPIC_TESTS = tuple(
    (name, tuple(w for w in words if w[0] != "="), tuple(w[1:] for w in words if w[0] == "="))
    for name, words in sorted(_TOPIC_WORDS.items())
)


def _topics(text: str) -> list[str]:
    """The sorted topics whose words the (lower-cased) text holds."""
    found = []
    for name, plain, bounded in _TOPIC_TESTS:
        for w in plain:
            if w in text:
                found.append(name)
                break
        else:
            for w in bounded:
                if _has_word(text, w):
                    found.append(name)
                    break
    return found


# Each pattern starts with a literal, which Python's re finds with a fast substring search.
_MRNS = tuple(re.compile(rf"{p}\s*[:#]?\s*([a-z0-9-]{{5,16}})") for p in
              (r"mrn\b", r"medical record(?: number)?\b", r"patient id\b"))
_PATIENT_LIST_KEYS = frozenset({"patient_ids", "patients", "mrns", "patient_list", "member_ids"})


@dataclass(slots=True)
class AIRequest:
    """The normalised request. ``api`` is one of ``openai.chat``, ``openai.responses``,
    ``anthropic.messages``, ``gemini.generate_content``, ``ollama.chat``,
    ``mcp.tools_call``, ``mcp.rpc`` (any other MCP method, named in ``rpc_method``; an MCP session's
    bodiless ``GET`` stream / ``DELETE`` is ``http.get`` / ``http.delete``) or ``unknown``."""

    api: str = "unknown"
    provider: str | None = None
    model: str | None = None
    stream: bool = False
    max_tokens: int | None = None
    tools: list[str] = field(default_factory=list)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    messages: int = 0
    text_chars: int = 0
    parse_error: str | None = None
    rpc_method: str | None = None
    patient_count: int = 0
    topics: list[str] = field(default_factory=list)
    # The parsed JSON body (None when absent or unparseable); becomes input.parsed_body.
    body: Any = None

    def to_input(self) -> dict[str, Any]:
        """The ``input.ai`` document."""
        return {
            "api": self.api,
            "provider": self.provider,
            "model": self.model,
            "stream": self.stream,
            "max_tokens": self.max_tokens,
            "tools": list(self.tools),
            "tool_calls": [dict(c) for c in self.tool_calls],
            "messages": self.messages,
            "text_chars": self.text_chars,
            "parse_error": self.parse_error,
            "rpc_method": self.rpc_method,
            "patient_count": self.patient_count,
            "topics": list(self.topics),
        }


def parse_ai_request(view: RequestView) -> AIRequest:
    """Recognise the API from path and body and normalise it. Never raises on bad input."""
    ai = AIRequest()
    path = view.path_only.rstrip("/")
    for suffix, api, provider in _API_BY_SUFFIX:
        if path.endswith(suffix):
            ai.api, ai.provider = api, provider
            break
    else:
        _provider_from_path(ai, path)
    if _mcp_session_request(ai, view):
        return ai
    if view.body_truncated:
        ai.parse_error = TRUNCATED
        return ai
    body = view.body
    if not body:
        if ai.api != "unknown" or view.method.upper() in ("POST", "PUT", "PATCH"):
            ai.parse_error = EMPTY
        return ai
    encoding = view.header("content-encoding").strip().lower()
    if encoding and encoding != "identity":
        ai.parse_error = ENCODED
        return ai
    try:
        doc = strict_json.loads(body)  # one reading for policy and upstream alike (sidecar/strict_json.py)
    except strict_json.StrictJsonError as err:
        ai.parse_error = err.code
        return ai
    ai.body = doc
    if not isinstance(doc, dict):
        ai.parse_error = NOT_OBJECT
        return ai
    if doc.get("jsonrpc") == "2.0" and isinstance(doc.get("method"), str):
        ai.api, ai.provider = "mcp.rpc", "mcp"
    try:
        _FILL[ai.api](ai, doc)
    except _Shape:
        ai.parse_error = BAD_SHAPE
    texts = _Texts()
    try:
        texts.walk(doc, depth=0)
    except _Shape:
        ai.parse_error = ai.parse_error or BAD_SHAPE
    ai.text_chars = texts.chars
    call_args = _Texts()
    try:
        call_args.walk([c["arguments"] for c in ai.tool_calls], depth=0)
    except _Shape:
        ai.parse_error = ai.parse_error or BAD_SHAPE
    texts.patient_lists.extend(call_args.patient_lists)
    lowered = "\n".join(texts.parts).lower()
    ai.topics = _topics(lowered)
    mrns = {m.group(1) for rx in _MRNS for m in rx.finditer(lowered)}
    listed = max((len(v) for v in texts.patient_lists), default=0)
    ai.patient_count = max(len(mrns), listed)
    return ai


class _Shape(Exception):
    """The body is JSON but not the shape its API defines."""


def _need(cond: bool) -> None:
    if not cond:
        raise _Shape


def _list(v: Any) -> list[Any]:
    if not isinstance(v, list):
        raise _Shape
    return v


def _dict(v: Any) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise _Shape
    return v


def _opt_int(v: Any) -> int | None:
    if v is None:
        return None
    _need(isinstance(v, int) and not isinstance(v, bool))
    return int(v)


def _common(ai: AIRequest, doc: dict[str, Any], max_key: str) -> None:
    model = doc.get("model")
    _need(isinstance(model, str) or model is None)
    ai.model = model
    stream = doc.get("stream", False)
    _need(isinstance(stream, bool) or stream is None)
    ai.stream = bool(stream)
    ai.max_tokens = _opt_int(doc.get(max_key))


def _tool_names(tools: Any) -> list[str]:
    if tools is None:
        return []
    _need(isinstance(tools, list))
    names = []
    for t in tools:
        _need(isinstance(t, dict))
        fn = t.get("function") if isinstance(t.get("function"), dict) else t
        name = fn.get("name") if isinstance(fn, dict) else None
        names.append(name if isinstance(name, str) else str(t.get("type", "unknown")))
    return names


def _args(raw: Any) -> Any:
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def _openai_chat(ai: AIRequest, doc: dict[str, Any]) -> None:
    _common(ai, doc, "max_completion_tokens" if "max_completion_tokens" in doc else "max_tokens")
    msgs = _list(doc.get("messages"))
    ai.messages = len(msgs)
    ai.tools = _tool_names(doc.get("tools"))
    for m in msgs:
        _need(isinstance(m, dict))
        for call in m.get("tool_calls") or []:
            _need(isinstance(call, dict))
            fn = call.get("function") or {}
            _need(isinstance(fn, dict))
            ai.tool_calls.append({"name": fn.get("name"), "arguments": _args(fn.get("arguments"))})


def _openai_responses(ai: AIRequest, doc: dict[str, Any]) -> None:
    _common(ai, doc, "max_output_tokens")
    items = doc.get("input")
    if not isinstance(items, str | list):
        raise _Shape
    ai.messages = 1 if isinstance(items, str) else len(items)
    ai.tools = _tool_names(doc.get("tools"))
    for item in items if isinstance(items, list) else []:
        _need(isinstance(item, dict))
        if item.get("type") == "function_call":
            ai.tool_calls.append({"name": item.get("name"), "arguments": _args(item.get("arguments"))})


def _anthropic(ai: AIRequest, doc: dict[str, Any]) -> None:
    _common(ai, doc, "max_tokens")
    msgs = _list(doc.get("messages"))
    ai.messages = len(msgs)
    ai.tools = _tool_names(doc.get("tools"))
    for m in msgs:
        _need(isinstance(m, dict))
        content = m.get("content")
        for block in content if isinstance(content, list) else []:
            _need(isinstance(block, dict))
            if block.get("type") == "tool_use":
                ai.tool_calls.append({"name": block.get("name"), "arguments": block.get("input")})


def _mcp(ai: AIRequest, doc: dict[str, Any]) -> None:
    method = doc["method"]
    ai.rpc_method = method
    if method != "tools/call":
        return
    ai.api = "mcp.tools_call"
    params = _dict(doc.get("params"))
    _need(isinstance(params.get("name"), str))
    args = _dict(params.get("arguments", {}))
    ai.tools = [params["name"]]
    ai.tool_calls = [{"name": params["name"], "arguments": args}]


# --- Gemini, Ollama and MCP session requests (recognised by path or headers) ----------------------------------

# /v1beta/models/gemini-2.0-flash:generateContent (also v1, v1alpha, and tunedModels/...)
_GEMINI_PATH = re.compile(
    r"/v1(?:beta|alpha)?\d*/(?:models|tunedModels)/([^/:]+):(generateContent|streamGenerateContent)$"
)
_OLLAMA_CHAT_SUFFIX = "/api/chat"  # also behind a path prefix, e.g. /ollama/api/chat


def _provider_from_path(ai: AIRequest, path: str) -> None:
    """APIs named by their path alone: Gemini (the model and streaming are in the path) and Ollama."""
    m = _GEMINI_PATH.search(path)
    if m:
        ai.api, ai.provider, ai.model = "gemini.generate_content", "google", m.group(1)
        ai.stream = m.group(2) == "streamGenerateContent"
    elif path.endswith(_OLLAMA_CHAT_SUFFIX):
        ai.api, ai.provider = "ollama.chat", "ollama"


def _mcp_session_request(ai: AIRequest, view: RequestView) -> bool:
    """An MCP streamable-HTTP session's bodiless ``GET`` (server-to-client stream) or ``DELETE`` (end of
    session): ``mcp.rpc`` with ``rpc_method`` ``http.get`` / ``http.delete``, so policy can allow them."""
    method = view.method.upper()
    if method not in ("GET", "DELETE") or not view.header(MCP_SESSION_HEADER) or view.body or ai.api != "unknown":
        return False
    ai.api, ai.provider, ai.rpc_method = "mcp.rpc", "mcp", f"http.{method.lower()}"
    return True


def _gemini(ai: AIRequest, doc: dict[str, Any]) -> None:
    contents = _list(doc.get("contents"))
    ai.messages = len(contents)
    config = doc.get("generationConfig")
    if config is not None:
        ai.max_tokens = _opt_int(_dict(config).get("maxOutputTokens"))
    for tool in _list(doc.get("tools") or []):
        for decl in _list(_dict(tool).get("functionDeclarations") or []):
            name = _dict(decl).get("name")
            ai.tools.append(name if isinstance(name, str) else "unknown")
    for content in contents:
        for part in _list(_dict(content).get("parts") or []):
            call = _dict(part).get("functionCall")
            if isinstance(call, dict):
                ai.tool_calls.append({"name": call.get("name"), "arguments": call.get("args")})


def _ollama_chat(ai: AIRequest, doc: dict[str, Any]) -> None:
    model = doc.get("model")
    _need(isinstance(model, str) or model is None)
    ai.model = model
    stream = doc.get("stream", True)  # Ollama streams unless told not to
    _need(isinstance(stream, bool) or stream is None)
    ai.stream = stream is not False
    options = doc.get("options")
    if options is not None:
        ai.max_tokens = _opt_int(_dict(options).get("num_predict"))
    msgs = _list(doc.get("messages"))
    ai.messages = len(msgs)
    ai.tools = _tool_names(doc.get("tools"))
    for m in msgs:
        for call in _list(_dict(m).get("tool_calls") or []):
            fn = _dict(_dict(call).get("function") or {})
            ai.tool_calls.append({"name": fn.get("name"), "arguments": _args(fn.get("arguments"))})


def _unknown(ai: AIRequest, doc: dict[str, Any]) -> None:
    model = doc.get("model")
    ai.model = model if isinstance(model, str) else None


_FILL = {
    "openai.chat": _openai_chat,
    "openai.responses": _openai_responses,
    "anthropic.messages": _anthropic,
    "gemini.generate_content": _gemini,
    "ollama.chat": _ollama_chat,
    "mcp.rpc": _mcp,
    "unknown": _unknown,
}


class _Texts:
    """Collects string leaves (for counts and topic flags) and patient-id lists from a JSON document."""

    MAX_DEPTH = 64

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.chars = 0
        self.patient_lists: list[list[Any]] = []

    def walk(self, node: Any, depth: int) -> None:
        if depth > self.MAX_DEPTH:
            raise _Shape
        if isinstance(node, str):
            self.parts.append(node)
            self.chars += len(node)
        elif isinstance(node, dict):
            for k, v in node.items():
                if k in ("model", "role", "type", "jsonrpc", "method", "id"):
                    continue
                if k in _PATIENT_LIST_KEYS and isinstance(v, list):
                    self.patient_lists.append(v)
                self.walk(v, depth + 1)
        elif isinstance(node, list):
            for v in node:
                self.walk(v, depth + 1)
