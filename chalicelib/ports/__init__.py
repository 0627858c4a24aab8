"""The interfaces the services need. Adapters implement them; tests swap them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from chalicelib.domain.cases import Case
from chalicelib.domain.limits import Quota


class Clock(Protocol):
    def now(self) -> datetime:
        """An aware datetime."""
        ...


@dataclass(frozen=True)
class IdempotencyRecord:
    """The first answer to a retried write, kept under the caller's key."""

    scope: str
    key: str
    fingerprint: str
    response: dict[str, Any]
    status: int = 201


class AlreadyRecorded(Exception):
    """Another request already used this idempotency key."""


class CaseRepository(Protocol):
    def add(self, case: Case, idempotency: IdempotencyRecord | None = None) -> None:
        """Stores a new case; raises AlreadyRecorded if the idempotency key is taken."""
        ...

    def get(self, reference: str) -> Case:
        """Raises NotFound."""
        ...

    def save(self, case: Case) -> None:
        """Stores a change if nobody else changed the case since it was read (VersionConflict)."""
        ...

    def queue(self, team: str, limit: int = 100) -> list[Case]: ...

    def open_queue(self, limit: int = 100) -> list[Case]: ...

    def due(self, now: datetime, limit: int = 100) -> list[Case]: ...

    def breached(self, limit: int = 100) -> list[Case]: ...


class IdempotencyLog(Protocol):
    def get(self, scope: str, key: str) -> IdempotencyRecord | None: ...


class Counters(Protocol):
    def next(self, name: str) -> int:
        """An atomically incremented counter (round-robin routing)."""
        ...


@dataclass(frozen=True)
class Timer:
    """A wake-up call: at ``due_at``, run the handler of ``kind`` for ``key``."""

    kind: str
    key: str
    due_at: datetime


class Timers(Protocol):
    """Wake-up calls kept in the store's due index until they fire, one message each."""

    def schedule(self, timer: Timer) -> None: ...

    def waiting(self, timer: Timer) -> bool:
        """Whether the timer is still to fire: False once fired, so a repeat does nothing."""
        ...

    def done(self, timer: Timer) -> None:
        """The timer fired: it leaves the index."""
        ...

    def retry(self, timer: Timer) -> None:
        """The timer arrived before its time: wait for the rest."""
        ...

    def pump(self, more: Callable[[], bool] | None = None) -> int:
        """Hands timers coming due to the queue, and sends again those whose message was lost,
        page by page while ``more()`` allows; returns how many were sent."""
        ...


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: str


@dataclass(frozen=True)
class Message:
    template: str
    language: str
    subject: str
    body: str
    email: str | None = None
    phone: str | None = None
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)


class Sender(Protocol):
    """What really reaches the citizen: SES and SNS in AWS, a log line locally."""

    def send(self, message: Message) -> None: ...


class Notifier(Protocol):
    """The outbox: a message is kept with the change that causes it, and delivered later."""

    def send(self, message: Message) -> None: ...

    def deliver(
        self, sender: Sender, more: Callable[[], bool] | None = None, page: int | None = None
    ) -> int:
        """Sends the messages that are due (each once), page by page (of ``page`` messages, or
        the store's own page) while ``more()`` allows; returns how many were sent."""
        ...


class UnitOfWork(Protocol):
    def collect(self) -> AbstractContextManager[None]:
        """While open, the messages and timers the use case decides on are written in the
        same transaction as its change."""
        ...


class WriteAtOnce:
    """No unit of work: every message and timer is written when it is decided."""

    @contextmanager
    def collect(self) -> Iterator[None]:
        yield


class RateLimiter(Protocol):
    def metered(self, quotas: Sequence[Quota], now: datetime) -> AbstractContextManager[None]:
        """While open, the first change the request writes raises these counters in its own
        transaction (RateLimited, and nothing written, if one is spent); a request that writes
        nothing raises them when the block ends."""
        ...
