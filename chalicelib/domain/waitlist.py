"""A day's waitlist: when a day is full, citizens queue for it; a freed place is offered
to the first in line, held for them for a set time, then passed to the next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from chalicelib.domain.booking_policy import BookingPolicy
from chalicelib.domain.bookings import BookingCitizen
from chalicelib.domain.catalogue import Mode
from chalicelib.domain.errors import InvalidTransition, OfferExpired
from chalicelib.domain.slots import Slot


class WaitStatus(StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"
    BOOKED = "booked"
    EXPIRED = "expired"
    LEFT = "left"


@dataclass
class WaitlistEntry:
    id: str
    token_hash: str
    branch: str
    service: str
    mode: Mode
    day: date
    citizen: BookingCitizen
    language: str
    joined_at: datetime
    ticket: int = 0  # order in the day's line, from an atomic counter
    status: WaitStatus = WaitStatus.WAITING
    offer: Slot | None = None
    offer_expires_at: datetime | None = None
    booking_code: str | None = None
    version: int = 0

    @property
    def is_waiting(self) -> bool:
        return self.status == WaitStatus.WAITING

    @property
    def holds_offer(self) -> bool:
        return self.status == WaitStatus.OFFERED

    def offer_place(self, slot: Slot, now: datetime, policy: BookingPolicy) -> None:
        if not self.is_waiting:
            raise InvalidTransition("offer", status=self.status)
        self.status = WaitStatus.OFFERED
        self.offer = slot
        # The offer must lapse while the slot can still be booked by someone else.
        self.offer_expires_at = min(now + policy.waitlist_offer, slot.start - policy.min_notice)

    def expire(self, now: datetime) -> bool:
        """True if an unanswered offer has lapsed (idempotent)."""
        if not self.holds_offer or self.offer_expires_at is None or now < self.offer_expires_at:
            return False
        self.status = WaitStatus.EXPIRED
        return True

    def accept(self, now: datetime, booking_code: str) -> Slot:
        if self.status != WaitStatus.OFFERED or self.offer is None:
            raise InvalidTransition("confirm", status=self.status)
        if self.offer_expires_at is not None and now >= self.offer_expires_at:
            raise OfferExpired("confirm")
        self.status = WaitStatus.BOOKED
        self.booking_code = booking_code
        return self.offer

    def leave(self) -> bool:
        """Leaves the list; True if a held place must be released."""
        if self.status not in (WaitStatus.WAITING, WaitStatus.OFFERED):
            raise InvalidTransition("leave", status=self.status)
        held = self.holds_offer
        self.status = WaitStatus.LEFT
        return held

    def next_due(self) -> datetime | None:
        return self.offer_expires_at if self.holds_offer else None
