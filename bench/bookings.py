"""The rush: thousands of citizens trying for the same morning, on the local store.

Figures: bookings settled per second with many threads against one thread doing the same
work (the store's lock is the only coordination), and a week's availability read with one
query against reading each slot's counter one by one.
"""

from __future__ import annotations

import tempfile
import time as time_module
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta
from pathlib import Path

import boto3
from moto import mock_aws

from bench.harness import Result, seconds
from chalicelib import bootstrap
from chalicelib.adapters.case_items import sortable
from chalicelib.adapters.dynamodb.table import DynamoTable, create_table
from chalicelib.adapters.local_timers import TableTimers
from chalicelib.adapters.outbox import OutboxNotifier
from chalicelib.adapters.sqlite.table import SqliteTable
from chalicelib.adapters.table import Key
from chalicelib.clock import MovableClock
from chalicelib.config import Settings
from chalicelib.domain.bookings import BookingCitizen, Mode
from chalicelib.domain.calendar import ATHENS
from chalicelib.domain.errors import AlreadyBooked, SlotFull
from chalicelib.domain.identifiers import amka_check_digit
from chalicelib.services import bookings

BRANCH, SERVICE = "kep-athens-syntagma", "kep-certificate"
MORNING = date(2026, 12, 8)  # a Tuesday


def _context(path: Path):
    table = SqliteTable(path)
    return _context_over(table), table


def _context_over(table):
    clock = MovableClock(datetime(2026, 12, 1, 9, tzinfo=ATHENS), frozen=True)
    return bootstrap.build(
        Settings(),
        clock=clock,
        table=table,
        timers=TableTimers(table),
        notifier=OutboxNotifier(table, clock.now),
    )


def _citizen(n: int) -> BookingCitizen:
    first10 = f"0101{n % 100:02d}{n:04d}"[:10]
    return BookingCitizen(
        f"Πολίτης {n}", first10 + amka_check_digit(first10), phone="+306912345678"
    )


def _morning_slots(ctx) -> list:
    return [
        slot
        for slot, _ in bookings.availability(ctx, BRANCH, SERVICE, MORNING, MORNING)
        if slot.start.astimezone(ATHENS).time() < time(12)
    ]


def _rush(ctx, citizens: int, threads: int) -> tuple[int, float]:
    slots = _morning_slots(ctx)

    def attempt(n: int) -> bool:
        # Everyone wants the earliest time; the refused try the next one, like people do.
        for slot in slots[n % 3 :]:
            command = bookings.BookAppointment(
                BRANCH, SERVICE, slot.start, Mode.IN_PERSON, "el", _citizen(n)
            )
            try:
                bookings.book(ctx, command)
                return True
            except SlotFull:
                continue
            except AlreadyBooked:
                return False
        return False

    def run() -> int:
        with ThreadPoolExecutor(threads) as pool:
            return sum(pool.map(attempt, range(citizens)))

    start = time_module.perf_counter()
    confirmed = run()
    return confirmed, time_module.perf_counter() - start


def run(scale: int) -> list[Result]:
    results = []
    citizens = max(60, scale // 2)
    with tempfile.TemporaryDirectory() as tmp:
        ctx, table = _context(Path(tmp) / "rush.db")
        places = 2 * len(_morning_slots(ctx))  # two desks serve the service
        confirmed, many = _rush(ctx, citizens, threads=16)
        assert confirmed == min(citizens, places), (confirmed, places)
        ctx1, _ = _context(Path(tmp) / "one.db")
        confirmed1, one = _rush(ctx1, citizens, threads=1)
        assert confirmed1 == confirmed
        results.append(
            Result(
                f"rush: {citizens} citizens, 16 threads",
                "/s",
                citizens / many,
                "the same, one thread",
                citizens / one,
            )
        )

        results.append(_availability(ctx, table, "SQLite"))
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-central-1")
        create_table(client, "bench")
        table = DynamoTable(client, "bench")
        ctx = _context_over(table)
        _rush(ctx, 40, threads=1)
        results.append(_availability(ctx, table, "DynamoDB via moto"))
    return results


def _availability(ctx, table, store: str) -> Result:
    first, last = MORNING, MORNING + timedelta(days=4)
    week = seconds(lambda: bookings.availability(ctx, BRANCH, SERVICE, first, last))
    slots = [s for s, _ in bookings.availability(ctx, BRANCH, SERVICE, first, last)]

    def slot_by_slot() -> None:
        # What a design with one item per slot read one by one would cost.
        for slot in slots:
            table.get(Key(f"SLOTS#{BRANCH}#{SERVICE}#in_person", sortable(slot.start)))

    return Result(
        f"a week's availability ({store})",
        "ms",
        week * 1000,
        f"a read per slot ({len(slots)})",
        seconds(slot_by_slot) * 1000,
    )
