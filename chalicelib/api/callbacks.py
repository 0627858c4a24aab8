"""Callback routes: windows, booking, the citizen's own callback, agents' claim-next and
outcomes, and the supervisors' view of missed callbacks."""

from __future__ import annotations

from functools import partial

from chalice import Blueprint

from chalicelib.api.auth import AGENT_ROUTE
from chalicelib.api.callback_schemas import (
    CallbackIn,
    MissedQuery,
    OutcomeIn,
    WindowsQuery,
    agent_callback,
    citizen_callback,
    window_view,
)
from chalicelib.api.cases import reference_of
from chalicelib.api.common import (
    agent_and_body,
    agent_and_query,
    agent_of,
    ctx,
    idempotency_of,
    tracking_token,
)
from chalicelib.api.limits import public_write
from chalicelib.api.openapi import TRACKING, Link, creates, describe
from chalicelib.api.problems import endpoint, json_response, read_body, read_query
from chalicelib.api.responses import (
    AgentCallbackOut,
    AgentCallbacksOut,
    CallbackOut,
    CallbackReceiptOut,
    CallbacksOut,
    MissedCallbacksOut,
    WindowOut,
)
from chalicelib.domain.callbacks import Outcome
from chalicelib.domain.directory import Agent
from chalicelib.domain.errors import NotFound
from chalicelib.domain.references import InvalidReference, normalise_reference
from chalicelib.services import callbacks as service

bp = Blueprint(__name__)
TAG = "callbacks"


def callback_ref(raw: str) -> str:
    """A mistyped reference (bad check character) is simply not found."""
    try:
        return normalise_reference(raw)
    except InvalidReference:
        raise NotFound("callback") from None


def _book(body: CallbackIn, booked_by: Agent | None) -> dict:
    return service.request_callback(
        ctx(),
        body.command(case_token=tracking_token(bp)),
        idempotency=idempotency_of(bp.current_request, body),
        booked_by=booked_by,
    )


# --- public ---------------------------------------------------------------------------


@endpoint(bp, "/callback-windows", methods=["GET"])
def callback_windows():
    query = read_query(bp.current_request, WindowsQuery)
    return json_response(
        [window_view(w, left) for w, left in service.windows(ctx(), query.agency, query.day)]
    )


@endpoint(bp, "/callbacks", methods=["POST"])
@public_write(bp)
def request_callback():
    body = read_body(bp.current_request, CallbackIn)
    return json_response(_book(body, None), 201)


@endpoint(bp, "/callbacks/{reference}", methods=["GET"])
def track_callback(reference: str):
    token = tracking_token(bp)
    return json_response(citizen_callback(service.track(ctx(), callback_ref(reference), token)))


@endpoint(bp, "/callbacks/{reference}/cancel", methods=["POST"])
def cancel_callback(reference: str):
    token = tracking_token(bp)
    return json_response(citizen_callback(service.cancel(ctx(), callback_ref(reference), token)))


@endpoint(bp, "/cases/{reference}/callbacks", methods=["GET"])
def case_callbacks(reference: str):
    token = tracking_token(bp)
    linked = service.case_callbacks(ctx(), reference_of(reference), token)
    return json_response({"callbacks": [citizen_callback(c) for c in linked]})


# --- agents ---------------------------------------------------------------------------


@endpoint(bp, "/agent/callbacks", methods=["POST"], **AGENT_ROUTE)
def book_during_call():
    agent, body = agent_and_body(bp, CallbackIn)
    return json_response(_book(body, agent), 201)


@endpoint(bp, "/agent/callbacks", methods=["GET"], **AGENT_ROUTE)
def my_callbacks():
    agent = agent_of(bp.current_request)
    mine = service.my_callbacks(ctx(), agent)
    return json_response({"callbacks": [agent_callback(c) for c in mine]})


@endpoint(bp, "/agent/callbacks/next", methods=["POST"], **AGENT_ROUTE)
def claim_next():
    agent = agent_of(bp.current_request)
    return json_response(agent_callback(service.claim_next(ctx(), agent)))


@endpoint(bp, "/agent/callbacks/{reference}", methods=["GET"], **AGENT_ROUTE)
def callback_detail(reference: str):
    agent = agent_of(bp.current_request)
    callback = service.agent_callback(ctx(), agent, callback_ref(reference))
    return json_response(agent_callback(callback))


@endpoint(bp, "/agent/callbacks/{reference}/outcome", methods=["POST"], **AGENT_ROUTE)
def record_outcome(reference: str):
    request = bp.current_request
    agent = agent_of(request)
    ref = callback_ref(reference)
    service.agent_callback(ctx(), agent, ref)  # 404 before looking at the body
    body = read_body(request, OutcomeIn)
    command = service.RecordOutcome(
        outcome=Outcome(body.outcome),
        version=body.version,
        note=body.note or "",
        case_action=body.case_action,
        text=(body.answer if body.case_action == "resolve" else body.reason) or "",
    )
    callback = service.record_outcome(ctx(), agent, ref, command)
    return json_response(agent_callback(callback))


@endpoint(bp, "/supervisor/missed-callbacks", methods=["GET"], **AGENT_ROUTE)
def missed_callbacks():
    agent, query = agent_and_query(bp, MissedQuery)
    overdue, counts = service.missed(ctx(), agent, query.day)
    return json_response(
        {"callbacks": [agent_callback(c) for c in overdue], "missed_by_team": counts}
    )


citizens = partial(describe, tag=TAG)
staff = partial(describe, agent=True, tag=TAG)
ASAP = "Book a callback in a window or 'asap' (Idempotency-Key; X-Tracking-Token of a linked case)"
LINKED = "Callbacks linked to my case (the case's X-Tracking-Token)"
NEXT = "Claim the next due callback of my teams; 404 /problems/no-callback-due when none"
OUTCOMES = "Record the call: reached, no_answer, busy, wrong_number, declined"
MISSED = "Open callbacks that missed their window; missed per team on ?date="
TRACKED = {TRACKING: True}


def _tracked(method: str, path: str) -> Link:
    parameters = {"path.reference": "$response.body#/reference"}
    return Link(method, path, {**parameters, "header.X-Tracking-Token": "$response.body#/token"})


RECEIPT_LINKS = {
    "show": _tracked("GET", "/callbacks/{reference}"),
    "cancel": _tracked("POST", "/callbacks/{reference}/cancel"),
}
STAFF_LINKS = {
    "detail": Link(
        "GET", "/agent/callbacks/{reference}", {"path.reference": "$response.body#/reference"}
    )
}

citizens(
    "GET",
    "/callback-windows",
    "Callback windows of a day with places left",
    query=WindowsQuery,
    response=WindowOut,
    many=True,
)
citizens(
    "POST",
    "/callbacks",
    ASAP,
    **creates(CallbackIn, CallbackReceiptOut, TRACKING),
    links=RECEIPT_LINKS,
)
citizens(
    "GET",
    "/callbacks/{reference}",
    "See my callback (X-Tracking-Token)",
    response=CallbackOut,
    headers=TRACKED,
)
citizens(
    "POST",
    "/callbacks/{reference}/cancel",
    "Cancel my callback (X-Tracking-Token)",
    response=CallbackOut,
    headers=TRACKED,
)
citizens("GET", "/cases/{reference}/callbacks", LINKED, response=CallbacksOut, headers=TRACKED)
staff(
    "POST",
    "/agent/callbacks",
    "Book a callback during a call",
    **creates(CallbackIn, CallbackReceiptOut),
)
staff("GET", "/agent/callbacks", "Callbacks I have claimed", response=AgentCallbacksOut)
staff("POST", "/agent/callbacks/next", NEXT, response=AgentCallbackOut, links=STAFF_LINKS)
staff(
    "GET",
    "/agent/callbacks/{reference}",
    "A callback with its attempts",
    response=AgentCallbackOut,
)
staff(
    "POST",
    "/agent/callbacks/{reference}/outcome",
    OUTCOMES,
    body=OutcomeIn,
    response=AgentCallbackOut,
)
staff(
    "GET",
    "/supervisor/missed-callbacks",
    MISSED,
    query=MissedQuery,
    response=MissedCallbacksOut,
)
