"""What the booking timers do when they fire: the day-before reminder, the no-show after
the grace period, and the sweeper that catches a lost timer.

A timer is idempotent: a stale or repeated one does nothing. A timer that keeps losing
races (``retry_on_conflict`` gives up) answers None like a stale one: whoever won changed
the booking, and the sweeper looks at it again; a timer never fails for it.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.bookings import Booking
from chalicelib.domain.errors import NotFound, VersionConflict
from chalicelib.domain.local_time import shown_day
from chalicelib.observability import count
from chalicelib.services import waitlist
from chalicelib.services.booking_common import notify
from chalicelib.services.conflicts import retry_on_conflict
from chalicelib.services.context import Context
from chalicelib.services.kpi_counts import count_booking


def handle_reminder(ctx: Context, code: str) -> str | None:
    """Sends the day-before reminder once. A stale or repeated timer does nothing."""

    def attempt() -> Booking | None:
        booking = _booking(ctx, code)
        if booking is None or not booking.take_reminder(ctx.clock.now()):
            return None
        with ctx.effects.collect():  # "reminded" and the reminder itself: one transaction
            notify(ctx, booking, "booking_reminder", with_calendar=False)
            ctx.bookings.save(booking)
        return booking

    try:
        booking = retry_on_conflict(attempt)
    except VersionConflict:
        return None  # see the module's note: lost every race, the sweeper comes back
    if booking is None:
        return None
    count("BookingRemindersSent")
    return "reminded"


def handle_no_show(ctx: Context, code: str) -> str | None:
    """Records a no-show once the grace period has passed, and applies the no-show policy."""

    def attempt() -> str | None:
        booking = _booking(ctx, code)
        now = ctx.clock.now()
        if booking is None or not booking.mark_no_show(now, ctx.catalogue.policy):
            return None
        record_no_show(ctx, booking, now)
        return "no_show"

    try:
        return retry_on_conflict(attempt)
    except VersionConflict:
        return None  # see the module's note: lost every race, the sweeper comes back


def record_no_show(ctx: Context, booking: Booking, now: datetime) -> None:
    """Stores a no-show already marked on the booking and applies the no-show policy."""
    policy = ctx.catalogue.policy
    amka, service = booking.citizen.amka, booking.service
    earlier = ctx.bookings.no_shows_since(amka, service, now - policy.no_show.window)
    # Counted at the appointment's time, so a late timer does not shift the window; this one is
    # written below, with the block it brings and the notice, in one transaction.
    missed = sorted({*earlier, booking.start})
    until = policy.no_show.blocked_until(missed, now)
    with ctx.effects.collect():
        notify(ctx, booking, "booking_no_show", blocked_until=shown_day(until) if until else "")
        count_booking(ctx, booking, "no_show")
        ctx.bookings.record_no_show(booking, booking.start, until)
    count("BookingNoShows")


def sweep(ctx: Context, limit: int = 100) -> int:
    """The safety net for lost timers: bookings and offers whose next step is overdue."""
    handled = 0
    for key in ctx.bookings.due(ctx.clock.now(), limit):
        kind, _, ref = key.partition("#")
        if kind == "BOOKING":
            done = handle_reminder(ctx, ref), handle_no_show(ctx, ref)
        else:
            done = (waitlist.handle_offer_expiry(ctx, ref),)
        handled += any(done)
    return handled


def _booking(ctx: Context, code: str) -> Booking | None:
    try:
        return ctx.bookings.get(code)
    except NotFound:
        return None  # a timer of a booking that is gone
