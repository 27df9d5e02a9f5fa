"""The guard's one boto3 session, with botocore's endpoint table cut to the services the guard calls and the
S3 service model cut to the operations it calls.

botocore loads ``endpoints.json`` (every service in every partition, ~7 MB of Python objects) for the first
client of a session and keeps it for the session's life. The guard's session only creates S3 clients (audit
shipping, approvals) and, through the default credential chain, STS/SSO clients; the table keeps those
services' entries and every partition's regions and defaults, so endpoint resolution answers as before.

Likewise the S3 service model (119 operations, 736 shapes and their documentation: ~3.3 MB) is kept for the
session's life by botocore's loader; the guard's clients get a model with :data:`S3_OPERATIONS` and the shapes
they reach, without documentation (~0.1 MB). Request serialisation and response parsing read only the shapes.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Mapping
from typing import Any

# S3: audit shipping and approvals; STS/SSO/SSO-OIDC: the credential chain (web identity, assume role, SSO)
SESSION_SERVICES = frozenset({"s3", "sts", "sso", "sso-oidc"})
# The S3 operations the guard process calls: audit shipping (sidecar/audit/shipper.py: PutObject, HeadObject)
# and the approvals store (sidecar/approvals/store.py: GetObject, PutObject, ListObjectsV2). The CLI's audit
# tools (verify, export) build their own stock clients. tests/server/test_boto_session.py checks this list
# against the calls in those modules.
S3_OPERATIONS = frozenset({"PutObject", "HeadObject", "GetObject", "ListObjectsV2"})
_DOC_KEYS = frozenset({"documentation", "documentationUrl"})


def endpoint_table(services: frozenset[str] = SESSION_SERVICES) -> tuple[dict[str, Any], bool]:
    """botocore's endpoint table with only ``services`` left in each partition, and whether it is the one
    shipped with botocore. Built from a copy so that the full table's objects are freed together."""
    from botocore.loaders import create_loader

    loader = create_loader()
    data, path = loader.load_data_with_path("endpoints")
    builtin = bool(loader.is_builtin_path(path))
    packed = json.dumps(
        {
            **data,
            "partitions": [
                {**p, "services": {k: v for k, v in p.get("services", {}).items() if k in services}}
                for p in data.get("partitions", [])
            ],
        }
    )
    del data, loader
    gc.collect()
    return json.loads(packed), builtin


def _shape_refs(shape: Mapping[str, Any]) -> Iterable[str]:
    for key in ("member", "key", "value"):
        if key in shape:
            yield shape[key]["shape"]
    for member in shape.get("members", {}).values():
        yield member["shape"]


def _undocumented(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: "" if k in _DOC_KEYS and isinstance(v, str) else _undocumented(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_undocumented(v) for v in node]
    return node


def cut_service_model(model: Mapping[str, Any], operations: Iterable[str]) -> dict[str, Any]:
    """``model`` (a botocore ``service-2`` document) with only ``operations``, the shapes they reach (input,
    output, errors, transitively) and empty documentation strings (botocore reads some of the keys). KeyError
    names an operation the model lacks."""
    ops = {name: model["operations"][name] for name in sorted(operations)}
    todo = [ref["shape"] for op in ops.values() for ref in (op.get("input"), op.get("output"), *op.get("errors", []))
            if ref]
    shapes: dict[str, Any] = {}
    while todo:
        name = todo.pop()
        if name not in shapes:
            shapes[name] = model["shapes"][name]
            todo.extend(_shape_refs(shapes[name]))
    return _undocumented({**model, "operations": ops, "shapes": shapes})


def _trimmed_loader(s3_operations: frozenset[str], data_path: str | None) -> Any:
    """botocore's ``Loader`` (same search paths as the session's: ``AWS_DATA_PATH``) whose S3 ``service-2``
    model is cut to ``s3_operations``. The full model is loaded by a throw-away loader and freed whole."""
    from botocore.loaders import Loader, create_loader

    scratch = create_loader(data_path)
    paths = scratch.search_paths
    version = scratch.determine_latest_version("s3", "service-2")
    packed = json.dumps(cut_service_model(scratch.load_service_model("s3", "service-2"), s3_operations))
    del scratch
    gc.collect()
    s3_model = json.loads(packed)

    class TrimmedLoader(Loader):  # type: ignore[misc]  # botocore is untyped
        def load_service_model(self, service_name: str, type_name: str, api_version: str | None = None) -> Any:
            if service_name == "s3" and type_name == "service-2" and api_version in (None, version):
                return s3_model
            return super().load_service_model(service_name, type_name, api_version)

    return TrimmedLoader(extra_search_paths=paths, include_default_search_paths=False)


def guard_boto3_session(s3_operations: frozenset[str] = S3_OPERATIONS) -> Any:
    """A ``boto3.session.Session`` whose endpoint resolver holds the cut table and whose loader the cut S3
    model (see the module docstring)."""
    import boto3
    from botocore.regions import EndpointResolver

    session = boto3.session.Session()
    table, builtin = endpoint_table()
    # botocore's own hooks for these components (the session registers them lazily; nothing has loaded them yet)
    session._session._register_internal_component("endpoint_resolver", EndpointResolver(table, builtin))
    loader = _trimmed_loader(s3_operations, session._session.get_config_variable("data_path"))
    session._session.register_component("data_loader", loader)
    return session
