"""The policy stage: one engine in force, decisions for requests, and hot reload with a gate.

A candidate policy (new content hash) is validated in a child process (compiles, every entrypoint
evaluates, Rego tests pass in OPA), then compiled in-process and swapped in atomically. A refused candidate
leaves the last good policy in force; the refusal names the file and line and is reported once through
``on_reload``.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sidecar.policy.bundle import content_version, load_source
from sidecar.policy.decision import to_decision
from sidecar.policy.errors import PolicyEvalError, PolicyLoadError
from sidecar.policy.model import UNDEFINED, Decision, PolicyUnavailable
from sidecar.policy.settings import PolicySettings
from sidecar.policy.validate import Validation, validate_in_subprocess

__all__ = ["PolicyLoadError", "PolicyReload", "PolicyService", "PolicyStatus"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PolicyReload:
    """One load attempt (initial or reload). ``error`` is ``FILE:LINE: message`` when refused."""

    ok: bool
    version: str
    previous_version: str
    error: str | None = None
    file: str | None = None
    line: int | None = None
    tests_passed: int = 0
    tests_failed: int = 0
    at: float = 0.0


@dataclass(frozen=True)
class PolicyStatus:
    loaded: bool
    version: str
    engine: str
    last_error: str | None
    last_reload_at: float | None
    tests_passed: int = 0
    fallback_reason: str | None = None  # engine=compiled serving with its fallback engine, and why


class PolicyService:
    def __init__(
        self, settings: PolicySettings, on_reload: Callable[[PolicyReload], None] | None = None
    ) -> None:
        self.settings = settings
        self._on_reload = on_reload
        self._engine: Any = None
        self._version = ""
        self._last_error: str | None = None
        self._last_reload_at: float | None = None
        self._tests_passed = 0
        self._refused_version: str | None = None
        self._reload_lock = threading.Lock()

    # --- lifecycle -----------------------------------------------------------------------------------------

    @property
    def entrypoints(self) -> list[str]:
        return [self.settings.decision_path, self.settings.approvals_path]

    def start(self) -> None:
        """Load the initial policy. Raises :class:`PolicyLoadError` (file and line) if it cannot be used."""
        s = self.settings
        if s.engine == "opa" and not s.opa_push:
            from sidecar.policy.opa_server import OpaServerEngine  # opa-python-client only when used

            engine = OpaServerEngine(s.opa_url, s.opa_timeout_seconds)
            try:
                engine.evaluate(s.decision_path, {})
            except PolicyEvalError as exc:
                raise PolicyLoadError(f"OPA at {s.opa_url} did not answer: {exc}") from None
            self._install(engine, engine.version, Validation(True, version=engine.version))
            return
        with self._reload_lock:
            validation = self._validate()
            if not validation.ok:
                self._last_error = str(validation.as_error())
                self._report(validation, previous="")
                raise validation.as_error()
            self._install(self._build(), validation.version, validation)
            self._report(validation, previous="")

    def check_reload(self) -> PolicyReload | None:
        """Reload if the directory's content changed (sync: run it off the event loop); None if unchanged."""
        s = self.settings
        if s.engine == "opa" and not s.opa_push:
            return None
        with self._reload_lock:
            try:
                version = content_version(s.directory)
            except OSError:
                return None
            if version in (self._version, self._refused_version):
                return None
            previous = self._version
            validation = self._validate()
            if validation.ok:
                try:
                    engine = self._build()
                except PolicyLoadError as exc:
                    validation = Validation(
                        False, version=version, error=exc.message, file=exc.file, line=exc.line
                    )
                else:
                    if engine.version != validation.version:  # changed again while validating: next round
                        return None
                    self._install(engine, validation.version, validation)
                    self._refused_version = None
                    return self._report(validation, previous)
            self._refused_version = validation.version or version
            self._last_error = str(validation.as_error())
            return self._report(validation, previous)

    async def run_reloader(self) -> None:
        """Poll for changes every ``reload_interval_seconds`` until cancelled."""
        while True:
            await asyncio.sleep(self.settings.reload_interval_seconds)
            await asyncio.to_thread(self.check_reload)

    def aclose(self) -> None:
        engine, self._engine = self._engine, None
        if engine is not None and hasattr(engine, "close"):
            engine.close()

    # --- decisions -----------------------------------------------------------------------------------------

    @property
    def version(self) -> str:
        return self._version

    @property
    def status(self) -> PolicyStatus:
        return PolicyStatus(
            loaded=self._engine is not None,
            version=self._version,
            engine=getattr(self._engine, "name", self.settings.engine),
            last_error=self._last_error,
            last_reload_at=self._last_reload_at,
            tests_passed=self._tests_passed,
            fallback_reason=getattr(self._engine, "fallback_reason", None),
        )

    def decide(self, input_doc: dict[str, Any]) -> Decision:
        """The decision for one request (sync). Raises :class:`PolicyUnavailable` when none can be made."""
        engine = self._engine
        if engine is None:
            raise PolicyUnavailable("no policy loaded")
        try:
            doc = engine.evaluate(self.settings.decision_path, input_doc)
            return to_decision(doc, engine.version, str(uuid.uuid4()))
        except PolicyEvalError as exc:
            raise PolicyUnavailable(str(exc)) from None
        except Exception as exc:  # noqa: BLE001 - an engine fault is a refusal, never an allow
            raise PolicyUnavailable(f"policy evaluation failed: {type(exc).__name__}") from None

    async def decide_async(self, input_doc: dict[str, Any]) -> Decision:
        """:meth:`decide` without blocking the event loop when the engine is a remote OPA."""
        if self.settings.engine == "opa":
            return await asyncio.to_thread(self.decide, input_doc)
        return self.decide(input_doc)

    def query(self, path: str, input_doc: dict[str, Any]) -> Any:
        """Any other document, e.g. ``phi_guard/approvals/decision``; None when undefined.
        Raises :class:`PolicyUnavailable`."""
        engine = self._engine
        if engine is None:
            raise PolicyUnavailable("no policy loaded")
        try:
            result = engine.evaluate(path, input_doc)
        except PolicyEvalError as exc:
            raise PolicyUnavailable(str(exc)) from None
        except Exception as exc:  # noqa: BLE001
            raise PolicyUnavailable(f"policy evaluation failed: {type(exc).__name__}") from None
        return None if result is UNDEFINED else result

    # --- internals -----------------------------------------------------------------------------------------

    def _validate(self) -> Validation:
        s = self.settings
        return validate_in_subprocess(
            s.directory,
            self.entrypoints,
            tests=s.require_tests_pass,
            timeout=s.validation_timeout_seconds,
            engine=s.engine if s.engine in ("golib", "compiled") else "embedded",
            fallback=s.compiled_fallback,
        )

    def _build(self) -> Any:
        s = self.settings
        source = load_source(s.directory)
        if s.engine == "opa":
            from sidecar.policy.opa_server import OpaServerEngine

            return OpaServerEngine(s.opa_url, s.opa_timeout_seconds, source)
        if s.engine == "compiled":
            from sidecar.policy.compiled import CompiledEngine, UnsupportedPolicy

            try:
                return CompiledEngine(source, self.entrypoints, cache_size=s.decision_cache_size)
            except UnsupportedPolicy as exc:
                log.warning("policy %s served by %s: %s", source.version, s.compiled_fallback, exc)
                engine = self._build_engine(s.compiled_fallback, source)
                engine.fallback_reason = str(exc)
                return engine
        return self._build_engine(s.engine, source)

    def _build_engine(self, engine: str, source: Any) -> Any:
        s = self.settings
        if engine == "golib":
            from sidecar.policy.golib import GolibEngine  # opa-golib-python-bindings only when used

            return GolibEngine(source, self.entrypoints, cache_size=s.decision_cache_size)
        from sidecar.policy.embedded import EmbeddedEngine  # regopy only when used

        return EmbeddedEngine(source, self.entrypoints, cache_size=s.decision_cache_size)

    def _install(self, engine: Any, version: str, validation: Validation) -> None:
        old, self._engine = (
            self._engine,
            engine,
        )  # one reference swap: decide() sees old or new, never neither
        self._version = version
        self._last_error = None
        self._last_reload_at = time.time()
        self._tests_passed = validation.tests_passed
        if old is not None and old is not engine and hasattr(old, "close"):
            old.close()

    def _report(self, v: Validation, previous: str) -> PolicyReload:
        reload = PolicyReload(
            ok=v.ok,
            version=v.version,
            previous_version=previous,
            error=None if v.ok else str(v.as_error()),
            file=v.file,
            line=v.line,
            tests_passed=v.tests_passed,
            tests_failed=v.tests_failed,
            at=time.time(),
        )
        if self._on_reload is not None:
            self._on_reload(reload)
        return reload
