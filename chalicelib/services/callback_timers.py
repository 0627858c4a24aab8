"""Callbacks nobody made: windows that ended with callbacks still waiting, claims left without
an outcome, and what supervisors see of them. Every handler is idempotent."""

from __future__ import annotations

from datetime import date, datetime

from chalicelib.domain.callbacks import Callback
from chalicelib.domain.directory import Agent, Role
from chalicelib.domain.errors import Forbidden, VersionConflict
from chalicelib.domain.kpi_tallies import callback_missed
from chalicelib.domain.local_time import athens_day
from chalicelib.observability import count
from chalicelib.ports.callbacks import Change
from chalicelib.services.callback_common import CLAIM_HOLD
from chalicelib.services.callback_messages import tell_missed
from chalicelib.services.conflicts import retry_on_conflict
from chalicelib.services.context import Context


def missed(
    ctx: Context, agent: Agent, day: date | None = None
) -> tuple[list[Callback], dict[str, int]]:
    """Callbacks that missed their window on a day (Athens), and how many per team."""
    if not agent.is_supervisor:
        raise Forbidden("supervisor")
    day = day or athens_day(ctx.clock.now())
    teams = [
        r.team
        for r in ctx.callback_config.rosters
        if r.team in agent.teams or Role.ADMIN in agent.roles
    ]
    overdue = [
        c
        for c in ctx.callbacks.overdue()
        if c.owner.team in teams and c.missed_window and athens_day(c.missed_window) == day
    ]
    return overdue, ctx.callbacks.missed_counts(teams, day)


def handle_claim_expiry(ctx: Context, key: str) -> bool:
    """Gives a stale claim back to the team's queue; a no-op once the agent has acted."""
    reference, _, agent_id = key.partition("#")

    def release() -> bool:
        callback = ctx.callbacks.get(reference)
        if not callback.release_stale_claim(agent_id, ctx.clock.now(), CLAIM_HOLD):
            return False
        ctx.callbacks.save(callback)
        return True

    try:
        released = retry_on_conflict(release)
    except VersionConflict:
        return False  # giving up: the agent keeps working on it, so the claim is still theirs
    if released:
        count("CallbackClaimsExpired")
    return released


def sweep_stale_claims(ctx: Context, limit: int = 100) -> int:
    """The safety net behind the claim-expiry timer: a claim held past the hold is given back
    even when its timer was lost (or never written: it is scheduled after the claim)."""
    stale = ctx.callbacks.claimed_before(ctx.clock.now() - CLAIM_HOLD, limit)
    return sum(handle_claim_expiry(ctx, f"{c.reference}#{c.owner.agent}") for c in stale)


def handle_window_end(ctx: Context, key: str) -> int:
    """A window ended: every callback still waiting in it (or in any earlier one) is missed."""
    return sweep_missed(ctx)


def sweep_missed(ctx: Context, limit: int = 100) -> int:
    """Idempotent: a callback is counted once per window it missed, found through its index."""
    now = ctx.clock.now()
    counted = 0
    for callback in ctx.callbacks.window_ended(now, limit):
        if _mark_missed(ctx, callback, now):
            counted += 1
            count("CallbacksMissed")
    return counted


def _mark_missed(ctx: Context, listed: Callback, now: datetime) -> bool:
    """Counts the callback as missed, judging a fresh copy when it was claimed or cancelled
    meanwhile; False when it no longer waits (or keeps changing: the next sweep sees it)."""
    fresh = iter([listed])

    def mark() -> bool:
        callback = next(fresh, None) or ctx.callbacks.get(listed.reference)
        if not callback.mark_missed(now):
            return False
        # Closed: the phone's one open callback is released with it, and the citizen's text
        # written, in one transaction (a lost race writes neither; the next try decides again).
        missed = callback_missed(callback.window.end, callback.agency, callback.owner.team)
        with ctx.effects.collect():
            tell_missed(ctx, callback)
            change = Change(count_missed=True, unlock=True, tallies=(missed,))
            ctx.callbacks.save(callback, change)
        return True

    try:
        return retry_on_conflict(mark)
    except VersionConflict:
        return False
