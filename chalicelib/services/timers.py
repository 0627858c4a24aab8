"""Firing timers: one handler per kind, shared by the SQS consumer and the local worker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from chalicelib.observability import logger
from chalicelib.ports import Timer
from chalicelib.services import bookings, callbacks, cases, waitlist
from chalicelib.services.booking_common import NO_SHOW_TIMER, OFFER_TIMER, REMINDER_TIMER
from chalicelib.services.context import Context

Handler = Callable[[Context, str], object]

HANDLERS: dict[str, Handler] = {cases.DEADLINE_TIMER: cases.handle_deadline}
HANDLERS[callbacks.WINDOW_END_TIMER] = callbacks.handle_window_end
HANDLERS[callbacks.CLAIM_EXPIRY_TIMER] = callbacks.handle_claim_expiry
HANDLERS[REMINDER_TIMER] = bookings.handle_reminder
HANDLERS[NO_SHOW_TIMER] = bookings.handle_no_show
HANDLERS[OFFER_TIMER] = waitlist.handle_offer_expiry


def register(kind: str, handler: Handler) -> None:
    HANDLERS[kind] = handler


def fire(ctx: Context, timer: Timer) -> None:
    """Runs a due timer. Handlers are idempotent, so a duplicate delivery is harmless."""
    handler = HANDLERS.get(timer.kind)
    if handler is None:
        raise LookupError(f"no handler for timer kind {timer.kind!r}")
    result = handler(ctx, timer.key)
    logger.info("timer fired", extra={"kind": timer.kind, "key": timer.key, "result": result})


def on_delivery(ctx: Context, timer: Timer, now: datetime) -> bool:
    """Fires the timer if due, otherwise sends it back to wait; returns whether it fired."""
    if timer.due_at > now:
        ctx.timers.schedule(timer)
        return False
    fire(ctx, timer)
    return True


def sweep(ctx: Context) -> int:
    """The scheduled safety net: every feature's overdue work, found through its index."""
    return cases.sweep(ctx) + sum(s(ctx) for s in SWEEPERS)


SWEEPERS: list[Callable[[Context], int]] = []
SWEEPERS.append(callbacks.sweep_missed)
SWEEPERS.append(bookings.sweep)
