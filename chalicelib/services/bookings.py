"""Use cases of appointment booking, by the name callers know them under.

Each use case reads, asks the domain for one decision and stores it in one transaction;
they live in ``booking_book`` (browse and book), ``booking_change`` (the citizen's own
booking), ``booking_desk`` (the branch's day and staff actions) and ``booking_timers``.
"""

from __future__ import annotations

from chalicelib.domain.bookings import BookingCitizen
from chalicelib.services.booking_book import (
    IDEMPOTENCY_SCOPE,
    BookAppointment,
    availability,
    book,
    branches,
    receipt_of,
    services,
)
from chalicelib.services.booking_change import calendar, cancel, code_of, manage, reschedule
from chalicelib.services.booking_common import calendar_token
from chalicelib.services.booking_desk import (
    STAFF_ACTIONS,
    allowed_actions,
    day_list,
    staff_act,
    staff_booking,
)
from chalicelib.services.booking_timers import handle_no_show, handle_reminder, sweep

__all__ = [
    "IDEMPOTENCY_SCOPE",
    "STAFF_ACTIONS",
    "BookAppointment",
    "BookingCitizen",
    "allowed_actions",
    "availability",
    "book",
    "branches",
    "calendar",
    "calendar_token",
    "cancel",
    "code_of",
    "day_list",
    "handle_no_show",
    "handle_reminder",
    "manage",
    "receipt_of",
    "reschedule",
    "services",
    "staff_act",
    "staff_booking",
    "sweep",
]
