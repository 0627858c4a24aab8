"""Use cases of callbacks: windows, booking (online or during a call), claim-next, outcomes,
cancellation by the citizen, and windows that end with callbacks nobody made."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from chalicelib.domain.calendar import ATHENS
from chalicelib.domain.callbacks import (
    CITIZEN,
    Callback,
    CallbackConfig,
    LinkedCaseChanged,
    NoCallbackDue,
    Outcome,
    Roster,
    Status,
    Window,
    WindowFull,
)
from chalicelib.domain.cases import Case
from chalicelib.domain.citizen_view import agencies_served, identifiers_of, may_see
from chalicelib.domain.directory import Agent, Role
from chalicelib.domain.errors import (
    Forbidden,
    InvalidInput,
    NotFound,
    VersionConflict,
)
from chalicelib.domain.references import (
    InvalidReference,
    new_reference,
    new_token,
    normalise_reference,
)
from chalicelib.messages import render
from chalicelib.observability import metrics
from chalicelib.ports import AlreadyRecorded, Timer
from chalicelib.ports.callbacks import Change
from chalicelib.services import cases
from chalicelib.services.context import Context
from chalicelib.services.retries import Idempotency, hash_token, replay, token_matches

WINDOW_END_TIMER = "callback-window-end"
CLAIM_EXPIRY_TIMER = "callback-claim-expiry"
# How long a claimed callback stays with an agent who records no outcome: longer than a window
# (a call may run on), short enough that an abandoned claim is seen the same hour.
CLAIM_HOLD = timedelta(minutes=45)
IDEMPOTENCY_SCOPE = "callback"
# How many windows "as soon as possible" or a retry tries before giving up.
WINDOWS_TO_TRY = 48
# A retry lands in a window only if this much of the window is left after it is due.
MIN_TIME_IN_WINDOW = timedelta(minutes=10)
# Claim-next reads this many due callbacks per team at a time, and re-reads this often.
CLAIM_BATCH = 10
CLAIM_ROUNDS = 50
# A linked case may change under a callback step; the step is decided again this often.
CASE_RETRIES = 3


@dataclass(frozen=True)
class RequestCallback:
    agency: str
    phone: str
    language: str
    window_start: datetime | None = None  # None: the earliest window with room
    case_reference: str | None = None
    topic: str | None = None
    # A citizen links a case by showing its tracking token; agents by serving its agency.
    case_token: str | None = None


@dataclass(frozen=True)
class RecordOutcome:
    outcome: Outcome
    version: int
    note: str = ""
    case_action: str | None = None  # resolve | escalate (a reached callback's linked case)
    text: str = ""  # the answer or the reason for the case action


# --- windows -----------------------------------------------------------------------


def windows(ctx: Context, agency: str, day: date) -> list[tuple[Window, int]]:
    """The day's windows a citizen may still book, each with the places left (0 when full)."""
    roster = _roster(ctx, agency)
    now = ctx.clock.now()
    horizon = now + ctx.callback_config.policy.horizon
    bookable = [w for w in roster.windows_on(day) if now <= w.start < horizon]
    booked = ctx.callbacks.booked(roster.team, bookable)
    return [(w, max(0, roster.capacity(w) - booked.get(w.start, 0))) for w in bookable]


# --- booking -----------------------------------------------------------------------


def request_callback(
    ctx: Context,
    command: RequestCallback,
    *,
    idempotency: Idempotency | None = None,
    booked_by: Agent | None = None,
) -> dict[str, Any]:
    """Books a callback in a window (or the earliest with room); returns the citizen's receipt
    with the token that lets them see and cancel it."""
    if idempotency is not None:
        earlier = replay(ctx, IDEMPOTENCY_SCOPE, idempotency)
        if earlier is not None:
            return earlier
    roster = _roster(ctx, command.agency)
    if booked_by is not None and not _serves(ctx, booked_by, command.agency):
        raise Forbidden("agency")
    agency = ctx.directory.agency(command.agency)
    if command.topic is not None and agency.topic(command.topic) is None:
        raise InvalidInput("topic", "unknown-topic")
    now = ctx.clock.now()
    token = new_token()
    for window in _windows_to_try(ctx, roster, command.window_start, now):
        for _ in range(CASE_RETRIES):
            case = _linked_case(ctx, command, booked_by)
            callback = Callback.book(
                reference=new_reference("CB"),
                token_hash=hash_token(token),
                agency=command.agency,
                phone=command.phone,
                language=command.language,
                channel="phone" if booked_by else "web",
                window=window,
                now=now,
                topic=command.topic,
                case_reference=case.reference if case else None,
                booked_by=booked_by,
            )
            if case is not None:
                case.log(
                    now,
                    booked_by.id if booked_by else CITIZEN,
                    "callback_scheduled",
                    note=callback.reference,
                    public=True,
                )
            receipt = receipt_of(callback, token)
            record = None
            if idempotency is not None:
                record = idempotency.record(IDEMPOTENCY_SCOPE, receipt)
            try:
                ctx.callbacks.add(
                    callback,
                    roster.capacity(window),
                    idempotency=record,
                    case=case,
                    identifiers=_case_identifiers(case),
                )
            except LinkedCaseChanged:
                continue
            except WindowFull:
                if command.window_start is not None:
                    raise
                break  # as soon as possible: someone took the last place, try the next window
            except AlreadyRecorded:
                # A concurrent retry with the same key won the race: answer as it did.
                assert idempotency is not None
                earlier = replay(ctx, IDEMPOTENCY_SCOPE, idempotency)
                assert earlier is not None
                return earlier
            _scheduled(ctx, callback, token)
            return receipt
        else:
            raise VersionConflict("case")
    raise WindowFull("callback")


def receipt_of(callback: Callback, token: str) -> dict[str, Any]:
    return {
        "reference": callback.reference,
        "token": token,
        "status": callback.status.value,
        "agency": callback.agency,
        "window": window_of(callback.window),
        "case_reference": callback.case_reference,
        "created_at": callback.requested_at.astimezone(ATHENS).isoformat(),
    }


def window_of(window: Window) -> dict[str, str]:
    return {
        "start": window.start.astimezone(ATHENS).isoformat(),
        "end": window.end.astimezone(ATHENS).isoformat(),
    }


# --- citizens ----------------------------------------------------------------------


def track(ctx: Context, reference: str, token: str | None) -> Callback:
    """The citizen's own callback; a wrong token looks exactly like an unknown reference."""
    try:
        callback = ctx.callbacks.get(reference)
    except NotFound:
        raise NotFound("callback") from None
    if not token_matches(callback.token_hash, token):
        raise NotFound("callback")
    return callback


def cancel(ctx: Context, reference: str, token: str | None) -> Callback:
    for _ in range(CASE_RETRIES):
        callback = track(ctx, reference, token)
        case = _case_of(ctx, callback)
        now = ctx.clock.now()
        callback.cancel(now)
        if case is not None:
            case.log(now, CITIZEN, "callback_cancelled", note=callback.reference, public=True)
        # A place in a window that has not begun goes back to other citizens.
        change = Change(release_place=callback.window.start > now, unlock=True, case=case)
        try:
            ctx.callbacks.save(callback, change)
        except LinkedCaseChanged:
            continue
        return callback
    raise VersionConflict("case")


def case_callbacks(ctx: Context, reference: str, token: str | None) -> list[Callback]:
    """The callbacks linked to a citizen's case, for whoever holds the case's tracking token."""
    case = cases.track_case(ctx, reference, token)
    return ctx.callbacks.of_case(case.reference)


# --- agents ------------------------------------------------------------------------


def agent_callback(ctx: Context, agent: Agent, reference: str) -> Callback:
    """A callback the agent may see: of their teams, or of an agency their teams serve."""
    try:
        callback = ctx.callbacks.get(reference)
    except NotFound:
        raise NotFound("callback") from None
    if not (
        agent.is_supervisor
        or callback.owner.team in agent.teams
        or _serves(ctx, agent, callback.agency)
    ):
        raise NotFound("callback")
    return callback


def my_callbacks(ctx: Context, agent: Agent) -> list[Callback]:
    return ctx.callbacks.claimed_by(agent.id)


def claim_next(ctx: Context, agent: Agent) -> Callback:
    """Gives the agent the next due callback of their teams: the oldest window first, then by
    request time. The claim is a versioned write, so two agents never get the same one."""
    config = ctx.callback_config
    teams = sorted(t for t in agent.teams if config.roster_of_team(t) is not None)
    repo = ctx.callbacks
    for _ in range(CLAIM_ROUNDS):
        now = ctx.clock.now()
        waiting = sorted(
            (c for team in teams for c in repo.due(team, now, CLAIM_BATCH)),
            key=lambda c: (c.window.start, c.requested_at, c.reference),
        )
        if not waiting:
            break
        for callback in waiting:
            callback.claim(agent, now)
            try:
                repo.save(callback)
            except VersionConflict:
                continue  # another agent was faster: try the next one
            _count("CallbacksClaimed")
            ctx.timers.schedule(
                Timer(CLAIM_EXPIRY_TIMER, f"{callback.reference}#{agent.id}", now + CLAIM_HOLD)
            )
            return callback
    raise NoCallbackDue("callback")


def record_outcome(ctx: Context, agent: Agent, reference: str, command: RecordOutcome) -> Callback:
    """Records the call an agent made; a reached callback may resolve or escalate its case
    in the same transaction."""
    if command.case_action is not None and command.outcome != Outcome.REACHED:
        raise InvalidInput("case_action", "callback-not-reached")
    for _ in range(CASE_RETRIES):
        callback = agent_callback(ctx, agent, reference)
        if callback.version != command.version:
            raise VersionConflict("callback", current=callback.version)
        case = _case_of(ctx, callback)
        if command.case_action is not None and case is None:
            raise InvalidInput("case_action", "no-linked-case")
        try:
            return _apply_outcome(ctx, agent, callback, case, command)
        except LinkedCaseChanged:
            continue
    raise VersionConflict("case")


def _apply_outcome(
    ctx: Context,
    agent: Agent,
    callback: Callback,
    case: Case | None,
    command: RecordOutcome,
) -> Callback:
    now = ctx.clock.now()
    policy = ctx.callback_config.policy
    retry = callback.record(agent, command.outcome, command.note, now, policy)
    before = case.next_deadline() if case is not None else None
    case_message = None
    if case is not None:
        case.log(
            now,
            agent.id,
            f"callback_{command.outcome.value}",
            note=command.note,
            public=command.outcome == Outcome.REACHED,
        )
        if command.case_action is not None:
            case_message = cases.decide(ctx, agent, case, command.case_action, command.text)
    if retry:
        callback = _reschedule(ctx, callback, case, now)
    else:
        if callback.status == Status.UNREACHABLE and case is not None:
            case.log(now, "system", "callback_unreachable", note=callback.reference, public=True)
        ctx.callbacks.save(callback, Change(unlock=True, case=case))
    if case is not None:
        cases.after_save(ctx, case, before, case_message)
    _count(f"Callbacks{_METRIC[command.outcome]}")
    _tell_citizen(ctx, callback, case)
    return callback


_METRIC = {
    Outcome.REACHED: "Reached",
    Outcome.NO_ANSWER: "NotAnswered",
    Outcome.BUSY: "Busy",
    Outcome.WRONG_NUMBER: "WrongNumber",
    Outcome.DECLINED: "Declined",
}


def _reschedule(ctx: Context, callback: Callback, case: Case | None, now: datetime) -> Callback:
    """Puts an unanswered callback in the first later window with room, after the backoff."""
    config = ctx.callback_config
    roster = config.roster_of_team(callback.owner.team) or _roster(ctx, callback.agency)
    due = now + config.policy.backoff(callback.failed_attempts)
    for window in _retry_windows(roster, due, config):
        attempt = copy.deepcopy(callback)
        attempt.retry_in(window, due, now)
        try:
            ctx.callbacks.save(attempt, Change(take_place=roster.capacity(window), case=case))
        except WindowFull:
            continue
        _count("CallbackRetries")
        _schedule_window_end(ctx, attempt.window)
        return attempt
    callback.give_up(now)
    if case is not None:
        case.log(now, "system", "callback_unreachable", note=callback.reference, public=True)
    ctx.callbacks.save(callback, Change(unlock=True, case=case))
    return callback


def _retry_windows(roster: Roster, due: datetime, config: CallbackConfig) -> Iterator[Window]:
    tried = 0
    for window in roster.windows_from(due, due + config.policy.horizon):
        if window.end - max(due, window.start) < MIN_TIME_IN_WINDOW:
            continue
        yield window
        tried += 1
        if tried >= WINDOWS_TO_TRY:
            return


# --- supervisors and timers -------------------------------------------------------


def missed(
    ctx: Context, agent: Agent, day: date | None = None
) -> tuple[list[Callback], dict[str, int]]:
    """Open callbacks that missed their window, and how many were missed per team on a day."""
    if not agent.is_supervisor:
        raise Forbidden("supervisor")
    day = day or ctx.clock.now().astimezone(ATHENS).date()
    teams = [
        r.team
        for r in ctx.callback_config.rosters
        if r.team in agent.teams or Role.ADMIN in agent.roles
    ]
    repo = ctx.callbacks
    overdue = [c for c in repo.overdue() if c.owner.team in teams]
    return overdue, {team: repo.missed_count(team, day) for team in teams}


def handle_claim_expiry(ctx: Context, key: str) -> bool:
    """Gives a stale claim back to the team's queue; a no-op once the agent has acted."""
    reference, _, agent_id = key.partition("#")
    repo = ctx.callbacks
    for _ in range(3):
        callback = repo.get(reference)
        if not callback.release_stale_claim(agent_id, ctx.clock.now(), CLAIM_HOLD):
            return False
        try:
            repo.save(callback)
        except VersionConflict:
            continue  # the agent recorded the call meanwhile: judge the fresh callback
        _count("CallbackClaimsExpired")
        return True
    return False


def handle_window_end(ctx: Context, key: str) -> int:
    """A window ended: every callback still waiting in it (or in any earlier one) is missed."""
    return sweep_missed(ctx)


def sweep_missed(ctx: Context, limit: int = 100) -> int:
    """Idempotent: a callback is counted once per window it missed, found through its index."""
    repo = ctx.callbacks
    now = ctx.clock.now()
    counted = 0
    for callback in repo.window_ended(now, limit):
        for _ in range(3):
            if not callback.mark_missed(now):
                break
            try:
                repo.save(callback, Change(count_missed=True))
            except VersionConflict:
                # Claimed or cancelled meanwhile: judge the fresh callback again.
                callback = repo.get(callback.reference)
                continue
            counted += 1
            _count("CallbacksMissed")
            break
    return counted


# --- internals ---------------------------------------------------------------------


def _roster(ctx: Context, agency: str) -> Roster:
    if agency not in ctx.directory.agencies:
        raise InvalidInput("agency", "unknown-agency")
    roster = ctx.callback_config.roster_for(agency)
    if roster is None:
        raise InvalidInput("agency", "no-callbacks")
    return roster


def _windows_to_try(
    ctx: Context, roster: Roster, start: datetime | None, now: datetime
) -> list[Window]:
    config = ctx.callback_config
    if start is None:
        bookable = list(config.bookable(roster, now))
        booked = ctx.callbacks.booked(roster.team, bookable)
        with_room = [w for w in bookable if booked.get(w.start, 0) < roster.capacity(w)]
        return with_room[:WINDOWS_TO_TRY]
    if start < now:
        raise InvalidInput("window_start", "window-past")
    window = roster.window_starting(start)
    if window is None:
        raise InvalidInput("window_start", "not-a-window")
    if window.start >= now + config.policy.horizon:
        raise InvalidInput("window_start", "window-too-far")
    return [window]


def _linked_case(ctx: Context, command: RequestCallback, agent: Agent | None) -> Case | None:
    if command.case_reference is None:
        return None
    try:
        reference = normalise_reference(command.case_reference)
        if agent is None:
            case = cases.track_case(ctx, reference, command.case_token)
        else:
            case = ctx.cases.get(reference)
            if not _serves(ctx, agent, case.agency):
                raise NotFound("case")
    except (InvalidReference, NotFound):
        raise InvalidInput("case_reference", "unknown-case") from None
    if case.agency != command.agency:
        raise InvalidInput("case_reference", "case-of-another-agency")
    return case


def _serves(ctx: Context, agent: Agent, agency: str) -> bool:
    return may_see(agencies_served(ctx.directory, agent), agency)


def _case_identifiers(case: Case | None) -> list[tuple[str, str]]:
    return identifiers_of(case.citizen) if case is not None else []


def _case_of(ctx: Context, callback: Callback) -> Case | None:
    if callback.case_reference is None:
        return None
    return ctx.cases.get(callback.case_reference)


def _schedule_window_end(ctx: Context, window: Window) -> None:
    # One wake-up per window; the handler finds the callbacks through their index.
    ctx.timers.schedule(
        Timer(WINDOW_END_TIMER, f"{window.team}#{window.start.isoformat()}", window.end)
    )


def _scheduled(ctx: Context, callback: Callback, token: str) -> None:
    _schedule_window_end(ctx, callback.window)
    _count("CallbacksScheduled")
    manage_url = (
        f"{ctx.public_url}/{callback.language}/callback/status/"
        f"#ref={callback.reference}&token={token}"
    )
    ctx.notifier.send(
        render(
            "callback_scheduled",
            callback.language,
            phone=callback.phone,
            reference=callback.reference,
            agency=ctx.directory.agency(callback.agency).name.in_(callback.language),
            window=_local_span(callback.window),
            manage_url=manage_url,
        )
    )


def _tell_citizen(ctx: Context, callback: Callback, case: Case | None) -> None:
    """After the last try, the citizen hears from us in writing instead."""
    if callback.status == Status.UNREACHABLE:
        template, phone = "callback_unreachable", callback.phone
    elif callback.status == Status.WRONG_NUMBER:
        # The number is not theirs: only a linked case's e-mail can reach them.
        template, phone = "callback_wrong_number", None
    else:
        return
    email = case.citizen.email if case is not None else None
    if not (phone or email):
        return
    ctx.notifier.send(
        render(
            template,
            callback.language,
            phone=phone,
            email=email,
            reference=callback.reference,
            case_reference=callback.case_reference or "",
            agency=ctx.directory.agency(callback.agency).name.in_(callback.language),
            attempts=len(callback.attempts),
        )
    )


def _local_span(window: Window) -> str:
    start, end = window.start.astimezone(ATHENS), window.end.astimezone(ATHENS)
    return f"{start:%d/%m/%Y %H:%M}-{end:%H:%M}"


def _count(name: str) -> None:
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
