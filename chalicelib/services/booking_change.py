"""The citizen's own booking: find it with its code and token, cancel it, move it.

Citizens send no version: a change that lost a race with a timer or the desk is read and
decided again (``retry_on_conflict``); after a few lost races the conflict stands (409).
"""

from __future__ import annotations

from datetime import date, datetime

from chalicelib.domain.booking_policy import check_start
from chalicelib.domain.bookings import CITIZEN, Booking
from chalicelib.domain.errors import NotFound
from chalicelib.domain.references import InvalidReference, normalise_reference
from chalicelib.observability import count
from chalicelib.services import waitlist
from chalicelib.services.booking_common import (
    calendar_of,
    calendar_token_matches,
    notify,
    notify_cancelled,
    offering,
    schedule_timers,
)
from chalicelib.services.conflicts import retry_on_conflict
from chalicelib.services.context import Context
from chalicelib.services.kpi_counts import count_booking
from chalicelib.services.retries import tracked


def code_of(raw: str) -> str:
    """A mistyped code (bad check character) is simply not found."""
    try:
        code = normalise_reference(raw)
    except InvalidReference:
        raise NotFound("booking") from None
    if not code.startswith("B-"):
        raise NotFound("booking")
    return code


def manage(ctx: Context, code: str, token: str | None) -> Booking:
    """The citizen's booking; a wrong token looks exactly like an unknown code."""
    return tracked(ctx.bookings.get, code_of(code), token, "booking")


def cancel(ctx: Context, code: str, token: str | None) -> Booking:
    def attempt() -> Booking:
        booking = manage(ctx, code, token)
        booking.cancel(CITIZEN, ctx.clock.now(), ctx.catalogue.policy, by_staff=False)
        store_cancel(ctx, booking)
        return booking

    booking = retry_on_conflict(attempt)
    after_cancel(ctx, booking)
    return booking


def reschedule(
    ctx: Context, code: str, token: str | None, start: datetime, read: Booking | None = None
) -> Booking:
    """Moves the booking; ``read``: the booking as the caller just read it with the token (the
    first attempt starts from it, a retry reads it again)."""
    first = [read] if read is not None else []

    def attempt() -> tuple[Booking, date]:
        booking = first.pop() if first else manage(ctx, code, token)
        before = booking.local_day
        # The citizen's own token rides in the message's link, as in the confirmation.
        move(ctx, booking, start, CITIZEN, by_staff=False, token=token)
        return booking, before

    booking, before = retry_on_conflict(attempt)
    after_move(ctx, booking, before)
    return booking


def calendar(ctx: Context, code: str, calendar_token: str | None) -> str:
    """The .ics for the read-only calendar token (never the manage token, which must not
    travel in a URL); a wrong token looks exactly like an unknown code."""
    try:
        booking = ctx.bookings.get(code_of(code))
    except NotFound:
        raise NotFound("booking") from None
    if not calendar_token_matches(ctx, booking, calendar_token):
        raise NotFound("booking")
    return calendar_of(ctx, booking)


def move(
    ctx: Context,
    booking: Booking,
    start: datetime,
    actor: str,
    *,
    by_staff: bool,
    token: str | None = None,
) -> None:
    """Moves the booking to the slot at ``start`` and stores the move (old place freed only
    if the new one is taken) with its new timers and the citizen's notice, in one transaction."""
    policy = ctx.catalogue.policy
    branch = ctx.catalogue.branches[booking.branch]
    offer = offering(ctx, branch, booking.service, booking.mode, booking.accommodations)
    now = ctx.clock.now()
    # The cut-off is judged before the new start, so a late citizen hears why.
    booking.require_changeable("reschedule", now, policy, by_staff)
    slot = check_start(
        offer.schedule(), start, offer.length(ctx.catalogue), now, policy.window(by_staff)
    )
    moved_from, old_day = booking.start, booking.local_day
    left = booking.move(slot, actor, now, policy, by_staff=by_staff)
    with ctx.effects.collect():
        count_booking(ctx, booking, "", moved_from=moved_from)
        waitlist.offer_later(ctx, booking.branch, booking.service, booking.mode, old_day)
        schedule_timers(ctx, booking)
        notify(ctx, booking, "booking_rescheduled", token=token, with_calendar=True)
        ctx.bookings.move(booking, left, offer.places)


def store_cancel(ctx: Context, booking: Booking, reason: str = "") -> None:
    """Stores the cancellation with the citizen's notice, in one transaction."""
    with ctx.effects.collect():
        day = booking.local_day
        waitlist.offer_later(ctx, booking.branch, booking.service, booking.mode, day)
        notify_cancelled(ctx, booking, reason)
        count_booking(ctx, booking, "cancelled", held=-1)
        ctx.bookings.cancel(booking)


def after_cancel(ctx: Context, booking: Booking) -> None:
    # The freed place goes to the day's waitlist first, through the timer stored with the
    # cancellation (waitlist.offer_later).
    count("BookingsCancelled")


def after_move(ctx: Context, booking: Booking, old_day: date) -> None:
    count("BookingsRescheduled")
