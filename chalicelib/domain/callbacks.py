"""Callbacks: the agency calls the citizen back in a booked window instead of a queue on hold.

Windows are not stored ahead of time: they are a pure function of a team's callback
roster (opening hours cut into fixed windows, and how many agents are rostered in each,
which gives the window's capacity). A callback waits in its window until an agent of
the team claims it; a call that does not get through is retried later with backoff,
and a window that ends with the callback still unclaimed counts as missed.
At every moment a callback is charged to a team, or to the agent who claimed it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType

from chalicelib.domain.calendar import ATHENS, is_greek_public_holiday
from chalicelib.domain.cases import Owner
from chalicelib.domain.directory import Agent
from chalicelib.domain.errors import DomainError, Forbidden, InvalidTransition, VersionConflict

CITIZEN = "citizen"
SYSTEM = "system"

# --- errors -----------------------------------------------------------------------


class WindowFull(DomainError):
    code = "window-full"


class CallbackExists(DomainError):
    """The phone already holds an open callback with this agency."""

    code = "callback-exists"


class NoCallbackDue(DomainError):
    code = "no-callback-due"


class LinkedCaseChanged(VersionConflict):
    """The linked case changed while a callback step was being written; read it again."""


# --- windows ----------------------------------------------------------------------

Interval = tuple[time, time]


@dataclass(frozen=True)
class Window:
    team: str
    start: datetime
    end: datetime

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


@dataclass(frozen=True)
class Shift:
    """How many agents a roster puts on the phones between two local times on some weekdays."""

    weekdays: frozenset[int]
    start: time
    end: time
    agents: int

    def covers(self, local: datetime) -> bool:
        return local.weekday() in self.weekdays and self.start <= local.time() < self.end


@dataclass(frozen=True)
class Roster:
    """When a team calls citizens back, and for which agencies ("*" is every agency)."""

    team: str
    agencies: frozenset[str]
    hours: Mapping[int, tuple[Interval, ...]] = field(hash=False)
    window_length: timedelta = timedelta(minutes=30)
    calls_per_agent: int = 2
    agents: int = 2
    shifts: tuple[Shift, ...] = ()
    observes_holidays: bool = True

    def __post_init__(self) -> None:
        if self.window_length <= timedelta(0) or self.calls_per_agent < 0 or self.agents < 0:
            raise ValueError("a roster needs a positive window length and no negative counts")
        for weekday, intervals in self.hours.items():
            if weekday not in range(7):
                raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {weekday}")
            for start, end in intervals:
                if end <= start:
                    raise ValueError(f"callback hours {start}-{end} are empty or reversed")
        object.__setattr__(self, "hours", MappingProxyType(dict(self.hours)))

    def serves(self, agency: str) -> bool:
        return agency in self.agencies or "*" in self.agencies

    def is_open_on(self, day: date) -> bool:
        if self.observes_holidays and is_greek_public_holiday(day):
            return False
        return bool(self.hours.get(day.weekday()))

    def windows_on(self, day: date) -> list[Window]:
        """The day's windows in order; a stretch shorter than a window at the end is unused."""
        if not self.is_open_on(day):
            return []
        windows = []
        for start, end in sorted(self.hours.get(day.weekday(), ())):
            # Stepped in UTC: wall-clock arithmetic would stretch a window across a DST change.
            at = datetime.combine(day, start, tzinfo=ATHENS).astimezone(UTC)
            close = datetime.combine(day, end, tzinfo=ATHENS).astimezone(UTC)
            while at + self.window_length <= close:
                windows.append(
                    Window(
                        self.team,
                        at.astimezone(ATHENS),
                        (at + self.window_length).astimezone(ATHENS),
                    )
                )
                at += self.window_length
        return windows

    def window_starting(self, instant: datetime) -> Window | None:
        """The roster's window that starts exactly at ``instant``, if there is one."""
        day = instant.astimezone(ATHENS).date()
        return next((w for w in self.windows_on(day) if w.start == instant), None)

    def windows_from(self, instant: datetime, until: datetime) -> Iterator[Window]:
        """Every window that has not ended at ``instant`` and starts before ``until``, in order."""
        day = instant.astimezone(ATHENS).date()
        while datetime.combine(day, time(0), tzinfo=ATHENS) < until:
            for window in self.windows_on(day):
                if window.end > instant and window.start < until:
                    yield window
            day += timedelta(days=1)

    def rostered(self, window: Window) -> int:
        """Agents on the phones when the window starts: the last matching shift wins."""
        local = window.start.astimezone(ATHENS)
        agents = self.agents
        for shift in self.shifts:
            if shift.covers(local):
                agents = shift.agents
        return agents

    def capacity(self, window: Window) -> int:
        return self.rostered(window) * self.calls_per_agent


@dataclass(frozen=True)
class CallbackPolicy:
    max_attempts: int = 3
    # Wait after the n-th unanswered call; the last value repeats.
    retry_after: tuple[timedelta, ...] = (timedelta(minutes=20), timedelta(hours=1))
    # How far ahead a citizen may book a window.
    horizon: timedelta = timedelta(days=14)

    def backoff(self, failed_attempts: int) -> timedelta:
        index = min(max(failed_attempts, 1), len(self.retry_after)) - 1
        return self.retry_after[index]


@dataclass(frozen=True)
class CallbackConfig:
    rosters: tuple[Roster, ...]
    policy: CallbackPolicy = CallbackPolicy()

    def roster_for(self, agency: str) -> Roster | None:
        """The team that calls back for the agency: one named for it before a catch-all."""
        named = next((r for r in self.rosters if agency in r.agencies), None)
        return named or next((r for r in self.rosters if "*" in r.agencies), None)

    def roster_of_team(self, team: str) -> Roster | None:
        return next((r for r in self.rosters if r.team == team), None)

    def bookable(self, roster: Roster, now: datetime) -> Iterator[Window]:
        """Windows a citizen may still book: not yet started, within the horizon."""
        for window in roster.windows_from(now, now + self.policy.horizon):
            if window.start >= now:
                yield window


# --- the callback -----------------------------------------------------------------


class Status(StrEnum):
    SCHEDULED = "scheduled"
    CLAIMED = "claimed"
    REACHED = "reached"
    DECLINED = "declined"
    WRONG_NUMBER = "wrong_number"
    UNREACHABLE = "unreachable"
    CANCELLED = "cancelled"


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
        cls,
        *,
        reference: str,
        token_hash: str,
        agency: str,
        phone: str,
        language: str,
        channel: str,
        window: Window,
        now: datetime,
        topic: str | None = None,
        case_reference: str | None = None,
        booked_by: Agent | None = None,
    ) -> Callback:
        callback = cls(
            reference=reference,
            token_hash=token_hash,
            agency=agency,
            phone=phone,
            language=language,
            channel=channel,
            requested_at=now,
            requested_by=booked_by.id if booked_by else CITIZEN,
            window=window,
            due_at=window.start,
            status=Status.SCHEDULED,
            owner=Owner(window.team),
            topic=topic,
            case_reference=case_reference,
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
        """Missed a window and not yet dealt with: what the supervisor sees."""
        return self.is_open and self.missed_window is not None

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

    def release_stale_claim(self, claimed_by: str, now: datetime, hold: timedelta) -> bool:
        """An agent who took a callback and never recorded the call gives it back to the team
        after ``hold``, so it is not stuck with them. Idempotent."""
        if self.status != Status.CLAIMED or self.owner.agent != claimed_by:
            return False
        claimed_at = max(e.at for e in self.history if e.action == "claimed")
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
        """The window ended with nobody calling: the supervisor sees it. Idempotent."""
        if not self.waits_for_window_end or self.window.end > now:
            return False
        self.missed_window = self.window.start
        self.missed_count += 1
        self._record(now, SYSTEM, "window_missed", _span(self.window))
        return True

    # --- internals ------------------------------------------------------------

    def _close(self, now: datetime, status: Status) -> None:
        self.status = status
        self.closed_at = now

    def _record(self, now: datetime, actor: str, action: str, note: str = "") -> None:
        self.history.append(Event(now, actor, action, self.owner, note))


def _span(window: Window) -> str:
    return f"{window.start.isoformat()}/{window.end.isoformat()}"
