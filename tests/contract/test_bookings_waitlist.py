"""A full day's waitlist over both stores: join, offer on cancellation, confirm or pass on."""

from __future__ import annotations

import dataclasses
from datetime import time, timedelta

import pytest
from booking_fixtures import (
    CERTIFICATE,
    SYNTAGMA,
    book,
    citizen,
    remaining_at,
)
from support import TOMORROW, at, outbox, run_due_timers

from chalicelib.domain.bookings import Accommodation, Mode, Status
from chalicelib.domain.errors import (
    AlreadyBooked,
    AlreadyWaiting,
    DayNotFull,
    InvalidInput,
    InvalidTransition,
    NotFound,
    OfferExpired,
    VersionConflict,
)
from chalicelib.domain.references import new_reference
from chalicelib.domain.waitlist import WaitStatus
from chalicelib.services import bookings, branch_admin, waitlist


def fill_tomorrow(ctx) -> dict:
    """Leaves one slot of capacity one at 10:00 tomorrow, and books it; returns the receipt."""
    katerina = ctx.directory.agents["katerina"]
    hours = {2: ((time(10), time(10, 10)),)}
    branch_admin.set_hours(ctx, katerina, SYNTAGMA, 0, hours, {})
    branch_admin.set_capacity(ctx, katerina, SYNTAGMA, 1, CERTIFICATE, {Mode.IN_PERSON: 1})
    return book(ctx, at(TOMORROW, 10), 1)


def join(ctx, n: int, **kwargs) -> dict:
    command = waitlist.JoinWaitlist(
        SYNTAGMA,
        CERTIFICATE,
        TOMORROW,
        Mode.IN_PERSON,
        "el",
        citizen(n),
        kwargs.pop("accommodations", frozenset()),
    )
    return waitlist.join(ctx, command)


def test_a_citizen_joins_the_waitlist_of_a_full_day_once(ctx):
    fill_tomorrow(ctx)

    entry = join(ctx, 2)

    assert entry["status"] == "waiting"
    assert entry["id"].startswith("W-")
    with pytest.raises(AlreadyWaiting):
        join(ctx, 2)


def test_tickets_follow_the_order_of_arrival(ctx):
    fill_tomorrow(ctx)

    assert [join(ctx, n)["ticket"] for n in (2, 3, 4)] == [1, 2, 3]


def test_a_join_that_lost_its_ticket_to_another_changes_nothing(ctx):
    fill_tomorrow(ctx)
    _, last = ctx.waitlist.line(SYNTAGMA, CERTIFICATE, Mode.IN_PERSON, TOMORROW)
    first = join(ctx, 2)  # takes the ticket the late one read as free
    taken = waitlist.entry_of(ctx, first["id"], first["manage_token"])
    late = dataclasses.replace(
        taken, id=new_reference("W"), citizen=citizen(3), ticket=last + 1, version=0
    )

    with pytest.raises(VersionConflict):
        ctx.waitlist.join(late, last)

    with pytest.raises(NotFound):
        ctx.waitlist.get(late.id)
    assert join(ctx, 3)["ticket"] == 2


def test_a_day_with_free_places_has_no_waitlist(ctx):
    with pytest.raises(DayNotFull):
        join(ctx, 2)


def test_a_citizen_with_an_active_booking_for_the_service_cannot_wait_for_another(ctx):
    receipt = fill_tomorrow(ctx)

    with pytest.raises(AlreadyBooked):
        join(ctx, 1)

    assert receipt["status"] == "confirmed"


def test_a_longer_appointment_cannot_wait_for_a_single_freed_place(ctx):
    fill_tomorrow(ctx)

    with pytest.raises(InvalidInput):
        join(ctx, 2, accommodations=frozenset({Accommodation.LONGER_SLOT}))


def test_a_cancellation_offers_the_place_to_the_first_in_line_and_holds_it(ctx):
    receipt = fill_tomorrow(ctx)
    first, second = join(ctx, 2), join(ctx, 3)

    bookings.cancel(ctx, receipt["code"], receipt["manage_token"])
    run_due_timers(ctx)  # the worker offers the freed place

    offered = waitlist.entry_of(ctx, first["id"], first["manage_token"])
    waiting = waitlist.entry_of(ctx, second["id"], second["manage_token"])
    assert offered.status == WaitStatus.OFFERED
    assert offered.offer is not None and offered.offer.start == at(TOMORROW, 10)
    assert waiting.status == WaitStatus.WAITING
    assert remaining_at(ctx, at(TOMORROW, 10)) == 0  # held for the one offered
    assert outbox(ctx)[0]["template"] == "booking_waitlist_offer"


def test_confirming_an_offer_in_time_turns_the_held_place_into_a_booking(ctx):
    receipt = fill_tomorrow(ctx)
    entry = join(ctx, 2)
    bookings.cancel(ctx, receipt["code"], receipt["manage_token"])
    run_due_timers(ctx)  # the worker offers the freed place

    confirmed = waitlist.confirm(ctx, entry["id"], entry["manage_token"])

    booking = bookings.manage(ctx, confirmed["code"], confirmed["manage_token"])
    assert booking.status == Status.CONFIRMED and booking.start == at(TOMORROW, 10)
    counters = ctx.bookings.booked(
        SYNTAGMA, CERTIFICATE, Mode.IN_PERSON, at(TOMORROW, 10), at(TOMORROW, 10)
    )
    assert counters == {at(TOMORROW, 10): 1}
    with pytest.raises(InvalidTransition):
        waitlist.confirm(ctx, entry["id"], entry["manage_token"])


def test_an_unanswered_offer_passes_to_the_next_in_line(ctx, clock):
    receipt = fill_tomorrow(ctx)
    first, second = join(ctx, 2), join(ctx, 3)
    bookings.cancel(ctx, receipt["code"], receipt["manage_token"])
    run_due_timers(ctx)  # the worker offers the freed place

    clock.advance(timedelta(hours=1))
    run_due_timers(ctx)

    lapsed = waitlist.entry_of(ctx, first["id"], first["manage_token"])
    offered = waitlist.entry_of(ctx, second["id"], second["manage_token"])
    assert lapsed.status == WaitStatus.EXPIRED
    assert offered.status == WaitStatus.OFFERED
    with pytest.raises(InvalidTransition):
        waitlist.confirm(ctx, first["id"], first["manage_token"])
    assert remaining_at(ctx, at(TOMORROW, 10)) == 0


def test_an_offer_confirmed_after_its_time_is_refused_even_before_the_timer_runs(ctx, clock):
    receipt = fill_tomorrow(ctx)
    entry = join(ctx, 2)
    bookings.cancel(ctx, receipt["code"], receipt["manage_token"])
    run_due_timers(ctx)  # the worker offers the freed place
    clock.advance(timedelta(hours=1))

    with pytest.raises(OfferExpired):
        waitlist.confirm(ctx, entry["id"], entry["manage_token"])

    assert ctx.bookings.active_code(citizen(2).amka, CERTIFICATE) is None


def test_an_offer_nobody_takes_frees_the_place_for_everyone(ctx, clock):
    receipt = fill_tomorrow(ctx)
    join(ctx, 2)
    bookings.cancel(ctx, receipt["code"], receipt["manage_token"])
    run_due_timers(ctx)  # the worker offers the freed place

    clock.advance(timedelta(hours=1))
    run_due_timers(ctx)

    assert remaining_at(ctx, at(TOMORROW, 10)) == 1


def test_leaving_with_an_offer_passes_it_on(ctx):
    receipt = fill_tomorrow(ctx)
    first, second = join(ctx, 2), join(ctx, 3)
    bookings.cancel(ctx, receipt["code"], receipt["manage_token"])
    run_due_timers(ctx)  # the worker offers the freed place

    waitlist.leave(ctx, first["id"], first["manage_token"])
    run_due_timers(ctx)  # the worker offers the freed place

    offered = waitlist.entry_of(ctx, second["id"], second["manage_token"])
    assert offered.status == WaitStatus.OFFERED
    assert remaining_at(ctx, at(TOMORROW, 10)) == 0


def test_a_waitlist_entry_is_hidden_without_its_token(ctx):
    fill_tomorrow(ctx)
    entry = join(ctx, 2)

    with pytest.raises(NotFound):
        waitlist.entry_of(ctx, entry["id"], "wrong")


def test_a_cancellation_still_succeeds_when_the_service_stopped_taking_bookings(ctx):
    receipt = fill_tomorrow(ctx)
    entry = join(ctx, 2)
    katerina = ctx.directory.agents["katerina"]
    branch_admin.set_capacity(ctx, katerina, SYNTAGMA, 2, CERTIFICATE, {Mode.IN_PERSON: 0})

    cancelled = bookings.cancel(ctx, receipt["code"], receipt["manage_token"])
    run_due_timers(ctx)  # the worker offers the freed place

    assert cancelled.status == Status.CANCELLED
    assert waitlist.entry_of(ctx, entry["id"], entry["manage_token"]).is_waiting


def test_more_desks_offer_the_new_places_to_the_waitlist(ctx):
    fill_tomorrow(ctx)
    entry = join(ctx, 2)
    katerina = ctx.directory.agents["katerina"]

    branch_admin.set_capacity(ctx, katerina, SYNTAGMA, 2, CERTIFICATE, {Mode.IN_PERSON: 2})

    offered = waitlist.entry_of(ctx, entry["id"], entry["manage_token"])
    assert offered.status == WaitStatus.OFFERED
    assert offered.offer is not None and offered.offer.start == at(TOMORROW, 10)
    assert remaining_at(ctx, at(TOMORROW, 10)) == 0  # the new place is held for the offer
