"""Rate-limit counters carried by the first change a request writes.

While ``TableRateLimiter.metered`` is open on a thread, the quotas of the request wait here.
The first transaction (or conditional put or delete) the request writes takes them into the
same all-or-nothing write, in front of its own operations: a spent quota refuses the request
(``RateLimited``) and nothing of the change is written; a change that fails for its own reason
spends no quota. A request that writes nothing (an idempotent replay) has its counters raised
in one transaction when the block ends.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.errors import RateLimited
from chalicelib.domain.limits import Quota

from .table import Below, ConditionFailed, Delete, Key, Operation, Put, Table, Update

_waiting = threading.local()

# A window's counter outlives its window by a little, then the table's TTL removes it.
EXPIRY_MARGIN_SECONDS = 300


@dataclass(frozen=True)
class Metered:
    """The counter updates of one request, and what each refusal says."""

    ops: tuple[Update, ...]
    refusals: tuple[RateLimited, ...]

    def run(self, table: Table, ops: Sequence[Operation]) -> None:
        """Writes ``ops`` with the counters in front, in one transaction."""
        try:
            table.transact([*self.ops, *ops])
        except ConditionFailed as failure:
            if failure.index < len(self.ops):
                raise self.refusals[failure.index] from None
            raise ConditionFailed(failure.index - len(self.ops)) from None


def counter_op(quota: Quota) -> Update:
    start = int(quota.window_start.timestamp())
    return Update(
        Key(f"LIMIT#{quota.name}", f"W#{start}"),
        add={"count": 1},
        set={"expires_at": int(quota.window_end.timestamp()) + EXPIRY_MARGIN_SECONDS},
        condition=Below("count", quota.limit),
    )


def take_waiting(ops: Sequence[Operation]) -> Metered | None:
    """The waiting counters, for a write that can carry them (they leave the queue)."""
    # An Update written alone returns the item (an atomic counter): it stays a single write.
    if len(ops) == 1 and not isinstance(ops[0], Put | Delete):
        return None
    metered: Metered | None = getattr(_waiting, "metered", None)
    _waiting.metered = None
    return metered


class TableRateLimiter:
    def __init__(self, table: Table) -> None:
        self._table = table

    @contextmanager
    def metered(self, quotas: Sequence[Quota], now: datetime) -> Iterator[None]:
        if not quotas or getattr(_waiting, "metered", None) is not None:
            yield
            return
        metered = Metered(
            tuple(counter_op(q) for q in quotas), tuple(q.refusal(now) for q in quotas)
        )
        _waiting.metered = metered
        try:
            yield
            left = _waiting.metered
        finally:
            _waiting.metered = None
        if left is not None:
            left.run(self._table, [])
