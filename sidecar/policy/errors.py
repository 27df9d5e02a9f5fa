"""Errors of the policy stage that name the file and line at fault."""

from __future__ import annotations


class PolicyLoadError(Exception):
    """A policy that cannot be put in force: it does not parse or compile, its data is bad, or its tests fail.

    ``str()`` is one line, ``FILE:LINE: message`` when the place is known.
    """

    def __init__(self, message: str, file: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.file = file
        self.line = line
        where = f"{file}:{line}: " if file and line else (f"{file}: " if file else "")
        super().__init__(f"{where}{message}")


class PolicyEvalError(Exception):
    """Evaluation failed (a runtime error in Rego, an engine fault, OPA unreachable)."""
