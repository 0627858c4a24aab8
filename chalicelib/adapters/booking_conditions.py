"""The store conditions that guard a booking's places and a citizen's no-show block."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from chalicelib.domain.catalogue import Mode

from .booking_keys import block_key, slot_key
from .table import AtLeast, Below, Check, Update


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
