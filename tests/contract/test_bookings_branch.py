"""At the branch, over both stores: reminders, check-in, no-shows, staff, settings."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from booking_fixtures import (
    CERTIFICATE,
    SIGNATURE,
    SYNTAGMA,
    amka,
    book,
    remaining_at,
)
from races import losing_context, sk_is
from support import TODAY, TOMORROW, agent, at, outbox, run_due_timers

from chalicelib.adapters.table import Key
from chalicelib.domain.bookings import Channel, Mode, Status
from chalicelib.domain.errors import (
    BookingBlocked,
    CheckInWindow,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NotFound,
    SettingsChanged,
    VersionConflict,
)
from chalicelib.services import bookings as service
from chalicelib.services import branch_admin


def templates(ctx) -> list[str]:
    return [m["template"] for m in reversed(outbox(ctx))]


# --- reminders and no-shows, by timer -----------------------------------------------------


def test_a_reminder_goes_out_a_day_before_and_only_once(ctx, clock):
    receipt = book(ctx, at(TOMORROW, 10))
    clock.advance(timedelta(minutes=30))
    run_due_timers(ctx)
    assert templates(ctx) == ["booking_confirmed"]

    clock.advance(timedelta(minutes=31))
    run_due_timers(ctx)
    run_due_timers(ctx)

    assert templates(ctx) == ["booking_confirmed", "booking_reminder"]
    reminder = outbox(ctx)[0]
    assert receipt["code"] in reminder["subject"]


def test_a_booking_made_less_than_a_day_ahead_gets_no_separate_reminder(ctx, clock):
    book(ctx, at(TODAY, 14))

    clock.advance(timedelta(hours=4))
    run_due_timers(ctx)

    assert templates(ctx) == ["booking_confirmed"]


def test_a_rescheduled_booking_is_reminded_of_its_new_time_not_the_old_one(ctx, clock):
    receipt = book(ctx, at(TOMORROW, 10))
    service.reschedule(
        ctx, receipt["code"], receipt["manage_token"], at(TOMORROW + timedelta(days=1), 10)
    )

    clock.advance(timedelta(hours=2))
    run_due_timers(ctx)

    assert "booking_reminder" not in templates(ctx)
    clock.advance(timedelta(days=1))
    run_due_timers(ctx)
    assert templates(ctx).count("booking_reminder") == 1


def test_a_no_show_is_recorded_after_the_grace_period_and_frees_the_citizen(ctx, clock):
    receipt = book(ctx, at(TODAY, 12))
    clock.set(at(TODAY, 12, 14))
    run_due_timers(ctx)
    assert service.manage(ctx, receipt["code"], receipt["manage_token"]).status == Status.CONFIRMED

    clock.set(at(TODAY, 12, 15))
    run_due_timers(ctx)

    booking = service.manage(ctx, receipt["code"], receipt["manage_token"])
    assert booking.status == Status.NO_SHOW
    assert "booking_no_show" in templates(ctx)
    assert ctx.bookings.active_code(amka(1), CERTIFICATE) is None


def test_two_no_shows_in_ninety_days_block_booking_that_service_for_thirty_days(ctx, clock):
    first = book(ctx, at(TODAY, 12))
    clock.set(at(TODAY, 13))
    run_due_timers(ctx)
    book(ctx, at(TOMORROW, 10))
    clock.set(at(TOMORROW, 11))
    run_due_timers(ctx)

    with pytest.raises(BookingBlocked) as blocked:
        book(ctx, at(TOMORROW + timedelta(days=5), 10))

    assert blocked.value.until == at(TOMORROW, 11) + timedelta(days=30)
    assert service.manage(ctx, first["code"], first["manage_token"]).status == Status.NO_SHOW
    assert "01/01/2027" in outbox(ctx)[0]["body"]
    # Other services stay open, and the block ends on time.
    assert book(ctx, at(TOMORROW + timedelta(days=5), 10), service_id=SIGNATURE)
    clock.advance(timedelta(days=30))
    assert book(ctx, at(TOMORROW + timedelta(days=33), 10))["status"] == "confirmed"


def test_a_lost_timer_is_caught_by_the_sweeper(ctx, clock):
    receipt = book(ctx, at(TODAY, 12))
    for timer in ctx.timers.due(at(TODAY, 23)):
        ctx.timers.done(timer)  # lost, as an SQS message might be
    clock.set(at(TODAY, 13))

    run_due_timers(ctx)

    assert service.manage(ctx, receipt["code"], receipt["manage_token"]).status == Status.NO_SHOW


# --- at the desk -----------------------------------------------------------------------------


def test_check_in_is_accepted_only_within_the_early_and_late_window(ctx, clock):
    receipt = book(ctx, at(TODAY, 12))
    katerina = agent(ctx, "katerina")
    clock.set(at(TODAY, 11, 29))

    with pytest.raises(CheckInWindow):
        service.staff_act(ctx, katerina, SYNTAGMA, receipt["code"], "check-in", 1)

    clock.set(at(TODAY, 11, 30))
    booking = service.staff_act(ctx, katerina, SYNTAGMA, receipt["code"], "check-in", 1)
    assert booking.status == Status.CHECKED_IN
    clock.set(at(TODAY, 12, 20))
    run_due_timers(ctx)
    served = service.staff_act(ctx, katerina, SYNTAGMA, receipt["code"], "served", 2)
    assert served.status == Status.SERVED
    assert "booking_no_show" not in templates(ctx)


def test_a_late_arrival_after_the_window_cannot_check_in(ctx, clock):
    receipt = book(ctx, at(TODAY, 12))
    clock.set(at(TODAY, 12, 11))

    with pytest.raises(CheckInWindow):
        service.staff_act(ctx, agent(ctx, "katerina"), SYNTAGMA, receipt["code"], "check-in", 1)


def test_the_day_list_shows_the_branch_bookings_in_time_order(ctx):
    book(ctx, at(TOMORROW, 12), 1)
    book(ctx, at(TOMORROW, 10), 2)
    book(ctx, at(TOMORROW, 11), 3, service_id=SIGNATURE)
    book(ctx, at(TOMORROW + timedelta(days=1), 10), 4)

    day = service.day_list(ctx, agent(ctx, "katerina"), SYNTAGMA, TOMORROW)

    assert [(b.start, b.citizen.amka) for b in day] == [
        (at(TOMORROW, 10), amka(2)),
        (at(TOMORROW, 11), amka(3)),
        (at(TOMORROW, 12), amka(1)),
    ]


def test_only_the_branch_staff_or_an_admin_see_the_branch_day(ctx):
    assert service.day_list(ctx, agent(ctx, "admin"), SYNTAGMA, TOMORROW) == []

    with pytest.raises(Forbidden):
        service.day_list(ctx, agent(ctx, "maria"), SYNTAGMA, TOMORROW)
    with pytest.raises(Forbidden):
        service.day_list(ctx, agent(ctx, "katerina"), "kep-thessaloniki-center", TOMORROW)
    with pytest.raises(NotFound):
        service.day_list(ctx, agent(ctx, "admin"), "kep-nowhere", TOMORROW)


def test_staff_book_on_a_citizens_behalf_even_for_a_slot_about_to_start(ctx):
    katerina = agent(ctx, "katerina")

    receipt = book(ctx, at(TODAY, 9, 30), staff=katerina, channel=Channel.PHONE)

    booking = ctx.bookings.get(receipt["code"])
    assert (booking.booked_by, booking.channel) == ("katerina", Channel.PHONE)
    assert booking.history[0].actor == "katerina"
    with pytest.raises(Forbidden):
        book(ctx, at(TOMORROW, 10), 2, staff=agent(ctx, "maria"))


def test_staff_may_cancel_or_move_after_the_citizen_cut_off(ctx, clock):
    katerina = agent(ctx, "katerina")
    first = book(ctx, at(TOMORROW, 10), 1)
    second = book(ctx, at(TOMORROW, 10), 2)
    clock.set(at(TOMORROW, 9, 30))

    moved = service.staff_act(
        ctx, katerina, SYNTAGMA, first["code"], "reschedule", 1, start=at(TOMORROW, 9, 40)
    )
    cancelled = service.staff_act(
        ctx, katerina, SYNTAGMA, second["code"], "cancel", 1, note="Ζήτησε ακύρωση τηλεφωνικά"
    )

    assert moved.start == at(TOMORROW, 9, 40)
    assert cancelled.status == Status.CANCELLED
    assert remaining_at(ctx, at(TOMORROW, 10)) == 0  # within notice: no longer offered
    assert ctx.bookings.booked(
        SYNTAGMA, CERTIFICATE, Mode.IN_PERSON, at(TOMORROW, 10), at(TOMORROW, 10)
    ) == {at(TOMORROW, 10): 0}


def test_a_staff_action_on_a_stale_version_is_a_conflict(ctx):
    receipt = book(ctx, at(TOMORROW, 10))

    with pytest.raises(VersionConflict):
        service.staff_act(ctx, agent(ctx, "katerina"), SYNTAGMA, receipt["code"], "cancel", 7)

    assert ctx.bookings.get(receipt["code"]).status == Status.CONFIRMED


# --- branch settings ---------------------------------------------------------------------------


def test_staff_change_capacity_and_availability_follows_at_once(ctx):
    katerina = agent(ctx, "katerina")
    _, version = branch_admin.settings(ctx, katerina, SYNTAGMA)

    branch_admin.set_capacity(ctx, katerina, SYNTAGMA, version, CERTIFICATE, {Mode.IN_PERSON: 5})

    assert remaining_at(ctx, at(TOMORROW, 10)) == 5
    _, after = branch_admin.settings(ctx, katerina, SYNTAGMA)
    assert after == version + 1


def test_staff_change_the_hours_and_the_walk_in_windows(ctx):
    katerina = agent(ctx, "katerina")
    hours = {d: ((time(9), time(13)),) for d in range(5)}
    walk_in = {d: ((time(9), time(10)),) for d in range(5)}

    branch_admin.set_hours(ctx, katerina, SYNTAGMA, 0, hours, walk_in)

    slots = service.availability(ctx, SYNTAGMA, CERTIFICATE, TOMORROW, TOMORROW)
    assert slots[0][0].start == at(TOMORROW, 10)
    assert slots[-1][0].end == at(TOMORROW, 13)


def test_closing_a_day_cancels_its_bookings_and_tells_the_citizens(ctx):
    katerina = agent(ctx, "katerina")
    receipt = book(ctx, at(TOMORROW, 10))

    _, _, cancelled = branch_admin.add_closure(
        ctx, katerina, SYNTAGMA, 0, TOMORROW, "Στάση εργασίας"
    )

    assert cancelled == 1
    assert service.availability(ctx, SYNTAGMA, CERTIFICATE, TOMORROW, TOMORROW) == []
    assert ctx.bookings.get(receipt["code"]).status == Status.CANCELLED
    assert "Στάση εργασίας" in outbox(ctx)[0]["body"]
    with pytest.raises(InvalidInput):
        book(ctx, at(TOMORROW, 11), 2)


def closing_tomorrow_first(ctx, table):
    """A context whose booking transaction lands just after staff closed tomorrow (the booking
    was judged on the old settings, which its transaction checks)."""
    katerina = agent(ctx, "katerina")
    victim, _ = losing_context(
        ctx,
        table,
        sk_is("SETTINGS"),
        lambda: branch_admin.add_closure(ctx, katerina, SYNTAGMA, 0, TOMORROW, "Απεργία"),
    )
    return victim


def test_a_booking_racing_a_closure_of_its_day_does_not_survive_it(ctx, table):
    racing = closing_tomorrow_first(ctx, table)

    with pytest.raises(InvalidInput) as refused:
        book(racing, at(TOMORROW, 10))

    assert refused.value.message_code == "slot-closed-day"
    assert ctx.bookings.day(SYNTAGMA, TOMORROW) == []
    assert remaining_at(ctx, at(TOMORROW, 10)) == 0


def test_a_reschedule_racing_a_closure_of_its_new_day_keeps_the_old_place(ctx, table):
    later = TOMORROW + timedelta(days=1)
    receipt = book(ctx, at(later, 10))
    racing = closing_tomorrow_first(ctx, table)

    with pytest.raises(SettingsChanged):
        service.reschedule(racing, receipt["code"], receipt["manage_token"], at(TOMORROW, 10))

    kept = ctx.bookings.get(receipt["code"])
    assert kept.start == at(later, 10) and kept.status == Status.CONFIRMED
    assert remaining_at(ctx, at(later, 10)) == 1


def test_reopening_a_closed_day_brings_its_slots_back(ctx):
    katerina = agent(ctx, "katerina")
    branch_admin.add_closure(ctx, katerina, SYNTAGMA, 0, TOMORROW, "Τοπική αργία")

    branch_admin.remove_closure(ctx, katerina, SYNTAGMA, 1, TOMORROW)

    assert service.availability(ctx, SYNTAGMA, CERTIFICATE, TOMORROW, TOMORROW)


def test_two_staff_editing_the_same_settings_version_conflict(ctx):
    katerina, admin = agent(ctx, "katerina"), agent(ctx, "admin")
    branch_admin.set_capacity(ctx, katerina, SYNTAGMA, 0, CERTIFICATE, {Mode.IN_PERSON: 3})

    with pytest.raises(VersionConflict):
        branch_admin.set_capacity(ctx, admin, SYNTAGMA, 0, CERTIFICATE, {Mode.IN_PERSON: 1})

    assert remaining_at(ctx, at(TOMORROW, 10)) == 3


def test_settings_of_another_branch_are_forbidden(ctx, table):
    with pytest.raises(Forbidden):
        branch_admin.settings(ctx, agent(ctx, "katerina"), "efka-athens-center")
    with pytest.raises(Forbidden):
        branch_admin.set_capacity(
            ctx, agent(ctx, "sofia"), SYNTAGMA, 0, CERTIFICATE, {Mode.IN_PERSON: 9}
        )

    assert table.get(Key(f"BRANCH#{SYNTAGMA}", "SETTINGS")) is None


# --- a late arrival, after the system marked a no-show ---------------------------------------


def test_staff_check_in_a_late_arrival_the_same_day_with_a_reason_in_the_history(ctx, clock):
    receipt = book(ctx, at(TODAY, 12))
    katerina = agent(ctx, "katerina")
    clock.set(at(TODAY, 12, 40))
    run_due_timers(ctx)
    marked = ctx.bookings.get(receipt["code"])

    with pytest.raises(InvalidInput):
        service.staff_act(ctx, katerina, SYNTAGMA, receipt["code"], "late-check-in", marked.version)
    late = service.staff_act(
        ctx,
        katerina,
        SYNTAGMA,
        receipt["code"],
        "late-check-in",
        marked.version,
        note="Καθυστέρηση του μετρό",
    )
    served = service.staff_act(ctx, katerina, SYNTAGMA, receipt["code"], "served", late.version)

    assert marked.status == Status.NO_SHOW
    assert served.status == Status.SERVED
    event = ctx.bookings.get(receipt["code"]).history[-2]
    assert (event.actor, event.action, event.note) == (
        "katerina",
        "late_check_in",
        "Καθυστέρηση του μετρό",
    )
    assert ctx.bookings.no_shows_since(amka(1), CERTIFICATE, at(TODAY, 0)) == []


def test_a_late_check_in_lifts_the_no_show_block_it_caused(ctx, clock):
    book(ctx, at(TODAY, 12))
    clock.set(at(TODAY, 13))
    run_due_timers(ctx)
    second = book(ctx, at(TOMORROW, 10))
    clock.set(at(TOMORROW, 10, 30))
    run_due_timers(ctx)
    assert ctx.bookings.blocked_until(amka(1), CERTIFICATE) is not None
    version = ctx.bookings.get(second["code"]).version

    service.staff_act(
        ctx, agent(ctx, "katerina"), SYNTAGMA, second["code"], "late-check-in", version, note="x"
    )

    assert ctx.bookings.blocked_until(amka(1), CERTIFICATE) is None
    assert book(ctx, at(TOMORROW + timedelta(days=5), 10))["status"] == "confirmed"


def test_a_no_show_cannot_be_undone_on_another_day(ctx, clock):
    receipt = book(ctx, at(TODAY, 12))
    clock.set(at(TODAY, 13))
    run_due_timers(ctx)
    version = ctx.bookings.get(receipt["code"]).version
    clock.set(at(TOMORROW, 9))

    with pytest.raises(InvalidTransition):
        service.staff_act(
            ctx,
            agent(ctx, "katerina"),
            SYNTAGMA,
            receipt["code"],
            "late-check-in",
            version,
            note="x",
        )


@pytest.mark.parametrize(
    ("minute", "allowed"),
    [
        ((11, 0), ["cancel", "reschedule"]),
        ((11, 30), ["check-in", "cancel", "reschedule"]),
        ((12, 12), ["cancel", "reschedule"]),
        ((12, 15), ["no-show", "cancel", "reschedule"]),
    ],
)
def test_the_desk_is_offered_only_the_staff_actions_that_can_work_now(ctx, clock, minute, allowed):
    receipt = book(ctx, at(TODAY, 12))
    clock.set(at(TODAY, *minute))

    booking = ctx.bookings.get(receipt["code"])

    assert service.allowed_actions(ctx, booking) == allowed


def test_after_a_no_show_the_desk_is_offered_the_late_check_in_and_then_served(ctx, clock):
    receipt = book(ctx, at(TODAY, 12))
    clock.set(at(TODAY, 12, 30))
    run_due_timers(ctx)
    marked = ctx.bookings.get(receipt["code"])
    offered = service.allowed_actions(ctx, marked)
    late = service.staff_act(
        ctx,
        agent(ctx, "katerina"),
        SYNTAGMA,
        receipt["code"],
        "late-check-in",
        marked.version,
        note="x",
    )

    assert offered == ["late-check-in"]
    assert service.allowed_actions(ctx, late) == ["served"]
    clock.set(at(TOMORROW, 9))
    assert service.allowed_actions(ctx, marked) == []
