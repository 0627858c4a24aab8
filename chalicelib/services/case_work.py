"""An agent's work on cases: the queue, a case's detail, and actions applied to it."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.cases import Case
from chalicelib.domain.directory import TOP_TIER, Agent, Team
from chalicelib.domain.errors import NotFound, VersionConflict
from chalicelib.domain.surveys import Kind, Rated
from chalicelib.services import surveys
from chalicelib.services.case_actions import HANDLERS, Escalate, Handler, Resolve, command_for
from chalicelib.services.case_actions import escalate as escalate_case
from chalicelib.services.case_deadlines import schedule_deadline
from chalicelib.services.case_steps import notify, required
from chalicelib.services.context import Context


def agent_case(ctx: Context, agent: Agent, reference: str) -> Case:
    """A case the agent may see: owned by one of their teams, once held by them, or of an
    agency they supervise."""
    case = ctx.cases.get(reference)
    if (
        not agent.supervises(case.agency)
        and case.owner.team not in agent.teams
        and not any(e.owner.agent == agent.id for e in case.history)
    ):
        raise NotFound("case")
    return case


def allowed_actions(ctx: Context, agent: Agent, case: Case) -> list[str]:
    """The actions ``act`` would accept from this agent on the case now (by the case's rules)."""
    return case.allowed_actions(agent, ctx.clock.now(), ctx.directory.policy)


def reassign_teams(ctx: Context, case: Case) -> list[Team]:
    """The teams a case may be reassigned to: those of its tier that serve its agency."""
    teams = ctx.directory.teams.values()
    return [t for t in teams if t.tier == case.tier and {case.agency, "*"} & t.agencies]


def queue(ctx: Context, agent: Agent, limit: int = 100, *, mine: bool = False) -> list[Case]:
    """Open cases of the agent's teams (``mine``: those held by the agent): chased first, then
    the oldest due."""
    teams = set(agent.teams)
    if len(teams) > 2 and teams >= set(ctx.directory.teams):
        # Every team's queue (a supervisor's): the one queue of all open cases.
        cases = ctx.cases.open_queue(limit)
    else:
        cases = [c for team in sorted(teams) for c in ctx.cases.queue(team, limit)]
    if mine:
        cases = [c for c in cases if c.owner.agent == agent.id]
    cases.sort(key=lambda c: (not c.is_chased(), c.clocks.resolution_due))
    return cases[:limit]


def breaches(ctx: Context, agent: Agent, limit: int = 100) -> list[Case]:
    """Cases past their last deadline, the most overdue first (supervisors only)."""
    if not agent.is_supervisor:
        raise NotFound("breaches")
    found = [c for c in ctx.cases.breached(limit) if agent.supervises(c.agency)]
    return sorted(found, key=lambda c: (c.clocks.resolution_due, c.reference))


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
) -> Case:
    """Applies the named action (see ``case_actions.ACTIONS``); an unknown one is not found."""
    given = {"text": text, "team": team, "to_agent": to_agent, "agency": agency, "topic": topic}
    return perform(ctx, agent, reference, version, command_for(action, **given))


def perform(ctx: Context, agent: Agent, reference: str, version: int, command: object) -> Case:
    """Applies one action's command to a case the agent has read at ``version``."""
    handler = HANDLERS[type(command)]
    case = agent_case(ctx, agent, reference)
    if case.version != version:
        raise VersionConflict("case", current=case.version)
    before = case.next_deadline()
    message = handler(ctx, agent, case, command, ctx.clock.now())
    with ctx.effects.collect():  # the change, its timer and its message: one transaction
        after_save(ctx, case, before, message)
        ctx.cases.save(case)
    return case


def decide(ctx: Context, agent: Agent, case: Case, action: str, text: str) -> str | None:
    """Resolves or escalates a loaded case without saving it, for a use case that saves it
    with another entity in one transaction (a reached callback); returns the message to send
    once saved (see ``after_save``)."""
    try:
        kind, handler = DECISIONS[action]
    except KeyError:
        raise NotFound("action") from None
    return handler(ctx, agent, case, kind(text), ctx.clock.now())


def _resolve_taking_over(
    ctx: Context, agent: Agent, case: Case, command: Resolve, now: datetime
) -> str:
    """An agent of the agency's next tier who has the citizen on the phone answers a case still
    at the tier below: the case is escalated to their team and claimed by them first, so the
    history shows who took it over, and ownership rules stay as they are."""
    answer = required(command.text, "answer")
    if (
        not agent.supervises(case.agency)
        and case.owner.team not in agent.teams
        and case.tier < TOP_TIER
        and ctx.directory.team_for(case.agency, case.tier + 1).id in agent.teams
    ):
        case.escalate(agent.id, "callback", now, ctx.route)
        case.claim(agent, now)
    case.take_over(agent, "callback", now)  # a colleague's claim: recorded, with the reason
    case.resolve(agent, answer, now)
    return "case_answered"


ANSWERED = "case_answered"

DECISIONS: dict[str, tuple[type, Handler]] = {
    "resolve": (Resolve, _resolve_taking_over),
    "escalate": (Escalate, escalate_case),
}


def after_save(
    ctx: Context,
    case: Case,
    before: datetime | None,
    message: str | None,
) -> None:
    """What follows a change: the timer for the next deadline, the citizen's message (in a unit
    of work opened before the save, they are written in its transaction)."""
    schedule_deadline(ctx, case, before)
    if message == ANSWERED:
        # The answer earns a survey, opened in the same unit of work as the message.
        rated = Rated(
            Kind.CASE, agency=case.agency, team=case.owner.team, channel=case.channel.value
        )
        notify(
            ctx, case, message, survey_url=surveys.offer(ctx, case.citizen, rated, case.language)
        )
    elif message:
        notify(ctx, case, message)
