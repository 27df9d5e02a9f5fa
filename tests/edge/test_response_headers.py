"""The response-header allowlist (unit level; through Envoy in tests/e2e/test_hostile_edge.py)."""

from __future__ import annotations

import pytest

from sidecar.edge.response_headers import ResponseHeaderFilter, engine_scanner
from sidecar.edge.settings import DEFAULT_RESPONSE_HEADERS
from sidecar.redaction.engine import RedactionEngine

# What the providers send (captured shapes), all of which must pass untouched under the strictest profile.
PROVIDER_HEADERS = [
    (":status", "200"),
    ("content-type", "application/json; charset=utf-8"),
    ("content-type", "text/event-stream"),
    ("x-request-id", "req_7f3a9c2b1d4e5f60718293a4b5c6d7e8"),
    ("openai-processing-ms", "412"),
    ("openai-organization", "org-abc123XYZ"),
    ("x-ratelimit-limit-requests", "10000"),
    ("x-ratelimit-remaining-tokens", "29990"),
    ("x-ratelimit-reset-requests", "6m0s"),
    ("x-ratelimit-reset-tokens", "20ms"),
    ("anthropic-ratelimit-requests-remaining", "49"),
    ("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy"),
    ("apim-request-id", "5f3b8c9e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"),
    ("x-ms-region", "eastus2"),
    ("cache-control", "no-cache, must-revalidate"),
    ("vary", "Origin, Accept-Encoding"),
    ("retry-after", "20"),
    ("mcp-session-id", "1868a90c-3d3e-4d3c-9c5a-0b0c0d0e0f10"),
    ("content-length", "123"),
    ("content-encoding", "gzip"),
]


@pytest.fixture(scope="module")
def filt(engine: RedactionEngine) -> ResponseHeaderFilter:
    return ResponseHeaderFilter(DEFAULT_RESPONSE_HEADERS, engine_scanner(engine),
                                keep=["x-phi-guard-redaction-profile"])


DATED = [("date", "Sun, 06 Dec 2026 01:15:00 GMT"), ("openai-version", "2020-10-01"),
         ("anthropic-ratelimit-tokens-reset", "2026-12-06T01:15:00Z")]


def test_control_provider_headers_pass_untouched(filt: ResponseHeaderFilter) -> None:
    for profile in ("clinical", "standard", "safe_harbor"):
        v = filt.filter(PROVIDER_HEADERS, profile)
        assert (v.remove, v.set, v.dropped) == ([], {}, 0), profile
    v = filt.filter(PROVIDER_HEADERS + DATED, "clinical")
    assert (v.remove, v.set, v.dropped) == ([], {}, 0)


def test_dates_in_headers_follow_the_profile(filt: ResponseHeaderFilter) -> None:
    # Safe Harbor removes dates: a date-shaped header could carry a date of birth, so it is dropped.
    v = filt.filter(DATED, "safe_harbor")
    assert sorted(v.remove) == sorted(n for n, _ in DATED) and v.dropped == 3


def test_unlisted_headers_are_dropped_and_counted(filt: ResponseHeaderFilter) -> None:
    v = filt.filter([("x-patient-name", "John Smith"), ("set-cookie", "a=1"), ("set-cookie", "b=2"),
                     ("location", "https://x/p/123-45-6789"), ("link", "<https://x>; rel=next"),
                     ("x-phi-guard-decision-id", "spoofed"), ("X-Envoy-Patient", "Jane Doe")], "clinical")
    assert sorted(v.remove) == ["link", "location", "set-cookie", "x-envoy-patient", "x-patient-name",
                                "x-phi-guard-decision-id"]
    assert v.dropped == 7


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("x-request-id", "John Smith"),  # not an id shape
        ("x-request-id", "123-45-6789"),  # id shape, but an SSN
        ("openai-processing-ms", "12 John"),
        ("x-ratelimit-limit-requests", "john.smith@example.org"),
        ("retry-after", "Wed, 14 Mar 1962 10:00:00 GMT"),  # a date of birth under a date-bearing header
        ("content-type", "text/plain/John Smith"),
        ("vary", "John Smith, (617) 555-0142"),
        ("date", "patient john smith"),
        ("x-request-id", "a" * 2000),
    ],
)
def test_shape_checked_values_that_fail_are_dropped(filt: ResponseHeaderFilter, name: str, value: str) -> None:
    v = filt.filter([(name, value)], "safe_harbor")
    assert v.remove == [name] and v.dropped == 1 and not v.set


def test_wildcard_names_carry_no_identifiers(filt: ResponseHeaderFilter) -> None:
    v = filt.filter([("x-ratelimit-123-45-6789", "5"), ("openai-john-smith", "x"), ("x-ms-region", "eastus2"),
                     ("x-ratelimit-limit-requests", "10")], "safe_harbor")
    assert sorted(v.remove) == ["openai-john-smith", "x-ratelimit-123-45-6789"]
    v = filt.filter([("anthropic-ratelimit-input-tokens-reset", "2026-12-06T01:15:00Z"),
                     ("x-ms-rai-invoked", "true"), ("x-goog-patient-mary-jones", "1")], "clinical")
    assert v.remove == ["x-goog-patient-mary-jones"]


def test_content_type_keeps_the_media_type_and_charset_only(filt: ResponseHeaderFilter) -> None:
    v = filt.filter([("content-type", "text/plain; patient=JohnSmith; charset=utf-8")], "safe_harbor")
    assert v.set == {"content-type": "text/plain"} and not v.remove
    v = filt.filter([("content-type", "application/json; charset=utf-8")], "safe_harbor")
    assert not v.set and not v.remove


def test_free_text_headers_are_redacted(engine: RedactionEngine) -> None:
    filt = ResponseHeaderFilter({**DEFAULT_RESPONSE_HEADERS, "x-diagnostics": "text"}, engine_scanner(engine))
    v = filt.filter([("x-diagnostics", "patient SSN 123-45-6789, email john.smith@example.org, ref_123-45-6789")],
                    "safe_harbor")
    assert "x-diagnostics" in v.set and v.redacted == 1 and v.dropped == 0
    assert "123-45-6789" not in v.set["x-diagnostics"] and "john.smith@example.org" not in v.set["x-diagnostics"]
    assert filt.filter([("x-diagnostics", "ok")], "safe_harbor").set == {}
    # the providers' own headers are never free text: an identifier there drops the header
    v = filt.filter([("x-ms-diagnostics", "lookup for SSN 123-45-6789")], "safe_harbor")
    assert v.remove == ["x-ms-diagnostics"] and not v.set


def test_the_allowlist_is_configurable(engine: RedactionEngine) -> None:
    custom = ResponseHeaderFilter({"x-trace-*": "id"}, engine_scanner(engine))
    v = custom.filter([("x-trace-id", "abc-123"), ("x-request-id", "req_1")], "clinical")
    assert v.remove == ["x-request-id"] and v.dropped == 1
