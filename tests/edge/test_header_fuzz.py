"""Property test: identifiers planted in any response header (allowlisted or not, any shape) never reach the
client's headers under the strictest profile; provider headers without identifiers survive."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sidecar.edge.response_headers import ResponseHeaderFilter, engine_scanner
from sidecar.edge.settings import DEFAULT_RESPONSE_HEADERS
from sidecar.redaction.engine import RedactionEngine

PLANTED = ["123-45-6789", "John Smith", "john.smith@example.org", "(617) 555-0142", "03/14/1962"]
NAMES = [*[k.rstrip("*") + ("request-id" if k.endswith("*") else "") for k in DEFAULT_RESPONSE_HEADERS],
         "x-patient", "set-cookie", "location", "link", "x-envoy-note", "server", "etag", "x-custom"]
AROUND = ["", "req_", "id:", "x-", "v=", "text ", "A1/"]
AFTER = ["", "_1", ".x", " ok", ";q=1"]
SAFE = ["412", "req_7f3a9c2b1d4e5f60", "no-cache", "application/json", "9999", "6m0s", "eastus2"]


def _digits_or_words(v: str) -> str:
    return re.sub(r"[^0-9A-Za-z@]", "", v).lower()


# A deployment's own free-text header: its recall is the body detectors' recall (text around the value is
# word-separated; an identifier glued behind letters and a slash is for the shape-checked headers to refuse).
TEXT_NAMES = ["x-diagnostics"]
TEXT_AROUND = ["", "req_", "id:", "x-", "v=", "text "]


@pytest.fixture(scope="module")
def filt(engine: RedactionEngine) -> ResponseHeaderFilter:
    allow = {**DEFAULT_RESPONSE_HEADERS, **dict.fromkeys(TEXT_NAMES, "text")}
    return ResponseHeaderFilter(allow, engine_scanner(engine))  # type: ignore[arg-type]


planted = st.tuples(st.sampled_from(AROUND), st.sampled_from(PLANTED), st.sampled_from(AFTER)).map("".join)
header = st.one_of(
    st.tuples(st.sampled_from(NAMES), st.one_of(planted, st.sampled_from(SAFE))),
    st.tuples(st.sampled_from(TEXT_NAMES), st.one_of(
        st.tuples(st.sampled_from(TEXT_AROUND), st.sampled_from(PLANTED), st.sampled_from(AFTER)).map("".join),
        st.sampled_from(SAFE))),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(header, min_size=1, max_size=8))
def test_planted_identifiers_never_survive(filt: ResponseHeaderFilter, headers: list[tuple[str, str]]) -> None:
    verdict = filt.filter(headers, "safe_harbor")
    out: list[str] = []
    for name, value in headers:
        name = name.lower()
        if name in verdict.remove:
            continue
        out.append(verdict.set.get(name, value))
    seen = _digits_or_words(" ".join(out))
    for value in PLANTED:
        assert _digits_or_words(value) not in seen, (value, headers, verdict)


def test_control_the_oracle_sees_an_unfiltered_identifier() -> None:
    assert _digits_or_words(PLANTED[0]) in _digits_or_words("x req_123-45-6789")
