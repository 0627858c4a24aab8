"""Retention: a closed case and a finished booking keep the citizen's identity for the
configured period, then the sweeper anonymises them, records it, and the single view forgets
them; what is still under way is never touched."""

from __future__ import annotations

from datetime import timedelta

from booking_fixtures import CERTIFICATE, SYNTAGMA
from support import CASE_BODY, TOMORROW, at

from chalicelib.adapters.table import Key

AMKA = CASE_BODY["citizen"]["amka"]


def act(api, reference, action, **body):
    token = api.token("maria")
    version = api.get(f"/api/v1/agent/cases/{reference}", token=token).body["version"]
    response = api.post(
        f"/api/v1/agent/cases/{reference}/{action}", {"version": version, **body}, token=token
    )
    assert response.status == 200, response.body


def closed_case(api) -> str:
    reference = api.post("/api/v1/cases", CASE_BODY).body["reference"]
    act(api, reference, "claim")
    act(api, reference, "resolve", answer="Οι εισφορές πληρώνονται στο τέλος του μήνα.")
    act(api, reference, "close")
    return reference


def cancelled_booking(api) -> str:
    citizen = {"full_name": "Γιάννης Παπαδάκης", "amka": AMKA, "phone": "6912345678"}
    body = {"branch": SYNTAGMA, "service": CERTIFICATE, "start": at(TOMORROW, 10).isoformat()}
    booking = api.post("/api/v1/bookings", {**body, "citizen": citizen}).body
    api.post(
        f"/api/v1/bookings/{booking['code']}/cancel",
        headers={"X-Manage-Token": booking["manage_token"]},
    )
    return booking["code"]


def look_up(api):
    body = {"amka": AMKA, "reason": "Έλεγχος διατήρησης"}
    response = api.post("/api/v1/agent/citizens/search", body, token=api.token("sofia"))
    return {item["ref"] for item in response.body["items"]}


def stored(api, pk, sk):
    return str(api.runtime.table.get(Key(pk, sk)))


def test_finished_dealings_are_anonymised_after_the_retention_period_and_not_before(api):
    reference = closed_case(api)
    code = cancelled_booking(api)
    open_case = api.post("/api/v1/cases", CASE_BODY).body["reference"]
    retention = api.runtime.ctx.retention

    api.runtime.clock.advance(retention - timedelta(days=1))
    api.runtime.run_due()
    before = look_up(api)
    api.runtime.clock.advance(timedelta(days=3))  # the booking's period runs from its end
    api.runtime.run_due()

    assert {reference, code, open_case} <= before
    assert look_up(api) == {open_case}
    for pk, sk in ((f"CASE#{reference}", "CASE"), (f"BOOKING#{code}", "BOOKING")):
        item = stored(api, pk, sk)
        assert AMKA not in item and "Παπαδάκης" not in item and "giannis@" not in item
        assert "anonymised" in item and "retention period of 400 days" in item
    assert AMKA in stored(api, f"CASE#{open_case}", "CASE")


def test_a_resolved_case_not_yet_closed_keeps_its_citizen(api):
    reference = api.post("/api/v1/cases", CASE_BODY).body["reference"]
    act(api, reference, "claim")
    act(api, reference, "resolve", answer="Οι εισφορές πληρώνονται στο τέλος του μήνα.")

    api.runtime.clock.advance(api.runtime.ctx.retention + timedelta(days=1))
    api.runtime.run_due()

    assert AMKA in stored(api, f"CASE#{reference}", "CASE")
