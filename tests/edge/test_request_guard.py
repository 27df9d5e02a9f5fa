"""The request side under a request profile: URL scan and request-header scan (unit level)."""

from __future__ import annotations

import pytest

from sidecar.edge.request_guard import Refusal, RequestEdge, request_body_media_type
from sidecar.edge.settings import DEFAULT_REQUEST_HEADERS
from sidecar.redaction.engine import RedactionEngine
from sidecar.request_view import RequestView

BASE = {"content-type": "application/json", "authorization": "Bearer t", "x-phi-guard-purpose": "research",
        "user-agent": "OpenAI/Python 1.54.0", "x-stainless-lang": "python", "x-stainless-package-version": "1.54.0",
        "anthropic-version": "2023-06-01", "anthropic-beta": "prompt-caching-2024-07-31,files-api-2025-04-14",
        "mcp-protocol-version": "2025-06-18", "openai-beta": "assistants=v2"}


def view(path: str = "/v1/chat/completions", **headers: str) -> RequestView:
    return RequestView(method="POST", path=path, host="h", scheme="http", headers={**BASE, **headers}, body=b"{}")


@pytest.fixture(scope="module")
def edge(engine: RedactionEngine) -> RequestEdge:
    return RequestEdge(DEFAULT_REQUEST_HEADERS, engine)


def test_control_a_plain_request_passes_untouched(edge: RequestEdge) -> None:
    assert edge.scrub(view(), "safe_harbor") == {}
    azure = view("/openai/deployments/gpt4o/chat/completions?api-version=2024-06-01")
    assert edge.scrub(azure, "safe_harbor") == {}
    assert edge.scrub(view("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse"), "safe_harbor") == {}


@pytest.mark.parametrize(
    "path",
    [
        "/v1/chat/completions?patient=John%20Smith%20SSN%20123-45-6789",
        "/v1/chat/completions?ssn=123-45-6789",
        "/v1/chat/completions?note=born+03/14/1962",
        "/v1/chat/completions?email=john.smith%40example.org",
        "/v1/patients/123-45-6789/chat/completions",
        "/v1/chat/completions?api-version=born%2003/14/1962",  # a known parameter off its shape is scanned
    ],
)
def test_identifiers_in_the_url_are_400(edge: RedactionEngine, path: str) -> None:
    out = edge.scrub(view(path), "safe_harbor")
    assert isinstance(out, Refusal) and (out.status, out.error) == (400, "phi_in_url")
    assert "123-45-6789" not in out.message and "Smith" not in out.message


def test_unlisted_headers_are_redacted_listed_ones_kept(edge: RequestEdge) -> None:
    out = edge.scrub(view(**{"x-patient": "John Smith, SSN 123-45-6789", "x-note": "follow-up on 03/14/1962",
                             "x-trace": "abc"}), "safe_harbor")
    assert isinstance(out, dict) and set(out) == {"x-patient", "x-note"}
    assert "123-45-6789" not in out["x-patient"] and "03/14/1962" not in out["x-note"]


def test_api_version_headers_off_their_shape_are_scanned(edge: RequestEdge) -> None:
    out = edge.scrub(view(**{"anthropic-version": "born 1962-03-14", "user-agent": "SSN 123-45-6789"}),
                     "safe_harbor")
    assert isinstance(out, dict) and set(out) == {"anthropic-version", "user-agent"}
    assert "1962-03-14" not in out["anthropic-version"] and "123-45-6789" not in out["user-agent"]


def test_the_parsed_body_not_the_callers_label_picks_the_processor() -> None:
    class AI:
        body: object = None

    ai = AI()
    assert request_body_media_type(ai) == "text/plain"
    ai.body = {"model": "m"}
    assert request_body_media_type(ai) == "application/json"
