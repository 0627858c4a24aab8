"""The branch's own day: the desk's list, a booking of the branch, and what staff do with
it (check-in, late check-in, served, no-show, cancel, reschedule), past the citizen's cut-off too.

Each staff action is one function with its own command, found by its name in
``STAFF_ACTIONS``; every action carries the booking's version (409 if it moved on).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chalicelib.domain import booking_desk as rules
from chalicelib.domain.bookings import Booking
from chalicelib.domain.directory import Agent
from chalicelib.domain.errors import InvalidInput, InvalidTransition, NotFound, VersionConflict
from chalicelib.domain.surveys import Kind, Rated
from chalicelib.services import surveys
from chalicelib.services.booking_change import (
    after_cancel,
    after_move,
    code_of,
    move,
    store_cancel,
)
from chalicelib.services.booking_common import branch_of, notify, require_staff
from chalicelib.services.booking_timers import record_no_show
from chalicelib.services.context import Context
from chalicelib.services.kpi_counts import count_booking, no_show_taken_back


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


# --- staff actions -------------------------------------------------------------------


@dataclass(frozen=True)
class Desk:
    """Who acts on which booking, and when."""

    ctx: Context
    agent: Agent
    booking: Booking
    now: datetime


class CheckIn:
    """The citizen is at the desk, within the check-in window."""


class Serve:
    """The appointment took place."""


class NoShow:
    """The grace period passed and the citizen did not come."""


@dataclass(frozen=True)
class LateCheckIn:
    reason: str


@dataclass(frozen=True)
class StaffCancel:
    note: str = ""


@dataclass(frozen=True)
class StaffReschedule:
    start: datetime


def check_in(desk: Desk, command: CheckIn) -> None:
    desk.booking.check_in(desk.agent.id, desk.now, desk.ctx.catalogue.policy)
    desk.ctx.bookings.release(desk.booking)


def serve(desk: Desk, command: Serve) -> None:
    """Served: counted, and the citizen gets a thank-you with a survey, in one transaction."""
    ctx, booking = desk.ctx, desk.booking
    booking.serve(desk.agent.id, desk.now)
    agency = ctx.catalogue.service(booking.service).agency
    rated = Rated(
        Kind.APPOINTMENT, agency, branch=booking.branch, service=booking.service,
        channel=booking.mode.value,
    )  # fmt: skip
    with ctx.effects.collect():
        count_booking(ctx, booking, "served")
        survey_url = surveys.offer(ctx, booking.citizen, rated, booking.language)
        notify(ctx, booking, "booking_served", survey_url=survey_url)
        ctx.bookings.save(booking)


def no_show(desk: Desk, command: NoShow) -> None:
    # The desk may record it as soon as the grace period has passed, before the timer.
    booking = desk.booking
    if not booking.mark_no_show(desk.now, desk.ctx.catalogue.policy, actor=desk.agent.id):
        raise InvalidTransition("no-show", status=booking.status)
    record_no_show(desk.ctx, booking, desk.now)


def late_check_in(desk: Desk, command: LateCheckIn) -> None:
    """Undoes the no-show of someone who came later the same day, and any block it caused."""
    booking = desk.booking
    booking.check_in_late(desk.agent.id, desk.now, command.reason)
    with desk.ctx.effects.collect():  # the no-show is taken back from the counts too
        desk.ctx.kpis.add(no_show_taken_back(desk.ctx, booking))
        desk.ctx.bookings.undo_no_show(booking)
    desk.ctx.bookings.lift_block_caused_by(booking)


def staff_cancel(desk: Desk, command: StaffCancel) -> None:
    policy = desk.ctx.catalogue.policy
    desk.booking.cancel(desk.agent.id, desk.now, policy, by_staff=True, note=command.note)
    store_cancel(desk.ctx, desk.booking, command.note)
    after_cancel(desk.ctx, desk.booking)


def staff_reschedule(desk: Desk, command: StaffReschedule) -> None:
    old_day = desk.booking.local_day
    move(desk.ctx, desk.booking, command.start, desk.agent.id, by_staff=True)
    after_move(desk.ctx, desk.booking, old_day)


def _start_required(start: datetime | None) -> datetime:
    if start is None:
        raise InvalidInput("start", "required")
    return start


@dataclass(frozen=True)
class StaffAction:
    """An action's command, built from what the route received, and the function doing it."""

    command: Callable[[datetime | None, str], Any]
    run: Callable[[Desk, Any], None]
    # Whether it can work now: the desk shows only these (``allowed_actions``).
    can: rules.Rule


STAFF_ACTIONS: dict[str, StaffAction] = {
    "check-in": StaffAction(lambda start, note: CheckIn(), check_in, rules.can_check_in),
    "late-check-in": StaffAction(
        lambda start, note: LateCheckIn(note), late_check_in, rules.can_check_in_late
    ),
    "served": StaffAction(lambda start, note: Serve(), serve, rules.can_serve),
    "no-show": StaffAction(lambda start, note: NoShow(), no_show, rules.can_mark_no_show),
    "cancel": StaffAction(lambda start, note: StaffCancel(note), staff_cancel, rules.can_change),
    "reschedule": StaffAction(
        lambda start, note: StaffReschedule(_start_required(start)),
        staff_reschedule,
        rules.can_change,
    ),
}


def allowed_actions(ctx: Context, booking: Booking) -> list[str]:
    """The staff actions that can work on the booking now, in the table's order."""
    now, policy = ctx.clock.now(), ctx.catalogue.policy
    return [name for name, action in STAFF_ACTIONS.items() if action.can(booking, now, policy)]


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
) -> Booking:
    """Check-in, served, no-show, cancel or reschedule by branch staff (past the citizen's
    cut-off too)."""
    booking = staff_booking(ctx, agent, branch_id, code)
    if booking.version != version:
        raise VersionConflict("booking", current=booking.version)
    found = STAFF_ACTIONS.get(action)
    if found is None:
        raise NotFound("action")
    command = found.command(start, note)
    found.run(Desk(ctx, agent, booking, ctx.clock.now()), command)
    return booking
