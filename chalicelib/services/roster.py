"""Administrators manage the teams' people; the rotation reads them from the store.

Each use case costs at most three store calls: the agent's record, the rosters of the teams
it touches (one batch read), and one transaction writing both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from chalicelib.domain.directory import Agent, Role
from chalicelib.domain.errors import Forbidden, NotFound, VersionConflict
from chalicelib.domain.roster import RosterAgent, StaffRole, check_teams
from chalicelib.domain.weekly_hours import WeeklyHours
from chalicelib.observability import logger
from chalicelib.services.context import Context


@dataclass(frozen=True)
class AgentDetails:
    """What an administrator sets; ``version`` is the one read (0 for a new agent)."""

    name: str
    teams: frozenset[str]
    role: StaffRole = StaffRole.AGENT
    shifts: WeeklyHours | None = None
    available: bool = True
    version: int = 0


def _require_admin(actor: Agent) -> None:
    if Role.ADMIN not in actor.roles:
        raise Forbidden("roster")


def save_agent(ctx: Context, actor: Agent, agent_id: str, details: AgentDetails) -> RosterAgent:
    """Adds or changes an agent (and brings a deactivated one back), with the rosters of every
    team they join or leave, in one transaction."""
    _require_admin(actor)
    check_teams(details.teams, frozenset(ctx.directory.teams))
    current = ctx.roster.agent(agent_id)
    stored = current.version if current else 0
    if details.version != stored:
        raise VersionConflict("agent", id=agent_id)
    agent = RosterAgent(
        agent_id,
        details.name,
        details.teams,
        details.role,
        details.shifts,
        details.available,
        active=True,
        version=stored + 1,
    )
    _store(ctx, agent, current)
    logger.info("agent saved", extra={"agent": agent_id, "by": actor.id, "version": agent.version})
    return agent


def deactivate_agent(ctx: Context, actor: Agent, agent_id: str) -> RosterAgent:
    """Takes the agent out of every rotation; their record stays, for the cases' history."""
    _require_admin(actor)
    current = agent_of(ctx, actor, agent_id)
    agent = replace(current.deactivated(), version=current.version + 1)
    _store(ctx, agent, current)
    logger.info("agent deactivated", extra={"agent": agent_id, "by": actor.id})
    return agent


def _store(ctx: Context, agent: RosterAgent, before: RosterAgent | None) -> None:
    touched = agent.teams | (before.teams if before else frozenset())
    rosters = ctx.roster.teams(touched)
    ctx.roster.save(agent, [roster.with_member(agent) for roster in rosters.values()])


def agent_of(ctx: Context, actor: Agent, agent_id: str) -> RosterAgent:
    _require_admin(actor)
    agent = ctx.roster.agent(agent_id)
    if agent is None:
        raise NotFound("agent", id=agent_id)
    return agent


def team_agents(ctx: Context, actor: Agent, team: str) -> list[RosterAgent]:
    """The team's active members, as the rotation sees them."""
    _require_admin(actor)
    check_teams(frozenset({team}), frozenset(ctx.directory.teams))
    return list(ctx.roster.team(team).members)


def all_agents(ctx: Context, actor: Agent) -> list[RosterAgent]:
    """Every agent ever added, deactivated ones too, by id."""
    _require_admin(actor)
    return ctx.roster.all_agents()
