"""What the rotation and the administrators need from a store: the teams' people."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from chalicelib.domain.roster import RosterAgent, TeamRoster


class AgentRoster(Protocol):
    def agent(self, agent_id: str) -> RosterAgent | None:
        """The agent's record, active or not (one read)."""
        ...

    def all_agents(self, limit: int = 500) -> list[RosterAgent]:
        """Every agent's record, deactivated ones too, by id (one query)."""
        ...

    def team(self, team: str) -> TeamRoster:
        """The team's active members (one read); an empty roster if none were ever added."""
        ...

    def teams(self, teams: Iterable[str]) -> dict[str, TeamRoster]:
        """Several teams' rosters in one read."""
        ...

    def take_turn(self, team: str) -> tuple[int, TeamRoster]:
        """Moves the team's turn on by one and returns it with the members (one write)."""
        ...

    def add_all(self, agents: Iterable[RosterAgent]) -> bool:
        """Adds new agents and their rosters at once (the local stage's demo agents); False,
        writing nothing, if any of them is already stored."""
        ...

    def save(self, agent: RosterAgent, rosters: Iterable[TeamRoster]) -> None:
        """Stores the agent at ``agent.version`` (1: a new agent; n: the one read was n - 1) and
        the rosters it changes, in one transaction; VersionConflict if any changed since read."""
        ...
