"""Firing timers: one handler per kind, shared by the SQS consumer and the local worker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from chalicelib.observability import logger
from chalicelib.ports import Timer
from chalicelib.services import bookings, callbacks, cases, waitlist
from chalicelib.services.booking_common import (
    FREED_TIMER,
    NO_SHOW_TIMER,
    OFFER_TIMER,
    REMINDER_TIMER,
)
from chalicelib.services.context import Context
from chalicelib.services.erasure import ERASURE_TIMER, handle_erasure
from chalicelib.services.retention import sweep_retention

Handler = Callable[[Context, str], object]

HANDLERS: dict[str, Handler] = {cases.DEADLINE_TIMER: cases.handle_deadline}
HANDLERS[callbacks.WINDOW_END_TIMER] = callbacks.handle_window_end
HANDLERS[callbacks.CLAIM_EXPIRY_TIMER] = callbacks.handle_claim_expiry
HANDLERS[REMINDER_TIMER] = bookings.handle_reminder
HANDLERS[NO_SHOW_TIMER] = bookings.handle_no_show
HANDLERS[OFFER_TIMER] = waitlist.handle_offer_expiry
HANDLERS[ERASURE_TIMER] = handle_erasure
HANDLERS[FREED_TIMER] = waitlist.handle_freed


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
    """Fires a delivered timer once: a repeated delivery finds it gone and does nothing; one
    that came early waits for the rest. Returns whether it fired."""
    if not ctx.timers.waiting(timer):
        return False
    if timer.due_at > now:
        ctx.timers.retry(timer)
        return False
    fire(ctx, timer)
    ctx.timers.done(timer)
    return True


def adopt(ctx: Context, timer: Timer, now: datetime) -> bool:
    """A message from before timers were kept in the index: fired if due, else indexed."""
    if timer.due_at > now:
        ctx.timers.schedule(timer)
        return False
    fire(ctx, timer)
    return True


def pump(ctx: Context, more: Callable[[], bool] | None = None) -> int:
    """Hands timers coming due to the queue and sends again the lost ones (every minute)."""
    return ctx.timers.pump(more)


def sweep(ctx: Context) -> int:
    """The scheduled safety net: every feature's overdue work, found through its index."""
    return cases.sweep(ctx) + sum(s(ctx) for s in SWEEPERS)


SWEEPERS: list[Callable[[Context], int]] = []
# Claims first: a stale claim given back in a window that has ended is then missed.
SWEEPERS.append(callbacks.sweep_stale_claims)
SWEEPERS.append(callbacks.sweep_missed)
SWEEPERS.append(bookings.sweep)
SWEEPERS.append(sweep_retention)
