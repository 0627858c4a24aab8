"""A case's history over both stores: however long it grows, the case still saves, its item
stays under DynamoDB's 400 KB, and every reader sees every event in order."""

from copy import deepcopy
from datetime import timedelta

import pytest

from chalicelib.adapters.case_items import case_item, case_key
from chalicelib.adapters.table import MAX_ITEM_BYTES, Equals, Put, item_size
from chalicelib.domain.cases import Citizen
from chalicelib.domain.errors import VersionConflict
from chalicelib.ports.callbacks import Change
from chalicelib.services import callbacks
from chalicelib.services import cases as service

CITIZEN = Citizen("Γιάννης Παπαδάκης", amka="15038512347", email="giannis@example.gr")


def submit(ctx):
    command = service.SubmitCase(
        "efka", "contributions", "Εισφορές", "Πότε πληρώνονται;", "el", CITIZEN
    )
    return service.submit_case(ctx, command)


NOTE = "Ο πολίτης τηλεφώνησε ξανά για την οφειλή του. " * 40  # ~3.5 KB in UTF-8


def test_a_case_with_thousands_of_notes_saves_and_reads_back_its_whole_history_in_order(
    ctx, clock, table
):
    reference = submit(ctx)["reference"]
    case = ctx.cases.get(reference)
    largest = 0

    for n in range(2000):
        clock.advance(timedelta(minutes=1))
        case.log(clock.now(), "maria", "note", note=f"{n:04d} {NOTE}")
        ctx.cases.save(case)
        if n % 100 == 99:
            largest = max(largest, item_size(table.get(case_key(reference))))
    stored = ctx.cases.get(reference)
    [queued] = [c for c in ctx.cases.queue("first-line") if c.reference == reference]

    assert len(stored.history) == 2001
    assert stored.history == case.history
    assert [e.note[:4] for e in stored.history[1:]] == [f"{n:04d}" for n in range(2000)]
    assert queued.history == case.history
    assert stored.version == case.version == 2001
    assert 0 < largest < MAX_ITEM_BYTES


def test_a_stale_save_of_a_long_case_is_refused_and_moves_no_history(ctx, clock):
    reference = submit(ctx)["reference"]
    case = ctx.cases.get(reference)
    for n in range(60):
        case.log(clock.now(), "maria", "note", note=f"{n:04d} {NOTE}")
    ctx.cases.save(case)
    mine, theirs = ctx.cases.get(reference), ctx.cases.get(reference)
    theirs.log(clock.now(), "nikos", "note", note="theirs")
    ctx.cases.save(theirs)

    mine.log(clock.now(), "maria", "note", note="mine")
    with pytest.raises(VersionConflict):
        ctx.cases.save(mine)

    stored = ctx.cases.get(reference)
    assert stored.history == theirs.history
    assert [e.note for e in stored.history[-1:]] == ["theirs"]


def test_a_long_case_written_by_another_transaction_keeps_every_event(ctx, clock, table):
    # GIVEN a case whose older events already live outside its item
    reference = submit(ctx)["reference"]
    case = ctx.cases.get(reference)
    for n in range(60):
        case.log(clock.now(), "maria", "note", note=f"{n:04d} {NOTE}")
    ctx.cases.save(case)
    case = ctx.cases.get(reference)

    # WHEN another adapter writes the case item alone (as a linked callback does)
    case.log(clock.now(), "callbacks", "callback_booked")
    table.transact([Put(case_item(case), Equals("version", case.version))])

    # THEN nothing is lost
    assert ctx.cases.get(reference).history == case.history


def test_a_case_stored_with_all_its_history_inline_moves_it_out_on_its_next_save(ctx, clock, table):
    # GIVEN a case item written before history items existed: 100 notes, ~350 KB inline
    reference = submit(ctx)["reference"]
    case = ctx.cases.get(reference)
    for n in range(100):
        case.log(clock.now(), "maria", "note", note=f"{n:04d} {NOTE}")
    table.write(Put(case_item(case, archived=0)))
    before = item_size(table.get(case_key(reference)))

    # WHEN it is next saved
    case = ctx.cases.get(reference)
    case.log(clock.now(), "maria", "note", note="one more")
    ctx.cases.save(case)

    # THEN its item is small again and the history is whole
    assert item_size(table.get(case_key(reference))) < before / 10
    assert ctx.cases.get(reference).history == case.history


def test_a_copy_of_a_long_case_is_saved_against_what_the_store_holds(ctx, clock):
    reference = submit(ctx)["reference"]
    case = ctx.cases.get(reference)
    for n in range(60):
        case.log(clock.now(), "maria", "note", note=f"{n:04d} {NOTE}")
    ctx.cases.save(case)
    copy = deepcopy(ctx.cases.get(reference))

    copy.log(clock.now(), "maria", "note", note="from a copy")
    ctx.cases.save(copy)

    assert ctx.cases.get(reference).history == copy.history
    with pytest.raises(VersionConflict):
        ctx.cases.save(deepcopy(case))


def test_a_long_case_saved_by_a_callback_step_moves_its_older_events_out_too(ctx, clock, table):
    receipt = submit(ctx)
    reference = receipt["reference"]
    booked = callbacks.request_callback(
        ctx,
        callbacks.RequestCallback(
            agency="efka",
            phone="6912345678",
            language="el",
            case_reference=reference,
            case_token=receipt["tracking_token"],
        ),
    )
    case = ctx.cases.get(reference)
    for n in range(300):  # about 1 MB of notes, more than one item may hold
        case.log(clock.now(), "maria", "note", note=f"{n:04d} {NOTE}")

    ctx.callbacks.save(ctx.callbacks.get(booked["reference"]), Change(case=case))

    stored = ctx.cases.get(reference)
    assert stored.history == case.history
    assert item_size(table.get(case_key(reference))) < MAX_ITEM_BYTES
