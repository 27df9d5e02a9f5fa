"""Which parts of ``input`` a policy can read, so the embedded engine converts only those (rego-cpp's input
conversion costs about as much as the evaluation; ``parsed_body`` holds the whole request body).

Conservative: any use of ``input`` other than a static path (``input.a.b``, ``input["a"].b``,
``object.get(input, "a"|["a", "b"], default)``) means the policy may read all of it, and nothing is pruned."""

from __future__ import annotations

import re
from typing import Any

_COMMENT = re.compile(r"#[^\n]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`')
_PATH = re.compile(r'\binput((?:\.[A-Za-z_]\w*|\[\s*"[^"\\]+"\s*\])+)')
_STEP = re.compile(r'\.([A-Za-z_]\w*)|\[\s*"([^"\\]+)"\s*\]')
_GET = re.compile(r'object\.get\(\s*input\s*,\s*(\[[^\]]*\]|"[^"\\]+")')
_ANY = re.compile(r"\binput\b")

Paths = dict[str, Any]  # a tree of required keys; an empty dict marks "this whole subtree"


def referenced_input_paths(modules: dict[str, str]) -> Paths | None:
    """The tree of input paths the modules reference, or None when they may read all of ``input``."""
    paths: list[list[str]] = []
    for text in modules.values():
        code = _COMMENT.sub("", text)
        uses = 0
        for m in _PATH.finditer(code):
            paths.append([a or b for a, b in _STEP.findall(m.group(1))])
            uses += 1
        for m in _GET.finditer(code):
            keys = re.findall(r'"([^"\\]+)"', m.group(1))
            if m.group(1).startswith("[") and _STRING.sub("", m.group(1)).strip("[], \t\n"):
                return None  # a non-literal step
            paths.append(keys)
            uses += 1
        if len(_ANY.findall(_STRING.sub('""', code))) != uses:
            return None
    tree: Paths = {}
    for path in sorted(paths, key=len):
        node = tree
        for i, key in enumerate(path):
            if key in node and not node[key]:
                break  # an ancestor is already wanted whole
            node = node.setdefault(key, {})
            if i == len(path) - 1:
                node.clear()
    return tree


def prune(value: Any, tree: Paths) -> Any:
    """The parts of ``value`` named by ``tree`` (lists and leaves are kept whole)."""
    if not tree or not isinstance(value, dict):
        return value
    return {k: prune(value[k], sub) for k, sub in tree.items() if k in value}
