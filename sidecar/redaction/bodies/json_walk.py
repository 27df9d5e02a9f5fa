"""Walk a parsed JSON document: apply field rules, then free-text redaction to every string value.
Structural keys of the model APIs (ids, roles, types, model names) are left alone."""

from __future__ import annotations

import json
from typing import Any

from sidecar.redaction import operators
from sidecar.redaction.profiles import FieldRule
from sidecar.redaction.redactor import TextRedactor

STRUCTURAL_KEYS = frozenset(
    {
        "id",
        "object",
        "model",
        "role",
        "type",
        "finish_reason",
        "stop_reason",
        "stop_sequence",
        "system_fingerprint",
        "service_tier",
        "status",
        "item_id",
        "call_id",
        "response_id",
        "tool_call_id",
        "event",
        "created_at",
        "done_reason",
        "logprobs",
        "encoding_format",
    }
)
_DROP = object()


class FieldRules:
    """Compiled field rules; ``match(path)`` gives the first rule whose pattern matches the key path."""

    def __init__(self, rules: tuple[FieldRule, ...]) -> None:
        self._rules: list[tuple[bool, tuple[str, ...], FieldRule]] = []
        for r in rules:
            p = r.path[2:] if r.path.startswith("$.") else r.path
            anywhere = p.startswith("**.")
            parts = tuple(p[3:].split(".") if anywhere else p.split("."))
            self._rules.append((anywhere, parts, r))

    def __bool__(self) -> bool:
        return bool(self._rules)

    def match(self, path: tuple[str, ...]) -> FieldRule | None:
        for anywhere, parts, rule in self._rules:
            n = len(parts)
            if (len(path) == n or (anywhere and len(path) > n)) and all(
                want == "*" or want == got for want, got in zip(parts, path[-n:], strict=True)
            ):
                return rule
        return None


class JsonWalker:
    def __init__(self, redactor: TextRedactor, rules: FieldRules) -> None:
        self._r = redactor
        self._rules = rules

    def walk(self, node: Any, path: tuple[str, ...] = ()) -> Any:
        if not self._rules:
            return self._walk_plain(node)
        if isinstance(node, str):
            return self._string(node, path)
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            for k, v in node.items():
                p = (*path, k)
                if self._rules:
                    rule = self._rules.match(p)
                    if rule is not None:
                        new = self._apply_rule(rule, v)
                        if new is not _DROP:
                            out[k] = new
                        continue
                if k in STRUCTURAL_KEYS and not isinstance(v, (dict, list)):
                    out[k] = v
                else:
                    out[k] = self.walk(v, p)
            return out
        if isinstance(node, list):
            return [self.walk(v, (*path, "*")) for v in node]
        return node

    def _walk_plain(self, node: Any) -> Any:
        """``walk`` without field rules: no key paths to track (the per-event path of streamed bodies)."""
        if isinstance(node, str):
            return self._string(node, ()) if node else node
        if isinstance(node, dict):
            return {
                k: v
                if k in STRUCTURAL_KEYS and not isinstance(v, (dict, list))
                else self._walk_plain(v)
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [self._walk_plain(v) for v in node]
        return node

    def _string(self, s: str, path: tuple[str, ...]) -> str:
        t = s.strip()
        if len(t) > 1 and t[0] in "[{" and t[-1] in "]}":
            # JSON carried in a string (tool arguments and results): walk it with the same rules
            try:
                inner = json.loads(t)
            except ValueError:
                inner = None
            if isinstance(inner, (dict, list)):
                return json.dumps(self.walk(inner, ()), ensure_ascii=False)
        return self._r.redact(s)

    def _apply_rule(self, rule: FieldRule, value: Any) -> Any:
        if rule.action == "drop":
            self._r.counts[rule.type] += 1
            return _DROP
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        spec = operators.OperatorSpec(kind=rule.action)
        return self._r.replacement_with(spec, text, rule.type)
