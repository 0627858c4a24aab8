"""The single view of a citizen: every case, callback and appointment across the channels.

Looking a citizen up reads personal data, so it is allowed only to agents and supervisors,
shows only the agencies their teams serve, and always leaves an access record (who looked
at whom, when and why). The record names the citizen by a hash of the identifier used.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.case_values import Citizen
from chalicelib.domain.directory import Agent, Directory, Role
from chalicelib.domain.errors import Forbidden

IDENTIFIER_KINDS = ("amka", "afm", "phone", "email")
EVERY_AGENCY = "*"


def identifiers_of(citizen: Citizen) -> list[tuple[str, str]]:
    """Every identifier the citizen gave, as (kind, value): the keys of the single view."""
    pairs = [
        ("amka", citizen.amka),
        ("afm", citizen.afm),
        ("phone", citizen.phone),
        ("email", citizen.email.lower() if citizen.email else None),
    ]
    return [(kind, value) for kind, value in pairs if value]


def agencies_served(directory: Directory, agent: Agent) -> frozenset[str]:
    """The agencies of the agent's teams; "*" among them means every agency."""
    served: set[str] = set()
    for team_id in agent.teams:
        team = directory.teams.get(team_id)
        if team is not None:
            served |= team.agencies
    return frozenset(served)


def may_see(served: frozenset[str], agency: str | None) -> bool:
    """An item of no known agency is shown only to those who serve every agency."""
    return EVERY_AGENCY in served or (agency is not None and agency in served)


def require_viewer(agent: Agent) -> None:
    # An administrator manages the platform; reading citizens' dealings is for service staff.
    if not agent.roles & {Role.AGENT, Role.SUPERVISOR}:
        raise Forbidden("citizen-view")


def subject_hash(kind: str, value: str, key: bytes) -> str:
    """Pseudonymous name of a citizen in the access record (same identifier, same name).

    Keyed, because an AMKA or a phone number has few enough values to be found again from
    a plain hash; without the key the record does not say whom it is about.
    """
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Link:
    """One of a citizen's dealings as the single-view index holds it."""

    kind: str  # case | callback | booking
    ref: str
    created_at: datetime
    agency: str | None = None
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class AccessRecord:
    at: datetime
    agent: str
    subject_kind: str
    subject_hash: str
    reason: str
    results: int = 0
