"""Branch staff edit their branch's hours, walk-in windows, closures and desks per service.

Every edit carries the version it was made on (409 if someone else edited first).
Closing a day cancels its bookings and tells the citizens why.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from chalicelib.domain.catalogue import BranchSettings, Mode
from chalicelib.domain.directory import Agent
from chalicelib.domain.errors import InvalidInput, NotFound, VersionConflict
from chalicelib.domain.local_time import athens_day
from chalicelib.domain.weekly_hours import WeeklyHours
from chalicelib.observability import logger
from chalicelib.services import waitlist
from chalicelib.services.booking_change import store_cancel
from chalicelib.services.booking_common import (
    branch_of,
    current_settings,
    require_staff,
)
from chalicelib.services.context import Context


def require_branch_staff(ctx: Context, agent: Agent, branch_id: str) -> None:
    """404 for an unknown branch, 403 for an agent not on its staff; reads nothing stored."""
    require_staff(agent, branch_of(ctx, branch_id))


def settings(ctx: Context, agent: Agent, branch_id: str) -> tuple[BranchSettings, int]:
    branch = branch_of(ctx, branch_id)
    require_staff(agent, branch)
    return current_settings(ctx, branch)


def _edit(ctx: Context, agent: Agent, branch_id: str, version: int) -> tuple[BranchSettings, int]:
    current, current_version = settings(ctx, agent, branch_id)
    if current_version != version:
        raise VersionConflict("branch-settings", current=current_version)
    return current, current_version


def set_hours(
    ctx: Context,
    agent: Agent,
    branch_id: str,
    version: int,
    hours: WeeklyHours,
    walk_in: WeeklyHours,
) -> tuple[BranchSettings, int]:
    """New weekly hours. Bookings already made outside them stay: the day list shows them."""
    current, _ = _edit(ctx, agent, branch_id, version)
    changed = replace(current, hours=hours, walk_in=walk_in)
    return changed, ctx.branch_settings.save(branch_id, changed, version)


def set_capacity(
    ctx: Context, agent: Agent, branch_id: str, version: int, service: str, desks: dict[Mode, int]
) -> tuple[BranchSettings, int]:
    """Desks serving a service in parallel; lowering it never cancels a booking already made."""
    current, _ = _edit(ctx, agent, branch_id, version)
    catalogue = ctx.catalogue
    offered = catalogue.service(service)
    if offered.id not in catalogue.branches[branch_id].services:
        raise InvalidInput("service", "service-not-offered")
    if any(mode not in offered.modes for mode, n in desks.items() if n > 0):
        raise InvalidInput("video", "mode-not-offered")
    capacity = {k: dict(v) for k, v in current.capacity.items()}
    capacity[service] = {**capacity.get(service, {}), **desks}
    changed = replace(current, capacity=capacity)
    saved = ctx.branch_settings.save(branch_id, changed, version)
    _offer_new_places(ctx, branch_id, [service], list(desks))
    return changed, saved


def add_closure(
    ctx: Context,
    agent: Agent,
    branch_id: str,
    version: int,
    day: date,
    reason: str,
) -> tuple[BranchSettings, int, int]:
    """Closes the branch for a day (strike, local holiday); returns how many bookings it
    cancelled."""
    current, _ = _edit(ctx, agent, branch_id, version)
    if day < athens_day(ctx.clock.now()):
        raise InvalidInput("date", "slot-past")
    changed = replace(current, closures={**current.closures, day: reason})
    new_version = ctx.branch_settings.save(branch_id, changed, version)
    return changed, new_version, _cancel_day(ctx, agent, branch_id, day, reason)


def remove_closure(
    ctx: Context, agent: Agent, branch_id: str, version: int, day: date
) -> tuple[BranchSettings, int]:
    current, _ = _edit(ctx, agent, branch_id, version)
    if day not in current.closures:
        raise InvalidInput("date", "not-closed")
    changed = replace(current, closures={d: r for d, r in current.closures.items() if d != day})
    saved = ctx.branch_settings.save(branch_id, changed, version)
    branch = branch_of(ctx, branch_id)
    _offer_new_places(ctx, branch_id, list(branch.services), list(Mode), [day])
    return changed, saved


def lift_no_show_block(
    ctx: Context, agent: Agent, branch_id: str, amka: str, service: str, reason: str
) -> None:
    """Staff may forgive a citizen's no-shows (an illness, a mistake at the desk) so they can
    book the service again; the reason is logged, the AMKA is not."""
    branch = branch_of(ctx, branch_id)
    require_staff(agent, branch)
    if service not in branch.services:
        raise InvalidInput("service", "service-not-offered")
    if not ctx.bookings.unblock(amka, service):
        raise NotFound("no-show-block")
    logger.info(
        "no-show block lifted",
        extra={"agent": agent.id, "branch": branch_id, "branch_service": service, "reason": reason},
    )


def _offer_new_places(
    ctx: Context,
    branch_id: str,
    services: list[str],
    modes: list[Mode],
    days: list[date] | None = None,
) -> None:
    """More desks or a reopened day make places: the waitlists of the days within the booking
    horizon get them first, as they would a cancelled place."""
    if days is None:
        today = athens_day(ctx.clock.now())
        horizon = ctx.catalogue.policy.horizon_days
        days = [today + timedelta(days=n) for n in range(horizon + 1)]
    # One query finds the lines where someone waits; only those are offered places.
    for service, mode, day in sorted(ctx.waitlist.lines(branch_id, services)):
        if mode in modes and day in days:
            waitlist.offer_freed(ctx, branch_id, service, mode, day)


def _cancel_day(ctx: Context, agent: Agent, branch_id: str, day: date, reason: str) -> int:
    policy = ctx.catalogue.policy
    cancelled = 0
    for booking in ctx.bookings.day(branch_id, day):
        if not booking.is_active:
            continue
        booking.cancel(agent.id, ctx.clock.now(), policy, by_staff=True, note=reason)
        try:
            store_cancel(ctx, booking, reason)  # with the citizen's notice, one transaction
        except VersionConflict:
            continue  # changed meanwhile (cancelled or moved by the citizen): nothing to do
        cancelled += 1
    return cancelled
