"""Administrators manage the teams' people: agents, their teams, shifts and availability.

An agent's id is their Cognito username (the claim the API reads to know who signs in).
Deactivating keeps the record: the cases' history still names the agent.
"""

from __future__ import annotations

import re
from typing import Literal

from chalice import Blueprint
from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from chalicelib.api.auth import AGENT_ROUTE
from chalicelib.api.booking_schemas import RawWeek
from chalicelib.api.common import agent_of, ctx
from chalicelib.api.fields import ItemId, Strict
from chalicelib.api.openapi import describe
from chalicelib.api.problems import endpoint, json_response, read_body
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.roster import StaffRole, agent_record
from chalicelib.domain.weekly_hours import from_raw
from chalicelib.services import roster as service

bp = Blueprint(__name__)

# Cognito usernames: letters, digits and a few marks (a sub is a UUID, which fits too).
_AGENT_ID = re.compile(r"[\w.@+-]{1,128}")


class AgentIn(Strict):
    name: str = Field(min_length=1, max_length=120)
    teams: list[ItemId] = Field(min_length=1, max_length=20)
    role: Literal["agent", "supervisor"] = "agent"
    # Weekly shifts, Athens time ({"mon": [["08:00", "16:00"]]}); null: whenever the team works.
    shifts: RawWeek | None = None
    available: bool = True
    version: int = Field(ge=0, description="the version read; 0 to add a new agent")

    @field_validator("shifts")
    @classmethod
    def well_formed(cls, value: RawWeek | None) -> RawWeek | None:
        try:
            if value is not None:
                from_raw(value)
        except ValueError:
            raise PydanticCustomError("hours", "HH:MM-HH:MM, in order, not overlapping") from None
        return value

    def details(self) -> service.AgentDetails:
        return service.AgentDetails(
            self.name,
            frozenset(self.teams),
            StaffRole(self.role),
            from_raw(self.shifts) if self.shifts is not None else None,
            self.available,
            self.version,
        )


def _id(agent_id: str, *, new: bool = False) -> str:
    if _AGENT_ID.fullmatch(agent_id):
        return agent_id
    if new:
        raise InvalidInput("agent_id", "agent-id")
    raise NotFound("agent", id=agent_id[:40])


@endpoint(bp, "/admin/agents", methods=["GET"], **AGENT_ROUTE)
def list_agents():
    request = bp.current_request
    team = (request.query_params or {}).get("team")
    actor = agent_of(request)
    found = service.team_agents(ctx(), actor, team) if team else service.all_agents(ctx(), actor)
    # The teams (reference data) beside them, so the console can offer every team by name.
    teams = [
        {"id": t.id, "name": {"el": t.name.el, "en": t.name.en}, "tier": t.tier}
        for t in ctx().directory.teams.values()
    ]
    return json_response({"agents": [agent_record(a) for a in found], "teams": teams})


@endpoint(bp, "/admin/agents/{agent_id}", methods=["GET"], **AGENT_ROUTE)
def get_agent(agent_id: str):
    found = service.agent_of(ctx(), agent_of(bp.current_request), _id(agent_id))
    return json_response(agent_record(found))


@endpoint(bp, "/admin/agents/{agent_id}", methods=["PUT"], **AGENT_ROUTE)
def put_agent(agent_id: str):
    request = bp.current_request
    actor = agent_of(request)
    body = read_body(request, AgentIn)
    saved = service.save_agent(ctx(), actor, _id(agent_id, new=True), body.details())
    return json_response(agent_record(saved), 201 if saved.version == 1 else 200)


@endpoint(bp, "/admin/agents/{agent_id}", methods=["DELETE"], **AGENT_ROUTE)
def deactivate_agent(agent_id: str):
    found = service.deactivate_agent(ctx(), agent_of(bp.current_request), _id(agent_id))
    return json_response(agent_record(found))


describe(
    "GET",
    "/admin/agents",
    "Agents (admin): a team's active members with ?team=, else every agent ever added",
    agent=True,
    tag="roster",
)
describe("GET", "/admin/agents/{agent_id}", "One agent's record (admin)", agent=True, tag="roster")
describe(
    "PUT",
    "/admin/agents/{agent_id}",
    "Add (version 0) or change an agent: teams, role, shifts, availability (admin)",
    body=AgentIn,
    agent=True,
    tag="roster",
)
describe(
    "DELETE",
    "/admin/agents/{agent_id}",
    "Deactivate an agent: out of every rotation, record kept (admin)",
    agent=True,
    tag="roster",
)
