"""The local store forgets what DynamoDB's TTL would: expired idempotency records and the like."""

from datetime import timedelta

from support import run_due_timers

from chalicelib.adapters.local_timers import TableTimers
from chalicelib.adapters.sqlite.table import SqliteTable
from chalicelib.domain.cases import Citizen
from chalicelib.services import cases
from chalicelib.services.retries import Idempotency
from devtools.runtime import local_context


def test_an_idempotency_key_is_forgotten_once_its_record_expires(tmp_path, clock):
    table = SqliteTable(tmp_path / "store.db")
    ctx = local_context(table, clock, timers=TableTimers(table))
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
