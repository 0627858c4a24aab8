"""Appointments at a branch: services, branches, the booking and the rules of its life.

The store enforces the two bounds (a slot's capacity, one active booking per citizen
and service); this module decides everything else: which slot a citizen may take,
until when they may change it, when they may check in, when they are a no-show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from chalicelib.domain.calendar import ATHENS
from chalicelib.domain.directory import Text
from chalicelib.domain.errors import DomainError, InvalidInput, InvalidTransition
from chalicelib.domain.slots import (
    BookingWindow,
    Interval,
    Schedule,
    Slot,
    SlotLength,
    find_slot,
)

# --- errors --------------------------------------------------------------------------


class SettingsChanged(DomainError):
    """Branch staff changed hours, closures or desks while a booking was being made: the
    booking is judged again on the new settings."""

    code = "settings-changed"


class SlotFull(DomainError):
    code = "slot-full"


class AlreadyBooked(DomainError):
    """The citizen already holds an active booking for this service."""

    code = "already-booked"


class BookingBlocked(DomainError):
    """Too many recent no-shows: booking this service is paused until ``until``."""

    code = "booking-blocked"

    def __init__(self, until: datetime) -> None:
        super().__init__("booking-blocked", until=until)
        self.until = until


class ChangeClosed(DomainError):
    """The citizen's cut-off before the appointment has passed; only staff may change it."""

    code = "change-closed"


class CheckInWindow(DomainError):
    code = "check-in-window"


# --- reference data ------------------------------------------------------------------


class Mode(StrEnum):
    IN_PERSON = "in_person"
    VIDEO = "video"


class Accommodation(StrEnum):
    LONGER_SLOT = "longer_slot"
    INTERPRETER = "interpreter"
    STEP_FREE = "step_free_access"


class Status(StrEnum):
    CONFIRMED = "confirmed"
    CHECKED_IN = "checked_in"
    SERVED = "served"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class Channel(StrEnum):
    WEB = "web"
    PHONE = "phone"
    COUNTER = "counter"


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

    hours: Mapping[int, tuple[Interval, ...]]
    walk_in: Mapping[int, tuple[Interval, ...]]
    closures: Mapping[date, str]
    capacity: Mapping[str, Mapping[Mode, int]]

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
class NoShowPolicy:
    limit: int = 2
    window: timedelta = timedelta(days=90)
    block: timedelta = timedelta(days=30)

    def blocked_until(self, no_shows: list[datetime], now: datetime) -> datetime | None:
        recent = [at for at in no_shows if now - at <= self.window]
        return now + self.block if len(recent) >= self.limit else None


@dataclass(frozen=True)
class BookingPolicy:
    """Configuration, not code: data/branches.json sets every value."""

    horizon_days: int = 30
    min_notice: timedelta = timedelta(hours=2)
    citizen_cutoff: timedelta = timedelta(hours=2)
    check_in_early: timedelta = timedelta(minutes=30)
    check_in_late: timedelta = timedelta(minutes=10)
    no_show_grace: timedelta = timedelta(minutes=15)
    reminder_before: timedelta = timedelta(hours=24)
    waitlist_offer: timedelta = timedelta(hours=1)
    longer_slot_units: int = 2
    max_range_days: int = 31
    no_show: NoShowPolicy = field(default_factory=NoShowPolicy)

    def window(self, by_staff: bool = False) -> BookingWindow:
        # Staff booking at the counter may fill a slot that is about to start.
        return BookingWindow(self.horizon_days, timedelta() if by_staff else self.min_notice)


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


# --- choosing a slot -----------------------------------------------------------------


def check_start(
    schedule: Schedule,
    start: datetime,
    length: SlotLength,
    now: datetime,
    window: BookingWindow,
) -> Slot:
    """The slot a requested start names, or the reason it cannot be booked (field ``start``)."""
    day = start.astimezone(ATHENS).date()
    if start <= now:
        raise InvalidInput("start", "slot-past")
    if day > window.last_day(now):
        raise InvalidInput("start", "slot-beyond-horizon", days=window.horizon_days)
    if schedule.is_closed(day):
        raise InvalidInput("start", "slot-closed-day")
    slot = find_slot(schedule, start, length)
    if slot is None:
        raise InvalidInput("start", "slot-not-a-boundary")
    if not window.is_open(slot, now):
        raise InvalidInput("start", "slot-too-soon")
    return slot


# --- the booking ---------------------------------------------------------------------


@dataclass(frozen=True)
class BookingCitizen:
    full_name: str
    amka: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class BookingEvent:
    at: datetime
    actor: str
    action: str
    note: str = ""


CITIZEN = "citizen"
SYSTEM = "system"


@dataclass
class Booking:
    code: str
    token_hash: str
    branch: str
    service: str
    mode: Mode
    start: datetime
    end: datetime
    units: tuple[datetime, ...]
    citizen: BookingCitizen
    language: str
    created_at: datetime
    status: Status = Status.CONFIRMED
    accommodations: frozenset[Accommodation] = frozenset()
    channel: Channel = Channel.WEB
    booked_by: str | None = None
    join_url: str | None = None
    reminder_due: datetime | None = None
    checked_in_at: datetime | None = None
    sequence: int = 0  # calendar revision: bumped on every move or cancellation
    history: list[BookingEvent] = field(default_factory=list)
    version: int = 0

    @classmethod
    def new(
        cls,
        *,
        code: str,
        token_hash: str,
        branch: str,
        service: str,
        mode: Mode,
        slot: Slot,
        citizen: BookingCitizen,
        language: str,
        now: datetime,
        policy: BookingPolicy,
        accommodations: frozenset[Accommodation] = frozenset(),
        channel: Channel = Channel.WEB,
        booked_by: str | None = None,
        join_url: str | None = None,
    ) -> Booking:
        booking = cls(
            code=code,
            token_hash=token_hash,
            branch=branch,
            service=service,
            mode=mode,
            start=slot.start,
            end=slot.end,
            units=slot.units,
            citizen=citizen,
            language=language,
            created_at=now,
            accommodations=accommodations,
            channel=channel,
            booked_by=booked_by,
            join_url=join_url,
        )
        booking._plan_reminder(now, policy)
        booking._record(now, booked_by or CITIZEN, "booked", channel.value)
        return booking

    # --- queries -------------------------------------------------------------------

    @property
    def is_active(self) -> bool:
        """Holds the citizen's one place for this service (and its slot's counter)."""
        return self.status == Status.CONFIRMED

    @property
    def local_day(self) -> date:
        return self.start.astimezone(ATHENS).date()

    def citizen_deadline(self, policy: BookingPolicy) -> datetime:
        return self.start - policy.citizen_cutoff

    def no_show_at(self, policy: BookingPolicy) -> datetime:
        return self.start + policy.no_show_grace

    def next_due(self, policy: BookingPolicy) -> datetime | None:
        """When the timers next have something to do for this booking."""
        if not self.is_active:
            return None
        return self.reminder_due or self.no_show_at(policy)

    # --- changes -------------------------------------------------------------------

    def require_changeable(
        self, action: str, now: datetime, policy: BookingPolicy, by_staff: bool
    ) -> None:
        if not self.is_active:
            raise InvalidTransition(action, status=self.status)
        if not by_staff and now > self.citizen_deadline(policy):
            raise ChangeClosed(action, until=self.citizen_deadline(policy))

    def cancel(
        self, actor: str, now: datetime, policy: BookingPolicy, *, by_staff: bool, note: str = ""
    ) -> None:
        self.require_changeable("cancel", now, policy, by_staff)
        self.status = Status.CANCELLED
        self.reminder_due = None
        self.sequence += 1
        self._record(now, actor, "cancelled", note)

    def move(
        self, slot: Slot, actor: str, now: datetime, policy: BookingPolicy, *, by_staff: bool
    ) -> tuple[datetime, ...]:
        """Moves to another slot of the same branch and service; returns the units it left."""
        self.require_changeable("reschedule", now, policy, by_staff)
        if slot.start == self.start:
            raise InvalidInput("start", "slot-same")
        left = self.units
        before = self.start
        self.start, self.end, self.units = slot.start, slot.end, slot.units
        self.sequence += 1
        self._plan_reminder(now, policy)
        self._record(now, actor, "rescheduled", before.isoformat())
        return left

    def check_in(self, actor: str, now: datetime, policy: BookingPolicy) -> None:
        if self.status != Status.CONFIRMED:
            raise InvalidTransition("check-in", status=self.status)
        opens, closes = self.start - policy.check_in_early, self.start + policy.check_in_late
        if not opens <= now <= closes:
            raise CheckInWindow("check-in", opens=opens, closes=closes)
        self.status = Status.CHECKED_IN
        self.checked_in_at = now
        self.reminder_due = None
        self._record(now, actor, "checked_in")

    def serve(self, actor: str, now: datetime) -> None:
        if self.status != Status.CHECKED_IN:
            raise InvalidTransition("served", status=self.status)
        self.status = Status.SERVED
        self._record(now, actor, "served")

    def mark_no_show(self, now: datetime, policy: BookingPolicy, actor: str = SYSTEM) -> bool:
        """True if the grace period has passed without a check-in (idempotent)."""
        if not self.is_active or now < self.no_show_at(policy):
            return False
        self.status = Status.NO_SHOW
        self.reminder_due = None
        self._record(now, actor, "no_show")
        return True

    def take_reminder(self, now: datetime) -> bool:
        """True once, when the reminder is due: the caller sends it."""
        if not self.is_active or self.reminder_due is None or now < self.reminder_due:
            return False
        if now >= self.start:
            self.reminder_due = None
            return False
        self.reminder_due = None
        self._record(now, SYSTEM, "reminded")
        return True

    # --- internals -----------------------------------------------------------------

    def _plan_reminder(self, now: datetime, policy: BookingPolicy) -> None:
        # Booked less than a reminder's lead time ahead: the confirmation is the reminder.
        due = self.start - policy.reminder_before
        self.reminder_due = due if due > now else None

    def _record(self, now: datetime, actor: str, action: str, note: str = "") -> None:
        self.history.append(BookingEvent(now, actor, action, note))


def local_time(instant: datetime) -> str:
    return instant.astimezone(ATHENS).strftime("%d/%m/%Y %H:%M")


def parse_hhmm(text: str) -> time:
    hours, _, minutes = text.partition(":")
    if len(hours) != 2 or len(minutes) != 2 or not (hours + minutes).isdigit():
        raise ValueError(f"{text!r} is not HH:MM")
    if text == "24:00":
        return time(0)
    return time(int(hours), int(minutes))
