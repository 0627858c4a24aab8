"""The local store forgets what DynamoDB's TTL would: expired idempotency records and the like."""

from datetime import timedelta

from support import run_due_timers

from chalicelib import bootstrap
from chalicelib.adapters.local_timers import TableTimers
from chalicelib.adapters.outbox import OutboxNotifier
from chalicelib.adapters.sqlite.table import SqliteTable
from chalicelib.config import Settings
from chalicelib.domain.cases import Citizen
from chalicelib.services import cases
from chalicelib.services.retries import Idempotency


def test_an_idempotency_key_is_forgotten_once_its_record_expires(tmp_path, clock):
    table = SqliteTable(tmp_path / "store.db")
    ctx = bootstrap.build(
        Settings(),
        clock=clock,
        table=table,
        timers=TableTimers(table),
        notifier=OutboxNotifier(table, clock.now),
    )
    command = cases.SubmitCase(
        "efka", "pension", "Σύνταξη", "Πότε;", "el", Citizen("Α Β", email="a@example.gr")
    )
    first = cases.submit_case(ctx, command, idempotency=Idempotency("k", "a"))

    clock.advance(timedelta(hours=23))
    run_due_timers(ctx)
    replayed = cases.submit_case(ctx, command, idempotency=Idempotency("k", "a"))
    clock.advance(timedelta(hours=1, minutes=1))
    run_due_timers(ctx)
    fresh = cases.submit_case(ctx, command, idempotency=Idempotency("k", "b"))

    assert replayed == first
    assert fresh["reference"] != first["reference"]
