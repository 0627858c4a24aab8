"""Timers on SQS, one message each however far away they are.

SQS delays a message by at most 15 minutes. A timer due sooner is sent at once; a later one
waits in the table's due index (``TableTimers``) until the pump, run every minute, hands it
to SQS with the delay left. The pump also sends again, once, a timer whose message was lost.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from chalicelib.adapters.local_timers import TableTimers
from chalicelib.adapters.unit_of_work import deferring
from chalicelib.observability import logger
from chalicelib.ports import Timer

MAX_DELAY_SECONDS = 900
LEAD = timedelta(seconds=MAX_DELAY_SECONDS)
PAGE = 100
BATCH = 10  # SendMessageBatch takes ten messages


def encode(timer: Timer) -> str:
    raw = {"v": 2, "kind": timer.kind, "key": timer.key, "due_at": timer.due_at.isoformat()}
    return json.dumps(raw)


def decode(body: str) -> Timer:
    raw = json.loads(body)
    return Timer(str(raw["kind"]), str(raw["key"]), datetime.fromisoformat(raw["due_at"]))


def is_legacy(body: str) -> bool:
    """A message sent before timers were kept in the table: it has no item to find."""
    return "v" not in json.loads(body)


def delay_for(timer: Timer, now: datetime) -> int:
    remaining = (timer.due_at - now).total_seconds()
    return max(0, min(MAX_DELAY_SECONDS, int(remaining + 0.999)))


class SqsTimers:
    def __init__(
        self, client: Any, queue_url: str, book: TableTimers, now: Any, workers: int = 8
    ) -> None:
        self._client = client
        self._queue_url = queue_url
        self._book = book
        self._now = now
        self._workers = workers

    def schedule(self, timer: Timer) -> None:
        now = self._now()
        if timer.due_at - now > LEAD or deferring():
            # The pump sends it in its last fifteen minutes; in a unit of work nothing is sent
            # before the change commits, so the pump sends it within the minute.
            self._book.schedule(timer)
        elif self._book.schedule_sent(timer, now):
            self._send([timer], now)

    def waiting(self, timer: Timer) -> bool:
        return self._book.waiting(timer)

    def done(self, timer: Timer) -> None:
        self._book.done(timer)

    def retry(self, timer: Timer) -> None:
        """Sends again a message that arrived before its time (its item stays as it is)."""
        self._send([timer], self._now())

    def pump(self, more: Callable[[], bool] | None = None) -> int:
        """Hands to SQS every timer whose step is due, page by page while ``more()`` allows;
        the next run starts again from the head of the index, where the taken ones are gone."""
        sent, after = 0, None
        with ThreadPoolExecutor(max_workers=self._workers) as pool:
            while True:
                now = self._now()
                items = self._book.page(now, after, PAGE)
                if not items:
                    break
                after = items[-1]["gsi2sk"]
                claims = pool.map(self._book.claim, items, [now] * len(items))
                taken = [t for t in claims if t]
                self._send(taken, now)
                sent += len(taken)
                if len(items) < PAGE or (more is not None and not more()):
                    break
        return sent

    def _send(self, timers: Iterable[Timer], now: datetime) -> None:
        batch = list(timers)
        for start in range(0, len(batch), BATCH):
            entries = [
                {"Id": str(n), "MessageBody": encode(t), "DelaySeconds": delay_for(t, now)}
                for n, t in enumerate(batch[start : start + BATCH])
            ]
            response = self._client.send_message_batch(QueueUrl=self._queue_url, Entries=entries)
            for failed in response.get("Failed", []):
                # The timer stays in the index as sent: the pump sends it again after the grace.
                logger.warning("timer message refused", extra={"entry": failed})
