"""Booking rules over both stores under the fake clock: availability, booking, managing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from booking_fixtures import (
    CERTIFICATE,
    EFKA,
    PENSION,
    SIGNATURE,
    STRIKE_DAY,
    SYNTAGMA,
    amka,
    book,
    remaining_at,
)
from icalendar import Calendar
from support import TODAY, TOMORROW, at, outbox

from chalicelib.adapters.pseudonyms import citizen_partition
from chalicelib.domain.bookings import Accommodation, Mode, Status
from chalicelib.domain.calendar import ATHENS
from chalicelib.domain.errors import (
    AlreadyBooked,
    ChangeClosed,
    IdempotencyMismatch,
    InvalidInput,
    InvalidTransition,
    NotFound,
    SlotFull,
)
from chalicelib.domain.references import normalise_reference
from chalicelib.services import bookings as service
from chalicelib.services.retries import Idempotency

NEXT_MONDAY = TODAY + timedelta(days=6)


def counter(ctx, start, service_id=CERTIFICATE, branch=SYNTAGMA, mode=Mode.IN_PERSON) -> int:
    booked = ctx.bookings.booked(branch, service_id, mode, start, start)
    return booked.get(start, 0)


# --- availability ----------------------------------------------------------------------


def test_availability_for_next_week_follows_hours_walk_in_windows_and_closures(ctx):
    slots = service.availability(ctx, SYNTAGMA, CERTIFICATE, TODAY, TODAY + timedelta(days=13))

    days = {slot.local_day for slot, _ in slots}
    starts = {slot.start.astimezone(ATHENS).strftime("%H:%M") for slot, _ in slots}
    assert all(left == 2 for _, left in slots)
    assert STRIKE_DAY not in days
    assert not any(day.weekday() >= 5 for day in days)
    assert "08:50" not in starts  # the walk-in hour
    assert min(s.start for s, _ in slots) == at(TODAY, 11)  # two hours' notice from 09:00
    assert max(s.end for s, _ in slots if s.local_day == TOMORROW) == at(TOMORROW, 19)


def test_no_slot_is_offered_in_the_past_or_beyond_the_booking_horizon(ctx, clock):
    clock.advance(timedelta(hours=5))

    slots = service.availability(ctx, SYNTAGMA, CERTIFICATE, TODAY - timedelta(days=3), TODAY)
    far = service.availability(
        ctx, SYNTAGMA, CERTIFICATE, TODAY + timedelta(days=31), TODAY + timedelta(days=40)
    )

    assert slots == []  # 14:00 now: the last slots of today start within two hours
    assert far == []


def test_public_holidays_have_no_availability(ctx):
    christmas = TODAY.replace(day=25)

    slots = service.availability(ctx, SYNTAGMA, CERTIFICATE, christmas, christmas.replace(day=26))

    assert slots == []


def test_a_longer_appointment_is_offered_only_where_two_slots_in_a_row_are_free(ctx):
    book(ctx, at(TOMORROW, 10, 10), 1)
    book(ctx, at(TOMORROW, 10, 10), 2)
    longer = frozenset({Accommodation.LONGER_SLOT})

    slots = service.availability(
        ctx, SYNTAGMA, CERTIFICATE, TOMORROW, TOMORROW, accommodations=longer
    )

    by_start = {s.start: (s.end, left) for s, left in slots}
    assert at(TOMORROW, 10) not in by_start and at(TOMORROW, 10, 10) not in by_start
    assert by_start[at(TOMORROW, 10, 20)] == (at(TOMORROW, 10, 40), 2)


def test_a_range_longer_than_a_month_or_reversed_is_refused(ctx):
    with pytest.raises(InvalidInput) as too_long:
        service.availability(ctx, SYNTAGMA, CERTIFICATE, TODAY, TODAY + timedelta(days=40))
    with pytest.raises(InvalidInput) as reversed_range:
        service.availability(ctx, SYNTAGMA, CERTIFICATE, TOMORROW, TODAY)

    assert too_long.value.message_code == "range-too-long"
    assert reversed_range.value.message_code == "range-reversed"


# --- booking -----------------------------------------------------------------------------


def test_a_booking_takes_a_place_and_gets_a_readable_code_with_a_check_character(ctx):
    start = at(TOMORROW, 10)

    receipt = book(ctx, start)

    assert receipt["status"] == "confirmed"
    assert normalise_reference(receipt["code"]) == receipt["code"]
    assert receipt["code"].startswith("B-")
    assert receipt["start"] == "2026-12-02T10:00:00+02:00"
    assert receipt["end"] == "2026-12-02T10:10:00+02:00"
    assert receipt["manage_token"]
    assert remaining_at(ctx, start) == 1
    assert counter(ctx, start) == 1


def test_the_citizen_gets_a_confirmation_with_a_calendar_file(ctx):
    receipt = book(ctx, at(TOMORROW, 10))

    [message] = outbox(ctx)

    assert message["template"] == "booking_confirmed"
    assert receipt["code"] in message["subject"]
    assert "02/12/2026 10:00" in message["body"]
    assert "Φιλελλήνων 10" in message["body"]
    [attachment] = message["attachments"]
    event = Calendar.from_ical(attachment["content"]).walk("VEVENT")[0]
    assert attachment["content_type"] == "text/calendar"
    assert event.decoded("dtstart") == at(TOMORROW, 10)
    assert str(event["uid"]).startswith(receipt["code"])


def test_one_citizen_holds_one_active_booking_per_service(ctx):
    book(ctx, at(TOMORROW, 10))

    with pytest.raises(AlreadyBooked):
        book(ctx, at(TOMORROW, 11))

    assert counter(ctx, at(TOMORROW, 11)) == 0
    assert book(ctx, at(TOMORROW, 11), service_id=SIGNATURE)["status"] == "confirmed"


def test_the_last_place_goes_and_the_next_attempt_finds_the_slot_full(ctx):
    start = at(TOMORROW, 10)
    book(ctx, start, 1)
    book(ctx, start, 2)

    with pytest.raises(SlotFull):
        book(ctx, start, 3)

    assert counter(ctx, start) == 2
    assert remaining_at(ctx, start) == 0
    assert ctx.bookings.active_code(amka(3), CERTIFICATE) is None


@pytest.mark.parametrize(
    ("start", "code"),
    [
        (at(TODAY, 8, 0), "slot-past"),
        (at(TOMORROW, 10, 5), "slot-not-a-boundary"),
        (at(TOMORROW, 8, 30), "slot-not-a-boundary"),  # the walk-in hour
        (at(STRIKE_DAY, 10), "slot-closed-day"),
        (at(TODAY.replace(day=5), 10), "slot-closed-day"),  # a Saturday
        (at(TODAY, 10), "slot-too-soon"),  # within the two hours' notice
        (at(TODAY + timedelta(days=45), 10), "slot-beyond-horizon"),
    ],
    ids=["past", "off-boundary", "walk-in", "closure", "weekend", "too-soon", "horizon"],
)
def test_a_start_that_is_not_a_bookable_slot_is_refused_and_nothing_is_stored(ctx, start, code):
    with pytest.raises(InvalidInput) as refused:
        book(ctx, start)

    assert (refused.value.field, refused.value.message_code) == ("start", code)
    assert counter(ctx, start) == 0
    assert ctx.bookings.active_code(amka(1), CERTIFICATE) is None
    assert outbox(ctx) == []


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"branch": "kep-nowhere"}, "branch", "unknown-branch"),
        ({"service_id": "no-such-service"}, "service", "unknown-service"),
        ({"service_id": PENSION}, "service", "service-not-offered"),
        ({"mode": Mode.VIDEO}, "mode", "mode-not-offered"),
    ],
)
def test_an_unknown_branch_or_service_or_mode_is_refused(ctx, kwargs, field, code):
    with pytest.raises(InvalidInput) as refused:
        book(ctx, at(TOMORROW, 10), **kwargs)

    assert (refused.value.field, refused.value.message_code) == (field, code)


def test_a_retry_with_the_same_idempotency_key_returns_the_first_receipt(ctx):
    key = Idempotency("retry-1", "fingerprint-a")

    first = book(ctx, at(TOMORROW, 10), idempotency=key)
    second = book(ctx, at(TOMORROW, 10), idempotency=key)

    assert second == first
    assert counter(ctx, at(TOMORROW, 10)) == 1
    with pytest.raises(IdempotencyMismatch):
        book(ctx, at(TOMORROW, 11), idempotency=Idempotency("retry-1", "fingerprint-b"))


# --- video and accommodations ----------------------------------------------------------------


def test_a_video_appointment_has_a_join_link_and_its_own_desks(ctx):
    start = at(TOMORROW, 10, 5)  # 20 minutes and a 5-minute buffer from 08:00

    receipt = book(ctx, start, service_id=PENSION, branch=EFKA, mode=Mode.VIDEO)

    assert receipt["join_url"].startswith("https://video.citizen-service.local/join/B-")
    assert remaining_at(ctx, start, branch=EFKA, service_id=PENSION, mode=Mode.VIDEO) == 0
    assert remaining_at(ctx, start, branch=EFKA, service_id=PENSION) == 2
    [message] = outbox(ctx)
    assert receipt["join_url"] in message["body"]


def test_a_longer_appointment_takes_two_places_and_frees_both_on_cancellation(ctx):
    longer = frozenset({Accommodation.LONGER_SLOT})

    receipt = book(ctx, at(TOMORROW, 10), accommodations=longer)

    assert receipt["end"] == "2026-12-02T10:20:00+02:00"
    assert counter(ctx, at(TOMORROW, 10)) == counter(ctx, at(TOMORROW, 10, 10)) == 1
    service.cancel(ctx, receipt["code"], receipt["manage_token"])
    assert counter(ctx, at(TOMORROW, 10)) == counter(ctx, at(TOMORROW, 10, 10)) == 0


def test_step_free_access_and_interpreters_choose_the_branches_offered(ctx):
    step_free = frozenset({Accommodation.STEP_FREE})
    interpreter = frozenset({Accommodation.INTERPRETER})

    all_kep = [b.id for b, _ in service.branches(ctx, CERTIFICATE)]
    accessible = [b.id for b, _ in service.branches(ctx, CERTIFICATE, accommodations=step_free)]
    with_interpreter = [b.id for b, _ in service.branches(ctx, PENSION, accommodations=interpreter)]

    assert set(all_kep) == {SYNTAGMA, "kep-thessaloniki-center"}
    assert accessible == [SYNTAGMA]
    assert with_interpreter == [EFKA]
    with pytest.raises(InvalidInput) as refused:
        book(ctx, at(TOMORROW, 10), branch="kep-thessaloniki-center", accommodations=step_free)
    assert refused.value.message_code == "accommodation-not-offered"


def test_branches_offering_video_are_found_by_mode(ctx):
    video = [b.id for b, _ in service.branches(ctx, PENSION, mode=Mode.VIDEO)]

    assert set(video) == {EFKA, "efka-thessaloniki"}
    assert [b.id for b, _ in service.branches(ctx, CERTIFICATE, mode=Mode.VIDEO)] == []


# --- managing a booking ------------------------------------------------------------------------


def test_a_booking_is_shown_with_its_token_and_hidden_without_it(ctx):
    receipt = book(ctx, at(TOMORROW, 10))

    booking = service.manage(ctx, receipt["code"].lower(), receipt["manage_token"])

    assert booking.status == Status.CONFIRMED
    for token in ("wrong", None):
        with pytest.raises(NotFound):
            service.manage(ctx, receipt["code"], token)
    with pytest.raises(NotFound):
        service.manage(ctx, "B-0000-0000X", receipt["manage_token"])


def test_cancelling_frees_the_place_and_the_citizen_may_book_again(ctx):
    receipt = book(ctx, at(TOMORROW, 10))

    booking = service.cancel(ctx, receipt["code"], receipt["manage_token"])

    assert booking.status == Status.CANCELLED
    assert counter(ctx, at(TOMORROW, 10)) == 0
    assert remaining_at(ctx, at(TOMORROW, 10)) == 2
    assert book(ctx, at(TOMORROW, 11))["status"] == "confirmed"
    assert [m["template"] for m in outbox(ctx)][1] == "booking_cancelled"


def test_rescheduling_moves_the_place_in_one_step(ctx):
    receipt = book(ctx, at(TOMORROW, 10))

    booking = service.reschedule(ctx, receipt["code"], receipt["manage_token"], at(TOMORROW, 12))

    assert booking.start == at(TOMORROW, 12)
    assert counter(ctx, at(TOMORROW, 10)) == 0
    assert counter(ctx, at(TOMORROW, 12)) == 1
    calendar = service.calendar(ctx, receipt["code"], receipt["calendar_token"])
    event = Calendar.from_ical(calendar).walk("VEVENT")[0]
    assert event.decoded("dtstart") == at(TOMORROW, 12)
    assert event["sequence"] == 1


def test_rescheduling_to_a_full_slot_keeps_the_old_place(ctx):
    receipt = book(ctx, at(TOMORROW, 10), 1)
    book(ctx, at(TOMORROW, 12), 2)
    book(ctx, at(TOMORROW, 12), 3)

    with pytest.raises(SlotFull):
        service.reschedule(ctx, receipt["code"], receipt["manage_token"], at(TOMORROW, 12))

    assert counter(ctx, at(TOMORROW, 10)) == 1
    assert counter(ctx, at(TOMORROW, 12)) == 2
    assert service.manage(ctx, receipt["code"], receipt["manage_token"]).start == at(TOMORROW, 10)


def test_rescheduling_to_a_bad_start_changes_nothing(ctx):
    receipt = book(ctx, at(TOMORROW, 10))

    with pytest.raises(InvalidInput):
        service.reschedule(ctx, receipt["code"], receipt["manage_token"], at(STRIKE_DAY, 10))
    with pytest.raises(InvalidInput):
        service.reschedule(ctx, receipt["code"], receipt["manage_token"], at(TOMORROW, 10))

    assert counter(ctx, at(TOMORROW, 10)) == 1
    assert service.manage(ctx, receipt["code"], receipt["manage_token"]).version == 1


def test_citizens_cannot_change_a_booking_after_the_cut_off(ctx, clock):
    receipt = book(ctx, at(TOMORROW, 10))
    clock.set(at(TOMORROW, 8, 30))

    with pytest.raises(ChangeClosed):
        service.cancel(ctx, receipt["code"], receipt["manage_token"])
    with pytest.raises(ChangeClosed):
        service.reschedule(ctx, receipt["code"], receipt["manage_token"], at(TOMORROW, 12))

    assert counter(ctx, at(TOMORROW, 10)) == 1


def test_a_cancelled_booking_cannot_be_cancelled_or_moved_again(ctx):
    receipt = book(ctx, at(TOMORROW, 10))
    service.cancel(ctx, receipt["code"], receipt["manage_token"])

    with pytest.raises(InvalidTransition):
        service.cancel(ctx, receipt["code"], receipt["manage_token"])

    assert counter(ctx, at(TOMORROW, 10)) == 0


def test_the_calendar_file_of_a_cancelled_booking_cancels_the_event(ctx):
    receipt = book(ctx, at(TOMORROW, 10))
    service.cancel(ctx, receipt["code"], receipt["manage_token"])

    calendar = Calendar.from_ical(service.calendar(ctx, receipt["code"], receipt["calendar_token"]))

    assert calendar["method"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["status"] == "CANCELLED"


def test_a_booking_is_linked_to_the_citizen_single_view(ctx, table):
    receipt = book(ctx, at(TOMORROW, 10))

    links = table.query(citizen_partition("amka", amka(1)))

    assert [(link["kind"], link["ref"]) for link in links] == [("booking", receipt["code"])]


def test_the_confirmation_is_in_english_when_the_citizen_booked_in_english(ctx):
    receipt = book(ctx, at(TOMORROW, 10), language="en")

    [message] = outbox(ctx)

    assert message["language"] == "en"
    assert message["subject"] == f"Appointment confirmed {receipt['code']}"
    assert "Certificate issue" in message["body"]


def test_a_citizen_booked_at_the_counter_without_contact_details_gets_no_message(ctx):
    katerina = ctx.directory.agents["katerina"]
    command = service.BookAppointment(
        SYNTAGMA,
        CERTIFICATE,
        at(TODAY, 9, 30),
        Mode.IN_PERSON,
        "el",
        service.BookingCitizen("Πολίτης 5", amka(5)),
        staff=katerina,
    )

    receipt = service.book(ctx, command)

    assert receipt["status"] == "confirmed"
    assert outbox(ctx) == []
