"""Request and response shapes of the callback and single-view routes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from chalicelib.api.fields import (
    Afm,
    AgencyId,
    Amka,
    Email,
    GreekPhone,
    Strict,
    within_platform_years,
)
from chalicelib.domain.callbacks import Callback, Window
from chalicelib.domain.citizen_view import AccessRecord
from chalicelib.domain.local_time import iso_or_none
from chalicelib.services.callback_requests import RequestCallback

ASAP = "asap"
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _window_start(value: str) -> str:
    if value == ASAP:
        return value
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("window-start", "a time with offset, or asap") from None
    if parsed.tzinfo is None:
        raise PydanticCustomError("window-start", "a time with offset, or asap")
    within_platform_years(parsed)
    return value


def _month(value: str) -> str:
    if not _MONTH.match(value):
        raise PydanticCustomError("month", "YYYY-MM")
    return value


WindowStart = Annotated[str, Field(max_length=40), AfterValidator(_window_start)]


class CallbackIn(Strict):
    """``window_start`` is a window's start (ISO 8601 with offset, as listed by
    /callback-windows) or ``"asap"`` for the earliest window with room. To link a case,
    a citizen also sends the case's ``X-Tracking-Token`` header."""

    agency: AgencyId
    window_start: WindowStart
    phone: GreekPhone
    language: Literal["el", "en"] = "el"
    case_reference: str | None = Field(default=None, min_length=1, max_length=40)
    topic: str | None = Field(default=None, min_length=1, max_length=60)

    @property
    def start(self) -> dt.datetime | None:
        return None if self.window_start == ASAP else dt.datetime.fromisoformat(self.window_start)

    def command(self, case_token: str | None) -> RequestCallback:
        """``case_token``: the X-Tracking-Token the citizen showed (none: an agent links)."""
        asked = self.model_dump(exclude={"window_start"})
        return RequestCallback(**asked, window_start=self.start, case_token=case_token)


class OutcomeIn(Strict):
    """A reached callback may also ``resolve`` its linked case (with ``answer``) or
    ``escalate`` it (with ``reason``) in the same step."""

    outcome: Literal["reached", "no_answer", "busy", "wrong_number", "declined"]
    version: int = Field(ge=1)
    note: str | None = Field(default=None, max_length=2000)
    case_action: Literal["resolve", "escalate"] | None = None
    answer: str | None = Field(default=None, max_length=5000)
    reason: str | None = Field(default=None, max_length=2000)


class WindowsQuery(Strict):
    agency: AgencyId
    day: dt.date = Field(alias="date")


class MissedQuery(Strict):
    day: dt.date | None = Field(default=None, alias="date")


class CitizenQuery(Strict):
    """Exactly one identifier, and why the citizen is looked up (kept in the access record)."""

    amka: Amka | None = None
    afm: Afm | None = None
    phone: GreekPhone | None = None
    email: Email | None = None
    reason: str = Field(min_length=3, max_length=500)

    def identifiers(self) -> list[tuple[str, str]]:
        pairs = [("amka", self.amka), ("afm", self.afm), ("phone", self.phone)]
        return [(k, v) for k, v in [*pairs, ("email", self.email)] if v]


class AccessLogQuery(Strict):
    """By agent or month; an identifier is refused here (it would sit in the URL)."""

    month: Annotated[str, AfterValidator(_month)] | None = None
    agent: str | None = Field(default=None, min_length=1, max_length=60)


# --- responses ------------------------------------------------------------------------


def window_view(window: Window, remaining: int | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {"start": iso_or_none(window.start), "end": iso_or_none(window.end)}
    if remaining is not None:
        view["remaining"] = remaining
    return view


def citizen_callback(callback: Callback) -> dict[str, Any]:
    """What the citizen sees: when we will call, and what happened; no staff names or notes."""
    return {
        "reference": callback.reference,
        "status": callback.status.value,
        "agency": callback.agency,
        "topic": callback.topic,
        "language": callback.language,
        "phone": _masked(callback.phone),
        "window": window_view(callback.window),
        "case_reference": callback.case_reference,
        "created_at": iso_or_none(callback.requested_at),
        "attempts": len(callback.attempts),
        "timeline": [{"at": iso_or_none(e.at), "action": e.action} for e in callback.history],
    }


def agent_callback(callback: Callback) -> dict[str, Any]:
    return {
        **citizen_callback(callback),
        "version": callback.version,
        "phone": callback.phone,
        "channel": callback.channel,
        "requested_by": callback.requested_by,
        "due_at": iso_or_none(callback.due_at),
        "owner": {"team": callback.owner.team, "agent": callback.owner.agent},
        "missed_count": callback.missed_count,
        "closed_at": iso_or_none(callback.closed_at),
        "attempts": [
            {"at": iso_or_none(a.at), "agent": a.agent, "outcome": a.outcome.value, "note": a.note}
            for a in callback.attempts
        ],
        "history": [
            {
                "at": iso_or_none(e.at),
                "actor": e.actor,
                "action": e.action,
                "owner": str(e.owner),
                "note": e.note,
            }
            for e in callback.history
        ],
    }


def access_entry(record: AccessRecord) -> dict[str, Any]:
    return {
        "at": iso_or_none(record.at),
        "agent": record.agent,
        "subject": {"kind": record.subject_kind, "hash": record.subject_hash},
        "reason": record.reason,
        "results": record.results,
    }


def _masked(phone: str) -> str:
    # A link with the token may be forwarded; the full number stays with staff.
    return phone[:-7] + "****" + phone[-3:]
