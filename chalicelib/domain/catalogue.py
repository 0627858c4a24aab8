"""What can be booked where: services, branches, the settings branch staff may change.

Reference data from data/branches.json; only a branch's settings change at run time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from chalicelib.domain.booking_policy import BookingPolicy
from chalicelib.domain.directory import Text
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.slots import Schedule, SlotLength, weekly
from chalicelib.domain.weekly_hours import WeeklyHours


class Mode(StrEnum):
    IN_PERSON = "in_person"
    VIDEO = "video"


class Accommodation(StrEnum):
    LONGER_SLOT = "longer_slot"
    INTERPRETER = "interpreter"
    STEP_FREE = "step_free_access"
    # Arranged through the national sign-language relay, so every branch can offer it.
    SIGN_LANGUAGE = "sign_language"


@dataclass(frozen=True)
class Service:
    id: str
    agency: str
    name: Text
    duration: timedelta
    buffer: timedelta = timedelta()
    modes: frozenset[Mode] = frozenset({Mode.IN_PERSON})

    def length(self, accommodations: frozenset[Accommodation], longer_units: int) -> SlotLength:
        units = longer_units if Accommodation.LONGER_SLOT in accommodations else 1
        return SlotLength(self.duration, self.buffer, units)


@dataclass(frozen=True)
class BranchSettings:
    """What branch staff may change: hours, walk-in windows, closures, desks per service."""

    hours: WeeklyHours
    walk_in: WeeklyHours
    closures: Mapping[date, str]
    capacity: Mapping[str, Mapping[Mode, int]]

    def __post_init__(self) -> None:
        object.__setattr__(self, "hours", weekly(self.hours))
        object.__setattr__(self, "walk_in", weekly(self.walk_in))

    def schedule(self, observes_holidays: bool) -> Schedule:
        return Schedule(self.hours, self.walk_in, frozenset(self.closures), observes_holidays)

    def capacity_of(self, service: str, mode: Mode) -> int:
        return self.capacity.get(service, {}).get(mode, 0)


@dataclass(frozen=True)
class Branch:
    id: str
    name: Text
    address: str
    city: Text
    services: frozenset[str]
    defaults: BranchSettings
    observes_holidays: bool = True
    step_free: bool = False
    interpreter_languages: frozenset[str] = frozenset()

    def offers(self, accommodations: frozenset[Accommodation]) -> bool:
        if Accommodation.STEP_FREE in accommodations and not self.step_free:
            return False
        return Accommodation.INTERPRETER not in accommodations or bool(self.interpreter_languages)

    def modes(self, service: Service, settings: BranchSettings) -> list[Mode]:
        return [m for m in Mode if m in service.modes and settings.capacity_of(service.id, m) > 0]


@dataclass(frozen=True)
class Catalogue:
    """The bookable services, the branches that offer them, and the booking rules."""

    services: Mapping[str, Service]
    branches: Mapping[str, Branch]
    policy: BookingPolicy
    video_base_url: str = ""

    def service(self, service_id: str, field_name: str = "service") -> Service:
        try:
            return self.services[service_id]
        except KeyError:
            raise InvalidInput(field_name, "unknown-service") from None

    def branch(self, branch_id: str, field_name: str = "branch") -> Branch:
        try:
            return self.branches[branch_id]
        except KeyError:
            raise InvalidInput(field_name, "unknown-branch") from None
