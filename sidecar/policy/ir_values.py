"""Rego values in plain Python for the compiled engine (:mod:`sidecar.policy.compiled`), with OPA's semantics.

Input and data are used as JSON decodes them (dict with str keys, list, str, int, float, bool, None): no
conversion. The one added type is :class:`RSet` (Rego sets may hold objects and arrays). Rego equality differs
from Python's on booleans (``true != 1``) and on nesting, so comparisons go through :func:`eq`; ordering is
OPA's total order (null < boolean < number < string < array < object < set), :func:`order_key`.

Builtins take Rego values and return a value; an operand of the wrong type raises :class:`RegoRuntimeError`,
as OPA does with strict builtin errors (the golib engine's mode: the evaluation fails, the request is
refused). Only the builtins in :data:`BUILTINS` exist; a policy calling another is refused at load.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

U: Any = type("Undefined", (), {"__repr__": lambda self: "undefined"})()  # an undefined local / result


class RegoRuntimeError(Exception):
    """Evaluation cannot go on (a conflict, or a value this engine does not represent): fail closed."""


class RSet(dict):  # type: ignore[type-arg]
    """A Rego set: :func:`hkey` of each member -> the member."""

    __slots__ = ()

    def add(self, v: Any) -> None:
        self[hkey(v)] = v

    def members(self) -> list[Any]:
        """Members in OPA's order (sets iterate sorted)."""
        return sorted(self.values(), key=order_key)


_NUM = (int, float)


def hkey(v: Any) -> Any:
    """A hashable key equal for Rego-equal values and distinct otherwise."""
    t = type(v)
    if t is str or t is int or v is None:
        return v
    if t is float:
        return int(v) if v.is_integer() else v
    if t is bool:
        return ("b", v)
    if t is list:
        return ("a", tuple(hkey(x) for x in v))
    if t is dict:
        return ("o", frozenset((hkey(k), hkey(x)) for k, x in v.items()))
    if t is RSet:
        return ("s", frozenset(v.keys()))
    raise RegoRuntimeError(f"value of type {t.__name__} is not a Rego value")


def eq(a: Any, b: Any) -> bool:
    """Rego equality (``==``)."""
    ta, tb = type(a), type(b)
    if ta is tb:
        if ta is list:
            return len(a) == len(b) and all(eq(x, y) for x, y in zip(a, b, strict=True))
        if ta is dict:
            return a.keys() == b.keys() and all(eq(x, b[k]) for k, x in a.items())
        if ta is RSet:
            return a.keys() == b.keys()
        return bool(a == b)
    if ta in _NUM and tb in _NUM:
        return bool(a == b)
    return False


def _rank(v: Any) -> int:
    t = type(v)
    if v is None:
        return 0
    if t is bool:
        return 1
    if t is int or t is float:
        return 2
    if t is str:
        return 3
    if t is list:
        return 4
    if t is dict:
        return 5
    if t is RSet:
        return 6
    raise RegoRuntimeError(f"value of type {t.__name__} is not a Rego value")


def order_key(v: Any) -> Any:
    """A key whose Python order is OPA's order of Rego values (strings by code point, i.e. by UTF-8 bytes)."""
    r = _rank(v)
    if r == 0:
        return (0,)
    if r <= 3:
        return (r, v)
    if r == 4:
        return (4, tuple(order_key(x) for x in v))
    if r == 5:
        items = sorted(((order_key(k), order_key(x)) for k, x in v.items()), key=lambda kv: kv[0])
        return (5, tuple(items))
    return (6, tuple(sorted(order_key(x) for x in v.values())))


def compare(a: Any, b: Any) -> int:
    ta, tb = type(a), type(b)
    if (ta is tb and (ta is str or ta is int or ta is float)) or (ta in _NUM and tb in _NUM):
        return (a > b) - (a < b)
    ka, kb = order_key(a), order_key(b)
    return (ka > kb) - (ka < kb)


def dot(src: Any, key: Any) -> Any:
    """``src[key]`` or :data:`U`."""
    t = type(src)
    if t is dict:
        tk = type(key)
        if tk is str:
            return src.get(key, U)
        if tk is list or tk is dict or tk is RSet or tk is bool:
            return U  # objects built here hold only scalar, non-boolean keys (insert refuses others)
        return src.get(key, U)
    if t is list:
        tk = type(key)
        if tk is float and key.is_integer():
            key = int(key)
        elif tk is not int:
            return U
        return src[key] if 0 <= key < len(src) else U
    if t is RSet:
        return key if hkey(key) in src else U
    return U


def obj_key(key: Any) -> Any:
    """``key`` as a Python dict key; booleans and collections as object keys are not represented here."""
    t = type(key)
    if t is bool or t is list or t is dict or t is RSet:
        raise RegoRuntimeError("object keys other than strings, numbers and null are not supported")
    return hkey(key)


def scan(src: Any) -> Iterable[tuple[Any, Any]]:
    """(key, value) pairs of a collection in OPA's order (objects by key, sets sorted); nothing for scalars."""
    t = type(src)
    if t is list:
        return enumerate(src)
    if t is dict:
        if len(src) < 2:
            return src.items()
        keys = list(src)
        if all(type(k) is str for k in keys):
            return [(k, src[k]) for k in sorted(keys)]
        return [(k, src[k]) for k in sorted(keys, key=order_key)]
    if t is RSet:
        return [(v, v) for v in src.members()]
    return ()


def to_json(v: Any) -> Any:
    """A fresh JSON-shaped copy of a result (sets as sorted arrays, as OPA serialises them)."""
    t = type(v)
    if t is str or t is bool or t is int or v is None:
        return v
    if t is dict:
        out = {}
        for k, x in v.items():
            if type(k) is not str:
                raise RegoRuntimeError("an object with a non-string key cannot be serialised")
            out[k] = to_json(x)
        return out
    if t is list:
        return [to_json(x) for x in v]
    if t is RSet:
        return [to_json(x) for x in v.members()]
    return v


def checked_prune(value: Any, tree: dict[str, Any]) -> Any:
    """``sidecar.policy.input_keys.prune`` and :func:`check_input` of what it keeps, in one walk."""
    if not tree or type(value) is not dict:
        check_input(value)
        return value
    out = {}
    for k, sub in tree.items():
        if k in value:
            out[k] = checked_prune(value[k], sub)
    return out


def check_input(v: Any) -> None:
    """Raise :class:`RegoRuntimeError` unless ``v`` is JSON-shaped and encodes as UTF-8 (what OPA accepts)."""
    t = type(v)
    if t is str:
        if not v.isascii():
            _utf8(v)
    elif t is dict:
        for k, x in v.items():
            if type(k) is not str:
                raise RegoRuntimeError("input object keys must be strings")
            if not k.isascii():
                _utf8(k)
            check_input(x)
    elif t is list:
        for x in v:
            check_input(x)
    elif t is float:
        if not math.isfinite(v):
            raise RegoRuntimeError("input holds a non-finite number")
    elif not (t is int or t is bool or v is None):
        raise RegoRuntimeError(f"input holds a {t.__name__}, not a JSON value")


def _utf8(s: str) -> None:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        raise RegoRuntimeError("input holds a string that is not valid UTF-8 (a lone surrogate)") from None


# --- builtins -------------------------------------------------------------------------------------------------


def _is_num(v: Any) -> bool:
    t = type(v)
    return t is int or t is float


def _concat(delim: Any, coll: Any) -> Any:
    if type(delim) is not str:
        raise RegoRuntimeError("concat: operand of the wrong type")
    items = coll if type(coll) is list else coll.members() if type(coll) is RSet else None
    if items is None or any(type(s) is not str for s in items):
        raise RegoRuntimeError("concat: operand of the wrong type")
    return delim.join(items)


def _count(v: Any) -> Any:
    t = type(v)
    if t is str or t is list or t is dict or t is RSet:
        return len(v)
    raise RegoRuntimeError("count: operand of the wrong type")


def _cmp(op: Callable[[int], bool]) -> Callable[[Any, Any], Any]:
    return lambda a, b: op(compare(a, b))


def _member(x: Any, coll: Any) -> Any:
    t = type(coll)
    if t is list:
        return any(eq(x, y) for y in coll)
    if t is dict:
        return any(eq(x, y) for y in coll.values())
    if t is RSet:
        return hkey(x) in coll
    return False


def _num(v: Any) -> Any:
    return int(v) if type(v) is float and v.is_integer() and abs(v) < 2**53 else v


def _minus(a: Any, b: Any) -> Any:
    if _is_num(a) and _is_num(b):
        return _num(a - b)
    if type(a) is RSet and type(b) is RSet:
        return RSet((k, v) for k, v in a.items() if k not in b)
    raise RegoRuntimeError("minus: operand of the wrong type")


def _object_get(obj: Any, key: Any, default: Any) -> Any:
    if type(obj) is not dict:
        raise RegoRuntimeError("object_get: operand of the wrong type")
    if type(key) is not list:
        v = dot(obj, key)
        return default if v is U else v
    cur = obj
    for step in key:
        cur = dot(cur, step)
        if cur is U:
            return default
    return cur


def _union(a: Any, b: Any) -> Any:
    if type(a) is not RSet or type(b) is not RSet:
        raise RegoRuntimeError("union: operand of the wrong type")
    out = RSet(a)
    out.update(b)
    return out


def _sort(coll: Any) -> Any:
    if type(coll) is list:
        return sorted(coll, key=order_key)
    if type(coll) is RSet:
        return coll.members()
    raise RegoRuntimeError("sort: operand of the wrong type")


def _split(s: Any, d: Any) -> Any:
    if type(s) is not str or type(d) is not str:
        raise RegoRuntimeError("split: operand of the wrong type")
    return list(s) if d == "" else s.split(d)


def _startswith(s: Any, p: Any) -> Any:
    if type(s) is not str or type(p) is not str:
        raise RegoRuntimeError("startswith: operand of the wrong type")
    return s.startswith(p)


def _extreme(pick: Callable[..., Any], name: str) -> Callable[[Any], Any]:
    def fn(coll: Any) -> Any:
        items = coll if type(coll) is list else list(coll.values()) if type(coll) is RSet else None
        if items is None:
            raise RegoRuntimeError(f"{name}: operand of the wrong type")
        return pick(items, key=order_key) if items else U  # of nothing: undefined, as OPA
    return fn


def _endswith(s: Any, p: Any) -> Any:
    if type(s) is not str or type(p) is not str:
        raise RegoRuntimeError("endswith: operand of the wrong type")
    return s.endswith(p)


def _sum(coll: Any) -> Any:
    items = coll if type(coll) is list else list(coll.values()) if type(coll) is RSet else None
    if items is None or not all(_is_num(x) for x in items):
        raise RegoRuntimeError("sum: operand of the wrong type")
    return _num(sum(items))


def _go_float(f: float) -> str:
    """Go's ``%v`` of a float64 (``strconv.FormatFloat(f, 'g', -1, 64)``): shortest round-trip digits, exponent
    form below 1e-4 and from 1e6."""
    if f == 0:
        return "0"
    d = Decimal(repr(abs(f)))
    digits = "".join(map(str, d.as_tuple().digits)).rstrip("0") or "0"
    x = d.adjusted()  # exponent of the first digit
    sign = "-" if f < 0 else ""
    if x < -4 or x >= 6:
        m = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{m}e{'+' if x >= 0 else '-'}{abs(x):02d}"
    if x < 0:
        return f"{sign}0.{'0' * (-x - 1)}{digits}"
    if x + 1 >= len(digits):
        return sign + digits + "0" * (x + 1 - len(digits))
    return f"{sign}{digits[: x + 1]}.{digits[x + 1 :]}"


_GO_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
               "\v": "\\v", '"': '\\"', "\\": "\\\\"}


def _go_quote(s: str) -> str:
    """Go's ``strconv.Quote`` (how OPA prints a string inside a collection)."""
    out = ['"']
    for ch in s:
        esc = _GO_ESCAPES.get(ch)
        if esc is not None:
            out.append(esc)
        elif ch == " " or ch.isprintable():
            out.append(ch)
        else:
            o = ord(ch)
            out.append(f"\\x{o:02x}" if o < 0x80 else f"\\u{o:04x}" if o <= 0xFFFF else f"\\U{o:08x}")
    out.append('"')
    return "".join(out)


def rego_text(v: Any) -> str:
    """OPA's text of a value (``ast.Value.String()``), as sprintf's ``%v`` prints collections."""
    t = type(v)
    if v is None:
        return "null"
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if t is float:
        return repr(v)  # the number's JSON text, as OPA keeps it
    if t is str:
        return _go_quote(v)
    if t is list:
        return "[" + ", ".join(rego_text(x) for x in v) + "]"
    if t is dict:
        items = sorted(v.items(), key=lambda kv: order_key(kv[0]))
        return "{" + ", ".join(f"{rego_text(k)}: {rego_text(x)}" for k, x in items) + "}"
    if t is RSet:
        return "{" + ", ".join(rego_text(x) for x in v.members()) + "}" if v else "set()"
    raise RegoRuntimeError(f"value of type {t.__name__} is not a Rego value")


_INT_TEXT = re.compile(r"(-?\d+)(?:\.0+)?")


def _go_arg(v: Any) -> tuple[str, str, str]:
    """(Go type, ``%v`` text, ``%d`` text or "") of a sprintf argument as OPA hands it to Go's fmt, decided on
    the number's JSON text as OPA holds it: integer text (``.0`` allowed) in int64 range as int64, other text
    with a decimal point as float64, anything else (``1e+16``, huge integers, non-numbers) as a string."""
    t = type(v)
    if t is int or t is float:
        text = str(v) if t is int else repr(v)
        m = _INT_TEXT.fullmatch(text)
        if m and -(2**63) <= int(m.group(1)) < 2**63:
            n = str(int(m.group(1)))
            return "int64", n, n
        if "." in text:
            return "float64", _go_float(float(v)), ""
        return "string", text, ""
    if t is str:
        return "string", v, ""
    return "string", rego_text(v), ""


def _fmt_arg(v: Any, verb: str) -> str:
    gotype, text, as_int = _go_arg(v)
    if verb == "v" or (verb == "d" and as_int) or (verb == "s" and gotype == "string"):
        return text if verb != "d" else as_int
    return f"%!{verb}({gotype}={text})"


def _sprintf(fmt: Any, args: Any) -> Any:
    """OPA's sprintf for the verbs %s, %v, %d and %% (Go's fmt, bad verbs and argument counts included)."""
    if type(fmt) is not str or type(args) is not list:
        raise RegoRuntimeError("sprintf: operand of the wrong type")
    out: list[str] = []
    i = 0
    n = 0
    while i < len(fmt):
        j = fmt.find("%", i)
        if j < 0:
            out.append(fmt[i:])
            break
        out.append(fmt[i:j])
        verb = fmt[j + 1 : j + 2]
        i = j + 2
        if verb == "%":
            out.append("%")
        elif verb in ("s", "v", "d"):
            if n >= len(args):
                out.append(f"%!{verb}(MISSING)")
            else:
                out.append(_fmt_arg(args[n], verb))
                n += 1
        else:
            raise RegoRuntimeError(f"sprintf verb %{verb} is not supported")
    if n < len(args):
        extra = []
        for v in args[n:]:
            gotype, text, _ = _go_arg(v)
            extra.append(f"{gotype}={text}")
        out.append("%!(EXTRA " + ", ".join(extra) + ")")
    return "".join(out)


def _is_type(check: Callable[[Any], bool]) -> Callable[[Any], Any]:
    return lambda v: check(v)


BUILTINS: dict[str, Callable[..., Any]] = {
    "concat": _concat,
    "count": _count,
    "equal": eq,
    "neq": lambda a, b: not eq(a, b),
    "gt": _cmp(lambda c: c > 0),
    "gte": _cmp(lambda c: c >= 0),
    "lt": _cmp(lambda c: c < 0),
    "lte": _cmp(lambda c: c <= 0),
    "internal.member_2": _member,
    "is_number": _is_type(_is_num),
    "is_string": _is_type(lambda v: type(v) is str),
    "is_boolean": _is_type(lambda v: type(v) is bool),
    "is_array": _is_type(lambda v: type(v) is list),
    "is_object": _is_type(lambda v: type(v) is dict),
    "is_set": _is_type(lambda v: type(v) is RSet),
    "is_null": _is_type(lambda v: v is None),
    "minus": _minus,
    "max": _extreme(max, "max"),
    "min": _extreme(min, "min"),
    "object.get": _object_get,
    "or": _union,
    "sort": _sort,
    "split": _split,
    "sprintf": _sprintf,
    "startswith": _startswith,
    "endswith": _endswith,
    "sum": _sum,
}

# Builtins whose result can be undefined (the rest return a value or raise).
MAY_BE_UNDEFINED = frozenset({"max", "min"})
