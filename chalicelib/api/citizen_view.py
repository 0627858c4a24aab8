"""The single view of a citizen (agents) and the access record of look-ups (supervisors)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.auth import AGENT_ROUTE
from chalicelib.api.callback_schemas import AccessLogQuery, CitizenQuery, access_entry
from chalicelib.api.common import agent_of, ctx
from chalicelib.api.openapi import describe
from chalicelib.api.problems import endpoint, json_response, read_query
from chalicelib.domain.errors import InvalidInput
from chalicelib.services import citizen_view as service

bp = Blueprint(__name__)
TAG = "citizens"


@endpoint(bp, "/agent/citizens", methods=["GET"], **AGENT_ROUTE)
def look_up():
    request = bp.current_request
    agent = agent_of(request)
    query = read_query(request, CitizenQuery)
    identifiers = query.identifiers()
    if len(identifiers) != 1:
        raise InvalidInput("identifier", "one-identifier")
    [(kind, value)] = identifiers
    items = service.look_up(ctx(), agent, service.LookUp(kind, value, query.reason))
    return json_response({"items": items})


@endpoint(bp, "/supervisor/access-log", methods=["GET"], **AGENT_ROUTE)
def access_log():
    request = bp.current_request
    agent = agent_of(request)
    query = read_query(request, AccessLogQuery)
    records = service.access_log(
        ctx(), agent, month=query.month, by=query.agent, subject=query.subject()
    )
    return json_response({"entries": [access_entry(r) for r in records]})


describe(
    "GET",
    "/agent/citizens",
    "A citizen's cases, callbacks and appointments by one of amka|afm|phone|email, newest "
    "first; reason is required and the look-up is recorded",
    agent=True,
    tag=TAG,
)
describe(
    "GET",
    "/supervisor/access-log",
    "Who looked citizens up: ?agent=, ?amka=|afm=|phone=|email=, or ?month=YYYY-MM",
    agent=True,
    tag=TAG,
)
