"""When each staff action at the desk can work: the desk shows only those.

One rule per action, named as the actions of ``services/booking_desk.STAFF_ACTIONS``; each
mirrors the check the action itself makes, so a button shown is a button that works.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from chalicelib.domain.booking_policy import BookingPolicy
from chalicelib.domain.bookings import Booking, Status
from chalicelib.domain.local_time import athens_day

Rule = Callable[[Booking, datetime, BookingPolicy], bool]


def can_check_in(booking: Booking, now: datetime, policy: BookingPolicy) -> bool:
    opens, closes = booking.start - policy.check_in_early, booking.start + policy.check_in_late
    return booking.status == Status.CONFIRMED and opens <= now <= closes


def can_check_in_late(booking: Booking, now: datetime, policy: BookingPolicy) -> bool:
    return booking.status == Status.NO_SHOW and athens_day(now) == booking.local_day


def can_serve(booking: Booking, now: datetime, policy: BookingPolicy) -> bool:
    return booking.status == Status.CHECKED_IN


def can_mark_no_show(booking: Booking, now: datetime, policy: BookingPolicy) -> bool:
    return booking.is_active and now >= booking.no_show_at(policy)


def can_change(booking: Booking, now: datetime, policy: BookingPolicy) -> bool:
    """Staff may cancel or move an active booking, past the citizen's cut-off too."""
    return booking.is_active
