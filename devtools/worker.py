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
    # The messages the timers and the requests wrote, as the outbox drain sends them in AWS.
    ctx.notifier.deliver(MAILBOX)
    if isinstance(local_timers.table, SqliteTable):
        local_timers.table.remove_expired(int(ctx.clock.now().timestamp()))
    return fired


class DeadlineWorker(threading.Thread):
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
        while not self._stop.wait(self._interval):
            with self._lock:
                try:
                    run_due(self._ctx, self._timers)
                except Exception:
                    logger.exception("deadline worker round failed")

    def stop(self) -> None:
        self._stop.set()
