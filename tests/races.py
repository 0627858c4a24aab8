"""Races hit every time, not by chance: a competitor's whole use case lands in the instant
between the victim's decision and the victim's write.

The victim's context runs over ``CompetitorFirst``, the real table with one difference: the
first write or transaction that touches a watched key runs the competitor first (on a
context over the real table, so through the same services). The victim has already read and
decided on what it saw; its write then lands second, and the store's conditions must refuse it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from chalicelib import bootstrap
from chalicelib.adapters.table import Item, Key, Operation, Table
from chalicelib.config import Settings
from chalicelib.services.context import Context


class CompetitorFirst:
    """Delegates everything to ``table``; the first ``write``/``transact`` with an operation on a
    key for which ``watched(key)`` holds first runs ``competitor`` (once), keeping its result."""

    def __init__(self, table: Table, watched: Callable[[Key], bool], competitor: Callable[[], Any]):
        self._table = table
        self._watched = watched
        self._competitor: Callable[[], Any] | None = competitor
        self.competitor_result: Any = None

    @property
    def raced(self) -> bool:
        """Whether the competitor has run (the race was hit)."""
        return self._competitor is None

    def write(self, op: Operation) -> Item | None:
        self._race([op])
        return self._table.write(op)

    def transact(self, ops: Sequence[Operation]) -> None:
        self._race(ops)
        self._table.transact(ops)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._table, name)

    def _race(self, ops: Sequence[Operation]) -> None:
        if self._competitor and any(self._watched(op.key) for op in ops):
            competitor, self._competitor = self._competitor, None
            self.competitor_result = competitor()


def pk_starts_with(prefix: str) -> Callable[[Key], bool]:
    return lambda key: key.pk.startswith(prefix)


def sk_is(sk: str) -> Callable[[Key], bool]:
    return lambda key: key.sk == sk


def losing_context(
    ctx: Context, table: Table, watched: Callable[[Key], bool], competitor: Callable[[], Any]
) -> tuple[Context, CompetitorFirst]:
    """The victim's context: like ``ctx`` (same clock, timers, outbox, callback rosters), over
    ``table`` wrapped so that ``competitor`` writes first. ``ctx`` must be over ``table``."""
    store = CompetitorFirst(table, watched, competitor)
    victim = bootstrap.build(
        Settings(),
        clock=ctx.clock,
        table=store,  # type: ignore[arg-type]
        timers=ctx.timers,
        notifier=ctx.notifier,
        callback_config=ctx.callback_config,
    )
    return victim, store
