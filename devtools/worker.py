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


def deliver(ctx: Context, lock: threading.Lock | None = None) -> int:
    """The messages the timers and the requests wrote, as the outbox drain sends them in AWS.

    With the requests' ``lock``, a page at a time under it: the worker takes its turn like one
    more request. Run beside a request instead, the two fought over the interpreter (the GIL)
    while every other request waited for the one holding the app: a second's delivery, in one
    go or beside the requests, stretched the slowest requests under load by half or more."""
    if lock is None:
        return ctx.notifier.deliver(MAILBOX)
    sent = 0
    while True:
        with lock:
            # One page per turn: ``more`` says no after the first.
            delivered = ctx.notifier.deliver(MAILBOX, lambda: False, DELIVERY_PAGE)
        sent += delivered
        if delivered < DELIVERY_PAGE:
            return sent


# Messages delivered per turn of the requests' lock: about as long as two or three requests.
DELIVERY_PAGE = 20


def remove_expired(ctx: Context, local_timers: TableTimers) -> None:
    if isinstance(local_timers.table, SqliteTable):
        local_timers.table.remove_expired(int(ctx.clock.now().timestamp()))


# The TTL sweep reads every item (as DynamoDB's TTL does in the background): once a minute.
EXPIRY_ROUNDS = 60


class DeadlineWorker(threading.Thread):
    """Every ``interval``: fires due timers and sweeps holding the requests' lock, then
    delivers the outbox a page at a time under it (see ``deliver``): held for the whole
    backlog, a busy second's messages stopped every request for as long as they took."""

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
                deliver(self._ctx, self._lock)
                if rounds % EXPIRY_ROUNDS == 0:
                    remove_expired(self._ctx, self._timers)
            except Exception:
                logger.exception("deadline worker round failed")

    def stop(self) -> None:
        self._stop.set()
