"""The ``compiled`` engine: the policy's IR plan (built from the Rego at load, :mod:`sidecar.policy.ir_plan`)
compiled to Python functions (:mod:`sidecar.policy.ir_compile`) and run in-process on the input as JSON
decodes it: no bridge, no input conversion. Compliance edits only Rego and data; the plan is rebuilt from them
on every load and hot reload.

Decisions must equal OPA's: ``tests/policy/test_compiled_engine.py`` compares them with the golib engine (OPA's
Go evaluator) on generated inputs, for the shipped policy and the typical edits. A plan this compiler cannot
run (a builtin or statement it lacks) raises :class:`UnsupportedPolicy` at load: the service then serves the
policy with ``compiled_fallback`` (and says so). Any error during an evaluation is a
:class:`PolicyEvalError`: the request is refused.
"""

from __future__ import annotations

import contextlib
import json
import marshal
from typing import Any

from sidecar.policy.bundle import PolicySource
from sidecar.policy.cache import DecisionCache, cache_size_for
from sidecar.policy.errors import PolicyEvalError, PolicyLoadError
from sidecar.policy.input_keys import referenced_input_paths
from sidecar.policy.ir_compile import Plan, UnsupportedPlan, compile_plan
from sidecar.policy.ir_plan import build_plan
from sidecar.policy.ir_values import RegoRuntimeError, checked_prune, to_json
from sidecar.policy.model import UNDEFINED

# Cached results are marshal bytes (format 2: no back-references): loading them is a fresh copy, several times
# cheaper than decoding JSON text. An undefined result is this marker.
_FORMAT = 2
_UNDEFINED_HIT = b""


class UnsupportedPolicy(PolicyLoadError):
    """The policy compiles in Rego but its plan uses something the compiled engine does not run."""


class CompiledEngine:
    """Evaluates the entrypoints (``pkg/sub/rule``) it was built for. Thread-safe (no shared mutable state:
    each evaluation has its own memo)."""

    name = "compiled"

    def __init__(self, source: PolicySource, entrypoints: list[str], cache_size: int = 0) -> None:
        self.version = source.version
        self.entrypoints = tuple(entrypoints)
        plan = build_plan(source, list(entrypoints))
        self._data = json.loads(json.dumps(source.data))  # a private copy: evaluations only read it
        try:
            self._plans, self.python_source = compile_plan(plan, self._data)
        except UnsupportedPlan as exc:
            raise UnsupportedPolicy(f"the compiled engine cannot run this policy: {exc}") from None
        missing = [ep for ep in entrypoints if ep not in self._plans]
        if missing:
            raise UnsupportedPolicy(f"the plan has no entrypoint {missing[0]}")
        self.input_paths = referenced_input_paths(source.modules)
        self.cache = DecisionCache(cache_size_for(source.modules, self.input_paths, cache_size))
        self.cache_size = self.cache.size
        for ep in self.entrypoints:  # an entrypoint that cannot evaluate is a load error, as in the other engines
            try:
                self.evaluate(ep, {})
            except PolicyEvalError as exc:
                raise PolicyLoadError(f"entrypoint {ep} does not evaluate: {exc}") from None

    @property
    def cache_hits(self) -> int:
        return self.cache.hits

    def evaluate(self, entrypoint: str, input_doc: dict[str, Any]) -> Any:
        """The document at ``entrypoint`` for ``input_doc``, or :data:`UNDEFINED`. Raises
        :class:`PolicyEvalError` (also for documents it was not built for)."""
        plan = self._plans.get(entrypoint)
        if plan is None:
            raise PolicyEvalError(f"the compiled engine serves only {', '.join(self.entrypoints)}")
        if type(input_doc) is not dict:
            raise PolicyEvalError("policy input must be an object")
        try:  # only the parts the policy reads: they must be JSON, as OPA would get them
            input_doc = checked_prune(input_doc, self.input_paths or {})
        except RegoRuntimeError as exc:
            raise PolicyEvalError(f"policy input refused: {exc}") from None
        key = self.cache.key(entrypoint, input_doc)
        hit = self.cache.get(key)
        if hit is not None:
            return marshal.loads(hit) if hit else UNDEFINED  # a fresh copy per caller
        result = run(plan, input_doc, self._data)
        if key is not None:
            with contextlib.suppress(ValueError):  # a value marshal cannot hold: served, not kept
                self.cache.put(key, _UNDEFINED_HIT if result is UNDEFINED else marshal.dumps(result, _FORMAT))
        return result


def run(plan: Plan, input_doc: dict[str, Any], data: Any) -> Any:
    """One evaluation of a checked input (an object of JSON values): the plan's first result, as JSON, or
    :data:`UNDEFINED`. Raises :class:`PolicyEvalError`."""
    try:
        results = plan({}, input_doc, data)
        if not results:
            return UNDEFINED
        first = results[0]
        return to_json(first["result"]) if type(first) is dict and "result" in first else UNDEFINED
    except RegoRuntimeError as exc:
        raise PolicyEvalError(f"policy evaluation failed: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - any fault of a compiled rule is a refusal, never an allow
        raise PolicyEvalError(f"policy evaluation failed: {type(exc).__name__}") from None
