"""Fixtures shared by every suite: the two stores, the fake clock, the wired container."""

from __future__ import annotations

import os
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from chalicelib.adapters.dynamodb.table import DynamoTable, create_table
from chalicelib.adapters.sqlite.table import SqliteTable
from chalicelib.adapters.table import Table

os.environ.setdefault("AWS_DEFAULT_REGION", "eu-central-1")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")


@pytest.fixture(params=["sqlite", "dynamodb"])
def table(request: pytest.FixtureRequest, tmp_path) -> Iterator[Table]:
    """The same tests run against both stores: a behaviour only one has is a bug."""
    if request.param == "sqlite":
        yield SqliteTable(tmp_path / "store.db")
        return
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-central-1")
        create_table(client, "citizen-service")
        yield DynamoTable(client, "citizen-service")
