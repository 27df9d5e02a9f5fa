"""Policy settings: which engine, where the Rego lives, reload behaviour."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PolicySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # compiled: the Rego's IR plan compiled to Python at load, run in-process (fastest; decisions checked equal to
    # OPA's). embedded: rego-cpp (regopy) in-process. golib: OPA's Go evaluator in-process
    # (opa-golib-python-bindings; OPA's own semantics). opa: an OPA server over REST.
    engine: Literal["compiled", "embedded", "golib", "opa"] = "compiled"
    # engine=compiled: the engine that serves a policy whose plan uses a builtin or statement the compiler lacks
    # (the refusal is logged and shown in the policy status).
    compiled_fallback: Literal["embedded", "golib"] = "embedded"
    # Directory holding *.rego and data.json files (the shipped set is opa/ in the repo).
    directory: str = "opa"
    # Entrypoint document queried for every request.
    decision_path: str = "phi_guard/authz/decision"
    # Entrypoint for approvers (compiled into the bundle alongside the decision).
    approvals_path: str = "phi_guard/approvals/decision"
    opa_url: str = "http://127.0.0.1:8181"
    opa_timeout_seconds: float = Field(default=0.5, gt=0)
    # engine=opa: upload `directory` to that OPA (otherwise OPA serves its own bundles and we only query).
    opa_push: bool = False
    reload: bool = True
    reload_interval_seconds: float = Field(default=1.0, gt=0)
    # Refuse a new policy whose Rego tests fail (tests run in OPA: needs opa-golib-python-bindings).
    require_tests_pass: bool = True
    validation_timeout_seconds: float = Field(default=60.0, gt=0)
    # embedded/golib engines: identical (policy, readable input) pairs reuse the decision; 0 disables. Not used when
    # the policy calls time.now_ns, rand.*, http.send or other builtins whose result is not fixed by input.
    decision_cache_size: int = Field(default=4096, ge=0)
    # IANA zone for input.time (hour, weekday): off-hours rules are about the hospital's clock.
    timezone: str = "UTC"
