"""YAML loading that refuses duplicate mapping keys (PyYAML keeps the last one silently; kustomize, Flux
post-renderers and kubeconform refuse the document)."""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import Any

import yaml


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping names the same key twice."""


class StrictSafeLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that raises :class:`DuplicateKeyError` on a repeated key."""


def _construct_mapping(loader: StrictSafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[Hashable] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise DuplicateKeyError(
                "while constructing a mapping", node.start_mark, f"found duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


StrictSafeLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load(text: str) -> Any:
    """One document; duplicate keys raise :class:`DuplicateKeyError`."""
    return yaml.load(text, Loader=StrictSafeLoader)  # noqa: S506 - a SafeLoader subclass


def load_all(text: str) -> Iterator[Any]:
    """Every document of a stream; duplicate keys raise :class:`DuplicateKeyError`."""
    return yaml.load_all(text, Loader=StrictSafeLoader)  # noqa: S506 - a SafeLoader subclass
