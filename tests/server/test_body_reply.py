"""ext_proc body replies built in place: the same messages the constructor form gave."""

from __future__ import annotations

import pytest
from envoy.service.ext_proc.v3 import external_processor_pb2 as ep

from sidecar.server.ext_proc_service import _body_reply


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
