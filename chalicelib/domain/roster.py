"""The people who answer: agents and supervisors of the teams, with their shifts and whether
they take work now. Data that administrators manage (kept in the store), unlike the teams
themselves, which are reference data (``directory``).

An agent's id is the Cognito username (the ``cognito:username`` or ``sub`` claim the API
reads), so the person who signs in is the person the rotation hands cases to.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from chalicelib.domain.errors import DomainError, InvalidInput
from chalicelib.domain.local_time import ATHENS
from chalicelib.domain.weekly_hours import WeeklyHours, to_raw


class StaffRole(StrEnum):
    """Agents take work in turn; supervisors oversee their teams and are not in the rotation."""

    AGENT = "agent"
    SUPERVISOR = "supervisor"


class UnknownAgent(DomainError):
    code = "unknown-agent"


@dataclass(frozen=True)
class RosterAgent:
    id: str
    name: str
    teams: frozenset[str]
    role: StaffRole = StaffRole.AGENT
    # None: no shifts recorded, on duty whenever the team works.
    shifts: WeeklyHours | None = None
    available: bool = True
    # A deactivated agent keeps their record (cases' history names them) but takes no work.
    active: bool = True
    version: int = 0

    def on_shift(self, now: datetime) -> bool:
        if self.shifts is None:
            return True
        local = now.astimezone(ATHENS)
        return any(begin <= now < end for begin, end in self.shifts.instants(local.date()))

    def takes_work(self, now: datetime) -> bool:
        """In the rotation now: active, marked available, an agent (not a supervisor), on shift."""
        return (
            self.active and self.available and self.role == StaffRole.AGENT and self.on_shift(now)
        )

    def deactivated(self) -> RosterAgent:
        return replace(self, active=False, available=False)


@dataclass(frozen=True)
class TeamRoster:
    """A team's members as the rotation sees them (one stored item per team)."""

    team: str
    members: tuple[RosterAgent, ...] = ()
    version: int = 0

    def member(self, agent_id: str) -> RosterAgent | None:
        return next((m for m in self.members if m.id == agent_id), None)

    def in_turn(self, turn: int, now: datetime) -> RosterAgent | None:
        """The agent whose turn it is among those who take work now, in id order."""
        rotation = sorted((m for m in self.members if m.takes_work(now)), key=lambda m: m.id)
        return rotation[turn % len(rotation)] if rotation else None

    def with_member(self, agent: RosterAgent) -> TeamRoster:
        """The roster with ``agent`` put in (or taken out, if no longer active here)."""
        others = tuple(m for m in self.members if m.id != agent.id)
        keep = agent.active and self.team in agent.teams
        members = tuple(sorted((*others, agent) if keep else others, key=lambda m: m.id))
        return replace(self, members=members)


def check_teams(teams: frozenset[str], known: frozenset[str]) -> None:
    """Every team named must exist in the reference data."""
    unknown = sorted(teams - known)
    if unknown:
        raise InvalidInput("teams", "unknown-team", team=unknown[0])


def agent_record(agent: RosterAgent) -> dict[str, Any]:
    """The agent as plain data: what the store keeps and what the admin API shows are one form."""
    return {
        "id": agent.id,
        "name": agent.name,
        "teams": sorted(agent.teams),
        "role": agent.role.value,
        "shifts": to_raw(agent.shifts) if agent.shifts is not None else None,
        "available": agent.available,
        "active": agent.active,
        "version": agent.version,
    }
