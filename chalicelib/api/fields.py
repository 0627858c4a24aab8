"""Reusable validated fields for request bodies: Greek identifiers with coded errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from chalicelib.domain.identifiers import (
    InvalidIdentifier,
    normalise_afm,
    normalise_amka,
    normalise_email,
    normalise_greek_phone,
)


def _coded(normalise: Callable[[str], str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        try:
            return normalise(value)
        except InvalidIdentifier as error:
            # The error type is the message code; the API turns it into el/en text.
            raise PydanticCustomError(error.code, str(error)) from None

    return check


Amka = Annotated[str, AfterValidator(_coded(normalise_amka))]
Afm = Annotated[str, AfterValidator(_coded(normalise_afm))]
Email = Annotated[str, AfterValidator(_coded(normalise_email))]
GreekPhone = Annotated[str, AfterValidator(_coded(normalise_greek_phone))]

# Appointments and calls are booked within the platform's years; an instant near year 1 or
# 9999 cannot even be converted to Athens time, so it is refused as a bad date, not a crash.
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def within_platform_years(value: datetime) -> datetime:
    if not EARLIEST <= value <= LATEST:
        raise PydanticCustomError("datetime", "a time between 2000 and 2100")
    return value


Instant = Annotated[AwareDatetime, AfterValidator(within_platform_years)]

FullName = Annotated[str, Field(min_length=1, max_length=200)]
AgencyId = Annotated[str, Field(min_length=1, max_length=40)]
# A branch, a service or a topic of the reference data.
ItemId = Annotated[str, Field(min_length=1, max_length=60)]


class Strict(BaseModel):
    """Unknown fields are refused, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Reachable(Strict):
    """A citizen we write to: an e-mail or a phone is required (the fields are the subclass's,
    in the order it declares them)."""

    if TYPE_CHECKING:
        email: str | None
        phone: str | None

    @model_validator(mode="after")
    def reachable(self) -> Reachable:
        if not (self.email or self.phone):
            raise PydanticCustomError("contact", "email or phone is required")
        return self
