"""The booking: a citizen's place in a slot and the rules of its life.

The store enforces the two bounds (a slot's capacity, one active booking per citizen
and service); this module decides everything else: until when a citizen may change
it, when they may check in, when they are a no-show. The reference data (services,
branches) is in ``catalogue``, the rules' settings in ``booking_policy``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from chalicelib.domain.booking_policy import BookingPolicy
from chalicelib.domain.case_values import Citizen
from chalicelib.domain.catalogue import Accommodation, Mode
from chalicelib.domain.catalogue import BranchSettings as BranchSettings  # re-exported
from chalicelib.domain.catalogue import Catalogue as Catalogue  # re-exported
from chalicelib.domain.errors import ChangeClosed, CheckInWindow, InvalidInput, InvalidTransition
from chalicelib.domain.local_time import athens_day
from chalicelib.domain.slots import Slot


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


# --- the booking ---------------------------------------------------------------------


@dataclass(frozen=True)
class BookingCitizen(Citizen):
    """A booking's citizen: the AMKA is required (one active booking per AMKA and service)."""

    amka: str


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
    # For the desk: which language the interpreter speaks, and the citizen's own words.
    interpreter_language: str | None = None
    accommodation_note: str = ""
    channel: Channel = Channel.WEB
    booked_by: str | None = None
    join_url: str | None = None
    reminder_due: datetime | None = None
    checked_in_at: datetime | None = None
    sequence: int = 0  # calendar revision: bumped on every move or cancellation
    history: list[BookingEvent] = field(default_factory=list)
    version: int = 0

    @classmethod
    def new(cls, *, slot: Slot, now: datetime, policy: BookingPolicy, **fields: Any) -> Booking:
        """A confirmed booking of ``slot``; ``fields`` are the booking's own (code, citizen,
        channel...: see the class), checked by its constructor."""
        booking = cls(start=slot.start, end=slot.end, units=slot.units, created_at=now, **fields)
        booking._plan_reminder(now, policy)
        booking._record(now, booking.booked_by or CITIZEN, "booked", booking.channel.value)
        return booking

    # --- queries -------------------------------------------------------------------

    @property
    def is_active(self) -> bool:
        """Holds the citizen's one place for this service (and its slot's counter)."""
        return self.status == Status.CONFIRMED

    @property
    def local_day(self) -> date:
        return athens_day(self.start)

    @property
    def slot(self) -> Slot:
        return Slot(self.start, self.end, self.units)

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

    def check_in_late(self, actor: str, now: datetime, reason: str) -> None:
        """Staff undo the system's no-show for someone who came later the same day."""
        if self.status != Status.NO_SHOW or athens_day(now) != self.local_day:
            raise InvalidTransition("late-check-in", status=self.status)
        if not reason.strip():
            raise InvalidInput("note", "required")
        self.status = Status.CHECKED_IN
        self.checked_in_at = now
        self._record(now, actor, "late_check_in", reason.strip())

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
