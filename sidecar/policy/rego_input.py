"""Build rego-cpp's in-memory input straight through its C API.

``regopy.Input`` does the same conversion but wraps every node in several Python calls (about twice the
cost on the policy input); the guard converts one input per request. Values rego-cpp's input builder would
not represent exactly are refused with :class:`NotExact`: send those as JSON text instead. They are
integers outside int64 (wrapped), strings with NUL (cut), non-finite floats, non-JSON types, very deep
nesting, and strings holding a quote, a backslash or a control character: the builder stores those
unescaped and rego-cpp then writes them unescaped into its JSON output, so a request value such as a
model name could inject keys into the decision document.
"""

from __future__ import annotations

import math
import re
from typing import Any

from regopy import rego_shared as _rs

_lib = _rs.rego
_new = _lib.regoNewInput
_free = _lib.regoFreeInput
_string = _lib.regoInputString
_int = _lib.regoInputInt
_float = _lib.regoInputFloat
_bool = _lib.regoInputBoolean
_null = _lib.regoInputNull
_item = _lib.regoInputObjectItem
_object = _lib.regoInputObject
_array = _lib.regoInputArray

_INT64 = 2**63
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\]')
MAX_DEPTH = 64


class NotExact(Exception):
    """The value has a part rego-cpp's input builder would change (send it as JSON text)."""


class InputBuildError(Exception):
    """rego-cpp refused to build the input."""


def _check(code: int) -> None:
    if code != 0:
        raise InputBuildError(f"rego-cpp input builder returned {code}")


def _add(handle: int, value: Any, depth: int) -> None:
    kind = type(value)
    if kind is str:
        if _NEEDS_ESCAPE.search(value):
            raise NotExact
        _check(_string(handle, value.encode("utf-8")))  # lone surrogates: UnicodeEncodeError
    elif kind is dict:
        if depth >= MAX_DEPTH:
            raise NotExact
        for key, item in value.items():
            if type(key) is not str or _NEEDS_ESCAPE.search(key):
                raise NotExact
            _check(_string(handle, key.encode("utf-8")))
            _add(handle, item, depth + 1)
            _check(_item(handle))
        _check(_object(handle, len(value)))
    elif kind is list:
        if depth >= MAX_DEPTH:
            raise NotExact
        for item in value:
            _add(handle, item, depth + 1)
        _check(_array(handle, len(value)))
    elif kind is bool:
        _check(_bool(handle, value))
    elif kind is int:
        if not -_INT64 <= value < _INT64:
            raise NotExact
        _check(_int(handle, value))
    elif value is None:
        _check(_null(handle))
    elif kind is float:
        if not math.isfinite(value):
            raise NotExact
        _check(_float(handle, value))
    else:
        raise NotExact


def build_input(value: Any) -> int:
    """A new rego-cpp input handle holding ``value`` (release it with :func:`free_input`).
    Raises :class:`NotExact`, :class:`InputBuildError`, or ``UnicodeEncodeError`` (lone surrogates)."""
    handle = _new()
    if not handle:
        raise InputBuildError("rego-cpp could not allocate an input")
    try:
        _add(handle, value, 0)
    except BaseException:
        _free(handle)
        raise
    return handle


def free_input(handle: int) -> None:
    _free(handle)
