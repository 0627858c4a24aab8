"""At most four active appointments per phone number or e-mail, across every service, held by a
counter in the store: a family books on one phone; a fifth is refused until one ends."""

from __future__ import annotations

from datetime import timedelta

from booking_fixtures import CERTIFICATE, SIGNATURE, SYNTAGMA, amka
from support import TOMORROW, assert_problem, at

from chalicelib.adapters.table import Key
from chalicelib.domain.citizen_view import subject_hash

FAMILY_PHONE = "+306912345678"


def body(n: int, hour: int, service: str = CERTIFICATE, **contact: str) -> dict:
    citizen = {"full_name": f"Μέλος {n}", "amka": amka(n), **(contact or {"phone": FAMILY_PHONE})}
    return {
        "branch": SYNTAGMA,
        "service": service,
        "start": at(TOMORROW, hour).isoformat(),
        "mode": "in_person",
        "language": "el",
        "citizen": citizen,
    }


def test_a_family_books_three_places_on_one_phone(api):
    answers = [api.post("/api/v1/bookings", body(n, 9 + n)) for n in range(3)]

    assert [a.status for a in answers] == [201, 201, 201]


def test_a_fifth_active_appointment_on_one_phone_is_refused_across_services(api):
    for n, service in enumerate([CERTIFICATE, SIGNATURE, CERTIFICATE, SIGNATURE]):
        assert api.post("/api/v1/bookings", body(n, 9 + n, service)).status == 201

    fifth = api.post("/api/v1/bookings", body(7, 14, SIGNATURE))
    english = api.post(
        "/api/v1/bookings", body(7, 14, SIGNATURE), headers={"Accept-Language": "en"}
    )

    assert_problem(fifth, 409, "too-many-appointments")
    assert "active appointments" in english.body["title"]
    day = api.get(f"/api/v1/branch/{SYNTAGMA}/day?date={TOMORROW}", token=api.token("katerina"))
    assert len(day.body["bookings"]) == 4  # nothing of the fifth was written


def test_one_mailbox_counts_once_whatever_its_case_or_plus_tag(api):
    mails = ["eleni@example.gr", "Eleni+2@example.gr", "ELENI+3@EXAMPLE.GR", "eleni+4@example.gr"]
    for n, mail in enumerate(mails):
        assert api.post("/api/v1/bookings", body(n, 9 + n, email=mail)).status == 201

    fifth = api.post("/api/v1/bookings", body(8, 14, email="eleni+5@example.gr"))

    assert_problem(fifth, 409, "too-many-appointments")


def test_a_cancelled_or_checked_in_appointment_frees_its_place_under_the_cap(api):
    receipts = [api.post("/api/v1/bookings", body(n, 9 + n)).body for n in range(4)]
    assert api.post("/api/v1/bookings", body(5, 14)).status == 409

    first = receipts[0]
    cancelled = api.post(
        f"/api/v1/bookings/{first['code']}/cancel",
        headers={"X-Manage-Token": first["manage_token"]},
    )
    after_cancel = api.post("/api/v1/bookings", body(5, 14))
    api.runtime.clock.set(at(TOMORROW, 10) - timedelta(minutes=5))
    second = receipts[1]
    checked_in = api.post(
        f"/api/v1/branch/{SYNTAGMA}/bookings/{second['code']}/check-in",
        {"version": 1},
        token=api.token("katerina"),
    )
    after_check_in = api.post("/api/v1/bookings", body(6, 15))

    assert (cancelled.status, after_cancel.status) == (200, 201)
    assert (checked_in.status, after_check_in.status) == (200, 201), checked_in.body
    assert api.post("/api/v1/bookings", body(7, 16)).status == 409


def test_the_counter_is_named_by_a_keyed_hash_never_the_phone(api):
    api.post("/api/v1/bookings", body(1, 10))

    name = subject_hash("phone", FAMILY_PHONE, api.runtime.ctx.pseudonym_key)
    counter = api.runtime.table.get(Key(f"CONTACT#{name}", "ACTIVE"))

    assert counter is not None and counter["active"] == 1
    assert FAMILY_PHONE not in str(counter)
