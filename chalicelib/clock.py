"""Clocks. Every rule that depends on "now" is given one of these."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class MovableClock:
    """Real time plus an offset that tests and demos move forward (never sleep)."""

    def __init__(self, start: datetime | None = None, frozen: bool = False) -> None:
        self._lock = threading.Lock()
        self._frozen = frozen
        self._offset = timedelta()
        self._fixed = start or datetime.now(UTC)
        if start is not None and not frozen:
            self._offset = start - datetime.now(UTC)

    def now(self) -> datetime:
        with self._lock:
            return self._fixed if self._frozen else datetime.now(UTC) + self._offset

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._fixed += delta
            self._offset += delta
        return self.now()

    def set(self, instant: datetime) -> datetime:
        return self.advance(instant - self.now())
