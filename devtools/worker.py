"""The local deadline worker: fires due timers from the table, and sweeps, on a thread.

It stands in for SQS and the scheduled sweeper of the AWS deployment.
"""

from __future__ import annotations

import threading

from chalicelib.adapters.local_timers import TableTimers
from chalicelib.adapters.sqlite.table import SqliteTable
from chalicelib.observability import logger
from chalicelib.services import timers
from chalicelib.services.context import Context
from devtools.mailbox import MAILBOX


def run_due(ctx: Context, local_timers: TableTimers) -> int:
    """Fires every timer that is due now, sweeps and delivers the outbox; returns how many
    timers fired."""
    fired = fire_due(ctx, local_timers)
    deliver(ctx)
    remove_expired(ctx, local_timers)
    return fired


def fire_due(ctx: Context, local_timers: TableTimers) -> int:
    """Fires every due timer, then sweeps."""
    fired = 0
    while True:
        due = local_timers.due(ctx.clock.now())
        if not due:
            break
        for timer in due:
            try:
                timers.fire(ctx, timer)
            except Exception:
                # As with SQS: a failing timer is logged and dropped after its try; the sweeper
                # remains the safety net for the work it stood for.
                logger.exception("timer failed", extra={"kind": timer.kind, "key": timer.key})
            local_timers.done(timer)
            fired += 1
    timers.sweep(ctx)
    return fired


def deliver(ctx: Context) -> int:
    # The messages the timers and the requests wrote, as the outbox drain sends them in AWS.
    return ctx.notifier.deliver(MAILBOX)


def remove_expired(ctx: Context, local_timers: TableTimers) -> None:
    if isinstance(local_timers.table, SqliteTable):
        local_timers.table.remove_expired(int(ctx.clock.now().timestamp()))


# The TTL sweep reads every item (as DynamoDB's TTL does in the background): once a minute.
EXPIRY_ROUNDS = 60


class DeadlineWorker(threading.Thread):
    """Every ``interval``: fires due timers and sweeps holding the requests' lock, as before,
    then delivers the outbox without it.

    Delivery takes each message with a conditional write before sending it, so it runs beside
    requests as the drain Lambda does in AWS; held under the lock, a busy second's messages
    (two writes each) stopped every request for as long as they took."""

    def __init__(
        self, ctx: Context, local_timers: TableTimers, lock: threading.Lock, interval: float = 1.0
    ) -> None:
        super().__init__(name="deadline-worker", daemon=True)
        self._ctx = ctx
        self._timers = local_timers
        self._lock = lock
        self._interval = interval
        self._stop = threading.Event()

    def run(self) -> None:
        rounds = 0
        while not self._stop.wait(self._interval):
            rounds += 1
            try:
                with self._lock:
                    fire_due(self._ctx, self._timers)
                deliver(self._ctx)
                if rounds % EXPIRY_ROUNDS == 0:
                    remove_expired(self._ctx, self._timers)
            except Exception:
                logger.exception("deadline worker round failed")

    def stop(self) -> None:
        self._stop.set()
