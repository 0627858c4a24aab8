"""Branch staff routes: the desk's day list, check-in and served, booking on a citizen's
behalf, and the branch's hours, closures and desks. Role-checked: the agent's
``branches`` claim must include the branch, or the agent is an admin."""

from __future__ import annotations

from functools import partial
from typing import TypeVar

from chalice import Blueprint
from pydantic import BaseModel

from chalicelib.api.auth import AGENT_ROUTE
from chalicelib.api.booking_problems import blocked_problem
from chalicelib.api.booking_schemas import (
    CapacityIn,
    ClosureIn,
    DayQuery,
    HoursIn,
    LiftBlockIn,
    StaffActionIn,
    StaffBookingIn,
    VersionQuery,
    settings_view,
    staff_view,
)
from chalicelib.api.common import agent_and_query, agent_of, ctx, idempotency_of
from chalicelib.api.openapi import creates, describe
from chalicelib.api.problems import endpoint, json_response, read_body, read_query
from chalicelib.api.responses import (
    BookingReceiptOut,
    BranchSettingsOut,
    ClosureOut,
    DayListOut,
    LiftedOut,
    StaffBookingOut,
)
from chalicelib.domain.bookings import Booking
from chalicelib.domain.directory import Agent
from chalicelib.domain.errors import BookingBlocked, NotFound
from chalicelib.domain.local_time import athens_day
from chalicelib.services import bookings as service
from chalicelib.services import branch_admin
from chalicelib.services.booking_common import describe as describe_booking

bp = Blueprint(__name__)
TAG = "branch staff"

M = TypeVar("M", bound=BaseModel)


def _view(booking: Booking) -> dict:
    view = staff_view(describe_booking(ctx(), booking), booking)
    return {**view, "allowed_actions": service.allowed_actions(ctx(), booking)}


def _staff_body(branch: str, model: type[M]) -> tuple[Agent, M]:
    """The acting agent and the request body; 404/403 before looking at the body."""
    request = bp.current_request
    agent = agent_of(request)
    branch_admin.require_branch_staff(ctx(), agent, branch)
    return agent, read_body(request, model)


@endpoint(bp, "/branch/{branch}/day", methods=["GET"], **AGENT_ROUTE)
def day_list(branch: str):
    agent, query = agent_and_query(bp, DayQuery)
    day = query.date or athens_day(ctx().clock.now())
    found = service.day_list(ctx(), agent, branch, day)
    return json_response({"date": day.isoformat(), "bookings": [_view(b) for b in found]})


@endpoint(bp, "/branch/{branch}/bookings", methods=["POST"], **AGENT_ROUTE)
def book_for_citizen(branch: str):
    agent, body = _staff_body(branch, StaffBookingIn)
    request = bp.current_request
    try:
        receipt = service.book(ctx(), body.command(branch, agent), idempotency_of(request, body))
    except BookingBlocked as blocked:
        raise blocked_problem(blocked, request) from None
    return json_response(receipt, 201)


@endpoint(bp, "/branch/{branch}/bookings/{code}", methods=["GET"], **AGENT_ROUTE)
def booking_detail(branch: str, code: str):
    agent = agent_of(bp.current_request)
    return json_response(_view(service.staff_booking(ctx(), agent, branch, code)))


@endpoint(bp, "/branch/{branch}/bookings/{code}/{action}", methods=["POST"], **AGENT_ROUTE)
def booking_action(branch: str, code: str, action: str):
    request = bp.current_request
    agent = agent_of(request)
    if action not in service.STAFF_ACTIONS:
        raise NotFound("action")
    body = read_body(request, StaffActionIn)
    booking = service.staff_act(
        ctx(),
        agent,
        branch,
        code,
        action,
        body.version,
        start=body.start,
        note=body.note,
    )
    return json_response(_view(booking))


@endpoint(bp, "/branch/{branch}/settings", methods=["GET"], **AGENT_ROUTE)
def show_settings(branch: str):
    agent = agent_of(bp.current_request)
    settings, version = branch_admin.settings(ctx(), agent, branch)
    return json_response(settings_view(branch, settings, version))


@endpoint(bp, "/branch/{branch}/hours", methods=["PUT"], **AGENT_ROUTE)
def change_hours(branch: str):
    agent, body = _staff_body(branch, HoursIn)
    hours, walk_in = body.weeks()
    settings, version = branch_admin.set_hours(ctx(), agent, branch, body.version, hours, walk_in)
    return json_response(settings_view(branch, settings, version))


@endpoint(bp, "/branch/{branch}/capacity", methods=["PUT"], **AGENT_ROUTE)
def change_capacity(branch: str):
    agent, body = _staff_body(branch, CapacityIn)
    settings, version = branch_admin.set_capacity(
        ctx(), agent, branch, body.version, body.service, body.desks()
    )
    return json_response(settings_view(branch, settings, version))


@endpoint(bp, "/branch/{branch}/closures", methods=["POST"], **AGENT_ROUTE)
def add_closure(branch: str):
    agent, body = _staff_body(branch, ClosureIn)
    settings, version, cancelled = branch_admin.add_closure(
        ctx(), agent, branch, body.version, body.date, body.reason
    )
    return json_response(
        {**settings_view(branch, settings, version), "cancelled_bookings": cancelled}, 201
    )


@endpoint(bp, "/branch/{branch}/no-show-blocks/lift", methods=["POST"], **AGENT_ROUTE)
def lift_no_show_block(branch: str):
    # A POST with the AMKA in the body, so that it stays out of URLs and access logs.
    agent, body = _staff_body(branch, LiftBlockIn)
    branch_admin.lift_no_show_block(ctx(), agent, branch, body.amka, body.service, body.reason)
    return json_response({"lifted": True})


@endpoint(bp, "/branch/{branch}/closures/{day}", methods=["DELETE"], **AGENT_ROUTE)
def remove_closure(branch: str, day: str):
    request = bp.current_request
    agent = agent_of(request)
    branch_admin.require_branch_staff(ctx(), agent, branch)
    query = read_query(request, VersionQuery)
    when = DayQuery.model_validate({"date": day}).date
    assert when is not None
    settings, version = branch_admin.remove_closure(ctx(), agent, branch, query.version, when)
    return json_response(settings_view(branch, settings, version))


_describe = partial(describe, agent=True, tag=TAG)
ACTIONS = {"type": "string", "enum": list(service.STAFF_ACTIONS)}
_describe(
    "GET",
    "/branch/{branch}/day",
    "The desk's list of a day (?date=)",
    query=DayQuery,
    response=DayListOut,
)
_describe(
    "POST",
    "/branch/{branch}/bookings",
    "Book on a citizen's behalf (phone or counter)",
    **creates(StaffBookingIn, BookingReceiptOut),
)
_describe(
    "GET", "/branch/{branch}/bookings/{code}", "A booking of the branch", response=StaffBookingOut
)
_describe(
    "POST",
    "/branch/{branch}/bookings/{code}/{action}",
    "check-in, served, no-show, cancel, reschedule (with the booking's version)",
    body=StaffActionIn,
    response=StaffBookingOut,
    path_params={"action": ACTIONS},
)
_describe(
    "GET",
    "/branch/{branch}/settings",
    "Hours, walk-in windows, closures, desks",
    response=BranchSettingsOut,
)
_describe(
    "PUT",
    "/branch/{branch}/hours",
    "Change weekly hours and walk-in windows",
    body=HoursIn,
    response=BranchSettingsOut,
)
_describe(
    "PUT",
    "/branch/{branch}/capacity",
    "Change the desks serving a service",
    body=CapacityIn,
    response=BranchSettingsOut,
)
_describe(
    "POST",
    "/branch/{branch}/closures",
    "Close the branch for a day (cancels its bookings)",
    body=ClosureIn,
    created=True,
    response=ClosureOut,
)
_describe(
    "DELETE",
    "/branch/{branch}/closures/{day}",
    "Reopen a closed day (?version=)",
    query=VersionQuery,
    response=BranchSettingsOut,
)
_describe(
    "POST",
    "/branch/{branch}/no-show-blocks/lift",
    "Lift a citizen's no-show block for a service of the branch, with a reason",
    body=LiftBlockIn,
    response=LiftedOut,
)
