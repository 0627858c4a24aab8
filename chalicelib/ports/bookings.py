"""What the booking use cases need from a store: bookings with their slot counters, a branch's
edited settings, and the waiting lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from chalicelib.domain.bookings import Booking, BranchSettings, Mode
from chalicelib.domain.waitlist import WaitlistEntry
from chalicelib.ports import IdempotencyRecord

# A slot unit of one branch, service and mode: (branch, service, mode, unit start).
SlotUnit = tuple[str, str, Mode, datetime]


@dataclass(frozen=True)
class Places:
    """A slot unit's places as the booking was judged: the capacity, and the version of the
    branch's settings it came from (None: not checked), which must still hold at the write
    (a closure or fewer desks at the same instant refuses it)."""

    capacity: int
    settings_version: int | None = None


class BookingRepository(Protocol):
    def get(self, code: str) -> Booking:
        """Raises NotFound."""
        ...

    def booked(
        self, branch: str, service: str, mode: Mode, first: datetime, last: datetime
    ) -> dict[datetime, int]:
        """Places taken per slot start, for the slots that have a counter."""
        ...

    def day(self, branch: str, day: date) -> list[Booking]: ...

    def booked_units(self, units: list[SlotUnit]) -> dict[SlotUnit, int]:
        """Places taken in these slot units of any branches and services, in one read of at
        most 100 units (a unit nobody booked counts 0)."""
        ...

    def active_code(self, amka: str, service: str) -> str | None: ...

    def blocked_until(self, amka: str, service: str) -> datetime | None: ...

    def no_shows_since(self, amka: str, service: str, since: datetime) -> list[datetime]: ...

    def due(self, now: datetime, limit: int = 100) -> list[str]:
        """Codes of bookings whose next timer (reminder, no-show) has passed."""
        ...

    def add(
        self, booking: Booking, places: Places, idempotency: IdempotencyRecord | None = None
    ) -> None:
        """Takes the places and stores the booking in one transaction (SlotFull, AlreadyBooked,
        Blocked, SettingsChanged, AlreadyRecorded)."""
        ...

    def cancel(self, booking: Booking) -> None: ...

    def move(self, booking: Booking, left: Sequence[datetime], places: Places) -> None: ...

    def save(self, booking: Booking) -> None: ...

    def release(self, booking: Booking) -> None: ...

    def record_no_show(
        self, booking: Booking, at: datetime, blocked_until: datetime | None = None
    ) -> None:
        """Stores the no-show with the block it brings, if any, in one transaction."""

    def undo_no_show(self, booking: Booking) -> None:
        """Stores a booking checked in after its no-show and forgets that no-show."""

    def block(
        self, amka: str, service: str, until: datetime, caused_by: str | None = None
    ) -> None: ...

    def lift_block_caused_by(self, booking: Booking) -> bool:
        """Removes the citizen's block if this booking's no-show set it; False otherwise."""

    def unblock(self, amka: str, service: str) -> bool: ...


class BranchSettingsStore(Protocol):
    def get(self, branch: str) -> tuple[BranchSettings, int] | None:
        """Staff's edits and their version, or None while the defaults hold."""
        ...

    def save(self, branch: str, settings: BranchSettings, expected_version: int) -> int: ...

    def get_many(self, branches: list[str]) -> dict[str, tuple[BranchSettings, int]]:
        """Stored edits of several branches (never edited: absent), in one read."""
        ...


class Waitlist(Protocol):
    def get(self, entry_id: str) -> WaitlistEntry: ...

    def waiting(
        self, branch: str, service: str, mode: Mode, day: date, limit: int = 10
    ) -> list[WaitlistEntry]: ...

    def lines(self, branch: str, services: list[str]) -> set[tuple[str, Mode, date]]:
        """The (service, mode, day) lines of the branch where someone waits."""
        ...

    def line(
        self, branch: str, service: str, mode: Mode, day: date
    ) -> tuple[tuple[BranchSettings, int] | None, int]:
        """In one read: the branch's stored settings (None while the defaults hold) and the
        last ticket given in the day's line (0: none yet)."""
        ...

    def join(self, entry: WaitlistEntry, last_ticket: int) -> None:
        """Stores the entry with its ticket, ``last_ticket`` + 1; VersionConflict if another
        citizen took that ticket meanwhile."""
        ...

    def hold(self, entry: WaitlistEntry, capacity: int) -> None: ...

    def release(self, entry: WaitlistEntry, held: bool) -> None: ...

    def accept(self, entry: WaitlistEntry, booking: Booking, now: datetime) -> None: ...
