"""Agent routes of case intake: log a call, queue, case detail, actions, breaches."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api.auth import AGENT_ROUTE
from chalicelib.api.case_schemas import ActionIn, CaseIn, CaseReceiptOut, agent_view, queue_entry
from chalicelib.api.cases import _command, reference_of
from chalicelib.api.common import agent_and_body, agent_of, ctx, idempotency_of
from chalicelib.api.openapi import Link, creates, describe
from chalicelib.api.problems import endpoint, json_response, read_body
from chalicelib.api.responses import AgentCaseOut, QueueOut, QueueQuery
from chalicelib.domain.cases import Case
from chalicelib.domain.directory import Agent, UnknownAgency
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.services import cases as service

bp = Blueprint(__name__)


@endpoint(bp, "/agent/cases", methods=["POST"], **AGENT_ROUTE)
def log_call():
    agent, body = agent_and_body(bp, CaseIn)
    receipt = service.submit_case(
        ctx(),
        _command(body, service.Channel.PHONE),
        idempotency=idempotency_of(bp.current_request, body),
        logged_by=agent,
    )
    return json_response(receipt, 201)


QUEUE_SCOPES = ("team", "mine")


@endpoint(bp, "/agent/queue", methods=["GET"], **AGENT_ROUTE)
def my_queue():
    """``?scope=team`` (the default): open cases of the agent's teams; ``mine``: those they hold."""
    request = bp.current_request
    agent = agent_of(request)
    scope = (request.query_params or {}).get("scope", "team")
    if scope not in QUEUE_SCOPES:
        raise InvalidInput("scope", "invalid-choice")
    cases = service.queue(ctx(), agent, mine=scope == "mine")
    return json_response({"cases": [queue_entry(c, ctx().directory) for c in cases]})


def _view(agent: Agent, case: Case) -> Response:
    context = ctx()
    allowed = service.allowed_actions(context, agent, case)
    view = agent_view(case, context.clock.now(), context.directory, allowed)
    if "reassign" in allowed:
        view["reassign_teams"] = [
            {"id": t.id, "name": {"el": t.name.el, "en": t.name.en}}
            for t in service.reassign_teams(context, case)
        ]
    return json_response(view)


@endpoint(bp, "/agent/cases/{reference}", methods=["GET"], **AGENT_ROUTE)
def case_detail(reference: str):
    agent = agent_of(bp.current_request)
    return _view(agent, service.agent_case(ctx(), agent, reference_of(reference)))


@endpoint(bp, "/agent/cases/{reference}/{action}", methods=["POST"], **AGENT_ROUTE)
def case_action(reference: str, action: str):
    request = bp.current_request
    agent = agent_of(request)
    if action not in service.AGENT_ACTIONS:
        raise NotFound("action")
    body = read_body(request, ActionIn)
    try:
        case = service.act(
            ctx(),
            agent,
            reference_of(reference),
            action,
            body.version,
            text=body.text,
            team=body.team,
            to_agent=body.agent,
            agency=body.agency,
            topic=body.topic,
        )
    except UnknownAgency:
        raise InvalidInput("agency", "unknown-agency") from None
    return _view(agent, case)


@endpoint(bp, "/supervisor/breaches", methods=["GET"], **AGENT_ROUTE)
def breaches():
    agent = agent_of(bp.current_request)
    cases = service.breaches(ctx(), agent)
    return json_response({"cases": [queue_entry(c, ctx().directory) for c in cases]})


DETAIL = {
    "detail": Link(
        "GET", "/agent/cases/{reference}", {"path.reference": "$response.body#/reference"}
    )
}
describe(
    "POST",
    "/agent/cases",
    "Log a phone call as a case",
    agent=True,
    **creates(CaseIn, CaseReceiptOut),
    links=DETAIL,
)
describe(
    "GET",
    "/agent/queue",
    "Open cases of my teams (?scope=team, the default) or held by me (?scope=mine), chased first,"
    " then oldest due",
    agent=True,
    query=QueueQuery,
    response=QueueOut,
)
describe(
    "GET",
    "/agent/cases/{reference}",
    "A case with its history",
    agent=True,
    response=AgentCaseOut,
)
describe(
    "POST",
    "/agent/cases/{reference}/{action}",
    ", ".join(service.AGENT_ACTIONS),
    body=ActionIn,
    agent=True,
    response=AgentCaseOut,
    path_params={"action": {"type": "string", "enum": list(service.AGENT_ACTIONS)}},
)
describe(
    "GET",
    "/supervisor/breaches",
    "Cases that breached their last deadline, the most overdue first",
    agent=True,
    response=QueueOut,
)
