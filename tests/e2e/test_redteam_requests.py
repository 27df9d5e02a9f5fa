"""Red team, request side (round seven): a researcher, whose prompts must reach the model minimised
(``request_profile: safe_harbor``), sends PHI through every request shape, through Envoy and the guard to the demo
model.

Oracle: what the demo model RECEIVED (its raw bytes, also decompressed or read as UTF-16, every JSON string and key
with escapes decoded, base64 payloads and data: URLs in every reading, markup and percent-decoded views, the path
and every header: ``model_views``) carries no planted value, whole or in part (``tests/redteam/oracle.py``), or the
request was refused with a 4xx (3xx for a path Envoy redirects) and never reached the model. Controls: the same
requests sent straight to the demo model (the guard bypassed) leak by the same oracle, case by case; near misses
(a random base64 id, base64 text without PHI) reach the model byte for byte; images are refused (their pixels
are not read: tests/e2e/test_document_payloads.py).
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from devstack.info import StackInfo
from tests.e2e.audit_util import wait_events
from tests.redteam.build_cases import EMAIL, FIRST, LAST, PHONE, SSN
from tests.redteam.oracle import leaks, planted_headers, views

pytestmark = pytest.mark.e2e

NOTE = f"Patient {FIRST} {LAST}, SSN {SSN}, phone {PHONE}, email {EMAIL}, chest pain."
PHI = [SSN, PHONE, EMAIL, LAST]
DIGITS = [SSN, PHONE]  # what the evasion cases carry (names depend on the name rules, not on the carrier)
TOOL = "ehr.export_records"  # on the researcher's tool list (policy holds its calls for approval)
CHAT, RESPONSES, MESSAGES = "/v1/chat/completions", "/v1/responses", "/v1/messages"
GEMINI = "/v1beta/models/echo:generateContent"


def b64(text: str, codec: str = "utf-8") -> str:
    return base64.b64encode(text.encode(codec)).decode()


def jesc(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in text)


FULL_WIDTH = SSN.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})
DINGBAT_SSN = SSN.translate(str.maketrans("123456789", "❶❷❸❹❺❻❼❽❾"))
PAREN_LAST = "".join(chr(0x249C + ord(c) - 97) for c in LAST.lower())  # ⒪⒦⒪⒩⒦⒲⒪
ARABIC = PHONE.translate({ord(c): 0x0660 + int(c) for c in "0123456789"})


def chat(content: Any = NOTE, **extra: Any) -> dict[str, Any]:
    return {"model": "echo", "messages": [{"role": "user", "content": content}], **extra}


def anth(content: Any, **extra: Any) -> dict[str, Any]:
    return {"model": "echo", "max_tokens": 16, "messages": [{"role": "user", "content": content}], **extra}


def gem(*parts: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"contents": [{"role": "user", "parts": list(parts)}], **extra}


@dataclass
class Attack:
    id: str
    cls: str  # the attack class (counted in the report)
    path: str
    body: Any  # a JSON document, or raw bytes
    expect: str = "redacted"  # redacted: reaches the model minimised | refused: 4xx, never reaches it | any
    headers: dict[str, str] = field(default_factory=dict)
    method: str = "POST"
    phi: list[str] = field(default_factory=lambda: PHI)

    def content(self) -> bytes:
        return self.body if isinstance(self.body, bytes) else json.dumps(self.body).encode()


def _data_url(text: str, media: str = "text/plain", codec: str = "utf-8", charset: str = "") -> str:
    return f"data:{media}{';charset=' + charset if charset else ''};base64,{b64(text, codec)}"


ATTACKS = [
    # OpenAI chat: every field a caller writes
    Attack("chat_string", "chat", CHAT, chat()),
    Attack("chat_parts", "chat", CHAT, chat([{"type": "text", "text": NOTE}])),
    Attack("chat_name", "chat", CHAT, {"model": "echo", "messages": [
        {"role": "user", "name": EMAIL.replace("@", "_at_"), "content": "hi"},
        {"role": "user", "name": f"ssn_{SSN}", "content": "hi"}]}, phi=[SSN]),
    Attack("chat_system_developer", "chat", CHAT, {"model": "echo", "messages": [
        {"role": "system", "content": NOTE}, {"role": "developer", "content": [{"type": "text", "text": NOTE}]},
        {"role": "user", "content": "hi"}]}),
    Attack("chat_response_format", "chat", CHAT, chat("hi", response_format={"type": "json_schema", "json_schema": {
        "name": "x", "description": NOTE, "schema": {"type": "object", "properties": {
            "a": {"type": "string", "description": NOTE, "enum": [SSN, EMAIL]}, SSN: {"type": "string"}}}}})),
    Attack("chat_metadata", "chat", CHAT, chat("hi", store=True, metadata={"note": NOTE, SSN: EMAIL})),
    Attack("chat_user_ids", "chat", CHAT, chat("hi", user=EMAIL, safety_identifier=EMAIL, prompt_cache_key=SSN),
           phi=[SSN, EMAIL]),
    Attack("chat_prediction", "chat", CHAT, chat("hi", prediction={"type": "content", "content": NOTE})),
    Attack("chat_unknown_keys", "chat", CHAT, chat("hi", x_notes=NOTE, extra={"deep": [[NOTE]]},
                                                   x_patient={"ssn": 478215096, "phone": 5124377788})),
    Attack("chat_tool_arguments", "chat", CHAT, {"model": "echo", "tools": [{"type": "function", "function": {
        "name": TOOL, "description": NOTE, "parameters": {"type": "object"}}}], "messages": [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {
            "name": TOOL, "arguments": json.dumps({"q": NOTE})}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": NOTE}]}, expect="any"),
    Attack("chat_nested_json_twice", "chat", CHAT, chat(json.dumps({"doc": json.dumps({"note": NOTE})}))),
    # OpenAI Responses
    Attack("responses_input_string", "responses", RESPONSES, {"model": "echo", "input": NOTE}),
    Attack("responses_input_items", "responses", RESPONSES, {"model": "echo", "instructions": NOTE, "input": [
        {"role": "user", "content": [{"type": "input_text", "text": NOTE}]}]}),
    Attack("responses_reasoning_prompt", "responses", RESPONSES, {
        "model": "echo", "prompt": {"id": "pmpt_1", "variables": {"patient": NOTE}},
        "text": {"format": {"type": "json_schema", "name": "x", "description": NOTE, "schema": {}}},
        "input": [{"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": NOTE}]},
                  {"role": "user", "content": "hi"}]}),
    # Anthropic messages
    Attack("anthropic_system_blocks", "anthropic", MESSAGES, anth("hi", system=[{"type": "text", "text": NOTE}],
                                                                  metadata={"user_id": EMAIL})),
    Attack("anthropic_document_text", "anthropic", MESSAGES, anth([
        {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": NOTE}, "title": NOTE},
        {"type": "document", "source": {"type": "content", "content": [{"type": "text", "text": NOTE}]}},
        {"type": "search_result", "source": "https://x", "title": NOTE, "content": [{"type": "text", "text": NOTE}]},
        {"type": "text", "text": "summarise"}])),
    Attack("anthropic_thinking_signature", "base64", MESSAGES, {"model": "echo", "max_tokens": 16, "messages": [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": [{"type": "thinking", "thinking": NOTE, "signature": b64(NOTE)}]},
        {"role": "user", "content": "go"}]}),
    # Gemini
    Attack("gemini_parts_system", "gemini", GEMINI, gem({"text": NOTE}, systemInstruction={"parts": [{"text": NOTE}]})),
    Attack("gemini_function_response", "gemini", GEMINI, gem({"functionResponse": {"name": "f", "response": {
        "r": NOTE}}}, {"text": "hi"})),
    Attack("gemini_stream_sse", "gemini", "/v1beta/models/echo:streamGenerateContent?alt=sse", gem({"text": NOTE})),
    # base64 payloads that are text, whatever their label
    Attack("data_url_utf8", "base64", CHAT, chat([{"type": "image_url", "image_url": {"url": _data_url(NOTE)}}])),
    Attack("data_url_charset_utf16", "base64", CHAT, chat([{"type": "file", "file": {
        "filename": "n.txt", "file_data": _data_url(NOTE, codec="utf-16", charset="utf-16")}}])),
    Attack("data_url_charset_latin1", "base64", CHAT, chat([{"type": "file", "file": {
        "filename": "n.txt", "file_data": "data:text/plain;charset=iso-8859-1;base64,"
                                          + base64.b64encode(("José " + NOTE).encode("latin-1")).decode()}}])),
    Attack("bare_b64_file_data_utf16", "base64", RESPONSES, {"model": "echo", "input": [{"role": "user", "content": [
        {"type": "input_file", "filename": "n.txt", "file_data": b64(NOTE, "utf-16-le")}]}]}),
    Attack("bare_b64_input_audio", "base64", CHAT, chat([{"type": "input_audio", "input_audio": {
        "data": b64(NOTE), "format": "wav"}}])),
    Attack("bare_b64_anthropic_document", "base64", MESSAGES, anth([
        {"type": "document", "source": {"type": "base64", "media_type": "text/plain", "data": b64(NOTE)}},
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": b64(NOTE, "utf-16")}},
        {"type": "text", "text": "x"}])),
    Attack("bare_b64_gemini_inline", "base64", GEMINI, gem(
        {"inlineData": {"mimeType": "text/plain", "data": b64(NOTE)}},
        {"inlineData": {"mimeType": "application/octet-stream", "data": b64(NOTE, "utf-16")}}, {"text": "hi"})),
    Attack("bare_b64_ollama_images", "base64", "/api/chat", {"model": "echo", "stream": False, "messages": [
        {"role": "user", "content": "hi", "images": [b64(NOTE)]}]}),
    # evasions of the identifiers' own shape
    Attack("json_escapes", "evasion", CHAT, ('{"model":"echo","messages":[{"role":"user","content":"SSN '
                                             + jesc(SSN) + ' phone ' + jesc(PHONE) + '"}]}').encode(),
           headers={"content-type": "application/json"}, phi=DIGITS),
    Attack("full_width_arabic_digits", "evasion", CHAT, chat(f"SSN {FULL_WIDTH}, phone {ARABIC}"), phi=DIGITS),
    Attack("zero_width_inside", "evasion", CHAT, chat(f"SSN {chr(0x200b).join(SSN)}, mail "
                                                      f"{chr(0x2060).join(EMAIL)}"), phi=[SSN, EMAIL]),
    Attack("confusable_letters", "evasion", CHAT, chat(f"mail {EMAIL.replace('o', chr(0x043e))}"), phi=[EMAIL]),
    Attack("dash_variants", "evasion", CHAT, chat(f"SSN {SSN.replace('-', chr(0x2011))}, phone "
                                                  f"{PHONE.replace('-', chr(0x2013))}"), phi=DIGITS),
    Attack("html_entities", "evasion", CHAT, chat(f"SSN {SSN.replace('-', '&#45;')}, mail "
                                                  f"{EMAIL.replace('@', '&commat;')}"), phi=[SSN, EMAIL]),
    Attack("percent_encoding", "evasion", CHAT, chat(f"SSN {SSN.replace('-', '%2D')}, mail "
                                                     f"{EMAIL.replace('@', '%40')}"), phi=[SSN, EMAIL]),
    # framing, encodings, charsets
    Attack("gzip_body", "encoding", CHAT, gzip.compress(json.dumps(chat()).encode()), "refused",
           {"content-type": "application/json", "content-encoding": "gzip"}),
    Attack("deflate_body", "encoding", CHAT, zlib.compress(json.dumps(chat()).encode()), "refused",
           {"content-type": "application/json", "content-encoding": "deflate"}),
    Attack("utf16_body_declared", "encoding", CHAT, json.dumps(chat()).encode("utf-16"), "refused",
           {"content-type": "application/json; charset=utf-16"}),
    Attack("utf16le_body_undeclared", "encoding", CHAT, json.dumps(chat()).encode("utf-16-le"), "refused",
           {"content-type": "application/json"}),
    Attack("utf8_bom_body", "encoding", CHAT, b"\xef\xbb\xbf" + json.dumps(chat()).encode(), "refused",
           {"content-type": "application/json"}),
    Attack("charset_declared_latin1", "encoding", CHAT, json.dumps(chat(f"José {NOTE}"), ensure_ascii=False)
           .encode(), headers={"content-type": "application/json; charset=latin-1"}),
    Attack("chunked_body", "encoding", CHAT, b"CHUNKED", headers={"content-type": "application/json"}),
    Attack("top_level_string", "encoding", CHAT, json.dumps(json.dumps(chat())).encode(), "refused",
           {"content-type": "application/json"}),
    Attack("very_large_body", "encoding", CHAT, chat("x " * 600_000 + NOTE), "refused"),
    Attack("multipart_upload", "encoding", "/v1/audio/transcriptions", b"MULTIPART", "refused"),
    Attack("form_urlencoded", "encoding", "/v1/notes", ("note=" + NOTE.replace(" ", "+")).encode(), "refused",
           {"content-type": "application/x-www-form-urlencoded"}),
    Attack("text_plain_unknown_path", "encoding", "/v1/notes", NOTE.encode(), "refused",
           {"content-type": "text/plain"}),
    # APIs the policy does not know: refused, never passed unread
    Attack("completions_prompt_list", "api", "/v1/completions", {"model": "echo", "prompt": ["hi", NOTE]},
           "refused"),
    Attack("embeddings_input", "api", "/v1/embeddings", {"model": "echo", "input": [NOTE]}, "refused"),
    Attack("embeddings_token_arrays", "api", "/v1/embeddings", {"model": "echo", "input": [[3, 17, 2024, 9]]},
           "refused"),
    Attack("ollama_generate", "api", "/api/generate", {"model": "echo", "prompt": NOTE}, "refused"),
    # more fields a caller writes (ids, stops, biases, server lists)
    Attack("chat_stop_logit_bias", "chat", CHAT, chat("hi", stop=[SSN, EMAIL], logit_bias={SSN.replace("-", ""): 1}),
           phi=[SSN, EMAIL]),
    Attack("chat_assistant_refusal_audio", "chat", CHAT, {"model": "echo", "messages": [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": [{"type": "refusal", "refusal": NOTE}], "audio": {"id": f"audio_{SSN}"}},
        {"role": "user", "content": "go"}]}),
    Attack("responses_ids_and_include", "responses", RESPONSES, {
        "model": "echo", "input": "hi", "previous_response_id": f"resp_{SSN.replace('-', '')}",
        "conversation": {"id": f"conv_{EMAIL}"}, "include": [NOTE]}, phi=[SSN, EMAIL, PHONE]),
    Attack("anthropic_mcp_servers_container", "anthropic", MESSAGES, anth(
        "hi", container=f"container_{SSN}", tool_choice={"type": "auto"}, mcp_servers=[
            {"type": "url", "url": f"https://mcp.example.org/?mail={EMAIL}", "name": NOTE,
             "authorization_token": SSN}]), phi=[SSN, EMAIL, PHONE]),
    Attack("gemini_cached_content_labels", "gemini", GEMINI, gem(
        {"text": "hi"}, cachedContent=f"cachedContents/{SSN}", labels={"patient": EMAIL},
        generationConfig={"stopSequences": [PHONE]}), phi=[SSN, EMAIL, PHONE]),
    Attack("content_encoding_lie", "encoding", CHAT, json.dumps(chat()).encode(), "any",
           {"content-type": "application/json", "content-encoding": "gzip"}),
    Attack("content_encoding_identity_upper", "encoding", CHAT, json.dumps(chat()).encode(), "any",
           {"content-type": "application/json", "content-encoding": "Identity"}),
    # paths, methods, URL, headers
    Attack("path_trailing_slash", "path", CHAT + "/", chat()),
    Attack("path_double_slash", "path", "/" + CHAT, chat()),
    Attack("path_escaped_slash", "path", "/v1%2Fchat%2Fcompletions", chat(), "refused"),
    Attack("path_upper_case", "path", "/V1/Chat/Completions", chat(), "refused"),
    Attack("method_put_with_body", "path", CHAT, chat(), method="PUT"),
    Attack("query_string", "path", f"{CHAT}?note={SSN}&mail={EMAIL}", chat("hi"), "refused"),
    Attack("request_headers", "path", CHAT, chat("hi"), headers={"x-patient": NOTE, "x-mail": EMAIL},
           phi=[SSN, PHONE, EMAIL]),
    # round eight: identifiers split across content parts, schema numbers, escapes a reader decodes
    Attack("parts_split_chat", "round8", CHAT, chat([{"type": "text", "text": f"SSN {SSN[:7]}"},
                                                     {"type": "text", "text": SSN[7:]}]), phi=[SSN]),
    Attack("parts_split_messages", "round8", CHAT, {"model": "echo", "messages": [
        {"role": "user", "content": f"phone {PHONE[:6]}"}, {"role": "user", "content": PHONE[6:]}]}, phi=[PHONE]),
    Attack("parts_split_tool_result", "round8", MESSAGES, anth([{
        "type": "tool_result", "tool_use_id": "toolu_01A",
        "content": [{"type": "text", "text": f"SSN {SSN[:4]}"}, {"type": "text", "text": SSN[4:]}]}]), phi=[SSN]),
    Attack("parts_split_gemini", "round8", GEMINI, gem({"text": f"SSN {SSN[:3]}"}, {"text": SSN[3:]}), phi=[SSN]),
    Attack("schema_number_seed", "round8", CHAT, chat("hi", seed=int(SSN.replace("-", ""))), phi=[SSN]),
    Attack("js_css_escapes", "round8", CHAT, chat("SSN " + "".join(f"\\x{ord(c):02x}" if c.isdigit() else c
                                                                  for c in SSN) + ", phone "
                                                  + "".join(f"\\{ord(c):x} " if c.isdigit() else c for c in PHONE)),
           phi=DIGITS),
    Attack("markdown_markers_in_number", "round8", CHAT, chat("SSN 4**7**8-`21`-5096, phone "
                                                              + PHONE.replace("-", "<!---->-")), phi=DIGITS),
    # round 12: inline tags between digits, number words of another language
    Attack("tags_and_foreign_number_words", "round12", CHAT, chat(
        "SSN " + "".join(f"<span>{c}</span>" for c in SSN[:3]) + SSN[3:]
        + "; CPF cuatro siete ocho dos uno cinco cero nueve seis"), phi=[SSN, "ocho dos uno cinco"]),
    # round 13: spoken numbers with tens, hex bytes (phi: the forms as written; the oracle reads neither)
    Attack("spoken_tens_and_hex_bytes", "round13", CHAT, chat(
        "SSN four seventy-eight, twenty-one, fifty ninety-six; MRN bytes "
        + " ".join(f"{ord(c):02x}" for c in SSN)), phi=["seventy-eight, twenty-one", "2d 35 30 39"]),
    # round 14: the groups of an SSN as numbers in a content list, and a Gemini turn split across contents
    Attack("numbers_in_content_and_split_contents", "round14", GEMINI, {"contents": [
        {"role": "user", "parts": [{"text": p}]} for p in [f"Patient {FIRST} {LAST[:3]}", f"{LAST[3:]}, SSN ",
                                                           SSN[:5], SSN[5:]]]}, phi=[SSN, LAST]),
    Attack("numbers_in_a_content_list", "round14", CHAT, {"model": "echo", "messages": [
        {"role": "user", "content": ["SSN ", *(int(g) for g in SSN.split("-"))]}]}, "any", phi=[SSN]),
    # round 15: digits with no decimal value and other scripts' separators; a tool output whose name is shown
    # through a right-to-left override run (written reversed) or in parenthesized letters
    Attack("dingbat_digits_and_ideographic_stops", "round15", CHAT, chat(
        f"SSN {DINGBAT_SSN}, phone {PHONE.replace('-', chr(0x3002))}"), phi=[DINGBAT_SSN, PHONE]),
    Attack("override_run_in_tool_output", "round15", RESPONSES, {"model": "echo", "input": [
        {"type": "function_call_output", "call_id": "call_1",
         "output": f"Patient \u202e{LAST[::-1]} {FIRST[::-1]}\u202c; next of kin {FIRST} {PAREN_LAST}"}]},
        phi=[LAST[::-1], PAREN_LAST]),
]
REDACTED = [a for a in ATTACKS if a.expect == "redacted"]


def researcher(stack: StackInfo, **extra: str) -> dict[str, str]:
    return {"authorization": f"Bearer {stack.token('r.franklin', ['researcher'])}", "x-phi-guard-purpose": "research",
            **extra}


def _send(client: httpx.Client, base: str, attack: Attack, headers: dict[str, str]) -> httpx.Response:
    url = httpx.URL(base + attack.path)  # a full URL: the path is sent as written (``//v1``, ``%2F``)
    if attack.body == b"MULTIPART":
        return client.request(attack.method, url, headers=headers, data={"model": "whisper-1", "prompt": NOTE},
                               files={"file": ("note.txt", NOTE.encode(), "text/plain")})
    headers = {"content-type": "application/json", **headers}
    if attack.body == b"CHUNKED":
        raw = json.dumps(chat()).encode()
        return client.request(attack.method, url, headers=headers, content=iter([raw[:29], raw[29:]]))
    return client.request(attack.method, url, headers=headers, content=attack.content())


def model_views(seen: dict[str, Any], sent: Iterable[str] = ()) -> list[str]:
    """Every text the model could read in what it received (see the module docstring); of the headers, those
    the caller could plant a value in (``sent``: the names the attack sets; ``planted_headers``)."""
    raw = base64.b64decode(seen["body_b64"])
    headers = seen["headers"]
    bodies = [raw]
    for decode in (gzip.decompress, zlib.decompress, lambda b: b.decode("utf-16").encode()):
        with contextlib.suppress(OSError, ValueError, zlib.error, EOFError):
            bodies.append(decode(raw))
    texts = [raw.decode("latin-1"), seen["path"]]
    for body in bodies:
        texts += views(body, headers.get("content-type", "application/json"), planted_headers(headers.items(), sent))
    return texts


def _bypass(stack: StackInfo, attack: Attack) -> list[str]:
    """What the model reads of ``attack`` sent straight to it (no Envoy, no guard)."""
    with httpx.Client(timeout=60) as client:
        _send(client, stack.upstream_url, attack, {"authorization": f"Bearer {stack.upstream_credential()}",
                                                   **attack.headers})
    seen = stack.demo_last()
    assert seen is not None
    return model_views(seen, attack.headers)


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.id)
def test_researcher_phi_never_reaches_the_model(stack: StackInfo, attack: Attack) -> None:
    before = stack.demo_stats()["requests"]
    with stack.http(timeout=60) as client:
        resp = _send(client, stack.envoy_url, attack, researcher(stack, **attack.headers))
    reached = stack.demo_stats()["requests"] > before
    assert not any(v in resp.text for v in (SSN, EMAIL)), resp.text[:300]  # no refusal echoes the request
    if not reached:
        assert attack.expect in ("refused", "any"), (resp.status_code, resp.text[:300])
        assert 300 <= resp.status_code < 500, (resp.status_code, resp.text[:300])
        return
    assert attack.expect in ("redacted", "any"), (resp.status_code, resp.text[:300])
    seen = stack.demo_last()
    assert seen is not None
    found = leaks(attack.phi, model_views(seen, attack.headers))
    assert not found, (found, seen["body"][:500])


@pytest.mark.parametrize("attack", [a for a in REDACTED], ids=lambda a: a.id)
def test_control_every_attack_leaks_when_the_guard_is_bypassed(stack: StackInfo, attack: Attack) -> None:
    """The oracle can fail: each carrier, sent straight to the model, is seen carrying its planted values."""
    found = leaks(attack.phi, _bypass(stack, attack))
    assert found, attack.id


def test_control_near_misses_reach_the_model_unchanged(stack: StackInfo) -> None:
    """What looks like an attack and is none passes byte for byte: base64 text without identifiers, a random
    base64 signature, a 16-letter word. (Images are refused in a minimised prompt, test_document_payloads.py; with
    ``redaction.request_media: pass`` they pass unread, tests/redteam/test_documents.py.)"""
    plain = b64("The patient should rest and drink fluids.")
    sig = base64.b64encode(bytes(range(7, 250, 3))).decode()
    body = {"model": "echo", "max_tokens": 16, "messages": [
        {"role": "user", "content": [{"type": "document", "source": {"type": "base64", "media_type": "text/plain",
                                                                     "data": plain}},
                                     {"type": "text", "text": "compare internationalization"}]},
        {"role": "assistant", "content": [{"type": "thinking", "thinking": "ok", "signature": sig}]},
        {"role": "user", "content": "go"}]}
    with stack.http(timeout=60) as client:
        resp = client.post(MESSAGES, json=body, headers=researcher(stack))
    assert resp.status_code == 200, resp.text
    seen = stack.demo_last()
    assert seen is not None
    assert json.loads(seen["body"]) == body


def test_control_oracle_reads_every_carrier() -> None:
    """The views find a planted value behind each decoding the attacks use, and nothing in a redacted body."""
    seen = {"path": "/v1/chat/completions", "headers": {"content-type": "application/json"}}

    def found(raw: bytes) -> list[str]:
        return leaks([SSN], model_views({**seen, "body_b64": base64.b64encode(raw).decode()}))

    note = f"SSN {SSN}"
    for raw in (gzip.compress(note.encode()), note.encode("utf-16"), json.dumps({"d": b64(note, "utf-16-le")})
                .encode(), json.dumps({"u": _data_url(note, charset="utf-16", codec="utf-16")}).encode(),
                json.dumps({"c": f"SSN {jesc(SSN)}"}).encode().replace(b"\\\\", b"\\")):
        assert found(raw) == [SSN], raw
    assert not found(json.dumps({"c": "SSN [SSN]", "id": "call_7f3a9c2b1d4e5f60"}).encode())


def test_refusals_are_audited(stack: StackInfo) -> None:
    """A request refused at the edge (PHI in the URL, an unknown API, a compressed body) leaves an audit event
    with its refusal status."""
    sub = "r.redteam7"
    headers = {"authorization": f"Bearer {stack.token(sub, ['researcher'])}", "x-phi-guard-purpose": "research"}
    def refused(r: httpx.Response) -> bool:
        return 400 <= r.status_code < 500

    def audited(evs: list[dict[str, Any]]) -> bool:
        return len([e for e in evs if 400 <= int(e.get("status", 0)) < 500]) >= 3

    with stack.http(timeout=60) as client:
        assert refused(client.post(f"{CHAT}?ssn={SSN}", json=chat("hi"), headers=headers))
        assert refused(client.post("/v1/embeddings", json={"model": "echo", "input": NOTE}, headers=headers))
        assert refused(client.post(CHAT, content=gzip.compress(json.dumps(chat()).encode()),
                                   headers={**headers, "content-type": "application/json",
                                            "content-encoding": "gzip"}))
    events = [e for e in wait_events(stack, sub, audited, timeout=90) if 400 <= int(e.get("status", 0)) < 500]
    # (audit events keep what was asked, PHI included: they are encrypted before they touch disk)
    assert {int(e["status"]) for e in events} <= {400, 403, 415}, [e.get("status") for e in events]
