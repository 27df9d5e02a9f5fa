"""OPA itself (the Go engine, in-process through ``opa-golib-python-bindings``) for compile checks and
Rego unit tests: the policies must run unchanged in a real OPA, and rego-cpp cannot run ``with`` reliably.

The package needs Python >= 3.14 by its metadata but its ctypes wrapper runs on 3.11; install it with
``pip install --no-deps --ignore-requires-python opa-golib-python-bindings==0.4.4`` (the Makefile does).
"""

from __future__ import annotations

import ctypes
import json
import re
from typing import Any

from sidecar.policy.bundle import PolicySource
from sidecar.policy.errors import PolicyEvalError, PolicyLoadError

UNDEFINED: Any = object()
# "... 1 error occurred: opa/x.rego:4: rego_unsafe_var_error: var y is unsafe"
_LOCATED = re.compile(r"(?P<file>[^\s:][^:]*\.rego):(?P<line>\d+):\s*(?P<msg>.+)")


def available() -> bool:
    try:
        import opa_bindings  # noqa: F401
    except ImportError:
        return False
    return True


def _load_error(text: str) -> PolicyLoadError:
    m = _LOCATED.search(text)
    if m:
        return PolicyLoadError(m.group("msg").strip(), m.group("file"), int(m.group("line")))
    return PolicyLoadError(text.strip())


class ReferenceOpa:
    """One OPA engine holding a policy source (tests included by default). Construction compiles it."""

    name = "opa-go"

    def __init__(self, source: PolicySource, include_tests: bool = True) -> None:
        try:
            from opa_bindings import OpaEngine, OpaError
        except ImportError:
            raise PolicyLoadError(
                "OPA (opa-golib-python-bindings) is not installed: cannot compile-check or test Rego"
            ) from None
        self._error_type = OpaError
        self._engine = OpaEngine()
        self._lib = self._engine._lib  # the bridge's ctypes handle, for evaluate_fast
        self._paths: dict[str, bytes] = {}
        self.version = source.version
        modules = source.all_modules() if include_tests else source.modules
        try:
            for name, text in modules.items():
                self._engine.add_policy(name, text)
            if source.data:
                self._engine.add_data(source.data)
            self._engine.eval_query("true")  # forces compilation of every module
        except OpaError as exc:
            raise _load_error(exc.message) from None

    def evaluate(self, path: str, input_doc: Any = None, coverage: bool = False) -> Any:
        """``data.<path>`` (slash or dot separated) for ``input_doc``, or :data:`UNDEFINED`. With ``coverage``
        OPA's coverage report of this evaluation is left in :attr:`last_coverage`."""
        from opa_bindings.engine import OpaUndefinedError

        dotted = path.replace("/", ".")
        try:
            return self._engine.eval_document(dotted, input_doc, coverage=coverage)
        except OpaUndefinedError:
            return UNDEFINED
        except self._error_type as exc:
            raise PolicyEvalError(exc.message) from None

    def evaluate_fast(self, path: str, input_json: bytes) -> Any:
        """:meth:`evaluate` of ``input_json`` (the input as UTF-8 JSON text, no NUL) straight through the
        bridge's C entry point: no per-call encoding, lock re-entry or print capture in Python, and the input is
        encoded once by the caller (it is also the decision cache's key). ``print()`` output is dropped. Raises
        :class:`PolicyEvalError`."""
        try:
            envelope = json.loads(self.evaluate_raw(path, input_json))
        except ValueError:
            raise PolicyEvalError("OPA bridge returned invalid JSON") from None
        err = envelope.get("error")
        if err is not None:
            raise PolicyEvalError(str(err.get("message", err)) if isinstance(err, dict) else str(err))
        rs = envelope.get("result")
        if not rs or not rs[0].get("expressions"):
            return UNDEFINED
        return rs[0]["expressions"][0]["value"]

    def evaluate_raw(self, path: str, input_json: bytes) -> bytes:
        """The bridge's JSON envelope (``{"result": [...]}`` or ``{"error": ...}``) for ``data.<path>`` and
        ``input_json``, undecoded: :meth:`evaluate_fast` decodes it; the policy bench times the stages apart."""
        handle = self._engine._handle
        if handle is None:
            raise PolicyEvalError("engine has been closed")
        # The bridge is thread-safe without the wrapper's lock when no Python builtins are registered (none are).
        ptr = self._lib.OpaEvalDocument(handle, self._paths.get(path) or self._path(path), input_json, 0, 0)
        if not ptr:
            raise PolicyEvalError("OPA bridge returned NULL")
        try:
            return ctypes.string_at(ptr)
        finally:
            self._lib.OpaFreeString(ptr)

    def _path(self, path: str) -> bytes:
        dotted = path.replace("/", ".").encode("utf-8")
        if b"\0" in dotted:
            raise PolicyEvalError("document path contains NUL")
        if len(self._paths) < 64:  # entrypoints and a few ad-hoc documents; never unbounded
            self._paths[path] = dotted
        return dotted

    @property
    def last_coverage(self) -> dict[str, Any]:
        return dict(self._engine.last_coverage or {})

    def close(self) -> None:
        self._engine.close()
