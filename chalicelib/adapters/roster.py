"""The teams' people over the table.

``AGENT#<id>`` / ``AGENT`` is an agent's record (kept when deactivated; listed on gsi1 under
``AGENTS``). ``ROSTER#<team>`` / ``ROSTER`` holds the team's active members and its
round-robin turn, so handing out a case is one ``UpdateItem`` (turn + 1, members returned)
and an agent's change writes their record and every roster it touches in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from chalicelib.domain.errors import VersionConflict
from chalicelib.domain.roster import RosterAgent, StaffRole, TeamRoster, agent_record
from chalicelib.domain.weekly_hours import from_raw

from .table import Absent, Below, ConditionFailed, Equals, Item, Key, Put, Table, Update

_LISTING = "AGENTS"


def agent_key(agent_id: str) -> Key:
    return Key(f"AGENT#{agent_id}", "AGENT")


def roster_key(team: str) -> Key:
    return Key(f"ROSTER#{team}", "ROSTER")


def _agent_of(raw: dict[str, Any]) -> RosterAgent:
    shifts = raw.get("shifts")
    return RosterAgent(
        id=raw["id"],
        name=raw["name"],
        teams=frozenset(raw["teams"]),
        role=StaffRole(raw["role"]),
        shifts=from_raw(shifts) if shifts is not None else None,
        available=bool(raw["available"]),
        active=bool(raw["active"]),
        version=int(raw["version"]),
    )


def _agent_item(agent: RosterAgent) -> Item:
    key = agent_key(agent.id)
    return {
        "pk": key.pk,
        "sk": key.sk,
        "gsi1pk": _LISTING,
        "gsi1sk": agent.id,
        "version": agent.version,
        "agent": json.dumps(agent_record(agent), ensure_ascii=False),
    }


def _roster_of(team: str, item: Item | None) -> TeamRoster:
    if item is None or "members" not in item:
        return TeamRoster(team, (), int((item or {}).get("version") or 0))
    members = tuple(_agent_of(raw) for raw in json.loads(item["members"]))
    return TeamRoster(team, members, int(item.get("version") or 0))


def _members(roster: TeamRoster) -> str:
    return json.dumps([agent_record(m) for m in roster.members], ensure_ascii=False)


class TableRoster:
    def __init__(self, table: Table) -> None:
        self._table = table

    def agent(self, agent_id: str) -> RosterAgent | None:
        item = self._table.get(agent_key(agent_id))
        return _agent_of(json.loads(item["agent"])) if item else None

    def all_agents(self, limit: int = 500) -> list[RosterAgent]:
        items = self._table.query(_LISTING, index="gsi1", limit=limit)
        return [_agent_of(json.loads(item["agent"])) for item in items]

    def team(self, team: str) -> TeamRoster:
        return _roster_of(team, self._table.get(roster_key(team)))

    def teams(self, teams: Iterable[str]) -> dict[str, TeamRoster]:
        names = sorted(set(teams))
        items = self._table.get_many([roster_key(t) for t in names]) if names else []
        return {team: _roster_of(team, item) for team, item in zip(names, items, strict=True)}

    def take_turn(self, team: str) -> tuple[int, TeamRoster]:
        item = self._table.write(Update(roster_key(team), add={"turn": 1}))
        assert item is not None
        return int(item["turn"]), _roster_of(team, item)

    def add_all(self, agents: Iterable[RosterAgent]) -> bool:
        """Adds agents none of whom exists yet, with their teams' rosters, in one transaction
        (the local stage's demo agents); False, writing nothing, if any is already there."""
        added = [replace(a, version=1) for a in agents]
        rosters: dict[str, TeamRoster] = {}
        for agent in added:
            for team in agent.teams:
                rosters[team] = rosters.get(team, TeamRoster(team)).with_member(agent)
        ops: list[Put | Update] = [Put(_agent_item(a), Absent()) for a in added]
        ops += [
            Update(roster_key(t), set={"members": _members(r), "version": 1})
            for t, r in rosters.items()
        ]
        try:
            self._table.transact(ops)
        except ConditionFailed:
            return False
        return True

    def save(self, agent: RosterAgent, rosters: Iterable[TeamRoster]) -> None:
        # ``agent.version`` is the new version: 1 for a new agent, else the one read plus 1.
        before = agent.version - 1
        ops: list[Put | Update] = [
            Put(_agent_item(agent), Equals("version", before) if before else Absent())
        ]
        for roster in rosters:
            # An Update, not a Put: the turn counter on the same item is left as it is.
            ops.append(
                Update(
                    roster_key(roster.team),
                    set={"members": _members(roster), "version": roster.version + 1},
                    condition=(
                        Equals("version", roster.version) if roster.version else Below("version", 1)
                    ),
                )
            )
        try:
            self._table.transact(ops)
        except ConditionFailed as failed:
            raise VersionConflict("agent" if failed.index == 0 else "roster") from None
