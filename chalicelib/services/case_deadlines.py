"""Deadlines of cases: one timer per case for its next deadline, and the sweeper behind it."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.cases import Case
from chalicelib.domain.errors import NotFound, VersionConflict
from chalicelib.observability import count
from chalicelib.ports import Timer
from chalicelib.services.case_steps import hand_out
from chalicelib.services.conflicts import retry_on_conflict
from chalicelib.services.context import Context

DEADLINE_TIMER = "case-deadline"

_METRICS = {
    "escalated": "CasesEscalatedByDeadline",
    "breached": "CasesBreached",
    "breach_warning": "CaseBreachWarnings",
    "first_response_missed": "CaseFirstResponsesMissed",
}


def schedule_deadline(ctx: Context, case: Case, before: datetime | None) -> None:
    """Sets a timer for the case's next deadline, unless it is the one already set."""
    due = case.next_deadline()
    if due is not None and due != before:
        ctx.timers.schedule(Timer(DEADLINE_TIMER, case.reference, due))


def handle_deadline(ctx: Context, reference: str) -> list[str]:
    """Runs a case's passed deadlines. Idempotent: a stale or repeated timer does nothing."""
    try:
        # An agent who acts meanwhile wins: decide again on the fresh case.
        happened = retry_on_conflict(lambda: _run_deadlines(ctx, reference))
    except VersionConflict:
        # Agents won every race: the case is still due, so the next timer or the sweeper
        # runs its deadlines again; nothing is lost by letting this one go.
        return []
    for event in happened:
        count(_METRICS[event])
    return happened


def _run_deadlines(ctx: Context, reference: str) -> list[str]:
    try:
        case = ctx.cases.get(reference)
    except NotFound:
        return []
    before = case.next_deadline()
    now = ctx.clock.now()
    happened = case.on_deadlines(now, ctx.route)
    if not happened:
        return []
    if "escalated" in happened:
        hand_out(ctx, case, now)
    with ctx.effects.collect():  # the change and the case's next timer: one transaction
        schedule_deadline(ctx, case, before)
        ctx.cases.save(case)
    return happened


def sweep(ctx: Context, limit: int = 100) -> int:
    """The safety net for lost timers: acts on every case whose deadline has passed."""
    handled = 0
    for case in ctx.cases.due(ctx.clock.now(), limit):
        if handle_deadline(ctx, case.reference):
            handled += 1
    return handled
