"""A case's deadlines: the tier's service-level targets and the statutory due date.

Targets count business time on the owning team's calendar; the statutory date counts working
days. While the case awaits the citizen the clocks are paused, and resuming shifts every
deadline by the business time that was left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.calendar import BusinessCalendar
from chalicelib.domain.directory import Route


@dataclass
class Clocks:
    """The case's deadlines. ``paused_at`` is set while the case awaits the citizen."""

    tier_started_at: datetime
    resolution_due: datetime
    warn_at: datetime | None
    first_response_due: datetime | None
    statutory_due: datetime
    paused_at: datetime | None = None
    # The owner has had the warning for this tier; warn_at stays, for the queue's colours.
    warned: bool = False

    @classmethod
    def starting(cls, route: Route, now: datetime, statutory_due: datetime) -> Clocks:
        """Fresh targets for a tier starting now; the statutory date carries over."""
        target, calendar = route.target, route.calendar
        return cls(
            tier_started_at=now,
            resolution_due=calendar.add(now, target.resolution),
            warn_at=calendar.add(now, target.resolution * target.warn_ratio),
            first_response_due=calendar.add(now, target.first_response),
            statutory_due=statutory_due,
        )

    def next_due(self) -> datetime:
        """The earliest deadline still to act on (the warning only until it was given)."""
        pending = (
            None if self.warned else self.warn_at,
            self.first_response_due,
            self.resolution_due,
        )
        return min(d for d in pending if d is not None)

    def resume(self, now: datetime, team: BusinessCalendar, working: BusinessCalendar) -> None:
        """Restarts paused clocks: each deadline keeps the business time it had left."""
        paused = self.paused_at
        if paused is None:
            return

        def shift(due: datetime | None, calendar: BusinessCalendar) -> datetime | None:
            return None if due is None else calendar.add(now, calendar.elapsed(paused, due))

        self.resolution_due = shift(self.resolution_due, team) or self.resolution_due
        self.warn_at = shift(self.warn_at, team)
        self.statutory_due = shift(self.statutory_due, working) or self.statutory_due
        self.paused_at = None
