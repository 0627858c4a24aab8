"""Demo data, loaded once into a fresh local store (a marker item remembers it)."""

from __future__ import annotations

from chalicelib.adapters.table import Absent, ConditionFailed, Put
from chalicelib.domain.cases import Channel, Citizen
from chalicelib.domain.identifiers import afm_check_digit, amka_check_digit
from chalicelib.services import cases
from devtools.runtime import LocalRuntime

SEED_VERSION = "demo-v1"


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


def seed_once(runtime: LocalRuntime) -> bool:
    try:
        runtime.table.write(Put({"pk": "SEED", "sk": SEED_VERSION}, Absent()))
    except ConditionFailed:
        return False
    ctx = runtime.ctx
    cases.submit_case(
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
    return True
