"""What every use case may touch: the ports, the directory and the clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from typing import Any

from chalicelib.adapters.table import Table
from chalicelib.domain.calendar import BusinessCalendar
from chalicelib.domain.directory import Directory, Route, route
from chalicelib.ports import CaseRepository, Clock, Counters, IdempotencyLog, Notifier, Timers

# Working days for statutory deadlines: Monday to Friday, whole days, no public holidays.
WORKING_DAYS = BusinessCalendar(
    opening={day: ((time(0), time(0)),) for day in range(5)}, observes_holidays=True
)


@dataclass
class Context:
    clock: Clock
    directory: Directory
    table: Table
    cases: CaseRepository
    idempotency: IdempotencyLog
    counters: Counters
    timers: Timers
    notifier: Notifier
    working_days: BusinessCalendar = WORKING_DAYS
    # Keys the pseudonyms of citizens in the access record (see domain/citizen_view.py).
    pseudonym_key: bytes = b"local-development-pseudonyms"
    # Where citizens' links in messages point (the site); timers have no request to ask.
    public_url: str = "http://127.0.0.1:8000"
    # Further repositories (bookings, callbacks, ...) are added by their features.
    extra: dict[str, Any] = field(default_factory=dict)

    def route(self, agency: str, topic: str, tier: int) -> Route:
        return route(self.directory, agency, topic, tier)
