"""The store conditions that guard a booking's places and a citizen's no-show block."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.bookings import Booking
from chalicelib.domain.catalogue import Mode
from chalicelib.domain.limits import contact_pseudonyms

from .booking_keys import block_key, slot_key
from .table import AtLeast, Below, Check, Key, Update


def take_places(
    branch: str, service: str, mode: Mode, units: Iterable[datetime], capacity: int
) -> list[Update]:
    """One place more in each unit's counter, while it stays below the capacity."""
    return [
        Update(
            slot_key(branch, service, mode, unit),
            add={"booked": 1},
            condition=Below("booked", capacity),
        )
        for unit in units
    ]


def free_places(branch: str, service: str, mode: Mode, units: Iterable[datetime]) -> list[Update]:
    """One place back in each unit's counter."""
    return [
        Update(
            slot_key(branch, service, mode, unit),
            add={"booked": -1},
            condition=AtLeast("booked", 1),
        )
        for unit in units
    ]


def not_blocked(amka: str, service: str, now: datetime) -> Check:
    # Passes when there is no block or it ended by now (epoch seconds).
    return Check(block_key(amka, service), Below("until", int(now.timestamp()) + 1))


@dataclass(frozen=True)
class ContactCap:
    """At most ``limit`` active appointments per phone number and per e-mail, across every
    service: one counter per contact (named by its keyed hash), raised with the booking and
    lowered in the transaction that ends the booking's active life (cancelled, checked in, no
    show), so the store keeps it exact."""

    key: bytes
    limit: int

    def hold(self, booking: Booking) -> list[Update]:
        return [
            Update(contact_key(name), add={"active": 1}, condition=Below("active", self.limit))
            for name in self._names(booking)
        ]

    def free(self, booking: Booking) -> list[Update]:
        return [Update(contact_key(name), add={"active": -1}) for name in self._names(booking)]

    def _names(self, booking: Booking) -> list[str]:
        return contact_pseudonyms(self.key, booking.citizen.phone, booking.citizen.email)


def contact_key(name: str) -> Key:
    return Key(f"CONTACT#{name}", "ACTIVE")
