"""What the callback use cases need from a store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from chalicelib.domain.callbacks import Callback, Window
from chalicelib.domain.cases import Case
from chalicelib.domain.kpi_tallies import Tally
from chalicelib.ports import IdempotencyRecord


@dataclass(frozen=True)
class Change:
    """What else a callback step writes, all in one transaction with the callback."""

    # Take a place in the callback's (new) window: ``booked < capacity``.
    take_place: int | None = None
    # Give back the place in the callback's window (a cancellation before it starts).
    release_place: bool = False
    # The callback is closed: the phone may book another one with the agency.
    unlock: bool = False
    # The window was missed: count it for the team on the window's day.
    count_missed: bool = False
    # A linked case changed in the same step (resolved, escalated, or an event recorded).
    case: Case | None = None
    # What the step adds to the KPI counters, in the same transaction.
    tallies: tuple[Tally, ...] = ()


class CallbackRepository(Protocol):
    def add(
        self, callback: Callback, change: Change, idempotency: IdempotencyRecord | None = None
    ) -> None:
        """Takes a place in the window (``change.take_place`` is its capacity) and stores the
        callback (WindowFull, CallbackExists, AlreadyRecorded, LinkedCaseChanged)."""
        ...

    def save(self, callback: Callback, change: Change | None = None) -> None:
        """Stores a step if nobody changed the callback since it was read (VersionConflict)."""
        ...

    def get(self, reference: str) -> Callback: ...

    def due(self, team: str, now: datetime, limit: int = 10, pages: int = 10) -> list[Callback]: ...

    def claimed_by(self, agent: str, limit: int = 50) -> list[Callback]: ...

    def window_ended(self, now: datetime, limit: int = 100) -> list[Callback]: ...

    def claimed_before(self, before: datetime, limit: int = 100) -> list[Callback]: ...

    def overdue(self, limit: int = 100) -> list[Callback]: ...

    def booked(self, team: str, windows: list[Window]) -> dict[datetime, int]: ...

    def missed_counts(self, teams: list[str], day: date) -> dict[str, int]:
        """How many callbacks each team let pass on a day, read together."""
        ...

    def of_case(self, case_reference: str, limit: int = 20) -> list[Callback]: ...
