"""The booking rules a branch network runs on, and which slot a requested start names.

Configuration, not code: data/branches.json sets every value of the policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.local_time import athens_day
from chalicelib.domain.slots import BookingWindow, Schedule, Slot, SlotLength, find_slot


@dataclass(frozen=True)
class NoShowPolicy:
    limit: int = 2
    window: timedelta = timedelta(days=90)
    block: timedelta = timedelta(days=30)

    def blocked_until(self, no_shows: list[datetime], now: datetime) -> datetime | None:
        recent = [at for at in no_shows if now - at <= self.window]
        return now + self.block if len(recent) >= self.limit else None


@dataclass(frozen=True)
class BookingPolicy:
    """Configuration, not code: data/branches.json sets every value."""

    horizon_days: int = 30
    min_notice: timedelta = timedelta(hours=2)
    citizen_cutoff: timedelta = timedelta(hours=2)
    check_in_early: timedelta = timedelta(minutes=30)
    check_in_late: timedelta = timedelta(minutes=10)
    no_show_grace: timedelta = timedelta(minutes=15)
    reminder_before: timedelta = timedelta(hours=24)
    waitlist_offer: timedelta = timedelta(hours=1)
    longer_slot_units: int = 2
    max_range_days: int = 31
    no_show: NoShowPolicy = field(default_factory=NoShowPolicy)

    def window(self, by_staff: bool = False) -> BookingWindow:
        # Staff booking at the counter may fill a slot that is about to start.
        return BookingWindow(self.horizon_days, timedelta() if by_staff else self.min_notice)


def check_start(
    schedule: Schedule,
    start: datetime,
    length: SlotLength,
    now: datetime,
    window: BookingWindow,
) -> Slot:
    """The slot a requested start names, or the reason it cannot be booked (field ``start``)."""
    day = athens_day(start)
    if start <= now:
        raise InvalidInput("start", "slot-past")
    if day > window.last_day(now):
        raise InvalidInput("start", "slot-beyond-horizon", days=window.horizon_days)
    if schedule.is_closed(day):
        raise InvalidInput("start", "slot-closed-day")
    slot = find_slot(schedule, start, length)
    if slot is None:
        raise InvalidInput("start", "slot-not-a-boundary")
    if not window.is_open(slot, now):
        raise InvalidInput("start", "slot-too-soon")
    return slot
