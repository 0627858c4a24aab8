"""Request and response shapes of the case routes.

The contract's times are ISO 8601 in Europe/Athens (``local_time.iso``), whatever zone the
clock gave.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from chalicelib.api.citizen_schemas import CitizenIn
from chalicelib.api.fields import (
    AgencyId,
    ItemId,
    Strict,
)
from chalicelib.domain.cases import CITIZEN, SYSTEM, Case, Owner
from chalicelib.domain.directory import Directory, Text
from chalicelib.domain.local_time import iso, iso_or_none

Name = dict[str, str]

# How the console names what is not in the directory: channels and the actors that are not staff.
CHANNEL_NAMES = {
    "web": Text("Ιστότοπος", "Website"),
    "phone": Text("Τηλέφωνο", "Phone"),
    "in_person": Text("Αυτοπροσώπως", "In person"),
    "open311": Text("Open311", "Open311"),
}
ACTOR_NAMES = {
    CITIZEN: Text("Πολίτης", "Citizen"),
    SYSTEM: Text("Σύστημα", "System"),
    "callback": Text("Επανάκληση", "Callback"),
}


def _name(text: Text | None, fallback: str) -> Name:
    return {"el": text.el, "en": text.en} if text else {"el": fallback, "en": fallback}


def agency_name(directory: Directory, agency: str | None) -> Name | None:
    found = directory.agencies.get(agency or "")
    return _name(found.name if found else None, agency) if agency else None


def topic_name(directory: Directory, agency: str, topic: str) -> Name:
    found = directory.agencies.get(agency)
    named = found.topic(topic) if found else None
    return _name(named.name if named else None, topic)


def agent_name(directory: Directory, agent: str | None) -> str | None:
    found = directory.agents.get(agent or "")
    return (found.name or agent) if found else agent


def owner_names(directory: Directory, owner: Owner) -> dict[str, Any]:
    """Names of the owning team and agent, shown beside ``owner``'s ids."""
    team = directory.teams.get(owner.team)
    return {
        "team": _name(team.name if team else None, owner.team),
        "agent": agent_name(directory, owner.agent),
    }


def owner_line(directory: Directory, owner: Owner) -> Name:
    """The owner as one line in each language: "team" or "team / agent"."""
    named = owner_names(directory, owner)
    tail = f" / {named['agent']}" if owner.agent else ""
    return {lang: f"{name}{tail}" for lang, name in named["team"].items()}


def actor_name(directory: Directory, actor: str) -> Name:
    if actor in ACTOR_NAMES:
        return _name(ACTOR_NAMES[actor], actor)
    name = agent_name(directory, actor) or actor
    return {"el": name, "en": name}


def names(directory: Directory, case: Case) -> dict[str, Any]:
    """Display names beside the ids of a case's agency, topic and owner (for the console)."""
    return {
        "agency_name": agency_name(directory, case.agency),
        "topic_name": topic_name(directory, case.agency, case.topic),
        "owner": {"team": case.owner.team, "agent": case.owner.agent},
        "owner_name": owner_names(directory, case.owner),
    }


class CaseIn(Strict):
    agency: AgencyId
    topic: ItemId
    subject: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=5000)
    language: Literal["el", "en"] = "el"
    consent: bool
    citizen: CitizenIn

    @field_validator("consent")
    @classmethod
    def consented(cls, value: bool) -> bool:
        if value is not True:
            raise PydanticCustomError("consent", "consent is required")
        return value


class ReplyIn(Strict):
    text: str = Field(min_length=1, max_length=5000)


class ActionIn(Strict):
    version: int = Field(ge=1)
    note: str | None = Field(default=None, max_length=5000)
    reason: str | None = Field(default=None, max_length=2000)
    question: str | None = Field(default=None, max_length=2000)
    answer: str | None = Field(default=None, max_length=5000)
    team: str | None = Field(default=None, max_length=60)
    agent: str | None = Field(default=None, max_length=60)
    agency: str | None = Field(default=None, max_length=40)
    topic: str | None = Field(default=None, max_length=60)

    @property
    def text(self) -> str:
        return self.note or self.reason or self.question or self.answer or ""


class OwnerOut(BaseModel):
    team: str


class CaseViewOut(BaseModel):
    """The citizen's view of a case (``GET /cases/{reference}`` with ``X-Tracking-Token``)."""

    reference: str = Field(examples=["C-7K3M-9Q2XH"])
    status: str
    tier: int
    agency: str
    topic: str
    subject: str
    created_at: datetime
    due_at: datetime = Field(description="The owning tier's internal target; moves on escalation")
    statutory_due_at: datetime = Field(description="The end of the statutory deadline")
    promised_by: date = Field(
        description="The date the agency commits to (Europe/Athens); fixed when the case "
        "opens. The citizen may chase from the day after.",
        examples=["2027-02-12"],
    )
    question: str | None = None
    answer: str | None = None
    timeline: list[dict[str, Any]]


class CaseReceiptOut(BaseModel):
    """The receipt of a submitted case (``POST /cases``)."""

    reference: str = Field(examples=["C-7K3M-9Q2XH"])
    tracking_token: str
    status: str
    tier: int
    owner: OwnerOut
    created_at: datetime
    due_at: datetime
    statutory_due_at: datetime
    promised_by: date = Field(examples=["2027-02-12"])


def citizen_view(case: Case) -> dict[str, Any]:
    """What the citizen sees: progress and answers, never internal notes or names of staff."""
    return {
        "reference": case.reference,
        "status": case.status.value,
        "tier": case.tier,
        "agency": case.agency,
        "topic": case.topic,
        "subject": case.subject,
        "created_at": iso(case.created_at),
        "due_at": iso(case.clocks.resolution_due),
        "statutory_due_at": iso(case.clocks.statutory_due),
        "promised_by": case.promise.isoformat(),
        "question": case.question,
        "answer": case.answer,
        "timeline": [
            {
                "at": iso(e.at),
                "action": e.action,
                "status": e.to_status.value if e.to_status else None,
                "note": e.note
                if e.action in ("information_requested", "resolved", "citizen_replied")
                else "",
            }
            for e in case.history
            if e.public
        ],
    }


def agent_view(
    case: Case, now: datetime, directory: Directory, allowed_actions: list[str]
) -> dict[str, Any]:
    """What an agent sees: everything, with names beside ids and the actions they may take now."""
    c = case.clocks
    return {
        **citizen_view(case),
        **names(directory, case),
        "channel_name": _name(CHANNEL_NAMES.get(case.channel.value), case.channel.value),
        "transferred_from_name": agency_name(directory, case.transferred_from),
        "allowed_actions": allowed_actions,
        "version": case.version,
        "channel": case.channel.value,
        "description": case.description,
        "language": case.language,
        "citizen": vars(case.citizen),
        "first_response_due_at": iso_or_none(c.first_response_due),
        "warn_at": iso_or_none(c.warn_at),
        "paused_at": iso_or_none(c.paused_at),
        "breached_at": iso_or_none(case.breached_at),
        "chased_at": iso_or_none(case.last_chased_at),
        "transferred_from": case.transferred_from,
        "history": [
            {
                "at": iso(e.at),
                "actor": e.actor,
                "action": e.action,
                "tier": e.tier,
                "from_status": e.from_status.value if e.from_status else None,
                "to_status": e.to_status.value if e.to_status else None,
                "from_owner": str(e.from_owner) if e.from_owner else None,
                "to_owner": str(e.owner),
                "note": e.note,
                "actor_name": actor_name(directory, e.actor),
                "owner_name": owner_line(directory, e.owner),
            }
            for e in case.history
        ],
        "time_by_tier": {k: v.total_seconds() for k, v in case.time_by_tier(now).items()},
        "time_by_owner": {k: v.total_seconds() for k, v in case.time_by_owner(now).items()},
    }


def queue_entry(case: Case, directory: Directory) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "version": case.version,
        "status": case.status.value,
        "tier": case.tier,
        "agency": case.agency,
        "topic": case.topic,
        "subject": case.subject,
        "due_at": iso(case.clocks.resolution_due),
        "warn_at": iso_or_none(case.clocks.warn_at),
        "warned": case.clocks.warned,
        "breached_at": iso_or_none(case.breached_at),
        "chased": case.is_chased(),
        "created_at": iso(case.created_at),
        **names(directory, case),
    }
