"""What in a JSON body may pass without free-text scanning: schema keys, and values of a strict shape.

The rule (docs/redaction-channels.md): every string and every object key is scanned, except
- an object key that is one of the model APIs' schema keys (``SCHEMA_KEYS``, exact spelling), and
- a value under a structural key whose value matches that key's strict shape (``value_shape_ok``): an enum, a
  provider id grammar, an ISO timestamp, a MIME type. A value that does not match is scanned like text.
Model names are scanned too, but a date inside a model name of the model-name grammar is a version, not PHI.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SCHEMA_KEYS = _words(
    # OpenAI chat / completions / embeddings / models
    "id object created model choices index message messages delta role content refusal reasoning "
    "reasoning_content tool_calls function name arguments type finish_reason logprobs top_logprobs token bytes "
    "logprob usage prompt_tokens completion_tokens total_tokens prompt_tokens_details completion_tokens_details "
    "cached_tokens reasoning_tokens audio_tokens accepted_prediction_tokens rejected_prediction_tokens "
    "system_fingerprint service_tier text annotations url_citation start_index end_index title url data "
    "embedding owned_by error code param stop stream temperature max_tokens top_p n user tools tool_choice "
    "response_format tool_call_id audio parallel_tool_calls "
    # OpenAI Responses
    "response output output_index item_id content_index summary_index delta status output_text summary part "
    "item sequence_number created_at incomplete_details instructions previous_response_id input_tokens "
    "output_tokens input_tokens_details output_tokens_details call_id obfuscation logprobs "
    # Anthropic
    "stop_reason stop_sequence content_block input partial_json thinking signature tool_use_id "
    "cache_creation_input_tokens cache_read_input_tokens is_error container "
    # Gemini
    "candidates parts functionCall functionResponse args finishReason safetyRatings category probability "
    "usageMetadata promptTokenCount candidatesTokenCount totalTokenCount thoughtsTokenCount modelVersion "
    "responseId avgLogprobs citationMetadata inlineData mimeType thought thoughtSignature promptFeedback "
    "blockReason promptTokensDetails candidatesTokensDetails modality tokenCount createTime "
    # Ollama
    "done done_reason total_duration load_duration prompt_eval_count prompt_eval_duration eval_count "
    "eval_duration context images "
    # request bodies (the walker serves minimised requests too) and JSON schemas of tools
    "stream_options include_usage max_completion_tokens seed frequency_penalty presence_penalty logit_bias "
    "metadata store modalities reasoning_effort effort system top_k stop_sequences generationConfig "
    "systemInstruction contents options keep_alive format prompt suffix tool_resources parameters properties "
    "required description enum items additionalProperties strict json_schema schema input_schema "
    "maxOutputTokens topP topK candidateCount responseMimeType "
    # MCP / JSON-RPC
    "jsonrpc method params result isError structuredContent resource uri blob progressToken nextCursor "
    "progress total"
)

_ENUMS: dict[str, frozenset[str]] = {
    "object": _words(
    "chat.completion chat.completion.chunk text_completion response list model embedding error "
        "realtime.response"
),
    "role": _words("system user assistant tool function developer model"),
    "finish_reason": _words("stop length tool_calls content_filter function_call"),
    "stop_reason": _words(
        "end_turn max_tokens stop_sequence tool_use pause_turn refusal model_context_window_exceeded"
    ),
    "done_reason": _words("stop length load unload"),
    "finishReason": _words(
    "FINISH_REASON_UNSPECIFIED STOP MAX_TOKENS SAFETY RECITATION LANGUAGE OTHER BLOCKLIST "
        "PROHIBITED_CONTENT SPII MALFORMED_FUNCTION_CALL"
),
    "status": _words("completed in_progress incomplete failed cancelled queued searching"),
    "service_tier": _words("auto default flex scale priority standard standard_only batch"),
    "encoding_format": frozenset({"float", "base64"}),
    "jsonrpc": frozenset({"2.0"}),
    "modality": _words("TEXT IMAGE AUDIO VIDEO DOCUMENT MODALITY_UNSPECIFIED"),
    "category": _words(
    "HARM_CATEGORY_HARASSMENT HARM_CATEGORY_HATE_SPEECH HARM_CATEGORY_SEXUALLY_EXPLICIT "
        "HARM_CATEGORY_DANGEROUS_CONTENT HARM_CATEGORY_CIVIC_INTEGRITY"
),
    "probability": _words("NEGLIGIBLE LOW MEDIUM HIGH"),
}
# ``type`` values of the supported APIs (content parts, tool calls, stream events)
_TYPE_ENUM = _words(
    "text function tool_use tool_result thinking redacted_thinking message message_start message_delta "
    "message_stop content_block_start content_block_delta content_block_stop ping error text_delta "
    "input_json_delta thinking_delta signature_delta citations_delta image document output_text refusal "
    "reasoning reasoning_text summary_text function_call function_call_output input_text json_object "
    "json_schema server_tool_use web_search_tool_result resource image_url input_image "
    # citation and annotation types (Anthropic citations, OpenAI annotations)
    "char_location page_location content_block_location web_search_result_location search_result_location "
    "url_citation file_citation container_file_citation file_path"
)
_EVENT_TYPE = re.compile(r"response(?:\.[a-z_]{1,40}){1,4}")  # OpenAI Responses stream event types
# the words of OpenAI Responses / Assistants event names (``response.output_text.delta``): any other word in a
# name of that grammar (``response.maria_okonkwo``) could be PHI, and the name is not passed
EVENT_WORDS = _words(
    "response thread created in progress in_progress completed failed incomplete queued cancelled canceled "
    "cancelling expired requires action output item added done content part text delta annotation refusal "
    "function call "
    "arguments file search searching web reasoning summary image generation generating partial mcp list tools "
    "tool code interpreter interpreting custom input audio transcript message run step steps error approval "
    "request call_arguments output_text output_item content_part function_call file_search_call web_search_call "
    "reasoning_summary_part reasoning_summary_text reasoning_text image_generation_call partial_image mcp_call "
    "mcp_list_tools code_interpreter_call custom_tool_call_input custom_tool_call call_code in_progress "
    "output_audio output_audio_transcript audio_transcript annotation_added computer local shell apply patch "
    "shell_call local_shell_call apply_patch_call"
)
# provider id grammars: a known prefix, then one base62 run (no inner separators that could frame digits)
_PROVIDER_ID = re.compile(
    r"(?:chatcmpl|cmpl|resp|msg|call|toolu|srvtoolu|fc|rs|fp|ctc|mcp|mcpr|mcpl|ws|ig|item|req|run|step|asst|"
    r"thread|file|batch|evt)(?:-tool)?[-_][A-Za-z0-9]{6,96}"
)
# A run of 7 digits or more (an MRN, SSN or phone length) is no part of a random base62 id (the odds are below
# 1 in 10^4); lower-case hex tokens of 24 characters or more (OpenAI Responses ids) have such runs by chance and
# pass (an opaque token is a channel the guard cannot read; documented in docs/redaction-channels.md).
_ID_DIGIT_RUN = re.compile(r"\d{7,}")
_HEX_TOKEN = re.compile(r"[0-9a-f]{24,}")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})")
_MIME = re.compile(r"[a-z]{1,20}/[a-z0-9.+-]{1,60}")
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_FRAMED_DIGITS = re.compile(r"\d[-_]|[-_]\d")
MODEL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9._:/@-]{0,127}")

# keys whose values are numbers in the APIs' schemas (usage counts, durations, indices, sampling parameters,
# timestamps): a number under any other key (JSON-RPC ``id`` included) is scanned as text
NUMERIC_KEYS = _words(
    "created index n seed temperature top_p top_k topP topK max_tokens max_completion_tokens maxOutputTokens "
    "candidateCount frequency_penalty presence_penalty logprob bytes embedding context start_index end_index "
    "output_index content_index summary_index sequence_number progress total code avgLogprobs tokenCount "
    "status created_at"
)
_NUMERIC_SUFFIXES = ("_tokens", "_count", "Count", "_duration", "_ms", "_seconds")


def number_key_ok(key: str) -> bool:
    """True when a number under ``key`` is a schema number (passes unscanned, see ``schema_number``)."""
    return key in NUMERIC_KEYS or (key in SCHEMA_KEYS and key.endswith(_NUMERIC_SUFFIXES))


# A schema number whose integer part has identifier length (7 digits: an MRN; SSNs 9, phones 10) keeps this many
# significant digits: fewer than half of any identifier, so its digits cannot carry one whatever the key says.
ID_NUMBER_DIGITS = 7
ROUNDED_DIGITS = 4
# A fraction (an embedding, a log probability) keeps at most this many significant digits (float32 holds ~7)
FRACTION_DIGITS = 6
_TIMESTAMP_KEYS = frozenset({"created", "created_at"})
# Unix seconds 2001-09-09 .. 2033-05-18: 10 digits led by 1 (no North American phone number starts with 1)
_TIMESTAMP_RANGE = range(10**9, 2 * 10**9)


def schema_number(key: str, n: int | float) -> int | float:
    """A number under a numeric schema key (``number_key_ok``) as it may pass, still a number for the client:
    one whose integer part has identifier length is rounded to ``ROUNDED_DIGITS`` significant digits
    (``"seed": 478215096`` -> 478200000, ``"total_duration": 5124377788`` -> 5124000000) unless it is a Unix
    timestamp of this era under a timestamp key; a fraction is rounded to ``FRACTION_DIGITS`` significant digits
    (an embedding's 0.478215096 -> 0.478215). Smaller numbers (counts, indices, sampling parameters) pass."""
    if n != n or n in (float("inf"), float("-inf")):
        return n
    if abs(n) >= 10 ** (ID_NUMBER_DIGITS - 1):
        if isinstance(n, int) and key in _TIMESTAMP_KEYS and n in _TIMESTAMP_RANGE:
            return n
        rounded = float(f"{n:.{ROUNDED_DIGITS}g}")
        return int(rounded) if isinstance(n, int) else rounded
    if isinstance(n, float) and len(repr(abs(n)).split("e")[0].replace(".", "").strip("0")) > FRACTION_DIGITS:
        return float(f"{n:.{FRACTION_DIGITS}g}")
    return n


_ID_KEYS = _words("id item_id call_id response_id tool_call_id tool_use_id previous_response_id system_fingerprint "
                  "responseId")


def event_type_ok(name: str, grammar: re.Pattern[str] = _EVENT_TYPE) -> bool:
    """A dotted event name of ``grammar`` whose every word is an event word (see ``EVENT_WORDS``)."""
    return grammar.fullmatch(name) is not None and all(
        part in EVENT_WORDS or all(w in EVENT_WORDS for w in part.split("_")) for part in name.split(".")
    )


def has_shape(key: str) -> bool:
    """True when values under ``key`` have a strict shape (``value_shape_ok``)."""
    return key in _ENUMS or key in _ID_KEYS or key in _SHAPED_KEYS


_SHAPED_KEYS = frozenset({"type", "created_at", "createTime", "mimeType", "mime_type", "signature",
                          "thoughtSignature"})


def value_shape_ok(key: str, value: str) -> bool:
    """True when ``value`` under ``key`` has the key's strict shape and may pass unscanned."""
    enum = _ENUMS.get(key)
    if enum is not None:
        return value in enum
    if key == "type":
        return value in _TYPE_ENUM or event_type_ok(value)
    if key in _ID_KEYS:
        return _PROVIDER_ID.fullmatch(value) is not None and id_run_ok(value)
    if key in ("created_at", "createTime"):
        return _ISO_TIME.fullmatch(value) is not None
    if key in ("mimeType", "mime_type"):
        return _MIME.fullmatch(value) is not None
    if key in ("signature", "thoughtSignature"):  # opaque base64 the client hands back to the provider
        # (a "-" or "_" next to a digit frames digit groups, as in an SSN: such a value is scanned)
        return _BASE64.fullmatch(value) is not None and _FRAMED_DIGITS.search(value) is None
    return False


def id_run_ok(value: str) -> bool:
    """False when a provider id carries a digit run long enough to be an identifier (``chatcmpl-478215096``)
    and is not a long hex token."""
    if _ID_DIGIT_RUN.search(value) is None:
        return True
    run = value.rsplit("_", 1)[-1].rsplit("-", 1)[-1]
    return _HEX_TOKEN.fullmatch(run) is not None and sum(c.isalpha() for c in run) >= 4


def is_model_key(key: str) -> bool:
    return key in ("model", "modelVersion")
