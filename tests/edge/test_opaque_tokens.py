"""Opaque tokens in id headers (``sidecar/edge/opaque_tokens.py``): random session and request ids are kept under
every profile; tokens carrying an identifier, names glued to tokens and non-token values are still dropped.
Through Envoy in tests/e2e/test_hostile_edge.py and tests/e2e/test_mcp.py."""

from __future__ import annotations

import random
import string
import uuid
from collections.abc import Callable, Iterator

import pytest

import sidecar.edge.request_guard as request_guard
import sidecar.edge.response_headers as response_headers
from sidecar.edge.opaque_tokens import TOKEN_TYPES, chance_of_run, glued_words, opaque_token
from sidecar.edge.request_guard import HeaderEdits, RequestEdge
from sidecar.edge.response_headers import ResponseHeaderFilter, engine_scanner
from sidecar.edge.settings import DEFAULT_REQUEST_HEADERS, DEFAULT_RESPONSE_HEADERS
from sidecar.redaction.engine import RedactionEngine
from sidecar.request_view import RequestView

PROFILES = ("clinical", "standard", "safe_harbor")
# Random draws are seeded (the same values on every run; the seed is no choice: any seed must pass).
SEED = 20261206
BATCH = 50  # ids judged per filter call (one combined scan), under as many header names
B62 = string.ascii_letters + string.digits
# Ids the scan of the whole value dropped before (a name fragment "bea", an IBAN checksum passing by chance).
FORMER_FALSE_POSITIVES = ["0f6c243bea1f4c2e9d71a5b3c8e0d2f4", "cf766ede4ad34fb5a55483e395679759"]


@pytest.fixture(scope="module")
def filt(engine: RedactionEngine) -> ResponseHeaderFilter:
    allow = {**DEFAULT_RESPONSE_HEADERS, **{f"x-test-id-{i}": "id" for i in range(BATCH)}}
    return ResponseHeaderFilter(allow, engine_scanner(engine))  # type: ignore[arg-type]


def _dropped(filt: ResponseHeaderFilter, values: list[str], profile: str) -> list[str]:
    """The values (each under its own id header, BATCH per call) whose header was dropped."""
    out = []
    for i in range(0, len(values), BATCH):
        chunk = values[i:i + BATCH]
        verdict = filt.filter([(f"x-test-id-{j}", v) for j, v in enumerate(chunk)], profile)
        out += [chunk[int(name.rsplit("-", 1)[1])] for name in verdict.remove]
    return out


def _uuids(n: int, rng: random.Random) -> Iterator[uuid.UUID]:
    for _ in range(n):
        yield uuid.UUID(int=rng.getrandbits(128), version=4)


def _tokens(n: int, alphabet: str, rng: random.Random, length: int = 32) -> list[str]:
    return ["".join(rng.choice(alphabet) for _ in range(length)) for _ in range(n)]


@pytest.mark.parametrize("form", [lambda u: u.hex, str], ids=["hex", "dashed"])
def test_random_uuids_are_kept_under_every_profile(filt: ResponseHeaderFilter, form: Callable[[uuid.UUID], str]
                                                    ) -> None:
    values = [form(u) for u in _uuids(10_000, random.Random(SEED))] + [form(uuid.UUID(h)) for h in
                                                                        FORMER_FALSE_POSITIVES]
    for profile in PROFILES:
        assert _dropped(filt, values, profile) == [], profile


@pytest.mark.parametrize(("alphabet", "prefix"), [(B62, ""), (B62 + "-_", ""), (B62, "req_"), (B62, "sess-")],
                         ids=["base62", "base64url", "req_base62", "sess-base62"])
def test_random_base62_and_base64url_tokens_are_kept(filt: ResponseHeaderFilter, alphabet: str, prefix: str
                                                     ) -> None:
    values = [prefix + t for t in _tokens(2_000, alphabet, random.Random(SEED))]
    for profile in PROFILES:
        assert _dropped(filt, values, profile) == [], profile


def test_control_scanning_random_ids_whole_drops_some(filt: ResponseHeaderFilter,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The oracle can fail: read as plain values (no token handling), random UUIDs lose their header."""
    values = [u.hex for u in _uuids(2_000, random.Random(SEED))]
    monkeypatch.setattr(response_headers, "opaque_token", lambda value: None)
    fresh = ResponseHeaderFilter(filt.exact, filt.scanner)
    assert len(_dropped(fresh, values, "standard")) >= 5
    assert set(_dropped(fresh, FORMER_FALSE_POSITIVES, "safe_harbor")) == set(FORMER_FALSE_POSITIVES)


# (value, the profiles that must drop it). A bare number is an identifier only for the profiles that redact
# identifiers without a cue (standard, safe_harbor); an SSN written with its dashes for every profile.
CARRIERS = [
    ("abc123456789def0", ("standard", "safe_harbor")),  # an SSN-length run padded by letters
    ("478215096abcdef0", ("standard", "safe_harbor")),
    ("6175550142aabbcc", ("standard", "safe_harbor")),  # a phone number
    ("a1b2-478-21-5096", PROFILES),  # an SSN with its dashes
    ("sess_478-21-5096_x7Kq9Z3mP2", PROFILES),
    ("x7Kq9Z3mP2Lq478215096WbR4abc", ("standard", "safe_harbor")),  # nine digits in 28 base62: no chance
    ("x7Kq9Z3mP2Lq6175550142WbR4abcdQx9Zk2", ("standard", "safe_harbor")),  # ten in 36
    ("john.smith@example.org", PROFILES),  # not an id shape
    ("JohnSmith", ("standard", "safe_harbor")),  # glued words read apart
    ("PatientMariaOkonkwo2024", ("standard", "safe_harbor")),
    ("maria-okonkwo-7f3a9c", ("standard", "safe_harbor")),  # a name glued to a (short) token
    ("maria-okonkwo-7f3a9c2b1d4e5f60718293a4", ("standard", "safe_harbor")),  # ... to a hex token
    ("Maria-Okonkwo-x7Kq9Z3mP2LqWbR4", ("standard", "safe_harbor")),  # ... to a base62 token
    ("x7Kq9Z3mP2LqWbR4_maria_okonkwo", ("standard", "safe_harbor")),
    ("MARIA_OKONKWO_x7Kq9Z3mP2LqWbR4", ("standard", "safe_harbor")),
    ("tXJbExyUY5NicarLEUg9_478215096", ("standard", "safe_harbor")),  # a number glued to a base62 token
    ("sess_MRN7730419_x7Kq9Z3mP2LqWbR4", ("standard", "safe_harbor")),
    ("mrn-7730419-y9KjL9TrqRqmjVUmrCGR", ("standard", "safe_harbor")),
    ("NHFyREPVHA3NVsKUHCLW_1962-03-14", ("safe_harbor",)),  # a date glued to it
    ("mrn-7730419beb1f8d84c92", ("standard", "safe_harbor")),  # a labelled number opening a hex token
    # not tokens: scanned whole, as before
    ("478215096", ("standard", "safe_harbor")),
    ("req_478-21-5096", PROFILES),
    ("Okonkwo-clinic", ("standard", "safe_harbor")),
    ("4111111111111111", PROFILES),  # a card number: all digits is no random token
]


@pytest.mark.parametrize(("value", "profiles"), CARRIERS, ids=[v for v, _ in CARRIERS])
@pytest.mark.parametrize("name", ["mcp-session-id", "x-request-id"])
def test_identifiers_in_or_around_tokens_are_dropped(filt: ResponseHeaderFilter, name: str, value: str,
                                                     profiles: tuple[str, ...]) -> None:
    for profile in profiles:
        v = filt.filter([(name, value)], profile)
        assert v.remove == [name] and v.dropped == 1, (profile, value)


def test_control_the_carriers_pass_a_profile_that_redacts_nothing(engine: RedactionEngine) -> None:
    """The oracle can fail: with no type to find, the same values are kept (the drops above are findings)."""

    class Nothing:
        def findings(self, text: str, profile: str) -> list[tuple[int, int, str]]:
            return []

        def redact(self, text: str, profile: str) -> tuple[str, int]:
            return text, 0

    quiet = ResponseHeaderFilter(DEFAULT_RESPONSE_HEADERS, Nothing())
    for value, _ in CARRIERS:
        kept = quiet.filter([("mcp-session-id", value)], "safe_harbor")
        assert kept.dropped == (0 if "@" not in value else 1), value  # the e-mail is off the id shape


def test_clinical_keeps_what_it_does_not_redact(filt: ResponseHeaderFilter) -> None:
    """Under clinical (names and bare numbers are not redacted) a token padding a bare number is kept, as the same
    number alone is: the token handling adds no rule of its own."""
    for value in ("478215096abcdef0", "478215096", "JohnSmith"):
        assert filt.filter([("x-request-id", value)], "clinical").dropped == 0, value


def test_verdicts_are_cached_per_kind(engine: RedactionEngine) -> None:
    """The same value is a token under an ``id`` header and plain text under a ``text`` one."""
    filt = ResponseHeaderFilter({**DEFAULT_RESPONSE_HEADERS, "x-note": "text"}, engine_scanner(engine))
    value = FORMER_FALSE_POSITIVES[0]  # reads "bea" when scanned as text
    assert filt.filter([("mcp-session-id", value)], "safe_harbor").dropped == 0
    assert filt.filter([("x-note", value)], "safe_harbor").redacted == 1
    assert filt.filter([("mcp-session-id", value)], "safe_harbor").dropped == 0


# --- the token reading itself --------------------------------------------------------------------------------

def test_token_shapes() -> None:
    u = "1868a90c-3d3e-4d3c-9c5a-0b0c0d0e0f10"
    tok = opaque_token(u)
    assert tok is not None and tok.text == u.replace("-", "") and tok.words == "" and tok.runs == ()
    assert opaque_token(u.upper()) is not None
    tok = opaque_token("req_7f3a9c2b1d4e5f60718293a4b5c6d7e8")
    assert tok is not None and tok.words == "req"
    tok = opaque_token("req_011CSHoEeqs5C35K2UUqR7Fy")  # at a base62 body's ends only words of four letters
    assert tok is not None and tok.words == ""
    tok = opaque_token("sess_live_011CSHoEeqs5C35K2UUqR7Fy")
    assert tok is not None and tok.words == "sess_live"
    tok = opaque_token("maria-okonkwo-7f3a9c2b1d4e5f6071")
    assert tok is not None and tok.words == "maria-okonkwo"
    tok = opaque_token("Maria-Okonkwo-x7Kq9Z3mP2LqWbR4")
    assert tok is not None and tok.words == "Maria-Okonkwo"
    tok = opaque_token("x7Kq9Z3mP2LqWbR4Hn_sess_MRN7730419")  # a labelled number at an end
    assert tok is not None and tok.words == "sess_MRN7730419"
    tok = opaque_token("mrn-7730419beb1f8d84c92")  # the prefix labels the digits opening a hex body
    assert tok is not None and tok.cued == "mrn-7730419"
    # not tokens: too short, all digits, all letters (hex), words glued (base62), other characters
    for value in ("7f3a9c", "4111111111111111", "deadbeefcafebabe", "PatientMariaOkonkwo2024", "JohnSmith",
                  "a1b2-478-21-5096", "john.smith@example.org", "7f3a9c2b 1d4e5f60718293"):
        assert opaque_token(value) is None, value


def test_digit_runs_judged_as_bare_numbers() -> None:
    tok = opaque_token("478215096abcdef0")
    assert tok is not None and [tok.text[a:b] for a, b in tok.runs] == ["478215096"]
    tok = opaque_token("x7Kq9Z3mP2Lq478215096WbR4abc")  # nine digits in 28 base62 characters: chance < 1e-6
    assert tok is not None and [tok.text[a:b] for a, b in tok.runs] == ["478215096"]
    # in a 32-character hex token a nine-digit run is expected (15 % of UUIDs hold one): chance, not content
    tok = opaque_token("c3478215096a4b1e9d0e1f2a3b4c5d6e")
    assert tok is not None and tok.runs == ()


def test_chance_of_run() -> None:
    assert chance_of_run(9, 32, 10 / 16) > 0.1  # the measured share of UUIDs with a nine-digit run: 15 %
    assert chance_of_run(10, 32, 10 / 64) < 1e-6 < chance_of_run(9, 32, 10 / 64)  # base62: ten digits
    assert chance_of_run(30, 32, 10 / 16) > 1e-6  # in a UUID only a run of 31 or 32 digits is beyond chance
    assert chance_of_run(40, 32, 0.5) == 0.0


def test_glued_words() -> None:
    assert glued_words("JohnSmith") and glued_words("PatientMariaOkonkwo2024") and glued_words("maria-Okonkwo2")
    assert not glued_words("iNcXrWGuRZPPnKKBcdCzKEnK") and not glued_words("x7Kq9Z3mP2LqWbR4")


def test_token_types_need_no_letters() -> None:
    assert not TOKEN_TYPES & {"NAME", "LOCATION", "ADDRESS", "ID", "ACCOUNT", "VIN", "LICENSE", "DEVICE"}


def test_engine_findings_keep_each_type(engine: RedactionEngine) -> None:
    """The typed accessor: every finding with its own type, where ``detect`` merges overlaps into one span."""
    text = "Okonkwo clinic"
    merged, each = engine.detect(text, "safe_harbor"), engine.findings(text, "safe_harbor")
    assert len(merged) == 1 and len(each) >= len(merged)
    assert {(s.start, s.end) for s in merged} <= {(s.start, s.end) for s in each}


# --- the request side: Envoy's own x-request-id under a request profile ---------------------------------------

def _request(**headers: str) -> RequestView:
    return RequestView(method="POST", path="/v1/chat/completions", host="h", scheme="http",
                       headers={"content-type": "application/json", **headers}, body=b"{}")


def test_request_ids_pass_a_request_profile_unredacted(engine: RedactionEngine) -> None:
    """Envoy sends its own random ``x-request-id`` upstream (and back, ``always_set_request_id_in_response``); a
    researcher's request profile scanned it whole and redacted one in ten (``12345678-...`` read as an ID)."""
    edge = RequestEdge(DEFAULT_REQUEST_HEADERS, engine)
    for u in _uuids(2_000, random.Random(SEED)):
        for value in (str(u), u.hex):
            assert edge.scrub(_request(**{"x-request-id": value}), "safe_harbor") == HeaderEdits(), value


def test_request_headers_carrying_identifiers_are_still_redacted(engine: RedactionEngine) -> None:
    edge = RequestEdge(DEFAULT_REQUEST_HEADERS, engine)
    out = edge.scrub(_request(**{"x-request-id": "maria-okonkwo-7f3a9c2b1d4e5f6071",
                                 "x-session": "Mary Jones 7f3a9c2b1d4e5f6071",
                                 "x-idempotency-key": "sess_478-21-5096_x7Kq9Z3mP2"}), "safe_harbor")
    assert isinstance(out, HeaderEdits) and set(out.set) == {"x-request-id", "x-session", "x-idempotency-key"}
    assert "okonkwo" not in out.set["x-request-id"] and "478-21-5096" not in out.set["x-idempotency-key"]


def test_control_whole_value_scan_redacts_random_request_ids(engine: RedactionEngine,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The oracle can fail: without token handling some random request ids are redacted."""
    monkeypatch.setattr(request_guard, "opaque_token", lambda value: None)
    edge = RequestEdge(DEFAULT_REQUEST_HEADERS, engine)
    edited = [u for u in _uuids(300, random.Random(SEED))
              if edge.scrub(_request(**{"x-request-id": str(u)}), "safe_harbor") != HeaderEdits()]
    assert len(edited) >= 3
