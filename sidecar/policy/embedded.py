"""The embedded engine: regopy (rego-cpp). The bundle is compiled once per policy load for a fixed set of
entrypoints; each evaluation only sets the input and runs a plan (no query parsing per request)."""

from __future__ import annotations

import json
import re
import threading
from typing import Any

import regopy
from regopy import rego_shared as rs

from sidecar.policy.bundle import PolicySource
from sidecar.policy.cache import DecisionCache, cache_size_for
from sidecar.policy.errors import PolicyEvalError, PolicyLoadError
from sidecar.policy.input_keys import prune, referenced_input_paths
from sidecar.policy.model import UNDEFINED
from sidecar.policy.rego_input import InputBuildError, NotExact, build_input, free_input

# "(error 10:opa/b.rego|32|2 (errormsg 24:Invalid boolean operator) ..."
_ERROR = re.compile(r"\(error (\d+):")
_MSG = re.compile(r"\(errormsg (\d+):")

regopy.set_default_log_level("None")  # rego-cpp would otherwise print errors on stdout


def _located(err: str, sources: dict[str, str]) -> PolicyLoadError:
    """Turn rego-cpp's error tree into ``file:line: message`` (its locations are byte offsets)."""
    m = _ERROR.search(err)
    msg = _MSG.search(err)
    message = "rego compile error"
    if msg:
        n = int(msg.group(1))
        message = err[msg.end() : msg.end() + n]
    if not m:
        return PolicyLoadError(message)
    n = int(m.group(1))
    file = err[m.end() : m.end() + n]
    rest = err[m.end() + n :]
    offset = re.match(r"\|(\d+)\|", rest)
    line = None
    if offset and file in sources:
        line = sources[file].encode("utf-8")[: int(offset.group(1))].count(b"\n") + 1
    return PolicyLoadError(message, file, line)


def compile_bundle(source: PolicySource, entrypoints: list[str]) -> tuple[regopy.Interpreter, regopy.Bundle]:
    """rego-cpp's interpreter holding ``source`` and its bundle compiled for ``entrypoints``. Raises
    :class:`PolicyLoadError` (file and line)."""
    interp = regopy.Interpreter()
    try:
        interp.add_data_json(json.dumps(source.data))
        for name, text in source.modules.items():
            interp.add_module(name, text)
        return interp, interp.build(None, list(entrypoints))
    except regopy.RegoError as exc:
        raise _located(str(exc), source.modules) from None


class EmbeddedEngine:
    """Evaluates entrypoints (``pkg/sub/rule``) of one compiled bundle. Thread-safe (one at a time)."""

    name = "embedded"

    def __init__(self, source: PolicySource, entrypoints: list[str], cache_size: int = 0) -> None:
        self.version = source.version
        self.entrypoints = tuple(entrypoints)
        self._lock = threading.Lock()
        self._interp, self._bundle = compile_bundle(source, entrypoints)
        # Only the parts of the input the policy can read are converted (parsed_body can be large), and they
        # are the decision cache's key.
        self.input_paths = referenced_input_paths(source.modules)
        self.cache = DecisionCache(cache_size_for(source.modules, self.input_paths, cache_size))
        self.cache_size = self.cache.size

    @property
    def cache_hits(self) -> int:
        return self.cache.hits

    def evaluate(self, entrypoint: str, input_doc: dict[str, Any]) -> Any:
        """The entrypoint's document for ``input_doc``, or :data:`UNDEFINED`.
        Raises :class:`PolicyEvalError`."""
        if self.input_paths is not None:
            input_doc = prune(input_doc, self.input_paths)
        key = self.cache.key(entrypoint, input_doc) if entrypoint in self.entrypoints else None
        hit = self.cache.get(key)
        if hit is not None:
            return self._parse(entrypoint, hit)
        text = self._run(entrypoint, input_doc)
        result = self._parse(entrypoint, text)
        self.cache.put(key, text)
        return result

    def _run(self, entrypoint: str, input_doc: Any) -> str:
        # The input is built through rego-cpp's C API (cheaper than parsing JSON text), except when that
        # builder would change a value or let it break the output (see rego_input): such inputs go as JSON
        # text, which rego-cpp reads exactly.
        handle = None
        term = None
        try:
            try:
                handle = build_input(input_doc)
            except NotExact:
                term = json.dumps(input_doc, separators=(",", ":"))
        except (InputBuildError, TypeError, ValueError) as exc:
            raise PolicyEvalError(f"rego input could not be built: {type(exc).__name__}") from None
        try:
            with self._lock:
                try:
                    if handle is not None:
                        if rs.rego.regoSetInput(self._interp._impl, handle) != 0:
                            raise regopy.RegoError("input rejected", 1)
                    else:
                        rs.rego_set_input_term(self._interp._impl, term)
                    if entrypoint in self.entrypoints:
                        out = rs.rego_bundle_query_entrypoint(self._interp._impl, self._bundle._impl, entrypoint)
                    else:
                        out = rs.rego_query(self._interp._impl, "x = data." + entrypoint.replace("/", "."))
                    try:
                        ok = rs.rego_output_ok(out)
                        text = rs.rego_output_string(out)
                    finally:
                        rs.rego_free_output(out)
                except (regopy.RegoError, TypeError, ValueError) as exc:
                    raise PolicyEvalError(f"rego evaluation failed: {str(exc)[:200]}") from None
        finally:
            if handle is not None:
                free_input(handle)
        if not ok:
            raise PolicyEvalError(f"rego evaluation failed: {text[:200]}")
        return text

    def _parse(self, entrypoint: str, text: str) -> Any:
        if text.strip() == "undefined":
            return UNDEFINED
        try:
            result = json.loads(text)
        except ValueError:
            raise PolicyEvalError("rego evaluation returned an error document") from None
        if isinstance(result, list):
            result = result[0] if result else {}
        if entrypoint not in self.entrypoints:
            bindings = result.get("bindings", {})
            return bindings.get("x", UNDEFINED)
        exprs = result.get("expressions", [])
        return exprs[0] if exprs else UNDEFINED
