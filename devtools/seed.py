"""Demo data, loaded once into a fresh local store (a marker item remembers it)."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.adapters.table import Absent, ConditionFailed, Put
from chalicelib.domain.bookings import BookingCitizen, Mode
from chalicelib.domain.calendar import ATHENS
from chalicelib.domain.cases import Channel, Citizen
from chalicelib.domain.directory import Directory
from chalicelib.domain.identifiers import afm_check_digit, amka_check_digit
from chalicelib.domain.open311 import issue_key
from chalicelib.domain.roster import RosterAgent, StaffRole
from chalicelib.services import bookings, callbacks, cases
from chalicelib.services.context import Context
from devtools.runtime import LocalRuntime

SEED_VERSION = "demo-v1"
# The local stage's Open311 key (docs and README use it); AWS stages never run this seed.
LOCAL_OPEN311_KEY = "local-open311-demo"
DEMO_BRANCH, DEMO_SERVICE = "kep-athens-syntagma", "kep-certificate"


def demo_amka(birth_ddmmyy: str, serial: str) -> str:
    first10 = birth_ddmmyy + serial
    return first10 + amka_check_digit(first10)


def demo_afm(first8: str) -> str:
    return first8 + afm_check_digit(first8)


DEMO_CITIZENS = [
    Citizen(
        "Γιάννης Παπαδάκης",
        demo_amka("150385", "1234"),
        demo_afm("12345678"),
        "giannis@example.gr",
        "+306912345678",
    ),
    Citizen("Ελένη Μαυρίδου", demo_amka("020791", "4321"), None, "eleni@example.gr", None),
    Citizen("Κώστας Οικονόμου", None, None, None, "+302101234567"),
]


def demo_roster(directory: Directory) -> list[RosterAgent]:
    """The demo users (who sign in with dev tokens) as the teams' people; admins manage them
    through the API afterwards, like any agent."""
    return [
        RosterAgent(
            a.id,
            a.name,
            a.teams,
            StaffRole.SUPERVISOR if a.is_supervisor else StaffRole.AGENT,
        )
        for a in directory.agents.values()
        if a.teams
    ]


def seed_roster(ctx: Context) -> bool:
    """The demo agents, once (a no-op when they are there): the local stage only."""
    return ctx.roster.add_all(demo_roster(ctx.directory))


def _held_every_start(runtime: LocalRuntime) -> None:
    """The demo agents and the Open311 key, again on every start (a store seeded before they
    existed gets them too); adding them when they are there is a no-op."""
    seed_roster(runtime.ctx)
    stored, _ = issue_key("local demo client", runtime.clock.now(), LOCAL_OPEN311_KEY)
    runtime.ctx.open311_keys.add(stored)


def seed_once(runtime: LocalRuntime) -> bool:
    _held_every_start(runtime)
    try:
        runtime.table.write(Put({"pk": "SEED", "sk": SEED_VERSION}, Absent()))
    except ConditionFailed:
        return False
    ctx = runtime.ctx
    pension = cases.submit_case(
        ctx,
        cases.SubmitCase(
            "efka",
            "pension",
            "Καθυστέρηση έκδοσης σύνταξης",
            "Υπέβαλα αίτηση σύνταξης γήρατος πριν από 8 μήνες και δεν έχω νέα.",
            "el",
            DEMO_CITIZENS[0],
        ),
    )
    cases.submit_case(
        ctx,
        cases.SubmitCase(
            "dypa",
            "unemployment-benefit",
            "Επίδομα ανεργίας",
            "Δεν έχει πιστωθεί το επίδομα του μήνα.",
            "el",
            DEMO_CITIZENS[1],
        ),
    )
    cases.submit_case(
        ctx,
        cases.SubmitCase(
            "opeka",
            "child-benefit",
            "Child benefit statement",
            "I need a statement of the child benefit paid in 2025.",
            "en",
            DEMO_CITIZENS[2],
            Channel.PHONE,
        ),
        logged_by=ctx.directory.agents["maria"],
    )
    # The pension case's citizen also asked to be called back, in the earliest window.
    callbacks.request_callback(
        ctx,
        callbacks.RequestCallback(
            "efka",
            DEMO_CITIZENS[0].phone or "",
            "el",
            case_reference=pension["reference"],
            case_token=pension["tracking_token"],
        ),
    )
    _seed_appointments(ctx)
    return True


def _seed_appointments(ctx: Context) -> None:
    """Two appointments on the next day the demo branch opens, for the desk's day list."""
    today = ctx.clock.now().astimezone(ATHENS).date()
    for offset in range(1, 10):
        day = today + timedelta(days=offset)
        slots = bookings.availability(ctx, DEMO_BRANCH, DEMO_SERVICE, day, day)
        if len(slots) >= 2:
            break
    else:
        return
    for (slot, _), citizen in zip(slots[:2], DEMO_CITIZENS[:2], strict=True):
        person = BookingCitizen(
            citizen.full_name, citizen.amka or "", email=citizen.email, phone=citizen.phone
        )
        command = bookings.BookAppointment(
            DEMO_BRANCH, DEMO_SERVICE, slot.start, Mode.IN_PERSON, "el", person
        )
        bookings.book(ctx, command)
