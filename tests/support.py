"""Helpers the tests import: the fake clock's start and days, Athens times, a case body, timers,
the outbox, and an HTTP client that speaks to the app the way the local server does."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from chalicelib.adapters.dynamodb.table import DynamoTable
from chalicelib.adapters.local_timers import TableTimers
from chalicelib.adapters.outbox import OutboxNotifier
from chalicelib.adapters.sqlite.table import SqliteTable
from chalicelib.adapters.table import StoreBusy, Table
from chalicelib.api.auth import dev_token
from chalicelib.domain.calendar import ATHENS
from chalicelib.domain.callbacks import CallbackConfig, Roster
from chalicelib.domain.directory import Agent
from chalicelib.services.context import Context
from devtools.mailbox import MAILBOX
from devtools.runtime import LocalRuntime
from devtools.worker import run_due

START = datetime(2026, 12, 1, 9, 0, tzinfo=ATHENS)  # a Tuesday, office hours
TODAY = START.date()  # Tuesday 1 December 2026, 09:00 in Athens
TOMORROW = TODAY + timedelta(days=1)  # Wednesday 2 December 2026: the late day, open to 19:00
PHONE = "+306912345678"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Athens."""
    return datetime.combine(day, time(hour, minute), tzinfo=ATHENS)


def agent(ctx: Context, name: str) -> Agent:
    return ctx.directory.agents[name]


def phone(n: int) -> str:
    """The n-th citizen's mobile number."""
    return f"+3069{n:08d}"


def one_callback_team(ctx: Context, places: int) -> None:
    """Callbacks of every agency go to first line, 08:00-20:00 Monday to Saturday, one agent
    taking ``places`` calls per half-hour window."""
    hours = {d: ((time(8), time(20)),) for d in range(6)}
    roster = Roster("first-line", frozenset({"*"}), hours, calls_per_agent=places, agents=1)
    ctx.callback_config = CallbackConfig((roster,))


def run_due_timers(ctx: Context) -> int:
    """What the deadline worker does: fire every due timer, then sweep."""
    assert isinstance(ctx.timers, TableTimers)
    return run_due(ctx, ctx.timers)


def outbox(ctx: Context) -> list[dict]:
    """Newest first; a sent message as the local mailbox received it (the outbox forgets it)."""
    assert isinstance(ctx.notifier, OutboxNotifier)
    return MAILBOX.with_bodies(ctx.notifier.messages(200))


@dataclass
class ApiResponse:
    status: int
    headers: dict[str, str]
    body: Any

    @property
    def problem_fields(self) -> set[str]:
        return {e["field"] for e in self.body.get("errors", [])}


def assert_problem(response: ApiResponse, status: int, problem: str) -> None:
    """An application/problem+json answer of this status and type, with a title."""
    assert response.status == status, response.body
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.body["type"] == f"/problems/{problem}"
    assert response.body["title"]


class Api:
    """Speaks HTTP to the app the way the local server does: through the same ``answer``. A
    request that matches no route fails the test at once (unless it says ``no_route_expected``),
    so a removed route can never pass for the app's own 404."""

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
        no_route_expected: bool = False,
        source_ip: str = "127.0.0.1",
    ) -> ApiResponse:
        sent = {
            "content-type": "application/json",
            **{k.lower(): v for k, v in (headers or {}).items()},
        }
        if token:
            sent["authorization"] = f"Bearer {token}"
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        assert path.startswith(("/api/v1/", "/api/open311/"))
        answered = self.runtime.answer(
            self._gateway, method, path[len("/api") :], sent, data, source_ip
        )
        text = answered.body.decode()
        content_type = answered.headers.get("Content-Type", "")
        parsed = json.loads(text) if "json" in content_type and text else text
        missing = isinstance(parsed, dict) and parsed.get("type") == "/problems/no-route"
        assert no_route_expected or not missing, f"no route answers {method} {path}"
        return ApiResponse(answered.status, answered.headers, parsed)

    def get(self, path: str, **kwargs: Any) -> ApiResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> ApiResponse:
        return self.request("POST", path, body, **kwargs)

    def token(self, user: str) -> str:
        agent = self.runtime.ctx.directory.agents[user]
        return dev_token(agent, self.runtime.settings.jwt_secret, now=datetime.now(UTC))


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


def everything(table: Table) -> list[Any]:
    """Every item of the store, to show that a refused request changed nothing. A waitlist
    join draws its ticket number before its transaction (a sequence nobody sees, drawn by any
    refused join), so the sequence counters are left out."""
    if isinstance(table, SqliteTable):
        sql = "SELECT * FROM items WHERE pk NOT LIKE 'COUNTER#%' ORDER BY pk, sk"
        return [list(r) for r in table._connection().execute(sql).fetchall()]
    assert isinstance(table, DynamoTable)
    items = table._client.scan(TableName=table._name)["Items"]
    items = [i for i in items if not i["pk"]["S"].startswith("COUNTER#")]
    return sorted(items, key=lambda i: json.dumps(i, sort_keys=True))


class CountedTable:
    """The store, keeping the single writes and counting the transactions made through it;
    with ``fail`` set it refuses a transaction as a busy store does."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.single: list[Any] = []
        self.transactions = 0
        self.fail = False

    @property
    def writes(self) -> int:
        return len(self.single)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.table, name)

    def write(self, op: Any) -> Any:
        self.single.append(op)
        return self.table.write(op)

    def transact(self, ops: Any) -> None:
        self.transactions += 1
        if self.fail:
            raise StoreBusy("store")
        self.table.transact(ops)
