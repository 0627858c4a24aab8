"""The outbox: every message to a citizen is an item in the table, written in the same
transaction as the change that causes it (see unit_of_work), and delivered afterwards.

A message waits in the ``OUTBOX_DUE`` partition of the due index (gsi2) under the time of its
next attempt. ``deliver`` takes each due message with a write conditioned on its generation
(so of two drains exactly one sends it), sends it, and marks it sent; a failed send is tried
again after a backoff, and after ``MAX_TRIES`` the message moves to ``OUTBOX_DEAD`` for an
operator (metric ``MessagesDeadLettered``). The ``OUTBOX`` partition keeps every message, newest
first: the dev outbox view.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from chalicelib.observability import count, logger
from chalicelib.ports import Attachment, Message, Sender

from .case_items import sortable
from .table import (
    MAX_TRANSACTION_ITEMS,
    ConditionFailed,
    Equals,
    Item,
    Key,
    KeyRange,
    Put,
    Table,
    Update,
)
from .unit_of_work import defer

DUE = "OUTBOX_DUE"
DEAD = "OUTBOX_DEAD"
PAGE = 100
MAX_TRIES = 5  # then an operator looks at it
LEASE = timedelta(minutes=5)  # a drain that took a message and died: another sends it then
# A sent message keeps only what it was (template, language), and only this long.
SENT_RETENTION = timedelta(days=30)
# A dead message keeps its body for an operator to resend, then goes with the table's TTL.
DEAD_RETENTION = timedelta(days=14)


def backoff(tries: int) -> timedelta:
    return timedelta(minutes=2**tries)  # 2, 4, 8, 16 minutes


def fields_of(message: Message) -> dict[str, Any]:
    """``asdict(message)`` without its deep copies (every field is a string or None)."""
    raw = dict(vars(message))
    raw["attachments"] = tuple(dict(vars(a)) for a in message.attachments)
    return raw


def message_of(item: Item) -> Message:
    raw = json.loads(item["message"])
    raw["attachments"] = tuple(Attachment(**a) for a in raw.get("attachments", ()))
    return Message(**raw)


def delivered(message: Message) -> dict[str, Any]:
    """What a sent message keeps: no address, no body, no attachment (tokens live there);
    a digest of it lets the local run's mailbox (devtools) show what was sent."""
    return {"template": message.template, "language": message.language, "digest": digest(message)}


def digest(message: Message) -> str:
    return hashlib.sha256(json.dumps(fields_of(message), sort_keys=True).encode()).hexdigest()


def expiry(now: datetime, keep: timedelta) -> int:
    return int((now + keep).timestamp())


class OutboxNotifier:
    def __init__(self, table: Table, now: Callable[[], datetime], together: int = 1) -> None:
        # together: messages taken (and marked sent) in one write; see docs/architecture.md.
        self._table = table
        self._now = now
        self._together = max(1, min(together, MAX_TRANSACTION_ITEMS))

    def send(self, message: Message) -> None:
        """Keeps the message, in the open unit of work's transaction if there is one."""
        at = self._now()
        # Real nanoseconds break ties when a test's clock stands still.
        sk = f"{sortable(at)}#{time.time_ns():020d}#{uuid.uuid4().hex[:8]}"
        put = Put(
            {
                "pk": "OUTBOX",
                "sk": sk,
                "at": at.isoformat(),
                "message": json.dumps(fields_of(message), ensure_ascii=False),
                "state": "pending",
                "gen": 0,
                "tries": 0,
                "gsi2pk": DUE,
                "gsi2sk": f"{sortable(at)}#{sk}",
            }
        )
        if not defer(put):
            self._table.write(put)

    def messages(self, limit: int = 50) -> list[dict[str, Any]]:
        """Newest first, whether delivered yet or not."""
        items = self._table.query("OUTBOX", limit=limit, newest_first=True)
        return [{"at": i["at"], "state": i.get("state"), **json.loads(i["message"])} for i in items]

    def dead_letters(self, limit: int = 50) -> list[dict[str, Any]]:
        """Messages that failed ``MAX_TRIES`` times, for an operator."""
        items = self._table.query(DEAD, index="gsi2", limit=limit)
        return [{"at": i["at"], "error": i.get("error"), **json.loads(i["message"])} for i in items]

    def deliver(
        self, sender: Sender, more: Callable[[], bool] | None = None, page: int | None = None
    ) -> int:
        sent, page = 0, page or PAGE
        while True:
            now = self._now()
            bounds = KeyRange(high=sortable(now) + "\uffff")
            items = self._table.query(DUE, bounds, index="gsi2", limit=page)
            for first in range(0, len(items), self._together):
                batch = items[first : first + self._together]
                sent += self._deliver_together(batch, sender, now)
            if len(items) < page or (more is not None and not more()):
                return sent

    def _deliver_together(self, items: list[Item], sender: Sender, now: datetime) -> int:
        # Each is taken on its own generation: of two drains exactly one sends it.
        done = []
        for item, take in self._write_steps([_take(item, now) for item in items]):
            gen = take.set["gen"]
            message = message_of(item)
            try:
                sender.send(message)
            except Exception as error:
                self._failed(item, gen, now, error)
                continue
            done.append(_sent(item, gen, message, now))
        self._write_steps(done)
        return len(done)

    def _write_steps(self, steps: list[_Step]) -> list[_Step]:
        # At once, leaving out any whose message another drain moved.
        while steps:
            try:
                if len(steps) == 1:
                    self._table.write(steps[0][1])
                else:
                    self._table.transact([update for _, update in steps])
                return steps
            except ConditionFailed as failure:
                del steps[failure.index]
        return steps

    def _failed(self, item: Item, gen: int, now: datetime, error: Exception) -> None:
        tries = int(item.get("tries", 0)) + 1
        reason = f"{type(error).__name__}: {error}"[:500]
        if tries >= MAX_TRIES:
            count("MessagesDeadLettered")
            logger.error("message dead-lettered", extra={"sk": item["sk"], "error": reason})
            expires_at = expiry(now, DEAD_RETENTION)
            fields = {"tries": tries, "error": reason, "gsi2pk": DEAD, "expires_at": expires_at}
            self._write_steps([_step(item, gen, gen + 1, state="dead", **fields)])
            return
        logger.warning("message not sent, will retry", extra={"sk": item["sk"], "error": reason})
        next_at = now + backoff(tries)
        retry = _step(item, gen, gen + 1, next_at, state="pending", tries=tries, error=reason)
        self._write_steps([retry])


_Step = tuple[Item, Update]  # a message moved on, if it is still at the generation read


def _step(
    item: Item, gen: int, new_gen: int, next_at: datetime | None = None, **fields: Any
) -> _Step:
    if next_at is not None:
        fields["gsi2sk"] = f"{sortable(next_at)}#{item['sk']}"
    elif fields.get("gsi2pk") is None and "gsi2pk" in fields:
        fields["gsi2sk"] = None
    elif "gsi2pk" in fields:
        fields["gsi2sk"] = f"{item['at']}#{item['sk']}"
    key = Key(item["pk"], item["sk"])
    return item, Update(key, set={**fields, "gen": new_gen}, condition=Equals("gen", gen))


def _take(item: Item, now: datetime) -> _Step:
    gen = int(item["gen"])
    return _step(item, gen, gen + 1, state="sending", next_at=now + LEASE)


def _sent(item: Item, gen: int, message: Message, now: datetime) -> _Step:
    # Its body held the citizen's links and tokens and its address: once SES or SNS has it,
    # the outbox keeps only that it was sent, and drops even that after a while.
    return _step(
        item,
        gen,
        gen + 1,
        state="sent",
        sent_at=now.isoformat(),
        gsi2pk=None,
        message=json.dumps(delivered(message), ensure_ascii=False),
        expires_at=expiry(now, SENT_RETENTION),
    )


class LoggingSender:
    """The local run's delivery: the message is in the dev outbox view; a line says so."""

    def send(self, message: Message) -> None:
        # The channel, never the address: a log line must not name the citizen.
        channel = "email" if message.email else "sms"
        logger.info("message delivered", extra={"template": message.template, "channel": channel})
