"""A refused booking that says until when: the no-show block."""

from __future__ import annotations

from chalice.app import Request

from chalicelib.api import problems
from chalicelib.api.problems import Problem
from chalicelib.domain.errors import BookingBlocked
from chalicelib.domain.local_time import shown_day


def blocked_problem(blocked: BookingBlocked, request: Request) -> Problem:
    """The refusal says until when, in the caller's language."""
    until = shown_day(blocked.until)
    lang = problems.language(request)
    detail = (
        f"You can book this service again from {until}."
        if lang == "en"
        else f"Μπορείτε να κλείσετε ξανά ραντεβού για αυτή την υπηρεσία από {until}."
    )
    return Problem(409, "booking-blocked", detail=detail)
