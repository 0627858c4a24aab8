"""The composition root: builds the services' context once, lazily, from the settings.

Nothing touches AWS at import time; tests and the local server pass their own parts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from chalicelib.config import Settings, settings_from_env

if TYPE_CHECKING:  # the adapters are imported when the graph is built, not with the app
    from chalicelib.adapters.table import Table
    from chalicelib.domain.bookings import Catalogue
    from chalicelib.domain.callbacks import CallbackConfig
    from chalicelib.ports import Clock, Notifier, Sender, Timers
    from chalicelib.services.context import Context

_context: Context | None = None
_settings: Settings | None = None
_sender: Sender | None = None


def settings() -> Settings:
    global _settings
    if _settings is None:
        _settings = settings_from_env()
    return _settings


def make_table(config: Settings) -> Table:
    if config.store == "dynamodb":
        import boto3

        from chalicelib.adapters.dynamodb.table import DynamoTable

        client = boto3.client("dynamodb", endpoint_url=config.dynamodb_endpoint)
        return DynamoTable(client, config.table_name)
    from chalicelib.adapters.sqlite.table import SqliteTable

    return SqliteTable(config.sqlite_path)


def make_timers(config: Settings, table: Table, clock: Clock) -> Timers:
    from chalicelib.adapters.local_timers import TableTimers

    if config.timer_queue_url:
        import boto3

        from chalicelib.adapters.aws.sqs_timers import LEAD, SqsTimers

        book = TableTimers(table, lead=LEAD)
        return SqsTimers(boto3.client("sqs"), config.timer_queue_url, book, clock.now)
    return TableTimers(table)


def make_sender(config: Settings) -> Sender:
    """What delivers the outbox: SES and SNS in AWS, a log line locally."""
    if config.sender_email:
        import boto3

        from chalicelib.adapters.aws.ses_notifier import SesNotifier

        return SesNotifier(boto3.client("sesv2"), boto3.client("sns"), config.sender_email)
    from chalicelib.adapters.outbox import LoggingSender

    return LoggingSender()


def build(
    config: Settings,
    *,
    clock: Clock | None = None,
    table: Table | None = None,
    timers: Timers | None = None,
    notifier: Notifier | None = None,
    catalogue: Catalogue | None = None,
    callback_config: CallbackConfig | None = None,
) -> Context:
    """The whole graph over one table; any part may be passed in instead (tests, local run)."""
    from chalicelib.adapters import pseudonyms
    from chalicelib.adapters.outbox import OutboxNotifier
    from chalicelib.booking_data import load_catalogue
    from chalicelib.callback_data import load_callback_config
    from chalicelib.clock import SystemClock

    clock = clock or SystemClock()
    pseudonyms.use_key(config.pseudonym_key.encode())
    table = table or make_table(config)
    catalogue = catalogue or load_catalogue()
    return _graph(
        config,
        clock,
        table,
        timers or make_timers(config, table, clock),
        notifier or OutboxNotifier(table, clock.now),
        catalogue,
        callback_config or load_callback_config(),
    )


def _graph(
    config: Settings,
    clock: Clock,
    table: Table,
    timers: Timers,
    notifier: Notifier,
    catalogue: Catalogue,
    callback_config: CallbackConfig,
) -> Context:
    from chalicelib.directory_data import load_directory
    from chalicelib.services.context import Context

    return Context(
        clock=clock,
        directory=load_directory(),
        timers=timers,
        notifier=notifier,
        catalogue=catalogue,
        callback_config=callback_config,
        limits=config.limits,
        store_kind=table.kind,
        pseudonym_key=config.pseudonym_key.encode(),
        retention=timedelta(days=config.retention_days),
        public_url=config.public_url,
        supervisor_contacts=dict(config.supervisor_emails),
        **_stores(config, table, catalogue),
    )


def _stores(config: Settings, table: Table, catalogue: Catalogue) -> dict[str, Any]:
    """The ports kept in the table, by their names in the context."""
    from chalicelib.adapters.booking_conditions import ContactCap
    from chalicelib.adapters.bookings import TableBookingRepository
    from chalicelib.adapters.branch_settings import TableBranchSettings
    from chalicelib.adapters.callbacks import TableCallbackRepository
    from chalicelib.adapters.cases import TableCaseRepository
    from chalicelib.adapters.citizen_view import TableCitizenView
    from chalicelib.adapters.counters import TableCounters
    from chalicelib.adapters.erasure import TableErasures
    from chalicelib.adapters.idempotency import TableIdempotencyLog
    from chalicelib.adapters.kpi_counters import TableKpiCounters
    from chalicelib.adapters.metering import TableRateLimiter
    from chalicelib.adapters.open311_keys import TableApiKeys
    from chalicelib.adapters.roster import TableRoster
    from chalicelib.adapters.surveys import TableSurveys
    from chalicelib.adapters.unit_of_work import TableUnitOfWork
    from chalicelib.adapters.waitlist import TableWaitlist

    contacts = ContactCap(config.pseudonym_key.encode(), config.limits.active_appointments)
    bookings = TableBookingRepository(table, catalogue.policy, contacts)
    return {
        "cases": TableCaseRepository(table),
        "idempotency": TableIdempotencyLog(table),
        "counters": TableCounters(table),
        "kpis": TableKpiCounters(table),
        "bookings": bookings,
        "branch_settings": TableBranchSettings(table),
        "waitlist": TableWaitlist(table, bookings),
        "callbacks": TableCallbackRepository(table),
        "citizen_view": TableCitizenView(table),
        "open311_keys": TableApiKeys(table),
        "surveys": TableSurveys(table),
        "erasures": TableErasures(table),
        "roster": TableRoster(table),
        "limiter": TableRateLimiter(table),
        "effects": TableUnitOfWork(table),
    }


def context() -> Context:
    global _context
    if _context is None:
        _context = build(settings())
    return _context


def deliver_messages(more: Callable[[], bool] | None = None) -> int:
    """Sends the outbox's due messages through the stage's sender."""
    global _sender
    if _sender is None:
        _sender = make_sender(settings())
    return context().notifier.deliver(_sender, more)


def use(ctx: Context, config: Settings | None = None) -> None:
    """Replaces the context (the local server and the tests wire their own)."""
    global _context, _settings, _sender
    _context = ctx
    _sender = None
    if config is not None:
        _settings = config
