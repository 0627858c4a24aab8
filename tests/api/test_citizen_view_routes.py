"""The single view of a citizen and the access record, over HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support import CASE_BODY, TOMORROW, at

from chalicelib.domain.citizen_view import subject_hash

AMKA = CASE_BODY["citizen"]["amka"]
REASON = "Ο πολίτης καλεί για τις εισφορές του"


def look_up(api, user, query=None, reason=REASON):
    body = {"amka": AMKA} if query is None else query
    return api.post(
        "/api/v1/agent/citizens/search", {**body, "reason": reason}, token=api.token(user)
    )


def access_log(api, query=""):
    return api.get(f"/api/v1/supervisor/access-log?{query}", token=api.token("sofia"))


def access_log_of(api, identifier):
    body = {**identifier, "reason": "Αίτημα του πολίτη για τα στοιχεία του"}
    return api.post("/api/v1/supervisor/access-log/search", body, token=api.token("sofia"))


def book_linked_callback(api, case):
    window = at(TOMORROW, 10)
    response = api.post(
        "/api/v1/callbacks",
        {
            "agency": "efka",
            "window_start": window.isoformat(),
            "phone": "6912345678",
            "case_reference": case["reference"],
        },
        headers={"X-Tracking-Token": case["tracking_token"]},
    )
    assert response.status == 201, response.body
    return response.body


def book_appointment(api):
    start = at(TOMORROW, 10)
    response = api.post(
        "/api/v1/bookings",
        {
            "branch": "kep-athens-syntagma",
            "service": "kep-certificate",
            "start": start.isoformat(),
            "citizen": {"full_name": "Γιάννης Παπαδάκης", "amka": AMKA, "phone": "6912345678"},
        },
    )
    assert response.status == 201, response.body
    return response.body


def test_an_agent_sees_case_callback_and_appointment_together_and_the_look_up_is_recorded(api):
    case = api.post("/api/v1/cases", CASE_BODY).body
    api.runtime.clock.advance(timedelta(minutes=1))
    callback = book_linked_callback(api, case)
    api.runtime.clock.advance(timedelta(minutes=1))
    appointment = book_appointment(api)

    response = look_up(api, "maria")

    assert response.status == 200
    items = response.body["items"]
    assert [(i["kind"], i["ref"]) for i in items] == [
        ("booking", appointment["code"]),
        ("callback", callback["reference"]),
        ("case", case["reference"]),
    ]
    assert items[0]["status"] == "confirmed" and items[0]["agency"] == "kep"
    assert items[1]["status"] == "scheduled" and items[1]["agency"] == "efka"
    assert items[2]["channel"] == "web" and items[2]["status"] == "NEW"
    [entry] = access_log(api).body["entries"]
    assert entry["agent"] == "maria"
    assert entry["reason"] == "Ο πολίτης καλεί για τις εισφορές του"
    assert entry["subject"] == {
        "kind": "amka",
        "hash": subject_hash("amka", AMKA, api.runtime.ctx.pseudonym_key),
    }
    assert entry["results"] == 3
    assert entry["at"] == api.runtime.clock.now().isoformat()


def test_the_access_record_is_searched_by_agent_and_by_citizen(api):
    look_up(api, "maria")
    look_up(api, "anna", query={"phone": "6912345678"})

    by_agent = access_log(api, "agent=anna").body["entries"]
    by_citizen = access_log_of(api, {"amka": AMKA}).body["entries"]

    assert [e["agent"] for e in by_agent] == ["anna"]
    assert [e["agent"] for e in by_citizen] == ["maria"]


def test_an_agent_sees_only_the_agencies_their_teams_serve(api):
    api.post("/api/v1/cases", CASE_BODY)

    response = look_up(api, "anna")

    assert response.status == 200 and response.body["items"] == []


@pytest.mark.parametrize(
    ("query", "reason", "field"),
    [
        ({"amka": AMKA}, "", "reason"),
        ({"amka": AMKA}, "ok", "reason"),
        ({"amka": AMKA, "afm": "123456783"}, REASON, "identifier"),
        ({}, REASON, "identifier"),
        ({"amka": "12345678901"}, REASON, "amka"),
        ({"phone": "+447911123456"}, REASON, "phone"),
        ({"email": "not-an-email"}, REASON, "email"),
        ({"name": "Giannis"}, REASON, "name"),
    ],
    ids=[
        "no-reason",
        "short-reason",
        "two-identifiers",
        "no-identifier",
        "bad-amka",
        "foreign-phone",
        "bad-email",
        "unknown-parameter",
    ],
)
def test_a_bad_look_up_is_a_422_naming_the_field_and_is_not_recorded(api, query, reason, field):
    response = look_up(api, "maria", query=query, reason=reason)

    assert response.status == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.problem_fields == {field}
    assert access_log(api).body["entries"] == []


def test_only_service_staff_look_citizens_up_and_only_supervisors_read_the_record(api):
    anonymous = api.post("/api/v1/agent/citizens/search", {"amka": AMKA, "reason": REASON})
    assert anonymous.status == 401
    assert look_up(api, "admin").status == 403
    assert api.get("/api/v1/supervisor/access-log", token=api.token("maria")).status == 403
    assert access_log(api).body["entries"] == []


def test_a_bad_month_for_the_access_record_is_a_422(api):
    response = access_log(api, "month=2026-13")

    assert response.status == 422
    assert response.problem_fields == {"month"}


def test_no_route_takes_an_identifier_in_its_query_string(api):
    token = api.token("sofia")

    old_look_up = api.get(
        f"/api/v1/agent/citizens?amka={AMKA}&reason=demo", token=token, no_route_expected=True
    )
    by_citizen = access_log(api, f"amka={AMKA}")
    by_phone = access_log(api, "phone=6912345678")

    assert old_look_up.status in (403, 404, 405)
    assert by_citizen.status == 422 and by_citizen.problem_fields == {"amka"}
    assert by_phone.status == 422 and by_phone.problem_fields == {"phone"}


def test_the_access_record_of_one_citizen_is_searched_with_the_identifier_in_the_body(api):
    look_up(api, "maria", query={"email": "Giannis@Example.gr"})

    by_email = access_log_of(api, {"email": "giannis@example.gr"})
    by_agent = api.post(
        "/api/v1/supervisor/access-log/search",
        {"email": "giannis@example.gr", "reason": REASON},
        token=api.token("maria"),
    )

    assert [e["agent"] for e in by_email.body["entries"]] == ["maria"]
    assert by_agent.status == 403
