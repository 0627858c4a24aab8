"""What an agent can do to a case: one small command and one function per action.

``ACTIONS`` finds both by the action's name in the URL. A handler changes the loaded case
(it does not save it) and returns the message to send the citizen once saved, if any.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from chalicelib.domain.cases import Case
from chalicelib.domain.directory import Agent
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.services.case_steps import hand_out, required
from chalicelib.services.context import Context


@dataclass(frozen=True)
class Plain:
    """An action with no details."""


class Claim(Plain):
    """Take the case from the team's queue."""


class Close(Plain):
    """Close a resolved case."""


@dataclass(frozen=True)
class Texted:
    """An action whose one detail is the agent's text."""

    text: str


class AddNote(Texted):
    """``text``: the note, for colleagues only."""


class Escalate(Texted):
    """``text``: why the case goes to the next tier."""


class RequestInfo(Texted):
    """``text``: the question for the citizen."""


class Resolve(Texted):
    """``text``: the answer the citizen reads."""


class Reopen(Texted):
    """``text``: why the case opens again."""


@dataclass(frozen=True)
class Reassign:
    team: str | None  # None: the case's own team
    to_agent: str | None  # None: back to the team's queue


@dataclass(frozen=True)
class Transfer:
    agency: str | None
    topic: str | None
    text: str  # the reason


def claim(ctx: Context, agent: Agent, case: Case, command: Claim, now: datetime) -> None:
    case.claim(agent, now)


def add_note(ctx: Context, agent: Agent, case: Case, command: AddNote, now: datetime) -> None:
    case.add_note(agent, required(command.text, "note"), now)


def escalate(ctx: Context, agent: Agent, case: Case, command: Escalate, now: datetime) -> None:
    case.escalate_by_agent(agent, required(command.text, "reason"), now, ctx.route)
    hand_out(ctx, case, now)


def request_info(
    ctx: Context, agent: Agent, case: Case, command: RequestInfo, now: datetime
) -> str:
    case.request_info(agent, required(command.text, "question"), now)
    return "case_info_requested"


def resolve(ctx: Context, agent: Agent, case: Case, command: Resolve, now: datetime) -> str:
    case.resolve(agent, required(command.text, "answer"), now)
    return "case_answered"


def reassign(ctx: Context, agent: Agent, case: Case, command: Reassign, now: datetime) -> None:
    team = command.team or case.owner.team
    target = ctx.directory.teams.get(team)
    if target is None or target.tier != case.tier:
        raise InvalidInput("team", "unknown-team")
    # The team's active members in the store (a deactivated agent takes no new cases).
    if command.to_agent is not None and ctx.roster.team(team).member(command.to_agent) is None:
        raise InvalidInput("agent", "not-in-team")
    case.reassign(agent, now, team=target, agent=command.to_agent)


def close(ctx: Context, agent: Agent, case: Case, command: Close, now: datetime) -> None:
    case.close(agent, now)


def reopen(ctx: Context, agent: Agent, case: Case, command: Reopen, now: datetime) -> None:
    reason = required(command.text, "reason")
    case.reopen(agent.id, reason, now, ctx.directory.policy, ctx.route, agent)


def transfer(ctx: Context, agent: Agent, case: Case, command: Transfer, now: datetime) -> str:
    """To the competent agency; the citizen is owed a notice within a few working days."""
    agency = ctx.directory.agency(command.agency or "")
    if command.topic is None or agency.topic(command.topic) is None:
        raise InvalidInput("topic", "unknown-topic")
    notice_due = ctx.working_days.add_working_days(
        case.created_at, ctx.directory.policy.transfer_notice_working_days
    )
    reason = required(command.text, "reason")
    case.transfer(agent, agency.id, command.topic, reason, now, ctx.route, notice_due)
    hand_out(ctx, case, now)
    return "case_transferred"


Handler = Callable[[Context, Agent, Case, Any, datetime], str | None]

ACTIONS: dict[str, tuple[type, Handler]] = {
    "claim": (Claim, claim),
    "note": (AddNote, add_note),
    "escalate": (Escalate, escalate),
    "request-info": (RequestInfo, request_info),
    "resolve": (Resolve, resolve),
    "reassign": (Reassign, reassign),
    "close": (Close, close),
    "reopen": (Reopen, reopen),
    "transfer": (Transfer, transfer),
}
AGENT_ACTIONS = tuple(ACTIONS)
HANDLERS: dict[type, Handler] = dict(ACTIONS.values())


def command_for(action: str, **given: Any) -> Any:
    """The action's command from the fields a request may carry (those it needs are taken)."""
    try:
        kind, _ = ACTIONS[action]
    except KeyError:
        raise NotFound("action") from None
    return kind(**{f.name: given[f.name] for f in fields(kind)})
