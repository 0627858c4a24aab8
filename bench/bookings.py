"""The rush: thousands of citizens trying for the same morning, on the local store.

Figures: bookings settled per second with many threads against one thread doing the same
work (the store's lock is the only coordination), and a week's availability beside the one
raw SELECT of its slot counters. DynamoDB calls per operation are counted in bench/calls.py.
"""

from __future__ import annotations

import tempfile
import time as time_module
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta
from pathlib import Path

from bench.harness import Result, duration, paired
from chalicelib.adapters.case_items import sortable
from chalicelib.adapters.local_timers import TableTimers
from chalicelib.adapters.sqlite.table import SqliteTable
from chalicelib.clock import MovableClock
from chalicelib.domain.bookings import BookingCitizen, Mode
from chalicelib.domain.calendar import ATHENS
from chalicelib.domain.errors import AlreadyBooked, SlotFull
from chalicelib.domain.identifiers import amka_check_digit
from chalicelib.services import bookings
from devtools.runtime import local_context

BRANCH, SERVICE = "kep-athens-syntagma", "kep-certificate"
MORNING = date(2026, 12, 8)  # a Tuesday


def _context(path: Path):
    table = SqliteTable(path)
    return _context_over(table), table


def _context_over(table):
    clock = MovableClock(datetime(2026, 12, 1, 9, tzinfo=ATHENS), frozen=True)
    return local_context(table, clock, timers=TableTimers(table))


def _citizen(n: int) -> BookingCitizen:
    first10 = f"0101{n % 100:02d}{n:04d}"[:10]
    # Each citizen their own phone: one phone may hold only four appointments at once.
    return BookingCitizen(
        f"Πολίτης {n}", first10 + amka_check_digit(first10), phone=f"+3069{n:08d}"
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
    citizens = max(60, scale // 2)
    with tempfile.TemporaryDirectory() as tmp:
        ctx, table = _context(Path(tmp) / "rush.db")
        places = 2 * len(_morning_slots(ctx))  # two desks serve the service
        confirmed, many = _rush(ctx, citizens, threads=16)
        assert confirmed == min(citizens, places), (confirmed, places)
        ctx1, _ = _context(Path(tmp) / "one.db")
        confirmed1, one = _rush(ctx1, citizens, threads=1)
        assert confirmed1 == confirmed
        rush = Result(
            f"rush: {citizens} citizens for one morning, 16 threads",
            "/s",
            citizens / many,
            "the same, one thread",
            citizens / one,
        )
        return [rush, _availability(ctx, table)]


def _availability(ctx, table: SqliteTable) -> Result:
    """A week's availability beside its limit: the one indexed SELECT of the week's slot
    counters it needs, undecoded (the rest is hours, closures and capacity in Python)."""
    first, last = MORNING, MORNING + timedelta(days=4)
    partition = f"SLOTS#{BRANCH}#{SERVICE}#in_person"
    low, high = sortable(_start_of(first)), sortable(_start_of(last + timedelta(days=1)))
    raw = table._connection()

    def raw_read() -> list:
        sql = "SELECT attrs FROM items WHERE pk = ? AND sk >= ? AND sk < ? ORDER BY sk"
        return raw.execute(sql, (partition, low, high)).fetchall()

    value, base, ratio, rounds = paired(
        lambda: (
            duration(lambda: bookings.availability(ctx, BRANCH, SERVICE, first, last), 20) * 1000
        ),
        lambda: duration(raw_read, 20) * 1000,
    )
    return Result(
        "a week's availability (SQLite)",
        "ms",
        value,
        "one raw SELECT of the week's counters",
        base,
        ratio,
        rounds=rounds,
    )


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), ATHENS)
