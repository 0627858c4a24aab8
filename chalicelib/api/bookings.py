"""Public appointment routes: services, branches, availability, booking and managing it,
the calendar file, and a full day's waitlist."""

from __future__ import annotations

from functools import partial

from chalice import Blueprint, Response

from chalicelib.api.booking_problems import blocked_problem
from chalicelib.api.booking_schemas import (
    AvailabilityQuery,
    BookingIn,
    BranchesQuery,
    CalendarQuery,
    RescheduleIn,
    WaitlistIn,
    accommodations_of,
    branch_view,
    service_view,
    slot_view,
)
from chalicelib.api.common import ctx, idempotency_of
from chalicelib.api.limits import public_write
from chalicelib.api.openapi import MANAGE, Link, creates, describe, manage_link
from chalicelib.api.problems import endpoint, json_response, read_body, read_query
from chalicelib.api.responses import (
    AvailabilityOut,
    BookingOut,
    BookingReceiptOut,
    BranchOut,
    ServiceOut,
    WaitlistEntryOut,
    WaitlistReceiptOut,
)
from chalicelib.domain.bookings import Mode
from chalicelib.domain.errors import BookingBlocked
from chalicelib.services import bookings as service
from chalicelib.services import waitlist
from chalicelib.services.booking_common import describe as describe_booking

bp = Blueprint(__name__)
TAG = "appointments"


# --- reference -----------------------------------------------------------------------


@endpoint(bp, "/services", methods=["GET"])
def list_services():
    return json_response([service_view(s) for s in service.services(ctx())])


@endpoint(bp, "/branches", methods=["GET"])
def list_branches():
    query = read_query(bp.current_request, BranchesQuery)
    found = service.branches(
        ctx(),
        query.service,
        Mode(query.mode) if query.mode else None,
        accommodations_of(query.accommodations),
    )
    return json_response([branch_view(branch, modes) for branch, modes in found])


@endpoint(bp, "/branches/{branch}/availability", methods=["GET"])
def availability(branch: str):
    query = read_query(bp.current_request, AvailabilityQuery)
    slots = service.availability(
        ctx(),
        branch,
        query.service,
        query.from_,
        query.to,
        Mode(query.mode),
        accommodations_of(query.accommodations),
    )
    return json_response({"slots": [slot_view(slot, left) for slot, left in slots]})


# --- bookings ------------------------------------------------------------------------


@endpoint(bp, "/bookings", methods=["POST"])
@public_write(bp)
def book():
    request = bp.current_request
    body = read_body(request, BookingIn)
    try:
        receipt = service.book(ctx(), body.command(), idempotency=idempotency_of(request, body))
    except BookingBlocked as blocked:
        raise blocked_problem(blocked, request) from None
    return json_response(receipt, 201)


def _token() -> str | None:
    return bp.current_request.headers.get("x-manage-token")


@endpoint(bp, "/bookings/{code}", methods=["GET"])
def show_booking(code: str):
    booking = service.manage(ctx(), code, _token())
    # The manage page builds its calendar link from the read-only token.
    calendar_token = service.calendar_token(ctx(), booking)
    return json_response({**describe_booking(ctx(), booking), "calendar_token": calendar_token})


@endpoint(bp, "/bookings/{code}/cancel", methods=["POST"])
def cancel_booking(code: str):
    booking = service.cancel(ctx(), code, _token())
    return json_response(describe_booking(ctx(), booking))


@endpoint(bp, "/bookings/{code}/reschedule", methods=["POST"])
@public_write(bp)
def reschedule_booking(code: str):
    request = bp.current_request
    read = service.manage(ctx(), code, _token())  # 404 before looking at the body
    body = read_body(request, RescheduleIn)
    booking = service.reschedule(ctx(), code, _token(), body.start, read)
    return json_response(describe_booking(ctx(), booking))


@endpoint(bp, "/bookings/{code}/calendar.ics", methods=["GET"])
def calendar_file(code: str):
    token = (bp.current_request.query_params or {}).get("token")
    ics = service.calendar(ctx(), code, token)
    return Response(
        body=ics,
        status_code=200,
        headers={
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{service.code_of(code)}.ics"',
        },
    )


# --- waitlist ------------------------------------------------------------------------


@endpoint(bp, "/waitlist", methods=["POST"])
@public_write(bp)
def join_waitlist():
    body = read_body(bp.current_request, WaitlistIn)
    return json_response(waitlist.join(ctx(), body.command()), 201)


@endpoint(bp, "/waitlist/{entry}", methods=["GET"])
def show_waitlist_entry(entry: str):
    found = waitlist.entry_of(ctx(), entry, _token())
    return json_response(waitlist.entry_view(ctx(), found))


@endpoint(bp, "/waitlist/{entry}/confirm", methods=["POST"])
@public_write(bp)
def confirm_offer(entry: str):
    try:
        receipt = waitlist.confirm(ctx(), entry, _token())
    except BookingBlocked as blocked:
        raise blocked_problem(blocked, bp.current_request) from None
    return json_response(receipt, 201)


@endpoint(bp, "/waitlist/{entry}/leave", methods=["POST"])
def leave_waitlist(entry: str):
    left = waitlist.leave(ctx(), entry, _token())
    return json_response(waitlist.entry_view(ctx(), left))


_describe = partial(describe, tag=TAG)
MANAGED = {MANAGE: True}


def _manage(path: str) -> Link:
    return manage_link(path, "code", "code")


def _entry(path: str) -> Link:
    return manage_link(path, "entry", "id")


BOOKING_LINKS = {
    "show": _manage("/bookings/{code}"),
    "cancel": _manage("/bookings/{code}/cancel"),
    "reschedule": _manage("/bookings/{code}/reschedule"),
}
_describe("GET", "/services", "Bookable services", response=ServiceOut, many=True)
_describe(
    "GET",
    "/branches",
    "Branches offering a service (?service=&mode=&accommodations=)",
    query=BranchesQuery,
    response=BranchOut,
    many=True,
)
_describe(
    "GET",
    "/branches/{branch}/availability",
    "Free slots of a branch for a service (?service=&from=&to=&mode=&accommodations=)",
    query=AvailabilityQuery,
    response=AvailabilityOut,
)
_describe(
    "POST",
    "/bookings",
    "Book an appointment (Idempotency-Key)",
    **creates(BookingIn, BookingReceiptOut),
    links=BOOKING_LINKS,
)
_describe(
    "GET", "/bookings/{code}", "A booking (X-Manage-Token)", response=BookingOut, headers=MANAGED
)
_describe(
    "POST",
    "/bookings/{code}/cancel",
    "Cancel a booking (X-Manage-Token)",
    response=BookingOut,
    headers=MANAGED,
)
_describe(
    "POST",
    "/bookings/{code}/reschedule",
    "Move a booking to another slot in one step (X-Manage-Token)",
    body=RescheduleIn,
    response=BookingOut,
    headers=MANAGED,
)
_describe(
    "GET",
    "/bookings/{code}/calendar.ics",
    "The booking as an iCalendar file (?token=<calendar_token>: read-only, never the manage token)",
    query=CalendarQuery,
    media="text/calendar",
)
_describe(
    "POST",
    "/waitlist",
    "Join a full day's waitlist",
    body=WaitlistIn,
    created=True,
    response=WaitlistReceiptOut,
    links={
        "show": _entry("/waitlist/{entry}"),
        "confirm": _entry("/waitlist/{entry}/confirm"),
        "leave": _entry("/waitlist/{entry}/leave"),
    },
)
_describe(
    "GET",
    "/waitlist/{entry}",
    "A waitlist entry and any offer (X-Manage-Token)",
    response=WaitlistEntryOut,
    headers=MANAGED,
)
_describe(
    "POST",
    "/waitlist/{entry}/confirm",
    "Take the place offered from the waitlist (X-Manage-Token)",
    created=True,
    response=BookingReceiptOut,
    headers=MANAGED,
    links=BOOKING_LINKS,
)
_describe(
    "POST",
    "/waitlist/{entry}/leave",
    "Leave the waitlist (X-Manage-Token)",
    response=WaitlistEntryOut,
    headers=MANAGED,
)
