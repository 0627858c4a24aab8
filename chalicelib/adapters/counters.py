"""Atomic counters: the store increments, so two requests never get the same number."""

from __future__ import annotations

from .table import Key, Table, Update


class TableCounters:
    def __init__(self, table: Table) -> None:
        self._table = table

    def next(self, name: str) -> int:
        item = self._table.write(Update(Key(f"COUNTER#{name}", "COUNTER"), add={"value": 1}))
        assert item is not None
        return int(item["value"])
