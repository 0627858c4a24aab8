from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest

from chalicelib.domain.calendar import ATHENS, BusinessCalendar, is_greek_public_holiday

OFFICE = BusinessCalendar.office_hours()
CALL_CENTRE = BusinessCalendar.around_the_clock()
# Open all day every day but computed interval by interval, so it exercises
# the same DST handling as office hours with none of the short-cuts.
ALL_DAY_BY_INTERVALS = BusinessCalendar(
    opening={weekday: ((time(0), time(0)),) for weekday in range(7)},
    observes_holidays=False,
)


def athens(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ATHENS)


@pytest.mark.parametrize(
    "holiday",
    [date(2027, 5, 3), date(2026, 4, 10), date(2026, 2, 23), date(2026, 6, 1), date(2026, 3, 25)],
    ids=[
        "easter-monday-2027",
        "good-friday-2026",
        "clean-monday-2026",
        "whit-monday-2026",
        "25-march",
    ],
)
def test_greek_public_holidays_including_easter_dependent_ones_are_not_working_days(
    holiday: date,
) -> None:
    calendar = OFFICE

    working = calendar.is_working_day(holiday)

    assert not working
    assert is_greek_public_holiday(holiday)


def test_an_ordinary_weekday_is_a_working_day_and_a_saturday_is_not() -> None:
    tuesday, saturday = date(2026, 3, 17), date(2026, 3, 21)

    working = OFFICE.is_working_day(tuesday), OFFICE.is_working_day(saturday)

    assert working == (True, False)


def test_the_call_centre_works_on_public_holidays() -> None:
    good_friday = date(2026, 4, 10)

    working = CALL_CENTRE.is_working_day(good_friday)

    assert working


def test_an_extra_closure_is_not_a_working_day() -> None:
    calendar = BusinessCalendar.office_hours(extra_closures=frozenset({date(2026, 3, 17)}))

    working = calendar.is_working_day(date(2026, 3, 17))

    assert not working


def test_around_the_clock_add_across_the_october_dst_night_counts_real_seconds() -> None:
    saturday_noon = athens(2026, 10, 24, 12)

    deadline = CALL_CENTRE.add(saturday_noon, timedelta(hours=24))

    assert deadline == datetime(2026, 10, 25, 9, tzinfo=UTC)
    assert deadline.utcoffset() == timedelta(hours=2)
    assert (deadline.hour, deadline.tzinfo) == (11, ATHENS)


def test_around_the_clock_add_across_the_march_dst_night_counts_real_seconds() -> None:
    saturday_noon = athens(2026, 3, 28, 12)

    deadline = CALL_CENTRE.add(saturday_noon, timedelta(hours=24))

    assert deadline.hour == 13
    assert deadline.astimezone(UTC) - saturday_noon.astimezone(UTC) == timedelta(hours=24)


@pytest.mark.parametrize(
    ("day", "length"),
    [(date(2026, 10, 25), timedelta(hours=25)), (date(2026, 3, 29), timedelta(hours=23))],
    ids=["october-long-day", "march-short-day"],
)
def test_a_calendar_open_all_day_counts_the_true_length_of_dst_days(
    day: date, length: timedelta
) -> None:
    midnight = datetime.combine(day, time(0), tzinfo=ATHENS)
    next_midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=ATHENS)

    elapsed = ALL_DAY_BY_INTERVALS.elapsed(midnight, next_midnight)

    assert elapsed == length
    assert ALL_DAY_BY_INTERVALS.add(midnight, length) == next_midnight


def test_interval_and_around_the_clock_calendars_agree_across_the_dst_night() -> None:
    start = athens(2026, 10, 24, 22, 30)

    by_intervals = ALL_DAY_BY_INTERVALS.add(start, timedelta(hours=7))

    assert by_intervals == CALL_CENTRE.add(start, timedelta(hours=7))
    assert by_intervals == athens(2026, 10, 25, 4, 30)


def test_eight_office_hours_from_friday_15_00_end_on_monday_at_15_00() -> None:
    friday = athens(2026, 3, 20, 15)

    deadline = OFFICE.add(friday, timedelta(hours=8))

    assert deadline == athens(2026, 3, 23, 15)


def test_eight_office_hours_from_friday_skip_clean_monday() -> None:
    friday_before_clean_monday = athens(2026, 2, 20, 15)

    deadline = OFFICE.add(friday_before_clean_monday, timedelta(hours=8))

    assert deadline == athens(2026, 2, 24, 15)


def test_a_start_at_20_00_starts_counting_next_morning() -> None:
    tuesday_evening = athens(2026, 3, 17, 20)

    deadline = OFFICE.add(tuesday_evening, timedelta(hours=1))

    assert deadline == athens(2026, 3, 18, 9)


def test_a_duration_that_ends_at_closing_time_ends_then_not_at_the_next_opening() -> None:
    friday = athens(2026, 3, 20, 15)

    deadline = OFFICE.add(friday, timedelta(hours=1))

    assert deadline == athens(2026, 3, 20, 16)


def test_a_zero_duration_returns_the_start_itself() -> None:
    sunday = athens(2026, 3, 22, 10)

    deadline = OFFICE.add(sunday, timedelta(0))

    assert deadline == sunday


def test_a_start_in_utc_gives_a_result_in_athens_time() -> None:
    eight_in_athens = datetime(2026, 3, 17, 6, tzinfo=UTC)

    deadline = OFFICE.add(eight_in_athens, timedelta(minutes=90))

    assert deadline.tzinfo is ATHENS
    assert (deadline.hour, deadline.minute) == (9, 30)


def test_a_lunch_break_is_not_counted() -> None:
    calendar = BusinessCalendar(
        opening={0: ((time(14), time(18)), (time(9), time(13)))}, observes_holidays=True
    )
    monday = athens(2026, 3, 16, 9)

    deadline = calendar.add(monday, timedelta(hours=5))

    assert deadline == athens(2026, 3, 16, 15)
    assert calendar.elapsed(monday, athens(2026, 3, 16, 18)) == timedelta(hours=8)


def test_elapsed_over_a_weekend_counts_only_office_hours() -> None:
    friday, monday = athens(2026, 3, 20, 15), athens(2026, 3, 23, 15)

    elapsed = OFFICE.elapsed(friday, monday)

    assert elapsed == timedelta(hours=8)


def test_elapsed_is_zero_when_the_end_is_not_after_the_start() -> None:
    start = athens(2026, 3, 17, 10)

    elapsed = OFFICE.elapsed(start, start - timedelta(hours=1)), OFFICE.elapsed(start, start)

    assert elapsed == (timedelta(0), timedelta(0))


@pytest.mark.parametrize(
    "calendar", [OFFICE, CALL_CENTRE, ALL_DAY_BY_INTERVALS], ids=["office", "24/7", "all-day"]
)
@pytest.mark.parametrize(
    ("start", "duration"),
    [
        (athens(2026, 3, 17, 10, 15), timedelta(minutes=45)),
        (athens(2026, 4, 9, 14), timedelta(hours=20)),
        (athens(2026, 10, 23, 23, 59), timedelta(hours=30, seconds=7)),
        (athens(2026, 3, 28, 3, 30), timedelta(days=2, microseconds=1)),
        (athens(2026, 12, 18, 7), timedelta(hours=400)),
        (datetime(2027, 4, 29, 12, tzinfo=UTC), timedelta(hours=2000)),
    ],
)
def test_elapsed_undoes_add(
    calendar: BusinessCalendar, start: datetime, duration: timedelta
) -> None:
    deadline = calendar.add(start, duration)

    elapsed = calendar.elapsed(start, deadline)

    assert elapsed == duration
    assert deadline >= start


def test_fifty_working_days_skip_weekends_and_the_spring_holidays() -> None:
    # Skipped: 25 March, Good Friday, Easter Monday, 1 May and Whit Monday
    # 2026; without them the fiftieth weekday would be Friday 29 May.
    friday = athens(2026, 3, 20, 10)

    deadline = OFFICE.add_working_days(friday, 50)

    assert deadline == athens(2026, 6, 6)
    assert deadline.utcoffset() == timedelta(hours=3)


def test_working_days_count_from_the_day_after_the_start() -> None:
    tuesday_morning, saturday = athens(2026, 3, 17, 8), athens(2026, 3, 21, 12)

    deadlines = OFFICE.add_working_days(tuesday_morning, 1), OFFICE.add_working_days(saturday, 1)

    assert deadlines == (athens(2026, 3, 19), athens(2026, 3, 24))


def test_statutory_working_days_ignore_a_24_7_opening() -> None:
    thursday_before_easter = athens(2026, 4, 9, 12)

    deadline = CALL_CENTRE.add_working_days(thursday_before_easter, 1)

    assert deadline == athens(2026, 4, 15)


@pytest.mark.parametrize(
    "call",
    [
        lambda: OFFICE.add(datetime(2026, 3, 17, 10), timedelta(hours=1)),
        lambda: OFFICE.elapsed(athens(2026, 3, 17), datetime(2026, 3, 18)),
        lambda: OFFICE.add(athens(2026, 3, 17), timedelta(hours=-1)),
        lambda: OFFICE.add_working_days(athens(2026, 3, 17), 0),
        lambda: BusinessCalendar(opening={0: ((time(16), time(8)),)}, observes_holidays=True),
        lambda: BusinessCalendar(opening={7: ((time(8), time(16)),)}, observes_holidays=True),
        lambda: BusinessCalendar(
            opening={0: ((time(8), time(12)), (time(11), time(16)))}, observes_holidays=True
        ),
    ],
    ids=["naive-add", "naive-elapsed", "negative", "zero-days", "reversed", "weekday-7", "overlap"],
)
def test_misuse_is_refused_with_a_value_error(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        call()
