"""The service-quality counters: added to with each change, read for a period in one query."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from chalicelib.domain.kpi_tallies import Tally


class KpiCounters(Protocol):
    def add(self, tallies: Iterable[Tally]) -> None:
        """Adds the tallies; inside a unit of work they join the change's transaction."""
        ...

    def days(self, first: date, last: date) -> list[Tally]:
        """Every day counter from ``first`` to ``last`` (Athens days, inclusive): one query."""
        ...

    def gauges(self) -> list[Tally]:
        """The counters of the present (open cases per agency, team and channel): one query."""
        ...
