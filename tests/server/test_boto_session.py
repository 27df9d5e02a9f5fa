"""The guard's boto3 session: the cut endpoint table resolves S3 (and the credential chain's STS) exactly as a
stock session does, in every partition, and really is cut (control: a service left out)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from sidecar.audit.shipper import default_s3_client
from sidecar.server.boto_session import SESSION_SERVICES, endpoint_table, guard_boto3_session

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
