"""Erasure on request: an administrator orders a citizen forgotten (202), a timer anonymises
every finished dealing and removes it from the single view, and the order records who and why."""

from __future__ import annotations

import pytest
from booking_fixtures import CERTIFICATE, SYNTAGMA
from support import CASE_BODY, TOMORROW, at

from chalicelib.adapters.table import Key

AMKA = CASE_BODY["citizen"]["amka"]
REASON = "Αίτημα διαγραφής του πολίτη, αρ. πρωτ. 1234"


def book(api, hour):
    citizen = {"full_name": "Γιάννης Παπαδάκης", "amka": AMKA, "phone": "6912345678"}
    body = {"branch": SYNTAGMA, "service": CERTIFICATE, "start": at(TOMORROW, hour).isoformat()}
    response = api.post("/api/v1/bookings", {**body, "citizen": citizen})
    assert response.status == 201, response.body
    return response.body


def erase(api, body, user="admin"):
    return api.post("/api/v1/admin/citizens/erase", body, token=api.token(user))


def look_up(api):
    body = {"amka": AMKA, "reason": "Έλεγχος μετά τη διαγραφή"}
    response = api.post("/api/v1/agent/citizens/search", body, token=api.token("sofia"))
    return [(item["kind"], item["ref"]) for item in response.body["items"]]


def test_an_erasure_anonymises_finished_dealings_keeps_those_under_way_and_is_recorded(api):
    case = api.post("/api/v1/cases", CASE_BODY).body
    cancelled = book(api, 10)
    api.post(
        f"/api/v1/bookings/{cancelled['code']}/cancel",
        headers={"X-Manage-Token": cancelled["manage_token"]},
    )
    admin = api.token("admin")

    ordered = api.post(
        "/api/v1/admin/citizens/erase", {"amka": AMKA, "reason": REASON}, token=admin
    )
    api.runtime.run_due()
    order = api.get(f"/api/v1/admin/erasures/{ordered.body['id']}", token=admin)

    assert ordered.status == 202 and ordered.body["status"] == "accepted"
    assert order.body["status"] == "done" and order.body["by"] == "admin"
    assert (order.body["erased"], order.body["kept"]) == (1, 1)  # the booking; the open case
    assert look_up(api) == [("case", case["reference"])]
    stored = api.runtime.table.get(Key(f"BOOKING#{cancelled['code']}", "BOOKING"))
    assert AMKA not in str(stored) and "Παπαδάκης" not in str(stored)
    assert "anonymised" in str(stored)
    kept_order = api.runtime.table.get(Key(f"ERASURE#{ordered.body['id']}", "ERASURE"))
    assert kept_order["reason"] == REASON and AMKA not in str(kept_order)


def test_the_timer_of_an_erasure_is_a_no_op_when_it_fires_again(api):
    book(api, 10)
    admin = api.token("admin")
    ordered = api.post(
        "/api/v1/admin/citizens/erase", {"amka": AMKA, "reason": REASON}, token=admin
    )
    api.runtime.run_due()

    from chalicelib.services.erasure import handle_erasure

    assert handle_erasure(api.runtime.ctx, ordered.body["id"]) == "done"


@pytest.mark.parametrize("user", ["maria", "sofia", "katerina"])
def test_only_an_administrator_orders_an_erasure(api, user):
    response = erase(api, {"amka": AMKA, "reason": REASON}, user)

    assert response.status == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": REASON}, "identifier"),
        ({"amka": AMKA, "phone": "6912345678", "reason": REASON}, "identifier"),
        ({"amka": "12345678901", "reason": REASON}, "amka"),
        ({"amka": AMKA}, "reason"),
    ],
)
def test_a_bad_erasure_order_is_a_422_and_orders_nothing(api, body, field):
    response = erase(api, body)

    assert response.status == 422 and response.problem_fields == {field}
    assert api.runtime.run_due() == 0  # no erasure timer was set
