"""The request side under a request profile: URL scan and request-header scan (unit level)."""

from __future__ import annotations

import pytest

from sidecar.edge.request_guard import HeaderEdits, Refusal, RequestEdge, request_body_media_type
from sidecar.edge.settings import DEFAULT_REQUEST_HEADERS
from sidecar.redaction.engine import RedactionEngine
from sidecar.request_view import RequestView

BASE = {"content-type": "application/json", "authorization": "Bearer t", "x-phi-guard-purpose": "research",
        "user-agent": "OpenAI/Python 1.54.0", "x-stainless-lang": "python", "x-stainless-package-version": "1.54.0",
        "anthropic-version": "2023-06-01", "anthropic-beta": "prompt-caching-2024-07-31,files-api-2025-04-14",
        "mcp-protocol-version": "2025-06-18", "openai-beta": "assistants=v2",
        "x-forwarded-for": "10.1.2.3, 127.0.0.1", "x-forwarded-proto": "https",
        "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}


def view(path: str = "/v1/chat/completions", **headers: str) -> RequestView:
    return RequestView(method="POST", path=path, host="h", scheme="http", headers={**BASE, **headers}, body=b"{}")


@pytest.fixture(scope="module")
def edge(engine: RedactionEngine) -> RequestEdge:
    return RequestEdge(DEFAULT_REQUEST_HEADERS, engine)


def test_control_a_plain_request_passes_untouched(edge: RequestEdge) -> None:
    assert edge.scrub(view(), "safe_harbor") == HeaderEdits()
    azure = view("/openai/deployments/gpt4o/chat/completions?api-version=2024-06-01")
    assert edge.scrub(azure, "safe_harbor") == HeaderEdits()
    gemini = view("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse")
    assert edge.scrub(gemini, "safe_harbor") == HeaderEdits()


@pytest.mark.parametrize(
    "path",
    [
        "/v1/chat/completions?patient=John%20Smith%20SSN%20123-45-6789",
        "/v1/chat/completions?ssn=123-45-6789",
        "/v1/chat/completions?note=born+03/14/1962",
        "/v1/chat/completions?email=john.smith%40example.org",
        "/v1/patients/123-45-6789/chat/completions",
        "/v1/chat/completions?api-version=born%2003/14/1962",  # a known parameter off its shape is scanned
        "/v1/chat/completions?q=SSN%2520123-45-6789",  # double-encoded
        "/v1/chat/completions?n%61me=John+Smith+SSN+123-45-6789",
    ],
)
def test_identifiers_in_the_url_are_400(edge: RedactionEngine, path: str) -> None:
    out = edge.scrub(view(path), "safe_harbor")
    assert isinstance(out, Refusal) and (out.status, out.error) == (400, "phi_in_url")
    assert "123-45-6789" not in out.message and "Smith" not in out.message


def test_unlisted_headers_are_redacted_listed_ones_kept(edge: RequestEdge) -> None:
    out = edge.scrub(view(**{"x-patient": "John Smith, SSN 123-45-6789", "x-note": "follow-up on 03/14/1962",
                             "x-trace": "abc"}), "safe_harbor")
    assert isinstance(out, HeaderEdits) and set(out.set) == {"x-patient", "x-note"} and out.remove == []
    assert "123-45-6789" not in out.set["x-patient"] and "03/14/1962" not in out.set["x-note"]


def test_headers_whose_name_holds_an_identifier_are_removed(edge: RequestEdge) -> None:
    out = edge.scrub(view(**{"x-ssn-123-45-6789": "1", "x-john.smith@example.org": "1"}), "safe_harbor")
    assert isinstance(out, HeaderEdits)
    assert sorted(out.remove) == ["x-john.smith@example.org", "x-ssn-123-45-6789"]


def test_api_version_headers_off_their_shape_are_scanned(edge: RequestEdge) -> None:
    out = edge.scrub(view(**{"anthropic-version": "born 1962-03-14", "user-agent": "SSN 123-45-6789",
                             "x-forwarded-for": "John Smith", "x-envoy-note": "SSN 123-45-6789",
                             "tracestate": "p=123-45-6789"}), "safe_harbor")
    assert isinstance(out, HeaderEdits)
    assert set(out.set) == {"anthropic-version", "user-agent", "x-forwarded-for", "x-envoy-note", "tracestate"}
    assert "1962-03-14" not in out.set["anthropic-version"] and "123-45-6789" not in out.set["user-agent"]


def test_the_parsed_body_not_the_callers_label_picks_the_processor() -> None:
    class AI:
        body: object = None

    ai = AI()
    assert request_body_media_type(ai) == "text/plain"
    ai.body = {"model": "m"}
    assert request_body_media_type(ai) == "application/json"
