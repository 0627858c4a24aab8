"""Lost races, hit every time, over both stores: a competitor takes the place (or the
callback) in the instant between the victim's decision and the victim's write. The store's
conditions alone must refuse the victim, cleanly, and leave the counters exact."""

from __future__ import annotations

from datetime import timedelta

import pytest
from booking_fixtures import CERTIFICATE, SYNTAGMA, book, remaining_at, set_capacity
from races import losing_context, pk_starts_with
from support import TODAY, TOMORROW, agent, at, one_callback_team, outbox, phone

from chalicelib.adapters.case_items import sortable
from chalicelib.adapters.table import Key
from chalicelib.domain.bookings import Mode
from chalicelib.domain.callbacks import Status
from chalicelib.domain.directory import Agent, Role
from chalicelib.domain.errors import NoCallbackDue, SlotFull, WindowFull
from chalicelib.services import bookings, callbacks

MARIA = Agent("maria-cb", "Maria", frozenset({Role.AGENT}), frozenset({"first-line"}))
NIKOS = Agent("nikos-cb", "Nikos", frozenset({Role.AGENT}), frozenset({"first-line"}))


def request_callback(ctx, start, n: int) -> dict:
    return callbacks.request_callback(ctx, callbacks.RequestCallback("efka", phone(n), "el", start))


def window_counter(table, start) -> int:
    return table.get(Key("CBWIN#first-line", sortable(start)))["booked"]


# --- (a) the last place of a slot -----------------------------------------------------


def test_a_booking_whose_last_place_is_taken_just_before_it_lands_is_refused_as_slot_full(
    ctx, table
):
    set_capacity(ctx, 2)
    start = at(TOMORROW, 10)
    first = book(ctx, start, 1)
    victim, store = losing_context(
        ctx, table, pk_starts_with("SLOTS#"), lambda: book(ctx, start, 2)
    )

    with pytest.raises(SlotFull):
        book(victim, start, 3)

    assert store.raced
    winner = store.competitor_result["code"]
    assert ctx.bookings.booked(SYNTAGMA, CERTIFICATE, Mode.IN_PERSON, start, start) == {start: 2}
    assert remaining_at(ctx, start) == 0
    day = bookings.day_list(ctx, agent(ctx, "katerina"), SYNTAGMA, TOMORROW)
    assert sorted(b.code for b in day if b.is_active) == sorted([first["code"], winner])
    assert all(m.get("email") != "citizen3@example.gr" for m in outbox(ctx))


def test_the_citizen_who_lost_the_last_place_holds_nothing_and_can_book_another_slot(ctx, table):
    set_capacity(ctx, 1)
    start, later = at(TOMORROW, 10), at(TOMORROW, 11)
    victim, _ = losing_context(ctx, table, pk_starts_with("SLOTS#"), lambda: book(ctx, start, 2))
    with pytest.raises(SlotFull):
        book(victim, start, 1)

    receipt = book(ctx, later, 1)

    assert receipt["code"].startswith("B-")
    counters = ctx.bookings.booked(SYNTAGMA, CERTIFICATE, Mode.IN_PERSON, start, later)
    assert counters == {start: 1, later: 1}


# --- (b) the last place of a callback window -------------------------------------------


def test_a_callback_whose_window_fills_just_before_it_lands_is_refused_as_window_full(ctx, table):
    one_callback_team(ctx, places=2)
    start = at(TOMORROW, 10)
    first = request_callback(ctx, start, 1)
    victim, store = losing_context(
        ctx, table, pk_starts_with("CBWIN#"), lambda: request_callback(ctx, start, 2)
    )

    with pytest.raises(WindowFull):
        request_callback(victim, start, 3)

    assert store.raced
    assert window_counter(table, start) == 2
    left = dict((w.start, r) for w, r in callbacks.windows(ctx, "efka", TOMORROW))
    assert left[start] == 0
    assert ctx.callbacks.get(first["reference"]).status == Status.SCHEDULED
    assert ctx.callbacks.get(store.competitor_result["reference"]).status == Status.SCHEDULED


def test_the_phone_that_lost_the_window_holds_no_callback_and_can_take_another(ctx, table):
    one_callback_team(ctx, places=1)
    start, later = at(TOMORROW, 10), at(TOMORROW, 11)
    victim, _ = losing_context(
        ctx, table, pk_starts_with("CBWIN#"), lambda: request_callback(ctx, start, 2)
    )
    with pytest.raises(WindowFull):
        request_callback(victim, start, 1)

    receipt = request_callback(ctx, later, 1)

    assert receipt["reference"].startswith("CB-")
    assert (window_counter(table, start), window_counter(table, later)) == (1, 1)


# --- (c) two agents claiming the same callback ------------------------------------------


def test_an_agent_beaten_to_the_only_due_callback_is_told_nothing_is_due(ctx, table, clock):
    one_callback_team(ctx, places=2)
    reference = request_callback(ctx, at(TODAY, 10), 1)["reference"]
    clock.advance(timedelta(hours=1))
    victim, store = losing_context(
        ctx, table, pk_starts_with("CALLBACK#"), lambda: callbacks.claim_next(ctx, MARIA)
    )

    with pytest.raises(NoCallbackDue):
        callbacks.claim_next(victim, NIKOS)

    assert store.raced and store.competitor_result.reference == reference
    claimed = ctx.callbacks.get(reference)
    assert claimed.owner.agent == MARIA.id and claimed.version == 2
    assert ctx.callbacks.claimed_by(NIKOS.id) == []
    assert window_counter(table, at(TODAY, 10)) == 1


def test_an_agent_beaten_to_the_oldest_callback_claims_the_next_one(ctx, table, clock):
    one_callback_team(ctx, places=2)
    oldest = request_callback(ctx, at(TODAY, 10), 1)["reference"]
    clock.advance(timedelta(minutes=1))
    next_one = request_callback(ctx, at(TODAY, 10), 2)["reference"]
    clock.advance(timedelta(hours=1))
    victim, store = losing_context(
        ctx, table, pk_starts_with("CALLBACK#"), lambda: callbacks.claim_next(ctx, MARIA)
    )

    mine = callbacks.claim_next(victim, NIKOS)

    assert store.raced and store.competitor_result.reference == oldest
    assert mine.reference == next_one
    assert ctx.callbacks.get(oldest).owner.agent == MARIA.id
    assert ctx.callbacks.get(next_one).owner.agent == NIKOS.id
    assert [c.version for c in (ctx.callbacks.get(oldest), ctx.callbacks.get(next_one))] == [2, 2]
    assert window_counter(table, at(TODAY, 10)) == 2
