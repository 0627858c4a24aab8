"""Business time in Europe/Athens: opening hours, Greek public holidays, deadlines.

Service-level targets ("call back within 4 business hours") are measured with
:meth:`BusinessCalendar.add` and :meth:`BusinessCalendar.elapsed`; statutory
deadlines ("answer within 50 working days") with
:meth:`BusinessCalendar.add_working_days`.

All arithmetic between instants is done in UTC: subtracting two aware
datetimes that share a ``ZoneInfo`` ignores their offsets, which would make a
DST night last 24 hours.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from chalicelib.domain.local_time import ATHENS
from chalicelib.domain.weekly_hours import MIDNIGHT, Interval, WeeklyHours

__all__ = ["ATHENS", "BusinessCalendar", "Interval", "is_greek_public_holiday"]

_ONE_DAY = timedelta(days=1)


@functools.lru_cache(maxsize=64)
def _greek_public_holidays(year: int) -> frozenset[date]:
    # Greece's class directly: holidays.country_holidays("GR") imports all ~280 countries first
    # (about 0.45 s). Imported on the first lookup, not when the app starts.
    from holidays.countries.greece import Greece

    return frozenset(Greece(years=year))


def is_greek_public_holiday(day: date) -> bool:
    """True on a national public holiday, including the Easter-dependent ones."""
    return day in _greek_public_holidays(day.year)


def _require_aware(*instants: datetime) -> None:
    for instant in instants:
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError("business time needs timezone-aware datetimes")


@dataclass(frozen=True)
class BusinessCalendar:
    """When a service counts time, in Athens local time."""

    # A plain mapping of weekday to intervals is accepted and checked into WeeklyHours.
    opening: WeeklyHours
    observes_holidays: bool
    always_open: bool = False
    extra_closures: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if self.always_open and (self.observes_holidays or self.extra_closures):
            raise ValueError("an always-open calendar cannot have closures")
        opening: Mapping[int, Iterable[Interval]] = self.opening
        if not isinstance(opening, WeeklyHours):
            # A checked, immutable copy: a caller mutating their dict later cannot change a
            # calendar that claims to be frozen.
            object.__setattr__(self, "opening", WeeklyHours(opening))
        object.__setattr__(self, "extra_closures", frozenset(self.extra_closures))

    @classmethod
    def around_the_clock(cls) -> BusinessCalendar:
        """24/7 with no holidays: the first-line call centre."""
        return cls(
            opening=WeeklyHours.every_day((MIDNIGHT, MIDNIGHT)),
            observes_holidays=False,
            always_open=True,
        )

    @classmethod
    def office_hours(
        cls,
        start: time = time(8),
        end: time = time(16),
        extra_closures: frozenset[date] = frozenset(),
    ) -> BusinessCalendar:
        """Monday to Friday, closed on Greek public holidays."""
        return cls(
            opening=WeeklyHours.weekdays((start, end)),
            observes_holidays=True,
            extra_closures=extra_closures,
        )

    def _is_closed(self, day: date) -> bool:
        return day in self.extra_closures or (
            self.observes_holidays and is_greek_public_holiday(day)
        )

    def is_working_day(self, day: date) -> bool:
        """True if the service opens at some point on this local date."""
        if self.always_open:
            return True
        return self.opening.opens_on(day) and not self._is_closed(day)

    def _is_statutory_working_day(self, day: date) -> bool:
        # Legal deadlines run on Monday to Friday whatever the opening hours,
        # and always skip public holidays, even for a 24/7 service.
        return (
            day.weekday() < 5  # Monday to Friday
            and not is_greek_public_holiday(day)
            and day not in self.extra_closures
        )

    def _intervals_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's opening intervals as UTC instants, in order (none on a closed day)."""
        return self.opening.instants(day) if self.is_working_day(day) else []

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest instant by which ``duration`` of business time has elapsed.

        Counting starts at ``start`` or, outside hours, at the next opening;
        a zero duration returns ``start`` itself. The result is in Athens time.
        """
        _require_aware(start)
        if duration < timedelta(0):
            raise ValueError("duration must not be negative")
        now = start.astimezone(UTC)
        if self.always_open:
            return (now + duration).astimezone(ATHENS)
        if duration and self.opening.is_empty():
            raise ValueError("a calendar with no opening hours never reaches a deadline")
        remaining = duration
        day = now.astimezone(ATHENS).date()
        while remaining:
            for begin, finish in self._intervals_on(day):
                if finish <= now:
                    continue
                now = max(now, begin)
                available = finish - now
                if remaining <= available:
                    return (now + remaining).astimezone(ATHENS)
                remaining -= available
                now = finish
            day += _ONE_DAY
        return now.astimezone(ATHENS)

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Business time between two instants; zero if ``end`` is not after ``start``."""
        _require_aware(start, end)
        low, high = start.astimezone(UTC), end.astimezone(UTC)
        if high <= low:
            return timedelta(0)
        if self.always_open:
            return high - low
        total = timedelta(0)
        day = low.astimezone(ATHENS).date()
        last_day = high.astimezone(ATHENS).date()
        while day <= last_day:
            for begin, finish in self._intervals_on(day):
                overlap = min(finish, high) - max(begin, low)
                if overlap > timedelta(0):
                    total += overlap
            day += _ONE_DAY
        return total

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The end of the ``days``-th working day after ``start``'s local date.

        Working days are Monday to Friday except public holidays and extra
        closures, regardless of opening hours. The end of a day is the
        midnight that starts the next calendar day, in Athens time.
        """
        _require_aware(start)
        if days < 1:
            raise ValueError("days must be at least 1")
        day = start.astimezone(ATHENS).date()
        counted = 0
        while counted < days:
            day += _ONE_DAY
            if self._is_statutory_working_day(day):
                counted += 1
        return datetime.combine(day + _ONE_DAY, MIDNIGHT, tzinfo=ATHENS)
