"""The red-team table (tests/redteam/cases.yaml) in process, through the code ext_proc runs for a response:
``RedactionEngine.open_body`` with the upstream's content type and encoding, one ``feed`` per upstream chunk,
``finish``, and the response-header allowlist. No planted PHI may reach the client (the oracle in
tests/redteam/oracle.py reads the output as a client would, joined across events), or the body is withheld.

Controls: with a profile that redacts nothing, every case the guard answers must leak by the same oracle (so
no case passes because the oracle is blind to it), and the raw upstream headers of every header case leak."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from redteam.build_cases import render
from redteam.oracle import Case, leaks, load_cases, views

from sidecar.edge.response_headers import ResponseHeaderFilter, engine_scanner
from sidecar.edge.settings import DEFAULT_RESPONSE_HEADERS
from sidecar.protocol import REDACTION_PROFILE_HEADER
from sidecar.redaction.bodies.identifiers import AnswerIdentifiers
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.errors import RedactionError
from sidecar.redaction.settings import RedactionSettings

from .conftest import KEY

CASES_FILE = Path(__file__).parent.parent / "redteam" / "cases.yaml"
CASES = load_cases(str(CASES_FILE))
OFF = "redteam_off"  # a profile that redacts nothing: the control
# the request every case answers (as in tests/e2e/test_redteam_e2e.py): model "echo", no tools declared
REQUEST = AnswerIdentifiers.of("echo", ())


@dataclass
class Outcome:
    body: bytes
    headers: list[tuple[str, str]]
    content_type: str
    withheld: bool
    error: str = ""


@pytest.fixture(scope="module")
def rt_engine() -> RedactionEngine:
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as fh:
        yaml.safe_dump({"profiles": {OFF: {"types": []}}}, fh)
    return RedactionEngine(RedactionSettings(unknown_content_type="withhold", profiles_file=fh.name), KEY)


@pytest.fixture(scope="module")
def header_filter(rt_engine: RedactionEngine) -> ResponseHeaderFilter:
    return ResponseHeaderFilter(DEFAULT_RESPONSE_HEADERS, engine_scanner(rt_engine), keep=[REDACTION_PROFILE_HEADER])


def process(engine: RedactionEngine, hf: ResponseHeaderFilter, case: Case, profile: str) -> Outcome:
    """What the client receives: the ext_proc response path, chunk by chunk (a refusal after the first byte
    is a reset stream: what was released before it counts)."""
    ct, enc = case.header("content-type"), case.header("content-encoding")
    try:
        proc = engine.open_body(profile, ct, enc, request=REQUEST)
    except RedactionError as err:
        return Outcome(b"", [], ct, True, type(err).__name__)
    verdict = hf.filter(case.headers, profile)
    headers = [(k, verdict.set.get(k.lower(), v)) for k, v in case.headers
               if k.lower() not in verdict.remove and k.lower() not in ("content-length", "content-encoding",
                                                                          "content-type")]
    headers.append(("content-type", proc.content_type))
    body = b""
    try:
        for chunk in case.chunks:
            body += proc.feed(chunk)
        body += proc.finish()
    except RedactionError as err:
        return Outcome(body, headers, proc.content_type, True, type(err).__name__)
    return Outcome(body, headers, proc.content_type, False)


def _params() -> list[object]:
    out = []
    for c in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail else []
        out.append(pytest.param(c, id=c.id, marks=marks))
    return out


@pytest.mark.parametrize("case", _params())
def test_redteam_case(rt_engine: RedactionEngine, header_filter: ResponseHeaderFilter, case: Case) -> None:
    got = process(rt_engine, header_filter, case, "safe_harbor")
    found = leaks(case.phi, views(got.body, got.content_type, got.headers))
    assert not found, f"{case.id} ({case.attack}): leaked {found}; withheld={got.withheld}"
    if case.expect == "redacted":
        assert not got.withheld, f"{case.id}: a valid body was withheld ({got.error})"
    elif case.expect == "withheld":
        assert got.withheld, f"{case.id}: should have been withheld"


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES if c.expect != "withheld"])
def test_control_oracle_sees_unredacted_output(
    rt_engine: RedactionEngine, header_filter: ResponseHeaderFilter, case: Case
) -> None:
    """With redaction off, what the guard answers carries the PHI in a form the oracle reads: every value of
    every case (header cases and carriers the guard drops whatever the profile, such as SSE comments: in the raw
    upstream answer, since they are dropped before any scan)."""
    if case.family == "headers" or case.dropped:
        raw = views(b"".join(case.chunks), case.header("content-type"), case.headers)
        assert leaks(case.phi, raw) == case.phi
        return
    got = process(rt_engine, header_filter, case, OFF)
    if got.withheld:
        # refused for its form whatever the profile (bad JSON, undecodable bytes): nothing reaches the client,
        # and the table says so (such a case may not claim it is answered)
        assert case.expect == "any", f"{case.id}: withheld even with redaction off ({got.error})"
        assert got.error in ("BodyParseError", "DecompressionError", "ContentWithheld", "UnsupportedCharset",
                             "UnsupportedEncoding", "BodyTooLarge"), got.error
        return
    assert leaks(case.phi, views(got.body, got.content_type, got.headers)) == case.phi, case.id


def test_table_is_large_and_covers_every_family() -> None:
    fams = {c.family for c in CASES}
    assert len(CASES) >= 150
    assert fams == {"structure", "sse", "provider", "charset", "headers", "evasion", "stream"}
    assert len({c.id for c in CASES}) == len(CASES)
    assert all(c.phi for c in CASES)


def test_table_is_what_the_builder_writes() -> None:
    assert CASES_FILE.read_text(encoding="utf-8") == render()


def test_control_oracle_joins_split_events() -> None:
    """The oracle reads an SSN split across events (and across Unicode tricks) as the SSN; and finds nothing in
    a redacted body."""
    body = b'data: {"choices":[{"delta":{"content":"SSN 4\\u200b78-2"}}]}\n\ndata: {"choices":[{"delta":' \
           b'{"content":"\xef\xbc\x91-5096"}}]}\n\n'
    assert leaks(["478-21-5096"], views(body, "text/event-stream")) == ["478-21-5096"]
    assert not leaks(["478-21-5096"], views(b'data: {"c": "SSN [SSN]"}\n\n', "text/event-stream"))


def test_sse_retry_is_kept_only_as_a_short_delay(rt_engine: RedactionEngine) -> None:
    """A real reconnection delay passes (as its number); one long enough to be an identifier is dropped."""
    def retry_of(value: str) -> str:
        p = rt_engine.open_body("safe_harbor", "text/event-stream")
        out = (p.feed(f"retry: {value}\ndata: {{\"c\": \"ok\"}}\n\n".encode()) + p.finish()).decode()
        return next((ln[7:] for ln in out.split("\n") if ln.startswith("retry: ")), "")

    assert retry_of("3000") == "3000" and retry_of("000250") == "250"
    assert retry_of("7730419") == "" and retry_of("478215096") == ""


def test_markup_character_references_are_read_as_characters(rt_engine: RedactionEngine) -> None:
    """Digits and letters written as references are scanned as what a renderer shows; references of markup
    characters stay as written (decoding ``&lt;`` would write a tag); plain text is not touched."""
    body = b"<b>a &lt;b&gt; &amp; &#60;i&#62;</b> SSN &#x34;&#55;8-21-5096 &#0;"
    for step in (len(body), 3, 1):
        p = rt_engine.open_body("safe_harbor", "text/html")
        out = (b"".join(p.feed(body[i : i + step]) for i in range(0, len(body), step)) + p.finish()).decode()
        assert out == "<b>a &lt;b&gt; &amp; &#60;i&#62;</b> SSN [SSN] &#0;", step
    p = rt_engine.open_body("safe_harbor", "text/plain")
    assert (p.feed(b"code &#52; here") + p.finish()) == b"code &#52; here"


def test_values_under_phi_keys_are_redacted_whole(rt_engine: RedactionEngine) -> None:
    """The key is the cue for a bare value (``"lastName": "Okonkwo"``, FHIR ``name.family``); generic keys
    (a tool's ``name``) and profiles that keep the type (clinical keeps names) are left alone: the control."""
    import json

    def walk(doc: object, profile: str = "safe_harbor") -> object:
        p = rt_engine.open_body(profile, "application/json")
        return json.loads(p.feed(json.dumps(doc).encode()) + p.finish())

    assert walk({"lastName": "Okonkwo", "zip": 62704, "patient": {"name": "Okonkwo"}}) == {
        "lastName": "[NAME]", "zip": "[ZIP]", "patient": {"name": "[NAME]"}}
    assert walk({"name": [{"family": "Okonkwo", "given": ["Adaeze"]}]}) == {
        "name": [{"family": "[NAME]", "given": ["[NAME]"]}]}
    tool = {"type": "function", "function": {"name": "lookup_patient", "arguments": "{}"}, "family": "gpt"}
    assert walk(tool) == tool
    assert walk({"lastName": "Okonkwo"}, "clinical") == {"lastName": "Okonkwo"}


def test_logprobs_are_emptied_request_flags_kept(rt_engine: RedactionEngine) -> None:
    """Log probabilities repeat the answer token by token (and byte by byte): emptied in answers; the request
    flags of the same name (``"logprobs": true, "top_logprobs": 5``) pass. Control: ``content`` is untouched."""
    import json

    p = rt_engine.open_body("safe_harbor", "application/json")
    doc = {"choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"},
                        "logprobs": {"content": [{"token": "ok", "bytes": [111, 107], "top_logprobs": []}]}}],
           "logprobs": True, "top_logprobs": 5}
    out = json.loads(p.feed(json.dumps(doc).encode()) + p.finish())
    assert out["choices"][0]["logprobs"] is None and out["choices"][0]["message"]["content"] == "ok"
    assert out["logprobs"] is True and out["top_logprobs"] == 5


def test_control_a_profile_that_keeps_names_leaks_them(
    rt_engine: RedactionEngine, header_filter: ResponseHeaderFilter
) -> None:
    """Control: under ``clinical`` (which keeps names) the oracle finds the surname in every provider case
    that plants it: a case cannot pass because its output is unreadable to the oracle."""
    cases = [c for c in CASES if c.family == "provider" and "Okonkwo" in c.phi and not c.xfail
             and c.expect != "withheld" and not c.dropped]
    assert len(cases) >= 10
    for case in cases:
        got = process(rt_engine, header_filter, case, "clinical")
        assert not got.withheld, case.id
        assert "Okonkwo" in leaks(case.phi, views(got.body, got.content_type, got.headers)), case.id


def test_control_a_greedy_release_leaks_split_identifiers(
    rt_engine: RedactionEngine, header_filter: ResponseHeaderFilter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control: a stream that releases everything it has at each event (nothing held back) leaks part of the
    identifiers the split cases cut across events (the oracle counts 5 digits of an SSN or phone as a leak)."""
    from sidecar.redaction.redactor import TextRedactor
    from sidecar.redaction.stream import TextStream

    monkeypatch.setattr(TextRedactor, "open_at", lambda self, text: len(text))
    monkeypatch.setattr(TextStream, "_with_hints", lambda self, spans, n: spans)
    split = [c for c in CASES if c.id.startswith(("split_ssn_at_", "split_phone_at_"))]
    leaked = [c.id for c in split
              if leaks(c.phi, views(*(lambda o: (o.body, o.content_type, o.headers))(
                  process(rt_engine, header_filter, c, "safe_harbor"))))]
    # the head a greedy stream releases before the cut is scanned alone: a head of 5 or more digits leaks
    assert len(leaked) >= 3 and "split_ssn_at_6" in leaked, leaked


def test_strings_of_an_array_are_read_joined(rt_engine: RedactionEngine) -> None:
    """A finding across the strings of an array is redacted where it lies; text around it is kept; arrays
    in which nothing crosses are left as they were (control)."""
    import json

    def walk(doc: object) -> object:
        p = rt_engine.open_body("safe_harbor", "application/json")
        return json.loads(p.feed(json.dumps(doc).encode()) + p.finish())

    assert walk({"t": ["Patient Maria Gon", "zalez, SSN 478", "-21-5096 ok"]}) == {
        "t": ["Patient [NAME]", ", SSN [SSN]", " ok"]}
    assert walk({"stop": ["\n\n", "END"], "x": ["4", "7"]}) == {"stop": ["\n\n", "END"], "x": ["4", "7"]}


def test_provider_ids_with_identifier_digit_runs_are_scanned(rt_engine: RedactionEngine) -> None:
    """A provider id of the id grammar whose run carries 7 digits or more (an MRN, SSN or phone length) is no
    random id: its digit run is redacted. Real ids pass unchanged (control): base62 ids, Anthropic ids, and
    the long lower-case hex ids of OpenAI Responses, which have such runs by chance."""
    import json

    def walk(doc: object) -> object:
        p = rt_engine.open_body("safe_harbor", "application/json")
        return json.loads(p.feed(json.dumps(doc).encode()) + p.finish())

    bad = {"id": "chatcmpl-478215096", "call_id": "call_5124377788abcDEF", "tool_use_id": "toolu_7730419xyzUVW"}
    got = walk(bad)
    assert all(not any(d in v for d in ("478215", "5124377", "7730419")) for v in got.values()), got  # type: ignore
    real = {"id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "item_id": "msg_67ccd3acc8d48190a77525dc",
            "response_id": "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b",
            "tool_use_id": "toolu_01A09q90qw90lq917835lq9", "call_id": "call_abc123def456"}
    assert walk(real) == real


def test_keys_and_sibling_values_are_read_joined(rt_engine: RedactionEngine) -> None:
    """An identifier cut across the keys of one object, or across its string values (a table row), is
    redacted where it lies; objects in which nothing crosses are unchanged (control), and labelled values keep
    their own rule."""
    import json

    def walk(doc: object) -> object:
        p = rt_engine.open_body("safe_harbor", "application/json")
        return json.loads(p.feed(json.dumps(doc).encode()) + p.finish())

    keys = walk({"SSN 478": 1, "-21-5096": 2})
    assert not any("478" in k or "5096" in k for k in keys), keys  # type: ignore[union-attr]
    assert walk({"row": {"a": "SSN 478", "b": "-21-5096", "c": "ok", "lastName": "Okonkwo"}}) == {
        "row": {"a": "SSN [SSN]", "b": "", "c": "ok", "lastName": "[NAME]"}}
    fine = {"row": {"a": "dose 478", "b": "mg", "unit": 21, "note": "fine"}, "x 1": 1, "y 2": 2}
    assert walk(fine) == fine


def test_base64_data_urls_are_decoded_and_scanned(rt_engine: RedactionEngine) -> None:
    """A text data: URL whose payload holds PHI is replaced whole; a clean text payload and a binary one (an
    image) pass as written (control)."""
    import base64
    import json

    def walk(doc: object) -> object:
        p = rt_engine.open_body("safe_harbor", "application/json")
        return json.loads(p.feed(json.dumps(doc).encode()) + p.finish())

    phi = "data:text/plain;base64," + base64.b64encode(b"SSN 478-21-5096").decode()
    clean = "data:text/plain;base64," + base64.b64encode(b"hello world").decode()
    image = "data:image/png;base64," + base64.b64encode(bytes(range(64))).decode()
    got = walk({"a": f"see {phi} ok", "b": clean, "c": image})
    assert got == {"a": "see [SSN] ok", "b": clean, "c": image}
