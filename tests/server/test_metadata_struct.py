"""The hand-off metadata is built and read field by field (cheaper than protobuf's generic Struct walks on every
request): both directions give exactly what ``Struct.update`` / ``MessageToDict`` give, for the hand-off's own
values and for anything else a Struct can hold."""

from __future__ import annotations

import operator
from dataclasses import fields, replace
from typing import Any

import pytest
from google.protobuf import struct_pb2
from google.protobuf.json_format import MessageToDict
from hypothesis import given, settings
from hypothesis import strategies as st

from sidecar import protocol as P
from sidecar.server.authz_translate import _struct
from sidecar.server.handoff import Handoff, MetadataStructs, read_metadata, struct_document

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


# --- the Check path fills the Struct from a template per repeating part (sidecar.server.handoff.MetadataStructs)

_words = st.sampled_from(["", "a", "clinician", "gpt-4o", "x" * 3])
handoffs = st.builds(
    Handoff, request_id=_words, decision_id=_words, policy_version=_words, response_profile=_words,
    request_profile=_words, sub=_words, iss=_words, auth_method=st.sampled_from(["jwt", "mtls"]),
    roles=st.lists(_words, max_size=2).map(tuple), client_id=_words, approval_ref=_words, break_glass=st.booleans(),
    request_sha256=_words, request_content_type=_words, request_content_encoding=_words, api=_words, model=_words,
    rpc_method=_words, permitted_tools=st.one_of(st.none(), st.lists(_words, max_size=2).map(tuple)),
    authorized_at=st.sampled_from([0.0, 1.7e9, 1765000000.125]), tools=st.lists(_words, max_size=2).map(tuple),
)


def _templated(structs: MetadataStructs, handoff: Handoff) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    structs.fill(handoff, out)
    return out


@settings(max_examples=300, deadline=None)
@given(batch=st.lists(handoffs, min_size=1, max_size=6))
def test_templated_metadata_equals_the_handoff_document(batch: list[Handoff]) -> None:
    """Each hand-off's Struct equals ``Struct.update(to_metadata())``, also when templates are shared between
    hand-offs that differ only in per-request fields (and read back to the same hand-off)."""
    structs = MetadataStructs(max_templates=3)
    for h in [*batch, *(replace(h, request_id=f"r{i}", decision_id="", authorized_at=float(i))
                        for i, h in enumerate(batch))]:
        got = _templated(structs, h)
        assert got == _reference(h.to_metadata())
        if h.request_id and h.decision_id:
            assert read_metadata({P.EXT_AUTHZ_METADATA_NAMESPACE: got}).handoff == h


def test_control_a_template_key_without_a_field_serves_a_stale_value(monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: the oracle above fails if the template key drops a repeating field (here the model)."""
    import sidecar.server.handoff as handoff_mod

    names = [f.name for f in fields(Handoff) if f.name not in handoff_mod._PER_REQUEST and f.name != "model"]
    monkeypatch.setattr(handoff_mod, "_TEMPLATE_KEY", operator.attrgetter(*names))
    structs = MetadataStructs()
    assert _templated(structs, HANDOFF) == _reference(HANDOFF.to_metadata())
    other = replace(HANDOFF, model="gpt-5", request_id="req-2")
    assert _templated(structs, other) != _reference(other.to_metadata())


def test_the_template_store_is_bounded() -> None:
    structs = MetadataStructs(max_templates=2)
    for sub in ("a", "b", "c", "d", "e"):
        _templated(structs, replace(HANDOFF, sub=sub))
        assert len(structs._templates) <= 2
