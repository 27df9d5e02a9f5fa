"""Strict JSON for AI request bodies: one document, one meaning, whatever parser the upstream uses.

Policy judges the body ext_authz parsed; the upstream acts on the bytes Envoy forwards (the same bytes). Parsers
disagree on duplicate keys (first wins vs last wins), on keys that differ only in case or compatibility form
(``MODEL``, ``ｍodel``), on lone surrogates, NaN/Infinity and numbers beyond 64 bits. :func:`loads` refuses all of
them, so there is never a second reading of the body for an upstream to act on.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from typing import Any

# Error codes (the ``reason`` of a 400 ``invalid_body``).
INVALID_UTF8 = "invalid_utf8"
LONE_SURROGATE = "lone_surrogate"
DUPLICATE_KEY = "duplicate_key"
CASE_VARIANT_KEY = "case_variant_key"
NON_FINITE_NUMBER = "non_finite_number"
NUMBER_OUT_OF_RANGE = "number_out_of_range"
INVISIBLE_IN_KEY = "invisible_character_in_key"
NOT_JSON = "invalid_json"
STRICT_ERRORS = frozenset(
    {INVALID_UTF8, LONE_SURROGATE, DUPLICATE_KEY, CASE_VARIANT_KEY, NON_FINITE_NUMBER, NUMBER_OUT_OF_RANGE,
     INVISIBLE_IN_KEY}
)

# Integers must fit a signed 64-bit field (token counts, seeds); longer number literals are refused.
MAX_INT = 2**63 - 1
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
MAX_NUMBER_CHARS = 64

# Field names of the AI APIs the guard parses (OpenAI chat/responses, Anthropic messages, Gemini, MCP).
# In the API's own objects (depth <= SCHEMA_DEPTH, outside caller data such as tool arguments and schemas), a key
# that folds (NFKC + casefold) to one of these but is not spelled exactly so is refused: one parser may read it
# as the field, policy did not.
SCHEMA_KEYS = frozenset({
    "model", "messages", "input", "instructions", "system", "prompt", "tools", "tool_choice", "tool_calls",
    "functions", "function_call", "function", "name", "arguments", "parameters", "stream", "stream_options",
    "max_tokens", "max_completion_tokens", "max_output_tokens", "role", "content", "type", "text", "metadata",
    "user", "n", "temperature", "top_p", "top_k", "stop", "stop_sequences", "response_format", "seed",
    "parallel_tool_calls", "previous_response_id", "store", "include", "reasoning", "thinking", "tool_use_id",
    "tool_call_id", "input_schema", "contents", "parts", "system_instruction", "generation_config", "jsonrpc",
    "method", "params", "id", "image_url", "url", "source",
    "data", "modalities", "audio", "logprobs", "top_logprobs", "logit_bias", "service_tier", "background",
    "mcp_servers", "container", "output", "call_id", "web_search_options", "prediction",
})


SCHEMA_DEPTH = 3
# Subtrees that hold the caller's own data (tool arguments, JSON schemas): their keys are not API fields.
DATA_KEYS = frozenset({"arguments", "parameters", "input_schema", "properties", "metadata", "schema", "args"})


class StrictJsonError(ValueError):
    """The body is not strict JSON; ``code`` is one of the module's error codes (stable, no body content)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def _fold(key: str) -> str:
    return unicodedata.normalize("NFKC", key).casefold()


def _check_str(s: str) -> None:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        raise StrictJsonError(LONE_SURROGATE, "a string holds an unpaired surrogate escape") from None


class _Pairs:
    """``object_pairs_hook`` for one document; notes whether any key has upper case or non-ASCII letters (only
    then can a key be a variant spelling of an API field)."""

    __slots__ = ("mixed_case",)

    def __init__(self) -> None:
        self.mixed_case = False

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) != len(pairs):
            raise StrictJsonError(DUPLICATE_KEY, "an object repeats a key")
        keys = "".join(out)
        if keys.isascii() and keys.isprintable():  # the common case, at C speed
            if keys.lower() != keys:
                self.mixed_case = True
                if len({k.lower() for k in out}) != len(out):
                    raise StrictJsonError(CASE_VARIANT_KEY, "an object has two keys that differ only in case")
            return out
        self.mixed_case = True
        folded: set[str] = set()
        for key in out:
            _check_str(key)
            if any(unicodedata.category(c) in ("Cc", "Cf") for c in key):
                # NUL ends a key for a C parser; zero-width and format characters make a key look like another
                raise StrictJsonError(INVISIBLE_IN_KEY, "a key holds a control or invisible format character")
            f = _fold(key)
            if f in folded:
                raise StrictJsonError(CASE_VARIANT_KEY, "an object has two keys that differ only in case or form")
            folded.add(f)
        return out


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise StrictJsonError(NUMBER_OUT_OF_RANGE, "a number literal is too long")
    value = int(text)
    if abs(value) > MAX_INT:
        raise StrictJsonError(NUMBER_OUT_OF_RANGE, "an integer does not fit 64 bits")
    return value


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise StrictJsonError(NUMBER_OUT_OF_RANGE, "a number literal is too long")
    value = float(text)
    if not math.isfinite(value):
        raise StrictJsonError(NUMBER_OUT_OF_RANGE, "a number overflows a double")
    return value


def _constant(name: str) -> Any:
    raise StrictJsonError(NON_FINITE_NUMBER, f"{name} is not JSON")


def _check_strings(node: Any, depth: int = 0) -> None:
    if isinstance(node, str):
        _check_str(node)
    elif isinstance(node, dict):
        for v in node.values():
            _check_strings(v, depth + 1)
    elif isinstance(node, list):
        for v in node:
            _check_strings(v, depth + 1)


_CONTAINERS = (dict, list)


def _check_schema_keys(node: Any, depth: int = 0) -> None:
    if depth > SCHEMA_DEPTH:
        return
    if isinstance(node, list):
        for v in node:
            if type(v) in _CONTAINERS:
                _check_schema_keys(v, depth)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key.lower() != key or not key.isascii():
                f = _fold(key)
                if f != key and f in SCHEMA_KEYS:
                    raise StrictJsonError(CASE_VARIANT_KEY, f"a key is a variant spelling of the field {f!r}")
            if type(value) in _CONTAINERS and key not in DATA_KEYS and not (key == "input" and type(value) is dict):
                _check_schema_keys(value, depth + 1)


def loads(body: bytes | str) -> Any:
    """Parse ``body`` (UTF-8, no BOM) strictly. Raises :class:`StrictJsonError` with a code from this module;
    plain syntax errors are ``invalid_json``."""
    if isinstance(body, bytes | bytearray):
        try:
            text = bytes(body).decode("utf-8", errors="strict")
        except UnicodeDecodeError:
            raise StrictJsonError(INVALID_UTF8, "the body is not valid UTF-8") from None
    else:
        text = body
    try:
        pairs = _Pairs()
        doc = json.loads(text, object_pairs_hook=pairs, parse_int=_int, parse_float=_float,
                         parse_constant=_constant)
    except StrictJsonError:
        raise
    except (ValueError, RecursionError):
        raise StrictJsonError(NOT_JSON, "the body is not JSON") from None
    try:
        if _SURROGATE_ESCAPE.search(text):  # text decoded from UTF-8 holds no surrogate but through an escape
            _check_strings(doc)
        if pairs.mixed_case:
            _check_schema_keys(doc)
    except RecursionError:
        raise StrictJsonError(NOT_JSON, "the body nests too deeply") from None
    return doc
