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
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType

from chalicelib.domain.calendar import ATHENS, is_greek_public_holiday

Interval = tuple[time, time]
"""Local wall-clock interval; an end of ``time(0)`` means the following midnight."""

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_MINUTES = 24 * 60
_ONE_DAY = timedelta(days=1)


def _minutes(moment: time, *, end: bool = False) -> int:
    value = moment.hour * 60 + moment.minute
    return _DAY_MINUTES if end and value == 0 else value


def _local(day: date, minute: int) -> datetime:
    """A local wall-clock minute of ``day`` as a UTC instant (minute 1440 is next midnight)."""
    days, minute = divmod(minute, _DAY_MINUTES)
    wall = datetime.combine(day + timedelta(days=days), time(minute // 60, minute % 60))
    return wall.replace(tzinfo=ATHENS).astimezone(UTC)


def _ranges(intervals: Iterable[Interval]) -> list[tuple[int, int]]:
    return sorted((_minutes(a), _minutes(b, end=True)) for a, b in intervals)


def validate_intervals(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Sorted, non-empty and non-overlapping, or ValueError."""
    ordered = sorted(intervals, key=lambda i: (_minutes(i[0]), _minutes(i[1], end=True)))
    previous = -1
    for start, end in ordered:
        low, high = _minutes(start), _minutes(end, end=True)
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValueError("hours are local wall-clock times without tzinfo")
        if high <= low:
            raise ValueError(f"interval {start:%H:%M}-{end:%H:%M} is empty or reversed")
        if low < previous:
            raise ValueError("intervals overlap")
        previous = high
    return tuple(ordered)


def subtract(windows: Iterable[Interval], holes: Iterable[Interval]) -> list[tuple[int, int]]:
    """``windows`` minus ``holes``, as minute ranges of the day."""
    result = _ranges(windows)
    for hole_low, hole_high in _ranges(holes):
        pieces = []
        for low, high in result:
            if hole_high <= low or high <= hole_low:
                pieces.append((low, high))
                continue
            if low < hole_low:
                pieces.append((low, hole_low))
            if hole_high < high:
                pieces.append((hole_high, high))
        result = pieces
    return result


def _frozen(week: Mapping[int, Iterable[Interval]]) -> Mapping[int, tuple[Interval, ...]]:
    checked = {}
    for weekday, intervals in week.items():
        if weekday not in range(7):
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {weekday}")
        checked[weekday] = validate_intervals(intervals)
    return MappingProxyType(checked)


@dataclass(frozen=True)
class Schedule:
    """When a branch sees people: opening hours, walk-in windows, days closed."""

    hours: Mapping[int, tuple[Interval, ...]] = field(hash=False)
    walk_in: Mapping[int, tuple[Interval, ...]] = field(default_factory=dict, hash=False)
    closures: frozenset[date] = frozenset()
    observes_holidays: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "hours", _frozen(self.hours))
        object.__setattr__(self, "walk_in", _frozen(self.walk_in))
        object.__setattr__(self, "closures", frozenset(self.closures))

    def is_closed(self, day: date) -> bool:
        return (
            not self.hours.get(day.weekday())
            or day in self.closures
            or (self.observes_holidays and is_greek_public_holiday(day))
        )

    def appointment_windows(self, day: date) -> list[tuple[int, int]]:
        """The day's opening hours less its walk-in windows, as local minute ranges."""
        if self.is_closed(day):
            return []
        return subtract(self.hours.get(day.weekday(), ()), self.walk_in.get(day.weekday(), ()))


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
        return self.start.astimezone(ATHENS).date()


def _unit_starts(day: date, window: tuple[int, int], length: SlotLength) -> list[datetime]:
    begin, finish = _local(day, window[0]), _local(day, window[1])
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
    day = instant.astimezone(ATHENS).date()
    return next((s for s in day_slots(schedule, day, length) if s.start == instant), None)


@dataclass(frozen=True)
class BookingWindow:
    """How far ahead booking opens and how late it closes before a slot."""

    horizon_days: int
    min_notice: timedelta

    def last_day(self, now: datetime) -> date:
        return now.astimezone(ATHENS).date() + timedelta(days=self.horizon_days)

    def is_open(self, slot: Slot, now: datetime) -> bool:
        return slot.start >= now + self.min_notice and slot.local_day <= self.last_day(now)


def remaining(slot: Slot, capacity: int, booked: Mapping[datetime, int]) -> int:
    """Free places in a slot: the fullest of the units it needs decides."""
    return max(0, min(capacity - booked.get(unit, 0) for unit in slot.units))
