"""What every use case may touch: the ports, the reference data and the clock.

Built once by ``chalicelib.bootstrap``; tests build their own with fakes or other data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta

from chalicelib.domain.bookings import Catalogue
from chalicelib.domain.calendar import BusinessCalendar
from chalicelib.domain.callbacks import CallbackConfig
from chalicelib.domain.directory import Directory, Route, route
from chalicelib.domain.limits import Limits
from chalicelib.ports import (
    CaseRepository,
    Clock,
    Counters,
    IdempotencyLog,
    Notifier,
    RateLimiter,
    Timers,
    UnitOfWork,
    WriteAtOnce,
)
from chalicelib.ports.bookings import BookingRepository, BranchSettingsStore, Waitlist
from chalicelib.ports.callbacks import CallbackRepository
from chalicelib.ports.citizen_view import CitizenViewIndex
from chalicelib.ports.erasure import Erasures
from chalicelib.ports.kpis import KpiCounters
from chalicelib.ports.open311 import ApiKeys
from chalicelib.ports.roster import AgentRoster
from chalicelib.ports.surveys import SurveyRepository

# Working days for statutory deadlines: Monday to Friday, whole days, no public holidays.
WORKING_DAYS = BusinessCalendar(
    opening={day: ((time(0), time(0)),) for day in range(5)}, observes_holidays=True
)


@dataclass
class Context:
    clock: Clock
    directory: Directory
    cases: CaseRepository
    idempotency: IdempotencyLog
    counters: Counters
    timers: Timers
    notifier: Notifier
    catalogue: Catalogue
    bookings: BookingRepository
    branch_settings: BranchSettingsStore
    waitlist: Waitlist
    callback_config: CallbackConfig
    callbacks: CallbackRepository
    citizen_view: CitizenViewIndex
    open311_keys: ApiKeys
    # Service-quality counters, added to in the transaction of each change.
    kpis: KpiCounters
    surveys: SurveyRepository
    erasures: Erasures
    # The teams' people (agents, shifts, availability): data admins manage, in the store.
    roster: AgentRoster
    limiter: RateLimiter
    # Which store holds the state (shown by the health check): sqlite | dynamodb.
    store_kind: str = "sqlite"
    working_days: BusinessCalendar = WORKING_DAYS
    # Keys the pseudonyms of citizens in the access record (see domain/citizen_view.py).
    pseudonym_key: bytes = b"local-development-pseudonyms"
    # Where citizens' links in messages point (the site); timers have no request to ask.
    public_url: str = "http://127.0.0.1:8000"
    # How long finished cases and bookings keep the citizen's identity (then anonymised).
    retention: timedelta = timedelta(days=400)
    # Supervisors' addresses per team ("*": every other team), from the stage's configuration.
    supervisor_contacts: dict[str, str] = field(default_factory=dict)
    # Abuse limits on public writes (chalicelib/config.py reads them from the environment).
    limits: Limits = field(default_factory=Limits)
    # Carries a use case's messages and timers into the transaction of its change.
    effects: UnitOfWork = field(default_factory=WriteAtOnce)

    def supervisors_of(self, team: str) -> str | None:
        return self.supervisor_contacts.get(team) or self.supervisor_contacts.get("*")

    def route(self, agency: str, topic: str, tier: int) -> Route:
        return route(self.directory, agency, topic, tier)
