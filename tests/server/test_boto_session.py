"""The guard's boto3 session: the cut endpoint table resolves S3 (and the credential chain's STS) exactly as a
stock session does, in every partition, and really is cut (control: a service left out); the cut S3 model
covers every call of the serving modules and sends the same requests as the full model."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest

from sidecar.audit.shipper import default_s3_client
from sidecar.server.boto_session import (
    S3_OPERATIONS,
    SESSION_SERVICES,
    cut_service_model,
    endpoint_table,
    guard_boto3_session,
)

CREDS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}


def _resolved(client: Any) -> tuple[str, str, str]:
    return client.meta.endpoint_url, client.meta.region_name, client._request_signer._signing_name


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1", "eu-central-2"])
@pytest.mark.parametrize("endpoint", [None, "http://127.0.0.1:9"])
def test_s3_and_sts_resolve_as_with_a_stock_session(region: str, endpoint: str | None) -> None:
    stock, guard = boto3.session.Session(**CREDS), guard_boto3_session()
    s3_guard, s3_stock = default_s3_client(endpoint, region, guard), default_s3_client(endpoint, region, stock)
    assert _resolved(s3_guard) == _resolved(s3_stock)
    assert _resolved(guard.client("sts", region_name=region, **CREDS)) == _resolved(
        stock.client("sts", region_name=region, **CREDS)
    )
    assert guard.get_available_regions("s3") == stock.get_available_regions("s3")


def test_the_table_is_cut_to_the_session_services() -> None:
    table, builtin = endpoint_table()
    assert builtin
    kept = {s for p in table["partitions"] for s in p["services"]}
    assert kept and kept <= SESSION_SERVICES
    assert all(p["regions"] for p in table["partitions"])  # partitions keep their regions and defaults
    # control: a service outside the cut has regions in a stock session and none in the guard's
    assert boto3.session.Session().get_available_regions("ec2")
    assert guard_boto3_session().get_available_regions("ec2") == []


# --- the S3 service model, cut to the guard's operations ---------------------------------------------------

SERVING_MODULES = ("sidecar/audit/shipper.py", "sidecar/audit/log.py", "sidecar/approvals/store.py")


class _Sent(Exception):
    pass


def _s3_operation_calls(source: str) -> set[str]:
    """S3 operation names (``PutObject``) that ``source`` calls as client methods or paginators."""
    from botocore import xform_name
    from botocore.loaders import create_loader

    ops = {xform_name(op): op for op in create_loader().load_service_model("s3", "service-2")["operations"]}
    called = set(re.findall(r"\.(\w+)\(", source)) | set(re.findall(r"get_paginator\(\"(\w+)\"\)", source))
    return {ops[name] for name in called if name in ops}


def _request(client: Any, method: str, **params: Any) -> tuple[str, str, dict[str, str], bytes]:
    """The HTTP request botocore would send (time-dependent signing headers left out)."""
    seen: list[Any] = []

    def capture(request: Any, **_: Any) -> None:
        seen.append(request)
        raise _Sent

    client.meta.events.register("before-send.s3.*", capture)
    with pytest.raises(_Sent):
        getattr(client, method)(**params)
    req = seen[0]
    skip = {"authorization", "x-amz-date", "amz-sdk-invocation-id", "amz-sdk-request", "user-agent"}
    headers = {k.lower(): str(v) for k, v in req.headers.items() if k.lower() not in skip}
    body = req.body if isinstance(req.body, bytes) else (req.body.read() if req.body else b"")
    return req.method, req.url, headers, body


def test_s3_operations_cover_every_call_of_the_serving_modules() -> None:
    root = Path(__file__).resolve().parents[2]
    called = set().union(*(_s3_operation_calls((root / m).read_text()) for m in SERVING_MODULES))
    assert called and called <= S3_OPERATIONS, called - S3_OPERATIONS
    # control: the scan sees a call outside the cut
    assert _s3_operation_calls('s3.delete_object(Bucket=b)\ns3.get_paginator("list_object_versions")') == {
        "DeleteObject", "ListObjectVersions"}


def test_guard_s3_client_has_only_the_cut_operations() -> None:
    guard = default_s3_client("http://127.0.0.1:9", "us-east-1", guard_boto3_session())
    stock = default_s3_client("http://127.0.0.1:9", "us-east-1", boto3.session.Session(**CREDS))
    assert set(guard.meta.service_model.operation_names) == S3_OPERATIONS
    assert guard.get_paginator("list_objects_v2") is not None
    assert not hasattr(guard, "delete_object")  # control: a stock client has it
    assert hasattr(stock, "delete_object")
    assert not re.search(r'"documentation": "[^"]', json.dumps(guard.meta.service_model._service_description))


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("put_object", {"Bucket": "audit", "Key": "a/b.seg", "Body": b"x" * 100, "IfNoneMatch": "*",
                        "ObjectLockMode": "COMPLIANCE", "ObjectLockRetainUntilDate": datetime(2030, 1, 1, tzinfo=UTC),
                        "ContentMD5": "XrY7u+Ae7tCTyyK7j1rNww==", "Metadata": {"chain": "abc"}}),
        ("get_object", {"Bucket": "audit", "Key": "approvals/x.json", "IfMatch": '"etag"'}),
        ("head_object", {"Bucket": "audit", "Key": "a/b.seg"}),
        ("list_objects_v2", {"Bucket": "audit", "Prefix": "approvals/", "ContinuationToken": "t"}),
    ],
)
def test_cut_model_sends_the_same_requests_as_the_full_model(
    method: str, params: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", CREDS["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", CREDS["aws_secret_access_key"])
    guard = default_s3_client("http://127.0.0.1:9", "us-east-1", guard_boto3_session())
    stock = default_s3_client("http://127.0.0.1:9", "us-east-1", boto3.session.Session(**CREDS))
    assert _request(guard, method, **params) == _request(stock, method, **params)


def test_cut_service_model_keeps_every_reachable_shape() -> None:
    from botocore.loaders import create_loader

    full = create_loader().load_service_model("s3", "service-2")
    cut = cut_service_model(full, S3_OPERATIONS)
    assert len(cut["shapes"]) < len(full["shapes"]) / 4
    for shape in cut["shapes"].values():  # closed: every reference resolves inside the cut
        for key in ("member", "key", "value"):
            assert key not in shape or shape[key]["shape"] in cut["shapes"]
        assert all(m["shape"] in cut["shapes"] for m in shape.get("members", {}).values())
    with pytest.raises(KeyError):
        cut_service_model(full, {"NoSuchOperation"})


def test_control_a_model_cut_wrong_sends_a_different_request(monkeypatch: pytest.MonkeyPatch) -> None:
    import sidecar.server.boto_session as bs

    def sabotaged(model: Any, operations: Any) -> dict[str, Any]:
        cut = real(model, operations)
        del cut["shapes"]["PutObjectRequest"]["members"]["ObjectLockMode"]["location"]  # header no more
        return cut

    real = bs.cut_service_model
    monkeypatch.setattr(bs, "cut_service_model", sabotaged)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", CREDS["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", CREDS["aws_secret_access_key"])
    params = {"Bucket": "audit", "Key": "k", "Body": b"x", "ObjectLockMode": "COMPLIANCE"}
    guard = default_s3_client("http://127.0.0.1:9", "us-east-1", bs.guard_boto3_session())
    stock = default_s3_client("http://127.0.0.1:9", "us-east-1", boto3.session.Session(**CREDS))
    assert _request(guard, "put_object", **params) != _request(stock, "put_object", **params)
