"""Forgetting a citizen: erasure on request and anonymisation after the retention period.

An anonymised case, booking or callback keeps what the service needs to count and audit
(dates, agency, service, status, the staff's steps) and loses who it was about: name, AMKA,
AFM, e-mail, phone and the citizen's own words. The change is recorded in its history, with
no personal data: who or what anonymised it and under which order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.bookings import Booking, BookingCitizen, BookingEvent
from chalicelib.domain.bookings import Status as BookingStatus
from chalicelib.domain.callbacks import Callback
from chalicelib.domain.cases import Case, Citizen, Event
from chalicelib.domain.cases import Status as CaseStatus
from chalicelib.domain.directory import Agent, Role
from chalicelib.domain.errors import Forbidden

ANONYMOUS = "—"
ANONYMISED = "anonymised"
RETENTION = "retention"  # the actor of anonymisation by the retention period
FINISHED_BOOKINGS = frozenset(
    {BookingStatus.SERVED, BookingStatus.CANCELLED, BookingStatus.NO_SHOW}
)


@dataclass(frozen=True)
class ErasureOrder:
    """An administrator's order to forget one citizen, named by the keyed hash of the
    identifier given (the order itself must not keep what it erases)."""

    id: str
    kind: str
    subject: str
    reason: str
    by: str
    at: datetime
    done_at: datetime | None = None
    erased: int = 0
    kept: int = 0


def retained_since(entity: Case | Booking) -> datetime | None:
    """When the retention period of a finished dealing began (its last change); None while
    it is under way or once it is anonymised."""
    if is_anonymised(entity):
        return None
    if isinstance(entity, Booking):
        if entity.status not in FINISHED_BOOKINGS:
            return None
        return max([entity.end, *(e.at for e in entity.history)])
    if entity.status != CaseStatus.CLOSED or not entity.history:
        return None
    return entity.history[-1].at


def require_admin(agent: Agent) -> None:
    if Role.ADMIN not in agent.roles:
        raise Forbidden("admin")


def is_anonymised(entity: Case | Booking | Callback) -> bool:
    if isinstance(entity, Callback):
        return entity.phone == ""
    return entity.citizen.full_name == ANONYMOUS


def anonymise_case(case: Case, now: datetime, actor: str, note: str) -> None:
    case.citizen = Citizen(ANONYMOUS)
    case.description = ""
    case.history.append(Event(now, actor, ANONYMISED, case.tier, case.owner, note=note))


def anonymise_booking(booking: Booking, now: datetime, actor: str, note: str) -> None:
    booking.citizen = BookingCitizen(ANONYMOUS, "")
    booking.accommodation_note = ""
    booking.history.append(BookingEvent(now, actor, ANONYMISED, note))


def anonymise_callback(callback: Callback) -> None:
    callback.phone = ""
