"""Callback windows: a pure function of a team's roster, never stored ahead of time.

A roster's weekly hours are cut into fixed windows; how many agents are rostered in a
window, times the calls each makes, is the window's capacity.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from chalicelib.domain.calendar import is_greek_public_holiday
from chalicelib.domain.local_time import ATHENS, athens_day, in_athens
from chalicelib.domain.weekly_hours import WeeklyHours


@dataclass(frozen=True)
class Window:
    team: str
    start: datetime
    end: datetime

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


@dataclass(frozen=True)
class Shift:
    """How many agents a roster puts on the phones between two local times on some weekdays."""

    weekdays: frozenset[int]
    start: time
    end: time
    agents: int

    def covers(self, local: datetime) -> bool:
        return local.weekday() in self.weekdays and self.start <= local.time() < self.end


@dataclass(frozen=True)
class Roster:
    """When a team calls citizens back, and for which agencies ("*" is every agency)."""

    team: str
    agencies: frozenset[str]
    # A plain mapping of weekday to intervals is taken as WeeklyHours (and checked as one).
    hours: WeeklyHours
    window_length: timedelta = timedelta(minutes=30)
    calls_per_agent: int = 2
    agents: int = 2
    shifts: tuple[Shift, ...] = ()
    observes_holidays: bool = True

    def __post_init__(self) -> None:
        if self.window_length <= timedelta(0) or self.calls_per_agent < 0 or self.agents < 0:
            raise ValueError("a roster needs a positive window length and no negative counts")
        if not isinstance(self.hours, WeeklyHours):
            object.__setattr__(self, "hours", WeeklyHours(self.hours))

    def serves(self, agency: str) -> bool:
        return agency in self.agencies or "*" in self.agencies

    def is_open_on(self, day: date) -> bool:
        if self.observes_holidays and is_greek_public_holiday(day):
            return False
        return self.hours.opens_on(day)

    def windows_on(self, day: date) -> list[Window]:
        """The day's windows in order; a stretch shorter than a window at the end is unused."""
        if not self.is_open_on(day):
            return []
        windows = []
        # Stepped in UTC: wall-clock arithmetic would stretch a window across a DST change.
        for at, close in self.hours.instants(day):
            while at + self.window_length <= close:
                windows.append(Window(self.team, in_athens(at), in_athens(at + self.window_length)))
                at += self.window_length
        return windows

    def window_starting(self, instant: datetime) -> Window | None:
        """The roster's window that starts exactly at ``instant``, if there is one."""
        return next((w for w in self.windows_on(athens_day(instant)) if w.start == instant), None)

    def windows_from(self, instant: datetime, until: datetime) -> Iterator[Window]:
        """Every window that has not ended at ``instant`` and starts before ``until``, in order."""
        day = athens_day(instant)
        while datetime.combine(day, time(0), tzinfo=ATHENS) < until:
            for window in self.windows_on(day):
                if window.end > instant and window.start < until:
                    yield window
            day += timedelta(days=1)

    def rostered(self, window: Window) -> int:
        """Agents on the phones when the window starts: the last matching shift wins."""
        local = in_athens(window.start)
        agents = self.agents
        for shift in self.shifts:
            if shift.covers(local):
                agents = shift.agents
        return agents

    def capacity(self, window: Window) -> int:
        return self.rostered(window) * self.calls_per_agent


@dataclass(frozen=True)
class CallbackPolicy:
    max_attempts: int = 3
    # Wait after the n-th unanswered call; the last value repeats.
    retry_after: tuple[timedelta, ...] = (timedelta(minutes=20), timedelta(hours=1))
    # How far ahead a citizen may book a window.
    horizon: timedelta = timedelta(days=14)

    def backoff(self, failed_attempts: int) -> timedelta:
        index = min(max(failed_attempts, 1), len(self.retry_after)) - 1
        return self.retry_after[index]


@dataclass(frozen=True)
class CallbackConfig:
    rosters: tuple[Roster, ...]
    policy: CallbackPolicy = CallbackPolicy()

    def roster_for(self, agency: str) -> Roster | None:
        """The team that calls back for the agency: one named for it before a catch-all."""
        named = next((r for r in self.rosters if agency in r.agencies), None)
        return named or next((r for r in self.rosters if "*" in r.agencies), None)

    def roster_of_team(self, team: str) -> Roster | None:
        return next((r for r in self.rosters if r.team == team), None)

    def bookable(self, roster: Roster, now: datetime) -> Iterator[Window]:
        """Windows a citizen may still book: not yet started, within the horizon."""
        for window in roster.windows_from(now, now + self.policy.horizon):
            if window.start >= now:
                yield window
