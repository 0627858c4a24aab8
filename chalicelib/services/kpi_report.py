"""The supervisors' figures for a period, read from the KPI counters (two queries, no case)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from chalicelib.domain.catalogue import Branch
from chalicelib.domain.directory import Agent
from chalicelib.domain.errors import Forbidden, InvalidInput, NotFound
from chalicelib.domain.kpi_tallies import Tally
from chalicelib.domain.kpis import figures, summed
from chalicelib.domain.slots import slots_between
from chalicelib.services.context import Context

# A period longer than a quarter is a report for another tool; it also bounds the read.
MAX_DAYS = 92


def supervised_agencies(ctx: Context, agent: Agent) -> set[str]:
    """The agencies of a supervisor's teams (a team serving every agency: all of them)."""
    if not agent.is_supervisor:
        raise Forbidden("not-supervisor")
    agencies: set[str] = set()
    for team_id in agent.teams:
        team = ctx.directory.teams.get(team_id)
        if team is not None:
            agencies |= set(ctx.directory.agencies) if "*" in team.agencies else team.agencies
    return agencies


def check_period(first: date, last: date) -> None:
    if last < first:
        raise InvalidInput("to", "range-reversed")
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidInput("to", "range-too-long", max=MAX_DAYS)


def kpi_report(
    ctx: Context,
    agent: Agent,
    first: date,
    last: date,
    agency: str | None = None,
    team: str | None = None,
) -> dict[str, Any]:
    """The figures of the contract for the supervisor's agencies (or one of them, or one
    team): another agency is not found, as if it did not exist."""
    scope = supervised_agencies(ctx, agent)
    check_period(first, last)
    if agency is not None and agency not in scope:
        raise NotFound("agency")
    if team is not None and team not in ctx.directory.teams and not _is_branch(ctx, team):
        raise NotFound("team")
    agencies = {agency} if agency else scope
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        **figures_of(ctx, agencies, team, first, last),
    }


def figures_of(
    ctx: Context, agencies: set[str], team: str | None, first: date, last: date
) -> dict[str, Any]:
    """The figures of these agencies (or of one team of them) over the days, from the counters."""

    def chosen(tallies: Iterable[Tally]) -> list[Tally]:
        return [t for t in tallies if t.agency in agencies and team in (None, t.team)]

    days = chosen(ctx.kpis.days(first, last))
    backlog = sum(t.counts.get("open", 0) for t in chosen(ctx.kpis.gauges()))
    capacity = offered_capacity(ctx, agencies, team, first, last)
    return figures(summed(t.counts for t in days), backlog, capacity)


def _is_branch(ctx: Context, team: str) -> bool:
    return team in ctx.catalogue.branches  # appointments count under their branch


def offered_capacity(
    ctx: Context, agencies: set[str], team: str | None, first: date, last: date
) -> int:
    """Places the branches offer on these days by their configured hours and desks (staff's
    later edits of a branch are not read here: the figure costs no store call)."""
    total = 0
    for branch in ctx.catalogue.branches.values():
        if team in (None, branch.id):
            total += _branch_capacity(ctx, branch, agencies, first, last)
    return total


def _branch_capacity(
    ctx: Context, branch: Branch, agencies: set[str], first: date, last: date
) -> int:
    settings, total = branch.defaults, 0
    schedule = settings.schedule(branch.observes_holidays)
    for service_id in branch.services:
        service = ctx.catalogue.service(service_id)
        if service.agency not in agencies:
            continue
        length = service.length(frozenset(), ctx.catalogue.policy.longer_slot_units)
        slots = len(slots_between(schedule, first, last, length))
        for mode in branch.modes(service, settings):
            total += slots * settings.capacity_of(service.id, mode)
    return total


def last_days(today: date, days: int) -> tuple[date, date]:
    return today - timedelta(days=days - 1), today
