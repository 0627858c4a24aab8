"""What the booking use cases share: their store, a branch's current settings, who may
act for a branch, which slots are open, and the messages to citizens."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.domain.bookings import Booking
from chalicelib.domain.catalogue import (
    Accommodation,
    Branch,
    BranchSettings,
    Catalogue,
    Mode,
    Service,
)
from chalicelib.domain.directory import Agent, Role
from chalicelib.domain.errors import Forbidden, InvalidInput, NotFound
from chalicelib.domain.local_time import athens_day, iso_or_none, shown
from chalicelib.domain.slots import Schedule, Slot, SlotLength, remaining, slots_between
from chalicelib.ports import Attachment, Timer
from chalicelib.ports.bookings import Places
from chalicelib.services.booking_ics import booking_calendar
from chalicelib.services.citizen_messages import public_link, tell
from chalicelib.services.context import Context

REMINDER_TIMER = "booking-reminder"
NO_SHOW_TIMER = "booking-no-show"
OFFER_TIMER = "booking-waitlist-offer"
# A place freed on a day (cancelled, moved away, left by whom it was offered to): offered to
# that day's waitlist by the timer worker, not by the request that freed it (which would pay
# the line's query, the slots and the offer's own transaction on top of its own three calls).
FREED_TIMER = "booking-freed-place"


# --- branches ------------------------------------------------------------------------


def branch_of(ctx: Context, branch_id: str) -> Branch:
    """A branch named in a path: unknown is 404."""
    branch = ctx.catalogue.branches.get(branch_id)
    if branch is None:
        raise NotFound("branch")
    return branch


def current_settings(ctx: Context, branch: Branch) -> tuple[BranchSettings, int]:
    """Staff's stored edits, or the branch's defaults (version 0) if nobody edited them."""
    stored = ctx.branch_settings.get(branch.id)
    return stored if stored is not None else (branch.defaults, 0)


def require_staff(agent: Agent, branch: Branch) -> None:
    if Role.ADMIN not in agent.roles and branch.id not in agent.branches:
        raise Forbidden("branch")


@dataclass(frozen=True)
class Offering:
    """A branch's offer of one service in one mode, as it stands now."""

    branch: Branch
    service: Service
    mode: Mode
    settings: BranchSettings
    accommodations: frozenset[Accommodation]
    # The version of the settings this offer was computed from (0: the branch's defaults).
    settings_version: int = 0

    @property
    def capacity(self) -> int:
        return self.settings.capacity_of(self.service.id, self.mode)

    @property
    def places(self) -> Places:
        return Places(self.capacity, self.settings_version)

    def schedule(self) -> Schedule:
        return self.settings.schedule(self.branch.observes_holidays)

    def length(self, catalogue: Catalogue) -> SlotLength:
        return self.service.length(self.accommodations, catalogue.policy.longer_slot_units)


def offering(
    ctx: Context,
    branch: Branch,
    service_id: str,
    mode: Mode,
    accommodations: frozenset[Accommodation] = frozenset(),
    current: tuple[BranchSettings, int] | None = None,
) -> Offering:
    """``current``: the branch's settings and version when the caller read them already."""
    service = ctx.catalogue.service(service_id)
    if service.id not in branch.services:
        raise InvalidInput("service", "service-not-offered")
    settings, version = current or current_settings(ctx, branch)
    if mode not in branch.modes(service, settings):
        raise InvalidInput("mode", "mode-not-offered")
    if not branch.offers(accommodations):
        raise InvalidInput("accommodations", "accommodation-not-offered")
    return Offering(branch, service, mode, settings, accommodations, version)


def open_slots(
    ctx: Context, offer: Offering, first: date, last: date, *, by_staff: bool = False
) -> list[tuple[Slot, int]]:
    """Slots still bookable now with their free places: hours from the settings, counters
    from one Query over the range."""
    policy = ctx.catalogue.policy
    now = ctx.clock.now()
    window = policy.window(by_staff)
    first = max(first, athens_day(now))
    last = min(last, window.last_day(now))
    if first > last or offer.capacity <= 0:
        return []
    slots = [
        s
        for s in slots_between(offer.schedule(), first, last, offer.length(ctx.catalogue))
        if window.is_open(s, now)
    ]
    if not slots:
        return []
    booked = ctx.bookings.booked(
        offer.branch.id, offer.service.id, offer.mode, slots[0].units[0], slots[-1].units[-1]
    )
    free = ((slot, remaining(slot, offer.capacity, booked)) for slot in slots)
    return [(slot, left) for slot, left in free if left > 0]


# --- what a citizen sees -------------------------------------------------------------


def describe(ctx: Context, booking: Booking) -> dict[str, Any]:
    catalogue = ctx.catalogue
    branch = catalogue.branches[booking.branch]
    service = catalogue.services[booking.service]
    return {
        "code": booking.code,
        "status": booking.status.value,
        "start": iso_or_none(booking.start),
        "end": iso_or_none(booking.end),
        "mode": booking.mode.value,
        "branch": {
            "id": branch.id,
            "name": {"el": branch.name.el, "en": branch.name.en},
            "address": branch.address,
        },
        "service": {
            "id": service.id,
            "name": {"el": service.name.el, "en": service.name.en},
            "agency": service.agency,
        },
        "join_url": booking.join_url if booking.is_active else None,
        "accommodations": sorted(a.value for a in booking.accommodations),
        "interpreter_language": booking.interpreter_language,
        "accommodation_note": booking.accommodation_note,
        "language": booking.language,
        "channel": booking.channel.value,
        "change_until": iso_or_none(booking.citizen_deadline(catalogue.policy)),
        "checked_in_at": iso_or_none(booking.checked_in_at),
    }


def links(ctx: Context, booking: Booking, token: str | None) -> dict[str, str]:
    """The citizen's links: to manage the booking (the manage token rides in the page's
    fragment, which never reaches a server) and to its calendar file (the read-only token)."""
    manage = public_link(ctx, booking.language, "appointments", f"code={booking.code}", token)
    calendar = calendar_token(ctx, booking)
    return {
        "manage_url": manage,
        "calendar_url": f"{ctx.public_url}/api/v1/bookings/{booking.code}/calendar.ics"
        f"?token={calendar}",
    }


def calendar_token(ctx: Context, booking: Booking) -> str:
    """The read-only token of the booking's calendar file: it sits in a URL (calendar apps
    fetch by link), so it opens the .ics and nothing else. Derived, not stored: a keyed hash
    of the manage token's hash, which it can never be turned back into."""
    message = f"calendar:{booking.code}:{booking.token_hash}".encode()
    return hmac.new(ctx.pseudonym_key, message, hashlib.sha256).hexdigest()[:32]


def calendar_token_matches(ctx: Context, booking: Booking, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(calendar_token(ctx, booking), token or "")


def calendar_of(ctx: Context, booking: Booking) -> str:
    catalogue = ctx.catalogue
    return booking_calendar(
        booking, catalogue.services[booking.service], catalogue.branches[booking.branch]
    )


def notify(
    ctx: Context,
    booking: Booking,
    template: str,
    *,
    token: str | None = None,
    with_calendar: bool = False,
    **extra: Any,
) -> None:
    catalogue = ctx.catalogue
    branch = catalogue.branches[booking.branch]
    service = catalogue.services[booking.service]
    attachments: tuple[Attachment, ...] = ()
    if with_calendar:
        attachments = (
            Attachment(f"{booking.code}.ics", "text/calendar", calendar_of(ctx, booking)),
        )
    tell(
        ctx,
        booking.citizen,
        template,
        booking.language,
        attachments=attachments,
        code=booking.code,
        service=service.name.in_(booking.language),
        branch=branch.name.in_(booking.language),
        address=branch.address,
        video=booking.mode == Mode.VIDEO,
        join_url=booking.join_url or "",
        when=shown(booking.start),
        change_until=shown(booking.citizen_deadline(catalogue.policy)),
        manage_url=links(ctx, booking, token)["manage_url"],
        **extra,
    )


def schedule_timers(ctx: Context, booking: Booking) -> None:
    policy = ctx.catalogue.policy
    if booking.reminder_due is not None:
        ctx.timers.schedule(Timer(REMINDER_TIMER, booking.code, booking.reminder_due))
    if booking.is_active:
        ctx.timers.schedule(Timer(NO_SHOW_TIMER, booking.code, booking.no_show_at(policy)))


def notify_cancelled(ctx: Context, booking: Booking, reason: str = "") -> None:
    """Tells the citizen their booking was cancelled (and why), with the cancelling .ics."""
    notify(ctx, booking, "booking_cancelled", with_calendar=True, reason=reason)
