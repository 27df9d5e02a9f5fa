"""Builds tests/redteam/cases.yaml, the red-team attack table (issues 15/16/17).

Each case is one hostile upstream answer, in the format the demo model's script endpoint takes
(devstack/demo_script.py: status, headers, chunks or chunks_b64, delay_ms), plus:

- ``id``, ``family`` and ``attack`` (what it tries);
- ``phi``: the values that must not reach the client (the oracle normalises them: digits of an identifier,
  letters of a name token, whatever the case, width, script or separators);
- ``expect``: ``redacted`` (the body must be understood and answered), ``withheld`` (it must be refused) or
  ``any`` (either is safe);
- ``e2e``: part of the subset that also runs through Envoy, the guard and the demo model;
- ``xfail``: a one-line reason when the case is a known leak left to another branch (strict).

Run ``PYTHONPATH=$PWD .venv/bin/python -m tests.redteam.build_cases`` after editing; a test checks the YAML is
what this script writes.
"""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from pathlib import Path
from typing import Any

import brotli
import yaml

OUT = Path(__file__).with_name("cases.yaml")

# Realistic PHI values, chosen so the oracle cannot meet them by chance in what the guard adds.
SSN = "478-21-5096"
PHONE = "512-437-7788"
EMAIL = "maria.okonkwo@stjudehealth.org"
FIRST, LAST = "Maria", "Okonkwo"
UNLISTED = "Adaeze Okonkwo"  # a name in no lexicon: only its cue can find it
MRN = "7730419"
STREET = "4821 Wisteria Lane"
DOB = "03/14/1962"

TEXT = (f"Patient {FIRST} {LAST}, SSN {SSN}, MRN {MRN}, phone {PHONE}, email {EMAIL}, "
        f"lives at {STREET}, Springfield, IL 62704, DOB {DOB}.")
ALL = [SSN, PHONE, EMAIL, FIRST, LAST, MRN, "Wisteria", DOB]

SSE = [["content-type", "text/event-stream"]]
JSONCT = [["content-type", "application/json"]]
NDJSON = [["content-type", "application/x-ndjson"]]

CASES: list[dict[str, Any]] = []
E2E_FAMILIES: dict[str, int] = {}


def case(id_: str, family: str, attack: str, chunks: list[str | bytes], headers: list[list[str]],
         phi: list[str], expect: str = "redacted", status: int = 200, e2e: bool = False,
         xfail: str = "", dropped: bool = False) -> None:
    answer: dict[str, Any] = {"status": status, "headers": headers}
    if all(isinstance(c, str) for c in chunks):
        answer["chunks"] = list(chunks)
    else:
        answer["chunks_b64"] = [base64.b64encode(c if isinstance(c, bytes) else c.encode()).decode()
                                for c in chunks]
    if len(chunks) > 1:
        answer["delay_ms"] = 1
    item: dict[str, Any] = {"id": id_, "family": family, "attack": attack, "answer": answer, "phi": phi,
                            "expect": expect}
    if e2e:
        item["e2e"] = True
    if xfail:
        item["xfail"] = xfail
    if dropped:
        item["dropped"] = True
    CASES.append(item)


def pieces(text: str, n: int) -> list[str]:
    return [text[i : i + n] for i in range(0, len(text), n)] or [""]


def ev(obj: Any, name: str | None = None) -> str:
    head = f"event: {name}\n" if name else ""
    return f"{head}data: {json.dumps(obj)}\n\n"


def chat_chunk(text: str, key: str = "content") -> dict[str, Any]:
    return {"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {key: text}}]}


def chat_sse(parts: list[str], key: str = "content") -> list[str]:
    return [ev(chat_chunk(p, key)) for p in parts] + ["data: [DONE]\n\n"]


def chat_json(text: str) -> str:
    return json.dumps({"id": "chatcmpl-RtQwErTyUiOp", "object": "chat.completion", "created": 1700000000,
                       "model": "gpt-4o", "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                                       "finish_reason": "stop"}]})


def anthropic_sse(parts: list[str]) -> list[str]:
    out = [ev({"type": "message_start", "message": {"id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message",
                                                     "role": "assistant", "content": [], "model": "claude"}},
              "message_start"),
           ev({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
              "content_block_start")]
    out += [ev({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}},
               "content_block_delta") for p in parts]
    out += [ev({"type": "content_block_stop", "index": 0}, "content_block_stop"),
            ev({"type": "message_stop"}, "message_stop")]
    return out


def gemini_sse(parts: list[str]) -> list[str]:
    return [ev({"candidates": [{"content": {"parts": [{"text": p}], "role": "model"}, "index": 0}],
                "modelVersion": "gemini-2.0-flash"}) for p in parts] + [
        ev({"candidates": [{"content": {"parts": [{"text": ""}], "role": "model"}, "finishReason": "STOP",
                            "index": 0}]})]


def ollama_lines(parts: list[str]) -> list[str]:
    return [json.dumps({"model": "llama3", "created_at": "2024-03-01T10:00:00Z",
                        "message": {"role": "assistant", "content": p}, "done": False}) + "\n" for p in parts] + [
        json.dumps({"model": "llama3", "message": {"role": "assistant", "content": ""}, "done": True}) + "\n"]


def responses_sse(parts: list[str]) -> list[str]:
    item = "msg_67ccd3acc8d48190a77525dc"
    out = [ev({"type": "response.created", "response": {"id": "resp_67ccd3a9da748190baa7", "status": "in_progress"}},
              "response.created"),
           ev({"type": "response.output_item.added", "output_index": 0,
               "item": {"id": item, "type": "message", "role": "assistant", "content": []}},
              "response.output_item.added"),
           ev({"type": "response.content_part.added", "item_id": item, "output_index": 0, "content_index": 0,
               "part": {"type": "output_text", "text": ""}}, "response.content_part.added")]
    out += [ev({"type": "response.output_text.delta", "item_id": item, "output_index": 0, "content_index": 0,
                "delta": p}, "response.output_text.delta") for p in parts]
    full = "".join(parts)
    out += [ev({"type": "response.output_text.done", "item_id": item, "output_index": 0, "content_index": 0,
                "text": full}, "response.output_text.done"),
            ev({"type": "response.completed", "response": {"id": "resp_67ccd3a9da748190baa7", "status": "completed"}},
               "response.completed")]
    return out


def nest(depth: int, inner: Any) -> Any:
    for i in range(depth):
        inner = {f"k{i}": inner}
    return inner


# --- structure: JSON documents -----------------------------------------------------------------------------
def structure() -> None:
    f = "structure"
    case("json_key_holds_phi", f, "PHI in an unknown object key", [json.dumps(
        {"id": "chatcmpl-RtQwErTyUiOp", "object": "chat.completion", "choices": [],
         f"{FIRST} {LAST} SSN {SSN}": {PHONE: "x"}})], JSONCT, [SSN, PHONE, LAST], e2e=True)
    case("json_nested_key", f, "PHI in a key ten levels down", [json.dumps(nest(10, {f"mrn {MRN} ssn {SSN}": 1}))],
         JSONCT, [SSN, MRN])
    case("json_deep_nesting", f, "PHI 200 arrays deep", ["[" * 200 + json.dumps(f"SSN {SSN}") + "]" * 200],
         JSONCT, [SSN], expect="any")
    case("json_unknown_shape", f, "an unknown top-level shape (array of objects of arrays)", [json.dumps(
        [{"rows": [[f"{FIRST} {LAST}", SSN], ["phone", PHONE]]}])], JSONCT, [SSN, PHONE, LAST])
    case("json_top_level_string", f, "a bare JSON string", [json.dumps(TEXT)], JSONCT, ALL)
    case("json_number_unknown_key", f, "SSN digits as a number under an unknown key",
         ['{"patient_ssn": 478215096, "ok": true}'], JSONCT, ["478215096"])
    case("json_numbers_as_strings", f, "SSN and phone digits as strings without separators", [json.dumps(
        {"result": {"ssn": "478215096", "phone": "5124377788"}})], JSONCT, ["478215096", "5124377788"])
    case("json_unicode_escapes", f, "identifier written as \\u escapes",
         ['{"content": "SSN \\u0034\\u0037\\u0038-\\u0032\\u0031-\\u0035\\u0030\\u0039\\u0036"}'], JSONCT, [SSN])
    case("json_escaped_slash_email", f, "email with escaped characters",
         ['{"content": "mail maria.okonkwo\\u0040stjudehealth\\u002eorg"}'], JSONCT, [EMAIL])
    case("json_surrogate_escapes", f, "full-width digits as \\u escapes",
         ['{"content": "SSN \\uff14\\uff17\\uff18-\\uff12\\uff11-\\uff15\\uff10\\uff19\\uff16"}'], JSONCT, [SSN])
    case("json_id_field", f, "PHI in provider id fields", [json.dumps(
        {"id": SSN, "object": "chat.completion", "system_fingerprint": PHONE, "model": f"{FIRST} {LAST}",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}]})],
         JSONCT, [SSN, PHONE, LAST], e2e=True)
    case("json_enum_fields", f, "PHI in role, type, finish_reason, object", [json.dumps(
        {"object": EMAIL, "choices": [{"index": 0, "message": {"role": SSN, "content": "ok", "type": MRN + " mrn"},
                                       "finish_reason": f"{FIRST} {LAST}"}]})], JSONCT, [SSN, EMAIL, LAST])
    case("json_signature_field", f, "an SSN and surname in a thinking signature (base64url-shaped)", [json.dumps(
        {"type": "message", "role": "assistant", "content": [
            {"type": "thinking", "thinking": "ok", "signature": f"SSN-{SSN}-{LAST}-{FIRST}"}]})], JSONCT, [SSN])
    case("json_id_digits", f, "SSN digits packed into a provider id (an opaque covert channel)", [json.dumps(
        {"id": "chatcmpl-478215096", "object": "chat.completion", "choices": []})], JSONCT, ["478215096"])
    case("json_tool_arguments_string", f, "PHI inside JSON carried in a string (tool arguments)", [json.dumps(
        {"choices": [{"index": 0, "message": {"role": "assistant", "tool_calls": [
            {"id": "call_abc123def456", "type": "function", "function": {
                "name": "lookup", "arguments": json.dumps({"patient": f"{FIRST} {LAST}", "ssn": SSN})}}]}}]})],
         JSONCT, [SSN, LAST])
    case("json_double_encoded", f, "JSON in a string in a string", [json.dumps(
        {"content": json.dumps(json.dumps({"ssn": SSN, "phone": PHONE}))})], JSONCT, [SSN, PHONE])
    case("json_error_body_500", f, "PHI in an upstream error message (status 500)", [json.dumps(
        {"error": {"message": f"record for {FIRST} {LAST} (SSN {SSN}) locked", "type": "server_error"}})],
         JSONCT, [SSN, LAST], status=500, e2e=True)
    case("json_error_body_404", f, "PHI in a 404 body", [json.dumps(
        {"detail": f"no chart for MRN {MRN}, phone {PHONE}"})], JSONCT, [MRN, PHONE], status=404)
    case("json_duplicate_keys", f, "duplicate keys: a client may read either", [
        '{"content": "fine", "content": "SSN ' + SSN + '"}'], JSONCT, [SSN], expect="any")
    case("json_vendor_type", f, "application/vnd.x+json carrying PHI", [json.dumps({"note": TEXT})],
         [["content-type", "application/vnd.ehr.note+json"]], ALL)
    case("json_array_of_chars", f, "an SSN spelled as an array of one-character strings",
         [json.dumps({"digits": list(SSN)})], JSONCT, [SSN])
    case("json_token_array", f, "a name and an SSN cut across the strings of an array", [json.dumps(
        {"tokens": ["Patient Maria Oko", "nkwo, SSN 478", "-21-5", "096 ok"]})], JSONCT, [SSN, LAST])
    case("json_keys_split", f, "an SSN split over two keys of one object", [json.dumps(
        {f"SSN {SSN[:3]}": 1, f"{SSN[3:]}": 2})], JSONCT, [SSN], expect="any")
    case("json_whitespace_padded", f, "identifier between long runs of JSON whitespace",
         ["{" + " " * 3000 + '"c":' + "\n" * 2000 + json.dumps(f"SSN {SSN}") + "}"], JSONCT, [SSN])
    case("json_mrn_label_key", f, "MRN value under a key that names it", [json.dumps(
        {"mrn": MRN, "dob": DOB, "name": f"{FIRST} {LAST}"})], JSONCT, [MRN, DOB, LAST])
    case("mcp_structured_fields", f, "an EHR tool result whose PHI only its keys name", [json.dumps(
        {"jsonrpc": "2.0", "id": 3, "result": {"content": [{"type": "text", "text": "1 match"}], "structuredContent": {
            "patients": [{"first_name": "Adaeze", "lastName": "Okonkwo", "zip": "62704", "mobile": "5124377788",
                          "mrn": 7730419, "city": "Springfield"}]}}})], JSONCT,
         ["Adaeze", LAST, "62704", "5124377788", MRN, "Springfield"], e2e=True)
    case("fhir_patient", f, "a FHIR Patient resource (HumanName, Address)", [json.dumps(
        {"resourceType": "Patient", "id": "pat-1", "name": [{"family": "Okonkwo", "given": ["Adaeze", "N"]}],
         "birthDate": "1962-03-14", "address": [{"line": ["4821 Wisteria Ln"], "city": "Springfield",
                                                 "postalCode": "62704"}]})],
         [["content-type", "application/fhir+json"]], ["Adaeze", LAST, "19620314", "Wisteria", "62704"])
    case("tool_args_labelled", f, "tool-call arguments with labelled bare values, streamed", [
        ev({"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"tool_calls": [
            {"index": 0, "function": {"arguments": p}}]}}]}) for p in pieces(json.dumps(
                {"patient_name": "Adaeze Okonkwo", "zip": "62704"}), 4)] + ["data: [DONE]\n\n"], SSE,
         ["Adaeze", LAST, "62704"])
    case("text_plain", f, "text/plain answer", [TEXT], [["content-type", "text/plain"]], ALL)
    case("text_html_entities", f, "text/html with the SSN as numeric character references",
         ["<p>SSN &#52;&#55;&#56;-&#50;&#49;-&#53;&#48;&#57;&#54;</p>"], [["content-type", "text/html"]], [SSN])
    case("html_hex_refs_split", f, "hex character references cut across chunks",
         ["<p>call &#x35;&#x3", "1;&#x32;-&#x34;&#x33;&#x37;-&#x37;&#x37;&#x3", "8;&#x38;</p>"],
         [["content-type", "text/html; charset=utf-8"]], [PHONE])
    case("markdown_named_refs", f, "email with &commat; and &period; in Markdown",
         ["**mail** maria.okonkwo&commat;stjudehealth&period;org"], [["content-type", "text/markdown"]], [EMAIL])
    case("xml_refs_name", f, "a name with character references in XML",
         ["<note>Patient Maria Okon&#107;wo, MRN &#55;730419</note>"], [["content-type", "application/xml"]],
         [LAST, MRN])
    case("unknown_content_type", f, "application/octet-stream", [TEXT],
         [["content-type", "application/octet-stream"]], ALL, expect="withheld")
    case("no_content_type", f, "no content-type at all", [TEXT], [], ALL, expect="any")


# --- SSE framing -----------------------------------------------------------------------------------------------
def sse_framing() -> None:
    f = "sse"
    c = ev(chat_chunk("fine"))
    case("sse_cr_only", f, "CR-only line ends", [ev(chat_chunk(TEXT)).replace("\n", "\r")], SSE, ALL, e2e=True)
    case("sse_crlf_split", f, "CRLF split across chunks", [ev(chat_chunk(f"SSN {SSN[:5]}")).replace("\n", "\r\n")[:-1],
         "\n" + ev(chat_chunk(SSN[5:])).replace("\n", "\r\n")], SSE, [SSN])
    case("sse_bom", f, "leading BOM before the first field", ["\ufeff" + ev(chat_chunk(TEXT))], SSE, ALL)
    case("sse_comment", f, "PHI in a comment line", [f": {FIRST} {LAST} {SSN}\n\n", c], SSE, [SSN, LAST],
         expect="any", dropped=True)
    case("sse_event_name", f, "PHI in event:", [f"event: {SSN} {LAST}\n" + c], SSE, [SSN, LAST],
         expect="any", dropped=True)
    case("sse_id", f, "PHI in id:", [f"id: {SSN}\n" + c, f"id: {EMAIL}\n" + c], SSE, [SSN, EMAIL],
         expect="any", dropped=True)
    case("sse_id_undashed", f, "SSN digits in id: shaped like an id", ["id: 478215096\n" + c], SSE, ["478215096"],
         expect="any", dropped=True)
    case("sse_retry", f, "SSN digits as retry:", ["retry: 478215096\n" + c], SSE, ["478215096"],
         expect="any", dropped=True)
    case("sse_retry_phone", f, "phone digits as retry:", ["retry: 5124377788\n" + c], SSE, ["5124377788"],
         expect="any", dropped=True)
    case("sse_event_name_grammar", f, "a surname dressed as a Responses event name (event: and type)",
         [f"event: response.{FIRST.lower()}_{LAST.lower()}\n" + ev(
             {"type": f"response.{FIRST.lower()}_{LAST.lower()}", "delta": "x"}), c], SSE, [FIRST, LAST],
         expect="any")
    case("sse_thread_event_name", f, "a surname dressed as an Assistants event name",
         [f"event: thread.{LAST.lower()}\n" + c], SSE, [LAST], expect="any", dropped=True)
    case("sse_unknown_field", f, "unknown field", [f"x-patient: {FIRST} {LAST} {SSN}\n" + c], SSE, [SSN, LAST],
         expect="any", dropped=True)
    case("sse_case_variant", f, "Data:/EVENT: in other case", [f"Data: {SSN}\nEVENT: {PHONE}\n" + c], SSE,
         [SSN, PHONE], expect="any", dropped=True)
    case("sse_multiline_data", f, "text over several data: lines of one event",
         [f"data: Patient {FIRST} {LAST[:3]}\ndata: {LAST[3:]} SSN {SSN[:4]}\ndata: {SSN[4:]}\n\n"], SSE,
         [SSN, LAST], expect="any")
    case("sse_multiline_json", f, "one JSON payload over several data: lines",
         ['data: {"choices": [{"index": 0,\ndata: "delta": {"content": "SSN ' + SSN + '"}}]}\n\n'], SSE, [SSN])
    case("sse_no_space", f, "data:without a space", ["data:" + json.dumps(chat_chunk(TEXT)) + "\n\n"], SSE, ALL)
    case("sse_field_trailing_space", f, "'data :' is not the data field", [f"data : {SSN}\n\n" + c], SSE, [SSN],
         expect="any", dropped=True)
    case("sse_plain_text_data", f, "non-JSON data split over events",
         [f"data: Patient {FIRST} Oko\n\n", "data: nkwo SSN 478-2\n\n", "data: 1-5096 ok\n\n"], SSE,
         [SSN, LAST], expect="any", e2e=True)
    case("sse_done_spoof", f, "[DONE] followed by PHI in the same data", [c, f"data: [DONE] SSN {SSN}\n\n"], SSE,
         [SSN], expect="any")
    case("sse_after_done", f, "events after [DONE]", [c, "data: [DONE]\n\n", ev(chat_chunk(TEXT))], SSE, ALL,
         expect="any")
    case("sse_not_sse", f, "a plain text body under text/event-stream", [TEXT + "\n"], SSE, ALL, expect="any")
    case("sse_json_body", f, "a JSON document under text/event-stream", [chat_json(TEXT)], SSE, ALL, expect="any")
    case("sse_nul_bytes", f, "NUL bytes around the identifier", [ev(chat_chunk(f"SSN\x00{SSN}\x00"))], SSE, [SSN],
         expect="any")
    case("sse_empty_events", f, "empty events between identifier halves",
         [ev(chat_chunk(f"SSN {SSN[:5]}")), "\n\n\n\n", ":\n\n", ev(chat_chunk(SSN[5:]))], SSE, [SSN])
    case("sse_event_name_case", f, "provider event name in upper case",
         ["EVENT: content_block_delta\n" + ev({"type": "content_block_delta", "index": 0,
                                              "delta": {"type": "text_delta", "text": TEXT}})], SSE, ALL,
         expect="any")
    case("sse_long_line", f, "one 32 kB data line with the SSN in the middle",
         [ev(chat_chunk("x " * 8000 + f"SSN {SSN} " + "y " * 8000))], SSE, [SSN], expect="any")
    case("sse_keepalive_flood", f, "keep-alive comments between every character",
         [x for p in pieces(f"SSN {SSN}", 1) for x in (ev(chat_chunk(p)), ": ping\n\n")], SSE, [SSN])
    case("sse_mixed_line_ends", f, "LF, CR and CRLF mixed in one stream",
         [ev(chat_chunk(f"SSN {SSN[:3]}")).replace("\n", "\r"), ev(chat_chunk(SSN[3:7])).replace("\n", "\r\n"),
          ev(chat_chunk(SSN[7:]))], SSE, [SSN])


# --- providers ------------------------------------------------------------------------------------------------
def providers() -> None:
    f = "provider"
    case("openai_chat_stream", f, "OpenAI chat, 3-character deltas", chat_sse(pieces(TEXT, 3)), SSE, ALL, e2e=True)
    case("openai_chat_json", f, "OpenAI chat, not streamed", [chat_json(TEXT)], JSONCT, ALL)
    case("openai_reasoning", f, "reasoning_content deltas", chat_sse(pieces(TEXT, 2), "reasoning_content"), SSE, ALL)
    case("openai_refusal", f, "refusal deltas", chat_sse(pieces(TEXT, 4), "refusal"), SSE, ALL)
    case("openai_legacy_text", f, "legacy completions choices[].text", [
        ev({"id": "cmpl-RtQwErTyUiOp", "object": "text_completion", "choices": [{"index": 0, "text": p}]})
        for p in pieces(TEXT, 2)] + ["data: [DONE]\n\n"], SSE, ALL)
    args = json.dumps({"patient": f"{FIRST} {LAST}", "ssn": SSN, "phone": PHONE})
    case("openai_tool_args_split", f, "tool-call arguments split across events", [
        ev({"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"tool_calls": [
            {"index": 0, "id": "call_abc123def456", "type": "function",
             "function": {"name": "lookup", "arguments": p}}]}}]}) for p in pieces(args, 2)] + ["data: [DONE]\n\n"],
         SSE, [SSN, PHONE, LAST], e2e=True)
    case("openai_two_choices", f, "two choices interleaved, each carrying half an SSN", [
        ev({"object": "chat.completion.chunk", "choices": [{"index": i % 2, "delta": {"content": p}}]})
        for i, p in enumerate(x for t in pieces(f"SSN {SSN} ok", 2) for x in (t, t))] + ["data: [DONE]\n\n"], SSE,
         [SSN])
    case("responses_stream", f, "OpenAI Responses output_text deltas", responses_sse(pieces(TEXT, 3)), SSE, ALL,
         e2e=True)
    case("responses_function_args", f, "Responses function_call_arguments deltas", [
        ev({"type": "response.output_item.added", "output_index": 0, "item": {
            "id": "fc_abc123def456", "type": "function_call", "call_id": "call_abc123def456", "name": "lookup",
            "arguments": ""}}, "response.output_item.added")] + [
        ev({"type": "response.function_call_arguments.delta", "item_id": "fc_abc123def456", "output_index": 0,
            "delta": p}, "response.function_call_arguments.delta") for p in pieces(args, 1)] + [
        ev({"type": "response.function_call_arguments.done", "item_id": "fc_abc123def456", "output_index": 0,
            "arguments": args}, "response.function_call_arguments.done")], SSE, [SSN, PHONE, LAST])
    case("responses_json", f, "Responses, not streamed", [json.dumps(
        {"id": "resp_67ccd3a9da748190baa7", "object": "response", "status": "completed", "output": [
            {"id": "msg_67ccd3acc8d48190a77525dc", "type": "message", "role": "assistant",
             "content": [{"type": "output_text", "text": TEXT, "annotations": []}]}]})], JSONCT, ALL)
    case("anthropic_stream", f, "Anthropic text deltas of 2 characters", anthropic_sse(pieces(TEXT, 2)), SSE, ALL,
         e2e=True)
    case("anthropic_start_text", f, "text begun in content_block_start",
         [ev({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": f"SSN {SSN[:6]}"}},
             "content_block_start"),
          ev({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": SSN[6:]}},
             "content_block_delta"),
          ev({"type": "message_stop"}, "message_stop")], SSE, [SSN])
    case("anthropic_tool_input", f, "input_json_delta split per character", [
        ev({"type": "content_block_start", "index": 1, "content_block": {
            "type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "lookup", "input": {}}},
           "content_block_start")] + [
        ev({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": p}},
           "content_block_delta") for p in pieces(args, 1)] + [
        ev({"type": "content_block_stop", "index": 1}, "content_block_stop"),
        ev({"type": "message_stop"}, "message_stop")], SSE, [SSN, PHONE, LAST], e2e=True)
    case("anthropic_thinking", f, "thinking deltas", [
        ev({"type": "content_block_start", "index": 0, "content_block": {"type": "thinking", "thinking": ""}},
           "content_block_start")] + [
        ev({"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": p}},
           "content_block_delta") for p in pieces(TEXT, 3)] + [
        ev({"type": "content_block_stop", "index": 0}, "content_block_stop"),
        ev({"type": "message_stop"}, "message_stop")], SSE, ALL)
    case("anthropic_across_blocks", f, "an SSN split across two text blocks", [
        ev({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
           "content_block_start"),
        ev({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": f"SSN {SSN[:5]}"}},
           "content_block_delta"),
        ev({"type": "content_block_stop", "index": 0}, "content_block_stop"),
        ev({"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}},
           "content_block_start"),
        ev({"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": SSN[5:]}},
           "content_block_delta"),
        ev({"type": "content_block_stop", "index": 1}, "content_block_stop"),
        ev({"type": "message_stop"}, "message_stop")], SSE, [SSN])
    case("anthropic_json", f, "Anthropic message, not streamed", [json.dumps(
        {"id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message", "role": "assistant", "model": "claude",
         "content": [{"type": "text", "text": TEXT},
                     {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "lookup",
                      "input": {"ssn": SSN, "name": f"{FIRST} {LAST}"}}], "stop_reason": "end_turn"})], JSONCT, ALL)
    case("gemini_stream", f, "Gemini streamGenerateContent, 2-character parts", gemini_sse(pieces(TEXT, 2)), SSE,
         ALL, e2e=True)
    case("gemini_function_call", f, "Gemini functionCall args", [ev(
        {"candidates": [{"content": {"parts": [{"functionCall": {"name": "lookup", "args": {
            "patient": f"{FIRST} {LAST}", "ssn": SSN}}}], "role": "model"}, "index": 0}]})], SSE, [SSN, LAST])
    case("gemini_json", f, "Gemini generateContent, not streamed", [json.dumps(
        {"candidates": [{"content": {"parts": [{"text": TEXT}], "role": "model"}, "finishReason": "STOP"}]})],
         JSONCT, ALL)
    case("ollama_ndjson", f, "Ollama NDJSON, 2-character lines", ollama_lines(pieces(TEXT, 2)), NDJSON, ALL,
         e2e=True)
    case("ollama_generate", f, "Ollama /api/generate response field", [
        json.dumps({"model": "llama3", "response": p, "done": False}) + "\n" for p in pieces(TEXT, 3)], NDJSON, ALL)
    case("ollama_tool_calls", f, "Ollama tool_calls arguments object", [json.dumps(
        {"model": "llama3", "message": {"role": "assistant", "content": "", "tool_calls": [
            {"function": {"name": "lookup", "arguments": {"ssn": SSN, "name": f"{FIRST} {LAST}"}}}]},
         "done": True}) + "\n"], NDJSON, [SSN, LAST])
    case("ollama_jsonl_crlf", f, "NDJSON with CRLF line ends, lines cut mid-way",
         [x for line in ollama_lines(pieces(TEXT, 5)) for x in (line[:7], line[7:].replace("\n", "\r\n"))],
         [["content-type", "application/jsonl"]], ALL, expect="any")
    mcp_result = {"jsonrpc": "2.0", "id": 7, "result": {"content": [{"type": "text", "text": TEXT}],
                                                        "structuredContent": {"ssn": SSN, "mrn": MRN},
                                                        "isError": False}}
    case("mcp_sse", f, "MCP tools/call result over SSE", [ev(mcp_result, "message")], SSE, ALL, e2e=True)
    case("mcp_json", f, "MCP tools/call result as JSON", [json.dumps(mcp_result)], JSONCT, ALL)
    case("mcp_notification", f, "MCP progress notification carrying PHI", [ev(
        {"jsonrpc": "2.0", "method": "notifications/message", "params": {"level": "info", "data": TEXT}},
        "message"), ev(mcp_result, "message")], SSE, ALL)
    case("mcp_error", f, "MCP JSON-RPC error with PHI", [json.dumps(
        {"jsonrpc": "2.0", "id": 478215096, "error": {"code": -32000, "message": f"no chart for {SSN}",
                                                      "data": {"mrn": MRN}}})], JSONCT, [SSN, MRN])
    case("mcp_sse_split_message", f, "one MCP message cut into 3-byte network chunks",
         pieces(ev(mcp_result, "message"), 3), SSE, ALL)
    toks = ["Patient", " Maria", " Ok", "onk", "wo", ", SSN", " 478", "-", "21", "-", "509", "6"]
    case("openai_logprobs", f, "logprobs tokens (and their bytes) carry the answer token by token", [
        ev({"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": t}, "logprobs": {
            "content": [{"token": t, "logprob": -0.01, "bytes": list(t.encode()),
                         "top_logprobs": [{"token": t, "logprob": -0.01, "bytes": list(t.encode())}]}]}}]})
        for t in toks] + ["data: [DONE]\n\n"], SSE, [SSN, LAST])
    case("gemini_parts_in_one_event", f, "an SSN split across two parts of one Gemini event", [ev(
        {"candidates": [{"content": {"parts": [{"text": f"SSN {SSN[:5]}"}, {"text": SSN[5:]}], "role": "model"},
                         "index": 0}]})], SSE, [SSN])
    case("responses_two_parts", f, "an SSN split across two output_text parts of one message", [
        ev({"type": "response.content_part.added", "item_id": "msg_67ccd3acc8d48190a775", "output_index": 0,
            "content_index": 0, "part": {"type": "output_text", "text": ""}}, "response.content_part.added"),
        ev({"type": "response.output_text.delta", "item_id": "msg_67ccd3acc8d48190a775", "output_index": 0,
            "content_index": 0, "delta": f"SSN {SSN[:5]}"}, "response.output_text.delta"),
        ev({"type": "response.content_part.added", "item_id": "msg_67ccd3acc8d48190a775", "output_index": 0,
            "content_index": 1, "part": {"type": "output_text", "text": ""}}, "response.content_part.added"),
        ev({"type": "response.output_text.delta", "item_id": "msg_67ccd3acc8d48190a775", "output_index": 0,
            "content_index": 1, "delta": SSN[5:]}, "response.output_text.delta"),
        ev({"type": "response.completed", "response": {"id": "resp_67ccd3a9da748190baa7", "status": "completed"}},
           "response.completed")], SSE, [SSN])
    case("cue_split_from_name", f, "the title in one event, an unlisted surname in the next",
         chat_sse(["Seen by Dr.", " Okonkwo", " today"]), SSE, [LAST])
    case("anthropic_citations", f, "PHI in a citation's cited_text", [
        ev({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
           "content_block_start"),
        ev({"type": "content_block_delta", "index": 0, "delta": {"type": "citations_delta", "citation": {
            "type": "char_location", "cited_text": f"{FIRST} {LAST}, SSN {SSN}", "document_index": 0,
            "start_char_index": 0, "end_char_index": 30}}}, "content_block_delta"),
        ev({"type": "message_stop"}, "message_stop")], SSE, [SSN, LAST])
    case("mcp_endpoint_event", f, "legacy MCP SSE endpoint event whose URL carries an MRN",
         [f"event: endpoint\ndata: /messages?session_id=abc&mrn={MRN}\n\n"], SSE, [MRN])
    case("anthropic_stop_sequence", f, "PHI in message_delta stop_sequence", [
        ev({"type": "message_delta", "delta": {"stop_reason": "stop_sequence", "stop_sequence": f"SSN {SSN}"},
            "usage": {"output_tokens": 5}}, "message_delta"), ev({"type": "message_stop"}, "message_stop")], SSE,
         [SSN])
    case("openai_annotations", f, "PHI in url_citation annotations", [json.dumps(
        {"id": "chatcmpl-RtQwErTyUiOp", "object": "chat.completion", "choices": [{"index": 0, "message": {
            "role": "assistant", "content": "see source", "annotations": [{"type": "url_citation", "url_citation": {
                "url": f"https://ehr.example.org/chart?mrn={MRN}", "title": f"Chart of {FIRST} {LAST}",
                "start_index": 0, "end_index": 3}}]}, "finish_reason": "stop"}]})], JSONCT, [MRN, LAST])
    case("gemini_grounding", f, "PHI in Gemini groundingMetadata", [ev(
        {"candidates": [{"content": {"parts": [{"text": "ok"}], "role": "model"}, "index": 0,
                         "groundingMetadata": {"groundingChunks": [{"web": {"uri": "https://x.example/p",
                                                                           "title": f"{FIRST} {LAST} {PHONE}"}}]}}]})],
         SSE, [LAST, PHONE])
    case("ollama_after_done", f, "NDJSON lines after done:true", ollama_lines(["ok"]) + [
        json.dumps({"model": "llama3", "message": {"role": "assistant", "content": TEXT}, "done": False}) + "\n"],
         NDJSON, ALL, expect="any")
    case("cohere_v2_stream", f, "Cohere v2 content-delta events, 1 character each", [
        ev({"type": "content-delta", "index": 0, "delta": {"message": {"content": {"text": p}}}}, "content-delta")
        for p in pieces(f"Patient {FIRST} {LAST}, SSN {SSN}", 1)] + [
        ev({"type": "message-end", "delta": {"finish_reason": "COMPLETE"}}, "message-end")], SSE, [SSN, LAST])
    case("azure_content_filter", f, "Azure OpenAI chunks with content_filter_results, 2-character deltas", [
        ev({"id": "chatcmpl-RtQwErTyUiOp", "object": "chat.completion.chunk", "choices": [
            {"index": 0, "delta": {"content": p}, "content_filter_results": {
                "hate": {"filtered": False, "severity": "safe"}}}], "prompt_filter_results": []})
        for p in pieces(TEXT, 2)] + ["data: [DONE]\n\n"], SSE, ALL)
    case("bedrock_eventstream", f, "AWS event-stream binary framing (not a supported type)",
         [b"\x00\x00\x00\x5a\x00\x00\x00\x40" + TEXT.encode()],
         [["content-type", "application/vnd.amazon.eventstream"]], ALL, expect="withheld")
    case("generic_events", f, "an unknown JSON event shape streaming text under a custom key", [
        ev({"custom": {"chunk": p, "seq": i}}) for i, p in enumerate(pieces(TEXT, 2))], SSE, ALL)
    case("generic_labelled_fields", f, "an unknown event shape streaming labelled bare values", [
        ev({"record": {"last_name": p, "zip": z}}) for p, z in (("Oko", "627"), ("nkwo", "04"))], SSE,
         [LAST, "62704"])
    case("ndjson_labelled_fields", f, "NDJSON records with labelled bare values", [
        json.dumps({"row": {"firstName": "Adaeze", "lastName": "Okonkwo", "postalCode": "62704"}}) + "\n"],
         NDJSON, ["Adaeze", LAST, "62704"])
    case("generic_list_position", f, "unknown shape, text at the same list position across events", [
        ev({"out": [{"t": "x"}, {"t": p}]}) for p in pieces(TEXT, 2)], SSE, ALL)


# --- charsets ----------------------------------------------------------------------------------------------------
def charsets() -> None:
    f = "charset"
    body = "".join(chat_sse(pieces(TEXT, 5)))
    jbody = chat_json(TEXT)
    case("utf16_sse", f, "UTF-16 (BOM) event stream", [body.encode("utf-16")],
         [["content-type", "text/event-stream; charset=utf-16"]], ALL, e2e=True)
    case("utf16be_json", f, "UTF-16BE JSON without BOM", [jbody.encode("utf-16-be")],
         [["content-type", "application/json; charset=utf-16be"]], ALL)
    case("utf16_split_odd", f, "UTF-16 cut at odd byte offsets", [
        body.encode("utf-16")[i : i + 7] for i in range(0, len(body.encode("utf-16")), 7)],
         [["content-type", "text/event-stream; charset=utf-16"]], ALL)
    case("utf32_json", f, "UTF-32 JSON", [jbody.encode("utf-32")],
         [["content-type", "application/json; charset=utf-32"]], ALL)
    case("latin1_sse", f, "latin-1 with accented prose", [("data: café " + TEXT + "\n\n").encode("latin-1")],
         [["content-type", "text/event-stream; charset=ISO-8859-1"]], ALL, expect="any")
    case("cp1252_json", f, "cp1252 smart quotes around the name", [json.dumps(
        {"content": f"\u201c{FIRST} {LAST}\u201d SSN {SSN}"}, ensure_ascii=False).encode("cp1252")],
         [["content-type", "application/json; charset=windows-1252"]], [SSN, LAST])
    case("declared_latin1_actual_utf8", f, "UTF-8 bytes declared latin-1 (mojibake around the PHI)", [json.dumps(
        {"content": f"Ç {TEXT} é"}, ensure_ascii=False).encode("utf-8")],
         [["content-type", "application/json; charset=latin-1"]], ALL, expect="any")
    case("declared_utf8_actual_utf16", f, "UTF-16 bytes declared utf-8", [jbody.encode("utf-16-le")],
         [["content-type", "application/json; charset=utf-8"]], ALL, expect="any")
    case("declared_utf16_actual_utf8", f, "UTF-8 bytes declared utf-16", [jbody.encode("utf-8")],
         [["content-type", "application/json; charset=utf-16"]], ALL, expect="any")
    case("invalid_utf8_bytes", f, "invalid UTF-8 bytes next to the SSN", [
        b'{"content": "SSN \xff\xfe' + SSN.encode() + b'"}'], JSONCT, [SSN], expect="any", e2e=True)
    case("overlong_utf8", f, "an overlong UTF-8 encoding of a digit", [
        b'{"content": "SSN \xc0\xb4' + SSN[1:].encode() + b'"}'], JSONCT, [SSN[1:].replace("-", "")],
         expect="any")
    case("utf7_digits", f, "UTF-7 with the digits in base64 shift sequences", [
        json.dumps({"content": f"SSN {SSN}"}).encode("utf-7").replace(b"478", b"+ADQANwA4-")],
         [["content-type", "application/json; charset=utf-7"]], [SSN], expect="any")
    case("shift_jis_fullwidth", f, "Shift_JIS with full-width digits", [json.dumps(
        {"content": "患者 SSN ４７８-２１-５０９６"}, ensure_ascii=False).encode("shift_jis")],
         [["content-type", "application/json; charset=shift_jis"]], [SSN])
    case("iso8859_5_cyrillic_name", f, "ISO-8859-5 with a Cyrillic o inside the surname", [json.dumps(
        {"content": f"Patient {FIRST} Ok\u043enkwo, SSN {SSN}"}, ensure_ascii=False).encode("iso-8859-5")],
         [["content-type", "application/json; charset=iso-8859-5"]], [SSN, LAST])
    case("charset_quoted_upper", f, "charset=\"UTF-16LE\" quoted, upper case", [body.encode("utf-16-le")],
         [["content-type", 'text/event-stream; charset="UTF-16LE"']], ALL, expect="any")
    case("charset_twice", f, "two charset parameters that disagree", [jbody.encode("utf-16-le")],
         [["content-type", "application/json; charset=utf-8; charset=utf-16le"]], ALL, expect="any")
    case("charset_unknown", f, "an unknown charset", [jbody],
         [["content-type", "application/json; charset=x-ebcdic-42"]], ALL, expect="withheld")
    case("charset_rot13", f, "a transform codec as charset", [jbody.encode()],
         [["content-type", "application/json; charset=rot13"]], ALL, expect="withheld")
    case("gb18030_json", f, "GB18030 with full-width digits", [json.dumps(
        {"content": "SSN ４７８－２１－５０９６"}, ensure_ascii=False).encode("gb18030")],
         [["content-type", "application/json; charset=gb18030"]], [SSN])
    case("ndjson_utf16", f, "NDJSON in UTF-16", ["".join(ollama_lines(pieces(TEXT, 4))).encode("utf-16")],
         [["content-type", "application/x-ndjson; charset=utf-16"]], ALL)


# --- headers ------------------------------------------------------------------------------------------------------
def headers() -> None:
    f = "headers"
    ok = [ev(chat_chunk("fine")), "data: [DONE]\n\n"]

    def h(id_: str, attack: str, extra: list[list[str]], phi: list[str], e2e: bool = False) -> None:
        case(id_, f, attack, ok, SSE + extra, phi, e2e=e2e)

    h("hdr_patient_name", "x-patient-name header", [["x-patient-name", f"{FIRST} {LAST}"]], [LAST], e2e=True)
    h("hdr_request_id_ssn", "SSN as x-request-id", [["x-request-id", SSN]], [SSN])
    h("hdr_request_id_glued", "SSN glued inside a request id", [["x-request-id", f"req_{SSN}"]], [SSN])
    h("hdr_request_id_digits", "SSN digits as a request id", [["x-request-id", "478215096"]], ["478215096"])
    h("hdr_openai_org_name", "name as openai-organization", [["openai-organization", f"{LAST}-clinic"]], [LAST])
    h("hdr_set_cookie", "email in set-cookie", [["set-cookie", f"u={EMAIL}; Path=/"]], [EMAIL])
    h("hdr_location", "PHI in location", [["location", f"/patients/{SSN}"]], [SSN])
    h("hdr_link", "PHI in link", [["link", f"</chart?mrn={MRN}>; rel=next"]], [MRN])
    h("hdr_www_authenticate", "PHI in www-authenticate", [["www-authenticate", f'Bearer realm="{EMAIL}"']], [EMAIL])
    h("hdr_retry_after_phone", "phone digits as retry-after", [["retry-after", "5124377788"]], ["5124377788"])
    h("hdr_ratelimit_ssn", "SSN digits as a rate-limit count", [["x-ratelimit-remaining-tokens", "478215096"]],
      ["478215096"])
    h("hdr_name_in_header_name", "a surname inside a wildcard header name",
      [["x-ratelimit-okonkwo", "1"]], [LAST])
    h("hdr_content_type_param", "PHI in a content-type parameter",
      [["content-type", f"text/event-stream; patient={LAST}"]], [LAST])
    h("hdr_anthropic_org", "MRN in anthropic-organization-id", [["anthropic-organization-id", f"mrn {MRN}"]], [MRN])
    h("hdr_date_dob", "a date of birth in a date-shaped header", [["x-goog-dob", DOB]], [DOB])
    h("hdr_multi_values", "a name in the second of repeated values",
      [["x-request-id", "req_abc123"], ["x-request-id", f"{FIRST} {LAST}"]], [LAST])
    h("hdr_fullwidth_ssn", "full-width SSN in an allowed header", [["x-request-id", "４７８-２１-５０９６"]], [SSN])
    h("hdr_latin1_name", "a latin-1 header value with the name", [["x-ms-client-request-id", f"{LAST}\u00e9"]], [LAST])


# --- evasions in text ---------------------------------------------------------------------------------------------
EVASIONS: list[tuple[str, str, str, list[str], str]] = [
    ("fullwidth_ssn", "full-width digits", "SSN ４７８-２１-５０９６ on file", [SSN], ""),
    ("arabic_indic_ssn", "Arabic-Indic digits", "SSN ٤٧٨-٢١-٥٠٩٦ on file", [SSN], ""),
    ("ext_arabic_phone", "Extended Arabic-Indic digits in a phone", "call ۵۱۲-۴۳۷-۷۷۸۸ today", [PHONE], ""),
    ("devanagari_phone", "Devanagari digits in a phone", "call ५१२-४३७-७७८८ today", [PHONE], ""),
    ("math_bold_ssn", "mathematical bold digits", "SSN 𝟒𝟕𝟖-𝟐𝟏-𝟓𝟎𝟗𝟔 on file", [SSN], ""),
    ("superscript_ssn", "superscript digits", "SSN ⁴⁷⁸-²¹-⁵⁰⁹⁶ on file", [SSN], ""),
    ("zwsp_ssn", "zero-width spaces inside the SSN", "SSN 4\u200b78-2\u200b1-50\u200b96 on file", [SSN], ""),
    ("zwj_every_digit", "ZWJ between every digit", "SSN " + "\u200d".join(SSN) + " on file", [SSN], ""),
    ("soft_hyphen_phone", "soft hyphens inside the phone", "call 512\u00ad437\u00ad7788 today", [PHONE], ""),
    ("word_joiner_mrn", "word joiners inside the MRN", "MRN 77\u206030\u2060419 noted", [MRN], ""),
    ("bom_inside_ssn", "BOMs (ZWNBSP) inside the SSN", "SSN 478\ufeff-21\ufeff-5096", [SSN], ""),
    ("zwsp_name", "zero-width space inside the surname", f"Patient {FIRST} Okon\u200bkwo seen", [LAST], ""),
    ("soft_hyphen_name", "soft hyphen inside the surname", "Mrs. Okon\u00adkwo was seen", [LAST], ""),
    ("nbsp_ssn", "NBSP separators", "SSN 478\u00a021\u00a05096 on file", [SSN], ""),
    ("en_dash_ssn", "en-dash separators", "SSN 478\u201321\u20135096 on file", [SSN], ""),
    ("nb_hyphen_phone", "non-breaking hyphens", "phone 512\u2011437\u20117788", [PHONE], ""),
    ("minus_sign_ssn", "minus-sign separators", "SSN 478\u221221\u22125096", [SSN], ""),
    ("figure_dash_phone", "figure dashes", "phone 512\u2012437\u20127788", [PHONE], ""),
    ("fullwidth_hyphen_ssn", "full-width hyphen-minus", "SSN 478\uff0d21\uff0d5096", [SSN], ""),
    ("ideographic_space_ssn", "ideographic spaces", "SSN 478\u300021\u30005096", [SSN], ""),
    ("dotted_phone", "512.43.7788-style dots", "phone 512.437.7788, alt 512.43.7788", [PHONE, "512437788"], ""),
    ("spaced_phone", "phone as separate digit groups", "phone 512 437 7788", [PHONE], ""),
    ("paren_phone", "phone with parentheses and no space", "phone (512)437-7788", [PHONE], ""),
    ("intl_phone", "phone with +1 and dots", "phone +1.512.437.7788", [PHONE], ""),
    ("dotted_ssn", "SSN with dots", "SSN 478.21.5096", [SSN], ""),
    ("spaced_ssn", "SSN with spaces", "SSN 478 21 5096", [SSN], ""),
    ("bare_ssn_cue", "SSN without separators after a cue", "social security number 478215096", [SSN], ""),
    ("fullwidth_at_email", "full-width @ in an email", "mail maria.okonkwo＠stjudehealth.org", [EMAIL], ""),
    ("small_at_email", "small commercial at (U+FE6B)", "mail maria.okonkwo\ufe6bstjudehealth.org", [EMAIL], ""),
    ("zwsp_email", "zero-width space inside an email", "mail maria.okon\u200bkwo@stjudehealth.org", [EMAIL], ""),
    ("fullwidth_email", "an email in full-width letters",
     "mail ｍａｒｉａ.ｏｋｏｎｋｗｏ@ｓｔｊｕｄｅｈｅａｌｔｈ.ｏｒｇ", [EMAIL], ""),
    ("cyrillic_name", "Cyrillic о inside the surname", f"Patient {FIRST} Ok\u043enkwo was seen", [LAST], ""),
    ("cyrillic_first", "Cyrillic М and а inside the first name", "Patient \u041c\u0430ri\u0430 Okonkwo was seen",
     [FIRST, LAST], ""),
    ("unlisted_name_cue", "a name in no lexicon after Patient", f"Patient {UNLISTED} was seen", UNLISTED.split(), ""),
    ("unlisted_name_title", "a name in no lexicon after Mrs.", f"Mrs. {UNLISTED} was seen", UNLISTED.split(), ""),
    ("unlisted_name_lower", "a lower-case name in no lexicon after patient", f"patient {UNLISTED.lower()} seen",
     UNLISTED.split(), ""),
    ("unlisted_name_caps", "an ALL-CAPS name in no lexicon after PATIENT", f"PATIENT {UNLISTED.upper()} SEEN",
     UNLISTED.split(), ""),
    ("unlisted_name_label", "a name in no lexicon after Name:", f"Name: {UNLISTED}, DOB {DOB}",
     UNLISTED.split() + [DOB], ""),
    ("greek_name", "Greek omicron inside the surname", "Dr. Ok\u03bfnkw\u03bf reviewed", [LAST], ""),
    ("spelled_ssn", "SSN spelled out in words",
     "SSN four seven eight two one five zero nine six on file", [SSN], ""),
    ("spelled_ssn_dashes", "SSN spelled out with dashes",
     "social security four-seven-eight, two-one, five-zero-nine-six", [SSN], ""),
    ("spelled_phone", "phone spelled out in words",
     "call five one two four three seven seven seven eight eight", [PHONE], ""),
    ("age_over_89_words", "an age over 89 in words", "a ninety-two year old woman", ["ninety-two"], ""),
    ("age_over_89_words_caps", "an age over 89 in capital words", "NINETY SEVEN YEAR OLD MALE", ["ninety seven"], ""),
    ("age_over_89_digits", "an age over 89 in digits", "a 93 yo female", ["93 yo"], ""),
    ("lower_name", "lower-case name with a cue", f"patient {FIRST.lower()} {LAST.lower()} seen today", [FIRST, LAST],
     ""),
    ("caps_name", "ALL-CAPS name with a cue", f"PATIENT {FIRST.upper()} {LAST.upper()} SEEN TODAY", [FIRST, LAST], ""),
    ("title_no_dot_caps", "DR SURNAME in capitals", "SEEN BY DR OKONKWO AT 3PM", [LAST], ""),
    ("title_glued", "Dr.Surname with no space", "seen by Dr.Okonkwo today", [LAST], ""),
    ("relation_word", "name after a relation word", "daughter maria at bedside", [FIRST], ""),
    ("relation_word_unlisted", "a name in no lexicon after a relation word", "daughter adaeze at bedside",
     ["adaeze"], ""),
    ("lower_address", "lower-case street address", "lives at 4821 wisteria lane, springfield, il 62704",
     ["wisteria"], ""),
    ("caps_address", "ALL-CAPS street address", "LIVES AT 4821 WISTERIA LANE, SPRINGFIELD, IL 62704", ["WISTERIA"],
     ""),
    ("address_suffix_trafficway", "a rare USPS suffix", "lives at 4821 Wisteria Trafficway Apt. 7", ["Wisteria"], ""),
    ("dob_roman_month", "date with a Roman month", "DOB 15/III/1962", ["15III1962"], ""),
    ("dob_words", "date in words", "born March the 15th, 1962", ["march the 15th"], ""),
    ("dob_lower_month", "lower-case month", "dob march 15 1962", ["march 15"], ""),
    ("dob_fullwidth", "full-width date", "DOB ０３/１４/１９６２", [DOB], ""),
    ("dob_en_dash", "date with en dashes", "DOB 03\u201314\u20131962", [DOB], ""),
    ("mrn_fullwidth", "full-width MRN", "MRN ７７３０４１９", [MRN], ""),
    ("mrn_spaced", "MRN with spaces between digits", "MRN 7 7 3 0 4 1 9", [MRN], ""),
    ("ssn_mixed_scripts", "SSN mixing ASCII, full-width and Arabic-Indic digits", "SSN 4７٨-21-５0٩6", [SSN], ""),
    ("ssn_combining", "combining marks on the digits", "SSN 4\u03017\u03018-21-5096", [SSN], ""),
    ("name_combining_dots", "combining marks inside the surname", "Patient Maria Oko\u0301nkwo seen", [LAST], ""),
    ("rlo_ssn", "a right-to-left override inside the SSN", "SSN 478\u202e-21-5096", [SSN], ""),
    ("variation_selector_ssn", "variation selectors after digits", "SSN 4\ufe0f78-21-50\ufe0f96", [SSN], ""),
    ("tag_char_ssn", "an invisible tag character inside the SSN", "SSN 478\U000e0020-21-5096", [SSN], ""),
    ("circled_ssn", "circled digits", "SSN ④⑦⑧-②①-⑤⓪⑨⑥", [SSN], ""),
    ("thai_ssn", "Thai digits", "SSN ๔๗๘-๒๑-๕๐๙๖", [SSN], ""),
    ("bengali_phone", "Bengali digits in a phone", "call ৫১২-৪৩৭-৭৭৮৮", [PHONE], ""),
    ("math_bold_name", "a name in mathematical bold letters", "Patient 𝐌𝐚𝐫𝐢𝐚 𝐎𝐤𝐨𝐧𝐤𝐰𝐨 seen", [FIRST, LAST], ""),
    ("fullwidth_name", "a name in full-width letters", "Patient Ｍａｒｉａ Ｏｋｏｎｋｗｏ seen", [FIRST, LAST], ""),
    ("cyrillic_caps_name", "Cyrillic capitals inside an ALL-CAPS name", "PATIENT M\u0410RIA G\u041eNZALEZ",
     ["maria", "gonzalez"], ""),
    ("email_at_dot_brackets", "an email written with [at] and [dot]", "mail maria.okonkwo [at] stjudehealth [dot] org",
     ["maria.okonkwo"], ""),
    ("email_in_words", "an email written in words", "maria dot okonkwo at stjudehealth dot org",
     ["mariadotokonkwo"], ""),
    ("ssn_oh_for_zero", "SSN in words with 'oh' for zero", "SSN four seven eight two one five oh nine six",
     [SSN], ""),
    ("age_102_digits", "an age over 89 in digits", "aged 102", ["aged 102"], ""),
    ("age_hyphenated", "an age over 89, hyphenated", "103-year-old man", ["103"], ""),
    ("age_words_noun", "an age over 89 in words without 'year'", "a man of ninety-four", ["ninety-four"], ""),
    ("dob_short_year", "a date of birth with a two-digit year", "DOB 3/14/62", ["31462"], ""),
    ("dob_day_month_words", "day month year in words", "born 14 March 1962", ["14march1962"], ""),
    ("dob_iso", "ISO date of birth", "DOB 1962-03-14", ["19620314"], ""),
    ("dob_abbrev_apostrophe", "abbreviated month and year", "born Mar 14th '62", ["mar14th"], ""),
    ("phone_spaced_dots", "a phone with spaced dots", "call 512 . 437 . 7788", [PHONE], ""),
    ("ssn_bracketed_groups", "SSN groups in brackets", "SSN [478]-[21]-[5096]", [SSN], ""),
    ("name_last_comma_first", "Last, First with a surname in no lexicon", "Okonkwo, Maria admitted", [LAST], ""),
    ("mrn_hash", "MRN glued to #", "MRN#7730419", [MRN], ""),
    ("zip_plus4", "ZIP+4", "Springfield, IL 62704-1234", ["627041234"], ""),
    ("ip_address", "an IP address", "from 192.168.14.201", ["19216814201"], ""),
    ("url_with_mrn", "an MRN inside a URL", "see https://ehr.example.org/patients/7730419", [MRN], ""),
    ("vin", "a vehicle identification number", "VIN 1HGCM82633A004352", ["1hgcm82633a004352"], ""),
    ("card_spaced", "a card number in groups", "card 4111 1111 1111 1111", ["4111111111111111"], ""),
    ("tab_ssn", "tab separators", "SSN 478\t21\t5096", [SSN], ""),
    ("tab_separated_ssn", "tab and newline separators", "SSN 478\t21\n5096", [SSN], ""),
]


def evasions() -> None:
    for id_, attack, text, phi, xfail in EVASIONS:
        e2e = id_ in {"zwsp_ssn", "cyrillic_name", "fullwidth_at_email", "spelled_ssn"}
        case(f"ev_{id_}", "evasion", attack, chat_sse(pieces(text, 3)), SSE, phi, e2e=e2e, xfail=xfail)


# --- streaming ----------------------------------------------------------------------------------------------------
def streaming() -> None:
    f = "stream"
    for pos in range(1, len(SSN)):
        case(f"split_ssn_at_{pos}", f, f"SSN split after character {pos}",
             chat_sse([f"SSN {SSN[:pos]}", f"{SSN[pos:]} on file"]), SSE, [SSN])
    for pos in range(1, len(PHONE)):
        case(f"split_phone_at_{pos}", f, f"phone split after character {pos}",
             anthropic_sse([f"call {PHONE[:pos]}", f"{PHONE[pos:]} now"]), SSE, [PHONE])
    email_text = f"mail {EMAIL} now"
    for pos in range(5, len(email_text) - 4, 3):
        case(f"split_email_at_{pos}", f, f"email split after character {pos}",
             gemini_sse([email_text[:pos], email_text[pos:]]), SSE, [EMAIL])
    name_text = f"Patient {FIRST} {LAST} seen"
    for pos in range(8, len(name_text) - 4, 2):
        case(f"split_name_at_{pos}", f, f"name split after character {pos}",
             ollama_lines([name_text[:pos], name_text[pos:]]), NDJSON, [FIRST, LAST])
    case("one_char_events_chat", f, "1-character events (chat)", chat_sse(pieces(TEXT, 1)), SSE, ALL, e2e=True)
    case("one_char_events_anthropic", f, "1-character events (Anthropic)", anthropic_sse(pieces(TEXT, 1)), SSE, ALL)
    case("one_char_events_responses", f, "1-character events (Responses)", responses_sse(pieces(TEXT, 1)), SSE, ALL)
    case("fullwidth_one_byte_chunks", f, "full-width digits cut inside their UTF-8 bytes, 1 byte per chunk",
         [bytes([x]) for x in "".join(chat_sse(pieces("SSN ４７８-２１-５０９６ ok", 2))).encode()], SSE, [SSN])
    case("one_byte_network_chunks", f, "the whole stream in 1-byte network chunks",
         pieces("".join(chat_sse(pieces(f"SSN {SSN} phone {PHONE}", 4))), 1), SSE, [SSN, PHONE])
    case("ws_run_name", f, "600 spaces between first and last name, 1-character events",
         chat_sse(pieces(f"Patient {FIRST}" + " " * 600 + "Gonzalez seen", 1)), SSE, [FIRST, "Gonzalez"], e2e=True)
    case("ws_run_address", f, "600 spaces inside an address",
         chat_sse(pieces("4821 Wisteria" + " " * 600 + "Lane, Springfield, IL 62704", 2)), SSE, ["Wisteria"])
    case("ws_run_newlines", f, "2000 newlines between cue and SSN",
         chat_sse(pieces("SSN" + "\n" * 2000 + SSN, 7)), SSE, [SSN])
    case("long_digit_run", f, "an SSN inside a 5000-digit run",
         chat_sse(pieces("1" * 2500 + "478215096" + "1" * 2500, 50)), SSE, ["478215096"])
    case("long_digit_run_then_ssn", f, "a 3000-digit run, then an SSN",
         chat_sse(pieces("7" * 3000 + f" SSN {SSN}", 40)), SSE, [SSN])
    case("long_word_then_name", f, "a 3000-letter word, then a name",
         chat_sse(pieces("a" * 3000 + f" Patient {FIRST} {LAST}", 40)), SSE, [FIRST, LAST])
    case("zw_run_in_ssn", f, "600 zero-width spaces inside the SSN, 1-character events",
         chat_sse(pieces("SSN 478-21" + "\u200b" * 600 + "-5096", 1)), SSE, [SSN])
    case("empty_deltas", f, "empty deltas between every character",
         [x for p in pieces(f"SSN {SSN}", 1) for x in (ev(chat_chunk(p)), ev(chat_chunk("")))] + ["data: [DONE]\n\n"],
         SSE, [SSN])
    sse_body = "".join(chat_sse(pieces(TEXT, 2))).encode()
    gz = gzip.compress(sse_body, mtime=0)
    case("gzip_sse", f, "gzip content-encoding, streamed in 16-byte pieces",
         [gz[i : i + 16] for i in range(0, len(gz), 16)], SSE + [["content-encoding", "gzip"]], ALL, e2e=True)
    case("deflate_json", f, "deflate (zlib) JSON", [zlib.compress(chat_json(TEXT).encode())],
         JSONCT + [["content-encoding", "deflate"]], ALL)
    raw = zlib.compressobj(wbits=-15)
    case("deflate_raw_json", f, "raw deflate JSON", [raw.compress(chat_json(TEXT).encode()) + raw.flush()],
         JSONCT + [["content-encoding", "deflate"]], ALL)
    case("brotli_sse", f, "br content-encoding", [brotli.compress(sse_body)], SSE + [["content-encoding", "br"]],
         ALL)
    case("gzip_twice", f, "gzip, gzip", [gzip.compress(gzip.compress(sse_body, mtime=0), mtime=0)],
         SSE + [["content-encoding", "gzip, gzip"]], ALL)
    case("gzip_undeclared", f, "gzip bytes without content-encoding", [gz], SSE, ALL, expect="any")
    case("encoding_unknown", f, "an unknown content-encoding", [sse_body], SSE + [["content-encoding", "x-snappy"]],
         ALL, expect="withheld")
    case("gzip_truncated", f, "a gzip stream cut short", [gz[: len(gz) // 2]], SSE + [["content-encoding", "gzip"]],
         ALL, expect="any")


# --- second round (issue 15 item 2): families the first table lacked -----------------------------------------
def second_round() -> None:
    case("json_sibling_values_split", "structure", "an SSN cut across the string values of one object (a table row)",
         [json.dumps({"row": {"a": f"SSN {SSN[:5]}", "b": SSN[5:], "c": "ok"}})], JSONCT, [SSN])
    case("json_keys_split_three", "structure", "a phone cut across three keys of one object", [json.dumps(
        {f"call {PHONE[:4]}": 1, PHONE[4:8]: 2, f"{PHONE[8:]} now": 3})], JSONCT, [PHONE], expect="any")
    case("json_call_id_digits", "structure", "a phone packed into a streamed tool-call id", [
        ev({"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"tool_calls": [
            {"index": 0, "id": "call_5124377788", "type": "function",
             "function": {"name": "lookup", "arguments": "{}"}}]}}]}), "data: [DONE]\n\n"], SSE, ["5124377788"],
         e2e=True)
    case("json_tool_use_id_digits", "structure", "an SSN packed into an Anthropic tool_use id (base62 padded)",
         [json.dumps({"type": "message", "role": "assistant", "content": [
             {"type": "tool_use", "id": "toolu_478215096AbCdEf", "name": "lookup", "input": {}}]})], JSONCT,
         ["478215096"])
    case("json_float_ssn", "structure", "SSN digits as a float and in exponent notation",
         ['{"a": 478215096.0, "b": 4.78215096e8}'], JSONCT, ["478215096"])
    case("json_phone_number_value", "structure", "a phone as a JSON number under an unknown key",
         ['{"contact": {"value": 5124377788, "kind": "mobile"}}'], JSONCT, ["5124377788"])
    case("json_lone_surrogate", "structure", "a lone surrogate escape next to the SSN",
         ['{"content": "SSN ' + SSN + ' \\ud83d ok"}'], JSONCT, [SSN], expect="any")
    case("json_duplicate_keys_first", "structure", "duplicate keys, PHI in the first (a client may read it)",
         ['{"content": "SSN ' + SSN + '", "content": "fine"}'], JSONCT, [SSN], expect="any", dropped=True)
    case("json_very_deep", "structure", "PHI 5000 objects deep", [
        '{"a":' * 5000 + json.dumps(f"SSN {SSN}") + "}" * 5000], JSONCT, [SSN], expect="any")
    case("json_nan_sibling", "structure", "NaN and Infinity next to PHI (not JSON, accepted by lax parsers)",
         ['{"x": NaN, "y": Infinity, "content": "SSN ' + SSN + '"}'], JSONCT, [SSN], expect="any")
    case("json_html_refs_in_content", "structure", "character references inside a chat answer a UI renders",
         [chat_json("SSN &#52;&#55;&#56;-&#50;&#49;-&#53;&#48;&#57;&#54; and mail maria.okonkwo&#64;stjudehealth.org")],
         JSONCT, [SSN, EMAIL])
    case("json_html_refs_stream", "structure", "hex character references in streamed chat deltas",
         chat_sse(["call "] + [f"&#x{ord(ch):x};" if ch.isdigit() else ch for ch in PHONE] + [" now"]), SSE, [PHONE])
    case("markdown_table_cells", "structure", "an SSN split across the cells of a Markdown table",
         chat_sse(pieces("| SSN | 478 | 21 | 5096 |\n|---|---|---|---|\n", 4)), SSE, ["478215096"], e2e=True)
    b64 = base64.b64encode(f"Patient {FIRST} {LAST}, SSN {SSN}".encode()).decode()
    case("data_url_text", "structure", "PHI in a base64 data: URL inside an answer", [chat_json(
        f"open [the note](data:text/plain;base64,{b64}) now")], JSONCT, [SSN, LAST])
    case("data_url_json_urlsafe", "structure", "JSON with PHI in a URL-safe base64 data: URL under a tool result",
         [json.dumps({"jsonrpc": "2.0", "id": 4, "result": {"content": [{"type": "resource", "resource": {
             "uri": "data:application/json;charset=utf-8;base64," + base64.urlsafe_b64encode(
                 json.dumps({"mrn": MRN, "phone": PHONE}).encode()).decode()}}]}})], JSONCT, [MRN, PHONE])
    case("percent_encoded_url", "structure", "an SSN and an email percent-encoded in a link's query",
         [chat_json("see https://ehr.example.org/q?ssn=%34%37%38%2D%32%31%2D%35%30%39%36&mail=maria.okonkwo"
                    "%40stjudehealth.org")], JSONCT, [SSN, EMAIL])
    case("percent_encoded_stream", "structure", "a phone percent-encoded in a streamed link", chat_sse(pieces(
        "link: https://x.example.org/call?n=%35%31%32%2D%34%33%37%2D%37%37%38%38 ok", 4)), SSE, [PHONE])
    case("markdown_link_query", "structure", "an SSN in the query of a Markdown link",
         chat_sse(pieces(f"[chart](https://ehr.example.org/p?ssn={SSN}&name={LAST})", 6)), SSE, [SSN, LAST])
    case("markdown_code_fence", "structure", "PHI inside a code fence", chat_sse(pieces(
        f"```json\n{{\"ssn\": \"{SSN}\", \"mrn\": {MRN}}}\n```", 5)), SSE, [SSN, MRN])
    case("json_under_text_plain", "structure", "JSON with \\u escapes served as text/plain",
         ['{"content": "SSN \\u0034\\u0037\\u0038-\\u0032\\u0031-\\u0035\\u0030\\u0039\\u0036"}'],
         [["content-type", "text/plain"]], [SSN], expect="any")
    case("sse_under_json", "sse", "an event stream served as application/json", chat_sse(pieces(TEXT, 5)), JSONCT,
         ALL, expect="any")
    case("ndjson_under_sse", "sse", "NDJSON lines served as text/event-stream", ollama_lines(pieces(TEXT, 5)), SSE,
         ALL, expect="any")
    case("sse_data_no_space_split", "sse", "data: without a space, SSN split across events",
         ["data:" + json.dumps(chat_chunk(f"SSN {SSN[:6]}")) + "\r\n\r\n",
          "data:" + json.dumps(chat_chunk(SSN[6:])) + "\r\r"], SSE, [SSN])
    case("sse_utf8_split_in_char", "sse", "an event cut inside a multibyte character next to the name", [
        x for x in (lambda b: [b[:40], b[40:41], b[41:]])(ev(chat_chunk(f"é Patient {FIRST} {LAST} é")).encode())],
         SSE, [FIRST, LAST])
    evs = ["Spaced SSN 4 7 8 - 2 1 - 5 0 9 6 here", "SSN 478.21-5096 here", "SSN 478 21-5096 here",
           "SSN 478/21/5096 here", "phone 512 437-7788", "phone 512-437 7788", "SSN: 478–21–5096"]
    for i, text in enumerate(evs):
        digits = "".join(ch for ch in text if ch.isdigit())
        case(f"ev_mixed_separators_{i}", "evasion", f"mixed or spaced separators ({text[:24]})",
             chat_sse(pieces(text, 3)), SSE, [digits])
    case("tool_name_phi", "provider", "PHI in a streamed tool name", [
        ev({"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"tool_calls": [
            {"index": 0, "id": "call_abc123def456", "type": "function",
             "function": {"name": f"lookup_{LAST}_{SSN}", "arguments": "{}"}}]}}]}), "data: [DONE]\n\n"], SSE,
         [SSN, LAST], e2e=True)
    case("tool_name_digits", "provider", "an SSN and a phone glued into streamed tool names", [
        ev({"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"tool_calls": [
            {"index": j, "id": f"call_abc123def45{j}", "type": "function",
             "function": {"name": name, "arguments": "{}"}}]}}]})
        for j, name in enumerate(("lookup_478215096", "dial_5124377788"))] + ["data: [DONE]\n\n"], SSE,
         ["478215096", "5124377788"])
    case("finish_reason_phi_stream", "provider", "PHI in a streamed finish_reason and model", [
        ev({"object": "chat.completion.chunk", "model": f"{LAST}-{MRN}", "choices": [
            {"index": 0, "delta": {"content": "ok"}, "finish_reason": f"{FIRST} {LAST} {SSN}"}]}),
        "data: [DONE]\n\n"], SSE, [SSN, MRN], e2e=True)
    case("model_field_surname", "provider", "a lone surname as the model name", [
        ev({"object": "chat.completion.chunk", "model": f"{LAST}-v1", "choices": [
            {"index": 0, "delta": {"content": "ok"}}]}), "data: [DONE]\n\n"], SSE, [LAST], e2e=True)
    case("jsonrpc_batch", "provider", "a JSON-RPC batch of MCP results", [json.dumps([
        {"jsonrpc": "2.0", "id": 1, "result": {"content": [{"type": "text", "text": f"SSN {SSN}"}]}},
        {"jsonrpc": "2.0", "id": 2, "result": {"content": [{"type": "text", "text": f"{FIRST} {LAST}"}]}}])],
         JSONCT, [SSN, LAST])
    case("anthropic_error_event", "provider", "PHI in an Anthropic error event mid-stream",
         anthropic_sse(["Hello "])[:3] + [ev({"type": "error", "error": {
             "type": "overloaded_error", "message": f"chart of {FIRST} {LAST} SSN {SSN} locked"}}, "error")],
         SSE, [SSN, LAST])
    case("ollama_error_line", "provider", "PHI in an Ollama error line", [
        json.dumps({"error": f"no chart for {FIRST} {LAST}, MRN {MRN}"}) + "\n"], NDJSON, [LAST, MRN])
    case("bedrock_converse_json", "provider", "Bedrock Converse answer (not streamed)", [json.dumps(
        {"output": {"message": {"role": "assistant", "content": [{"text": TEXT}, {"toolUse": {
            "toolUseId": "tooluse_478215096", "name": "lookup", "input": {"ssn": SSN}}}]}},
         "stopReason": "end_turn", "usage": {"inputTokens": 5, "outputTokens": 9}})], JSONCT, ALL)
    case("responses_parts_done_first", "provider", "an SSN split across two Responses parts, each done first", [
        ev({"type": "response.content_part.added", "item_id": "msg_67ccd3acc8d48190a775", "output_index": 0,
            "content_index": 0, "part": {"type": "output_text", "text": ""}}, "response.content_part.added"),
        ev({"type": "response.output_text.delta", "item_id": "msg_67ccd3acc8d48190a775", "output_index": 0,
            "content_index": 0, "delta": f"call {PHONE[:7]}"}, "response.output_text.delta"),
        ev({"type": "response.output_text.done", "item_id": "msg_67ccd3acc8d48190a775", "output_index": 0,
            "content_index": 0, "text": f"call {PHONE[:7]}"}, "response.output_text.done"),
        ev({"type": "response.content_part.added", "item_id": "msg_67ccd3acc8d48190a775", "output_index": 0,
            "content_index": 1, "part": {"type": "output_text", "text": ""}}, "response.content_part.added"),
        ev({"type": "response.output_text.delta", "item_id": "msg_67ccd3acc8d48190a775", "output_index": 0,
            "content_index": 1, "delta": PHONE[7:]}, "response.output_text.delta"),
        ev({"type": "response.completed", "response": {"id": "resp_67ccd3a9da748190baa7", "status": "completed"}},
           "response.completed")], SSE, [PHONE])


    def h(id_: str, attack: str, extra: list[list[str]], phi: list[str], e2e: bool = False) -> None:
        case(id_, "headers", attack, [ev(chat_chunk("fine")), "data: [DONE]\n\n"], SSE + extra, phi, e2e=e2e)

    h("hdr_content_disposition", "PHI in a content-disposition filename",
      [["content-disposition", f'attachment; filename="{LAST}_{SSN}.pdf"']], [SSN, LAST])
    h("hdr_server_name", "a surname in server and via", [["server", f"{LAST}-ehr"], ["via", f"1.1 {LAST}"]], [LAST])
    h("hdr_location_query", "an MRN and a name in the query of location",
      [["location", f"https://ehr.example.org/chart?mrn={MRN}&patient={FIRST}+{LAST}"]], [MRN, LAST], e2e=True)
    h("hdr_set_cookie_ssn", "an SSN in a set-cookie value", [["set-cookie", f"pt={SSN}; HttpOnly"]], [SSN])
    h("hdr_x_amzn_request_id", "SSN digits in a vendor request id", [["x-amzn-requestid", f"a1b2-{SSN}"]], [SSN])
    h("hdr_warning", "PHI in a warning header", [["warning", f'199 - "{FIRST} {LAST} {PHONE}"']], [LAST, PHONE])
    sse_body = "".join(chat_sse(pieces(TEXT, 4))).encode()
    case("encoding_identity", "stream", "content-encoding: identity (plain bytes)", [sse_body],
         SSE + [["content-encoding", "identity"]], ALL, e2e=True)
    case("encoding_gzip_upper", "stream", "content-encoding: GZIP in capitals", [gzip.compress(sse_body, mtime=0)],
         SSE + [["content-encoding", "GZIP"]], ALL, expect="any")
    case("encoding_zstd", "stream", "zstd content-encoding (frame magic, not decoded by the guard)",
         [b"\x28\xb5\x2f\xfd" + sse_body], SSE + [["content-encoding", "zstd"]], ALL, expect="withheld")
    case("encoding_gzip_identity", "stream", "gzip, identity", [gzip.compress(sse_body, mtime=0)],
         SSE + [["content-encoding", "gzip, identity"]], ALL, expect="any")
    case("ws_run_tabs_ssn", "stream", "tabs and newlines padding an SSN's groups, 1-character events",
         chat_sse(pieces("SSN 478" + "\t" * 40 + "-21-" + "\n" * 40 + "5096", 1)), SSE, [SSN], expect="any")
    case("ws_run_phone_groups", "stream", "a phone's groups 300 spaces apart", chat_sse(pieces(
        "call 512" + " " * 300 + "437" + " " * 300 + "7788 now", 7)), SSE, [PHONE])


# --- third round (issue 17 red team): content-type lies, event ids across events, JSON after JSON, numbers of
# identifier length, charsets without BOM, reversed and interleaved digits, encodings stacked with charsets -----
def third_round() -> None:
    sse_body = "".join(chat_sse(pieces(TEXT, 3)))
    plain = [["content-type", "text/plain"]]
    case("sse_under_text_plain", "sse", "an event stream labelled text/plain (an SDK that asked for a stream parses "
         "it anyway)", [sse_body[i : i + 50] for i in range(0, len(sse_body), 50)], plain, ALL, e2e=True)
    case("sse_under_markdown", "sse", "Anthropic events labelled text/markdown",
         anthropic_sse(pieces(TEXT, 2)), [["content-type", "text/markdown"]], ALL)
    case("sse_under_text_plain_crlf_bom", "sse", "BOM, blank lines and CRLF before an event stream labelled text/plain",
         ["\ufeff\r\n" + "".join(chat_sse(pieces(TEXT, 4))).replace("\n", "\r\n")], plain, ALL)
    case("sse_under_text_plain_comment_first", "sse", "keep-alive comments, then an event stream labelled text/plain",
         [": keep", "-alive\n\n: ping\n\n"] + chat_sse(pieces(TEXT, 3)), plain, ALL, e2e=True)
    case("ndjson_under_text_plain", "sse", "Ollama JSON lines labelled text/plain", ollama_lines(pieces(TEXT, 3)),
         plain, ALL, e2e=True)
    case("sse_no_content_type", "sse", "an event stream with no content-type", chat_sse(pieces(TEXT, 3)), [], ALL,
         expect="any")
    case("json_no_content_type", "structure", "a JSON answer with no content-type", [chat_json(TEXT)], [], ALL,
         expect="any")
    case("sse_id_split_ssn", "sse", "an SSN cut across the id: of two events (a client's last event id)",
         [f"id: {SSN[:5]}\n" + ev(chat_chunk("a")), f"id: {SSN[5:]}\n" + ev(chat_chunk("b"))], SSE, [SSN],
         e2e=True)
    case("sse_cr_only_split", "sse", "CR-only line ends, an SSN split across events",
         [ev(chat_chunk(f"SSN {SSN[:5]}")).replace("\n", "\r"), ev(chat_chunk(SSN[5:])).replace("\n", "\r")], SSE,
         [SSN], e2e=True)
    case("sse_comment_cut_by_chunk", "sse", "a comment line cut across network chunks",
         [f": {FIRST} Oko", f"nkwo {SSN}\n\n" + ev(chat_chunk("fine"))], SSE, [SSN, LAST], dropped=True)
    case("sse_bare_field_names", "sse", "bare field names (no colon) between data lines", [
        "data\nid\nevent\n" + ev(chat_chunk(f"Patient {FIRST} {LAST} SSN {SSN}"))], SSE, [SSN, LAST])
    case("sse_retry_email", "sse", "an email as retry:", [f"retry: {EMAIL}\n" + ev(chat_chunk("x"))], SSE, [EMAIL],
         expect="any", dropped=True)
    case("sse_multiline_data_split_events", "sse", "multi-line text data: fields, the SSN across two events",
         [f"data: Patient {FIRST}\ndata: {LAST} SSN {SSN[:4]}\n\n", f"data: {SSN[4:]} ok\n\n"], SSE, [SSN, LAST],
         expect="any")
    case("json_second_document", "structure", "a second JSON document after the first",
         ['{"content": "ok"}', '{"content": "SSN ' + SSN + '"}'], JSONCT, [SSN], expect="withheld", e2e=True)
    case("json_trailing_text", "structure", "text after the JSON document", ['{"content": "ok"} SSN ' + SSN],
         JSONCT, [SSN], expect="withheld")
    case("ndjson_two_documents_one_line", "structure", "two JSON documents on one NDJSON line",
         ['{"message": {"content": "ok"}} {"message": {"content": "SSN ' + SSN + '"}}\n'], NDJSON, [SSN],
         expect="withheld")
    case("sse_two_documents_one_data", "sse", "two JSON documents in one data: field",
         ['data: {"a": "ok"}{"content": "SSN ' + SSN + '"}\n\n'], SSE, [SSN], expect="withheld")
    case("json_huge_integer", "structure", "SSN digits leading a 24-digit integer",
         ['{"a": 478215096000000000000000}'], JSONCT, ["478215096"], e2e=True)
    case("json_negative_float", "structure", "SSN digits as a negative float",
         ['{"a": -478215096.0, "b": -5124377788}'], JSONCT, ["478215096", "5124377788"])
    case("json_exponent_overflow", "structure", "a number that overflows a double next to PHI",
         ['{"a": 4.78215096e400, "content": "SSN ' + SSN + '"}'], JSONCT, [SSN], expect="any")
    case("json_5000_digit_integer", "structure", "an integer of 5000 digits holding the SSN",
         ['{"a": ' + "478215096" * 556 + "}"], JSONCT, ["478215096"], expect="any")
    case("json_duplicate_keys_stream", "structure", "duplicate content keys in one streamed delta", [
        'data: {"choices": [{"index": 0, "delta": {"content": "ok", "content": "SSN ' + SSN + '"}}]}\n\n',
        "data: [DONE]\n\n"], SSE, [SSN], expect="any")
    jbody = chat_json(TEXT)
    case("utf32be_json_no_bom", "charset", "UTF-32BE JSON without BOM", [jbody.encode("utf-32-be")],
         [["content-type", "application/json; charset=utf-32be"]], ALL)
    case("utf32le_sse_no_bom", "charset", "UTF-32LE event stream without BOM, cut every 5 bytes", [
        x for b in [sse_body.encode("utf-32-le")] for x in (b[i : i + 5] for i in range(0, len(b), 5))],
         [["content-type", "text/event-stream; charset=utf-32le"]], ALL, e2e=True)
    case("utf8_bom_json", "charset", "a UTF-8 BOM before a JSON answer", [b"\xef\xbb\xbf" + jbody.encode()], JSONCT,
         ALL)
    case("utf16le_declared_with_bom", "charset", "a BOM inside a body declared utf-16le",
         [b"\xff\xfe" + jbody.encode("utf-16-le")], [["content-type", "application/json; charset=utf-16le"]], ALL,
         expect="any")
    case("utf32_declared_utf16", "charset", "UTF-32 bytes declared utf-16", [jbody.encode("utf-32")],
         [["content-type", "application/json; charset=utf-16"]], ALL, expect="any")
    case("latin1_json_declared", "charset", "latin-1 JSON with accented prose around the PHI", [json.dumps(
        {"content": f"é {TEXT} ü"}, ensure_ascii=False).encode("latin-1")],
         [["content-type", "application/json; charset=latin-1"]], ALL)
    case("utf16_sse_under_text_plain", "charset", "a UTF-16 event stream labelled text/plain",
         [sse_body.encode("utf-16")], [["content-type", "text/plain; charset=utf-16"]], ALL)
    for id_, attack, text, phi, xfail in (
        ("reversed_ssn", "an SSN written backwards", "SSN (reversed) 6905-12-874", ["6905-12-874"], ""),
        ("reversed_ssn_no_cue", "an SSN backwards with no cue", "ref 6905-12-874 on file", ["6905-12-874"], ""),
        ("reversed_phone", "a phone backwards", "call 8877-734-215", ["8877-734-215"], ""),
        ("digits_each_spaced_phone", "a phone with every digit spaced", "call 5 1 2 - 4 3 7 - 7 7 8 8", [PHONE], ""),
        ("digits_dotted_ssn", "every digit of the SSN between dots", "SSN 4.7.8.2.1.5.0.9.6", [SSN], ""),
        ("digits_spelled_mixed", "digits and number words interleaved", "SSN 4 seven 8 two 1 five 0 nine 6", [SSN],
         ""),
        ("digits_comma_separated", "every digit of the SSN between commas", "SSN 4,7,8,2,1,5,0,9,6", [SSN], ""),
        ("digits_one_per_line", "one digit of the SSN per line", "SSN\n4\n7\n8\n2\n1\n5\n0\n9\n6", [SSN], ""),
    ):
        case(f"ev_{id_}", "evasion", attack, chat_sse(pieces(text, 3)), SSE, phi, xfail=xfail,
             e2e=id_ in ("reversed_ssn", "digits_dotted_ssn", "digits_spelled_mixed", "digits_comma_separated",
                         "digits_one_per_line"))
    case("gzip_utf16_sse", "stream", "gzip over a UTF-16 event stream, 9-byte pieces", [
        x for b in [gzip.compress(sse_body.encode("utf-16"), mtime=0)] for x in (b[i : i + 9]
                                                                              for i in range(0, len(b), 9))],
         [["content-type", "text/event-stream; charset=utf-16"], ["content-encoding", "gzip"]], ALL, e2e=True)
    case("brotli_json_e2e", "stream", "br-compressed JSON answer", [brotli.compress(jbody.encode())],
         JSONCT + [["content-encoding", "br"]], ALL, e2e=True)
    raw = zlib.compressobj(wbits=-15)
    deflated = raw.compress(sse_body.encode()) + raw.flush()
    case("deflate_raw_sse_pieces", "stream", "raw deflate event stream in 7-byte pieces",
         [deflated[i : i + 7] for i in range(0, len(deflated), 7)], SSE + [["content-encoding", "deflate"]], ALL,
         e2e=True)
    case("gzip_sse_under_text_plain", "stream", "gzip over an event stream labelled text/plain",
         [gzip.compress(sse_body.encode(), mtime=0)], plain + [["content-encoding", "gzip"]], ALL)


def fourth_round() -> None:
    """Provider stream shapes the first three rounds lacked, PHI split across keys and values, in logprobs one
    character per token, in reasoning and refusal fields, in tool arguments cut inside JSON escapes, and in
    JSON numbers."""
    p, st = "provider", "structure"
    short = f"Patient {FIRST} {LAST}, SSN {SSN}, phone {PHONE}"
    short_phi = [SSN, PHONE, LAST]

    def chat_delta(delta: dict[str, Any], extra: dict[str, Any] | None = None) -> str:
        choice: dict[str, Any] = {"index": 0, "delta": delta, **(extra or {})}
        return ev({"object": "chat.completion.chunk", "choices": [choice]})

    def responses_events(item: dict[str, Any], delta_type: str, parts: list[str], done: dict[str, Any],
                         **keys: Any) -> list[str]:
        iid = item["id"]
        return ([ev({"type": "response.output_item.added", "output_index": 0, "item": item},
                    "response.output_item.added")]
                + [ev({"type": delta_type, "item_id": iid, "output_index": 0, **keys, "delta": x}, delta_type)
                   for x in parts]
                + [ev({"type": delta_type.rsplit(".", 1)[0] + ".done", "item_id": iid, "output_index": 0, **keys,
                       **done}, delta_type.rsplit(".", 1)[0] + ".done"),
                   ev({"type": "response.completed", "response": {"id": "resp_67ccd3a9da748190baa7",
                                                                  "status": "completed"}}, "response.completed")])

    # tool arguments whose digits are JSON escapes, cut inside the escapes
    esc_args = ('{"note": "SSN \\u0034\\u0037\\u0038-\\u0032\\u0031-\\u0035\\u0030\\u0039\\u0036", '
                '"patient": "Maria \\u004fkonkwo", "phone": "\\u0035\\u0031\\u0032-437-7788"}')
    case("anthropic_tool_input_escapes", p, "input_json_delta with \\u escapes for the digits, cut inside them", [
        ev({"type": "content_block_start", "index": 0, "content_block": {
            "type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "lookup", "input": {}}},
           "content_block_start")] + [
        ev({"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": x}},
           "content_block_delta") for x in pieces(esc_args, 3)] + [
        ev({"type": "content_block_stop", "index": 0}, "content_block_stop"),
        ev({"type": "message_stop"}, "message_stop")], SSE, short_phi, e2e=True)
    case("openai_tool_args_escapes", p, "tool_calls arguments with \\u escapes split across events", [
        chat_delta({"tool_calls": [{"index": 0, "id": "call_abc123def456", "type": "function",
                                    "function": {"name": "lookup", "arguments": ""}}]})] + [
        chat_delta({"tool_calls": [{"index": 0, "function": {"arguments": x}}]}) for x in pieces(esc_args, 2)] + [
        "data: [DONE]\n\n"], SSE, short_phi, e2e=True)
    case("openai_function_call_legacy_stream", p, "legacy delta.function_call arguments split across events", [
        chat_delta({"function_call": {"name": "lookup", "arguments": ""}})] + [
        chat_delta({"function_call": {"arguments": x}}) for x in pieces(json.dumps({"note": short}), 2)] + [
        "data: [DONE]\n\n"], SSE, short_phi)
    case("openai_audio_transcript", p, "delta.audio.transcript of an audio answer, 3 characters each", [
        chat_delta({"audio": {"id": "audio_abc123", "transcript": x}}) for x in pieces(short, 3)] + [
        "data: [DONE]\n\n"], SSE, short_phi)
    num_args = '{"mrn": 7730419, "ssn": 478215096, "phone": 5124377788, "dose_mg": 5}'
    case("openai_tool_args_numbers", p, "identifiers as JSON numbers in streamed tool arguments, 1 character each", [
        chat_delta({"tool_calls": [{"index": 0, "id": "call_abc123def456", "type": "function",
                                    "function": {"name": "lookup", "arguments": x}}]}) for x in pieces(num_args, 1)]
         + ["data: [DONE]\n\n"], SSE, [MRN, "478215096", "5124377788"], e2e=True)
    case("json_phi_key_numbers", st, "an MRN, SSN and phone as JSON numbers under the keys that name them",
         [json.dumps({"patient": {"mrn": 7730419, "ssn": 478215096, "phone": 5124377788, "age": 44}})], JSONCT,
         [MRN, "478215096", "5124377788"])
    case("generic_event_number", st, "an MRN as a number in an unknown event shape, streamed",
         [ev({"record": {"mrn": 7730419, "seq": i}}) for i in range(2)], SSE, [MRN])
    case("delta_extra_number", p, "an SSN as a number beside the chat delta", [
        chat_delta({"content": "ok", "patient_ssn": 478215096}), "data: [DONE]\n\n"], SSE, ["478215096"])
    case("json_key_value_split", st, "a surname and an SSN split between a key and its value", [json.dumps(
        {"result": {FIRST: LAST, SSN[:6]: SSN[6:]}})], JSONCT, [SSN, LAST], e2e=True)
    case("stream_key_value_split", st, "an SSN split between a key and its value in streamed events", [
        ev({"rows": {SSN[:5]: SSN[5:]}}), ev({"rows": {"x": "y"}})], SSE, [SSN], e2e=True)
    # logprobs: the answer one character per token; and logprobs as the only carrier
    chars = list(short)
    case("logprobs_one_char_tokens", p, "content and logprobs tokens one character each", [
        chat_delta({"content": c}, {"logprobs": {"content": [{"token": c, "logprob": -0.1, "bytes": list(c.encode()),
                                                               "top_logprobs": []}]}}) for c in chars]
         + ["data: [DONE]\n\n"], SSE, short_phi, e2e=True)
    case("logprobs_only_carrier", p, "benign content, the SSN spelled by top_logprobs alternatives", [
        chat_delta({"content": "ok"}, {"logprobs": {"content": [{"token": "ok", "logprob": -0.1, "top_logprobs": [
            {"token": c, "logprob": -2.0}]}]}}) for c in f"SSN {SSN}"] + ["data: [DONE]\n\n"], SSE, [SSN],
         dropped=True)
    case("responses_logprobs", p, "Responses output_text deltas with logprobs, 1 character each", responses_events(
        {"id": "msg_67ccd3acc8d48190a77525dc", "type": "message", "role": "assistant", "content": []},
        "response.output_text.delta", chars, {"text": short}, content_index=0)[:-2]
         + [ev({"type": "response.output_text.delta", "item_id": "msg_67ccd3acc8d48190a77525dc", "output_index": 0,
                "content_index": 0, "delta": "", "logprobs": [{"token": c, "logprob": -0.1, "top_logprobs": []}]},
               "response.output_text.delta") for c in chars], SSE, short_phi)
    # reasoning and refusal fields of several APIs
    case("openai_delta_reasoning", p, "delta.reasoning (vLLM, OpenRouter), 2 characters each",
         chat_sse(pieces(short, 2), "reasoning"), SSE, short_phi, e2e=True)
    case("openrouter_reasoning_details", p, "delta.reasoning_details text entries, 3 characters each", [
        chat_delta({"reasoning_details": [{"type": "reasoning.text", "text": x, "format": "unknown", "index": 0}]})
        for x in pieces(short, 3)] + ["data: [DONE]\n\n"], SSE, short_phi)
    case("deepseek_reasoning_then_content", p, "reasoning_content ends in half an SSN, content carries the rest", [
        chat_delta({"reasoning_content": f"check SSN {SSN[:6]}"}), chat_delta({"content": f"{SSN[6:]} done"}),
        "data: [DONE]\n\n"], SSE, [SSN], expect="any", e2e=True)
    rs = {"id": "rs_67ccd3acc8d48190a77525dc", "type": "reasoning", "summary": []}
    case("responses_reasoning_summary", p, "Responses reasoning_summary_text deltas", responses_events(
        rs, "response.reasoning_summary_text.delta", pieces(short, 2), {"text": short}, summary_index=0), SSE,
         short_phi, e2e=True)
    case("responses_reasoning_text", p, "Responses reasoning_text deltas", responses_events(
        rs, "response.reasoning_text.delta", pieces(short, 3), {"text": short}, content_index=0), SSE, short_phi)
    case("responses_refusal", p, "Responses refusal deltas", responses_events(
        {"id": "msg_67ccd3acc8d48190a77525dc", "type": "message", "role": "assistant", "content": []},
        "response.refusal.delta", pieces(short, 2), {"refusal": short}, content_index=0), SSE, short_phi)
    args = json.dumps({"patient": f"{FIRST} {LAST}", "ssn": SSN, "phone": PHONE})
    case("responses_custom_tool_input", p, "Responses custom_tool_call_input deltas", responses_events(
        {"id": "ctc_67ccd3acc8d48190a77525dc", "type": "custom_tool_call", "call_id": "call_abc123def456",
         "name": "lookup", "input": ""}, "response.custom_tool_call_input.delta", pieces(short, 2),
        {"input": short}), SSE, short_phi)
    case("responses_mcp_call_arguments", p, "Responses mcp_call_arguments deltas", responses_events(
        {"id": "mcp_67ccd3acc8d48190a77525dc", "type": "mcp_call", "name": "lookup", "server_label": "ehr",
         "arguments": ""}, "response.mcp_call_arguments.delta", pieces(args, 2), {"arguments": args}), SSE,
         short_phi)
    case("responses_code_interpreter_code", p, "Responses code_interpreter_call_code deltas", responses_events(
        {"id": "ci_67ccd3acc8d48190a77525dc", "type": "code_interpreter_call", "code": ""},
        "response.code_interpreter_call_code.delta", pieces(f"ssn = '{SSN}'  # {FIRST} {LAST}", 2),
        {"code": f"ssn = '{SSN}'"}), SSE, [SSN, LAST])
    # Gemini
    case("gemini_thought_parts", p, "Gemini thought parts, 2 characters each", [ev(
        {"candidates": [{"content": {"parts": [{"text": x, "thought": True}], "role": "model"}, "index": 0}]})
        for x in pieces(short, 2)] + [ev({"candidates": [{"content": {"parts": [{"text": "ok"}], "role": "model"},
                                                         "finishReason": "STOP", "index": 0}]})], SSE, short_phi)
    case("gemini_two_candidates", p, "two Gemini candidates interleaved, each carrying its own SSN halves", [ev(
        {"candidates": [{"content": {"parts": [{"text": x}], "role": "model"}, "index": i}]})
        for x in pieces(f"SSN {SSN} ok", 3) for i in (0, 1)], SSE, [SSN], e2e=True)
    case("gemini_executable_code", p, "Gemini executableCode and codeExecutionResult parts", [ev(
        {"candidates": [{"content": {"parts": [
            {"executableCode": {"language": "PYTHON", "code": f"print('{FIRST} {LAST}', '{SSN}')"}},
            {"codeExecutionResult": {"outcome": "OUTCOME_OK", "output": f"{FIRST} {LAST} {PHONE}"}}],
            "role": "model"}, "index": 0}]})], SSE, short_phi)
    # other providers' stream shapes
    case("bedrock_converse_stream_json", p, "Bedrock ConverseStream events as JSON (a proxy's SSE)", [
        ev({"messageStart": {"role": "assistant"}})] + [
        ev({"contentBlockDelta": {"delta": {"text": x}, "contentBlockIndex": 0}}) for x in pieces(short, 2)] + [
        ev({"contentBlockStart": {"start": {"toolUse": {"toolUseId": "tooluse_abc", "name": "lookup"}},
                                  "contentBlockIndex": 1}})] + [
        ev({"contentBlockDelta": {"delta": {"toolUse": {"input": x}}, "contentBlockIndex": 1}})
        for x in pieces(args, 2)] + [ev({"messageStop": {"stopReason": "end_turn"}})], SSE, short_phi, e2e=True)
    case("cohere_v1_ndjson", p, "Cohere v1 chat stream (NDJSON text-generation events)", [
        json.dumps({"is_finished": False, "event_type": "text-generation", "text": x}) + "\n"
        for x in pieces(short, 2)] + [json.dumps({"is_finished": True, "event_type": "stream-end"}) + "\n"],
         NDJSON, short_phi)
    case("cohere_v2_tool_call_delta", p, "Cohere v2 tool-call-delta arguments, 2 characters each", [
        ev({"type": "tool-call-delta", "index": 0, "delta": {"message": {"tool_calls": {"function": {
            "arguments": x}}}}}, "tool-call-delta") for x in pieces(args, 2)] + [
        ev({"type": "message-end"}, "message-end")], SSE, short_phi)
    case("mistral_content_chunks", p, "Mistral deltas whose content is a list of text and thinking chunks", [
        chat_delta({"content": [{"type": "thinking", "thinking": [{"type": "text", "text": x}]}]})
        for x in pieces(short, 3)] + [
        chat_delta({"content": [{"type": "text", "text": x}]}) for x in pieces(short, 3)] + ["data: [DONE]\n\n"],
         SSE, short_phi)
    case("ollama_thinking", p, "Ollama message.thinking, 2 characters each", [
        json.dumps({"model": "qwen3", "message": {"role": "assistant", "content": "", "thinking": x}, "done": False})
        + "\n" for x in pieces(short, 2)] + [
        json.dumps({"model": "qwen3", "message": {"role": "assistant", "content": "ok"}, "done": True}) + "\n"],
         NDJSON, short_phi, e2e=True)
    case("tgi_token_stream", p, "Hugging Face TGI token events, 1 character each", [
        ev({"index": i, "token": {"id": i, "text": c, "logprob": -0.1, "special": False}, "generated_text": None})
        for i, c in enumerate(chars)], SSE, short_phi)
    case("gemini_partial_args", p, "Gemini functionCall partialArgs string values streamed across events", [ev(
        {"candidates": [{"content": {"parts": [{"functionCall": {"name": "lookup", "partialArgs": [
            {"jsonPath": "$.note", "stringValue": x}], "willContinue": True}}], "role": "model"}, "index": 0}]})
        for x in pieces(short, 3)], SSE, short_phi)
    case("anthropic_unknown_delta", p, "an Anthropic content_block_delta of an unknown delta type, streamed", [
        ev({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
           "content_block_start")] + [
        ev({"type": "content_block_delta", "index": 0, "delta": {"type": "note_delta", "note": x}},
           "content_block_delta") for x in pieces(short, 3)] + [
        ev({"type": "content_block_stop", "index": 0}, "content_block_stop"),
        ev({"type": "message_stop"}, "message_stop")], SSE, short_phi)
    case("responses_unknown_delta_field", p, "a Responses delta event carrying its text under another key", [
        ev({"type": "response.output_text.delta", "item_id": "msg_67ccd3acc8d48190a77525dc", "output_index": 0,
            "content_index": 0, "delta": "", "obfuscation": x}, "response.output_text.delta")
        for x in pieces(short, 3)], SSE, short_phi, e2e=True, dropped=True)
    case("llamacpp_completion_stream", p, "llama.cpp /completion content events, 2 characters each", [
        ev({"content": x, "stop": False, "id_slot": 0}) for x in pieces(short, 2)] + [
        ev({"content": "", "stop": True})], SSE, short_phi)


def fifth_round() -> None:
    """The three channel leaks of the fourth round closed by class, and their siblings: a finding across a
    switch between the text channels of one choice / message / candidate, a key read with its streamed value,
    text under an unknown key of a known event type."""
    p, st = "provider", "structure"

    def chat_delta(delta: dict[str, Any]) -> str:
        return ev({"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": delta}]})

    def anth_block(i: int, kind: str, parts: list[str]) -> list[str]:
        delta_type = {"text": "text_delta", "thinking": "thinking_delta"}[kind]
        return ([ev({"type": "content_block_start", "index": i, "content_block": {"type": kind, kind: ""}},
                    "content_block_start")]
                + [ev({"type": "content_block_delta", "index": i, "delta": {"type": delta_type, kind: x}},
                      "content_block_delta") for x in parts]
                + [ev({"type": "content_block_stop", "index": i}, "content_block_stop")])

    def gem(part: dict[str, Any], finish: bool = False) -> str:
        cand: dict[str, Any] = {"content": {"parts": [part], "role": "model"}, "index": 0}
        if finish:
            cand["finishReason"] = "STOP"
        return ev({"candidates": [cand]})

    def ollama(message: dict[str, Any], done: bool = False) -> str:
        return json.dumps({"model": "qwen3", "message": {"role": "assistant", "content": "", **message},
                           "done": done}) + "\n"

    # a finding across a switch between the channels of one choice (reasoning -> content -> tool arguments)
    case("vllm_reasoning_then_content", p, "delta.reasoning ends in half a phone number, content has the rest", [
        chat_delta({"reasoning": f"call {PHONE[:6]}"}), chat_delta({"content": f"{PHONE[6:]} now"}),
        "data: [DONE]\n\n"], SSE, [PHONE], e2e=True)
    case("reasoning_then_content_one_char", p, "reasoning_content 1 character each ends in half an SSN", [
        chat_delta({"reasoning_content": c}) for c in f"SSN {SSN[:6]}"] + [
        chat_delta({"content": c}) for c in f"{SSN[6:]} ok"] + ["data: [DONE]\n\n"], SSE, [SSN])
    case("content_then_tool_arguments", p, "content ends in half an SSN, the tool arguments carry the rest", [
        chat_delta({"content": f"filing SSN {SSN[:6]}"}),
        chat_delta({"tool_calls": [{"index": 0, "id": "call_abc123def456", "type": "function",
                                    "function": {"name": "lookup", "arguments": ""}}]}),
        chat_delta({"tool_calls": [{"index": 0, "function": {"arguments": f"{SSN[6:]} {{}}"}}]}),
        "data: [DONE]\n\n"], SSE, [SSN], e2e=True)
    case("refusal_then_content", p, "delta.refusal ends in half a phone number, content has the rest", [
        chat_delta({"refusal": f"cannot call {PHONE[:7]}"}), chat_delta({"content": f"{PHONE[7:]}"}),
        "data: [DONE]\n\n"], SSE, [PHONE])
    case("anthropic_thinking_then_text", p, "a thinking block ends in half an SSN, the text block has the rest",
         anth_block(0, "thinking", [f"check SSN {SSN[:3]}", SSN[3:6]]) + anth_block(1, "text", [SSN[6:8],
                                                                                             f"{SSN[8:]} done"])
         + [ev({"type": "message_stop"}, "message_stop")], SSE, [SSN], e2e=True)
    case("anthropic_text_then_thinking", p, "a text block ends in half a phone number, a thinking block the rest",
         anth_block(0, "text", [f"phone {PHONE[:7]}"]) + anth_block(1, "thinking", [PHONE[7:]])
         + [ev({"type": "message_stop"}, "message_stop")], SSE, [PHONE])
    case("gemini_thought_then_text", p, "a Gemini thought part ends in half an SSN, a text part has the rest", [
        gem({"text": f"SSN {SSN[:6]}", "thought": True}), gem({"text": f"{SSN[6:]} ok"}),
        gem({"text": ""}, finish=True)], SSE, [SSN], e2e=True)
    case("ollama_thinking_then_content", p, "Ollama message.thinking ends in half an SSN, content has the rest", [
        ollama({"thinking": f"SSN {SSN[:5]}"}), ollama({"content": f"{SSN[5:]} ok"}), ollama({}, done=True)],
         NDJSON, [SSN])
    # a key read with its streamed value
    case("stream_key_value_name", st, "a first name as a key, the surname its streamed value", [
        ev({"rows": {FIRST: f"{LAST} was admitted"}}), ev({"rows": {"x": "y"}})], SSE, [LAST])
    case("stream_key_value_pieces", st, "half an SSN as a key, the rest its value in two later pieces", [
        ev({"rows": {SSN[:6]: SSN[6:8]}}), ev({"rows": {SSN[:6]: f"{SSN[8:]} ok"}})], SSE, [SSN], e2e=True)
    case("stream_key_value_phone", st, "a phone number split between a key and its value, in a nested list", [
        ev({"data": [{"contact": {PHONE[:5]: PHONE[5:]}}]}), ev({"data": [{"contact": {"y": "z"}}]})], SSE,
         [PHONE])
    case("anthropic_unknown_delta_key_value", p, "an unknown Anthropic delta whose key holds half an SSN", [
        ev({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
           "content_block_start"),
        ev({"type": "content_block_delta", "index": 0, "delta": {"type": "note_delta", SSN[:4]: SSN[4:]}},
           "content_block_delta"),
        ev({"type": "content_block_stop", "index": 0}, "content_block_stop"),
        ev({"type": "message_stop"}, "message_stop")], SSE, [SSN])
    # text under an unknown key of a known event type
    item = "msg_67ccd3acc8d48190a77525dc"
    short = f"Patient {FIRST} {LAST}, SSN {SSN}, phone {PHONE}"
    short_phi = [SSN, PHONE, LAST]
    case("responses_summary_unknown_field", p, "Responses reasoning summary deltas carrying text under another key",
         [ev({"type": "response.reasoning_summary_text.delta", "item_id": "rs_67ccd3acc8d48190a77525dc",
              "output_index": 0, "summary_index": 0, "delta": "", "note": x}, "response.reasoning_summary_text.delta")
          for x in pieces(short, 2)] + [
             ev({"type": "response.completed", "response": {"id": "resp_67ccd3a9da748190baa7",
                                                            "status": "completed"}}, "response.completed")],
         SSE, short_phi)
    case("responses_unknown_nested_field", p, "Responses output_text deltas with text nested under another key", [
        ev({"type": "response.output_text.delta", "item_id": item, "output_index": 0, "content_index": 0,
            "delta": "ok ", "extra": {"notes": [x]}}, "response.output_text.delta") for x in pieces(short, 3)],
         SSE, short_phi, e2e=True)
    case("anthropic_text_delta_extra_field", p, "Anthropic text deltas carrying text under another key", [
        ev({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
           "content_block_start")] + [
        ev({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "", "aside": x}},
           "content_block_delta") for x in pieces(short, 3)] + [
        ev({"type": "content_block_stop", "index": 0}, "content_block_stop"),
        ev({"type": "message_stop"}, "message_stop")], SSE, short_phi)
    case("gemini_part_unknown_field", p, "Gemini parts carrying text under another key, 3 characters each", [
        gem({"text": "", "aside": x}) for x in pieces(short, 3)] + [gem({"text": "ok"}, finish=True)], SSE,
         short_phi, e2e=True)


def sixth_round() -> None:
    """Words released before later words made them part of a finding (found by streaming the corpora one
    character at a time): a word still being written read by its first letters, and a right-hand name rule
    whose cue comes six words later. Streamed one character per event, as the corpus notes had them."""
    for id_, attack, text, phi in (
        ("stream_facility_word_being_written", "a lower-case facility name whose last word arrives letter by "
         "letter", "presented to lakeside regional medical center ed after a fall at home.", ["lakeside"]),
        ("stream_name_by_later_report_cue", "a first name made a name by 'took report' five words later",
         "ciwa scale 12. eamon from ashcroft 2 took report. skin intact.", ["eamon"]),
    ):
        case(id_, "stream", attack, chat_sse(pieces(text, 1)), SSE, phi, e2e=True)


def seventh_round() -> None:
    """Round seven: identifiers carried in base64 that is text under any label (bare values of the providers'
    media fields, data: URLs with a declared charset or UTF-16), newer provider and MCP shapes, markup a
    renderer decodes, and framings that mix."""
    f, pr, sse = "evasion", "provider", "sse"
    short = f"Patient {FIRST} {LAST}, SSN {SSN}, phone {PHONE}"
    sp = [SSN, PHONE, LAST]

    def b64(text: str, codec: str = "utf-8") -> str:
        return base64.b64encode(text.encode(codec)).decode()

    def chat_msg(content: Any, **extra: Any) -> str:
        return json.dumps({"id": "chatcmpl-RtQwErTyUiOp", "object": "chat.completion", "model": "echo",
                           "choices": [{"index": 0, "message": {"role": "assistant", "content": content, **extra},
                                        "finish_reason": "stop"}]})

    def chat_delta(delta: dict[str, Any]) -> str:
        return ev({"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": delta}]})

    # base64 that is text: bare, under the providers' media keys, whatever the label
    case("b64_gemini_inline_text", f, "Gemini inlineData text/plain whose base64 is the note", [json.dumps(
        {"candidates": [{"content": {"role": "model", "parts": [{"inlineData": {"mimeType": "text/plain",
                                                                                "data": b64(short)}}]},
                         "index": 0}]})], JSONCT, sp, e2e=True)
    case("b64_gemini_inline_png_label", f, "Gemini inlineData labelled image/png whose bytes are UTF-16 text",
         [ev({"candidates": [{"content": {"role": "model", "parts": [
             {"inlineData": {"mimeType": "image/png", "data": b64(short, "utf-16")}}]}, "index": 0}]})], SSE, sp)
    case("b64_openai_audio_data", f, "chat message.audio.data (wav label) that is base64 UTF-8 text",
         [chat_msg("ok", audio={"id": "audio_abc123", "data": b64(short), "transcript": "ok"})], JSONCT, sp,
         e2e=True)
    case("b64_image_b64_json", f, "images b64_json that is base64 text, without padding", [json.dumps(
        {"created": 1700000000, "data": [{"b64_json": b64(short).rstrip("=")}]})], JSONCT, sp)
    case("b64_mcp_resource_blob", f, "MCP embedded resource blob (text/plain) over SSE", [ev(
        {"jsonrpc": "2.0", "id": 3, "result": {"content": [{"type": "resource", "resource": {
            "uri": "file:///notes/n1.txt", "mimeType": "text/plain", "blob": b64(short)}}]}}, "message")], SSE, sp,
         e2e=True)
    case("b64_utf16le_no_bom", f, "a bare base64 value of UTF-16LE text without a BOM, MIME line breaks",
         [chat_msg([{"type": "file", "file": {"file_data": "\n".join(pieces(b64(short, "utf-16-le"), 76))}}])],
         JSONCT, sp)
    case("b64_tool_call_id", f, "a tool call id whose base64 is the note", [chat_msg(None, tool_calls=[
        {"id": b64(short), "type": "function", "function": {"name": "lookup", "arguments": "{}"}}])], JSONCT, sp)
    case("data_url_charset_utf16", f, "a data: URL declaring charset=utf-16", [chat_msg(
        f"see data:text/plain;charset=utf-16;base64,{b64(short, 'utf-16')}")], JSONCT, sp, e2e=True)
    case("data_url_charset_latin1", f, "a data: URL declaring iso-8859-1 (an accented name: no UTF-8)",
         [chat_msg(f"see data:text/plain;charset=iso-8859-1;base64,"
                   f"{base64.b64encode(('José ' + short).encode('latin-1')).decode()}")], JSONCT, sp)
    case("data_url_svg", f, "an SVG data: URL whose text element is the note, streamed", chat_sse(pieces(
        f"![x](data:image/svg+xml;base64,{b64('<svg><text>' + short + '</text></svg>')})", 7)), SSE, sp, e2e=True)
    # newer provider and MCP shapes
    case("mcp_batch_json", pr, "a JSON-RPC batch answer (tools/call results) as JSON", [json.dumps([
        {"jsonrpc": "2.0", "id": 1, "result": {"content": [{"type": "text", "text": short}]}},
        {"jsonrpc": "2.0", "id": 2, "result": {"structuredContent": {"note": short}, "content": []}}])], JSONCT,
         sp, e2e=True)
    case("mcp_resource_link", pr, "an MCP resource_link whose name, title and uri carry identifiers", [ev(
        {"jsonrpc": "2.0", "id": 4, "result": {"content": [{"type": "resource_link", "uri": f"file:///p/{SSN}.txt",
                                                             "name": f"{FIRST} {LAST}", "title": short}]}},
        "message")], SSE, sp)
    case("mcp_elicitation_request", pr, "a server-to-client elicitation/create request carrying the note", [ev(
        {"jsonrpc": "2.0", "id": 9, "method": "elicitation/create", "params": {
            "message": short, "requestedSchema": {"type": "object", "properties": {
                "ssn": {"type": "string", "default": SSN}}}}}, "message")], SSE, sp)
    case("mcp_progress_notification", pr, "notifications/progress messages carrying the note in pieces", [ev(
        {"jsonrpc": "2.0", "method": "notifications/progress", "params": {
            "progressToken": "t1", "progress": i, "message": x}}, "message")
        for i, x in enumerate(pieces(short, 5))], SSE, sp)
    case("responses_audio_transcript", pr, "Responses output_audio_transcript deltas, 3 characters each", [
        ev({"type": "response.output_audio_transcript.delta", "item_id": "msg_67cc", "output_index": 0,
            "content_index": 0, "delta": x}, "response.output_audio_transcript.delta") for x in pieces(short, 3)],
         SSE, sp)
    case("responses_annotation_added", pr, "Responses output_text.annotation.added with a url_citation title", [
        ev({"type": "response.output_text.annotation.added", "item_id": "msg_67cc", "output_index": 0,
            "content_index": 0, "annotation_index": 0, "annotation": {
                "type": "url_citation", "url": f"https://ehr.example.org/p?ssn={SSN}", "title": short}},
           "response.output_text.annotation.added")], SSE, sp)
    case("chat_audio_transcript_deltas", pr, "chat delta.audio.transcript, 2 characters each", [
        chat_delta({"audio": {"id": "audio_abc", "transcript": x}}) for x in pieces(short, 2)]
         + ["data: [DONE]\n\n"], SSE, sp, e2e=True)
    case("anthropic_citations_delta", pr, "Anthropic citations_delta whose cited_text holds the note", [
        ev({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
           "content_block_start"),
        ev({"type": "content_block_delta", "index": 0, "delta": {"type": "citations_delta", "citation": {
            "type": "char_location", "cited_text": short, "document_index": 0, "document_title": "Discharge summary",
            "start_char_index": 0, "end_char_index": 40}}}, "content_block_delta"),
        ev({"type": "content_block_stop", "index": 0}, "content_block_stop"),
        ev({"type": "message_stop"}, "message_stop")], SSE, sp)
    case("anthropic_web_search_result", pr, "an Anthropic web_search_tool_result block with page titles", [
        ev({"type": "content_block_start", "index": 1, "content_block": {
            "type": "web_search_tool_result", "tool_use_id": "srvtoolu_01", "content": [
                {"type": "web_search_result", "url": f"https://ehr.example.org/{SSN}", "title": short,
                 "encrypted_content": "EqgfCioIARgBIiQ3YTAwMjY1Mi1mZjM5", "page_age": None}]}},
           "content_block_start"),
        ev({"type": "content_block_stop", "index": 1}, "content_block_stop"),
        ev({"type": "message_stop"}, "message_stop")], SSE, sp)
    case("gemini_code_execution_result", pr, "Gemini codeExecutionResult output in 4-character pieces", [
        ev({"candidates": [{"content": {"role": "model", "parts": [
            {"codeExecutionResult": {"outcome": "OUTCOME_OK", "output": x}}]}, "index": 0}]})
        for x in pieces(short, 4)], SSE, sp)
    # markup a renderer decodes
    case("html_named_entities", f, "named character references (&commat; &period; &hyphen;) in an email and SSN",
         [chat_msg(f"mail maria&period;okonkwo&commat;stjudehealth&period;org, SSN "
                   f"{SSN.replace('-', '&hyphen;')}")], JSONCT, [EMAIL, SSN], e2e=True)
    case("html_numeric_entities_streamed", f, "every character of an SSN as &#NN; streamed 2 at a time",
         chat_sse(pieces("SSN " + "".join(f"&#{ord(c)};" for c in SSN) + " ok", 2)), SSE, [SSN])
    case("nested_json_twice", f, "JSON in a string in a string in a JSON answer", [chat_msg(json.dumps(
        {"doc": json.dumps({"note": short})}))], JSONCT, sp)
    case("percent_encoded_note", f, "an identifier percent-encoded in a link's text", [chat_msg(
        "open https://x.example/?q=" + short.replace(" ", "%20").replace("-", "%2D"))], JSONCT, sp)
    spaced = " ".join(pieces(b64(short), 3))
    case("data_url_spaced_in_html", f, "an HTML img src data: URL whose base64 has spaces (browsers strip them)",
         [chat_msg(f'<img src="data:text/plain;base64,{spaced}">')], JSONCT, sp)
    case("data_url_pct_encoded_b64", f, "a data: URL whose base64 has its + / = percent-encoded",
         [chat_msg("see data:text/plain;base64," + b64("?>?>?>" + short + "??>").replace("+", "%2B")
                   .replace("/", "%2F").replace("=", "%3D"))], JSONCT, sp)
    case("data_url_in_text_body", f, "a base64 data: URL in a text/plain answer", [
        f"see data:text/plain;base64,{b64(short)} ok"], [["content-type", "text/plain"]], sp, e2e=True)
    case("b64_text_as_key", f, "a JSON key that is the note in base64", [json.dumps({"rows": {b64(short): 1}})],
         JSONCT, sp)
    case("xml_answer", f, "an application/xml answer", [f"<note><ssn>{SSN}</ssn><p>{short}</p></note>"],
         [["content-type", "application/xml"]], sp, expect="any")
    case("multipart_mixed_answer", f, "a multipart/mixed answer with a text part", [
        f"--b1\r\ncontent-type: text/plain\r\n\r\n{short}\r\n--b1--\r\n"],
         [["content-type", "multipart/mixed; boundary=b1"]], sp, expect="any")
    case("tel_mailto_links", f, "tel: and mailto: links (digits without separators, a percent-encoded @)",
         [chat_msg(f"[call](tel:+1{PHONE.replace('-', '')}) [mail](mailto:{EMAIL.replace('@', '%40')})")], JSONCT,
         [PHONE, EMAIL])
    # framings that mix
    case("ndjson_lines_in_sse", sse, "bare JSON lines between SSE events (a client reading lines)", [
        chat_delta({"content": "ok "}), json.dumps({"content": short}) + "\n", chat_delta({"content": "done"}),
        "data: [DONE]\n\n"], SSE, sp, dropped=True)


def eighth_round() -> None:
    """Round eight: escapes and markup a client decodes (JavaScript, CSS, ``%u``, quoted-printable, Markdown
    escapes, emphasis and comments inside a number), schema numbers that are identifiers, text split across
    content parts (blocks, parts, items), and classes that held (kept as cases)."""
    f, st, pr = "evasion", "structure", "provider"
    html_ct, md_ct, text_ct = [["content-type", "text/html"]], [["content-type", "text/markdown"]], [
        ["content-type", "text/plain"]]
    ssn_digits, phone_digits = SSN.replace("-", ""), PHONE.replace("-", "")

    def esc(text: str, form: str) -> str:
        return "".join(form.format(ord(c)) if c.isdigit() else c for c in text)

    bs = chr(92)  # a backslash (f-string expressions may not hold one)
    js_x, js_cp, css, css6 = esc(SSN, bs + "x{:02x}"), esc(SSN, bs + "u{{{:x}}}"), esc(SSN, bs + "{:x} "), esc(
        PHONE, bs + "{:06x}")

    # escapes a program or a renderer decodes
    case("js_hex_escapes_html", f, "an SSN as JavaScript \\x escapes in a <script> of an HTML answer",
         [f'<script>var s = "SSN {js_x}";</script>'], html_ct, [SSN], e2e=True)
    case("js_codepoint_escapes_markdown", f, "JavaScript \\u{{..}} escapes in a Markdown code block",
         [f'```js\nconst s = "SSN {js_cp}";\n```'], md_ct, [SSN])
    case("js_hex_escapes_chat", f, "JavaScript \\x escapes inside a chat answer's HTML",
         [chat_json(f"<script>s='SSN {js_x}'</script>")], JSONCT, [SSN])
    case("js_hex_escapes_streamed", f, "JavaScript \\x escapes streamed 3 characters at a time",
         chat_sse(pieces(f"<script>s='SSN {js_x}'</script>", 3)), SSE, [SSN], e2e=True)
    case("css_content_escapes_html", f, "a CSS content: string of escapes closed by spaces",
         [f'<style>.p::after{{content:"SSN {css}"}}</style>'], html_ct, [SSN])
    case("css_escapes_chat", f, "CSS escapes of six digits inside a chat answer",
         [chat_json(f'<style>.x:after{{content:"phone {css6}"}}</style>')], JSONCT,
         [PHONE])
    case("pct_u_escapes", f, "JavaScript unescape() %u escapes of every digit",
         [chat_json("SSN " + esc(SSN, "%u{:04x}"))], JSONCT, [SSN])
    case("quoted_printable_text", f, "quoted-printable escapes of the digits in a text answer",
         ["SSN " + esc(SSN, "={:02X}") + " noted"], text_ct, [SSN])
    case("quoted_printable_soft_break", f, "a quoted-printable soft line break inside an SSN, streamed",
         pieces(f"SSN {SSN[:6]}=\n{SSN[6:]} noted", 4), text_ct, [SSN])
    case("markdown_backslash_escapes", f, "Markdown backslash escapes of the dashes",
         [chat_json("SSN " + SSN.replace("-", "\\-"))], JSONCT, [SSN])
    case("markdown_emphasis_in_number", f, "bold and italic markers between the digits",
         [chat_json("SSN 4**7**8-_21_-5096 and phone " + PHONE.replace("-", "*-*"))], JSONCT, [SSN, PHONE])
    case("markdown_code_spans_streamed", f, "each digit group a code span, streamed 2 at a time",
         chat_sse(pieces("SSN " + "-".join(f"`{g}`" for g in SSN.split("-")), 2)), SSE, [SSN], e2e=True)
    case("markdown_strike_in_number", f, "a strike-through group inside an SSN", [chat_json(
        "SSN " + SSN.replace("-21-", "-~~21~~-"))], JSONCT, [SSN])
    case("html_comment_in_number", f, "an empty HTML comment between digit groups of a chat answer",
         [chat_json(f"SSN {SSN[:3]}<!---->{SSN[3:]}, MRN {MRN[:3]}<!-- -->{MRN[3:]}")], JSONCT, [SSN, MRN])
    # schema numbers that are identifiers
    case("schema_number_seed", st, "an SSN as the answer's seed", [json.dumps(
        {**json.loads(chat_json("Done.")), "seed": int(ssn_digits)})], JSONCT, [SSN], e2e=True)
    case("schema_number_choice_index", st, "an SSN as a choice index", [json.dumps(
        {"object": "chat.completion", "choices": [{"index": int(ssn_digits), "message": {
            "role": "assistant", "content": "ok"}, "finish_reason": "stop"}]})], JSONCT, [SSN])
    case("schema_number_usage", st, "an MRN as a token count", [json.dumps(
        {**json.loads(chat_json("Done.")), "usage": {"prompt_tokens": int(MRN), "completion_tokens": 2,
                                                      "total_tokens": int(MRN) + 2}})], JSONCT, [MRN])
    case("schema_number_created_phone", st, "a phone as the created timestamp", [json.dumps(
        {**json.loads(chat_json("Done.")), "created": int(phone_digits)})], JSONCT, [PHONE])
    case("schema_number_ollama_duration", pr, "a phone as Ollama's total_duration", [json.dumps(
        {"model": "llama3", "message": {"role": "assistant", "content": "ok"}, "done": True,
         "total_duration": int(phone_digits), "eval_count": int(MRN)}) + "\n"], NDJSON, [PHONE, MRN])
    case("schema_number_sequence_number", pr, "an SSN as a Responses event's sequence_number", [ev(
        {"type": "response.output_text.delta", "item_id": "msg_67cc", "output_index": 0, "content_index": 0,
         "sequence_number": int(ssn_digits), "delta": "ok"}, "response.output_text.delta")], SSE, [SSN])
    # text split across content parts a client joins
    case("parts_anthropic_blocks", pr, "an SSN split across two Anthropic text blocks (JSON)", [json.dumps(
        {"id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message", "role": "assistant", "model": "echo",
         "content": [{"type": "text", "text": f"SSN {SSN[:7]}"}, {"type": "text", "text": f"{SSN[7:]} on file"}],
         "stop_reason": "end_turn"})], JSONCT, [SSN], e2e=True)
    case("parts_gemini", pr, "a phone split across Gemini parts (JSON)", [json.dumps(
        {"candidates": [{"content": {"role": "model", "parts": [{"text": f"call {PHONE[:5]}"},
                                                                {"text": PHONE[5:]}]}, "finishReason": "STOP",
                         "index": 0}]})], JSONCT, [PHONE])
    case("parts_responses_items", pr, "an SSN split across two Responses output items", [json.dumps(
        {"id": "resp_67ccd3a9da748190baa7", "object": "response", "status": "completed", "output": [
            {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": f"SSN {SSN[:4]}"}]},
            {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": SSN[4:]}]}]})],
         JSONCT, [SSN])
    case("parts_mcp_content", pr, "an SSN across three MCP text content items", [json.dumps(
        {"jsonrpc": "2.0", "id": 1, "result": {"content": [{"type": "text", "text": f"SSN {SSN[:3]}"},
                                                           {"type": "text", "text": SSN[3:7]},
                                                           {"type": "text", "text": SSN[7:]}]}})], JSONCT, [SSN])
    # held already: kept as cases of classes the table lacked
    case("punycode_email_domain", f, "an email whose domain is punycode", [chat_json(
        f"write to {EMAIL.split('@')[0]}@xn--stjudehealth-9db.org")], JSONCT, [EMAIL.split("@")[0]])
    case("circled_digits", f, "an SSN in circled digits", [chat_json(
        "SSN " + "".join(chr(0x245F + int(c)) if c != "0" and c.isdigit() else "\u24ea" if c == "0" else c
                         for c in SSN))], JSONCT, [SSN])
    case("date_dotted_and_month_name", f, "dates written 14.03.1962 and 14-MAR-1962", [chat_json(
        "DOB 14.03.1962 (14-MAR-1962)")], JSONCT, ["14031962", "14mar1962"])
    case("markdown_reference_mailto", f, "an email in a Markdown reference link definition",
         [f"See [chart][1].\n\n[1]: mailto:{EMAIL}"], md_ct, [EMAIL])
    case("sse_utf16_charset", "charset", "an event stream declared and sent as UTF-16",
         ["".join(chat_sse([f"SSN {SSN}"])).encode("utf-16")], [["content-type", "text/event-stream; charset=utf-16"]],
         [SSN])
    case("text_javascript_answer", f, "a text/javascript answer", [f'var s = "SSN {SSN}";'],
         [["content-type", "text/javascript"]], [SSN], expect="withheld")
    # leaks left (strict xfails)
    case("number_thousands_separators", f, "an SSN and an MRN written with thousands separators",
         [chat_json(f"SSN {int(ssn_digits):,}, MRN {int(MRN):,}")], JSONCT, [SSN, MRN])
    case("number_scientific_notation", f, "a phone written in scientific notation", [chat_json(
        f"call {phone_digits[0]}.{phone_digits[1:]}e9")], JSONCT, [PHONE])
    case("split_across_nested_keys", st, "an SSN split across an object key and the key nested under it",
         [json.dumps({"result": {f"SSN {SSN[:3]}": {SSN[3:]: True}}})], JSONCT, [SSN],
         xfail="keys are read joined only among siblings")
    case("vertical_markdown_table", f, "one digit group per table row", [
        f"| SSN |\n|---|\n| {SSN[:3]} |\n| {SSN[4:6]} |\n| {SSN[7:]} |"], md_ct, [SSN],
         xfail="table rows (one group per line between borders) are not read as one value")
    case("sse_json_string_data", "sse", "each event's data a JSON string, an SSN split across two",
         ['data: "SSN ' + SSN[:7] + '"\n\n', 'data: "' + SSN[7:] + '"\n\n'], SSE, [SSN])


def ninth_round() -> None:
    """Round nine: letters written for digits, MIME encoded words and hex text, CSV cells, ISO week and
    apostrophe-year dates, Unicode forms (tag characters, keycaps, parenthesised digits, control characters),
    escapes encoded twice, event data that is a JSON string, interleaved Anthropic blocks; and new stream shapes
    of the providers that held (kept as cases)."""
    f, st, pr, sse = "evasion", "structure", "provider", "sse"
    html_ct, csv_ct = [["content-type", "text/html"]], [["content-type", "text/csv"]]
    look = {"0": "O", "1": "l", "5": "S", "8": "B"}

    def lookalike(value: str, every: int = 2) -> str:  # every other replaceable digit as its look-alike letter
        out, n = [], 0
        for c in value:
            if c in look:
                n += 1
                out.append(look[c] if n % every == 0 else c)
            else:
                out.append(c)
        return "".join(out)

    ssn_l, phone_l, mrn_l, dob_l = lookalike(SSN), lookalike(PHONE), lookalike(MRN), lookalike(DOB, 1)
    case("lookalike_ssn", f, "an SSN with letters for digits (l for 1, O for 0, S for 5, B for 8)",
         [chat_json(f"SSN {ssn_l} on file")], JSONCT, [ssn_l], e2e=True)
    case("lookalike_phone_mrn", f, "a phone and an MRN with letters for digits",
         [chat_json(f"call {phone_l}, MRN {mrn_l}")], JSONCT, [phone_l, mrn_l])
    case("lookalike_dob", f, "a date of birth with letters for every look-alike digit",
         [chat_json(f"DOB {dob_l}")], JSONCT, [dob_l])
    case("lookalike_streamed", f, "letters for digits, streamed 3 characters at a time",
         chat_sse(pieces(f"SSN {ssn_l} on file", 3)), SSE, [ssn_l], e2e=True)
    case("lookalike_greek_omicron", f, "a Greek capital omicron for a zero in an SSN",
         [chat_json("SSN " + SSN.replace("0", "\u039f"))], JSONCT, [SSN.replace("0", "o")])
    word = base64.b64encode(SSN.encode()).decode()
    case("rfc2047_base64_word", f, "an SSN as a MIME encoded word in base64 (=?UTF-8?B?...?=)",
         [chat_json(f"ref =?UTF-8?B?{word}?= noted")], JSONCT, [SSN], e2e=True)
    case("rfc2047_q_word", f, "an SSN as a MIME encoded word in quoted-printable (=?utf-8?Q?...?=)",
         [chat_json("ref =?utf-8?Q?SSN_" + SSN.replace("-", "=2D") + "?= noted")], JSONCT, [SSN])
    case("rfc2047_utf16_word", f, "an encoded word whose charset is UTF-16LE",
         [chat_json("=?UTF-16LE?B?" + base64.b64encode(f"SSN {SSN}".encode("utf-16-le")).decode() + "?=")],
         JSONCT, [SSN])
    case("rfc2047_adjacent_words", f, "an SSN split across two adjacent encoded words (shown joined)", [chat_json(
        "=?utf-8?B?" + base64.b64encode(f"SSN {SSN[:6]}".encode()).decode() + "?= =?utf-8?B?"
        + base64.b64encode(SSN[6:].encode()).decode() + "?=")], JSONCT, [SSN])
    case("rfc2047_word_streamed", f, "an encoded word streamed 4 characters at a time",
         chat_sse(pieces(f"ref =?UTF-8?B?{word}?= noted", 4)), SSE, [SSN])
    case("hex_encoded_text", f, "the text 'SSN ...' as hex digits", [chat_json(
        "blob " + f"SSN {SSN}".encode().hex())], JSONCT, [SSN])
    case("csv_cells_ssn", f, "an SSN's groups as three cells of a CSV row", [
        f"name,a,b,c\r\n{LAST},{SSN.replace('-', ',')}\r\n"], csv_ct, [SSN], e2e=True)
    case("csv_quoted_cells", f, "an SSN and a phone as quoted CSV cells in a chat answer", [chat_json(
        '"' + '","'.join([LAST, *SSN.split("-")]) + '"\n"' + '";"'.join(PHONE.split("-")) + '"')], JSONCT,
         [SSN, PHONE])
    case("csv_cells_dob", f, "a date of birth as year, month and day cells", [chat_json(
        f"{LAST},1962,03,14,F")], JSONCT, ["19620314"])
    case("iso_week_date", f, "a date as an ISO week date (1962-W11-3, 1962W113)", [chat_json(
        "DOB 1962-W11-3 (1962W113)")], JSONCT, ["1962W113"])
    case("apostrophe_year_dates", f, "dates with an apostrophe year: 3/14/'62 and '62-03-14", [chat_json(
        "DOB 3/14/'62, seen '62-03-14")], JSONCT, ["31462", "620314"])
    case("iso_basic_datetime", f, "a date-time in ISO basic format (19620314T0830)", [chat_json(
        "admitted 19620314T0830Z")], JSONCT, ["19620314"])
    tags = "".join(chr(0xE0000 + ord(c)) for c in f"SSN {SSN}")
    case("tag_character_smuggling", f, "an SSN in invisible tag characters after ordinary text", [chat_json(
        "All done." + tags)], JSONCT, [SSN], e2e=True)
    case("keycap_digits", f, "digits as keycaps (digit, VS16, combining enclosing keycap)", [chat_json(
        "SSN " + "".join(c + "\ufe0f\u20e3" if c.isdigit() else c for c in SSN))], JSONCT, [SSN])
    case("parenthesized_digits", f, "digits as parenthesised digits (U+2474..)", [chat_json(
        "SSN " + "".join(chr(0x2473 + int(c)) if c in "123456789" else c for c in SSN))], JSONCT, [SSN])
    case("control_characters_in_number", f, "NUL and escape characters between the groups of an SSN",
         [chat_json(f"SSN {SSN[:3]}\x00-{SSN[4:6]}\x1b-{SSN[7:]}")], JSONCT, [SSN])
    case("entities_encoded_twice", f, "character references encoded twice (&amp;#52;) in HTML",
         ["SSN " + "".join(f"&amp;#{ord(c)};" if c.isdigit() else c for c in SSN)], html_ct, [SSN])
    case("percent_encoded_twice", f, "percent-escapes encoded twice (%2534) in a link", [chat_json(
        "see /p?ssn=" + "".join(f"%25{ord(c):02X}" for c in SSN))], JSONCT, [SSN])
    case("python_long_unicode_escapes", f, "Python \\U00000034 escapes of the digits", [chat_json(
        "SSN " + "".join(f"\\U{ord(c):08x}" if c.isdigit() else c for c in SSN))], JSONCT, [SSN])
    case("sse_json_string_streamed", sse, "JSON string data events, 2 characters each", [
        f"data: {json.dumps(p)}\n\n" for p in pieces(f"SSN {SSN} ok", 2)], SSE, [SSN], e2e=True)
    blocks = [{"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
              {"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}},
              {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": f"SSN {SSN[:4]}"}},
              {"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": "see "}},
              {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": SSN[4:]}}]
    case("anthropic_interleaved_blocks", pr, "two Anthropic text blocks interleaved, an SSN split in block 0",
         [ev(b, b["type"]) for b in blocks], SSE, [SSN], expect="withheld", e2e=True)
    case("chat_text_after_finish", sse, "a choice's text goes on after its finish_reason", [
        ev({"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": f"SSN {SSN[:6]}"},
                                                             "finish_reason": "stop"}]}),
        ev(chat_chunk(SSN[6:])), "data: [DONE]\n\n"], SSE, [SSN])
    case("card_all_letter_groups", f, "a card number whose groups are all letters (4lll llll ...)", [chat_json(
        "card 4lll llll llll llll")], JSONCT, ["4lll llll llll llll"],
         xfail="a group without a digit is never read as digits (ISO, SOS, Ill stay words)")
    # held already: kept as cases of classes the table lacked
    resp = [{"type": "response.custom_tool_call_input.delta", "item_id": "ctc_1", "output_index": 0, "delta": p}
            for p in pieces(f"lookup SSN {SSN}", 4)]
    case("responses_custom_tool_input_r9", pr, "a Responses custom tool call's input deltas",
         [ev(r, r["type"]) for r in resp], SSE, [SSN])
    case("bedrock_converse_events_sse", pr, "Bedrock Converse stream events as SSE (contentBlockDelta)", [
        ev({"contentBlockDelta": {"contentBlockIndex": 0, "delta": {"text": p}}}) for p in pieces(
            f"SSN {SSN}", 3)], SSE, [SSN])
    case("bedrock_eventstream_binary", pr, "AWS event-stream binary framing (application/vnd.amazon.eventstream)",
         [b"\x00\x00\x00\x5a\x00\x00\x00\x30" + json.dumps(
             {"contentBlockDelta": {"delta": {"text": f"SSN {SSN}"}}}).encode()],
         [["content-type", "application/vnd.amazon.eventstream"]], [SSN], expect="withheld")
    case("cohere_v2_content_delta", pr, "Cohere v2 content-delta events", [ev(
        {"type": "content-delta", "index": 0, "delta": {"message": {"content": {"text": p}}}}) for p in pieces(
            f"SSN {SSN}", 3)], SSE, [SSN])
    case("anthropic_citation_delta", pr, "an Anthropic citations_delta whose cited_text holds an SSN", [ev(
        {"type": "content_block_delta", "index": 0, "delta": {"type": "citations_delta", "citation": {
            "type": "char_location", "cited_text": f"SSN {SSN}", "document_index": 0}}}, "content_block_delta")],
         SSE, [SSN])
    case("gemini_grounding_metadata", pr, "Gemini grounding metadata (queries, chunk titles) with an SSN", [ev(
        {"candidates": [{"content": {"role": "model", "parts": [{"text": "ok"}]}, "index": 0, "groundingMetadata": {
            "webSearchQueries": [f"SSN {SSN}"], "groundingChunks": [{"web": {"title": SSN}}]}}]})], SSE, [SSN])
    case("sse_cr_only_one_byte", sse, "an event stream with CR line ends, one byte per chunk",
         list("".join(chat_sse([f"SSN {SSN}"])).replace("\n", "\r")), SSE, [SSN])
    case("json_number_exponent", st, "an SSN as a JSON number written with an exponent", [
        '{"object":"chat.completion","choices":[],"seed":' + SSN.replace("-", "")[0] + "." +
        SSN.replace("-", "")[1:] + "e8}"], JSONCT, [SSN])
    case("mcp_progress_split", pr, "an SSN split across MCP progress notification messages", [ev(
        {"jsonrpc": "2.0", "method": "notifications/progress", "params": {"progressToken": 1, "progress": i,
                                                                         "message": p}})
        for i, p in enumerate(pieces(f"SSN {SSN}", 4))], SSE, [SSN])


def tenth_round() -> None:  # noqa: PLR0915 - one case per line, grouped by class
    """Round ten: text after a channel's close marker or after ``[DONE]``, JSON arrays of small numbers, SSN and
    card groups joined by any keyboard punctuation, string concatenation in code, one digit per list item,
    citations and grounding metadata split across events; the classes that still leak (strict xfails); and new
    classes that held (kept as cases)."""
    f, st, pr, sse, sm = "evasion", "structure", "provider", "sse", "stream"
    digits = SSN.replace("-", "")

    def chunk(text: str, finish: str | None = None, index: int = 0, key: str = "content") -> dict[str, Any]:
        return {"object": "chat.completion.chunk", "choices": [{"index": index, "delta": {key: text},
                                                                 "finish_reason": finish}]}

    def gem(text: str, finish: str | None = None, index: int = 0, **extra: Any) -> dict[str, Any]:
        cand: dict[str, Any] = {"index": index, "content": {"role": "model", "parts": [{"text": text}]}, **extra}
        if finish:
            cand["finishReason"] = finish
        return {"candidates": [cand]}

    # text after a close marker (fixed)
    case("chat_text_after_finish_length", sm, "an SSN split across a choice's finish_reason 'length'", [
        ev(chunk(f"SSN {SSN[:6]}", "length")), ev(chunk(SSN[6:])), "data: [DONE]\n\n"], SSE, [SSN])
    case("chat_text_after_done_marker", sse, "an SSN whose end comes after data: [DONE]", [
        ev(chunk(f"SSN {SSN[:6]}")), "data: [DONE]\n\n", ev(chunk(SSN[6:]))], SSE, [SSN], e2e=True)
    case("gemini_text_after_finish_reason", pr, "a Gemini candidate's text goes on after its finishReason", [
        ev(gem(f"SSN {SSN[:6]}", "STOP")), ev(gem(SSN[6:]))], SSE, [SSN])
    case("ollama_text_after_done", pr, "an Ollama answer goes on after a line with done: true", [
        json.dumps({"model": "llama3", "created_at": "2024-03-01T10:00:00Z", "message": {
            "role": "assistant", "content": t}, "done": d}) + "\n" for t, d in ((f"SSN {SSN[:6]}", True),
                                                                                (SSN[6:], False))], NDJSON, [SSN])
    # JSON arrays of small numbers (fixed)
    case("json_number_array_groups", st, "an SSN as a JSON array of its three groups [478, 21, 5096]", [
        json.dumps({"object": "chat.completion", "choices": [], "result": [int(g) for g in SSN.split("-")]})],
         JSONCT, [SSN], e2e=True)
    case("json_number_array_digits", st, "an SSN as a JSON array of single digits", [
        json.dumps({"digits": [int(c) for c in digits]})], JSONCT, [SSN])
    case("json_number_array_glued", st, "an SSN as numbers with dash strings between them", [
        json.dumps({"v": [478, "-", 21, "-", 5096]})], JSONCT, [SSN])
    case("json_number_array_card", st, "a card number as four numbers", [
        json.dumps({"v": [4111, 1111, 1111, 1111]})], JSONCT, ["4111111111111111"])
    case("json_number_array_dob", st, "a date of birth as [year, month, day]", [
        json.dumps({"dob_parts": [1962, 3, 14]})], JSONCT, ["1962314"])
    case("gemini_function_args_number_array", pr, "Gemini functionCall args holding an SSN as a number array", [
        ev({"candidates": [{"index": 0, "content": {"parts": [{"functionCall": {"name": "f", "args": {
            "a": [478, 21, 5096]}}}]}}]})], SSE, [SSN])
    case("mcp_structured_number_array", pr, "an MCP tool result's structuredContent with a number array", [
        json.dumps({"jsonrpc": "2.0", "id": 1, "result": {"structuredContent": {"ids": [478, 21, 5096]}}})],
         JSONCT, [SSN])
    # SSN and card groups joined by any punctuation (fixed)
    for name, sep in (("plus", "+"), ("colon", ":"), ("apostrophe", "'"), ("slash", "/"), ("at", "@"),
                      ("caret", "^"), ("bullet", "\u2022"), ("middle_dot", "\u00b7")):
        case(f"ssn_separator_{name}", f, f"an SSN whose groups are joined by {sep!r}",
             chat_sse(pieces(f"ref {SSN.replace('-', sep)} ok", 3)), SSE, [SSN], e2e=name == "plus")
    for name, sep in (("dots", "."), ("underscores", "_"), ("bullets", "\u2022")):
        card = sep.join(["4111", "1111", "1111", "1111"])
        case(f"card_separator_{name}", f, f"a card number whose groups are joined by {sep!r}",
             [chat_json(f"card {card}")], JSONCT, [card])
    # string concatenation in code (fixed)
    case("concat_plus_strings", f, "an SSN built by string concatenation in code", [chat_json(
        'x = "478" + "-21-" + "5096"')], JSONCT, [SSN], e2e=True)
    case("concat_single_digits", f, "an SSN concatenated digit by digit", chat_sse(pieces(
        "s = " + "+".join(f"'{c}'" for c in digits), 4)), SSE, [SSN])
    case("concat_php_dot", f, "PHP string concatenation with .", [chat_json("$s = '478' . '-21-' . '5096';")],
         JSONCT, [SSN])
    case("concat_sql_pipes", f, "SQL string concatenation with ||", [chat_json(
        "SELECT '478' || '-21-' || '5096'")], JSONCT, [SSN])
    # one digit per list item (fixed)
    case("digits_per_list_item", f, "an SSN one digit per Markdown list item", [chat_json(
        "\n".join(f"- {c}" for c in digits))], JSONCT, [SSN])
    case("digits_per_star_item_streamed", f, "an SSN one digit per '*' list item, streamed", chat_sse(pieces(
        "SSN:\n" + "\n".join(f"* {c}" for c in digits), 2)), SSE, [SSN])
    # citations and grounding metadata split across events (fixed)
    case("anthropic_citations_split", pr, "an SSN split across two citations_delta events", [ev(
        {"type": "content_block_delta", "index": 0, "delta": {"type": "citations_delta", "citation": {
            "type": "char_location", "cited_text": p, "document_index": 0}}}, "content_block_delta")
        for p in (f"SSN {SSN[:6]}", SSN[6:])], SSE, [SSN])
    case("gemini_grounding_split", pr, "an SSN split across grounding chunk titles of two events", [
        ev(gem("ok", groundingMetadata={"groundingChunks": [{"web": {"title": p}}]}))
        for p in (f"SSN {SSN[:6]}", SSN[6:])], SSE, [SSN])
    case("gemini_grounding_supports_split", pr, "an SSN split across grounding support segments", [
        ev({"candidates": [{"index": 0, "groundingMetadata": {"groundingSupports": [{"segment": {"text": p}}]}}]})
        for p in (f"SSN {SSN[:6]}", SSN[6:])], SSE, [SSN])
    case("responses_annotations_split", pr, "an SSN split across two url_citation annotation events", [ev(
        {"type": "response.output_text.annotation.added", "item_id": "msg_67ccd3acc8d48190a77525dc",
         "output_index": 0, "content_index": 0, "annotation_index": i, "annotation": {
             "type": "url_citation", "title": p, "url": "https://example.org/"}},
        "response.output_text.annotation.added") for i, p in enumerate((f"SSN {SSN[:6]}", SSN[6:]))], SSE, [SSN],
         e2e=True)
    # held already: new classes kept as cases
    case("ssn_digit_words_oh", f, "an SSN read aloud with 'oh' for zero", [chat_json(
        "the number is four seven eight two one five oh nine six")], JSONCT, [SSN])
    case("card_digit_words", f, "a card number spelled out in words, no label", chat_sse(pieces(" ".join(
        ["four"] + ["one"] * 15), 5)), SSE, ["4111111111111111"])
    case("mistral_content_chunks_split", pr, "Mistral content chunks (a list of text parts) split an SSN", [ev(
        {"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": [
            {"type": "text", "text": p}]}}]}) for p in (f"SSN {SSN[:6]}", SSN[6:])], SSE, [SSN])
    case("cohere_v1_ndjson_split", pr, "Cohere v1 text-generation events as JSON lines", [json.dumps(
        {"event_type": "text-generation", "text": p}) + "\n" for p in (f"SSN {SSN[:6]}", SSN[6:])], NDJSON, [SSN])
    case("json_number_decimal_ssn", st, "an SSN as a decimal number 478.215096", [
        '{"object":"chat.completion","choices":[],"v":478.215096}'], JSONCT, [SSN])
    # left in round 10 (strict xfails then); all but the split across choices fixed in round 11
    case("anthropic_text_after_message_stop", pr, "a text delta after the block and message stops", [
        *anthropic_sse([f"SSN {SSN[:6]}"]), ev({"type": "content_block_delta", "index": 0, "delta": {
            "type": "text_delta", "text": SSN[6:]}}, "content_block_delta")], SSE, [SSN])
    case("responses_text_after_done", pr, "a Responses delta after its part's output_text.done", [
        ev({"type": "response.output_text.delta", "item_id": "msg_1", "output_index": 0, "content_index": 0,
            "delta": p}) if p else ev({"type": "response.output_text.done", "item_id": "msg_1", "output_index": 0,
                                       "content_index": 0, "text": "x"}) for p in (f"SSN {SSN[:6]}", "", SSN[6:])],
         SSE, [SSN])
    case("json_array_in_text", f, "an SSN as a JSON array written in the answer's text", [chat_json(
        "the values are [478, 21, 5096]")], JSONCT, [SSN])
    case("python_join_list", f, "an SSN as a Python list of strings joined in code", [chat_json(
        "''.join(['478', '21', '5096'])")], JSONCT, [SSN])
    case("ssn_separator_percent", f, "an SSN whose groups are joined by '%' (read as percent-escapes)", [chat_json(
        "id 478%21%5096")], JSONCT, [SSN])
    case("ssn_split_across_choices", sse, "an SSN split across two choices of one chunk stream", [
        ev(chunk(f"SSN {SSN[:6]}")), ev(chunk(SSN[6:], index=1)), "data: [DONE]\n\n"], SSE, [SSN])
    case("name_letters_spaced", f, "a surname with a space between its letters, after a cue", [chat_json(
        f"Patient {FIRST} {' '.join(LAST)}")], JSONCT, [LAST])
    case("dob_digit_words_slashes", f, "a date of birth spelled digit by digit with slashes", [chat_json(
        "date of birth: zero three / one four / one nine six two")], JSONCT, [DOB])


def eleventh_round() -> None:  # noqa: PLR0915 - one case per line, grouped by class
    r"""Round eleven: text after an Anthropic message_stop or a Responses part's .done, SSN / phone / card groups
    as list items in text, escapes after a digit that would hide digits (``%``, ``=``, ``\``), spaced separators
    and arrows, an underscore gluing a word to a number, a ZIP code spelled after its cue, digit words between
    slashes; the classes that still leak (strict xfails); and new classes that held (kept as cases)."""
    f, st, pr = "evasion", "structure", "provider"
    digits = SSN.replace("-", "")
    zip_ = "62704"
    item = "msg_67ccd3acc8d48190a77525dc"

    def anth(*objs: dict[str, Any]) -> list[str]:
        return [ev(o, str(o["type"])) for o in objs]

    def tdelta(text: str, index: int = 0) -> dict[str, Any]:
        return {"type": "content_block_delta", "index": index, "delta": {"type": "text_delta", "text": text}}

    def rdelta(text: str, t: str = "response.output_text.delta") -> dict[str, Any]:
        return {"type": t, "item_id": item, "output_index": 0, "content_index": 0, "delta": text}

    head = anthropic_sse([])[:2]
    stops = [ev({"type": "content_block_stop", "index": 0}, "content_block_stop"),
             ev({"type": "message_delta", "delta": {"stop_reason": "end_turn"}}, "message_delta"),
             ev({"type": "message_stop"}, "message_stop")]
    done = {"type": "response.output_text.done", "item_id": item, "output_index": 0, "content_index": 0, "text": "x"}
    # text after the message's end or a part's .done (fixed)
    case("anthropic_block_after_message_stop", pr, "an SSN whose end comes in a new text block after message_stop", [
        *head, *anth(tdelta(f"SSN {SSN[:6]}")), *stops, *anth(
            {"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}},
            tdelta(SSN[6:], 1))], SSE, [SSN], e2e=True)
    case("anthropic_delta_new_index_after_message_stop", pr, "a text delta of an unseen block after message_stop", [
        *head, *anth(tdelta(f"SSN {SSN[:6]}")), *stops, *anth(tdelta(SSN[6:], 5))], SSE, [SSN])
    case("responses_delta_after_done_and_completed", pr, "a Responses delta after .done and response.completed", [
        *anth(rdelta(f"SSN {SSN[:4]}"), done, {"type": "response.completed", "response": {}},
              rdelta(SSN[4:]))], SSE, [SSN], e2e=True)
    case("responses_arguments_after_done", pr, "function-call arguments that go on after arguments.done", [
        *anth(rdelta('{"s": "' + SSN[:6], "response.function_call_arguments.delta"),
              {"type": "response.function_call_arguments.done", "item_id": item, "output_index": 0,
               "arguments": "{}"}, rdelta(SSN[6:] + '"}', "response.function_call_arguments.delta"))], SSE, [SSN])
    # SSN, phone and card groups as list items in text (fixed)
    for name, text in (("bracketed", "SSN parts: [478, 21, 5096]"), ("python_tuple", "ssn = ('478', '21', '5096')"),
                       ("quoted", 'ssn = ["478", "21", "5096"]'), ("plain", "the parts 478, 21, 5096 in order"),
                       ("semicolons", "478; 21; 5096"), ("spaced_brackets", "array [ 478 , 21 , 5096 ]")):
        case(f"list_items_{name}", f, f"an SSN as list items in text: {text!r}", [chat_json(text)], JSONCT, [SSN],
             e2e=name == "bracketed")
    case("list_items_streamed", f, "a Python list of an SSN's groups, streamed 3 characters at a time", chat_sse(
        pieces('ssn = ["478", "21", "5096"]', 3)), SSE, [SSN])
    case("list_items_phone", f, "a phone number as list items", [chat_json("call [512, 437, 7788]")], JSONCT,
         [PHONE])
    case("list_items_card", f, "a card number as list items", [chat_json("card [4111, 1111, 1111, 1111]")], JSONCT,
         ["4111111111111111"])
    # escapes after a digit that would hide digits, spaced separators and arrows (fixed)
    for name, sep in (("equals", "="), ("backslash", "\\"), ("spaced_equals", " = "), ("spaced_percent", " % "),
                      ("spaced_backslash", " \\ "), ("arrow", "\u2192")):
        case(f"ssn_separator_{name}", f, f"an SSN whose groups are joined by {sep!r}", [chat_json(
            f"id {SSN.replace('-', sep)}")], JSONCT, [SSN])
    for name, sep in (("equals", "="), ("percent", "%"), ("backslash", "\\")):
        case(f"phone_separator_{name}", f, f"a phone number whose groups are joined by {sep!r}", [chat_json(
            f"call {PHONE.replace('-', sep)}")], JSONCT, [PHONE])
    # an underscore gluing a word to a number (fixed)
    case("snake_case_ssn", f, "an SSN glued to a name in code (SSN_478215096)", [chat_json(
        f"const SSN_{digits} = 1;")], JSONCT, [SSN], e2e=True)
    case("json_key_glued_number", st, "an SSN glued to a word in a JSON key", [json.dumps(
        {"object": "chat.completion", "choices": [], "meta": {f"patient_{digits}": 1}})], JSONCT, [SSN])
    # a ZIP code spelled after its cue, digit words between slashes (fixed)
    for name, text in (("dashed", "zip 6-2-7-0-4"), ("list", "ZIP [627, 04]"),
                       ("words", "zip code six two seven zero four")):
        case(f"zip_spelled_{name}", f, f"a ZIP code written a digit or group at a time: {text!r}", [chat_json(
            f"lives in Springfield, {text}")], JSONCT, [zip_], e2e=name == "words")
    case("ssn_digit_words_slashes", f, "an SSN in digit words with slashes between groups", [chat_json(
        "SSN four seven eight / two one / five zero nine six")], JSONCT, [SSN])
    # held already: new classes kept as cases
    case("ssn_keycap_emoji", f, "an SSN in keycap emoji digits", [chat_json(
        "SSN " + "-".join("".join(c + "\ufe0f\u20e3" for c in g) for g in SSN.split("-")))], JSONCT, [SSN])
    case("ssn_thai_digits", f, "an SSN in Thai digits", [chat_json(
        "SSN " + SSN.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")))], JSONCT, [SSN])
    case("anthropic_thinking_split", pr, "an SSN split across two thinking_delta events", [*anth(
        {"type": "content_block_start", "index": 0, "content_block": {"type": "thinking", "thinking": ""}},
        *({"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": p}}
          for p in (f"SSN {SSN[:5]}", SSN[5:])), {"type": "content_block_stop", "index": 0})], SSE, [SSN])
    case("bedrock_converse_tool_input_split", pr, "Bedrock Converse toolUse input split across events", [ev(
        {"contentBlockDelta": {"delta": {"toolUse": {"input": p}}, "contentBlockIndex": 0}})
        for p in ('{"s":"' + SSN[:5], SSN[5:] + '"}')], SSE, [SSN])
    case("ollama_text_after_done_line", pr, "an Ollama answer whose text goes on after a done line", [json.dumps(
        {"model": "llama3", "message": {"role": "assistant", "content": t}, "done": d}) + "\n"
        for t, d in ((f"SSN {SSN[:6]}", False), ("", True), (SSN[6:], False))], NDJSON, [SSN])
    case("html_attribute_ssn", st, "an SSN in an HTML attribute with dash references", [
        f'<div title="{SSN}" data-x="{SSN.replace("-", "&#45;")}">x</div>'], [["content-type", "text/html"]], [SSN])
    # left (strict xfails)
    case("gemini_function_args_split", pr, "Gemini functionCall args whose value is split across two events", [
        ev({"candidates": [{"content": {"parts": [{"functionCall": {"name": "f", "args": {"a": p}}}]}}]})
        for p in (digits[:4], digits[4:])], SSE, [SSN],
         xfail="whole functionCall args are redacted per event (a client reads two calls, the oracle joins them)")
    case("ssn_dotted_odd_split", f, "an SSN written as a decimal number 4782.15096", [chat_json(
        "value 4782.15096")], JSONCT, [SSN], xfail="a decimal number cut at another place than 3.6 is a value")
    case("ssn_groups_one_per_line", f, "an SSN's groups one per line, no cue", [chat_json(
        "478\n21\n5096")], JSONCT, [SSN], xfail="a column of values has this shape; taken only after a cue")
    case("name_letters_spaced_both", f, "a first and last name with a space between letters", [chat_json(
        f"Patient {' '.join(FIRST)}  {' '.join(LAST)} was seen")], JSONCT, [LAST])
    case("name_letters_hyphenated", f, "a name with hyphens between its letters", [chat_json(
        f"patient {'-'.join(FIRST.lower())} {'-'.join(LAST.lower())}")], JSONCT, [LAST])
    case("dob_spaced_slashes", f, "a date of birth with spaced slashes", [chat_json("DOB 03 / 14 / 1962")], JSONCT,
         [DOB], xfail="spaced slashes between date parts are not read as a date (dates.py)")
    case("dob_tuple", f, "a date of birth as a tuple (3, 14, 1962)", [chat_json("dob: (3, 14, 1962)")], JSONCT,
         ["3141962"], xfail="a date as a list of numbers in text is not read as a date (dates.py)")
    case("street_glued_camel", f, "a street address glued in camel case", [chat_json(
        "lives at 4821WisteriaLane")], JSONCT, ["4821 Wisteria"],
         xfail="a house number glued to a camel-case street name is not read as an address (locations.py)")


def twelfth_round() -> None:
    r"""Round twelve: digits as the number words of other languages or as Roman numerals, a number written as
    arithmetic or in another base after its cue, inline HTML tags, LaTeX groups and adjacent string literals
    between digits, a word written a character at a time, strokes read as dashes, an identifier split across the
    choices or candidates of one answer (fixed); what still leaks (strict xfails); new classes that held."""
    f, pr = "evasion", "provider"
    digits = SSN.replace("-", "")
    # number words of other languages and Roman numerals (fixed); phi: the words as written (the oracle reads
    # English number words only)
    for name, text, planted in (
            ("spanish", "SSN: cuatro siete ocho dos uno cinco cero nueve seis", "ocho dos uno cinco"),
            ("german_groups", "SSN 478-zwei eins-fünf null neun sechs", "zwei eins"),
            ("portuguese_mixed", "CPF 4 sete 8 dois 1 cinco 0 nove 6", "sete 8 dois"),
            ("russian", "SSN: четыре семь восемь два один пять ноль девять шесть", "восемь два один"),
            ("hindi_romanised", "SSN: char saat aath do ek paanch shunya nau chhah", "saat aath"),
            ("roman_numerals", "SSN: IV VII VIII - II I - V 0 IX VI", "IV VII VIII")):
        case(f"ssn_number_words_{name}", f, f"an SSN in number words: {text!r}", [chat_json(text)], JSONCT,
             [planted], e2e=name == "spanish")
    case("phone_number_words_french", f, "a phone number in French number words", [chat_json(
        "Tel: cinq un deux quatre trois sept sept sept huit huit")], JSONCT, ["sept sept sept huit"])
    # arithmetic and other bases after a cue (fixed)
    case("ssn_arithmetic", f, "an SSN written as arithmetic, streamed 4 characters at a time", chat_sse(pieces(
        "SSN = 478 * 10^6 + 21 * 10^4 + 5096", 4)), SSE, ["478 * 10^6 + 21"], e2e=True)
    case("ssn_hex_after_cue", f, "an SSN written in hexadecimal after its cue", [chat_json(
        f"SSN in hex: {int(digits):#x}")], JSONCT, [f"{int(digits):#x}"])
    # markup between digits a renderer shows as nothing (fixed)
    case("ssn_html_inline_tags", f, "an SSN's digits in inline HTML tags", [chat_json(
        "SSN " + "".join(f"<span>{c}</span>" for c in SSN[:3]) + SSN[3:])], JSONCT, [SSN], e2e=True)
    case("ssn_html_tags_streamed", f, "an SSN's digits in bold and italic tags, streamed 2 characters at a time",
         chat_sse(pieces("SSN <b>4</b><i>7</i>8-21-5096 ok", 2)), SSE, [SSN])
    case("ssn_latex_text_groups", f, "an SSN's digits in LaTeX \\text groups", [chat_json(
        "$" + "".join(f"\\text{{{c}}}" for c in SSN[:3]) + SSN[3:] + "$")], JSONCT, [SSN])
    case("ssn_adjacent_literals", f, "an SSN as adjacent string literals in code", [chat_json(
        "ssn = '478' '21' '5096'")], JSONCT, [SSN])
    # a word written a character at a time, strokes read as dashes (fixed)
    case("email_letters_spaced", f, "an e-mail address with a space between its characters", [chat_json(
        "mail " + " ".join(EMAIL))], JSONCT, [EMAIL])
    case("ssn_katakana_dashes", f, "an SSN in full-width digits joined by the katakana length mark", [chat_json(
        "SSN " + "\u30fc".join(g.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
                                for g in SSN.split("-")))], JSONCT, [SSN])
    # an identifier split across the choices / candidates of one answer (fixed)
    case("phone_split_across_choices", pr, "a phone number whose end comes in another choice", [
        ev({"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": f"call {PHONE[:8]}"}}]}),
        ev({"object": "chat.completion.chunk", "choices": [{"index": 1, "delta": {"content": PHONE[8:]}}]}),
        "data: [DONE]\n\n"], SSE, [PHONE], e2e=True)
    case("name_split_across_choices", "sse", "a last name split across two choices", [
        ev({"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": f"Patient {FIRST} "
                                                                                              f"{LAST[:4]}"}}]}),
        ev({"object": "chat.completion.chunk", "choices": [{"index": 1, "delta": {"content": f"{LAST[4:]} seen"}}]}),
        "data: [DONE]\n\n"], SSE, [LAST])
    case("ssn_split_across_candidates", pr, "an SSN split across two Gemini candidates", [
        ev({"candidates": [{"index": 0, "content": {"parts": [{"text": f"SSN {SSN[:7]}"}], "role": "model"}}]}),
        ev({"candidates": [{"index": 1, "content": {"parts": [{"text": SSN[7:]}], "role": "model"}}]})], SSE, [SSN])
    case("name_percent_encoded_whole", f, "a name whose every character is percent-encoded", [chat_json(
        "q=" + "".join(f"%{b:02X}" for b in f"{FIRST} {LAST}".encode()))], JSONCT, [LAST])
    # still leaking (strict xfail)
    case("ssn_interlinear_annotation", f, "an SSN with an interlinear annotation inside it", [chat_json(
        f"SSN {SSN[:3]}\ufff9x\ufffa{SSN[3:]}")], JSONCT, [SSN],
         xfail="the annotated text between U+FFF9 and U+FFFA stays in the view between the digits")
    # held already: new classes kept as cases
    case("responses_annotation_title", pr, "a url_citation annotation whose title and URL carry PHI", [ev(
        {"type": "response.output_text.annotation.added", "item_id": "msg_1", "output_index": 0,
         "content_index": 0, "annotation": {"type": "url_citation", "title": f"{FIRST} {LAST} chart",
                                            "url": f"https://ehr.example.org/p/{SSN}"}},
        "response.output_text.annotation.added")], SSE, [LAST, SSN])
    case("anthropic_citation_cited_text", pr, "a citations_delta whose cited text and title carry PHI", [ev(
        {"type": "content_block_delta", "index": 0, "delta": {"type": "citations_delta", "citation": {
            "type": "char_location", "cited_text": f"{FIRST} {LAST}, {STREET}",
            "document_title": f"Chart of {FIRST} {LAST}"}}}, "content_block_delta")], SSE, [LAST, "Wisteria"])
    case("ssn_full_width_shift_jis", "charset", "an SSN in full-width digits, Shift_JIS body", [json.dumps(
        {"content": "SSN " + SSN.translate(str.maketrans("0123456789-", "０１２３４５６７８９\u30fc"))},
        ensure_ascii=False).encode("shift_jis")], [["content-type", "application/json; charset=shift_jis"]], [SSN])


def thirteenth_round() -> None:  # noqa: PLR0915 - one case per line, grouped by class
    r"""Round thirteen: text in a code a reader decodes by hand (spoken numbers with tens and scales, Roman
    numerals above IX joined by separators, one digit per sentence or line, spaced hex bytes, ``0x`` byte lists,
    octal and decimal character codes), an element around each digit group, a wholly percent-encoded street in a
    plain-text body, markup, a line-wrap hyphen or string concatenation inside a word (fixed); new classes that
    held. Morse code, small capitals and regional indicators are fixed too but folded away by the oracle (unit
    tests: tests/redaction/test_redteam_round13.py)."""
    f, pr = "evasion", "provider"
    codes = [f"{ord(c):02x}" for c in SSN]
    # spoken numbers with tens and scales; phi: the words as written (the oracle reads single digit words only)
    case("ssn_spoken_tens", f, "an SSN read aloud in tens: four seventy-eight, twenty-one, fifty ninety-six",
         [chat_json("SSN four seventy-eight, twenty-one, fifty ninety-six")], JSONCT, ["seventy-eight, twenty-one"],
         e2e=True)
    case("ssn_spoken_scales_streamed", f, "an SSN in hundreds and thousands, streamed 3 characters at a time",
         chat_sse(pieces("SSN four hundred seventy-eight, twenty-one, five thousand ninety-six ok", 3)), SSE,
         ["four hundred seventy-eight"])
    case("phone_spoken_tens", f, "a phone number read aloud in tens", [chat_json(
        "call five twelve, four thirty-seven, seventy-seven eighty-eight")], JSONCT, ["seventy-seven eighty-eight"])
    case("mrn_spoken_tens_no_comma", f, "an MRN read aloud in tens after its cue, no separators", [chat_json(
        "MRN seventy-seven thirty oh four nineteen")], JSONCT, ["thirty oh four nineteen"])
    # Roman numerals above IX joined by - / . (phi: the numerals as written)
    case("ssn_roman_above_nine", f, "an SSN in Roman numerals: CDLXXVIII-XXI-MMMMMXCVI", [chat_json(
        "SSN CDLXXVIII-XXI-MMMMMXCVI")], JSONCT, ["CDLXXVIII-XXI"])
    case("dob_roman_streamed", f, "a date of birth in Roman numerals, streamed 2 characters at a time", chat_sse(
        pieces("DOB III/XIV/MCMLXII, seen today", 2)), SSE, ["XIV/MCMLXII"], e2e=True)
    # one digit per sentence or line (phi: the sentences as written; the oracle drops the words between)
    case("ssn_digit_per_sentence", f, "an SSN one digit per sentence", [chat_json(
        "The SSN follows. " + " ".join(f"Digit {d}." for d in SSN.replace("-", "")))], JSONCT,
         ["Digit 2. Digit 1. Digit 5"], xfail="one digit per sentence or line is not read as one run (it held prose)")
    case("mrn_digit_per_line_streamed", f, "an MRN one digit per line after its cue, streamed 2 at a time", chat_sse(
        pieces("MRN below\n" + "\n".join(MRN) + "\nend", 2)), SSE, [MRN])
    # character codes (phi: the codes as written)
    case("ssn_hex_bytes_spaced", f, "an SSN as spaced hex bytes, streamed 4 characters at a time", chat_sse(pieces(
        "SSN bytes: " + " ".join(codes) + " done", 4)), SSE, [" ".join(codes[4:9])], e2e=True)
    case("name_0x_byte_list", f, "a name as a list of 0x bytes", [chat_json("name: " + ", ".join(
        f"0x{ord(c):02X}" for c in f"{FIRST} {LAST}"))], JSONCT, [", ".join(f"0x{ord(c):02X}" for c in LAST[:4])])
    case("ssn_octal_codes", f, "an SSN as octal character codes", [chat_json("SSN octal: " + " ".join(
        f"{ord(c):03o}" for c in SSN))], JSONCT, [" ".join(f"{ord(c):03o}" for c in SSN[4:8])])
    case("name_decimal_codes", f, "a name as decimal character codes", [chat_json("chars " + ",".join(
        str(ord(c)) for c in f"{FIRST} {LAST}"))], JSONCT, [",".join(str(ord(c)) for c in LAST)])
    # an element around each group (phi: the groups with the tags between, as the oracle folds them)
    case("ssn_xml_element_per_group", f, "an SSN's groups in XML elements one each", [chat_json(
        "<ssn><a>478</a><b>21</b><c>5096</c></ssn>")], JSONCT, ["478</a><b>21"], e2e=True)
    case("mrn_xml_element_per_digit", f, "an MRN one digit per XML element", [chat_json(
        "<mrn>" + "".join(f"<d>{d}</d>" for d in MRN) + "</mrn>")], JSONCT, ["3</d><d>0</d><d>4"])
    # escapes, markup, wraps and concatenation inside a word
    case("street_percent_encoded_text_body", f, "a street address wholly percent-encoded in a text/plain body", [
        "address " + "".join(f"%{b:02X}" for b in STREET.encode())], [["content-type", "text/plain"]], ["Wisteria"])
    case("name_emphasis_inside", f, "a surname with Markdown bold inside it", [chat_json(
        f"Patient **{LAST[:3]}**{LAST[3:]}")], JSONCT, [LAST])
    case("name_inline_tags_inside", f, "a surname split by inline HTML tags", [chat_json(
        f"Patient <b>{LAST[:2]}</b><i>{LAST[2:4]}</i><b>{LAST[4:]}</b>")], JSONCT,
         [f"{LAST[:2]}</b><i>{LAST[2:4]}"])
    case("street_wrapped_hyphen_streamed", f, "a street name wrapped at a line end with a hyphen, streamed", chat_sse(
        pieces("lives at 4821 Wis-\nteria Lane, Springfield", 3)), SSE, ["Wisteria"])
    case("name_string_concatenation", f, "a surname as concatenated string literals in code", [chat_json(
        f'name = "{LAST[:3]}" + "{LAST[3:]}"')], JSONCT, [LAST])
    # held already: new classes kept as cases
    case("gemini_function_args_name", pr, "Gemini functionCall args with a name and a date of birth", [ev(
        {"candidates": [{"content": {"parts": [{"functionCall": {"name": "lookup", "args": {
            "patient": f"{FIRST} {LAST}", "dob": DOB}}}]}, "index": 0}]})], SSE, [LAST, DOB])
    case("bedrock_reasoning_split", pr, "Bedrock reasoningContent text split across events", [ev(
        {"contentBlockDelta": {"contentBlockIndex": 0, "delta": {"reasoningContent": {"text": p}}}})
        for p in (f"patient SSN {SSN[:5]}", SSN[5:])], SSE, [SSN])
    case("json_key_email", "structure", "an e-mail address as a JSON key", [json.dumps(
        {"contacts": {EMAIL: True}})], JSONCT, [EMAIL])
    case("ssn_keycap_digits", f, "an SSN in keycap emoji digits", [chat_json(
        "SSN " + "".join(c + "\ufe0f\u20e3" if c.isdigit() else c for c in SSN))], JSONCT, [SSN])


def _gemini_chunk(part: dict[str, Any]) -> dict[str, Any]:
    return {"candidates": [{"content": {"parts": [part], "role": "model"}, "index": 0}],
            "usageMetadata": {"promptTokenCount": 9}, "modelVersion": "gemini-2.5-flash",
            "responseId": "Xq1aZ9XbLJ2k1MkP"}


def _chat_delta(delta: dict[str, Any], **choice: Any) -> str:
    return ev({"id": "chatcmpl-RtQwErTyUiOp", "object": "chat.completion.chunk", "created": 1700000000,
               "model": "gpt-4o", "choices": [{"index": 0, "delta": delta, "finish_reason": None, **choice}]})


def _resp_delta(t: str, delta: Any, item: str = "msg_67ccd3acc8d48190a77525dc", **extra: Any) -> str:
    return ev({"type": t, "item_id": item, "output_index": 0, "content_index": 0, "delta": delta, **extra}, t)


def fourteenth_round() -> None:  # noqa: PLR0915 - one case per line, grouped by class
    """Round fourteen: provider stream shapes and fields the guard did not read joined. Fixed: a Gemini
    ``streamGenerateContent`` answer without ``alt=sse`` (one JSON array of chunks, its ids and names between the
    pieces of the text), text under an unknown key of a chat choice or chunk, a text slot holding a list of pieces
    or a number, bare numbers as JSON lines, Ollama's context token ids, a Responses item id in a released copy.
    New classes that held are kept; the leaks left are strict xfails."""
    pr, st = "provider", "stream"
    ssn_parts = ["Her SSN is ", 478, "-", 21, "-", 5096, " today"]
    # Gemini without alt=sse: one JSON array, the chunks separated by ",\r\n", sent in pieces
    array = "[" + ",\r\n".join(json.dumps(_gemini_chunk({"text": p})) for p in pieces(TEXT, 3)) + "]"
    case("r14_gemini_json_array_stream", pr, "Gemini streamGenerateContent without alt=sse: one JSON array of "
         "chunks, text 3 characters a chunk", pieces(array, 64), JSONCT, ALL, e2e=True)
    array = "[" + ",".join(json.dumps(_gemini_chunk({"functionCall": {"name": "lookup", "args": {"note": p}}}))
                           for p in pieces(TEXT, 4)) + "]"
    case("r14_gemini_json_array_function_args", pr, "Gemini JSON-array stream: functionCall args split across "
         "chunks", [array], JSONCT, [SSN, LAST, EMAIL])
    array = "[" + ",".join(json.dumps(_gemini_chunk({"text": p})) for p in pieces(TEXT, 5)) + "]"
    case("r14_gemini_json_array_text_plain", pr, "Gemini JSON-array stream labelled text/plain",
         [array], [["content-type", "text/plain"]], [SSN, LAST, EMAIL])
    # text under keys of a chat choice or chunk the guard does not know
    case("r14_chat_choice_unknown_key", pr, "text under an unknown key of a chat choice, 4 characters an event",
         [_chat_delta({"content": ""}, moderation={"flagged_text": p}) for p in pieces(TEXT, 4)], SSE, ALL,
         e2e=True)
    case("r14_chat_chunk_unknown_key", pr, "text under an unknown top-level key of chat chunks, 3 an event",
         [ev({**chat_chunk(""), "debug": p}) for p in pieces(TEXT, 3)], SSE, ALL)
    # a text slot holding a list of pieces, or a number
    case("r14_chat_content_list_of_pieces", pr, "delta.content as one list of 3-character strings",
         [_chat_delta({"content": pieces(TEXT, 3)})], SSE, ALL)
    case("r14_chat_content_char_lists", pr, "delta.content as a list of single characters, 5 an event",
         [_chat_delta({"content": list(p)}) for p in pieces(TEXT, 5)], SSE, ALL)
    case("r14_chat_content_numbers", pr, "the groups of an SSN as JSON numbers between delta.content strings",
         [_chat_delta({"content": p}) for p in ssn_parts], SSE, [SSN], e2e=True)
    case("r14_responses_delta_numbers", pr, "Responses output_text.delta pieces as JSON numbers",
         [_resp_delta("response.output_text.delta", p) for p in ssn_parts], SSE, [SSN])
    case("r14_anthropic_delta_numbers", pr, "Anthropic text_delta pieces as JSON numbers", [ev(
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}},
        "content_block_delta") for p in ssn_parts], SSE, [SSN])
    case("r14_ndjson_bare_numbers", st, "JSON lines of bare numbers: an SSN two digits a line",
         [json.dumps(int(p)) + "\n" for p in pieces(SSN.replace("-", ""), 2)], NDJSON, [SSN])
    case("r14_ollama_context_ids", pr, "Ollama /api/generate context token ids spelling an SSN", [json.dumps(
        {"model": "llama3", "response": "ok", "done": True, "context": [478, 21, 5096]}) + "\n"], NDJSON, [SSN],
         dropped=True)
    case("r14_responses_item_id_ssn", pr, "an SSN inside a Responses item id, the text released in a copy",
         [_resp_delta("response.output_text.delta", "hi", item=f"msg_{SSN}")], SSE, [SSN])
    # new classes that held
    case("r14_chat_audio_transcript", pr, "chat delta.audio.transcript 3 characters an event",
         [_chat_delta({"audio": {"id": "audio_1", "transcript": p}}) for p in pieces(TEXT, 3)], SSE, ALL)
    case("r14_chat_annotation_titles", pr, "chat delta.annotations url_citation titles split across events",
         [_chat_delta({"content": "", "annotations": [{"type": "url_citation", "url_citation": {
             "url": "https://example.org/a", "title": p, "start_index": 0, "end_index": 1}}]})
          for p in pieces(TEXT, 4)], SSE, ALL)
    case("r14_responses_annotation_added", pr, "Responses output_text.annotation.added titles split",
         [ev({"type": "response.output_text.annotation.added", "item_id": "msg_67ccd3acc8d48190a77525dc",
              "output_index": 0, "content_index": 0, "annotation_index": i, "annotation": {
                  "type": "url_citation", "url": "https://example.org/", "title": p, "start_index": 0,
                  "end_index": 3}}, "response.output_text.annotation.added")
          for i, p in enumerate(pieces(TEXT, 4))], SSE, ALL)
    case("r14_responses_code_interpreter", pr, "Responses code_interpreter_call_code.delta, 2 characters each",
         [_resp_delta("response.code_interpreter_call_code.delta", p, item="ci_67ccd3acc8d4")
          for p in pieces(f"print('SSN {SSN}')", 2)], SSE, [SSN])
    case("r14_anthropic_citations_delta", pr, "Anthropic citations_delta cited_text split across events", [ev(
        {"type": "content_block_delta", "index": 0, "delta": {"type": "citations_delta", "citation": {
            "type": "char_location", "cited_text": p, "document_index": 0, "start_char_index": 0,
            "end_char_index": 3}}}, "content_block_delta") for p in pieces(TEXT, 3)], SSE, ALL)
    case("r14_cohere_v2_content_delta", pr, "Cohere v2 content-delta events, 2 characters each", [ev(
        {"type": "content-delta", "index": 0, "delta": {"message": {"content": {"text": p}}}}, "content-delta")
        for p in pieces(TEXT, 2)], SSE, ALL)
    case("r14_cohere_v2_tool_call_delta", pr, "Cohere v2 tool-call-delta arguments, 3 characters each", [ev(
        {"type": "tool-call-delta", "index": 0, "delta": {"message": {"tool_calls": {"function": {
            "arguments": p}}}}}, "tool-call-delta") for p in pieces(json.dumps({"ssn": SSN}), 3)], SSE, [SSN])
    case("r14_tgi_token_text", pr, "text-generation-inference token.text events, 2 characters each", [ev(
        {"index": i, "token": {"id": 1, "text": p, "logprob": -0.1, "special": False}, "generated_text": None})
        for i, p in enumerate(pieces(TEXT, 2))], SSE, ALL)
    case("r14_mcp_log_data_object", pr, "MCP notifications/message data objects split across events", [ev(
        {"jsonrpc": "2.0", "method": "notifications/message", "params": {"level": "info", "data": {"msg": p}}},
        "message") for p in pieces(TEXT, 3)], SSE, ALL)
    case("r14_sse_cr_only_lines", "sse", "chat events with CR-only line ends",
         [f"data: {json.dumps(chat_chunk(p))}\r\r" for p in pieces(TEXT, 3)], SSE, ALL)
    case("r14_sse_multiline_text_groups", "sse", "one text event whose data lines split the SSN and the MRN",
         [f"data: SSN {SSN[:6]}\ndata: {SSN[6:]} and\ndata: MRN {MRN[:3]}\ndata: {MRN[3:]}\n\n"], SSE, [SSN, MRN])
    body = "".join(chat_sse(pieces(TEXT, 4))).encode("utf-16")
    case("r14_utf16_split_odd", "charset", "a UTF-16 event stream cut every 7 bytes (mid code unit)",
         [body[i : i + 7] for i in range(0, len(body), 7)], [["content-type", "text/event-stream; charset=utf-16"]],
         ALL)
    case("r14_gzip_two_members", "charset", "gzip body of two members (the PHI in the second)",
         [gzip.compress(b"data: {}\n\n", mtime=0)
          + gzip.compress("".join(chat_sse(pieces(TEXT, 4))).encode(), mtime=0)],
         [*SSE, ["content-encoding", "gzip"]], ALL)
    # leaks left (strict)
    case("r14_ollama_tool_args_split", pr, "Ollama tool_calls arguments objects split across lines", [json.dumps(
        {"model": "llama3", "message": {"role": "assistant", "content": "", "tool_calls": [{"function": {
            "name": "lookup", "arguments": {"note": p}}}]}, "done": False}) + "\n" for p in pieces(TEXT, 3)],
         NDJSON, [SSN], xfail="whole tool-call arguments are redacted per event (a client reads several calls)")
    case("r14_mcp_results_split_ids", pr, "MCP results of different ids whose texts join into the PHI", [ev(
        {"jsonrpc": "2.0", "id": i, "result": {"content": [{"type": "text", "text": p}]}}, "message")
        for i, p in enumerate(pieces(TEXT, 3))], SSE, [SSN],
         xfail="a JSON-RPC result is a complete document, redacted on its own")
    case("r14_anthropic_signature_split", pr, "Anthropic signature_delta pieces spelling an SSN", [ev(
        {"type": "content_block_delta", "index": 0, "delta": {"type": "signature_delta", "signature": p}},
        "content_block_delta") for p in pieces(f"SSN {SSN} ok", 3)], SSE, [SSN],
         xfail="a signature is an opaque value the client hands back whole: scanned per event, never joined")
    case("r14_error_objects_split", pr, "error events whose messages join into the PHI", [ev(
        {"error": {"message": p}}) for p in pieces(TEXT, 5)], SSE, [SSN],
         xfail="an error object is a complete document, redacted on its own")


def _rlo(text: str) -> str:
    """``text`` as a right-to-left override run: shown as ``text`` to a person, written (and read by a model and
    the oracle) reversed."""
    return "\u202e" + text[::-1] + "\u202c"


def _anthropic_text_block(index: int, text: str) -> list[str]:
    """The events of one Anthropic text block holding ``text`` in one delta."""
    return [ev({"type": "content_block_start", "index": index, "content_block": {"type": "text", "text": ""}},
               "content_block_start"),
            ev({"type": "content_block_delta", "index": index, "delta": {"type": "text_delta", "text": text}},
               "content_block_delta"),
            ev({"type": "content_block_stop", "index": index}, "content_block_stop")]


def fifteenth_round() -> None:  # noqa: PLR0915 - one case per line, grouped by class
    """Round fifteen: what the normalised view did not read as a reader does. Fixed: numbers with no compatibility
    form (dingbat, double and negative circled digits), CJK financial and Hangzhou numerals, bracketed letters,
    group separators of other scripts and symbol blocks, private-use and unassigned default-ignorable characters
    inside an identifier, a right-to-left override run (shown reversed), e-mail addresses with accented letters,
    a soft hyphen at a line break (letters of smaller scripts passing for Latin ones: the oracle folds them away;
    unit tests in tests/redaction/test_redteam_round15.py). Reversed runs are planted as written. New classes that
    held are kept; the leaks left are strict xfails."""
    f, pr = "evasion", "provider"
    dingbat = SSN.translate(str.maketrans("123456789", "❶❷❸❹❺❻❼❽❾"))
    circled2 = PHONE.translate(str.maketrans("0123456789", "⓪⓵⓶⓷⓸⓹⓺⓻⓼⓽"))
    financial = SSN.translate(str.maketrans("0123456789", "零壹贰叁肆伍陆柒捌玖"))
    hangzhou = DOB.translate(str.maketrans("123456789", "〡〢〣〤〥〦〧〨〩"))
    paren = "".join(chr(0x249C + ord(c) - 97) for c in LAST.lower())
    case("r15_ssn_dingbat_digits", f, "an SSN in dingbat negative circled digits (no compatibility form)",
         [chat_json(f"SSN {dingbat} on file")], JSONCT, [dingbat], e2e=True)
    case("r15_phone_double_circled_streamed", f, "a phone number in double circled digits, 2 characters an event",
         chat_sse(pieces(f"call {circled2} today", 2)), SSE, [circled2])
    case("r15_ssn_cjk_financial", f, "an SSN in CJK financial numerals", [chat_json(f"SSN {financial} ok")],
         JSONCT, [financial])
    case("r15_dob_hangzhou", f, "a date of birth in Hangzhou numerals", [chat_json(f"DOB {hangzhou} ok")],
         JSONCT, [hangzhou])
    case("r15_name_parenthesized_letters", f, "a surname in parenthesized letters after its cue", [chat_json(
        f"Patient {FIRST} {paren}, admitted today.")], JSONCT, [paren])
    case("r15_phone_ideographic_stops_streamed", f, "a phone number grouped by ideographic full stops, streamed",
         chat_sse(pieces("call 512\u3002437\u30027788 today", 3)), SSE, [PHONE], e2e=True)
    case("r15_ssn_phone_symbol_separators", f, "an SSN and a phone grouped by ring operators and box bars",
         [chat_json("SSN 478\u221821\u22185096, phone 512\u2502437\u25027788")], JSONCT, [SSN, PHONE])
    case("r15_ssn_phone_arabic_set_minus", f, "an SSN grouped by set minus, a phone by Arabic commas",
         [chat_json("SSN 478\u221621\u22165096, phone 512\u060c437\u060c7788")], JSONCT, [SSN, PHONE])
    case("r15_dob_middle_dots_streamed", f, "a date of birth grouped by middle dots, 2 characters an event",
         chat_sse(pieces("DOB 03\u00b714\u00b71962 ok", 2)), SSE, [DOB])
    case("r15_ssn_private_use", f, "an SSN cut by private-use characters", [chat_json(
        "SSN 478\ue00021\ue0005096")], JSONCT, [SSN])
    case("r15_ssn_unassigned_ignorable", f, "an SSN cut by unassigned default-ignorable code points",
         [chat_json("SSN 47\u206582\u20651\U000e00805096")], JSONCT, [SSN])
    case("r15_dob_right_to_left_override", f, "a date of birth written reversed in a right-to-left override run",
         [chat_json(f"DOB {_rlo(DOB)} ok")], JSONCT, [DOB[::-1]])
    case("r15_name_right_to_left_override_streamed", f, "a name in a right-to-left override run, streamed",
         chat_sse(pieces(f"Patient {_rlo(f'{FIRST} {LAST}')}, admitted.", 3)), SSE, [LAST[::-1]], e2e=True)
    case("r15_email_accented", f, "an e-mail address with accents on its letters (an internationalised address)",
         [chat_json("email m\u00e1r\u00eda.\u00f3k\u00f3nkw\u00f3@stj\u00fadehealth.org")], JSONCT, [EMAIL])
    case("r15_name_soft_hyphen_wrap", f, "a surname broken by a soft hyphen and a line break", [chat_json(
        f"Patient {FIRST} Okon\u00ad\nkwo seen")], JSONCT, [LAST])
    # new classes that held
    case("r15_mrn_keycaps", f, "an MRN in keycap digits", [chat_json(
        "MRN " + "".join(d + "\ufe0f\u20e3" for d in MRN))], JSONCT, [MRN])
    case("r15_ssn_tag_characters", f, "an SSN written in tag characters (invisible ASCII)", [chat_json(
        "SSN " + "".join(chr(0xE0000 + ord(c)) for c in SSN))], JSONCT, [SSN])
    case("r15_mcp_resource_blob_text", pr, "an MCP resource blob of a text MIME type", [ev({
        "jsonrpc": "2.0", "id": 1, "result": {"content": [{"type": "resource", "resource": {
            "uri": "ehr://p/1", "mimeType": "text/plain", "blob": base64.b64encode(TEXT.encode()).decode()}}]}},
        "message")], SSE, [SSN, PHONE, EMAIL, MRN])  # (a blob with a finding is replaced whole: no name to count)
    case("r15_mcp_structured_numbers", pr, "MCP structuredContent with the SSN and phone as numbers", [json.dumps(
        {"jsonrpc": "2.0", "id": 1, "result": {"content": [], "structuredContent": {"patient": {
            "name": f"{FIRST} {LAST}", "ssn": 478215096, "phone": 5124377788}}}})], JSONCT, [SSN, PHONE, LAST])
    # an SSN split by a tool block between two text blocks (round 14's leftover): the held text goes on after it
    case("r15_anthropic_split_by_tool_block", pr, "an SSN split by a tool_use block between two text blocks",
         anthropic_sse([f"SSN {SSN[:7]}"])[:-2] + [
             ev({"type": "content_block_stop", "index": 0}, "content_block_stop"),
             ev({"type": "content_block_start", "index": 1, "content_block": {
                 "type": "tool_use", "id": "toolu_01", "name": "lookup", "input": {}}}, "content_block_start"),
             ev({"type": "content_block_stop", "index": 1}, "content_block_stop"),
             *_anthropic_text_block(2, SSN[7:]), ev({"type": "message_stop"}, "message_stop")], SSE, [SSN])
    # leaks left (strict)
    case("r15_dob_colon_separators", f, "a date of birth grouped by colons after its cue", [chat_json(
        "DOB 03:14:1962 ok")], JSONCT, [DOB], xfail="date rules (dates.py, another branch): a date after its cue "
         "with : ; , \\ # separators")
    case("r15_dob_cjk_date", f, "a date of birth in the CJK year-month-day form", [chat_json(
        "\u51fa\u751f\u65e5\u671f 1962\u5e743\u670814\u65e5")], JSONCT, ["1962\u5e743\u670814"],
         xfail="date rules (dates.py, another branch): the CJK \u5e74/\u6708/\u65e5 date form")
    case("r15_ssn_cyrillic_digit_lookalikes", f, "an SSN with Cyrillic letters shaped like digits (\u0427 4, "
         "\u0431 6) beside Latin ones (I 1, O 0)", [chat_json("SSN \u042778-2I-5O9\u0431 on file")], JSONCT,
         ["\u042778-2I-5O9\u0431"],
         xfail="a letter whose look-alike is a digit is read as one only among digits (Latin l, O, I)")
    case("r15_mcp_progress_numbers", pr, "MCP progress notifications whose numbers spell the SSN", [ev(
        {"jsonrpc": "2.0", "method": "notifications/progress", "params": {"progressToken": "t", "progress": n}},
        "message") for n in (478, 21, 5096)], SSE, [SSN],
         xfail="progress numbers are numbers of separate notifications, not joined (round 14)")


def build() -> list[dict[str, Any]]:
    CASES.clear()
    for fam in (structure, sse_framing, providers, charsets, headers, evasions, streaming, second_round,
                third_round, fourth_round, fifth_round, sixth_round, seventh_round, eighth_round, ninth_round,
                tenth_round, eleventh_round, twelfth_round, thirteenth_round, fourteenth_round,
                fifteenth_round):
        fam()
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    return CASES


def render() -> str:
    head = "# Generated by tests/redteam/build_cases.py: edit that, then re-run it.\n"
    return head + yaml.safe_dump(build(), sort_keys=False, allow_unicode=False, width=120)


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"{len(CASES)} cases -> {OUT}")
