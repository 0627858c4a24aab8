"""Fixtures shared by every suite: the two stores, the fake clock, the wired container."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from chalice.local import LocalGatewayException
from moto import mock_aws

from chalicelib import bootstrap
from chalicelib.adapters.dynamodb.table import DynamoTable, create_table
from chalicelib.adapters.local_timers import TableTimers
from chalicelib.adapters.outbox import OutboxNotifier
from chalicelib.adapters.sqlite.table import SqliteTable
from chalicelib.adapters.table import Table
from chalicelib.api.auth import dev_token
from chalicelib.clock import MovableClock
from chalicelib.config import Settings
from chalicelib.domain.calendar import ATHENS
from chalicelib.services.context import Context
from devtools.runtime import LocalRuntime
from devtools.worker import run_due

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

START = datetime(2026, 12, 1, 9, 0, tzinfo=ATHENS)  # a Tuesday, office hours


@pytest.fixture
def clock() -> MovableClock:
    """Frozen at START; tests move it with ``clock.advance`` and never sleep."""
    return MovableClock(START, frozen=True)


@pytest.fixture
def ctx(table: Table, clock: MovableClock) -> Context:
    """The services' context over the parametrised store, with local timers and an outbox."""
    return bootstrap.build(
        Settings(),
        clock=clock,
        table=table,
        timers=TableTimers(table),
        notifier=OutboxNotifier(table, clock.now),
    )


def run_due_timers(ctx: Context) -> int:
    """What the deadline worker does: fire every due timer, then sweep."""
    assert isinstance(ctx.timers, TableTimers)
    return run_due(ctx, ctx.timers)


def outbox(ctx: Context) -> list[dict]:
    assert isinstance(ctx.notifier, OutboxNotifier)
    return ctx.notifier.messages(200)


@dataclass
class ApiResponse:
    status: int
    headers: dict[str, str]
    body: Any

    @property
    def problem_fields(self) -> set[str]:
        return {e["field"] for e in self.body.get("errors", [])}


class Api:
    """Speaks HTTP to the app the way the local server does (through Chalice's gateway)."""

    def __init__(self, runtime: LocalRuntime) -> None:
        from app import app

        self.runtime = runtime
        self._gateway = runtime.gateway(app)

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> ApiResponse:
        sent = {
            "content-type": "application/json",
            **{k.lower(): v for k, v in (headers or {}).items()},
        }
        if token:
            sent["authorization"] = f"Bearer {token}"
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        assert path.startswith("/api/v1/")
        try:
            response = self._gateway.handle_request(method, path[len("/api") :], sent, data)
        except LocalGatewayException:
            return ApiResponse(404, {}, {"type": "/problems/not-found"})
        text = response.get("body") or ""
        content_type = (response.get("headers") or {}).get("Content-Type", "")
        parsed = json.loads(text) if "json" in content_type and text else text
        return ApiResponse(response["statusCode"], response.get("headers") or {}, parsed)

    def get(self, path: str, **kwargs: Any) -> ApiResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> ApiResponse:
        return self.request("POST", path, body, **kwargs)

    def token(self, user: str) -> str:
        agent = self.runtime.ctx.directory.agents[user]
        return dev_token(agent, self.runtime.settings.jwt_secret, now=datetime.now(UTC))


@pytest.fixture
def api(table: Table, clock: MovableClock) -> Iterator[Api]:
    """The HTTP contract over the parametrised store; moves time with ``api.runtime.clock``."""
    runtime = LocalRuntime(Settings(), table=table, clock=clock)
    yield Api(runtime)


CASE_BODY = {
    "agency": "efka",
    "topic": "contributions",
    "subject": "Εισφορές",
    "description": "Πότε πληρώνονται οι εισφορές;",
    "language": "el",
    "consent": True,
    "citizen": {
        "full_name": "Γιάννης Παπαδάκης",
        "amka": "15038512347",
        "email": "giannis@example.gr",
        "phone": "691 234 5678",
    },
}
