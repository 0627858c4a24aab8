"""KPI counter items: ``KPI`` / ``<day>#<agency>#<team>#<channel>`` for the days, so one Query
over a sort-key range reads a period for every agency; ``KPINOW`` / ``<agency>#<team>#<channel>``
for the gauges of the present. Items are only ever added to (``UpdateItem ADD``), inside the
transaction of the change that causes them when a unit of work is open."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from chalicelib.domain.kpi_tallies import Tally, merged

from .table import Item, Key, KeyRange, Table, Update
from .unit_of_work import defer_add

DAYS, NOW = "KPI", "KPINOW"
_FIELDS = ("pk", "sk", "day", "agency", "team", "channel")


def tally_key(tally: Tally) -> Key:
    where = f"{tally.agency}#{tally.team}#{tally.channel}"
    return Key(NOW, where) if tally.day is None else Key(DAYS, f"{tally.day.isoformat()}#{where}")


def tally_ops(tallies: Iterable[Tally]) -> list[Update]:
    """One unconditional increment per counter item."""
    return [
        Update(
            tally_key(t),
            add=dict(t.counts),
            set={
                "agency": t.agency,
                "team": t.team,
                "channel": t.channel,
                "day": t.day.isoformat() if t.day else None,
            },
        )
        for t in merged(tallies)
    ]


def tally_of(item: Item) -> Tally:
    day = date.fromisoformat(item["day"]) if item.get("day") else None
    counts = {k: int(v) for k, v in item.items() if k not in _FIELDS and v is not None}
    return Tally(day, item["agency"], item["team"], item["channel"], counts)


def unless_deferred(tallies: Iterable[Tally]) -> list[Update]:
    """The increments no open unit of work took: for the caller's own transaction."""
    return [op for op in tally_ops(tallies) if not defer_add(op)]


class TableKpiCounters:
    def __init__(self, table: Table) -> None:
        self._table = table

    def add(self, tallies: Iterable[Tally]) -> None:
        left = unless_deferred(tallies)
        if len(left) == 1:
            self._table.write(left[0])
        elif left:
            self._table.transact(left)

    def days(self, first: date, last: date) -> list[Tally]:
        span = KeyRange(low=first.isoformat(), high=f"{last.isoformat()}#\uffff")
        return [tally_of(i) for i in self._table.query(DAYS, span)]

    def gauges(self) -> list[Tally]:
        return [tally_of(i) for i in self._table.query(NOW)]
