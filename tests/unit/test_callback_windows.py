"""Callback windows are a pure function of a team's roster; so are capacity and retries."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

import pytest

from chalicelib.callback_data import callback_config_from, load_callback_config
from chalicelib.domain.calendar import ATHENS
from chalicelib.domain.callbacks import (
    Callback,
    CallbackConfig,
    CallbackPolicy,
    Outcome,
    Roster,
    Shift,
    Status,
)
from chalicelib.domain.directory import Agent, Role
from chalicelib.domain.errors import Forbidden, InvalidTransition

WEEKDAYS_8_TO_20 = {d: ((time(8), time(20)),) for d in range(5)}
ROSTER = Roster(
    team="first-line",
    agencies=frozenset({"*"}),
    hours={**WEEKDAYS_8_TO_20, 5: ((time(9), time(15)),)},
    window_length=timedelta(minutes=30),
    calls_per_agent=2,
    agents=2,
    shifts=(Shift(frozenset(range(5)), time(9), time(13), 3),),
)
MARIA = Agent("maria", "Maria", frozenset({Role.AGENT}), frozenset({"first-line"}))
NIKOS = Agent("nikos", "Nikos", frozenset({Role.AGENT}), frozenset({"first-line"}))


def athens(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ATHENS)


TUESDAY = date(2026, 12, 1)


def test_a_weekday_is_cut_into_half_hour_windows_from_opening_to_closing():
    windows = ROSTER.windows_on(TUESDAY)

    assert len(windows) == 24
    assert windows[0].start == athens(TUESDAY, 8)
    assert windows[0].end == athens(TUESDAY, 8, 30)
    assert windows[-1].end == athens(TUESDAY, 20)
    assert all(w.end == n.start for w, n in pairwise(windows))


def test_there_are_no_windows_on_sunday_or_on_a_public_holiday():
    sunday, christmas = date(2026, 12, 6), date(2026, 12, 25)

    assert ROSTER.windows_on(sunday) == []
    assert ROSTER.windows_on(christmas) == []


def test_saturday_has_its_own_shorter_hours():
    saturday = date(2026, 12, 5)

    windows = ROSTER.windows_on(saturday)

    assert (windows[0].start, windows[-1].end) == (athens(saturday, 9), athens(saturday, 15))


def test_capacity_is_rostered_agents_times_calls_per_agent_and_a_shift_overrides_the_default():
    early, busy = ROSTER.windows_on(TUESDAY)[0], ROSTER.windows_on(TUESDAY)[2]

    assert busy.start == athens(TUESDAY, 9)
    assert ROSTER.capacity(early) == 4
    assert ROSTER.capacity(busy) == 6


def test_only_an_exact_window_start_names_a_window():
    assert ROSTER.window_starting(athens(TUESDAY, 10, 30)) is not None
    assert ROSTER.window_starting(athens(TUESDAY, 10, 15)) is None
    assert ROSTER.window_starting(athens(TUESDAY, 20)) is None
    assert ROSTER.window_starting(athens(date(2026, 12, 6), 10)) is None


def test_windows_stay_half_an_hour_long_across_the_change_to_summer_time():
    dst_sunday = date(2027, 3, 28)
    roster = Roster("t", frozenset({"*"}), {6: ((time(1), time(5)),)}, observes_holidays=False)

    windows = roster.windows_on(dst_sunday)

    real_lengths = {w.end.astimezone(UTC) - w.start.astimezone(UTC) for w in windows}
    assert real_lengths == {timedelta(minutes=30)}
    assert len(windows) == 6  # 01:00-05:00 local is three real hours that night


def test_windows_from_an_instant_skip_closed_days_and_include_the_current_window():
    friday_evening = athens(date(2026, 12, 4), 19, 45)

    following = list(ROSTER.windows_from(friday_evening, friday_evening + timedelta(days=2)))

    assert following[0].start == athens(date(2026, 12, 4), 19, 30)
    assert following[1].start == athens(date(2026, 12, 5), 9)


def test_a_specific_agency_roster_comes_before_the_catch_all():
    config = load_callback_config()

    assert config.roster_for("efka").team == "efka-support"
    assert config.roster_for("dypa").team == "dypa-support"
    assert config.roster_for("opeka").team == "first-line"


def test_the_data_file_loads_hours_shifts_and_policy():
    config = callback_config_from(
        {
            "rosters": [
                {
                    "team": "x",
                    "agencies": ["efka"],
                    "window_minutes": 15,
                    "hours": {"mon": ["08:00-09:00"]},
                    "shifts": [{"days": ["mon"], "from": "08:00", "to": "08:30", "agents": 5}],
                }
            ],
            "policy": {"max_attempts": 2, "retry_after_minutes": [5], "horizon_days": 3},
        }
    )
    monday = date(2026, 11, 30)

    windows = config.rosters[0].windows_on(monday)

    assert len(windows) == 4
    assert [config.rosters[0].capacity(w) for w in windows] == [10, 10, 4, 4]
    assert config.policy == CallbackPolicy(2, (timedelta(minutes=5),), timedelta(days=3))


def test_bookable_windows_have_not_started_and_lie_within_the_horizon():
    config = CallbackConfig((ROSTER,), CallbackPolicy(horizon=timedelta(days=1)))
    now = athens(TUESDAY, 9, 10)

    bookable = list(config.bookable(ROSTER, now))

    assert bookable[0].start == athens(TUESDAY, 9, 30)
    assert bookable[-1].start < now + timedelta(days=1)


def test_a_roster_with_reversed_hours_is_refused():
    with pytest.raises(ValueError):
        Roster("t", frozenset({"*"}), {0: ((time(10), time(9)),)})


# --- the callback's life ------------------------------------------------------------


def _booked(now: datetime) -> Callback:
    window = ROSTER.window_starting(athens(TUESDAY, 10))
    assert window is not None
    return Callback.book(
        reference="CB-TEST",
        token_hash="x",
        agency="efka",
        phone="+306912345678",
        language="el",
        channel="web",
        window=window,
        now=now,
    )


def test_a_callback_cannot_be_claimed_before_its_window():
    callback = _booked(athens(TUESDAY, 8))

    with pytest.raises(InvalidTransition):
        callback.claim(MARIA, athens(TUESDAY, 9, 59))


def test_only_the_agent_who_claimed_a_callback_records_its_outcome():
    callback = _booked(athens(TUESDAY, 8))
    callback.claim(MARIA, athens(TUESDAY, 10))

    with pytest.raises(Forbidden):
        callback.record(NIKOS, Outcome.REACHED, "", athens(TUESDAY, 10, 5), CallbackPolicy())


def test_unanswered_calls_go_back_to_the_team_until_the_last_attempt():
    policy = CallbackPolicy(max_attempts=2)
    callback = _booked(athens(TUESDAY, 8))
    callback.claim(MARIA, athens(TUESDAY, 10))

    again = callback.record(MARIA, Outcome.NO_ANSWER, "", athens(TUESDAY, 10, 1), policy)

    assert again is True
    assert (callback.status, callback.owner.agent) == (Status.SCHEDULED, None)
    callback.claim(NIKOS, athens(TUESDAY, 10, 2))
    assert callback.record(NIKOS, Outcome.BUSY, "", athens(TUESDAY, 10, 3), policy) is False
    assert callback.status == Status.UNREACHABLE


def test_a_window_is_missed_once_and_only_after_it_ends():
    callback = _booked(athens(TUESDAY, 8))

    assert callback.mark_missed(athens(TUESDAY, 10, 29)) is False
    assert callback.mark_missed(athens(TUESDAY, 10, 30)) is True
    assert callback.mark_missed(athens(TUESDAY, 11)) is False
    assert callback.is_overdue
    assert callback.missed_count == 1


def test_backoff_uses_the_last_delay_for_further_attempts():
    policy = CallbackPolicy(retry_after=(timedelta(minutes=20), timedelta(hours=1)))

    assert [policy.backoff(n) for n in (1, 2, 3)] == [
        timedelta(minutes=20),
        timedelta(hours=1),
        timedelta(hours=1),
    ]
