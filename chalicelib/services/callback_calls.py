"""An agent's callback work: the callbacks they may see, claim-next, and the outcome of a call
(a retry in a later window, or closing it, with the linked case in the same step)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

from chalicelib.domain.callbacks import Callback, CallbackConfig, Outcome, Roster, Status, Window
from chalicelib.domain.cases import Case
from chalicelib.domain.directory import Agent
from chalicelib.domain.errors import InvalidInput, NoCallbackDue, NotFound, VersionConflict
from chalicelib.domain.kpi_tallies import Tally, callback_outcome
from chalicelib.observability import count
from chalicelib.ports import Timer
from chalicelib.ports.callbacks import Change
from chalicelib.services import cases
from chalicelib.services.callback_common import (
    CLAIM_EXPIRY_TIMER,
    CLAIM_HOLD,
    WINDOWS_TO_TRY,
    case_of,
    first_with_room,
    roster_for,
    schedule_window_end,
    serves,
    with_fresh_case,
)
from chalicelib.services.callback_messages import tell_citizen
from chalicelib.services.context import Context

# What an outcome writes beside the callback it stores (see ``_record``).
Effects = Callable[[Callback], None]

# A retry lands in a window only if this much of the window is left after it is due.
MIN_TIME_IN_WINDOW = timedelta(minutes=10)
# Claim-next reads this many due callbacks per team at a time, and re-reads this often.
CLAIM_BATCH = 10
CLAIM_ROUNDS = 50
OUTCOME_METRIC = {
    Outcome.REACHED: "CallbacksReached",
    Outcome.NO_ANSWER: "CallbacksNotAnswered",
    Outcome.BUSY: "CallbacksBusy",
    Outcome.WRONG_NUMBER: "CallbacksWrongNumber",
    Outcome.DECLINED: "CallbacksDeclined",
}


@dataclass(frozen=True)
class RecordOutcome:
    outcome: Outcome
    version: int
    note: str = ""
    case_action: str | None = None  # resolve | escalate (a reached callback's linked case)
    text: str = ""  # the answer or the reason for the case action


def agent_callback(ctx: Context, agent: Agent, reference: str) -> Callback:
    """A callback the agent may see: of their teams, or of an agency their teams serve."""
    try:
        callback = ctx.callbacks.get(reference)
    except NotFound:
        raise NotFound("callback") from None
    if not (callback.owner.team in agent.teams or serves(ctx, agent, callback.agency)):
        raise NotFound("callback")
    return callback


def my_callbacks(ctx: Context, agent: Agent) -> list[Callback]:
    return ctx.callbacks.claimed_by(agent.id)


# --- claim-next ----------------------------------------------------------------------


def claim_next(ctx: Context, agent: Agent) -> Callback:
    """Gives the agent the next due callback of their teams: the oldest window first, then by
    request time. The claim is a versioned write, so two agents never get the same one; when
    others took a whole page meanwhile, the next page is read."""
    teams = sorted(t for t in agent.teams if ctx.callback_config.roster_of_team(t) is not None)
    for _ in range(CLAIM_ROUNDS):
        now = ctx.clock.now()
        waiting = _due(ctx, teams, now)
        if not waiting:
            break
        for callback in waiting:
            if _claimed(ctx, agent, callback, now):
                return callback
    raise NoCallbackDue("callback")


def _due(ctx: Context, teams: list[str], now: datetime) -> list[Callback]:
    due = (c for team in teams for c in ctx.callbacks.due(team, now, CLAIM_BATCH))
    return sorted(due, key=lambda c: (c.window.start, c.requested_at, c.reference))


def _claimed(ctx: Context, agent: Agent, callback: Callback, now: datetime) -> bool:
    """Claims the callback for the agent; False when another agent was faster."""
    callback.claim(agent, now)
    key = f"{callback.reference}#{agent.id}"
    try:
        with ctx.effects.collect():  # the claim and its expiry: one transaction
            ctx.timers.schedule(Timer(CLAIM_EXPIRY_TIMER, key, now + CLAIM_HOLD))
            ctx.callbacks.save(callback)
    except VersionConflict:
        return False
    count("CallbacksClaimed")
    return True


# --- outcomes ------------------------------------------------------------------------


def record_outcome(ctx: Context, agent: Agent, reference: str, command: RecordOutcome) -> Callback:
    """Records the call an agent made; a reached callback may resolve or escalate its case
    in the same transaction."""
    if command.case_action is not None and command.outcome != Outcome.REACHED:
        raise InvalidInput("case_action", "callback-not-reached")
    return with_fresh_case(lambda: _record(ctx, agent, reference, command))


def _record(ctx: Context, agent: Agent, reference: str, command: RecordOutcome) -> Callback:
    callback = agent_callback(ctx, agent, reference)
    if callback.version != command.version:
        raise VersionConflict("callback", current=callback.version)
    case = case_of(ctx, callback)
    if command.case_action is not None and case is None:
        raise InvalidInput("case_action", "no-linked-case")
    now = ctx.clock.now()
    retry = callback.record(agent, command.outcome, command.note, now, ctx.callback_config.policy)
    before = case.next_deadline() if case is not None else None
    message = _on_case(ctx, agent, case, command, now)
    outcome = _outcome_tally(callback, command.outcome, now)

    def effects(stored: Callback) -> None:
        """The case's next timer and message, and the citizen's text: queued in the unit of
        work of the save that stores ``stored``, so they are written in its transaction."""
        if case is not None:
            cases.after_save(ctx, case, before, message)
        tell_citizen(ctx, stored, case)

    if retry:
        callback = _reschedule(ctx, callback, _After(case, now, outcome, effects))
    else:
        _close(ctx, callback, _After(case, now, outcome, effects))
    count(OUTCOME_METRIC[command.outcome])
    return callback


def _on_case(
    ctx: Context, agent: Agent, case: Case | None, command: RecordOutcome, now: datetime
) -> str | None:
    """The call goes in the linked case's history, and its action is decided (not yet saved);
    returns the message the case sends once saved."""
    if case is None:
        return None
    reached = command.outcome == Outcome.REACHED
    case.log(now, agent.id, f"callback_{command.outcome.value}", note=command.note, public=reached)
    if command.case_action is None:
        return None
    return cases.decide(ctx, agent, case, command.case_action, command.text)


def _outcome_tally(callback: Callback, outcome: Outcome, now: datetime) -> Tally:
    """The call's KPI counts; an unreachable citizen is counted when the callback closes."""
    tries = len(callback.attempts)
    return callback_outcome(now, callback.agency, callback.owner.team, outcome.value, tries, False)


@dataclass(frozen=True)
class _After:
    """What a recorded call's save carries: the linked case, the time, the call's KPI count and
    the effects that ride in the save's transaction."""

    case: Case | None
    now: datetime
    outcome: Tally
    effects: Effects


def _reschedule(ctx: Context, callback: Callback, after: _After) -> Callback:
    """Puts an unanswered callback in the first later window with room, after the backoff;
    when none has room, the callback is closed as unreachable."""
    config, now = ctx.callback_config, after.now
    roster = config.roster_of_team(callback.owner.team) or roster_for(ctx, callback.agency)
    due = now + config.policy.backoff(callback.failed_attempts)

    def retry_in(window: Window) -> Callback:
        attempt = copy.deepcopy(callback)
        attempt.retry_in(window, due, now)
        # A full window writes nothing of this try; the next window opens a fresh unit.
        with ctx.effects.collect():
            schedule_window_end(ctx, window)
            after.effects(attempt)
            capacity = roster.capacity(window)
            change = Change(take_place=capacity, case=after.case, tallies=(after.outcome,))
            ctx.callbacks.save(attempt, change)
        return attempt

    moved = first_with_room(_retry_windows(roster, due, config), retry_in)
    if moved is None:
        callback.give_up(now)
        _close(ctx, callback, after)
        return callback
    count("CallbackRetries")
    return moved


def _retry_windows(roster: Roster, due: datetime, config: CallbackConfig) -> Iterator[Window]:
    later = roster.windows_from(due, due + config.policy.horizon)
    roomy = (w for w in later if w.end - max(due, w.start) >= MIN_TIME_IN_WINDOW)
    return islice(roomy, WINDOWS_TO_TRY)


def _close(ctx: Context, callback: Callback, after: _After) -> None:
    """Stores a closed callback and frees the phone; an unreachable one is told to the case."""
    case, now, tallies = after.case, after.now, [after.outcome]
    if callback.status == Status.UNREACHABLE:
        team = callback.owner.team
        tallies.append(callback_outcome(now, callback.agency, team, "unreachable", 0, True))
        if case is not None:
            case.log(now, "system", "callback_unreachable", note=callback.reference, public=True)
    with ctx.effects.collect():
        after.effects(callback)
        ctx.callbacks.save(callback, Change(unlock=True, case=case, tallies=tuple(tallies)))
