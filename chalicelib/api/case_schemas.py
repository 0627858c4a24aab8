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
from chalicelib.domain.cases import Case
from chalicelib.domain.local_time import iso, iso_or_none


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


def agent_view(case: Case, now: datetime) -> dict[str, Any]:
    c = case.clocks
    return {
        **citizen_view(case),
        "version": case.version,
        "channel": case.channel.value,
        "description": case.description,
        "language": case.language,
        "citizen": vars(case.citizen),
        "owner": {"team": case.owner.team, "agent": case.owner.agent},
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
            }
            for e in case.history
        ],
        "time_by_tier": {k: v.total_seconds() for k, v in case.time_by_tier(now).items()},
        "time_by_owner": {k: v.total_seconds() for k, v in case.time_by_owner(now).items()},
    }


def queue_entry(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "version": case.version,
        "status": case.status.value,
        "tier": case.tier,
        "agency": case.agency,
        "topic": case.topic,
        "subject": case.subject,
        "owner": {"team": case.owner.team, "agent": case.owner.agent},
        "due_at": iso(case.clocks.resolution_due),
        "warn_at": iso_or_none(case.clocks.warn_at),
        "warned": case.clocks.warned,
        "breached_at": iso_or_none(case.breached_at),
        "chased": case.is_chased(),
        "created_at": iso(case.created_at),
    }
