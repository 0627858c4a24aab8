"""What the simulation saw happen, counted as the services answered it.

Once the product's KPI counters exist, ``report.report_lines`` can take them instead: these
are the same figures (cases by tier, SLA, callbacks, appointments), observed from outside.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from simulator.plan import CHANNELS, Plan


def _hours() -> list[int]:
    return [0] * 24


def _hours_f() -> list[float]:
    return [0.0] * 24


@dataclass
class Sample:
    hour: float
    backlog: int  # cases open (any tier)
    sla: float  # share of cases resolved so far within their tier's target


@dataclass
class Observed:
    plan: Plan
    arrivals: dict[str, list[int]] = field(default_factory=lambda: {c: _hours() for c in CHANNELS})
    calls_answered: list[int] = field(default_factory=_hours)
    calls_in_target: list[int] = field(default_factory=_hours)
    calls_abandoned: list[int] = field(default_factory=_hours)
    handle_seconds: list[float] = field(default_factory=_hours_f)
    wait_seconds: list[float] = field(default_factory=_hours_f)
    agents_on_phones: list[int] = field(default_factory=_hours)
    opened: Counter[str] = field(default_factory=Counter)  # by channel
    resolved_by_tier: Counter[int] = field(default_factory=Counter)
    resolved_in_target: int = 0
    resolved_first_contact: int = 0  # phone calls answered during the call itself
    escalated: Counter[str] = field(default_factory=Counter)  # manual | deadline
    open_by_tier: Counter[int] = field(default_factory=Counter)
    callbacks: Counter[str] = field(default_factory=Counter)
    appointments: Counter[str] = field(default_factory=Counter)
    surveys_offered: int = 0
    satisfaction: Counter[int] = field(default_factory=Counter)  # answers by score
    timers_fired: int = 0
    timer_failures: int = 0
    samples: list[Sample] = field(default_factory=list)
    seconds: float = 0.0  # wall time of the run

    @property
    def contacts(self) -> int:
        return sum(sum(hours) for hours in self.arrivals.values())

    @property
    def resolved(self) -> int:
        return sum(self.resolved_by_tier.values())

    def ended_at_tier(self, tier: int) -> int:
        """Cases answered at a tier or still waiting there at the end of the day."""
        return self.resolved_by_tier[tier] + self.open_by_tier[tier]
