"""Properties a citizen or an agent relies on, checked over generated inputs (Hypothesis):
business-time arithmetic, appointment slots, and a case's deadlines and tiers."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.calendar import ATHENS, BusinessCalendar, is_greek_public_holiday
from chalicelib.domain.slots import Schedule, SlotLength, day_slots, find_slot, remaining
from chalicelib.domain.weekly_hours import WeeklyHours
from chalicelib.services.context import WORKING_DAYS
from tests.unit.test_case_rules import agent, new_case, routing

OFFICE = BusinessCalendar.office_hours()  # Monday to Friday 08:00-16:00, no public holidays
AROUND_THE_CLOCK = BusinessCalendar.around_the_clock()

# Instants across several years (so Easter, DST changes and year ends all come up).
instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2031, 12, 31), timezones=st.just(UTC)
)
durations = st.integers(min_value=0, max_value=200 * 60).map(lambda m: timedelta(minutes=m))
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2031, 12, 31))


def is_open_at(calendar: BusinessCalendar, instant: datetime) -> bool:
    """Inside (or at the closing edge of) an opening interval of a working day."""
    day = instant.astimezone(ATHENS).date()
    if not calendar.is_working_day(day):
        return False
    return any(begin <= instant <= end for begin, end in calendar.opening.instants(day))


# --- business time ---------------------------------------------------------------------


@settings(deadline=None)  # timings vary on a shared machine (and holidays load once)
@given(instants, durations.filter(bool))
def test_a_business_deadline_never_falls_on_a_closed_day_or_outside_hours(start, duration):
    due = OFFICE.add(start, duration)

    assert is_open_at(OFFICE, due)
    assert not is_greek_public_holiday(due.astimezone(ATHENS).date())


@settings(deadline=None)  # timings vary on a shared machine (and holidays load once)
@given(instants, durations, durations)
def test_more_time_or_a_later_start_never_gives_an_earlier_deadline(start, a, b):
    shorter, longer = sorted((a, b))

    assert OFFICE.add(start, shorter) <= OFFICE.add(start, longer)
    assert OFFICE.add(start, a) <= OFFICE.add(start + b, a)


@settings(deadline=None)  # timings vary on a shared machine (and holidays load once)
@given(instants, durations)
def test_the_business_time_until_a_deadline_is_the_time_it_was_given(start, duration):
    assert OFFICE.elapsed(start, OFFICE.add(start, duration)) == duration


@settings(deadline=None)  # timings vary on a shared machine (and holidays load once)
@given(instants, durations, durations)
def test_adding_time_in_two_steps_reaches_the_same_deadline_as_in_one(start, a, b):
    assert OFFICE.add(OFFICE.add(start, a), b) == OFFICE.add(start, a + b)


@settings(deadline=None)  # timings vary on a shared machine (and holidays load once)
@given(instants, durations)
def test_a_round_the_clock_team_counts_real_time_even_across_a_clock_change(start, duration):
    assert AROUND_THE_CLOCK.add(start, duration) - start == duration


@settings(deadline=None)  # timings vary on a shared machine (and holidays load once)
@given(instants, st.integers(min_value=1, max_value=80))
def test_a_statutory_deadline_ends_a_working_day_after_exactly_that_many_working_days(start, n):
    end = WORKING_DAYS.add_working_days(start, n)
    last_day = (end - timedelta(days=1)).astimezone(ATHENS).date()
    first = start.astimezone(ATHENS).date()
    counted = [
        first + timedelta(days=i)
        for i in range(1, (last_day - first).days + 1)
        if (first + timedelta(days=i)).weekday() < 5
        and not is_greek_public_holiday(first + timedelta(days=i))
    ]

    assert end.astimezone(ATHENS).time() == time(0)
    assert last_day.weekday() < 5 and not is_greek_public_holiday(last_day)
    assert len(counted) == n
    assert WORKING_DAYS.add_working_days(start, n) < WORKING_DAYS.add_working_days(start, n + 1)


# --- appointment slots -----------------------------------------------------------------

quarter_hours = st.integers(min_value=24, max_value=84).map(lambda q: time(q // 4, q % 4 * 15))


@st.composite
def schedules(draw) -> Schedule:
    opens, closes = sorted(draw(st.lists(quarter_hours, min_size=2, max_size=2, unique=True)))
    weekdays = draw(st.sets(st.integers(0, 6), min_size=1))
    walk_in = {}
    if draw(st.booleans()):
        walk_end = draw(quarter_hours.filter(lambda t: opens < t < closes))
        walk_in = {d: ((opens, walk_end),) for d in weekdays}
    closures = frozenset(draw(st.lists(days, max_size=3)))
    return Schedule(WeeklyHours({d: ((opens, closes),) for d in weekdays}), walk_in, closures)


lengths = st.builds(
    SlotLength,
    duration=st.sampled_from([10, 15, 20, 30, 45]).map(lambda m: timedelta(minutes=m)),
    buffer=st.sampled_from([0, 5]).map(lambda m: timedelta(minutes=m)),
    units=st.integers(1, 3),
)


@settings(max_examples=60, deadline=None)
@given(schedules(), days, lengths)
def test_every_slot_lies_inside_opening_hours_and_outside_walk_in_time(schedule, day, length):
    for slot in day_slots(schedule, day, length):
        start, end = slot.start.astimezone(ATHENS), slot.end.astimezone(ATHENS)
        assert start.date() == end.date() == day
        assert any(o <= start.time() and end.time() <= c for o, c in schedule.hours.on(day))
        for walk_start, walk_end in schedule.walk_in.on(day):
            assert end.time() <= walk_start or start.time() >= walk_end


@settings(max_examples=60, deadline=None)
@given(schedules(), days, lengths)
def test_one_place_slots_never_overlap_and_each_is_found_by_its_start(schedule, day, length):
    single = SlotLength(length.duration, length.buffer)
    slots = day_slots(schedule, day, single)

    assert all(a.end <= b.start for a, b in itertools.pairwise(slots))
    assert all(find_slot(schedule, s.start.astimezone(ATHENS), single) == s for s in slots)


@settings(max_examples=60, deadline=None)
@given(schedules(), days, lengths)
def test_a_closed_day_offers_no_slot(schedule, day, length):
    if day in schedule.closures or is_greek_public_holiday(day):
        assert day_slots(schedule, day, length) == []


@settings(deadline=None)  # timings vary on a shared machine (and holidays load once)
@given(
    st.integers(0, 20),
    st.lists(st.integers(0, 30), min_size=1, max_size=3),
    st.integers(0, 2),
)
def test_places_left_are_never_negative_nor_above_capacity_and_fall_as_places_go(
    capacity, taken, extra_unit
):
    units = tuple(datetime(2026, 12, 2, 9, 10 * i, tzinfo=UTC) for i in range(len(taken)))
    booked = dict(zip(units, taken, strict=True))
    slot = day_slots(
        Schedule(WeeklyHours.every_day((time(8), time(16)))),
        date(2026, 12, 2),
        SlotLength(timedelta(minutes=10)),
    )[0]
    slot = type(slot)(units[0], units[-1] + timedelta(minutes=10), units)
    one_more = {
        **booked,
        units[extra_unit % len(units)]: booked[units[extra_unit % len(units)]] + 1,
    }

    left = remaining(slot, capacity, booked)

    assert 0 <= left <= capacity
    assert remaining(slot, capacity, one_more) <= left


# --- a case's deadlines and tiers ------------------------------------------------------

steps = st.lists(
    st.tuples(
        st.sampled_from(["deadlines", "deadlines-twice", "escalate", "ask", "reply", "claim"]),
        st.integers(min_value=1, max_value=3 * 24 * 60),  # minutes that pass before it
    ),
    max_size=12,
)


def _apply(case, step: str, now: datetime) -> None:
    """One thing that may happen to a case; a step the rules refuse changes nothing."""
    try:
        if step.startswith("deadlines"):
            first = case.on_deadlines(now, routing)
            if step.endswith("twice"):
                assert case.on_deadlines(now, routing) == [] or not first
        elif step == "escalate":
            case.escalate_by_agent(agent("sofia"), "needs the support team", now, routing)
        elif step == "ask":
            case.request_info(agent("sofia"), "Which year?", now)
        elif step == "reply":
            case.citizen_replied("2024", now, OFFICE, WORKING_DAYS)
        else:
            case.claim(agent("sofia"), now)
    except Exception as refused:  # the domain's refusals: InvalidTransition, Forbidden...
        assert type(refused).__module__.startswith("chalicelib.domain"), refused


@settings(max_examples=80, deadline=None)
@given(steps)
def test_a_case_never_drops_a_tier_and_its_promise_never_comes_earlier(plan):
    case = new_case()
    now = case.created_at
    promised, tiers, statutory = case.promise, [case.tier], case.clocks.statutory_due

    for step, minutes in plan:
        now += timedelta(minutes=minutes)
        _apply(case, step, now)
        assert case.tier >= tiers[-1]
        assert case.clocks.statutory_due >= statutory
        tiers.append(case.tier)
        statutory = case.clocks.statutory_due

    assert case.promise == promised
    assert case.history == sorted(case.history, key=lambda e: e.at)


@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=0, max_value=20 * 24 * 60))
def test_after_the_deadlines_run_no_passed_deadline_is_left_unhandled(minutes):
    case = new_case()
    now = case.created_at + timedelta(minutes=minutes)

    case.on_deadlines(now, routing)

    assert case.clocks.resolution_due > now or case.breached_at is not None
    assert case.on_deadlines(now, routing) == []
