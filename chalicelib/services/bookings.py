"""Use cases of appointment booking: browse, book, manage, and the branch's own day.

Each use case reads, asks the domain for one decision and stores it in one
transaction; the store refuses a full slot or a second active booking, so nothing
here checks before it writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chalicelib.domain.bookings import (
    CITIZEN,
    Accommodation,
    AlreadyBooked,
    Booking,
    BookingBlocked,
    BookingCitizen,
    Branch,
    Channel,
    Mode,
    Service,
    SettingsChanged,
    SlotFull,
    check_start,
)
from chalicelib.domain.directory import Agent
from chalicelib.domain.errors import (
    InvalidInput,
    InvalidTransition,
    NotFound,
    VersionConflict,
)
from chalicelib.domain.references import (
    InvalidReference,
    new_reference,
    new_token,
    normalise_reference,
)
from chalicelib.domain.slots import Slot
from chalicelib.observability import count, logger
from chalicelib.ports import AlreadyRecorded
from chalicelib.services import waitlist
from chalicelib.services.booking_common import (
    branch_of,
    calendar_of,
    current_settings,
    describe,
    links,
    notify,
    offering,
    open_slots,
    require_staff,
    schedule_timers,
)
from chalicelib.services.context import Context
from chalicelib.services.retries import Idempotency, hash_token, replay, token_matches

IDEMPOTENCY_SCOPE = "booking"
SETTINGS_RETRIES = 3
STAFF_ACTIONS = ("check-in", "served", "no-show", "cancel", "reschedule")


@dataclass(frozen=True)
class BookAppointment:
    branch: str
    service: str
    start: datetime
    mode: Mode
    language: str
    citizen: BookingCitizen
    accommodations: frozenset[Accommodation] = frozenset()
    channel: Channel = Channel.WEB


# --- reference data ------------------------------------------------------------------


def services(ctx: Context) -> list[Service]:
    return list(ctx.catalogue.services.values())


def branches(
    ctx: Context,
    service_id: str | None = None,
    mode: Mode | None = None,
    accommodations: frozenset[Accommodation] = frozenset(),
) -> list[tuple[Branch, list[Mode]]]:
    """Branches that offer the service (in the mode, with the accommodations asked for).

    Which services a branch offers is reference data; only the modes depend on the
    branch's current capacity, read for the branches that offer the service."""
    catalogue = ctx.catalogue
    service = catalogue.service(service_id) if service_id else None
    found = []
    for branch in catalogue.branches.values():
        if service is not None and service.id not in branch.services:
            continue
        if not branch.offers(accommodations):
            continue
        modes: list[Mode] = []
        if service is not None:
            modes = branch.modes(service, current_settings(ctx, branch)[0])
            if not modes or (mode is not None and mode not in modes):
                continue  # no desk serves it there now (or not in this mode)
        found.append((branch, modes))
    return found


def availability(
    ctx: Context,
    branch_id: str,
    service_id: str,
    first: date,
    last: date,
    mode: Mode = Mode.IN_PERSON,
    accommodations: frozenset[Accommodation] = frozenset(),
) -> list[tuple[Slot, int]]:
    policy = ctx.catalogue.policy
    if last < first:
        raise InvalidInput("to", "range-reversed")
    if (last - first).days + 1 > policy.max_range_days:
        raise InvalidInput("to", "range-too-long", max=policy.max_range_days)
    offer = offering(ctx, branch_of(ctx, branch_id), service_id, mode, accommodations)
    return open_slots(ctx, offer, first, last)


# --- booking -------------------------------------------------------------------------


def book(
    ctx: Context,
    command: BookAppointment,
    *,
    idempotency: Idempotency | None = None,
    staff: Agent | None = None,
    public_url: str = "",
) -> dict[str, Any]:
    """Takes a place in a slot; returns the receipt with the confirmation code and token."""
    for _ in range(SETTINGS_RETRIES):
        try:
            return _book(ctx, command, idempotency, staff, public_url)
        except SettingsChanged:
            continue  # staff changed the branch meanwhile: judge the request on the new settings
    raise VersionConflict("branch", branch=command.branch)


def _book(
    ctx: Context,
    command: BookAppointment,
    idempotency: Idempotency | None,
    staff: Agent | None,
    public_url: str,
) -> dict[str, Any]:
    if idempotency is not None:
        earlier = replay(ctx, IDEMPOTENCY_SCOPE, idempotency)
        if earlier is not None:
            return earlier
    catalogue, policy = ctx.catalogue, ctx.catalogue.policy
    branch = catalogue.branch(command.branch)
    if staff is not None:
        require_staff(staff, branch)
    offer = offering(ctx, branch, command.service, command.mode, command.accommodations)
    now = ctx.clock.now()
    slot = check_start(
        offer.schedule(),
        command.start,
        offer.length(catalogue),
        now,
        policy.window(by_staff=staff is not None),
    )
    if offer.capacity <= 0:
        raise SlotFull("booking")
    code, token = new_reference("B"), new_token()
    booking = Booking.new(
        code=code,
        token_hash=hash_token(token),
        branch=branch.id,
        service=offer.service.id,
        mode=command.mode,
        slot=slot,
        citizen=command.citizen,
        language=command.language,
        now=now,
        policy=policy,
        accommodations=command.accommodations,
        channel=command.channel,
        booked_by=staff.id if staff else None,
        join_url=_join_url(ctx, code) if command.mode == Mode.VIDEO else None,
    )
    receipt = receipt_of(ctx, booking, token, public_url)
    record = None
    if idempotency is not None:
        record = idempotency.record(IDEMPOTENCY_SCOPE, receipt)
    try:
        ctx.bookings.add(booking, offer.capacity, now, record, offer.settings_version)
    except (SlotFull, AlreadyBooked, BookingBlocked):
        count("BookingConflicts")
        raise
    except AlreadyRecorded:
        # A concurrent retry with the same key won the race: answer as it did.
        assert idempotency is not None
        earlier = replay(ctx, IDEMPOTENCY_SCOPE, idempotency)
        assert earlier is not None
        return earlier
    logger.info(
        "booking confirmed",
        extra={
            "code": code,
            "branch": branch.id,
            "service": offer.service.id,
            "staff": bool(staff),
        },
    )
    count("BookingsConfirmed")
    schedule_timers(ctx, booking)
    notify(
        ctx, booking, "booking_confirmed", public_url=public_url, token=token, with_calendar=True
    )
    return receipt


def receipt_of(ctx: Context, booking: Booking, token: str, public_url: str) -> dict[str, Any]:
    return {
        **describe(ctx, booking),
        "manage_token": token,
        **links(public_url, booking, token),
    }


def _join_url(ctx: Context, code: str) -> str:
    # The code names the meeting; the secret part keeps strangers out of it.
    return f"{ctx.catalogue.video_base_url}/{code}?k={new_token()[:16]}"


# --- the citizen's own booking -------------------------------------------------------


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
    booking = ctx.bookings.get(code_of(code))
    if not token_matches(booking.token_hash, token):
        raise NotFound("booking")
    return booking


def cancel(ctx: Context, code: str, token: str | None, public_url: str = "") -> Booking:
    def change(booking: Booking) -> None:
        booking.cancel(CITIZEN, ctx.clock.now(), ctx.catalogue.policy, by_staff=False)
        ctx.bookings.cancel(booking)

    booking = _retrying(lambda: manage(ctx, code, token), change)
    _after_cancel(ctx, booking, public_url)
    return booking


def reschedule(
    ctx: Context, code: str, token: str | None, start: datetime, public_url: str = ""
) -> Booking:
    holder: dict[str, Any] = {}

    def change(booking: Booking) -> None:
        holder["before"] = booking.local_day
        _move(ctx, booking, start, CITIZEN, by_staff=False)

    booking = _retrying(lambda: manage(ctx, code, token), change)
    _after_move(ctx, booking, holder["before"], public_url)
    return booking


def calendar(ctx: Context, code: str, token: str | None) -> str:
    return calendar_of(ctx, manage(ctx, code, token))


def _retrying(load: Callable[[], Booking], change: Callable[[Booking], None]) -> Booking:
    """Citizens send no version: a change that lost a race with a timer is re-decided."""
    for _ in range(3):
        booking = load()
        try:
            change(booking)
        except VersionConflict:
            continue
        return booking
    raise VersionConflict("booking")


def _move(ctx: Context, booking: Booking, start: datetime, actor: str, *, by_staff: bool) -> None:
    policy = ctx.catalogue.policy
    branch = ctx.catalogue.branches[booking.branch]
    offer = offering(ctx, branch, booking.service, booking.mode, booking.accommodations)
    now = ctx.clock.now()
    # The cut-off is judged before the new start, so a late citizen hears why.
    booking.require_changeable("reschedule", now, policy, by_staff)
    slot = check_start(
        offer.schedule(), start, offer.length(ctx.catalogue), now, policy.window(by_staff)
    )
    left = booking.move(slot, actor, now, policy, by_staff=by_staff)
    ctx.bookings.move(booking, left, offer.capacity, offer.settings_version)


def _after_cancel(ctx: Context, booking: Booking, public_url: str, reason: str = "") -> None:
    count("BookingsCancelled")
    notify(
        ctx,
        booking,
        "booking_cancelled",
        public_url=public_url,
        with_calendar=True,
        reason=reason,
    )
    waitlist.offer_freed(ctx, booking.branch, booking.service, booking.mode, booking.local_day)


def _after_move(ctx: Context, booking: Booking, old_day: date, public_url: str) -> None:
    count("BookingsRescheduled")
    schedule_timers(ctx, booking)
    notify(ctx, booking, "booking_rescheduled", public_url=public_url, with_calendar=True)
    waitlist.offer_freed(ctx, booking.branch, booking.service, booking.mode, old_day)


# --- branch staff --------------------------------------------------------------------


def staff_booking(ctx: Context, agent: Agent, branch_id: str, code: str) -> Booking:
    branch = branch_of(ctx, branch_id)
    require_staff(agent, branch)
    booking = ctx.bookings.get(code_of(code))
    if booking.branch != branch.id:
        raise NotFound("booking")
    return booking


def day_list(ctx: Context, agent: Agent, branch_id: str, day: date) -> list[Booking]:
    """The desk's list for a day: every booking, in time order."""
    branch = branch_of(ctx, branch_id)
    require_staff(agent, branch)
    return ctx.bookings.day(branch.id, day)


def staff_act(
    ctx: Context,
    agent: Agent,
    branch_id: str,
    code: str,
    action: str,
    version: int,
    *,
    start: datetime | None = None,
    note: str = "",
    public_url: str = "",
) -> Booking:
    """Check-in, served, no-show, cancel or reschedule by branch staff (past the citizen's
    cut-off too)."""
    booking = staff_booking(ctx, agent, branch_id, code)
    if booking.version != version:
        raise VersionConflict("booking", current=booking.version)
    policy = ctx.catalogue.policy
    now = ctx.clock.now()
    match action:
        case "check-in":
            booking.check_in(agent.id, now, policy)
            ctx.bookings.release(booking)
        case "served":
            booking.serve(agent.id, now)
            ctx.bookings.save(booking)
        case "no-show":
            # The desk may record it as soon as the grace period has passed, before the timer.
            if not booking.mark_no_show(now, policy, actor=agent.id):
                raise InvalidTransition("no-show", status=booking.status)
            _record_no_show(ctx, booking, now)
        case "cancel":
            booking.cancel(agent.id, now, policy, by_staff=True, note=note)
            ctx.bookings.cancel(booking)
            _after_cancel(ctx, booking, public_url, note)
        case "reschedule":
            if start is None:
                raise InvalidInput("start", "required")
            old_day = booking.local_day
            _move(ctx, booking, start, agent.id, by_staff=True)
            _after_move(ctx, booking, old_day, public_url)
        case _:
            raise NotFound("action")
    return booking


# --- timers --------------------------------------------------------------------------


def handle_reminder(ctx: Context, code: str) -> str | None:
    """Sends the day-before reminder once. A stale or repeated timer does nothing."""
    for _ in range(3):
        try:
            booking = ctx.bookings.get(code)
        except NotFound:
            return None
        if not booking.take_reminder(ctx.clock.now()):
            return None
        try:
            ctx.bookings.save(booking)
        except VersionConflict:
            continue
        notify(ctx, booking, "booking_reminder", with_calendar=False)
        count("BookingRemindersSent")
        return "reminded"
    return None


def handle_no_show(ctx: Context, code: str) -> str | None:
    """Records a no-show once the grace period has passed, and applies the no-show policy."""
    policy = ctx.catalogue.policy
    for _ in range(3):
        try:
            booking = ctx.bookings.get(code)
        except NotFound:
            return None
        now = ctx.clock.now()
        if not booking.mark_no_show(now, policy):
            return None
        try:
            _record_no_show(ctx, booking, now)
        except VersionConflict:
            continue
        return "no_show"
    return None


def _record_no_show(ctx: Context, booking: Booking, now: datetime) -> None:
    """Stores a no-show already marked on the booking and applies the no-show policy."""
    policy = ctx.catalogue.policy
    # Counted at the appointment's time, so a late timer does not shift the window.
    ctx.bookings.record_no_show(booking, booking.start)
    amka, service = booking.citizen.amka, booking.service
    missed = ctx.bookings.no_shows_since(amka, service, now - policy.no_show.window)
    until = policy.no_show.blocked_until(missed, now)
    count("BookingNoShows")
    if until is not None:
        ctx.bookings.block(amka, service, until)
    notify(
        ctx,
        booking,
        "booking_no_show",
        blocked_until=until.strftime("%d/%m/%Y") if until else "",
    )


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
