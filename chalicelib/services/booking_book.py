"""Finding and taking a place: the services, the branches offering them, their free slots,
and booking one.

The store refuses a full slot or a second active booking in the booking's transaction, so
nothing here checks before it writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chalicelib.domain.booking_policy import check_start
from chalicelib.domain.bookings import Booking, BookingCitizen, Channel
from chalicelib.domain.catalogue import Accommodation, Branch, Mode, Service
from chalicelib.domain.directory import Agent
from chalicelib.domain.errors import (
    AlreadyBooked,
    BookingBlocked,
    InvalidInput,
    SettingsChanged,
    SlotFull,
    VersionConflict,
)
from chalicelib.domain.references import new_reference, new_token
from chalicelib.domain.slots import Slot
from chalicelib.observability import count, logger
from chalicelib.ports import IdempotencyRecord
from chalicelib.services.booking_common import (
    Offering,
    branch_of,
    calendar_token,
    current_settings,
    describe,
    links,
    notify,
    offering,
    open_slots,
    require_staff,
    schedule_timers,
)
from chalicelib.services.conflicts import retry_on_conflict
from chalicelib.services.context import Context
from chalicelib.services.kpi_counts import count_booking
from chalicelib.services.retries import Idempotency, hash_token, write_once

IDEMPOTENCY_SCOPE = "booking"


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
    interpreter_language: str | None = None
    accommodation_note: str = ""
    # Staff of the branch booking on the citizen's behalf (phone or counter); None: the citizen.
    staff: Agent | None = None


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
    ctx: Context, command: BookAppointment, idempotency: Idempotency | None = None
) -> dict[str, Any]:
    """Takes a place in a slot; returns the receipt with the confirmation code and token."""
    staff = command.staff
    if staff is not None:
        # Before any replay: a retried key answers only to staff of the branch.
        require_staff(staff, branch_of(ctx, command.branch))

    def attempt() -> dict[str, Any]:
        return write_once(
            ctx, IDEMPOTENCY_SCOPE, idempotency, lambda keep: _take(ctx, command, staff, keep)
        )

    try:
        # Staff changed the branch meanwhile: the request is judged again on the new settings.
        return retry_on_conflict(attempt, conflict=SettingsChanged)
    except SettingsChanged:
        # Three lost races with branch staff: the caller hears of a conflict on the branch.
        raise VersionConflict("branch", branch=command.branch) from None


def _take(
    ctx: Context,
    command: BookAppointment,
    staff: Agent | None,
    keep: Callable[[dict[str, Any]], IdempotencyRecord | None],
) -> dict[str, Any]:
    now = ctx.clock.now()
    offer, slot = _judge(ctx, command, staff, now)
    booking, token = _new_booking(ctx, command, offer, slot, staff, now)
    receipt = receipt_of(ctx, booking, token)
    try:
        with ctx.effects.collect():  # the booking, its timers and its message: one transaction
            schedule_timers(ctx, booking)
            notify(ctx, booking, "booking_confirmed", token=token, with_calendar=True)
            count_booking(ctx, booking, "booked", held=1)
            ctx.bookings.add(booking, offer.places, keep(receipt))
    except (SlotFull, AlreadyBooked, BookingBlocked):
        count("BookingConflicts")
        raise
    logger.info(
        "booking confirmed",
        extra={
            "code": booking.code,
            "branch": booking.branch,
            "branch_service": booking.service,
            "staff": bool(staff),
        },
    )
    count("BookingsConfirmed")
    return receipt


def _judge(
    ctx: Context, command: BookAppointment, staff: Agent | None, now: datetime
) -> tuple[Offering, Slot]:
    """The offer and the slot the request names, or why it cannot be booked."""
    catalogue = ctx.catalogue
    branch = catalogue.branch(command.branch)
    if staff is not None:
        require_staff(staff, branch)
    offer = offering(ctx, branch, command.service, command.mode, command.accommodations)
    slot = check_start(
        offer.schedule(),
        command.start,
        offer.length(catalogue),
        now,
        catalogue.policy.window(by_staff=staff is not None),
    )
    if offer.capacity <= 0:
        raise SlotFull("booking")
    return offer, slot


def _new_booking(
    ctx: Context,
    command: BookAppointment,
    offer: Offering,
    slot: Slot,
    staff: Agent | None,
    now: datetime,
) -> tuple[Booking, str]:
    code, token = new_reference("B"), new_token()
    booking = Booking.new(
        code=code,
        token_hash=hash_token(token),
        branch=offer.branch.id,
        service=offer.service.id,
        mode=command.mode,
        slot=slot,
        citizen=command.citizen,
        language=command.language,
        now=now,
        policy=ctx.catalogue.policy,
        accommodations=command.accommodations,
        channel=command.channel,
        booked_by=staff.id if staff else None,
        join_url=_join_url(ctx, code) if command.mode == Mode.VIDEO else None,
        interpreter_language=command.interpreter_language,
        accommodation_note=command.accommodation_note,
    )
    return booking, token


def receipt_of(ctx: Context, booking: Booking, token: str) -> dict[str, Any]:
    return {
        **describe(ctx, booking),
        "manage_token": token,
        "calendar_token": calendar_token(ctx, booking),
        **links(ctx, booking, token),
    }


def _join_url(ctx: Context, code: str) -> str:
    # The code names the meeting; the secret part keeps strangers out of it.
    return f"{ctx.catalogue.video_base_url}/{code}?k={new_token()[:16]}"
