"""Timers kept in the table and fired by a worker thread: the local stand-in for SQS."""

from __future__ import annotations

from datetime import datetime

from chalicelib.ports import Timer

from .case_items import sortable
from .table import Delete, Key, KeyRange, Put, Table


class TableTimers:
    def __init__(self, table: Table) -> None:
        self._table = table

    @property
    def table(self) -> Table:
        """The table the worker also keeps (it removes expired items, as DynamoDB's TTL does)."""
        return self._table

    def schedule(self, timer: Timer) -> None:
        # One item per (kind, key, due): scheduling the same wake-up twice keeps one.
        sk = f"{sortable(timer.due_at)}#{timer.kind}#{timer.key}"
        self._table.write(
            Put(
                {
                    "pk": "TIMER#" + sk,
                    "sk": "TIMER",
                    "gsi2pk": "TIMERS",
                    "gsi2sk": sk,
                    "kind": timer.kind,
                    "key": timer.key,
                    "due_at": timer.due_at.isoformat(),
                }
            )
        )

    def due(self, now: datetime, limit: int = 100) -> list[Timer]:
        items = self._table.query(
            "TIMERS", KeyRange(high=sortable(now) + "\uffff"), index="gsi2", limit=limit
        )
        return [Timer(i["kind"], i["key"], datetime.fromisoformat(i["due_at"])) for i in items]

    def done(self, timer: Timer) -> None:
        sk = f"{sortable(timer.due_at)}#{timer.kind}#{timer.key}"
        self._table.write(Delete(Key("TIMER#" + sk, "TIMER")))
