"""The appointment as an iCalendar (.ics) file, built with the icalendar library."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.domain.bookings import Booking, Status
from chalicelib.domain.catalogue import Branch, Mode, Service

UID_DOMAIN = "rantevou.citizen-service.gov.gr"

_WORDS = {
    "el": {"video": "Βιντεοκλήση", "code": "Κωδικός", "join": "Σύνδεση", "alarm": "Ραντεβού"},
    "en": {"video": "Video call", "code": "Code", "join": "Join", "alarm": "Appointment"},
}


def booking_calendar(booking: Booking, service: Service, branch: Branch) -> str:
    """A calendar with the one event; a cancelled booking cancels the event it replaced."""
    # Imported on the first .ics, not at cold start: only a booking's messages carry one.
    from icalendar import Alarm, Calendar, Event

    words = _WORDS["en" if booking.language == "en" else "el"]
    cancelled = booking.status == Status.CANCELLED
    calendar = Calendar()
    calendar.add("prodid", "-//Citizen service platform//e-rantevou//EL")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")

    event = Event()
    event.add("uid", f"{booking.code}@{UID_DOMAIN}")
    # The last change, not the time of the download: the same booking gives the same file.
    event.add("dtstamp", booking.history[-1].at if booking.history else booking.created_at)
    event.add("dtstart", booking.start)
    event.add("dtend", booking.end)
    event.add("sequence", booking.sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add(
        "summary", f"{service.name.in_(booking.language)} - {branch.name.in_(booking.language)}"
    )
    description = [f"{words['code']}: {booking.code}"]
    if booking.mode == Mode.VIDEO and booking.join_url:
        event.add("location", f"{words['video']}: {booking.join_url}")
        event.add("url", booking.join_url)
        description.append(f"{words['join']}: {booking.join_url}")
    else:
        event.add("location", branch.address)
    event.add("description", "\n".join(description))
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", timedelta(hours=-1))
        alarm.add("description", f"{words['alarm']} {booking.code}")
        event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
