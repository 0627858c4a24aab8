"""Administrators order a citizen's data erased (the work is done by a timer: 202)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.auth import AGENT_ROUTE
from chalicelib.api.callback_schemas import CitizenQuery
from chalicelib.api.common import agent_and_body, agent_of, ctx
from chalicelib.api.openapi import describe
from chalicelib.api.problems import endpoint, json_response
from chalicelib.domain.errors import InvalidInput
from chalicelib.services import erasure as service

bp = Blueprint(__name__)
TAG = "citizens"


@endpoint(bp, "/admin/citizens/erase", methods=["POST"], **AGENT_ROUTE)
def erase_citizen():
    agent, body = agent_and_body(bp, CitizenQuery)
    identifiers = body.identifiers()
    if len(identifiers) != 1:
        raise InvalidInput("identifier", "one-identifier")
    [(kind, value)] = identifiers
    order = service.order_erasure(ctx(), agent, kind, value, body.reason)
    return json_response(order, 202)


@endpoint(bp, "/admin/erasures/{order_id}", methods=["GET"], **AGENT_ROUTE)
def erasure_order(order_id: str):
    return json_response(service.order_of(ctx(), agent_of(bp.current_request), order_id))


describe(
    "POST",
    "/admin/citizens/erase",
    "Order a citizen's data erased (admin): one of amka|afm|phone|email and reason in the "
    "body; answered 202 with the order, its finished cases, bookings and callbacks are "
    "anonymised by a timer and the order records who, why and how many",
    body=CitizenQuery,
    agent=True,
    tag=TAG,
)
describe(
    "GET",
    "/admin/erasures/{order_id}",
    "An erasure order: accepted or done, with how many dealings were erased or kept",
    agent=True,
    tag=TAG,
)
