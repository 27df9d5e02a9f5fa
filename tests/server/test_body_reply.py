"""ext_proc body and response-header replies built in place: the same messages the constructor form gave."""

from __future__ import annotations

from typing import Any

import pytest
from envoy.config.core.v3 import base_pb2
from envoy.service.ext_proc.v3 import external_processor_pb2 as ep

from sidecar import protocol as P
from sidecar.edge.response_headers import HeaderVerdict
from sidecar.server.ext_proc_service import _body_reply, _Stream
from tests.server.fakes import ext_proc_service


def _constructed(which: str, body: bytes | None) -> ep.ProcessingResponse:
    common = ep.CommonResponse()
    if body is not None:
        common.body_mutation.body = body
    return ep.ProcessingResponse(**{which: ep.BodyResponse(response=common)})


@pytest.mark.parametrize("which", ["request_body", "response_body"])
@pytest.mark.parametrize("body", [None, b"", b"data: {}\n\n", bytes(range(256)) * 40])
def test_body_reply_matches_constructor_form(which: str, body: bytes | None) -> None:
    reply = _body_reply(which, body)
    assert reply == _constructed(which, body)
    assert reply.WhichOneof("response") == which
    common = getattr(reply, which).response
    # None passes the body unchanged (no mutation); b"" replaces it with nothing (a held-back chunk)
    assert common.HasField("body_mutation") is (body is not None)
    if body is not None:
        assert common.body_mutation.body == body


def test_body_reply_control_sees_a_different_body() -> None:
    assert _body_reply("response_body", b"a") != _constructed("response_body", b"b")
    assert _body_reply("response_body", None) != _constructed("response_body", b"")


class _Verdicts:
    """A response-header filter stub: one fixed verdict (content-type in both lists, as an allowlist may say)."""

    def __init__(self, verdict: HeaderVerdict) -> None:
        self.verdict = verdict
        self.seen: list[tuple[str, str]] = []

    def filter(self, headers: Any, profile: str) -> HeaderVerdict:
        self.seen = list(headers)
        return self.verdict


def _headers_constructed(verdict: HeaderVerdict, ctype: str, profile: str) -> ep.ProcessingResponse:
    """The reply as the constructor form built it: mutation, verdict applied, content-type replaced, profile."""
    ow = base_pb2.HeaderValueOption.OVERWRITE_IF_EXISTS_OR_ADD
    mutation = ep.HeaderMutation(remove_headers=["content-length"])
    mutation.remove_headers.append("content-encoding")
    mutation.remove_headers.extend(verdict.remove)
    for name, value in verdict.set.items():
        mutation.set_headers.append(base_pb2.HeaderValueOption(
            header=base_pb2.HeaderValue(key=name, raw_value=value.encode()), append_action=ow))
    if ctype:
        kept = [o for o in mutation.set_headers if o.header.key.lower() != "content-type"]
        del mutation.set_headers[:]
        mutation.set_headers.extend(kept)
        removed = [h for h in mutation.remove_headers if h.lower() != "content-type"]
        del mutation.remove_headers[:]
        mutation.remove_headers.extend(removed)
        mutation.set_headers.append(base_pb2.HeaderValueOption(
            header=base_pb2.HeaderValue(key="content-type", raw_value=b"application/json"), append_action=ow))
    mutation.set_headers.append(base_pb2.HeaderValueOption(
        header=base_pb2.HeaderValue(key=P.REDACTION_PROFILE_HEADER, raw_value=profile.encode()), append_action=ow))
    return ep.ProcessingResponse(response_headers=ep.HeadersResponse(
        response=ep.CommonResponse(header_mutation=mutation)))


VERDICT = HeaderVerdict(remove=["server", "Content-Type", "x-patient"], set={"x-request-id": "req_1",
                                                                           "content-type": "text/plain",
                                                                           "x-note": "é [NAME]"}, dropped=3)


@pytest.mark.parametrize("ctype", ["application/json; charset=latin-1", ""])
def test_response_headers_reply_matches_constructor_form(ctype: str) -> None:
    svc, _ = ext_proc_service()
    stub = _Verdicts(VERDICT)
    svc.d.response_headers = stub  # type: ignore[assignment]
    pairs = [(":status", "200"), ("server", "demo")] + ([("content-type", ctype)] if ctype else [])
    msg = ep.HttpHeaders(headers=base_pb2.HeaderMap(headers=[
        base_pb2.HeaderValue(key=k, raw_value=v.encode()) for k, v in pairs]))
    st = _Stream(bound=True, request_id="r1", profile="clinical")
    reply = svc._response_headers(st, msg)  # noqa: SLF001 - the reply builder under test
    assert reply == _headers_constructed(VERDICT, ctype, "clinical")
    assert stub.seen == pairs and st.status == 200 and st.headers_dropped == 3


def test_response_headers_reply_control_sees_another_verdict() -> None:
    svc, _ = ext_proc_service()
    svc.d.response_headers = _Verdicts(VERDICT)  # type: ignore[assignment]
    msg = ep.HttpHeaders(headers=base_pb2.HeaderMap(headers=[base_pb2.HeaderValue(key=":status", raw_value=b"200")]))
    reply = svc._response_headers(_Stream(bound=True, request_id="r1", profile="clinical"), msg)  # noqa: SLF001
    assert reply != _headers_constructed(HeaderVerdict(remove=["server"]), "", "clinical")
    assert reply != _headers_constructed(VERDICT, "", "safe_harbor")


def test_local_reply_headers_reply_only_drops_content_length() -> None:
    svc, _ = ext_proc_service()
    msg = ep.HttpHeaders(headers=base_pb2.HeaderMap(headers=[base_pb2.HeaderValue(key=":status", raw_value=b"403")]))
    reply = svc._response_headers(_Stream(bound=True, local_reply=True), msg)  # noqa: SLF001
    assert reply == ep.ProcessingResponse(response_headers=ep.HeadersResponse(response=ep.CommonResponse(
        header_mutation=ep.HeaderMutation(remove_headers=["content-length"]))))
