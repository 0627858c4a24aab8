"""Fixtures shared by every suite: the two stores, the fake clock, the wired container."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from support import START, Api

from chalicelib.adapters.dynamodb.table import DynamoTable, create_table
from chalicelib.adapters.local_timers import TableTimers
from chalicelib.adapters.sqlite.table import SqliteTable
from chalicelib.adapters.table import Table
from chalicelib.clock import MovableClock
from chalicelib.config import Settings
from chalicelib.services.context import Context
from devtools.runtime import LocalRuntime, local_context
from devtools.seed import seed_roster

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
        yield DynamoTable(OneRequestAtATime(client), "citizen-service")


class OneRequestAtATime:
    """DynamoDB applies each request atomically; moto checks a condition and writes in separate
    Python steps, so threads could interleave inside one request. Serialising whole requests
    (never the application's steps between them) gives concurrency tests the real guarantee."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return attr(*args, **kwargs)

        return call


# --- the platform under a fake clock ---------------------------------------------


@pytest.fixture
def clock() -> MovableClock:
    """Frozen at START; tests move it with ``clock.advance`` and never sleep."""
    return MovableClock(START, frozen=True)


@pytest.fixture
def ctx(table: Table, clock: MovableClock) -> Context:
    """The services' context over the parametrised store, with local timers, an outbox and the
    local stage's demo agents in the roster."""
    built = local_context(table, clock, timers=TableTimers(table))
    seed_roster(built)
    return built


@pytest.fixture
def api(table: Table, clock: MovableClock) -> Iterator[Api]:
    """The HTTP contract over the parametrised store; moves time with ``api.runtime.clock``."""
    runtime = LocalRuntime(Settings(), table=table, clock=clock)
    seed_roster(runtime.ctx)
    yield Api(runtime)
