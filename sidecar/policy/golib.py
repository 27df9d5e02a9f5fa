"""The ``golib`` engine: OPA's own Go evaluator, in-process through ``opa-golib-python-bindings`` (ctypes over a
c-shared build of OPA). Decisions are OPA's by construction; on the shipped policy it is about 2.5x faster than
rego-cpp (``python -m bench.policy_bench``).

Only the parts of ``input`` the policy references are sent (the bridge converts the input on every call) and
they key the decision cache. Evaluations go straight to the bridge's C entry point with the input encoded once
(:meth:`ReferenceOpa.evaluate_fast`); the bridge prepares each document's query once per policy load.

Go's collector runs every few dozen decisions at its default ``GOGC=100`` (the live heap is small, each
evaluation allocates); ``GOGC=400`` in the guard's environment cuts CPU per uncached decision by about a fifth for
about 10 MB of RSS. Go reads it from the process's start-up environment only: set it where the guard is launched.
The engine adds about 18 MB of RSS over ``embedded`` (the Go runtime and OPA's compiled policy).

The package's metadata says Python >= 3.14 but its wrapper runs on 3.11: install it with
``pip install --no-deps --ignore-requires-python opa-golib-python-bindings==0.4.4`` (the Makefile does).
"""

from __future__ import annotations

import json
from typing import Any

from sidecar.policy.bundle import PolicySource
from sidecar.policy.cache import DecisionCache, cache_size_for
from sidecar.policy.errors import PolicyEvalError, PolicyLoadError
from sidecar.policy.input_keys import prune, referenced_input_paths
from sidecar.policy.model import UNDEFINED
from sidecar.policy.reference import UNDEFINED as OPA_UNDEFINED
from sidecar.policy.reference import ReferenceOpa


class GolibEngine:
    """Evaluates documents (``pkg/sub/rule``) of one compiled policy in OPA. Thread-safe (OPA's prepared queries
    are; ctypes releases the GIL while Go runs)."""

    name = "golib"

    def __init__(self, source: PolicySource, entrypoints: list[str], cache_size: int = 0) -> None:
        self.version = source.version
        self.entrypoints = tuple(entrypoints)
        # Construction compiles every module (errors name file and line); test modules are not served.
        self._opa = ReferenceOpa(source, include_tests=False)
        self.input_paths = referenced_input_paths(source.modules)
        self.cache = DecisionCache(cache_size_for(source.modules, self.input_paths, cache_size))
        self.cache_size = self.cache.size
        for ep in self.entrypoints:  # an entrypoint that cannot evaluate is a load error, as in rego-cpp
            try:
                self._opa.evaluate(ep, {})
            except PolicyEvalError as exc:
                raise PolicyLoadError(f"entrypoint {ep} does not evaluate: {exc}") from None

    @property
    def opa(self) -> ReferenceOpa:
        """The compiled policy in OPA (the bench times the bridge through it)."""
        return self._opa

    @property
    def cache_hits(self) -> int:
        return self.cache.hits

    def evaluate(self, entrypoint: str, input_doc: dict[str, Any]) -> Any:
        """The document at ``entrypoint`` for ``input_doc``, or :data:`UNDEFINED`. Raises
        :class:`PolicyEvalError`."""
        if self.input_paths is not None:
            input_doc = prune(input_doc, self.input_paths)
        key = self.cache.key(entrypoint, input_doc) if entrypoint in self.entrypoints else None
        hit = self.cache.get(key)
        if hit is not None:
            return UNDEFINED if hit == "undefined" else json.loads(hit)  # a fresh copy per caller
        encoded = encode_input(input_doc)
        try:
            result = self._opa.evaluate_fast(entrypoint, encoded)
        except PolicyEvalError as exc:
            raise PolicyEvalError(f"opa evaluation failed: {str(exc)[:200]}") from None
        if result is OPA_UNDEFINED:
            self.cache.put(key, "undefined")
            return UNDEFINED
        if key is not None:
            self.cache.put(key, json.dumps(result, separators=(",", ":")))
        return result


def encode_input(input_doc: Any) -> bytes:
    """``input_doc`` as the compact UTF-8 JSON text the bridge takes. Raises :class:`PolicyEvalError`."""
    try:
        # Not ensure_ascii: a lone surrogate fails here (as in the bindings) instead of reaching OPA as U+FFFD.
        return json.dumps(input_doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise PolicyEvalError(f"opa input could not be encoded: {type(exc).__name__}") from None
