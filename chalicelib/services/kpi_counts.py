"""What bookings and surveys add to the KPI counters. Called inside the unit of work of the
change, so the counts are written in its transaction (cases and callbacks count in their
repositories' writes, from the change itself)."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.bookings import Booking
from chalicelib.domain.kpi_tallies import (
    SurveyScore,
    Tally,
    appointment,
    appointment_place,
    survey_answered,
)
from chalicelib.services.context import Context


def count_booking(
    ctx: Context, booking: Booking, what: str, *, held: int = 0, moved_from: datetime | None = None
) -> None:
    """``what`` happened to the booking now (booked, served, no_show, cancelled; "" for
    nothing); ``held`` places taken (+1) or given back (-1) on the appointment's day;
    ``moved_from``: the start it left (its day gives the place back)."""
    agency = ctx.catalogue.service(booking.service).agency
    mode = booking.mode.value
    tallies: list[Tally] = []
    if what:
        tallies.append(appointment(ctx.clock.now(), agency, booking.branch, mode, what))
    if held:
        tallies.append(appointment_place(booking.start, agency, booking.branch, mode, held))
    if moved_from is not None:
        tallies.append(appointment_place(moved_from, agency, booking.branch, mode, -1))
        tallies.append(appointment_place(booking.start, agency, booking.branch, mode, 1))
    ctx.kpis.add(tallies)


def no_show_taken_back(ctx: Context, booking: Booking) -> list[Tally]:
    """A late check-in the same day: the no-show counted at the appointment is taken back."""
    agency = ctx.catalogue.service(booking.service).agency
    undo = appointment(booking.start, agency, booking.branch, booking.mode.value, "no_show")
    return [Tally(undo.day, undo.agency, undo.team, undo.channel, {"ap_no_show": -1})]


def survey_answer_counted(ctx: Context, event: SurveyScore) -> None:
    """A satisfaction survey was answered: call inside the unit of work that stores the
    answer, so the count is written in its transaction."""
    ctx.kpis.add([survey_answered(event)])
