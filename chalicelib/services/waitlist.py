"""Use cases of a day's waitlist: join a full day, get offered a freed place, confirm it
in time or let it pass to the next in line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chalicelib.domain.bookings import Booking, BookingCitizen
from chalicelib.domain.catalogue import Accommodation, Mode
from chalicelib.domain.errors import (
    DayNotFull,
    DomainError,
    InvalidInput,
    NotFound,
    SlotFull,
    VersionConflict,
)
from chalicelib.domain.local_time import athens_day, iso, iso_or_none, shown, shown_day
from chalicelib.domain.references import (
    InvalidReference,
    new_reference,
    new_token,
    normalise_reference,
)
from chalicelib.domain.waitlist import WaitlistEntry
from chalicelib.ports import Timer
from chalicelib.services.booking_common import (
    FREED_TIMER,
    OFFER_TIMER,
    Offering,
    branch_of,
    describe,
    links,
    notify,
    offering,
    open_slots,
    schedule_timers,
)
from chalicelib.services.citizen_messages import public_link, tell
from chalicelib.services.conflicts import retry_on_conflict
from chalicelib.services.context import Context
from chalicelib.services.kpi_counts import count_booking
from chalicelib.services.retries import hash_token, tracked


@dataclass(frozen=True)
class JoinWaitlist:
    branch: str
    service: str
    day: date
    mode: Mode
    language: str
    citizen: BookingCitizen
    accommodations: frozenset[Accommodation] = frozenset()


def join(ctx: Context, command: JoinWaitlist) -> dict[str, Any]:
    """Queues the citizen for a full day; one place in line per citizen and day. Three calls:
    the settings and the line's last ticket in one read, the day's slots, the transaction."""
    catalogue = ctx.catalogue
    branch = catalogue.branch(command.branch)
    if Accommodation.LONGER_SLOT in command.accommodations:
        # A freed place is one slot; a longer appointment needs two in a row.
        raise InvalidInput("accommodations", "waitlist-longer-slot")
    token = new_token()

    def attempt() -> WaitlistEntry:
        stored, last = ctx.waitlist.line(branch.id, command.service, command.mode, command.day)
        current = stored or (branch.defaults, 0)
        offer = offering(
            ctx, branch, command.service, command.mode, command.accommodations, current
        )
        now = ctx.clock.now()
        _require_full_day(ctx, offer, command, now)
        entry = WaitlistEntry(
            id=new_reference("W"),
            token_hash=hash_token(token),
            branch=branch.id,
            service=command.service,
            mode=command.mode,
            day=command.day,
            citizen=command.citizen,
            language=command.language,
            joined_at=now,
            ticket=last + 1,
        )
        with ctx.effects.collect():  # the entry, its ticket and the citizen's message
            _tell(ctx, entry, "booking_waitlist_joined", token)
            ctx.waitlist.join(entry, last)
        return entry

    entry = retry_on_conflict(attempt)
    return {**entry_view(ctx, entry), "manage_token": token}


def _require_full_day(ctx: Context, offer: Offering, command: JoinWaitlist, now: datetime) -> None:
    window = ctx.catalogue.policy.window()
    if not athens_day(now) <= command.day <= window.last_day(now):
        raise InvalidInput("date", "waitlist-day-outside-horizon")
    if offer.schedule().is_closed(command.day):
        raise InvalidInput("date", "slot-closed-day")
    if open_slots(ctx, offer, command.day, command.day):
        raise DayNotFull("waitlist")


def entry_of(ctx: Context, entry_id: str, token: str | None) -> WaitlistEntry:
    try:
        normalised = normalise_reference(entry_id)
    except InvalidReference:
        raise NotFound("waitlist") from None
    return tracked(ctx.waitlist.get, normalised, token, "waitlist")


def confirm(ctx: Context, entry_id: str, token: str | None) -> dict[str, Any]:
    """Turns the held place into a booking; returns the booking's receipt."""
    entry = entry_of(ctx, entry_id, token)
    policy = ctx.catalogue.policy
    now = ctx.clock.now()
    code, booking_token = new_reference("B"), new_token()
    slot = entry.accept(now, code)
    booking = Booking.new(
        code=code,
        token_hash=hash_token(booking_token),
        branch=entry.branch,
        service=entry.service,
        mode=entry.mode,
        slot=slot,
        citizen=entry.citizen,
        language=entry.language,
        now=now,
        policy=policy,
    )
    # The booking, its timers, its confirmation and its KPI counts: one transaction.
    with ctx.effects.collect():
        count_booking(ctx, booking, "booked", held=1)
        schedule_timers(ctx, booking)
        notify(ctx, booking, "booking_confirmed", token=booking_token, with_calendar=True)
        ctx.waitlist.accept(entry, booking, now)
    return {
        **describe(ctx, booking),
        "manage_token": booking_token,
        **links(ctx, booking, booking_token),
    }


def leave(ctx: Context, entry_id: str, token: str | None) -> WaitlistEntry:
    entry = entry_of(ctx, entry_id, token)
    held = entry.leave()
    with ctx.effects.collect():
        if held:
            offer_later(ctx, entry.branch, entry.service, entry.mode, entry.day)
        ctx.waitlist.release(entry, held)
    return entry


def offer_later(ctx: Context, branch_id: str, service_id: str, mode: Mode, day: date) -> None:
    """Schedules the offer of a place freed on ``day``; called in the unit of work of the
    change that frees it, so the timer commits (or not) with it."""
    key = "/".join((branch_id, service_id, mode.value, day.isoformat()))
    ctx.timers.schedule(Timer(FREED_TIMER, key, ctx.clock.now()))


def handle_freed(ctx: Context, key: str) -> int:
    branch_id, service_id, mode, day = key.split("/")
    return offer_freed(ctx, branch_id, service_id, Mode(mode), date.fromisoformat(day))


def offer_freed(ctx: Context, branch_id: str, service_id: str, mode: Mode, day: date) -> int:
    """Offers the day's free places to the first in line, each held for a while; returns
    how many offers were made."""
    waiting = ctx.waitlist.waiting(branch_id, service_id, mode, day)
    if not waiting:
        return 0
    try:
        offer = offering(ctx, branch_of(ctx, branch_id), service_id, mode)
    except DomainError:
        return 0  # no longer offered there (desks set to 0): nothing to hand out
    made = 0
    for slot, free in open_slots(ctx, offer, day, day):
        for _ in range(free):
            if not waiting:
                return made
            entry = waiting.pop(0)
            entry.offer_place(slot, ctx.clock.now(), ctx.catalogue.policy)
            assert entry.offer_expires_at is not None
            try:
                # The offer's expiry timer and message ride in the hold's transaction.
                with ctx.effects.collect():
                    ctx.timers.schedule(Timer(OFFER_TIMER, entry.id, entry.offer_expires_at))
                    _tell(ctx, entry, "booking_waitlist_offer", None)
                    ctx.waitlist.hold(entry, offer.capacity)
            except VersionConflict:
                continue  # the entry changed (left, or offered by a concurrent run)
            except SlotFull:
                break  # someone booked the place meanwhile
            made += 1
    return made


def handle_offer_expiry(ctx: Context, entry_id: str) -> str | None:
    """An unanswered offer lapses and its place passes to the next in line (idempotent)."""

    def attempt() -> WaitlistEntry | None:
        try:
            entry = ctx.waitlist.get(entry_id)
        except NotFound:
            return None
        if not entry.expire(ctx.clock.now()):
            return None
        ctx.waitlist.release(entry, held=True)
        return entry

    try:
        entry = retry_on_conflict(attempt)
    except VersionConflict:
        # Lost every race: whoever won (the citizen confirming or leaving) moved the entry
        # on, and the sweeper looks at it again; a timer never fails for it.
        return None
    if entry is None:
        return None
    offer_freed(ctx, entry.branch, entry.service, entry.mode, entry.day)
    return "expired"


def entry_view(ctx: Context, entry: WaitlistEntry) -> dict[str, Any]:
    offer = entry.offer
    return {
        "id": entry.id,
        "status": entry.status.value,
        "branch": entry.branch,
        "service": entry.service,
        "mode": entry.mode.value,
        "date": entry.day.isoformat(),
        "ticket": entry.ticket,
        "offer": {
            "start": iso(offer.start),
            "end": iso(offer.end),
            "confirm_by": iso_or_none(entry.offer_expires_at),
        }
        if offer is not None and entry.holds_offer
        else None,
        "booking_code": entry.booking_code,
    }


def _tell(ctx: Context, entry: WaitlistEntry, template: str, token: str | None) -> None:
    catalogue = ctx.catalogue
    tell(
        ctx,
        entry.citizen,
        template,
        entry.language,
        id=entry.id,
        service=catalogue.services[entry.service].name.in_(entry.language),
        branch=catalogue.branches[entry.branch].name.in_(entry.language),
        day=shown_day(entry.day),
        when=shown(entry.offer.start) if entry.offer else "",
        confirm_by=shown(entry.offer_expires_at) if entry.offer_expires_at else "",
        manage_url=public_link(
            ctx, entry.language, "appointments/waitlist", f"id={entry.id}", token
        ),
    )
