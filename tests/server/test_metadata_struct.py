"""The hand-off metadata is built and read field by field (cheaper than protobuf's generic Struct walks on every
request): both directions give exactly what ``Struct.update`` / ``MessageToDict`` give, for the hand-off's own
values and for anything else a Struct can hold."""

from __future__ import annotations

from typing import Any

import pytest
from google.protobuf import struct_pb2
from google.protobuf.json_format import MessageToDict
from hypothesis import given, settings
from hypothesis import strategies as st

from sidecar import protocol as P
from sidecar.server.authz_translate import _struct
from sidecar.server.handoff import Handoff, read_metadata, struct_document

HANDOFF = Handoff(request_id="req-1", decision_id="dec-1", policy_version="sha256:ab", response_profile="clinical",
                  sub="dr.who", iss="https://idp", auth_method="jwt", roles=("clinician", "nurse"),
                  request_sha256="0" * 64, request_content_type="application/json", api="openai.chat",
                  model="gpt-4o", permitted_tools=("ehr.get_labs",), break_glass=True, authorized_at=1.7e9)

scalars = st.one_of(st.none(), st.booleans(), st.text(max_size=8),
                    st.floats(allow_nan=False, allow_infinity=False), st.integers(-(2**40), 2**40))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.text(max_size=4), inner, max_size=3)),
                      max_leaves=8)


def _reference(doc: dict[str, Any]) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update({k: v for k, v in doc.items() if v is not None})
    return s


def test_handoff_metadata_round_trips_through_the_field_by_field_paths() -> None:
    md = _struct(HANDOFF.to_metadata())
    assert md == _reference(HANDOFF.to_metadata())
    assert struct_document(md) == MessageToDict(md)
    ctx = read_metadata({P.EXT_AUTHZ_METADATA_NAMESPACE: md})
    assert ctx.handoff == HANDOFF


@settings(max_examples=200, deadline=None)
@given(doc=st.dictionaries(st.text(max_size=6), values, max_size=6))
def test_struct_paths_match_protobufs_generic_ones(doc: dict[str, Any]) -> None:
    ours, reference = _struct(doc), _reference(doc)
    assert ours == reference
    assert struct_document(reference) == MessageToDict(reference)


@pytest.mark.parametrize("doc", [{"roles": []}, {"roles": ["clinician"]}, {"roles": ["a", "", "b"], "n": 1},
                                 {"mixed": ["a", 1]}, {"nested": [["a"]]}, {"tools": ["x"], "none": None}])
def test_string_lists_match_struct_update(doc: dict[str, Any]) -> None:
    assert _struct(doc) == _reference(doc)
    assert _struct(doc).SerializeToString(deterministic=True) == _reference(doc).SerializeToString(deterministic=True)


def test_control_a_changed_value_is_seen() -> None:
    """Control: the comparison above fails when one side differs by one value."""
    md = _struct(HANDOFF.to_metadata())
    other = _reference({**HANDOFF.to_metadata(), P.MD_RESPONSE_PROFILE: "standard"})
    assert md != other
    with pytest.raises(AssertionError):
        assert struct_document(md) == MessageToDict(other)
