"""Helpers shared by the booking tests: demo citizens, Athens times, booking commands."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from chalicelib.domain.bookings import Accommodation, BookingCitizen, Channel, Mode
from chalicelib.domain.calendar import ATHENS
from chalicelib.domain.identifiers import amka_check_digit
from chalicelib.services import bookings as service
from chalicelib.services import branch_admin

SYNTAGMA = "kep-athens-syntagma"
CERTIFICATE = "kep-certificate"
SIGNATURE = "kep-signature-authentication"
EFKA = "efka-athens-center"
PENSION = "efka-pension-consultation"

STRIKE_DAY = date(2026, 12, 10)  # an ad-hoc closure in data/branches.json


def amka(n: int) -> str:
    first10 = f"150385{n:04d}"
    return first10 + amka_check_digit(first10)


def citizen(n: int = 1, *, email: bool = True) -> BookingCitizen:
    return BookingCitizen(
        f"Πολίτης {n}",
        amka(n),
        email=f"citizen{n}@example.gr" if email else None,
        phone=None if email else f"+3069{n:08d}",
    )


def command(
    start: datetime,
    n: int = 1,
    *,
    service_id: str = CERTIFICATE,
    branch: str = SYNTAGMA,
    mode: Mode = Mode.IN_PERSON,
    accommodations: frozenset[Accommodation] = frozenset(),
    language: str = "el",
    channel: Channel = Channel.WEB,
) -> service.BookAppointment:
    return service.BookAppointment(
        branch, service_id, start, mode, language, citizen(n), accommodations, channel
    )


def book(ctx, start: datetime, n: int = 1, **kwargs) -> dict:
    idempotency = kwargs.pop("idempotency", None)
    staff = kwargs.pop("staff", None)
    return service.book(ctx, replace(command(start, n, **kwargs), staff=staff), idempotency)


def remaining_at(ctx, start: datetime, *, branch=SYNTAGMA, service_id=CERTIFICATE, **kw) -> int:
    day = start.astimezone(ATHENS).date()
    slots = service.availability(ctx, branch, service_id, day, day, **kw)
    return next((left for slot, left in slots if slot.start == start), 0)


def set_capacity(ctx, places: int) -> None:
    """Staff set how many citizens Syntagma serves at once, in person, for a certificate."""
    katerina = ctx.directory.agents["katerina"]
    branch_admin.set_capacity(ctx, katerina, SYNTAGMA, 0, CERTIFICATE, {Mode.IN_PERSON: places})
