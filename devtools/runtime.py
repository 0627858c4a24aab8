"""The whole platform on one machine: the app over SQLite (or a DynamoDB endpoint),
local timers, an outbox, and a clock that demos can move. Used by `make run` and the
HTTP and browser tests."""

from __future__ import annotations

import base64
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from chalice import Chalice
from chalice.local import ForbiddenError, LocalGateway, LocalGatewayException

from chalicelib import bootstrap
from chalicelib.adapters import outbox
from chalicelib.adapters.local_timers import TableTimers
from chalicelib.adapters.outbox import OutboxNotifier
from chalicelib.adapters.table import Key, Put, Table
from chalicelib.api.i18n import language_of
from chalicelib.api.problems import Problem, problem_response
from chalicelib.clock import MovableClock
from chalicelib.config import Settings
from chalicelib.services.context import Context
from devtools import dev_routes
from devtools.worker import DeadlineWorker, run_due

_CLOCK_KEY = Key("DEVCLOCK", "DEVCLOCK")


class StoredClock(MovableClock):
    """A movable clock whose offset is kept in the store, so a restart keeps the demo's time."""

    def __init__(self, table: Table) -> None:
        item = table.get(_CLOCK_KEY)
        super().__init__()
        self._table = table
        if item:
            super().advance(timedelta(microseconds=int(item["offset_us"])))

    def advance(self, delta: timedelta) -> datetime:
        now = super().advance(delta)
        offset = now - datetime.now(UTC)
        self._table.write(
            Put(
                {
                    "pk": _CLOCK_KEY.pk,
                    "sk": _CLOCK_KEY.sk,
                    "offset_us": int(offset / timedelta(microseconds=1)),
                }
            )
        )
        return now


@dataclass(frozen=True)
class Answer:
    """What the API answers over HTTP: status, headers and the body's bytes."""

    status: int
    headers: dict[str, str]
    body: bytes


class PeerGateway(LocalGateway):
    """Chalice's local gateway, telling the app the caller's address as API Gateway does
    (``requestContext.identity.sourceIp``) instead of a constant 127.0.0.1."""

    source_ip = "127.0.0.1"  # set for each request, under the runtime's lock

    def _generate_lambda_event(self, *args: Any, **kwargs: Any) -> Any:
        event = super()._generate_lambda_event(*args, **kwargs)
        event["requestContext"]["identity"]["sourceIp"] = self.source_ip
        return event


def answer(
    gateway: LocalGateway,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes | None,
    source_ip: str = "127.0.0.1",
) -> Answer:
    """One request through Chalice's gateway: the app's response, or the gateway's own refusal
    as a problem (no route matches: 404 ``/problems/no-route``; an authorizer says no: 401/403).
    The local server and the HTTP tests both answer through here, and a route that is gone has
    its own problem type, so it can never pass for the app's 404 ``/problems/not-found``."""
    if isinstance(gateway, PeerGateway):
        gateway.source_ip = source_ip
    try:
        response = gateway.handle_request(method, path, headers, body)
    except LocalGatewayException as refused:
        status = 404 if isinstance(refused, ForbiddenError) else refused.CODE
        problem = (
            "no-route" if status == 404 else ("unauthorized" if status == 401 else "forbidden")
        )
        reply = problem_response(
            Problem(status, problem), language_of(headers.get("accept-language"))
        )
        return Answer(status, dict(reply.headers), reply.body.encode())
    payload = response.get("body") or ""
    if response.get("isBase64Encoded"):
        data = base64.b64decode(payload)
    else:
        data = payload.encode() if isinstance(payload, str) else payload
    return Answer(response["statusCode"], dict(response.get("headers") or {}), data)


def local_context(
    table: Table, clock: MovableClock, settings: Settings | None = None, **parts: Any
) -> Context:
    """The services' context as the local run wires it over ``table``: timers kept in the table
    and an outbox; ``parts`` replace either (SQS timers in the timer tests) or add to them."""
    wired: dict[str, Any] = {
        "timers": TableTimers(table),
        "notifier": OutboxNotifier(table, clock.now),
        **parts,
    }
    return bootstrap.build(settings or Settings(), clock=clock, table=table, **wired)


class LocalRuntime:
    def __init__(
        self, settings: Settings, *, table: Table | None = None, clock: MovableClock | None = None
    ) -> None:
        self.settings = settings
        if table is None and settings.store == "dynamodb" and settings.dynamodb_endpoint:
            ensure_local_table(settings)
        self.table = table or bootstrap.make_table(settings)
        self.clock = clock or StoredClock(self.table)
        self.timers = TableTimers(self.table)
        # The worker delivers beside the requests: a page of messages taken in one transaction
        # and marked sent in one, instead of two commits (two fsyncs) per message.
        self.outbox = OutboxNotifier(self.table, self.clock.now, together=outbox.PAGE)
        self.ctx: Context = bootstrap.build(
            settings, clock=self.clock, table=self.table, timers=self.timers, notifier=self.outbox
        )
        # Chalice keeps the current request on the app object, so requests are served one
        # at a time (as one Lambda instance would); the worker takes the same lock.
        self.lock = threading.Lock()
        self._worker: DeadlineWorker | None = None
        bootstrap.use(self.ctx, settings)
        dev_routes.RUNTIME.update(clock=self.clock, outbox=self.outbox, on_clock_moved=self.run_due)

    def run_due(self) -> int:
        return run_due(self.ctx, self.timers)

    def gateway(self, app: Chalice) -> LocalGateway:
        install_dev_routes(app)
        config = SimpleNamespace(
            lambda_timeout=None, function_name="api_handler", lambda_memory_size=512
        )
        return PeerGateway(app, config)  # type: ignore[arg-type]

    def answer(
        self,
        gateway: LocalGateway,
        method: str,
        path: str,
        headers: dict[str, str],
        body: bytes | None,
        source_ip: str = "127.0.0.1",
    ) -> Answer:
        """One request at a time, as the worker expects (see ``lock``)."""
        with self.lock:
            return answer(gateway, method, path, headers, body, source_ip)

    def start_worker(self, interval: float = 1.0) -> None:
        self._worker = DeadlineWorker(self.ctx, self.timers, self.lock, interval)
        self._worker.start()

    def stop(self) -> None:
        if self._worker:
            self._worker.stop()


def install_dev_routes(app: Chalice) -> None:
    if "/v1/dev/clock" not in app.routes:
        app.register_blueprint(dev_routes.bp, url_prefix="/v1")
        dev_routes.describe_routes()


def ensure_local_table(settings: Settings) -> None:
    """Creates the table on a local DynamoDB endpoint (moto's server) the first time."""
    import boto3

    from chalicelib.adapters.dynamodb.table import create_table

    client = boto3.client("dynamodb", endpoint_url=settings.dynamodb_endpoint)
    if settings.table_name not in client.list_tables()["TableNames"]:
        create_table(client, settings.table_name)
