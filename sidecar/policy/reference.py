"""OPA itself (the Go engine, in-process through ``opa-golib-python-bindings``) for compile checks and
Rego unit tests: the policies must run unchanged in a real OPA, and rego-cpp cannot run ``with`` reliably.

The package needs Python >= 3.14 by its metadata but its ctypes wrapper runs on 3.11; install it with
``pip install --no-deps --ignore-requires-python opa-golib-python-bindings==0.4.4`` (the Makefile does).
"""

from __future__ import annotations

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

    @property
    def last_coverage(self) -> dict[str, Any]:
        return dict(self._engine.last_coverage or {})

    def close(self) -> None:
        self._engine.close()
