"""The small values a case is made of: its status, channel, citizen, owner and history events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from chalicelib.domain.directory import Route


class Status(StrEnum):
    NEW = "NEW"
    ASSIGNED = "ASSIGNED"
    AWAITING_CITIZEN = "AWAITING_CITIZEN"
    ESCALATED = "ESCALATED"
    RESOLVED = "RESOLVED"
    REOPENED = "REOPENED"
    CLOSED = "CLOSED"


OPEN = frozenset(
    {Status.NEW, Status.ASSIGNED, Status.AWAITING_CITIZEN, Status.ESCALATED, Status.REOPENED}
)
# Waiting in a team's queue for an agent to take it.
UNCLAIMED = frozenset({Status.NEW, Status.ESCALATED, Status.REOPENED})


class Channel(StrEnum):
    WEB = "web"
    PHONE = "phone"
    IN_PERSON = "in_person"
    # Filed by a civic client application through the Open311 GeoReport v2 interface.
    OPEN311 = "open311"


SYSTEM = "system"
CITIZEN = "citizen"

RouteFn = Callable[[str, str, int], Route]


@dataclass(frozen=True)
class Citizen:
    full_name: str
    amka: str | None = None
    afm: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class CaseRequest:
    """What the citizen asks, as they or the agent who took the call wrote it."""

    agency: str
    topic: str
    subject: str
    description: str
    language: str
    citizen: Citizen
    channel: Channel = Channel.WEB

    def as_fields(self) -> dict[str, object]:
        # Shallow on purpose: the case keeps the same Citizen value.
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class Owner:
    team: str
    agent: str | None = None

    def __str__(self) -> str:
        return f"{self.team}/{self.agent}" if self.agent else self.team


@dataclass(frozen=True)
class Event:
    at: datetime
    actor: str
    action: str
    tier: int
    owner: Owner
    from_status: Status | None = None
    to_status: Status | None = None
    from_owner: Owner | None = None
    note: str = ""
    # Whether the citizen sees it on the tracking page.
    public: bool = False
