"""Use cases of case intake: submit, track, reply, chase, agent actions, deadlines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain.calendar import ATHENS, BusinessCalendar
from chalicelib.domain.cases import CITIZEN, Case, Channel, Citizen, Status
from chalicelib.domain.directory import TOP_TIER, Agent, Assignment
from chalicelib.domain.errors import (
    InvalidInput,
    InvalidTransition,
    NotFound,
    TooSoon,
    VersionConflict,
)
from chalicelib.domain.references import new_reference, new_token
from chalicelib.messages import render
from chalicelib.observability import count
from chalicelib.ports import IdempotencyRecord, Timer
from chalicelib.services.context import Context
from chalicelib.services.retries import Idempotency, hash_token, token_matches, write_once

__all__ = ["InvalidTransition", "TooSoon"]

DEADLINE_TIMER = "case-deadline"
IDEMPOTENCY_SCOPE = "case"


@dataclass(frozen=True)
class SubmitCase:
    agency: str
    topic: str
    subject: str
    description: str
    language: str
    citizen: Citizen
    channel: Channel = Channel.WEB


# --- citizen -------------------------------------------------------------------


def submit_case(
    ctx: Context,
    command: SubmitCase,
    *,
    idempotency: Idempotency | None = None,
    logged_by: Agent | None = None,
    public_url: str = "",
) -> dict[str, Any]:
    """Opens a case at tier 1 and returns the citizen's receipt (with the tracking token)."""
    agency = ctx.directory.agency(command.agency)
    if agency.topic(command.topic) is None:
        raise InvalidInput("topic", "unknown-topic")

    def write(keep: Callable[[dict[str, Any]], IdempotencyRecord | None]) -> dict[str, Any]:
        now = ctx.clock.now()
        token = new_token()
        case = _open(ctx, command, token, now, logged_by)
        receipt = receipt_of(case, token)
        ctx.cases.add(case, keep(receipt))
        _schedule_deadline(ctx, case, None)
        count("CasesOpened")
        _notify(ctx, case, "case_received", public_url, token)
        return receipt

    return write_once(ctx, IDEMPOTENCY_SCOPE, idempotency, write)


def _open(
    ctx: Context, command: SubmitCase, token: str, now: datetime, logged_by: Agent | None
) -> Case:
    case = Case.open(
        reference=new_reference("C"),
        token_hash=hash_token(token),
        agency=command.agency,
        topic=command.topic,
        subject=command.subject,
        description=command.description,
        language=command.language,
        channel=command.channel,
        citizen=command.citizen,
        now=now,
        route=ctx.route(command.agency, command.topic, 1),
        working_days=ctx.working_days,
        policy=ctx.directory.policy,
        logged_by=logged_by,
    )
    if logged_by is None:
        _hand_out(ctx, case, now)
    return case


def receipt_of(case: Case, token: str) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "tracking_token": token,
        "status": case.status.value,
        "tier": case.tier,
        "owner": {"team": case.owner.team},
        "created_at": case.created_at.astimezone(ATHENS).isoformat(),
        "due_at": case.clocks.resolution_due.astimezone(ATHENS).isoformat(),
        "statutory_due_at": case.clocks.statutory_due.astimezone(ATHENS).isoformat(),
    }


def track_case(ctx: Context, reference: str, token: str | None) -> Case:
    """The citizen's own case; a wrong token looks exactly like an unknown reference."""
    try:
        case = ctx.cases.get(reference)
    except NotFound:
        raise NotFound("case") from None
    if not token_matches(case.token_hash, token):
        raise NotFound("case")
    return case


def citizen_reply(ctx: Context, reference: str, token: str | None, text: str) -> Case:
    case = track_case(ctx, reference, token)
    before = case.next_deadline()
    case.citizen_replied(text, ctx.clock.now(), _calendar_of(ctx, case), ctx.working_days)
    ctx.cases.save(case)
    _schedule_deadline(ctx, case, before)
    return case


def chase(ctx: Context, reference: str, token: str | None) -> Case:
    case = track_case(ctx, reference, token)
    case.chase(ctx.clock.now(), ctx.directory.policy)
    ctx.cases.save(case)
    # Supervisors of the owning team hear of it (their console lists chased cases too).
    ctx.notifier.send(
        render(
            "case_chased",
            "el",
            reference=case.reference,
            subject=case.subject,
            due=_local(case.clocks.resolution_due),
            team=case.owner.team,
            agent=case.owner.agent or "-",
            email=f"supervisors+{case.owner.team}@citizen-service.local",
        )
    )
    return case


def citizen_reopen(ctx: Context, reference: str, token: str | None, reason: str) -> Case:
    """The citizen is not satisfied with the answer: the case goes back to its team."""
    case = track_case(ctx, reference, token)
    case.reopen(
        CITIZEN, _required(reason, "text"), ctx.clock.now(), ctx.directory.policy, ctx.route
    )
    ctx.cases.save(case)
    _schedule_deadline(ctx, case, None)
    return case


# --- agents --------------------------------------------------------------------

AGENT_ACTIONS = (
    "claim",
    "note",
    "escalate",
    "request-info",
    "resolve",
    "reassign",
    "close",
    "reopen",
    "transfer",
)


def agent_case(ctx: Context, agent: Agent, reference: str) -> Case:
    """A case the agent may see: owned by one of their teams (supervisors see all)."""
    case = ctx.cases.get(reference)
    if (
        not agent.is_supervisor
        and case.owner.team not in agent.teams
        and not any(e.owner.agent == agent.id for e in case.history)
    ):
        raise NotFound("case")
    return case


def queue(ctx: Context, agent: Agent, limit: int = 100) -> list[Case]:
    """Open cases of the agent's teams: chased first, then the oldest due."""
    cases = [c for team in sorted(agent.teams) for c in ctx.cases.queue(team, limit)]
    cases.sort(key=lambda c: (not c.is_chased(), c.clocks.resolution_due))
    return cases[:limit]


def breaches(ctx: Context, agent: Agent, limit: int = 100) -> list[Case]:
    if not agent.is_supervisor:
        raise NotFound("breaches")
    return ctx.cases.breached(limit)


def act(
    ctx: Context,
    agent: Agent,
    reference: str,
    action: str,
    version: int,
    *,
    text: str = "",
    team: str | None = None,
    to_agent: str | None = None,
    agency: str | None = None,
    topic: str | None = None,
    public_url: str = "",
) -> Case:
    """Applies one agent action to a case the agent has read at ``version``."""
    case = agent_case(ctx, agent, reference)
    if case.version != version:
        raise VersionConflict("case", current=case.version)
    now = ctx.clock.now()
    before = case.next_deadline()
    message = None
    match action:
        case "claim":
            case.claim(agent, now)
        case "note":
            case.add_note(agent, _required(text, "note"), now)
        case "escalate":
            case.escalate_by_agent(agent, _required(text, "reason"), now, ctx.route)
            _hand_out(ctx, case, now)
        case "request-info":
            case.request_info(agent, _required(text, "question"), now)
            message = "case_info_requested"
        case "resolve":
            case.resolve(agent, _required(text, "answer"), now)
            message = "case_answered"
        case "reassign":
            target_team = team or case.owner.team
            _check_reassignment(ctx, case, target_team, to_agent)
            case.reassign(agent, now, team=target_team, agent=to_agent)
        case "close":
            case.close(agent, now)
        case "reopen":
            case.reopen(agent.id, _required(text, "reason"), now, ctx.directory.policy, ctx.route)
        case "transfer":
            new_agency = ctx.directory.agency(agency or "")
            if topic is None or new_agency.topic(topic) is None:
                raise InvalidInput("topic", "unknown-topic")
            notice_due = ctx.working_days.add_working_days(
                case.created_at, ctx.directory.policy.transfer_notice_working_days
            )
            case.transfer(
                agent, new_agency.id, topic, _required(text, "reason"), now, ctx.route, notice_due
            )
            _hand_out(ctx, case, now)
            message = "case_transferred"
        case _:
            raise NotFound("action")
    ctx.cases.save(case)
    _schedule_deadline(ctx, case, before)
    if message:
        _notify(ctx, case, message, public_url, None)
    return case


def decide(ctx: Context, agent: Agent, case: Case, action: str, text: str) -> str | None:
    """Resolves or escalates a loaded case without saving it, for a use case that saves it
    with another entity in one transaction (a reached callback); returns the message to send
    once saved (see ``after_save``)."""
    now = ctx.clock.now()
    match action:
        case "resolve":
            answer = _required(text, "answer")
            _take_over_from_lower_tier(ctx, agent, case, now)
            case.resolve(agent, answer, now)
            return "case_answered"
        case "escalate":
            case.escalate_by_agent(agent, _required(text, "reason"), now, ctx.route)
            _hand_out(ctx, case, now)
            return None
    raise NotFound("action")


def _take_over_from_lower_tier(ctx: Context, agent: Agent, case: Case, now: datetime) -> None:
    """An agent of the agency's next tier who has the citizen on the phone answers a case still
    at the tier below: the case is escalated to their team and claimed by them first, so the
    history shows who took it over, and ownership rules stay as they are."""
    if agent.is_supervisor or case.owner.team in agent.teams or case.tier >= TOP_TIER:
        return
    if ctx.directory.team_for(case.agency, case.tier + 1).id not in agent.teams:
        return
    case.escalate(agent.id, "callback", now, ctx.route)
    case.claim(agent, now)


def after_save(
    ctx: Context, case: Case, before: datetime | None, message: str | None, public_url: str = ""
) -> None:
    _schedule_deadline(ctx, case, before)
    if message:
        _notify(ctx, case, message, public_url, None)


# --- deadlines -----------------------------------------------------------------


def handle_deadline(ctx: Context, reference: str) -> list[str]:
    """Runs a case's passed deadlines. Idempotent: a stale or repeated timer does nothing."""
    for _ in range(3):
        try:
            case = ctx.cases.get(reference)
        except NotFound:
            return []
        before = case.next_deadline()
        happened = case.on_deadlines(ctx.clock.now(), ctx.route)
        if not happened:
            return []
        if "escalated" in happened:
            _hand_out(ctx, case, ctx.clock.now())
        try:
            ctx.cases.save(case)
        except VersionConflict:
            continue  # an agent acted meanwhile: decide again on the fresh case
        _schedule_deadline(ctx, case, before)
        for event in happened:
            count(_DEADLINE_METRICS[event])
        return happened
    return []


_DEADLINE_METRICS = {
    "escalated": "CasesEscalatedByDeadline",
    "breached": "CasesBreached",
    "breach_warning": "CaseBreachWarnings",
    "first_response_missed": "CaseFirstResponsesMissed",
}


def sweep(ctx: Context, limit: int = 100) -> int:
    """The safety net for lost timers: acts on every case whose deadline has passed."""
    handled = 0
    for case in ctx.cases.due(ctx.clock.now(), limit):
        if handle_deadline(ctx, case.reference):
            handled += 1
    return handled


# --- internals -----------------------------------------------------------------


def _hand_out(ctx: Context, case: Case, now: datetime) -> None:
    """Round-robin teams give new work straight to their next available agent."""
    if case.status not in (Status.NEW, Status.ESCALATED):
        return
    team = ctx.directory.teams[case.owner.team]
    if team.assignment != Assignment.ROUND_ROBIN:
        return
    agents = ctx.directory.available_agents(team.id)
    if agents:
        turn = ctx.counters.next(f"round-robin#{team.id}")
        case.assign(agents[turn % len(agents)].id, now)


def _check_reassignment(ctx: Context, case: Case, team: str, agent: str | None) -> None:
    target = ctx.directory.teams.get(team)
    if target is None or target.tier != case.tier:
        raise InvalidInput("team", "unknown-team")
    if agent is not None:
        member = ctx.directory.agents.get(agent)
        if member is None or team not in member.teams:
            raise InvalidInput("agent", "not-in-team")


def _required(text: str, field: str) -> str:
    if not text.strip():
        raise InvalidInput(field, "required")
    return text.strip()


def _calendar_of(ctx: Context, case: Case) -> BusinessCalendar:
    return ctx.directory.teams[case.owner.team].calendar


def _schedule_deadline(ctx: Context, case: Case, before: datetime | None) -> None:
    due = case.next_deadline()
    if due is not None and due != before:
        ctx.timers.schedule(Timer(DEADLINE_TIMER, case.reference, due))


def _local(instant: datetime) -> str:
    return instant.astimezone(ATHENS).strftime("%d/%m/%Y %H:%M")


def _notify(ctx: Context, case: Case, template: str, public_url: str, token: str | None) -> None:
    if not (case.citizen.email or case.citizen.phone):
        return
    # The token is only known when the case is created; later messages link to the form.
    public_url = public_url or ctx.public_url
    track_url = f"{public_url}/{case.language}/track/#ref={case.reference}"
    if token:
        track_url += f"&token={token}"
    ctx.notifier.send(
        render(
            template,
            case.language,
            email=case.citizen.email,
            phone=case.citizen.phone,
            reference=case.reference,
            full_name=case.citizen.full_name,
            subject=case.subject,
            due=_local(case.clocks.resolution_due),
            statutory_due=_local(case.clocks.statutory_due),
            question=case.question or "",
            answer=case.answer or "",
            agency=ctx.directory.agency(case.agency).name.in_(case.language),
            track_url=track_url,
        )
    )
