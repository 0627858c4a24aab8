"""Callbacks: the agency calls the citizen back in a booked window instead of a queue on hold.

Windows are a pure function of a team's roster (callback_windows; its names are importable
from here too). A callback waits in its window until an agent of the team claims it; a call
that does not get through is retried later with backoff, and a window that ends with the
callback still unclaimed counts as missed.
At every moment a callback is charged to a team, or to the agent who claimed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from chalicelib.domain.callback_windows import CallbackConfig as CallbackConfig
from chalicelib.domain.callback_windows import CallbackPolicy, Window
from chalicelib.domain.callback_windows import Roster as Roster
from chalicelib.domain.callback_windows import Shift as Shift
from chalicelib.domain.cases import Owner
from chalicelib.domain.directory import Agent
from chalicelib.domain.errors import Forbidden, InvalidTransition
from chalicelib.domain.local_time import iso

CITIZEN = "citizen"
SYSTEM = "system"


# --- the callback -----------------------------------------------------------------


class Status(StrEnum):
    SCHEDULED = "scheduled"
    CLAIMED = "claimed"
    REACHED = "reached"
    DECLINED = "declined"
    WRONG_NUMBER = "wrong_number"
    UNREACHABLE = "unreachable"
    CANCELLED = "cancelled"
    # The window ended and nobody called: the citizen is told and chooses another window.
    MISSED = "missed"


OPEN = frozenset({Status.SCHEDULED, Status.CLAIMED})


class Outcome(StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    WRONG_NUMBER = "wrong_number"
    DECLINED = "declined"


RETRYABLE = frozenset({Outcome.NO_ANSWER, Outcome.BUSY})
_CLOSING = {
    Outcome.REACHED: Status.REACHED,
    Outcome.DECLINED: Status.DECLINED,
    Outcome.WRONG_NUMBER: Status.WRONG_NUMBER,
}


@dataclass(frozen=True)
class Attempt:
    at: datetime
    agent: str
    outcome: Outcome
    note: str = ""


@dataclass(frozen=True)
class Event:
    at: datetime
    actor: str
    action: str
    owner: Owner
    note: str = ""


@dataclass
class Callback:
    reference: str
    token_hash: str
    agency: str
    phone: str
    language: str
    channel: str
    requested_at: datetime
    requested_by: str
    window: Window
    due_at: datetime
    status: Status
    owner: Owner
    topic: str | None = None
    case_reference: str | None = None
    attempts: list[Attempt] = field(default_factory=list)
    history: list[Event] = field(default_factory=list)
    # The start of the last window that ended with the callback still waiting.
    missed_window: datetime | None = None
    missed_count: int = 0
    closed_at: datetime | None = None
    version: int = 0

    @classmethod
    def book(
        cls, *, window: Window, now: datetime, booked_by: Agent | None = None, **fields: Any
    ) -> Callback:
        """A callback in ``window``; ``fields`` are its own (reference, phone, topic...: see
        the class), checked by its constructor."""
        callback = cls(
            requested_at=now,
            requested_by=booked_by.id if booked_by else CITIZEN,
            window=window,
            due_at=window.start,
            status=Status.SCHEDULED,
            owner=Owner(window.team),
            **fields,
        )
        callback._record(now, callback.requested_by, "scheduled", _span(window))
        return callback

    # --- queries --------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def failed_attempts(self) -> int:
        return sum(1 for a in self.attempts if a.outcome in RETRYABLE)

    @property
    def waits_for_window_end(self) -> bool:
        """Still waiting in a window that has not yet been judged missed."""
        return self.status == Status.SCHEDULED and self.missed_window != self.window.start

    @property
    def is_overdue(self) -> bool:
        """Closed because its window ended uncalled: what the supervisor sees."""
        return self.status == Status.MISSED and self.missed_window is not None

    # --- agents ---------------------------------------------------------------

    def claim(self, agent: Agent, now: datetime) -> None:
        if self.owner.team not in agent.teams and not agent.is_supervisor:
            raise Forbidden("not-owner")
        if self.status != Status.SCHEDULED or self.due_at > now:
            raise InvalidTransition("claim", status=self.status)
        self.owner = Owner(self.owner.team, agent.id)
        self.status = Status.CLAIMED
        self._record(now, agent.id, "claimed")

    def record(
        self, agent: Agent, outcome: Outcome, note: str, now: datetime, policy: CallbackPolicy
    ) -> bool:
        """Records the call; True when the callback now needs a window for another try."""
        if self.status != Status.CLAIMED:
            raise InvalidTransition("outcome", status=self.status)
        if self.owner.agent != agent.id and not agent.is_supervisor:
            raise Forbidden("not-holder")
        self.attempts.append(Attempt(now, agent.id, outcome, note))
        self._record(now, agent.id, outcome.value, note)
        if outcome not in RETRYABLE:
            self._close(now, _CLOSING[outcome])
            return False
        if self.failed_attempts >= policy.max_attempts:
            self._close(now, Status.UNREACHABLE)
            self._record(now, SYSTEM, "attempts_exhausted")
            return False
        # Back to the team's queue for the retry: charged to the team until claimed again.
        self.status = Status.SCHEDULED
        self.owner = Owner(self.owner.team)
        return True

    @property
    def claimed_at(self) -> datetime | None:
        """When the agent who holds it now took it (None when nobody holds it)."""
        if self.status != Status.CLAIMED:
            return None
        return max(e.at for e in self.history if e.action == "claimed")

    def release_stale_claim(self, claimed_by: str, now: datetime, hold: timedelta) -> bool:
        """An agent who took a callback and never recorded the call gives it back to the team
        after ``hold``, so it is not stuck with them. Idempotent."""
        claimed_at = self.claimed_at
        if claimed_at is None or self.owner.agent != claimed_by:
            return False
        if now < claimed_at + hold:
            return False
        self.status = Status.SCHEDULED
        self.owner = Owner(self.owner.team)
        self._record(now, SYSTEM, "claim_expired", claimed_by)
        return True

    def retry_in(self, window: Window, due_at: datetime, now: datetime) -> None:
        self.window = window
        self.due_at = max(due_at, window.start)
        self._record(now, SYSTEM, "retry_scheduled", _span(window))

    def give_up(self, now: datetime) -> None:
        """No window has room for another try: the citizen is told instead."""
        self._close(now, Status.UNREACHABLE)
        self._record(now, SYSTEM, "no_window_for_retry")

    # --- citizens -------------------------------------------------------------

    def cancel(self, now: datetime) -> None:
        if self.status != Status.SCHEDULED:
            raise InvalidTransition("cancel", status=self.status)
        self._close(now, Status.CANCELLED)
        self._record(now, CITIZEN, "cancelled")

    # --- timers ---------------------------------------------------------------

    def mark_missed(self, now: datetime) -> bool:
        """The window ended with nobody calling: the callback closes as missed (the phone may
        book another), the supervisor sees it. Idempotent."""
        if not self.waits_for_window_end or self.window.end > now:
            return False
        self.missed_window = self.window.start
        self.missed_count += 1
        self._close(now, Status.MISSED)
        self._record(now, SYSTEM, "window_missed", _span(self.window))
        return True

    # --- internals ------------------------------------------------------------

    def _close(self, now: datetime, status: Status) -> None:
        self.status = status
        self.closed_at = now

    def _record(self, now: datetime, actor: str, action: str, note: str = "") -> None:
        self.history.append(Event(now, actor, action, self.owner, note))


def _span(window: Window) -> str:
    return f"{iso(window.start)}/{iso(window.end)}"
