"""The public transparency page's figures: per agency, the last 30 days from the KPI counters;
per branch and service, the next free appointment. Three store reads in all: the counters
(one query), every branch's edited settings (one batch read) and the first slots' counters
(one batch read of at most 100 units)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.domain.catalogue import Branch, BranchSettings, Mode
from chalicelib.domain.kpis import case_figures, summed
from chalicelib.domain.local_time import athens_day, iso
from chalicelib.domain.slots import Slot, remaining, slots_between
from chalicelib.services.context import Context

PERIOD_DAYS = 30
# One batch read holds 100 keys: the candidate slot units are shared out among the services.
UNITS_PER_READ = 100

Offer = tuple[Branch, str, Mode, BranchSettings]


def transparency(ctx: Context) -> dict[str, Any]:
    now = ctx.clock.now()
    today = athens_day(now)
    rows = ctx.kpis.days(today - timedelta(days=PERIOD_DAYS - 1), today)
    agencies = []
    for agency in ctx.directory.agencies.values():
        counts = summed(t.counts for t in rows if t.agency == agency.id)
        cases = case_figures(counts, backlog=0)
        agencies.append(
            {
                "id": agency.id,
                "name": {"el": agency.name.el, "en": agency.name.en},
                "sla_resolution": cases["sla_resolution"],
                "median_hours_to_answer": cases["median_hours_to_resolve"],
                "cases_last_30_days": cases["opened"],
            }
        )
    return {"generated_at": iso(now), "agencies": agencies, "branches": _branches(ctx, now)}


def _branches(ctx: Context, now: datetime) -> list[dict[str, Any]]:
    branches = list(ctx.catalogue.branches.values())
    stored = ctx.branch_settings.get_many([b.id for b in branches])
    offers: list[Offer] = []
    for branch in branches:
        settings = stored[branch.id][0] if branch.id in stored else branch.defaults
        for service_id in branch.services:
            modes = branch.modes(ctx.catalogue.service(service_id), settings)
            if modes:  # in person first: the page speaks of visits
                offers.append((branch, service_id, modes[0], settings))
    first = _next_free(ctx, offers, now)
    return [
        {
            "id": branch.id,
            "name": {"el": branch.name.el, "en": branch.name.en},
            "services": [
                {"id": s, "next_free": first.get((branch.id, s))} for s in branch.services
            ],
        }
        for branch in branches
    ]


def _next_free(ctx: Context, offers: list[Offer], now: datetime) -> dict[tuple[str, str], str]:
    """The first bookable slot with room of each offer, among its first few open slots (as
    many as one batch read allows; an offer full for all of them shows none)."""
    if not offers:
        return {}
    per_offer = max(1, UNITS_PER_READ // len(offers))
    candidates = [_candidates(ctx, *offer, now, per_offer) for offer in offers]
    units = [
        (branch.id, service_id, mode, unit)
        for (branch, service_id, mode, _), slots in zip(offers, candidates, strict=True)
        for slot in slots
        for unit in slot.units
    ]
    booked = ctx.bookings.booked_units(units)
    found: dict[tuple[str, str], str] = {}
    for (branch, service_id, mode, settings), slots in zip(offers, candidates, strict=True):
        capacity = settings.capacity_of(service_id, mode)
        taken = {u[3]: n for u, n in booked.items() if u[:3] == (branch.id, service_id, mode)}
        free = next((s for s in slots if remaining(s, capacity, taken) > 0), None)
        if free is not None:
            found[(branch.id, service_id)] = iso(free.start)
    return found


def _candidates(
    ctx: Context,
    branch: Branch,
    service_id: str,
    mode: Mode,
    settings: BranchSettings,
    now: datetime,
    limit: int,
) -> list[Slot]:
    """The first slots a citizen could book now, as availability offers them, up to
    ``limit`` slot units in all."""
    window = ctx.catalogue.policy.window()
    service = ctx.catalogue.service(service_id)
    length = service.length(frozenset(), ctx.catalogue.policy.longer_slot_units)
    schedule = settings.schedule(branch.observes_holidays)
    first: date = athens_day(now)
    out: list[Slot] = []
    units, day = 0, first
    while day <= window.last_day(now):
        for slot in slots_between(schedule, day, day, length):
            if not window.is_open(slot, now):
                continue
            if units + len(slot.units) > limit:
                return out
            out.append(slot)
            units += len(slot.units)
        day += timedelta(days=1)
    return out
