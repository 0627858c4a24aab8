"""How the appointment routes answer a refused booking: one problem per domain error, and
a no-show block that says until when."""

from __future__ import annotations

from chalice.app import Request

from chalicelib.api import problems
from chalicelib.api.problems import Problem
from chalicelib.domain.bookings import (
    AlreadyBooked,
    BookingBlocked,
    ChangeClosed,
    CheckInWindow,
    SettingsChanged,
    SlotFull,
)
from chalicelib.domain.local_time import shown_day
from chalicelib.domain.waitlist import AlreadyWaiting, DayNotFull, OfferExpired

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
