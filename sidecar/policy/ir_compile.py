"""OPA's intermediate representation (IR plan, the format ``opa build -t plan`` emits and OPA's Wasm compiler
consumes) compiled to Python functions.

The plan comes from the Rego at policy load (:func:`sidecar.policy.ir_plan.build_plan`): blocks of simple
statements over numbered locals. Each IR function becomes one Python function, each block a ``while True``
loop that a failing statement leaves with ``break`` (IR: "if a statement is undefined, exit the block"); a scan
is a ``for`` loop around its block; ``not`` runs its block and fails when the block completes. Rules (IR
functions of ``input`` and ``data`` only) are memoised per evaluation, as OPA's evaluators do.

Only the statements in :data:`_STMTS` and the builtins of :data:`sidecar.policy.ir_values.BUILTINS` are
compiled; anything else (``with``, dynamic calls, breaks out of several blocks, other builtins) raises
:class:`UnsupportedPlan` at load, so the policy is served by another engine instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from sidecar.policy import ir_values as rv

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")

Plan = Callable[[dict[str, Any], Any, Any], list[Any]]  # (memo, input, data) -> result set


class UnsupportedPlan(Exception):
    """The plan uses something this compiler does not implement (named in the message)."""


def decode_string(s: str) -> str:
    """A plan string as a value. rego-cpp writes string literals of expressions as their JSON text (quoted,
    escaped) and every other string (names, keys, literals folded into values) escaped but unquoted; a string
    starting with an unescaped quote is therefore always a quoted literal. OPA writes strings raw (no escape
    sequences, no quotes): as long as they hold no backslash, both readings agree."""
    text = s if len(s) >= 2 and s[0] == '"' and s[-1] == '"' else f'"{s}"'
    try:
        value = json.loads(text)
    except ValueError:
        return s
    return value if isinstance(value, str) else s


def _number(text: str) -> int | float:
    if not _NUMBER.fullmatch(text):
        raise UnsupportedPlan(f"number literal {text!r} is not a JSON number")
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    f = float(text)
    return int(f) if f.is_integer() and abs(f) < 2**53 else f


class _Compiler:
    def __init__(self, plan: dict[str, Any]) -> None:
        static = plan.get("static") or {}
        self.strings = [decode_string(s["value"]) for s in static.get("strings") or []]
        self.funcs = {f["name"]: (i, f) for i, f in enumerate((plan.get("funcs") or {}).get("funcs") or [])}
        self.consts: dict[str, Any] = {}
        self.lines: list[str] = []
        self.flag = 0
        self.memo_key: int | None = None
        self.builtins_used: set[str] = set()
        self.data: Any = rv.U  # the data document, when known at compile time (constants fold into the code)
        self.single: set[str] = set()  # locals of the current function with one definition, before any use
        self.known: dict[str, str] = {}  # local -> constant name, for single-definition constants
        self.assigned_once: set[str] = set()
        self.mutations: dict[str, int] = {}
        self.made: set[str] = set()  # single-definition locals holding a fresh collection (always defined)
        self.const_values: dict[str, Any] = {}
        self._const_ids: dict[Any, str] = {}

    # --- operands ----------------------------------------------------------------------------------------------

    def const(self, value: Any) -> str:
        t = type(value)
        ident = (t, value) if t in (str, int, float, bool) or value is None else (t, id(value))
        name = self._const_ids.get(ident)
        if name is None:
            name = self._const_ids[ident] = f"c{len(self.consts)}"
            self.consts[name] = value
            self.const_values[name] = value
        return name

    def operand(self, op: dict[str, Any]) -> str:
        t, v = op.get("type"), op.get("value")
        if t == "local":
            name = f"l{int(v)}"  # type: ignore[arg-type]
            return self.known.get(name, name)
        if t == "bool":
            return "True" if v else "False"
        if t == "string_index":
            return self.const(self.strings[int(v)])  # type: ignore[arg-type]
        raise UnsupportedPlan(f"operand type {t!r}")

    def local(self, index: Any) -> str:
        """A local read by number (folded locals read as their constant)."""
        name = f"l{int(index)}"
        return self.known.get(name, name)

    def str_const(self, op: dict[str, Any]) -> str | None:
        """The operand's string when it is a string constant."""
        if op.get("type") == "string_index":
            return self.strings[int(op["value"])]
        return None

    def value_of(self, op: dict[str, Any]) -> Any:
        """The operand's value when known at compile time, else :data:`rv.U`."""
        if op.get("type") == "local" and int(op["value"]) == 1:
            return self.data
        name = self.operand(op)
        if name in ("True", "False"):
            return name == "True"
        return self.const_values.get(name, rv.U)

    def fold(self, target: int, value: Any) -> bool:
        """Make ``target`` the constant ``value`` (no code) when it is defined once, before any use."""
        name = f"l{target}"
        if name not in self.single or value is rv.U:
            return False
        self.known[name] = self.const(value)
        return True

    # --- statements ----------------------------------------------------------------------------------------------

    def emit(self, ind: int, line: str) -> None:
        self.lines.append("    " * ind + line)

    def block(self, stmts: list[dict[str, Any]], ind: int, on_complete: str | None = None) -> None:
        self.emit(ind, "while True:")
        i = 0
        while i < len(stmts):
            s = stmts[i]
            nested = (s.get("stmt") or {}).get("blocks") or []
            if on_complete is None and i == len(stmts) - 1 and s.get("type") == "BlockStmt" and len(nested) == 1:
                # A last statement that is one block: leaving it or this block is the same, so inline it.
                stmts, i = nested[0]["stmts"], 0
                continue
            folded = self.constant_object(stmts, i)
            if not folded:
                self.stmt(s, ind + 1)
            i += folded or 1
        if on_complete:
            self.emit(ind + 1, on_complete)
        self.emit(ind + 1, "break")

    def constant_object(self, stmts: list[dict[str, Any]], i: int) -> int:
        """Fold ``MakeObject`` followed by every insert into it, all of known keys and values, into a constant;
        the number of statements folded (0: none)."""
        s = stmts[i]
        if s.get("type") != "MakeObjectStmt":
            return 0
        name = f"l{int(s['stmt']['target'])}"
        if name not in self.assigned_once:
            return 0
        obj: dict[Any, Any] = {}
        j = i + 1
        while j < len(stmts) and stmts[j].get("type") == "ObjectInsertStmt":
            a = stmts[j]["stmt"]
            if f"l{int(a['object'])}" != name:
                break
            key, value = self.value_of(a["key"]), self.value_of(a["value"])
            if type(key) is not str or value is rv.U:
                return 0
            obj[key] = value
            j += 1
        if self.mutations.get(name, 0) != j - i - 1:
            return 0  # changed elsewhere too
        self.known[name] = self.const(obj)
        return j - i

    def set_add(self, a: dict[str, Any], ind: int) -> None:
        target, value = f"l{int(a['set'])}", self.value_of(a["value"])
        if value is not rv.U:
            self.emit(ind, f"{target}[{self.const(rv.hkey(value))}] = {self.operand(a['value'])}")
        else:
            self.emit(ind, f"{target}.add({self.operand(a['value'])})")

    def blocks(self, a: dict[str, Any], ind: int) -> None:
        for b in a.get("blocks") or []:
            self.block(b["stmts"], ind)

    def length(self, a: dict[str, Any], ind: int) -> None:
        tgt = f"l{int(a['target'])}"
        src = a["source"]
        value = self.operand(src) if isinstance(src, dict) else self.local(src)
        self.emit(ind, f"{tgt} = count({value})")  # raises on a non-collection (fail closed)

    def stmt(self, s: dict[str, Any], ind: int) -> None:
        t = s.get("type")
        a = s.get("stmt") or {}
        handler = _STMTS.get(t or "")
        if handler is None:
            raise UnsupportedPlan(f"statement {t}")
        handler(self, a, ind)

    def call(self, a: dict[str, Any], ind: int) -> None:
        func = a["func"]
        args = [self.operand(x) for x in a.get("args") or []]
        r = f"l{int(a['result'])}"
        if func in self.funcs:
            index = self.funcs[func][0]
            if len(args) == 2:  # a rule: memoised; a hit costs no call
                self.emit(ind, f"{r} = m.get({index}, MISS)")
                self.emit(ind, f"if {r} is MISS: {r} = f{index}(m, {', '.join(args)})")
            else:
                self.emit(ind, f"{r} = f{index}(m, {', '.join(args)})")
        elif func in rv.BUILTINS:
            self.builtins_used.add(func)
            self.emit(ind, f"{r} = {self.const(rv.BUILTINS[func])}({', '.join(args)})")
            if func not in rv.MAY_BE_UNDEFINED:
                if r in self.assigned_once:
                    self.made.add(r)  # these builtins return a value or raise: never undefined
                return
        else:
            raise UnsupportedPlan(f"builtin {func}")
        self.emit(ind, f"if {r} is U: break")

    def dot(self, a: dict[str, Any], ind: int) -> None:
        base, k = self.value_of(a["source"]), self.value_of(a["key"])
        if base is not rv.U and k is not rv.U and type(k) is str:
            found = rv.dot(base, k)
            if found is rv.U:
                self.emit(ind, "break")  # a path absent from data: the statement always fails
                return
            if self.fold(int(a["target"]), found):
                return
        src, key, tgt = self.operand(a["source"]), self.operand(a["key"]), f"l{int(a['target'])}"
        if self.str_const(a["key"]) is not None and src == "l0":
            self.emit(ind, f"{tgt} = l0.get({key}, U)")  # the input is an object (run() checks)
        elif self.str_const(a["key"]) is not None:
            self.emit(ind, f"{tgt} = {src}.get({key}, U) if type({src}) is dict else dot({src}, {key})")
        else:
            self.emit(ind, f"{tgt} = dot({src}, {key})")
        self.emit(ind, f"if {tgt} is U: break")

    def equal(self, a: dict[str, Any], ind: int) -> None:
        x, y = self.operand(a["a"]), self.operand(a["b"])
        vx, vy = self.value_of(a["a"]), self.value_of(a["b"])
        if vx is not rv.U and vy is not rv.U:
            if not rv.eq(vx, vy):
                self.emit(ind, "break")
            return
        if self.str_const(a["b"]) is not None:
            self.emit(ind, f"if {x} != {y}: break")  # a str equals only a str
        else:
            self.emit(ind, f"if not eq({x}, {y}): break")

    def not_equal(self, a: dict[str, Any], ind: int) -> None:
        x, y = self.operand(a["a"]), self.operand(a["b"])
        vx, vy = self.value_of(a["a"]), self.value_of(a["b"])
        if vx is not rv.U and vy is not rv.U:
            if rv.eq(vx, vy):
                self.emit(ind, "break")
            return
        if a["b"].get("type") == "bool":
            self.emit(ind, f"if {x} is {y}: break" if x in self.made else f"if {x} is {y} or {x} is U: break")
        else:
            self.emit(ind, f"if {x} is U or {y} is U or eq({x}, {y}): break")

    def not_(self, a: dict[str, Any], ind: int) -> None:
        stmts = a["block"]["stmts"]
        hoisted = _hoisted(stmts)
        for i in sorted(hoisted):
            self.stmt(stmts[i], ind)  # evaluated before the negation: undefined fails the enclosing block
        self.flag += 1
        flag = f"n{self.flag}"
        self.emit(ind, f"{flag} = False")
        self.block([st for i, st in enumerate(stmts) if i not in hoisted], ind, on_complete=f"{flag} = True")
        self.emit(ind, f"if {flag}: break")

    def scan(self, a: dict[str, Any], ind: int) -> None:
        src, k, v = self.local(a["source"]), f"l{int(a['key'])}", f"l{int(a['value'])}"
        self.emit(ind, f"for {k}, {v} in scan({src}):")
        self.block(a["block"]["stmts"], ind + 1)

    def assign_once(self, a: dict[str, Any], ind: int) -> None:
        src, tgt = self.operand(a["source"]), f"l{int(a['target'])}"
        self.emit(ind, f"if {tgt} is U: {tgt} = {src}")
        self.emit(ind, f"elif not eq({tgt}, {src}): raise Conflict('complete rule or function with several values')")

    def object_insert(self, a: dict[str, Any], ind: int, once: bool) -> None:
        key = self.operand(a["key"]) if self.str_const(a["key"]) is not None else f"obj_key({self.operand(a['key'])})"
        obj, val = f"l{int(a['object'])}", self.operand(a["value"])
        if once:
            self.emit(ind, f"_k = {key}")
            self.emit(ind, f"if _k in {obj} and not eq({obj}[_k], {val}): raise Conflict('object keys must be unique')")
            self.emit(ind, f"{obj}[_k] = {val}")
        else:
            self.emit(ind, f"{obj}[{key}] = {val}")

    def assign_value(self, a: dict[str, Any], ind: int, value: Any) -> None:
        if not self.fold(int(a["target"]), value):
            self.emit(ind, f"l{int(a['target'])} = {self.const(value)}")

    def assign(self, a: dict[str, Any], ind: int) -> None:
        value = self.value_of(a["source"])
        if a["source"].get("type") == "local" and int(a["source"]["value"]) == 1:
            value = rv.U  # the data document itself stays a parameter
        if not self.fold(int(a["target"]), value):
            self.emit(ind, f"l{int(a['target'])} = {self.operand(a['source'])}")

    def is_defined(self, a: dict[str, Any], ind: int, defined: bool) -> None:
        name = f"l{int(a['source'])}"
        if name in self.known or name in self.made:
            if not defined:
                self.emit(ind, "break")
            return
        self.emit(ind, f"if {name} is {'' if defined else 'not '}U: break")

    def make(self, a: dict[str, Any], ind: int, expr: str) -> None:
        name = f"l{int(a['target'])}"
        if name in self.assigned_once:
            self.made.add(name)  # a fresh collection: never undefined
        self.emit(ind, f"{name} = {expr}")

    def ret(self, a: dict[str, Any], ind: int) -> None:
        src = self.local(a["source"])
        if self.memo_key is not None:
            self.emit(ind, f"m[{self.memo_key}] = {src}")
        self.emit(ind, f"return {src}")

    # --- functions and plans ------------------------------------------------------------------------------------

    def function(self, index: int, f: dict[str, Any]) -> None:
        params = [f"l{int(p)}" for p in f.get("params") or []]
        if params[:2] != ["l0", "l1"]:
            raise UnsupportedPlan(f"function {f.get('name')} does not take input and data first")
        self.memo_key = index if len(params) == 2 else None
        self.cur = f.get("name")
        self.emit(0, f"def f{index}(m, {', '.join(params)}):")
        if self.memo_key is not None:
            self.emit(1, f"r = m.get({index}, MISS)")
            self.emit(1, "if r is not MISS: return r")
        body_start = len(self.lines)
        self._analyze(f.get("blocks") or [], set(params))
        for b in f.get("blocks") or []:
            self.block(b["stmts"], 1)
        if self.memo_key is not None:
            self.emit(1, f"m[{index}] = U")
        self.emit(1, "return U")
        self._init_locals(body_start, set(params))
        self.memo_key = None

    def plan(self, name: str, p: dict[str, Any]) -> str:
        fname = "p_" + re.sub(r"\W", "_", name)
        self.emit(0, f"def {fname}(m, l0, l1):")
        self.emit(1, "rs = []")
        body_start = len(self.lines)
        self._analyze(p.get("blocks") or [], {"l0", "l1"})
        for b in p.get("blocks") or []:
            self.block(b["stmts"], 1)
        self.emit(1, "return rs")
        self._init_locals(body_start, {"l0", "l1"})
        return fname

    def _analyze(self, blocks: list[dict[str, Any]], params: set[str]) -> None:
        """Find the locals defined exactly once, by a statement that comes before every use (in code order):
        those may fold to constants."""
        defs: dict[str, int] = {}
        first_def: dict[str, int] = {}
        first_use: dict[str, int] = {}
        mutated: set[str] = set()
        self.mutations = {}
        pos = 0

        def walk(stmts: list[dict[str, Any]]) -> None:
            nonlocal pos
            for st in stmts:
                a = st.get("stmt") or {}
                uses, targets = _locals_of(st.get("type") or "", a)
                pos += 1
                for u in uses:
                    first_use.setdefault(u, pos)
                for d in targets:
                    if d[0] == "*":
                        mutated.add(d[1:])
                        self.mutations[d[1:]] = self.mutations.get(d[1:], 0) + 1
                        continue
                    defs[d] = defs.get(d, 0) + 1
                    first_def.setdefault(d, pos)
                for b in a.get("blocks") or []:
                    walk(b.get("stmts") or [])
                if "block" in a:
                    walk(a["block"].get("stmts") or [])

        for b in blocks:
            walk(b.get("stmts") or [])
        self.known = {}
        self.made = set()
        self.assigned_once = {
            n for n, c in defs.items()
            if c == 1 and n not in params and first_use.get(n, 1 << 60) >= first_def[n]
        }
        self.single = self.assigned_once - mutated

    def _init_locals(self, start: int, params: set[str]) -> None:
        body = "\n".join(self.lines[start:])
        names = sorted(set(re.findall(r"\bl\d+\b", body)) - params, key=lambda n: int(n[1:]))
        flags = sorted(set(re.findall(r"\bn\d+\b", body)))
        init = [f"    {' = '.join(names)} = U"] if names else []
        init += [f"    {' = '.join(flags)} = False"] if flags else []
        self.lines[start:start] = init


_STMTS: dict[str, Callable[[_Compiler, dict[str, Any], int], None]] = {
    "ArrayAppendStmt": lambda c, a, i: c.emit(i, f"l{int(a['array'])}.append({c.operand(a['value'])})"),
    "AssignIntStmt": lambda c, a, i: c.assign_value(a, i, int(a["value"])),
    "AssignVarOnceStmt": _Compiler.assign_once,
    "AssignVarStmt": _Compiler.assign,
    "BlockStmt": _Compiler.blocks,
    "CallStmt": _Compiler.call,
    "DotStmt": _Compiler.dot,
    "EqualStmt": _Compiler.equal,
    "IsArrayStmt": lambda c, a, i: c.emit(i, f"if type({c.operand(a['source'])}) is not list: break"),
    "IsObjectStmt": lambda c, a, i: c.emit(i, f"if type({c.operand(a['source'])}) is not dict: break"),
    "IsSetStmt": lambda c, a, i: c.emit(i, f"if type({c.operand(a['source'])}) is not RSet: break"),
    "IsDefinedStmt": lambda c, a, i: c.is_defined(a, i, True),
    "IsUndefinedStmt": lambda c, a, i: c.is_defined(a, i, False),
    "LenStmt": _Compiler.length,
    "MakeArrayStmt": lambda c, a, i: c.make(a, i, "[]"),
    "MakeNullStmt": lambda c, a, i: c.assign_value(a, i, None),
    "MakeNumberIntStmt": lambda c, a, i: c.assign_value(a, i, int(a["value"])),
    "MakeNumberRefStmt": lambda c, a, i: c.assign_value(
        a, i, _number(c.strings[int(a["Index"] if "Index" in a else a["index"])])
    ),
    "MakeObjectStmt": lambda c, a, i: c.make(a, i, "{}"),
    "MakeSetStmt": lambda c, a, i: c.make(a, i, "RSet()"),
    "NopStmt": lambda c, a, i: c.emit(i, "pass"),
    "NotEqualStmt": _Compiler.not_equal,
    "NotStmt": _Compiler.not_,
    "ObjectInsertOnceStmt": lambda c, a, i: c.object_insert(a, i, once=True),
    "ObjectInsertStmt": lambda c, a, i: c.object_insert(a, i, once=False),
    "ResetLocalStmt": lambda c, a, i: c.emit(i, f"l{int(a['target'])} = U"),
    "ResultSetAddStmt": lambda c, a, i: c.emit(i, f"rs.append({c.local(a['value'])})"),
    "ReturnLocalStmt": _Compiler.ret,
    "ScanStmt": _Compiler.scan,
    "SetAddStmt": _Compiler.set_add,
}


_MUTATED = {"ArrayAppendStmt": "array", "ObjectInsertStmt": "object", "ObjectInsertOnceStmt": "object",
            "SetAddStmt": "set"}
_DEFINED = ("target", "result")


def _locals_of(kind: str, a: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(locals read, locals written) by one statement (not counting its nested blocks)."""
    uses = [f"l{int(v['value'])}" for v in a.values() if isinstance(v, dict) and v.get("type") == "local"]
    for v in a.get("args") or []:
        if isinstance(v, dict) and v.get("type") == "local":
            uses.append(f"l{int(v['value'])}")
    targets = [f"l{int(a[k])}" for k in _DEFINED if isinstance(a.get(k), int)]
    if kind in ("IsDefinedStmt", "IsUndefinedStmt", "ReturnLocalStmt", "LenStmt", "ResultSetAddStmt"):
        key = "value" if kind == "ResultSetAddStmt" else "source"
        if isinstance(a.get(key), int):
            uses.append(f"l{a[key]}")
    if kind == "ScanStmt":
        uses.append(f"l{int(a['source'])}")
        targets += [f"l{int(a['key'])}", f"l{int(a['value'])}"]
    if kind in _MUTATED:
        name = f"l{int(a[_MUTATED[kind]])}"
        uses.append(name)
        targets.append("*" + name)  # a mutation: the local is not a constant, but stays defined
    if kind == "AssignVarOnceStmt":
        targets.append(f"l{int(a['target'])}")  # counted twice: never folded
    return uses, targets


_COMPARISONS = frozenset({"equal", "neq", "lt", "lte", "gt", "gte"})


def _hoisted(stmts: list[dict[str, Any]]) -> set[int]:
    """Indexes of the statements of a ``not`` block that OPA evaluates before the negation: what computes the
    arguments of a call (other than the operands of a comparison that are plain references), the keys of a
    reference, and nested calls. ``not is_string(input.x)`` with ``input.x`` undefined is undefined in OPA, not
    true; ``not input.x == 1`` is true. rego-cpp's plan evaluates all of it inside the ``not``."""
    producer: dict[str, int] = {}
    mutators: dict[str, list[int]] = {}
    for i, st in enumerate(stmts):
        a = st.get("stmt") or {}
        for key in ("target", "result"):
            if isinstance(a.get(key), int):
                producer.setdefault(f"l{a[key]}", i)
        if st.get("type") in _MUTATED:
            mutators.setdefault(f"l{int(a[_MUTATED[st['type']]])}", []).append(i)
    seeds: list[str] = []
    for st in stmts:
        a = st.get("stmt") or {}
        kind = st.get("type")
        if kind == "CallStmt":
            names = [f"l{int(x['value'])}" for x in a.get("args") or [] if x.get("type") == "local"]
            if a.get("func") in _COMPARISONS:
                names = [n for n in names if n in producer and stmts[producer[n]].get("type") == "CallStmt"]
            seeds += names
        elif kind == "DotStmt" and a["key"].get("type") == "local":
            seeds.append(f"l{int(a['key']['value'])}")
    hoisted: set[int] = set()
    while seeds:
        name = seeds.pop()
        for i in [producer.get(name, -1), *mutators.get(name, [])]:  # a collection with what fills it
            if i < 0 or i in hoisted:
                continue
            hoisted.add(i)
            a = stmts[i].get("stmt") or {}
            for op in [a.get("source"), a.get("key"), a.get("value"), *(a.get("args") or [])]:
                if isinstance(op, dict) and op.get("type") == "local":
                    seeds.append(f"l{int(op['value'])}")
    return hoisted


class Conflict(rv.RegoRuntimeError):
    """OPA's eval_conflict_error: a complete rule, function or object key with two different values."""


def compile_plan(plan: dict[str, Any], data: Any = rv.U) -> tuple[dict[str, Plan], str]:
    """Every plan of ``plan`` (by entrypoint name, e.g. ``phi_guard/authz/decision``) as a Python function, and
    the generated source (for inspection). With ``data`` (the data document every evaluation will get, never
    mutated), lookups of constant paths in it are done here, once. Raises :class:`UnsupportedPlan`."""
    c = _Compiler(plan)
    c.data = data
    for builtin in (plan.get("static") or {}).get("builtin_funcs") or []:
        if builtin.get("name") not in rv.BUILTINS:
            raise UnsupportedPlan(f"builtin {builtin.get('name')}")
    try:
        for index, f in c.funcs.values():
            c.function(index, f)
        names = {p["name"]: c.plan(p["name"], p) for p in (plan.get("plans") or {}).get("plans") or []}
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise UnsupportedPlan(f"malformed plan: {type(exc).__name__}: {exc}") from None
    source = "\n".join(c.lines) + "\n"
    scope: dict[str, Any] = {
        "U": rv.U,
        "MISS": object(),
        "RSet": rv.RSet,
        "eq": rv.eq,
        "dot": rv.dot,
        "scan": rv.scan,
        "count": rv.BUILTINS["count"],
        "obj_key": rv.obj_key,
        "Conflict": Conflict,
        **c.consts,
    }
    exec(compile(source, "<rego-ir>", "exec"), scope)  # noqa: S102 - our own code generated from the plan
    return {name: scope[fn] for name, fn in names.items()}, source
