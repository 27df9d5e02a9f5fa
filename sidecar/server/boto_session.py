"""The guard's one boto3 session, with botocore's endpoint table cut to the services the guard calls.

botocore loads ``endpoints.json`` (every service in every partition, ~7 MB of Python objects) for the first
client of a session and keeps it for the session's life. The guard's session only creates S3 clients (audit
shipping, approvals) and, through the default credential chain, STS/SSO clients; the table keeps those
services' entries and every partition's regions and defaults, so endpoint resolution answers as before.
"""

from __future__ import annotations

import gc
import json
from typing import Any

# S3: audit shipping and approvals; STS/SSO/SSO-OIDC: the credential chain (web identity, assume role, SSO)
SESSION_SERVICES = frozenset({"s3", "sts", "sso", "sso-oidc"})


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


def guard_boto3_session() -> Any:
    """A ``boto3.session.Session`` whose endpoint resolver holds the cut table (see the module docstring)."""
    import boto3
    from botocore.regions import EndpointResolver

    session = boto3.session.Session()
    table, builtin = endpoint_table()
    # botocore's own hook for this component (the session registers it lazily; nothing has loaded it yet)
    session._session._register_internal_component("endpoint_resolver", EndpointResolver(table, builtin))
    return session
