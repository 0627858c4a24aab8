"""Use cases of the single view: an agent looks a citizen up (and it is recorded), supervisors
read the access record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.bookings import Booking
from chalicelib.domain.callbacks import Callback
from chalicelib.domain.cases import Case
from chalicelib.domain.citizen_view import (
    AccessRecord,
    Link,
    agencies_served,
    may_see,
    require_viewer,
    subject_hash,
)
from chalicelib.domain.directory import Agent
from chalicelib.domain.errors import Forbidden
from chalicelib.domain.local_time import iso, month_of
from chalicelib.ports.citizen_view import AccessLog
from chalicelib.services import callbacks
from chalicelib.services.context import Context

LIMIT = 100


@dataclass(frozen=True)
class LookUp:
    kind: str  # amka | afm | phone | email, already normalised
    value: str
    reason: str


def look_up(ctx: Context, agent: Agent, query: LookUp) -> list[dict[str, Any]]:
    """Every case, callback and appointment of the citizen that the agent's agencies hold,
    newest first. The look-up is recorded before anything is shown."""
    require_viewer(agent)
    served = agencies_served(ctx.directory, agent)
    value = query.value.lower() if query.kind == "email" else query.value
    items = []
    links = ctx.citizen_view.links(query.kind, value, LIMIT)
    entities = ctx.citizen_view.entities(links)
    for link in links:
        item = _describe(ctx, link, entities)
        if item is not None and may_see(served, item.get("agency")):
            items.append(item)
    ctx.citizen_view.record(
        AccessRecord(
            ctx.clock.now(),
            agent.id,
            query.kind,
            subject_hash(query.kind, value, ctx.pseudonym_key),
            query.reason,
            len(items),
        )
    )
    return items


def access_log(
    ctx: Context,
    agent: Agent,
    *,
    month: str | None = None,
    by: str | None = None,
    subject: tuple[str, str] | None = None,
) -> list[AccessRecord]:
    """Who looked at whom: by agent, by citizen (an identifier), or a month (default this one)."""
    if not agent.is_supervisor:
        raise Forbidden("supervisor")
    if subject is not None:
        kind, value = subject
        value = value.lower() if kind == "email" else value
        hashed = subject_hash(kind, value, ctx.pseudonym_key)
        return ctx.citizen_view.access_log(AccessLog("subject", hashed))
    if by is not None:
        return ctx.citizen_view.access_log(AccessLog("agent", by))
    return ctx.citizen_view.access_log(AccessLog("month", month or month_of(ctx.clock.now())))


# --- one entry per kind of dealing -------------------------------------------------------


def _describe(ctx: Context, link: Link, entities: dict[tuple[str, str], Any]) -> dict | None:
    describe = DESCRIBERS.get(link.kind)
    if describe is None:
        described = _as_linked(link)
    elif (link.kind, link.ref) in entities:
        described = describe(ctx, entities[link.kind, link.ref])
    else:
        return None  # the link outlived its entity
    return {
        "kind": link.kind,
        "ref": link.ref,
        "created_at": iso(link.created_at),
        **described,
    }


def _case(ctx: Context, case: Case) -> dict[str, Any]:
    return {
        "channel": case.channel.value,
        "status": case.status.value,
        "agency": case.agency,
        "topic": case.topic,
        "subject": case.subject,
        "tier": case.tier,
        "owner": {"team": case.owner.team, "agent": case.owner.agent},
    }


def _callback(ctx: Context, callback: Callback) -> dict[str, Any]:
    return {
        "channel": callback.channel,
        "status": callback.status.value,
        "agency": callback.agency,
        "topic": callback.topic,
        "window": callbacks.window_of(callback.window),
        "phone": callback.phone,
        "case_reference": callback.case_reference,
        "owner": {"team": callback.owner.team, "agent": callback.owner.agent},
    }


def _booking(ctx: Context, booking: Booking) -> dict[str, Any]:
    service = ctx.catalogue.services.get(booking.service)
    return {
        # Booked at a service centre's counter is the in-person channel of the single view.
        "channel": "in_person" if booking.channel.value == "counter" else booking.channel.value,
        "status": booking.status.value,
        "agency": service.agency if service else None,
        "service": booking.service,
        "branch": booking.branch,
        "mode": booking.mode.value,
        "start": iso(booking.start),
        "end": iso(booking.end),
    }


def _as_linked(link: Link) -> dict[str, Any]:
    """A kind this view cannot load: shown as its link holds it."""
    return {
        "channel": None,
        "status": None,
        "agency": link.agency,
        **dict(link.extra),
    }


Describer = Callable[[Context, Any], "dict[str, Any]"]

DESCRIBERS: dict[str, Describer] = {"case": _case, "callback": _callback, "booking": _booking}
