"""The rush, over both stores: many requests at once for the same places.

The store alone decides who gets a place (a condition inside one transaction), so
however the requests interleave, a slot never holds more than its capacity and a
citizen never holds two active bookings for one service.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from booking_fixtures import CERTIFICATE, SYNTAGMA, book, set_capacity
from support import TOMORROW, at

from chalicelib.domain.bookings import Mode
from chalicelib.domain.errors import AlreadyBooked, SlotFull
from chalicelib.services import bookings as service

THREADS = 24
CAPACITY = 3


# The `table` fixture (tests/conftest.py) serialises whole moto requests, as DynamoDB applies
# each request atomically, while the threads still interleave between requests, which is
# where check-then-write bugs live.


def attempt(ctx, start, n: int) -> str:
    try:
        return book(ctx, start, n)["code"]
    except SlotFull:
        return "slot-full"
    except AlreadyBooked:
        return "already-booked"


def test_many_citizens_racing_for_a_slot_of_capacity_k_get_exactly_k_places(ctx):
    set_capacity(ctx, CAPACITY)
    start = at(TOMORROW, 10)

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(lambda n: attempt(ctx, start, n), range(1, THREADS + 1)))

    refused = Counter(o for o in outcomes if not o.startswith("B-"))
    confirmed = [o for o in outcomes if o.startswith("B-")]
    assert len(confirmed) == CAPACITY
    assert refused == {"slot-full": THREADS - CAPACITY}
    booked = ctx.bookings.booked(SYNTAGMA, CERTIFICATE, Mode.IN_PERSON, start, start)
    day = service.day_list(ctx, ctx.directory.agents["katerina"], SYNTAGMA, TOMORROW)
    assert booked == {start: CAPACITY}
    assert sorted(b.code for b in day if b.is_active) == sorted(confirmed)


def test_one_citizen_booking_one_service_from_many_threads_gets_exactly_one(ctx):
    set_capacity(ctx, THREADS)
    starts = [at(TOMORROW, 10) if n % 2 else at(TOMORROW, 11) for n in range(THREADS)]

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(lambda s: attempt(ctx, s, 1), starts))

    confirmed = [o for o in outcomes if o.startswith("B-")]
    assert len(confirmed) == 1
    assert Counter(outcomes)["already-booked"] == THREADS - 1
    counters = ctx.bookings.booked(
        SYNTAGMA, CERTIFICATE, Mode.IN_PERSON, at(TOMORROW, 10), at(TOMORROW, 11)
    )
    assert sum(counters.values()) == 1


def test_cancellations_and_bookings_racing_keep_the_counter_equal_to_the_bookings(ctx):
    set_capacity(ctx, CAPACITY)
    start = at(TOMORROW, 10)
    held = [book(ctx, start, n) for n in range(1, CAPACITY + 1)]

    def cancel(receipt: dict) -> str:
        service.cancel(ctx, receipt["code"], receipt["manage_token"])
        return "cancelled"

    with ThreadPoolExecutor(THREADS) as pool:
        cancels = [pool.submit(cancel, r) for r in held]
        tries = [pool.submit(attempt, ctx, start, n) for n in range(100, 100 + THREADS)]
        outcomes = [f.result() for f in tries]
        assert all(f.result() == "cancelled" for f in cancels)

    confirmed = [o for o in outcomes if o.startswith("B-")]
    booked = ctx.bookings.booked(SYNTAGMA, CERTIFICATE, Mode.IN_PERSON, start, start)
    assert 0 < len(confirmed) <= CAPACITY
    assert booked == {start: len(confirmed)}
