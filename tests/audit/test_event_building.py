"""Audit event building: the field-by-field Struct fill and the cached Mapping test give what the generic paths
(``Struct.update``, ``isinstance(obj, Mapping)``) give."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from google.protobuf import struct_pb2
from hypothesis import given, settings
from hypothesis import strategies as st

from sidecar.audit.events import _get, _json_safe, _update_struct, request_event


def _generic(value: Mapping[str, Any]) -> bytes:
    s = struct_pb2.Struct()
    try:
        s.update(value)
    except (ValueError, TypeError, AttributeError):
        s.Clear()
        s.update(_json_safe(dict(value)))
    return s.SerializeToString(deterministic=True)


def _fast(value: Mapping[str, Any]) -> bytes:
    s = struct_pb2.Struct()
    _update_struct(s, value)
    return s.SerializeToString(deterministic=True)


@pytest.mark.parametrize("value", [
    {"provider": "openai", "stream": False, "messages": 3, "text_chars": 660, "temperature": 0.2},
    {"topics": ["hiv", "genetic"], "response_format": {"type": "json_object"}, "user": None, "n": 2**60},
    {"stop": ["\n", 7, None, True], "flag": True, "zero": 0, "neg": -0.0},
    {"odd": object(), "fine": "x"},  # not a Struct value: the whole mapping is stored as its JSON form
    {"nan": float("nan")},
])
def test_struct_fill_matches_struct_update(value: dict[str, Any]) -> None:
    assert _fast(value) == _generic(value)


def test_struct_fill_control_differs_on_other_value() -> None:
    """Control: the comparison above sees a changed value (it is not comparing empty messages)."""
    assert _fast({"stream": True}) != _generic({"stream": False})
    assert _fast({"n": 1}) != _generic({"n": "1"})


class _Doc(Mapping[str, Any]):
    """A Mapping that is not a dict (and has an attribute of the same name as a key, that must not be read)."""

    model = "attribute, not item"

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


@dataclass
class _Obj:
    model: str = "from attribute"


def test_get_reads_mappings_by_key_and_objects_by_attribute() -> None:
    for _ in range(2):  # second round: the cached answer per type
        assert _get({"model": "m"}, "model") == "m"
        assert _get(_Doc({"model": "item"}), "model") == "item"
        assert _get(_Doc({}), "model", "dflt") == "dflt"
        assert _get(_Obj(), "model") == "from attribute"
        assert _get(_Obj(), "missing", 5) == 5
        assert _get(None, "model", "d") == "d"


def test_request_event_takes_parameters_from_mapping_and_object_alike() -> None:
    @dataclass
    class _AI:
        api: str = "openai.chat"
        model: str = "m"
        provider: str = "openai"
        stream: bool = True
        messages: int = 2
        topics: tuple[str, ...] = ("hiv",)

    from_obj = request_event(ai=_AI(), outcome="allowed", at=1.0)
    from_map = request_event(ai={"api": "openai.chat", "model": "m", "provider": "openai", "stream": True,
                                 "messages": 2, "topics": ["hiv"]}, outcome="allowed", at=1.0)
    from_obj.event_id = from_map.event_id = "x"
    assert from_obj.SerializeToString(deterministic=True) == from_map.SerializeToString(deterministic=True)
    assert from_obj.request.parameters["messages"] == 2
    assert from_obj.request.parameters["stream"] is True
    assert list(from_obj.request.parameters["topics"]) == ["hiv"]


def _reference_parameters(ai: Any) -> dict[str, Any]:
    """The parameters as they were read before (``_get`` per field, ``isinstance`` on the body)."""
    from sidecar.audit.events import _AI_FIELDS, _BODY_PARAMETERS

    explicit = _get(ai, "parameters", None)
    if explicit:
        return dict(explicit)
    out: dict[str, Any] = {}
    for name in _AI_FIELDS:
        v = _get(ai, name, None)
        if v not in (None, [], ""):
            out[name] = v
    body = _get(ai, "body", None)
    if isinstance(body, Mapping):
        for name in _BODY_PARAMETERS:
            if name in body and body[name] is not None:
                out.setdefault(name, body[name])
    return out


_leaf = st.one_of(st.none(), st.just([]), st.just(""), st.just(0), st.just(False), st.just(0.0), st.text(max_size=3),
                  st.lists(st.text(max_size=2), max_size=2), st.integers(-3, 3), st.booleans())
_fields = st.sampled_from(["provider", "stream", "max_tokens", "tools", "messages", "text_chars", "rpc_method",
                           "patient_count", "topics", "parse_error", "temperature", "seed", "other"])


@settings(max_examples=300, deadline=None)
@given(doc=st.dictionaries(_fields, _leaf, max_size=8),
       body=st.one_of(st.none(), st.text(max_size=2), st.dictionaries(_fields, _leaf, max_size=5)),
       explicit=st.one_of(st.none(), st.just({}), st.just({"temperature": 0.2})))
def test_parameters_are_read_as_before_from_objects_and_mappings(doc: dict[str, Any], body: Any,
                                                                 explicit: Any) -> None:
    from sidecar.ai_request import AIRequest
    from sidecar.audit.events import _parameters

    mapping = {**doc, "body": body, **({"parameters": explicit} if explicit is not None else {})}
    assert _parameters(mapping) == _reference_parameters(mapping)
    obj = AIRequest(body=body)
    for k, v in doc.items():
        if hasattr(obj, k):
            setattr(obj, k, v)
    assert _parameters(obj) == _reference_parameters(obj)
    assert _parameters(None) == _reference_parameters(None) == {}


def test_control_a_parameter_read_wrongly_is_seen() -> None:
    """Control: the comparison above sees one field read differently (a falsy value kept)."""
    from sidecar.audit.events import _parameters

    doc = {"stream": False, "tools": [], "messages": 0}
    assert _parameters(doc) == _reference_parameters(doc) == {"stream": False, "messages": 0}
    assert {k: v for k, v in doc.items() if v is not None} != _reference_parameters(doc)
