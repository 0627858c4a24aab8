"""Appointment slots as a pure function of a branch's hours, closures and a service's length.

Slots are never stored ahead of time: a day's slots are computed here on demand,
and a slot's booking counter appears in the store at its first booking. A slot is
named by its start as a UTC instant, so it is the same slot whoever computes it.

Each day is built from local wall-clock times (Europe/Athens) and every boundary is
converted to UTC on its own, so a daylight-saving change neither adds nor drops a
slot: a day that opens 08:00-15:00 has the same slots on the day the clocks move.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from chalicelib.domain.calendar import is_greek_public_holiday
from chalicelib.domain.local_time import athens_day
from chalicelib.domain.weekly_hours import Interval, WeeklyHours, local_instant

_ONE_DAY = timedelta(days=1)


def weekly(week: Mapping[int, Iterable[Interval]]) -> WeeklyHours:
    """Weekly hours as given, or checked into WeeklyHours (ValueError if malformed)."""
    return week if isinstance(week, WeeklyHours) else WeeklyHours(week)


@dataclass(frozen=True)
class Schedule:
    """When a branch sees people: opening hours, walk-in windows, days closed."""

    hours: WeeklyHours
    walk_in: WeeklyHours = field(default_factory=WeeklyHours)
    closures: frozenset[date] = frozenset()
    observes_holidays: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "hours", weekly(self.hours))
        object.__setattr__(self, "walk_in", weekly(self.walk_in))
        object.__setattr__(self, "closures", frozenset(self.closures))

    def is_closed(self, day: date) -> bool:
        return (
            not self.hours.opens_on(day)
            or day in self.closures
            or (self.observes_holidays and is_greek_public_holiday(day))
        )

    def appointment_windows(self, day: date) -> list[tuple[int, int]]:
        """The day's opening hours less its walk-in windows, as local minute ranges."""
        if self.is_closed(day):
            return []
        return self.hours.minus(self.walk_in, day)


@dataclass(frozen=True)
class SlotLength:
    """A service's appointment: how long it lasts, the pause after it, how many units."""

    duration: timedelta
    buffer: timedelta = timedelta()
    units: int = 1  # a longer appointment (an accommodation) takes consecutive slots

    def __post_init__(self) -> None:
        if self.duration <= timedelta() or self.buffer < timedelta() or self.units < 1:
            raise ValueError("a slot needs a positive duration, no negative buffer, 1+ units")

    @property
    def step(self) -> timedelta:
        return self.duration + self.buffer


@dataclass(frozen=True)
class Slot:
    """One bookable appointment; ``units`` are the starts of the slots it occupies."""

    start: datetime
    end: datetime
    units: tuple[datetime, ...]

    @property
    def local_day(self) -> date:
        return athens_day(self.start)


def _unit_starts(day: date, window: tuple[int, int], length: SlotLength) -> list[datetime]:
    begin, finish = local_instant(day, window[0]), local_instant(day, window[1])
    starts = []
    moment = begin
    # Stepping in real time between two converted boundaries: no start can fall in a
    # spring-forward gap, and no instant is offered twice in an autumn repeat.
    while moment + length.duration <= finish:
        starts.append(moment)
        moment += length.step
    return starts


def day_slots(schedule: Schedule, day: date, length: SlotLength) -> list[Slot]:
    """Every appointment that fits the day's appointment windows, in time order."""
    slots = []
    for window in schedule.appointment_windows(day):
        units = _unit_starts(day, window, length)
        for i in range(len(units) - length.units + 1):
            taken = tuple(units[i : i + length.units])
            slots.append(Slot(taken[0], taken[-1] + length.duration, taken))
    return slots


def slots_between(schedule: Schedule, first: date, last: date, length: SlotLength) -> list[Slot]:
    slots = []
    day = first
    while day <= last:
        slots.extend(day_slots(schedule, day, length))
        day += _ONE_DAY
    return slots


def find_slot(schedule: Schedule, start: datetime, length: SlotLength) -> Slot | None:
    """The slot that starts exactly at ``start`` (any offset), if there is one."""
    instant = start.astimezone(UTC)
    day = athens_day(instant)
    return next((s for s in day_slots(schedule, day, length) if s.start == instant), None)


@dataclass(frozen=True)
class BookingWindow:
    """How far ahead booking opens and how late it closes before a slot."""

    horizon_days: int
    min_notice: timedelta

    def last_day(self, now: datetime) -> date:
        return athens_day(now) + timedelta(days=self.horizon_days)

    def is_open(self, slot: Slot, now: datetime) -> bool:
        return slot.start >= now + self.min_notice and slot.local_day <= self.last_day(now)


def remaining(slot: Slot, capacity: int, booked: Mapping[datetime, int]) -> int:
    """Free places in a slot: the fullest of the units it needs decides."""
    return max(0, min(capacity - booked.get(unit, 0) for unit in slot.units))
