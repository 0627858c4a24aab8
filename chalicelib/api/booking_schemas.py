"""Request and response shapes of the appointment routes (public and branch staff)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from chalicelib.api.citizen_schemas import BookingCitizenIn, StaffCitizenIn
from chalicelib.api.fields import (
    Amka,
    Instant,
    ItemId,
    Strict,
)
from chalicelib.booking_data import settings_to_raw
from chalicelib.domain.bookings import Booking, Channel
from chalicelib.domain.catalogue import Accommodation, Branch, BranchSettings, Mode, Service
from chalicelib.domain.directory import Agent
from chalicelib.domain.local_time import iso
from chalicelib.domain.slots import Slot
from chalicelib.domain.weekly_hours import WEEKDAYS, WeeklyHours, from_raw
from chalicelib.services.booking_book import BookAppointment
from chalicelib.services.waitlist import JoinWaitlist

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> date:
    # Only YYYY-MM-DD: pydantic would also take a number of seconds as a date.
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
        raise PydanticCustomError("date", "a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise PydanticCustomError("date", "a date as YYYY-MM-DD") from None


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
ModeName = Literal["in_person", "video"]
AccommodationName = Literal["longer_slot", "interpreter", "step_free_access", "sign_language"]
# A language code or name ("uk", "Ουκρανικά", "Arabic (Levantine)"): letters, spaces, - ( ).
InterpreterLanguage = Annotated[
    str, Field(min_length=2, max_length=40, pattern=r"^[^\W\d_]+(?:[ \-()][^\W\d_()]*\)?)*$")
]
AccommodationNote = Annotated[str, Field(max_length=200)]
Language = Literal["el", "en"]
RawWeek = dict[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], list[tuple[str, str]]]


def _accommodations(value: Any) -> Any:
    """Query strings carry ``a,b``; bodies carry a list."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


Accommodations = Annotated[
    list[AccommodationName], BeforeValidator(_accommodations), Field(max_length=4)
]


def accommodations_of(names: list[str]) -> frozenset[Accommodation]:
    return frozenset(Accommodation(n) for n in names)


# --- requests ------------------------------------------------------------------------


class _ServiceChoice(Strict):
    """What every request for a place names: the service, how, in which language, with what help."""

    service: ItemId
    mode: ModeName = "in_person"
    language: Language = "el"
    accommodations: Accommodations = Field(default_factory=list)


class _PlaceChoice(_ServiceChoice):
    start: Instant
    interpreter_language: InterpreterLanguage | None = None
    accommodation_note: AccommodationNote = ""


class BookingIn(_PlaceChoice):
    branch: ItemId
    citizen: BookingCitizenIn

    def command(self) -> BookAppointment:
        return _booking(self.branch, self, Channel.WEB)


class StaffBookingIn(_PlaceChoice):
    channel: Literal["phone", "counter"] = "counter"
    citizen: StaffCitizenIn

    def command(self, branch: str, staff: Agent) -> BookAppointment:
        return replace(_booking(branch, self, Channel(self.channel)), staff=staff)


def _booking(branch: str, body: BookingIn | StaffBookingIn, channel: Channel) -> BookAppointment:
    return BookAppointment(
        branch,
        body.service,
        body.start,
        Mode(body.mode),
        body.language,
        body.citizen.to_domain(),
        accommodations_of(body.accommodations),
        channel,
        body.interpreter_language,
        body.accommodation_note.strip(),
    )


class RescheduleIn(Strict):
    start: Instant


class WaitlistIn(_ServiceChoice):
    branch: ItemId
    date: IsoDate
    citizen: BookingCitizenIn

    def command(self) -> JoinWaitlist:
        return JoinWaitlist(
            self.branch,
            self.service,
            self.date,
            Mode(self.mode),
            self.language,
            self.citizen.to_domain(),
            accommodations_of(self.accommodations),
        )


class BranchesQuery(Strict):
    service: str | None = Field(default=None, min_length=1, max_length=60)
    mode: ModeName | None = None
    accommodations: Accommodations = Field(default_factory=list)


class AvailabilityQuery(Strict):
    service: ItemId
    from_: IsoDate = Field(alias="from")
    to: IsoDate
    mode: ModeName = "in_person"
    accommodations: Accommodations = Field(default_factory=list)


class CalendarQuery(BaseModel):
    """Documents the calendar file's query (the route reads ``token`` as it is)."""

    token: str | None = None


class DayQuery(Strict):
    date: IsoDate | None = None


class StaffActionIn(Strict):
    version: int = Field(ge=1)
    note: str = Field(default="", max_length=500)
    start: Instant | None = None


class HoursIn(Strict):
    version: int = Field(ge=0)
    hours: RawWeek
    walk_in: RawWeek = Field(default_factory=dict)

    @field_validator("hours", "walk_in")
    @classmethod
    def well_formed(cls, value: RawWeek) -> RawWeek:
        try:
            from_raw(value)
        except ValueError:
            raise PydanticCustomError("hours", "HH:MM-HH:MM, in order, not overlapping") from None
        return value

    def weeks(self) -> tuple[WeeklyHours, WeeklyHours]:
        return from_raw(self.hours), from_raw(self.walk_in)


class CapacityIn(Strict):
    version: int = Field(ge=0)
    service: ItemId
    in_person: int | None = Field(default=None, ge=0, le=100)
    video: int | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def some_desks(self) -> CapacityIn:
        if self.in_person is None and self.video is None:
            raise PydanticCustomError("required", "in_person or video")
        return self

    def desks(self) -> dict[Mode, int]:
        pairs = ((Mode.IN_PERSON, self.in_person), (Mode.VIDEO, self.video))
        return {mode: n for mode, n in pairs if n is not None}


class ClosureIn(Strict):
    version: int = Field(ge=0)
    date: IsoDate
    reason: str = Field(min_length=1, max_length=200)


class LiftBlockIn(Strict):
    amka: Amka
    service: ItemId
    reason: str = Field(min_length=3, max_length=500)


class VersionQuery(Strict):
    version: int = Field(ge=0)


# --- responses -----------------------------------------------------------------------


def service_view(service: Service) -> dict[str, Any]:
    return {
        "id": service.id,
        "agency": service.agency,
        "name": {"el": service.name.el, "en": service.name.en},
        "duration_minutes": int(service.duration.total_seconds() // 60),
        "buffer_minutes": int(service.buffer.total_seconds() // 60),
        "modes": [m.value for m in Mode if m in service.modes],
    }


def branch_view(branch: Branch, modes: list[Mode]) -> dict[str, Any]:
    return {
        "id": branch.id,
        "name": {"el": branch.name.el, "en": branch.name.en},
        "address": branch.address,
        "city": {"el": branch.city.el, "en": branch.city.en},
        "services": sorted(branch.services),
        "modes": [m.value for m in modes],
        "step_free_access": branch.step_free,
        "interpreter_languages": sorted(branch.interpreter_languages),
    }


def slot_view(slot: Slot, remaining: int) -> dict[str, Any]:
    return {"start": iso(slot.start), "end": iso(slot.end), "remaining": remaining}


def staff_view(described: dict[str, Any], booking: Booking) -> dict[str, Any]:
    """The citizen's view plus what the desk needs: identity, version, who booked, history."""
    return {
        **described,
        "version": booking.version,
        "citizen": vars(booking.citizen),
        "booked_by": booking.booked_by,
        "history": [
            {"at": iso(e.at), "actor": e.actor, "action": e.action, "note": e.note}
            for e in booking.history
        ],
    }


def settings_view(branch: str, settings: BranchSettings, version: int) -> dict[str, Any]:
    raw = settings_to_raw(settings)
    return {
        "branch": branch,
        "version": version,
        "hours": raw["hours"],
        "walk_in": raw["walk_in"],
        "closures": raw["closures"],
        "capacity": raw["services"],
        "weekdays": list(WEEKDAYS),
    }
