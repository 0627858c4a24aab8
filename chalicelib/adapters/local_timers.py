"""Timers kept in the table: the due index both runs share.

Every timer is one item, in the ``TIMERS`` index under the time of its next step:
- pending: the time it should be handed to the queue (``lead`` before it is due; locally the
  lead is zero and the worker fires it from here);
- sent: a while after it was due (``grace``), when a message that never arrived is sent again.
A handed-over timer moves from pending to sent by a write conditioned on its generation, so
two pumps never send it twice; firing deletes it, so a second delivery finds nothing to do.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.observability import count, logger
from chalicelib.ports import Timer

from .case_items import sortable
from .table import Absent, ConditionFailed, Delete, Equals, Item, Key, KeyRange, Put, Table, Update
from .unit_of_work import defer

INDEX_PK = "TIMERS"
GRACE = timedelta(minutes=10)  # longer than a busy queue keeps a due message waiting
MAX_SENDS = 4  # the first message and three more after a loss; then left for an operator


def timer_key(timer: Timer) -> Key:
    # One item per (kind, key, due): scheduling the same wake-up twice keeps one.
    return Key(f"TIMER#{sortable(timer.due_at)}#{timer.kind}#{timer.key}", "TIMER")


def as_timer(item: Item) -> Timer:
    return Timer(item["kind"], item["key"], datetime.fromisoformat(item["due_at"]))


class TableTimers:
    def __init__(
        self, table: Table, lead: timedelta = timedelta(0), grace: timedelta = GRACE
    ) -> None:
        self._table = table
        self._lead = lead
        self._grace = grace

    @property
    def table(self) -> Table:
        """The table the worker also keeps (it removes expired items, as DynamoDB's TTL does)."""
        return self._table

    def schedule(self, timer: Timer) -> None:
        self._add(timer, "pending", timer.due_at - self._lead)

    def schedule_sent(self, timer: Timer, now: datetime) -> bool:
        """Records a timer handed to the queue at once; False if it was already recorded."""
        return self._add(timer, "sent", self._recovery_at(timer, now))

    def _add(self, timer: Timer, state: str, step_at: datetime) -> bool:
        item = {
            **_key_attrs(timer_key(timer)),
            "kind": timer.kind,
            "key": timer.key,
            "due_at": timer.due_at.isoformat(),
            "state": state,
            "gen": 1,
            "sends": 1 if state == "sent" else 0,
            **self._index(timer, step_at),
        }
        # In a unit of work the timer rides in the change's transaction, unconditionally: a
        # timer already there is put back pending, and firing twice is a no-op.
        if defer(Put(item)):
            return True
        try:
            self._table.write(Put(item, Absent()))
        except ConditionFailed:
            return False
        return True

    def waiting(self, timer: Timer) -> bool:
        """Whether the timer is still to fire (False once it has fired)."""
        return self._table.get(timer_key(timer)) is not None

    def done(self, timer: Timer) -> None:
        self._table.write(Delete(timer_key(timer)))

    def due(self, now: datetime, limit: int = 100) -> list[Timer]:
        """Timers whose next step is due (locally: the timers to fire)."""
        return [as_timer(i) for i in self.page(now, None, limit)]

    def page(self, now: datetime, after: str | None, limit: int) -> list[Item]:
        """A page of the index up to now, after the sort key ``after`` (where the last stopped)."""
        low = None if after is None else after + "\x00"
        bounds = KeyRange(low=low, high=sortable(now) + "\uffff")
        return self._table.query(INDEX_PK, bounds, index="gsi2", limit=limit)

    def claim(self, item: Item, now: datetime) -> Timer | None:
        """Takes the timer to hand to the queue: exactly one caller wins for a generation.
        None when another pump took it first, it fired meanwhile, or it was sent too often."""
        timer = as_timer(item)
        sends = int(item.get("sends", 0)) + 1
        if sends > MAX_SENDS:
            fields = {"state": "abandoned", "gsi2pk": None, "gsi2sk": None}
        else:
            recover_at = self._recovery_at(timer, now)
            fields = {"state": "sent", "sends": sends, **self._index(timer, recover_at)}
        update = Update(
            timer_key(timer),
            set={**fields, "gen": int(item["gen"]) + 1},
            condition=Equals("gen", item["gen"]),
        )
        try:
            self._table.write(update)
        except ConditionFailed:
            return None
        if sends > MAX_SENDS:
            count("TimersAbandoned")
            logger.error("timer abandoned", extra={"kind": timer.kind, "key": timer.key})
            return None
        return timer

    def _recovery_at(self, timer: Timer, now: datetime) -> datetime:
        return max(timer.due_at, now) + self._grace

    @staticmethod
    def _index(timer: Timer, step_at: datetime) -> Item:
        return {"gsi2pk": INDEX_PK, "gsi2sk": f"{sortable(step_at)}#{timer.kind}#{timer.key}"}

    # The local run has no queue: its worker fires pending timers straight from the table.
    def pump(self, more: object = None) -> int:
        return 0

    def retry(self, timer: Timer) -> None:
        """A timer delivered early stays pending; the worker fires it when it is due."""


def _key_attrs(key: Key) -> Item:
    return {"pk": key.pk, "sk": key.sk}
