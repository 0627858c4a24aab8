"""Slots computed from hours, walk-in windows, closures and a service's length."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from chalicelib.domain.calendar import ATHENS
from chalicelib.domain.slots import (
    BookingWindow,
    Schedule,
    SlotLength,
    day_slots,
    find_slot,
    remaining,
    slots_between,
)
from chalicelib.domain.weekly_hours import WeeklyHours

WEEKDAYS_8_TO_15 = {d: ((time(8), time(15)),) for d in range(5)}
EVERY_DAY_8_TO_15 = {d: ((time(8), time(15)),) for d in range(7)}
TEN_MINUTES = SlotLength(timedelta(minutes=10))
TUESDAY = date(2026, 12, 1)


def athens(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ATHENS)


def local_starts(slots) -> list[str]:
    return [s.start.astimezone(ATHENS).strftime("%H:%M") for s in slots]


def test_a_day_is_cut_into_slots_of_the_service_length_from_opening_to_closing():
    schedule = Schedule(WEEKDAYS_8_TO_15)

    slots = day_slots(schedule, TUESDAY, SlotLength(timedelta(minutes=30)))

    assert len(slots) == 14
    assert local_starts(slots)[:2] == ["08:00", "08:30"]
    assert slots[-1].end == athens(TUESDAY, 15)


def test_a_buffer_after_each_appointment_spaces_the_slots_out():
    schedule = Schedule(WEEKDAYS_8_TO_15)

    slots = day_slots(schedule, TUESDAY, SlotLength(timedelta(minutes=20), timedelta(minutes=10)))

    assert local_starts(slots)[:3] == ["08:00", "08:30", "09:00"]
    assert slots[0].end - slots[0].start == timedelta(minutes=20)
    assert slots[-1].end <= athens(TUESDAY, 15)


def test_walk_in_windows_take_no_appointments():
    schedule = Schedule(WEEKDAYS_8_TO_15, walk_in={1: ((time(8), time(9)), (time(12), time(13)))})

    starts = local_starts(day_slots(schedule, TUESDAY, SlotLength(timedelta(minutes=30))))

    morning = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]
    afternoon = ["13:00", "13:30", "14:00", "14:30"]
    assert starts == [*morning, *afternoon]


def test_weekends_public_holidays_and_ad_hoc_closures_have_no_slots():
    strike = date(2026, 12, 3)
    schedule = Schedule(WEEKDAYS_8_TO_15, closures=frozenset({strike}))

    closed = [
        day_slots(schedule, day, TEN_MINUTES)
        for day in (date(2026, 12, 5), date(2026, 12, 25), strike)
    ]

    assert closed == [[], [], []]
    assert day_slots(schedule, TUESDAY, TEN_MINUTES)


def test_a_branch_that_ignores_public_holidays_opens_on_them():
    schedule = Schedule(WEEKDAYS_8_TO_15, observes_holidays=False)

    slots = day_slots(schedule, date(2026, 12, 25), TEN_MINUTES)

    assert len(slots) == 42


def test_a_longer_appointment_takes_consecutive_slots_of_one_window():
    schedule = Schedule(WEEKDAYS_8_TO_15, walk_in={1: ((time(12), time(13)),)})
    longer = SlotLength(timedelta(minutes=30), units=2)

    slots = day_slots(schedule, TUESDAY, longer)

    assert slots[0].units == (athens(TUESDAY, 8), athens(TUESDAY, 8, 30))
    assert slots[0].end == athens(TUESDAY, 9)
    # 11:30 would run into the walk-in hour at 12:00.
    assert "11:30" not in local_starts(slots)
    assert "11:00" in local_starts(slots)


@pytest.mark.parametrize(
    "dst_day", [date(2027, 3, 28), date(2026, 10, 25)], ids=["spring-forward", "fall-back"]
)
def test_a_daylight_saving_change_neither_creates_nor_loses_a_slot(dst_day: date):
    schedule = Schedule(EVERY_DAY_8_TO_15, observes_holidays=False)
    ordinary_day = dst_day - timedelta(days=7)

    on_change = day_slots(schedule, dst_day, TEN_MINUTES)
    ordinary = day_slots(schedule, ordinary_day, TEN_MINUTES)

    assert local_starts(on_change) == local_starts(ordinary)
    assert all(s.end - s.start == timedelta(minutes=10) for s in on_change)
    assert on_change[0].start.utcoffset() == timedelta(0)


def test_hours_across_a_daylight_saving_change_count_real_time_without_repeats():
    round_the_clock = Schedule({6: ((time(0), time(0)),)}, observes_holidays=False)
    hour = SlotLength(timedelta(hours=1))

    spring = day_slots(round_the_clock, date(2027, 3, 28), hour)
    autumn = day_slots(round_the_clock, date(2026, 10, 25), hour)

    assert len(spring) == 23
    assert len(autumn) == 25
    assert len({s.start for s in autumn}) == 25


def test_find_slot_accepts_a_slot_start_in_any_offset_and_refuses_an_off_boundary_time():
    schedule = Schedule(WEEKDAYS_8_TO_15)

    in_utc = find_slot(schedule, datetime(2026, 12, 1, 7, 10, tzinfo=UTC), TEN_MINUTES)
    off_boundary = find_slot(schedule, athens(TUESDAY, 9, 5), TEN_MINUTES)

    assert in_utc is not None and in_utc.start == athens(TUESDAY, 9, 10)
    assert off_boundary is None


def test_booking_opens_a_horizon_ahead_and_closes_a_minimum_notice_before_the_slot():
    schedule = Schedule(WEEKDAYS_8_TO_15)
    window = BookingWindow(horizon_days=7, min_notice=timedelta(hours=2))
    now = athens(TUESDAY, 9)

    open_slots = [
        s
        for s in slots_between(schedule, TUESDAY, date(2026, 12, 31), TEN_MINUTES)
        if window.is_open(s, now)
    ]

    assert open_slots[0].start == athens(TUESDAY, 11)
    assert open_slots[-1].local_day == date(2026, 12, 8)


def test_the_remaining_places_of_a_longer_slot_are_those_of_its_fullest_unit():
    schedule = Schedule(WEEKDAYS_8_TO_15)
    slot = day_slots(schedule, TUESDAY, SlotLength(timedelta(minutes=30), units=2))[0]

    left = remaining(slot, 3, {slot.units[0]: 1, slot.units[1]: 3})

    assert left == 0
    assert remaining(slot, 3, {}) == 3


def test_subtracting_windows_splits_and_trims_intervals():
    hours = WeeklyHours({1: [(time(8), time(15))]})
    holes = WeeklyHours({1: [(time(7), time(9)), (time(11), time(12))]})
    pieces = hours.minus(holes, TUESDAY)

    assert pieces == [(9 * 60, 11 * 60), (12 * 60, 15 * 60)]


def test_overlapping_or_reversed_hours_are_refused():
    with pytest.raises(ValueError):
        Schedule({0: ((time(8), time(12)), (time(11), time(15)))})
    with pytest.raises(ValueError):
        Schedule({0: ((time(15), time(8)),)})
