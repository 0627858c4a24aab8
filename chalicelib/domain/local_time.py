"""Time as citizens and staff read it: Europe/Athens, in one place.

Every instant the platform shows (API answers, messages, pages) passes through here, so a
date is never shown in UTC by accident and every message writes dates the same way.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ATHENS = ZoneInfo("Europe/Athens")


def in_athens(instant: datetime) -> datetime:
    return instant.astimezone(ATHENS)


def athens_day(instant: datetime) -> date:
    """The local date of an instant (what "today" means at a counter in Greece)."""
    return instant.astimezone(ATHENS).date()


def last_day_before(deadline: datetime) -> date:
    """The last Athens date wholly before a deadline (one ending at midnight: the day before)."""
    return athens_day(deadline - timedelta(microseconds=1))


def end_of_day(day: date) -> datetime:
    """The midnight that ends a local day (the instant a promise for that day runs out)."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=ATHENS)


def iso(instant: datetime) -> str:
    """An instant for the API: ISO 8601 with the Athens offset."""
    return instant.astimezone(ATHENS).isoformat()


def iso_or_none(instant: datetime | None) -> str | None:
    return iso(instant) if instant is not None else None


def shown(instant: datetime) -> str:
    """An instant for a message: 07/12/2026 09:30."""
    return instant.astimezone(ATHENS).strftime("%d/%m/%Y %H:%M")


def shown_day(day: date | datetime) -> str:
    """A date for a message: 07/12/2026 (an instant is first taken to its Athens date)."""
    if isinstance(day, datetime):
        day = athens_day(day)
    return day.strftime("%d/%m/%Y")


def shown_time(instant: datetime) -> str:
    """A time of day for a message: 09:30."""
    return instant.astimezone(ATHENS).strftime("%H:%M")


def month_of(instant: datetime) -> str:
    """The Athens month of an instant, as 2026-12 (the access record's partition)."""
    return instant.astimezone(ATHENS).strftime("%Y-%m")
