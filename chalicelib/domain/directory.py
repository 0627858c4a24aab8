"""Who answers what: agencies and their topics, teams per tier, SLA targets (reference data).

``Agent`` is the person signed in, as their token describes them; the people in each team's
rotation are data in the store (``domain/roster``). ``Directory.agents`` holds only the local
stage's demo identities (dev tokens, display names), never the rotation."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from enum import StrEnum

from chalicelib.domain.calendar import BusinessCalendar

TOP_TIER = 3


@dataclass(frozen=True)
class Text:
    """A text a citizen reads, Greek first."""

    el: str
    en: str

    def in_(self, language: str) -> str:
        return self.en if language == "en" else self.el


@dataclass(frozen=True)
class Topic:
    id: str
    name: Text


@dataclass(frozen=True)
class Agency:
    id: str
    name: Text
    topics: tuple[Topic, ...]

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)


class Assignment(StrEnum):
    """How a team hands out new work: to agents in turn, or kept until an agent claims it."""

    ROUND_ROBIN = "round_robin"
    CLAIM = "claim"


@dataclass(frozen=True)
class Team:
    id: str
    name: Text
    tier: int
    agencies: frozenset[str]
    calendar: BusinessCalendar
    assignment: Assignment = Assignment.CLAIM


class Role(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


@dataclass(frozen=True)
class Agent:
    id: str
    name: str
    roles: frozenset[Role]
    teams: frozenset[str]
    branches: frozenset[str] = frozenset()
    available: bool = True
    # The agencies the agent's teams serve ("*": every agency), from the directory
    # (``Directory.scoped``): a supervisor's powers reach these agencies' cases only.
    agencies: frozenset[str] = frozenset()

    @property
    def is_supervisor(self) -> bool:
        return bool(self.roles & {Role.SUPERVISOR, Role.ADMIN})

    def serves(self, agency: str) -> bool:
        return "*" in self.agencies or agency in self.agencies

    def supervises(self, agency: str) -> bool:
        """A supervisor of a team that serves the agency (the user pool's ``custom:teams``)."""
        return self.is_supervisor and self.serves(agency)


@dataclass(frozen=True)
class SlaTarget:
    first_response: timedelta
    resolution: timedelta
    warn_ratio: float = 0.8


@dataclass(frozen=True)
class CasePolicy:
    """Rules of the administration that are configuration, not code."""

    statutory_working_days: int = 50
    transfer_notice_working_days: int = 5
    reopen_window: timedelta = timedelta(days=14)
    chase_interval: timedelta = timedelta(days=1)


class UnknownAgency(LookupError):
    pass


@dataclass
class Directory:
    agencies: dict[str, Agency]
    teams: dict[str, Team]
    agents: dict[str, Agent]
    # (agency, topic, tier) -> target; topic "*" is the agency default, agency "*" the global one.
    sla: dict[tuple[str, str, int], SlaTarget]
    policy: CasePolicy = field(default_factory=CasePolicy)

    def agency(self, agency_id: str) -> Agency:
        try:
            return self.agencies[agency_id]
        except KeyError:
            raise UnknownAgency(agency_id) from None

    def scoped(self, agent: Agent) -> Agent:
        """The agent with the agencies their teams serve (a team unknown here serves none)."""
        served = [self.teams[t].agencies for t in agent.teams if t in self.teams]
        return replace(agent, agencies=frozenset().union(*served))

    def team_for(self, agency_id: str, tier: int) -> Team:
        """The team that owns an agency's cases at a tier (tier 1 is shared by all agencies)."""
        for team in self.teams.values():
            if team.tier == tier and (agency_id in team.agencies or "*" in team.agencies):
                return team
        raise LookupError(f"no tier {tier} team for {agency_id}")

    def target(self, agency_id: str, topic_id: str, tier: int) -> SlaTarget:
        for key in ((agency_id, topic_id, tier), (agency_id, "*", tier), ("*", "*", tier)):
            if key in self.sla:
                return self.sla[key]
        raise LookupError(f"no SLA target for tier {tier}")


@dataclass(frozen=True)
class Route:
    """Where a case sits at a tier: the owning team, its calendar and its targets."""

    team: str
    tier: int
    calendar: BusinessCalendar
    target: SlaTarget


def route(directory: Directory, agency_id: str, topic_id: str, tier: int) -> Route:
    team = directory.team_for(agency_id, tier)
    return Route(team.id, tier, team.calendar, directory.target(agency_id, topic_id, tier))
