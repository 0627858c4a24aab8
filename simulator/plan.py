"""What the simulated day is made of: its volume and mix, handling times, and staffing.

The shape follows the public figures of the single number (CONTEXT.md): most contacts by
phone, a morning spike, 84.4 % answered at the first line, 12.8 % at the second, 2.8 % at the
third. Every draw comes from one seeded generator, so a seed gives the same day.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from chalicelib.domain.calendar import ATHENS
from simulator.erlang import agents_needed

# Share of the day's contacts arriving in each hour (Athens): quiet nights, a morning spike.
HOURLY = (
    0.6, 0.4, 0.3, 0.3, 0.3, 0.5, 1.2, 3.0, 6.5, 9.5, 10.0, 9.0,
    7.5, 7.0, 6.5, 6.0, 5.0, 4.0, 3.2, 2.6, 2.0, 1.6, 1.2, 0.9,
)  # fmt: skip
CHANNELS = {"phone": 0.62, "web": 0.22, "callback": 0.08, "booking": 0.08}
AGENCIES = {"efka": 0.45, "dypa": 0.25, "opeka": 0.15, "kep": 0.15}
TIERS = (0.844, 0.128, 0.028)  # the tier that answers a question


@dataclass(frozen=True)
class Contact:
    at: datetime
    channel: str
    agency: str
    tier: int  # the tier whose answer the question needs
    serial: int


@dataclass(frozen=True)
class Plan:
    contacts: int = 25_000
    seed: int = 1555
    day: date = date(2026, 12, 1)  # a Tuesday, no holiday
    phone_minutes: float = 4.5  # mean handling time of a call at the first line
    web_minutes: float = 6.0
    tier2_minutes: float = 20.0
    tier3_minutes: float = 45.0
    patience_seconds: float = 240.0  # mean time a caller waits before hanging up
    target_seconds: int = 20
    target_level: float = 0.8
    # Staffed against the forecast, a little short, as rosters are: the spike shows in waits.
    staffing_factor: float = 0.95
    appointments_per_contact: float = 0.06  # today's visits booked on earlier days
    callback_answer: dict[str, float] = field(
        default_factory=lambda: {
            "reached": 0.72,
            "no_answer": 0.2,
            "busy": 0.05,
            "wrong_number": 0.03,
        }
    )
    served_share: float = 0.85  # of today's visits; then no-shows, then cancellations
    no_show_share: float = 0.09
    survey_response: float = 0.12  # citizens who answer the survey in their message
    survey_scores: tuple[float, ...] = (0.05, 0.07, 0.15, 0.33, 0.40)  # scores 1..5

    def start(self) -> datetime:
        return datetime.combine(self.day, time(0), tzinfo=ATHENS)

    def at_hour(self, hour: float) -> datetime:
        # Wall clock of the day in Athens (no DST change on the chosen day).
        return self.start() + timedelta(hours=hour)


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def arrivals(plan: Plan, rng: random.Random) -> list[Contact]:
    """The day's contacts in time order: hour by the profile, minute uniform within it."""
    hours = rng.choices(range(24), HOURLY, k=plan.contacts)
    contacts = []
    for serial, hour in enumerate(sorted(hours)):
        at = plan.at_hour(hour + rng.random())
        tier = rng.choices((1, 2, 3), TIERS)[0]
        contacts.append(Contact(at, _pick(rng, CHANNELS), _pick(rng, AGENCIES), tier, serial))
    contacts.sort(key=lambda c: (c.at, c.serial))
    return contacts


def handle_minutes(rng: random.Random, mean: float) -> float:
    """Log-normal handling times (a long tail of hard calls) with the given mean."""
    sigma = 0.5
    return rng.lognormvariate(math.log(mean) - sigma**2 / 2, sigma)


def phone_forecast(plan: Plan) -> list[float]:
    """Expected calls per hour (the forecast the roster is made from)."""
    total = sum(HOURLY)
    return [plan.contacts * CHANNELS["phone"] * share / total for share in HOURLY]


def phone_roster(plan: Plan, shift_hours: int = 8) -> list[tuple[int, int]]:
    """First-line phone shifts as (start hour, agents): each hour short of the Erlang-C need
    (times the staffing factor) opens a shift there, as a planner covering a day would."""
    need = [
        math.ceil(plan.staffing_factor * agents_needed(calls, plan.phone_minutes * 60))
        for calls in phone_forecast(plan)
    ]
    on_duty = [0] * 24
    shifts = []
    for hour in range(24):
        extra = need[hour] - on_duty[hour]
        if extra > 0:
            shifts.append((hour, extra))
            for h in range(hour, min(24, hour + shift_hours)):
                on_duty[h] += extra
    return shifts


def desk_size(work_minutes: float, hours: float, utilisation: float = 0.85) -> int:
    """Agents to get through a day's written work in a shift."""
    return max(1, math.ceil(work_minutes / 60 / hours / utilisation))
