"""Weekly hours: when something is open on each weekday, in Athens wall-clock time.

One value type for every timetable the platform has: a team's business hours (SLA clocks),
a branch's opening and walk-in hours (appointment slots) and a callback roster's hours
(callback windows). Intervals are local times without tzinfo; an end of 00:00 means the
following midnight. Each boundary becomes an instant on its own day, so a daylight-saving
change neither stretches nor shrinks an interval.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta

from chalicelib.domain.local_time import ATHENS

Interval = tuple[time, time]
"""Local wall-clock interval; an end of ``time(0)`` means the following midnight."""

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_MINUTES = 24 * 60
MIDNIGHT = time(0)


def minute_of(moment: time, *, end: bool = False) -> int:
    """Minutes since local midnight; an end at 00:00 is minute 1440 (the next midnight)."""
    value = moment.hour * 60 + moment.minute
    return DAY_MINUTES if end and value == 0 else value


def local_instant(day: date, minute: int) -> datetime:
    """A local wall-clock minute of ``day`` as a UTC instant (minute 1440 is next midnight)."""
    days, minute = divmod(minute, DAY_MINUTES)
    wall = datetime.combine(day + timedelta(days=days), time(minute // 60, minute % 60))
    return wall.replace(tzinfo=ATHENS).astimezone(UTC)


def checked_intervals(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Sorted, each non-empty, none overlapping; ValueError otherwise."""
    ordered = sorted(intervals, key=lambda i: (minute_of(i[0]), minute_of(i[1], end=True)))
    previous = -1
    for start, end in ordered:
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValueError("hours are local wall-clock times without tzinfo")
        low, high = minute_of(start), minute_of(end, end=True)
        if high <= low:
            raise ValueError(f"interval {start:%H:%M}-{end:%H:%M} is empty or reversed")
        if low < previous:
            raise ValueError("intervals overlap")
        previous = high
    return tuple(ordered)


class WeeklyHours(Mapping[int, tuple[Interval, ...]]):
    """Weekday (0 Monday .. 6 Sunday) to its checked intervals; immutable and hashable."""

    __slots__ = ("_week",)

    def __init__(self, week: Mapping[int, Iterable[Interval]] | None = None) -> None:
        checked: dict[int, tuple[Interval, ...]] = {}
        for weekday, intervals in (week or {}).items():
            if weekday not in range(7):
                raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {weekday}")
            checked[weekday] = checked_intervals(intervals)
        self._week = checked

    @classmethod
    def every_day(cls, *intervals: Interval) -> WeeklyHours:
        return cls({weekday: intervals for weekday in range(7)})

    @classmethod
    def weekdays(cls, *intervals: Interval) -> WeeklyHours:
        """Monday to Friday."""
        return cls({weekday: intervals for weekday in range(5)})

    def __getitem__(self, weekday: int) -> tuple[Interval, ...]:
        return self._week[weekday]

    def __iter__(self) -> Iterator[int]:
        return iter(sorted(self._week))

    def __len__(self) -> int:
        return len(self._week)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._week.items())))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self.items()) == {k: tuple(v) for k, v in other.items() if v or k in self}
        return NotImplemented

    def __repr__(self) -> str:
        return f"WeeklyHours({self._week!r})"

    def on(self, day: date) -> tuple[Interval, ...]:
        return self._week.get(day.weekday(), ())

    def opens_on(self, day: date) -> bool:
        return bool(self.on(day))

    def is_empty(self) -> bool:
        return not any(self._week.values())

    def minute_ranges(self, day: date) -> list[tuple[int, int]]:
        """The day's intervals as local minute ranges, in order."""
        return [(minute_of(a), minute_of(b, end=True)) for a, b in self.on(day)]

    def instants(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's intervals as UTC instants, in order; an interval lost wholly in the
        spring-forward gap is left out."""
        spans = [(local_instant(day, a), local_instant(day, b)) for a, b in self.minute_ranges(day)]
        return [(begin, end) for begin, end in spans if begin < end]

    def minus(self, holes: WeeklyHours, day: date) -> list[tuple[int, int]]:
        """The day's minute ranges with ``holes``' ranges of the same day cut out."""
        result = self.minute_ranges(day)
        for hole_low, hole_high in holes.minute_ranges(day):
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


def parse_hhmm(text: str) -> time:
    """``"08:30"`` to a time; ``"24:00"`` is the next midnight (an end); ValueError otherwise."""
    hours, _, minutes = text.partition(":")
    if len(hours) != 2 or len(minutes) != 2 or not (hours + minutes).isdigit():
        raise ValueError(f"{text!r} is not HH:MM")
    if text == "24:00":
        return MIDNIGHT
    return time(int(hours), int(minutes))


def from_raw(raw: Mapping[str, Iterable[Iterable[str]]]) -> WeeklyHours:
    """``{"mon": [["08:00", "15:00"]]}`` to weekly hours; ValueError if malformed."""
    week: dict[int, list[Interval]] = {}
    for name, intervals in raw.items():
        if name not in WEEKDAYS:
            raise ValueError(f"unknown weekday {name!r}")
        pairs = [tuple(pair) for pair in intervals]
        if any(len(pair) != 2 for pair in pairs):
            raise ValueError("an interval is a start and an end")
        week[WEEKDAYS.index(name)] = [(parse_hhmm(a), parse_hhmm(b)) for a, b in pairs]
    return WeeklyHours(week)


def to_raw(week: Mapping[int, Iterable[Interval]]) -> dict[str, list[list[str]]]:
    def hhmm(moment: time, end: bool = False) -> str:
        return "24:00" if end and moment == MIDNIGHT else f"{moment:%H:%M}"

    return {
        WEEKDAYS[day]: [[hhmm(a), hhmm(b, end=True)] for a, b in intervals]
        for day, intervals in sorted(week.items())
        if intervals
    }
