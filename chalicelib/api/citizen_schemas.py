"""How the API takes a citizen: on a case, on a booking, and at the counter."""

from __future__ import annotations

from pydantic import model_validator

from chalicelib.api.fields import Afm, Amka, Email, FullName, GreekPhone, Reachable
from chalicelib.domain.bookings import BookingCitizen
from chalicelib.domain.cases import Citizen


class CitizenIn(Reachable):
    full_name: FullName
    amka: Amka | None = None
    afm: Afm | None = None
    email: Email | None = None
    phone: GreekPhone | None = None

    def to_domain(self) -> Citizen:
        return Citizen(self.full_name, self.amka, self.afm, self.email, self.phone)


class BookingCitizenIn(Reachable):
    """The AMKA is the identity for one active booking per service."""

    full_name: FullName
    amka: Amka
    email: Email | None = None
    phone: GreekPhone | None = None

    def to_domain(self) -> BookingCitizen:
        return BookingCitizen(self.full_name, self.amka, email=self.email, phone=self.phone)


class StaffCitizenIn(BookingCitizenIn):
    """At the counter a citizen may leave no e-mail or phone: they get a printed slip."""

    @model_validator(mode="after")
    def reachable(self) -> StaffCitizenIn:
        return self
