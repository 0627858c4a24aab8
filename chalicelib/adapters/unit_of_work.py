"""The side effects a use case decides on (messages to citizens, timers, KPI counters),
carried by the write that records its change, in the same transaction.

While ``TableUnitOfWork.collect()`` is open on a thread, the outbox and the timers queue their
items here instead of writing them; the repository write of the change takes them with
``carried()`` and adds them to its transaction. Whatever no write took (a use case whose
repository does not carry them yet) is written when the block ends, as before; nothing is
written if the block fails.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from .table import Key, Put, Table, Update

_open = threading.local()


def defer(op: Put) -> bool:
    """Queues the item if a unit of work is open on this thread (one op per key)."""
    queued: dict[Key, Put | Update] | None = getattr(_open, "ops", None)
    if queued is None:
        return False
    queued[op.key] = op
    return True


def defer_add(op: Update) -> bool:
    """Queues an unconditional increment if a unit of work is open; increments of one item
    are summed into one update (a transaction may touch an item once)."""
    queued: dict[Key, Put | Update] | None = getattr(_open, "ops", None)
    if queued is None:
        return False
    prior = queued.get(op.key)
    if isinstance(prior, Update):
        add = {n: prior.add.get(n, 0) + op.add.get(n, 0) for n in prior.add.keys() | op.add.keys()}
        op = Update(op.key, add=add, set={**prior.set, **op.set})
    queued[op.key] = op
    return True


def deferring() -> bool:
    return getattr(_open, "ops", None) is not None


def carried() -> list[Put | Update]:
    """The queued items, for the caller's transaction; they leave the queue."""
    queued: dict[Key, Put | Update] | None = getattr(_open, "ops", None)
    if not queued:
        return []
    taken = list(queued.values())
    queued.clear()
    return taken


class TableUnitOfWork:
    def __init__(self, table: Table) -> None:
        self._table = table

    @contextmanager
    def collect(self) -> Iterator[None]:
        if deferring():  # nested: the outer unit carries everything
            yield
            return
        _open.ops = {}
        try:
            yield
            left = carried()
        finally:
            _open.ops = None
        for op in left:
            self._table.write(op)
