"""The single view of a citizen (agents) and the access record of look-ups (supervisors)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.auth import AGENT_ROUTE
from chalicelib.api.callback_schemas import AccessLogQuery, CitizenQuery, access_entry
from chalicelib.api.common import agent_and_body, agent_and_query, ctx
from chalicelib.api.openapi import describe
from chalicelib.api.problems import endpoint, json_response
from chalicelib.domain.errors import InvalidInput
from chalicelib.services import citizen_view as service

bp = Blueprint(__name__)
TAG = "citizens"


# An identifier is personal data: it travels in the body, never in a URL (URLs end up in
# access logs, browser history and proxies).


@endpoint(bp, "/agent/citizens/search", methods=["POST"], **AGENT_ROUTE)
def look_up():
    agent, body = agent_and_body(bp, CitizenQuery)
    kind, value = _one_identifier(body)
    items = service.look_up(ctx(), agent, service.LookUp(kind, value, body.reason))
    return json_response({"items": items})


@endpoint(bp, "/supervisor/access-log", methods=["GET"], **AGENT_ROUTE)
def access_log():
    """By agent (?agent=) or by month (?month=); by citizen only through the search below."""
    agent, query = agent_and_query(bp, AccessLogQuery)
    records = service.access_log(ctx(), agent, month=query.month, by=query.agent)
    return json_response({"entries": [access_entry(r) for r in records]})


@endpoint(bp, "/supervisor/access-log/search", methods=["POST"], **AGENT_ROUTE)
def access_log_of_citizen():
    agent, body = agent_and_body(bp, CitizenQuery)
    records = service.access_log(ctx(), agent, subject=_one_identifier(body))
    return json_response({"entries": [access_entry(r) for r in records]})


def _one_identifier(body: CitizenQuery) -> tuple[str, str]:
    identifiers = body.identifiers()
    if len(identifiers) != 1:
        raise InvalidInput("identifier", "one-identifier")
    return identifiers[0]


describe(
    "POST",
    "/agent/citizens/search",
    "A citizen's cases, callbacks and appointments by one of amka|afm|phone|email (in the "
    "body, never the URL), newest first; reason is required and the look-up is recorded",
    body=CitizenQuery,
    agent=True,
    tag=TAG,
)
describe(
    "GET",
    "/supervisor/access-log",
    "Who looked citizens up: ?agent= or ?month=YYYY-MM (by citizen: POST .../search)",
    agent=True,
    tag=TAG,
)
describe(
    "POST",
    "/supervisor/access-log/search",
    "Who looked one citizen up, by one of amka|afm|phone|email and reason in the body",
    body=CitizenQuery,
    agent=True,
    tag=TAG,
)
