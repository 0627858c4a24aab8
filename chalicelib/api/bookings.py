"""Public appointment routes: services, branches, availability, booking and managing it,
the calendar file, and a full day's waitlist."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib import bootstrap
from chalicelib.api import problems
from chalicelib.api.booking_schemas import (
    AvailabilityQuery,
    BookingIn,
    BranchesQuery,
    RescheduleIn,
    WaitlistIn,
    accommodations_of,
    branch_view,
    service_view,
    slot_view,
)
from chalicelib.api.common import ctx, idempotency_of
from chalicelib.api.openapi import describe
from chalicelib.api.problems import Problem, endpoint, json_response, read_body, read_query
from chalicelib.domain.bookings import (
    AlreadyBooked,
    BookingBlocked,
    ChangeClosed,
    CheckInWindow,
    Mode,
    SettingsChanged,
    SlotFull,
)
from chalicelib.domain.calendar import ATHENS
from chalicelib.domain.waitlist import AlreadyWaiting, DayNotFull, OfferExpired
from chalicelib.services import bookings as service
from chalicelib.services import waitlist
from chalicelib.services.booking_common import describe as describe_booking

bp = Blueprint(__name__)
TAG = "appointments"

for error, status, problem, titles in (
    (
        SlotFull,
        409,
        "slot-full",
        (
            "Δεν υπάρχει πλέον θέση σε αυτή την ώρα. Επιλέξτε άλλη.",
            "This time has no place left. Choose another one.",
        ),
    ),
    (
        AlreadyBooked,
        409,
        "already-booked",
        (
            "Έχετε ήδη ενεργό ραντεβού για αυτή την υπηρεσία. Αλλάξτε ή ακυρώστε εκείνο.",
            "You already have an active appointment for this service. Change or cancel it.",
        ),
    ),
    (
        BookingBlocked,
        409,
        "booking-blocked",
        (
            "Δεν μπορείτε να κλείσετε ραντεβού για αυτή την υπηρεσία προσωρινά, "
            "επειδή χάσατε πολλά ραντεβού.",
            "You cannot book this service for a while because you missed several appointments.",
        ),
    ),
    (
        ChangeClosed,
        409,
        "change-closed",
        (
            "Είναι πολύ αργά για αλλαγή ή ακύρωση online. Επικοινωνήστε με το κατάστημα.",
            "It is too late to change or cancel online. Please contact the branch.",
        ),
    ),
    (
        CheckInWindow,
        409,
        "check-in-window",
        (
            "Η προσέλευση δεν είναι δυνατή αυτή την ώρα για αυτό το ραντεβού.",
            "Check-in is not possible for this appointment at this time.",
        ),
    ),
    (
        DayNotFull,
        409,
        "day-not-full",
        (
            "Υπάρχουν ακόμη ελεύθερες ώρες αυτή την ημέρα: κλείστε μία από αυτές.",
            "There are still free times that day: book one of them.",
        ),
    ),
    (
        AlreadyWaiting,
        409,
        "already-waiting",
        (
            "Είστε ήδη στη λίστα αναμονής αυτής της ημέρας.",
            "You are already on this day's waitlist.",
        ),
    ),
    (
        SettingsChanged,
        409,
        "settings-changed",
        (
            "Το κατάστημα μόλις άλλαξε ωράριο ή θέσεις. Δείτε ξανά τις ελεύθερες ώρες.",
            "The branch has just changed its hours or places. Look at the free times again.",
        ),
    ),
    (
        OfferExpired,
        409,
        "offer-expired",
        (
            "Η προσφορά της θέσης έληξε και δόθηκε στον επόμενο της λίστας.",
            "The offer of this place has expired and passed to the next in line.",
        ),
    ),
):
    problems.register(error, status, problem, titles=titles)


def _public_url() -> str:
    return bootstrap.settings().public_url


def blocked_problem(blocked: BookingBlocked) -> Problem:
    """The refusal says until when, in the caller's language."""
    until = blocked.until.astimezone(ATHENS).strftime("%d/%m/%Y")
    lang = problems.language(bp.current_request)
    detail = (
        f"You can book this service again from {until}."
        if lang == "en"
        else f"Μπορείτε να κλείσετε ξανά ραντεβού για αυτή την υπηρεσία από {until}."
    )
    return Problem(409, "booking-blocked", detail=detail)


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
def book():
    request = bp.current_request
    body = read_body(request, BookingIn)
    command = service.BookAppointment(
        body.branch,
        body.service,
        body.start,
        Mode(body.mode),
        body.language,
        body.citizen.to_domain(),
        accommodations_of(body.accommodations),
    )
    try:
        receipt = service.book(
            ctx(), command, idempotency=idempotency_of(request, body), public_url=_public_url()
        )
    except BookingBlocked as blocked:
        raise blocked_problem(blocked) from None
    return json_response(receipt, 201)


def _token() -> str | None:
    return bp.current_request.headers.get("x-manage-token")


@endpoint(bp, "/bookings/{code}", methods=["GET"])
def show_booking(code: str):
    booking = service.manage(ctx(), code, _token())
    return json_response(describe_booking(ctx(), booking))


@endpoint(bp, "/bookings/{code}/cancel", methods=["POST"])
def cancel_booking(code: str):
    booking = service.cancel(ctx(), code, _token(), _public_url())
    return json_response(describe_booking(ctx(), booking))


@endpoint(bp, "/bookings/{code}/reschedule", methods=["POST"])
def reschedule_booking(code: str):
    request = bp.current_request
    service.manage(ctx(), code, _token())  # 404 before looking at the body
    body = read_body(request, RescheduleIn)
    booking = service.reschedule(ctx(), code, _token(), body.start, _public_url())
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
def join_waitlist():
    body = read_body(bp.current_request, WaitlistIn)
    command = waitlist.JoinWaitlist(
        body.branch,
        body.service,
        body.date,
        Mode(body.mode),
        body.language,
        body.citizen.to_domain(),
        accommodations_of(body.accommodations),
    )
    return json_response(waitlist.join(ctx(), command, _public_url()), 201)


@endpoint(bp, "/waitlist/{entry}", methods=["GET"])
def show_waitlist_entry(entry: str):
    found = waitlist.entry_of(ctx(), entry, _token())
    return json_response(waitlist.entry_view(ctx(), found))


@endpoint(bp, "/waitlist/{entry}/confirm", methods=["POST"])
def confirm_offer(entry: str):
    try:
        receipt = waitlist.confirm(ctx(), entry, _token(), _public_url())
    except BookingBlocked as blocked:
        raise blocked_problem(blocked) from None
    return json_response(receipt, 201)


@endpoint(bp, "/waitlist/{entry}/leave", methods=["POST"])
def leave_waitlist(entry: str):
    left = waitlist.leave(ctx(), entry, _token())
    return json_response(waitlist.entry_view(ctx(), left))


describe("GET", "/services", "Bookable services", tag=TAG)
describe(
    "GET", "/branches", "Branches offering a service (?service=&mode=&accommodations=)", tag=TAG
)
describe(
    "GET",
    "/branches/{branch}/availability",
    "Free slots of a branch for a service (?service=&from=&to=&mode=&accommodations=)",
    tag=TAG,
)
describe(
    "POST",
    "/bookings",
    "Book an appointment (Idempotency-Key)",
    body=BookingIn,
    created=True,
    tag=TAG,
)
describe("GET", "/bookings/{code}", "A booking (X-Manage-Token)", tag=TAG)
describe("POST", "/bookings/{code}/cancel", "Cancel a booking (X-Manage-Token)", tag=TAG)
describe(
    "POST",
    "/bookings/{code}/reschedule",
    "Move a booking to another slot in one step (X-Manage-Token)",
    body=RescheduleIn,
    tag=TAG,
)
describe(
    "GET", "/bookings/{code}/calendar.ics", "The booking as an iCalendar file (?token=)", tag=TAG
)
describe("POST", "/waitlist", "Join a full day's waitlist", body=WaitlistIn, created=True, tag=TAG)
describe("GET", "/waitlist/{entry}", "A waitlist entry and any offer (X-Manage-Token)", tag=TAG)
describe(
    "POST",
    "/waitlist/{entry}/confirm",
    "Take the place offered from the waitlist (X-Manage-Token)",
    created=True,
    tag=TAG,
)
describe("POST", "/waitlist/{entry}/leave", "Leave the waitlist (X-Manage-Token)", tag=TAG)
