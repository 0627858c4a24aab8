"""Branch staff routes over HTTP: role checks, the desk's day, settings edits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from booking_fixtures import CERTIFICATE, SYNTAGMA, amka
from support import TODAY, TOMORROW, assert_problem, at

BRANCH = f"/api/v1/branch/{SYNTAGMA}"


def booking_body(start, n: int = 1) -> dict:
    return {
        "branch": SYNTAGMA,
        "service": CERTIFICATE,
        "start": start.isoformat(),
        "citizen": {"full_name": f"Πολίτης {n}", "amka": amka(n), "email": f"c{n}@example.gr"},
    }


def book(api, start, n: int = 1) -> dict:
    response = api.post("/api/v1/bookings", booking_body(start, n))
    assert response.status == 201, response.body
    return response.body


@pytest.mark.parametrize(
    ("user", "status", "problem"),
    [(None, 401, "unauthorized"), ("maria", 403, "forbidden"), ("sofia", 403, "forbidden")],
)
def test_branch_routes_need_the_branch_in_the_agent_claims(api, user, status, problem):
    token = api.token(user) if user else None

    responses = [
        api.get(f"{BRANCH}/day?date={TOMORROW}", token=token),
        api.get(f"{BRANCH}/settings", token=token),
        api.request(
            "PUT",
            f"{BRANCH}/capacity",
            {"version": 0, "service": CERTIFICATE, "in_person": 9},
            token=token,
        ),
    ]

    for response in responses:
        assert_problem(response, status, problem)
    assert api.get(f"{BRANCH}/settings", token=api.token("admin")).body["version"] == 0


def test_an_unknown_branch_is_a_404_for_an_admin(api):
    token = api.token("admin")

    day = api.get("/api/v1/branch/kep-atlantis/day", token=token)
    booking = api.post(
        "/api/v1/branch/kep-atlantis/bookings", {"service": CERTIFICATE}, token=token
    )

    assert_problem(day, 404, "not-found")
    assert_problem(booking, 404, "not-found")


def test_the_day_list_shows_the_desk_its_bookings(api):
    first = book(api, at(TOMORROW, 11), 1)
    book(api, at(TOMORROW, 10), 2)

    response = api.get(f"{BRANCH}/day?date={TOMORROW}", token=api.token("katerina"))

    assert response.status == 200
    listed = response.body["bookings"]
    assert [b["start"] for b in listed] == [
        at(TOMORROW, 10).isoformat(),
        at(TOMORROW, 11).isoformat(),
    ]
    assert listed[1]["code"] == first["code"]
    assert listed[1]["citizen"]["amka"] == amka(1)
    assert listed[1]["version"] == 1


def test_a_malformed_day_is_a_422(api):
    response = api.get(f"{BRANCH}/day?date=tomorrow", token=api.token("katerina"))

    assert_problem(response, 422, "validation")


def test_staff_book_by_phone_check_in_and_mark_served(api):
    token = api.token("katerina")
    booked = api.post(
        f"{BRANCH}/bookings",
        {
            "service": CERTIFICATE,
            "start": at(TODAY, 9, 30).isoformat(),
            "channel": "phone",
            "citizen": {"full_name": "Πολίτης 7", "amka": amka(7)},
        },
        token=token,
    )
    assert booked.status == 201, booked.body
    code = booked.body["code"]

    checked_in = api.post(f"{BRANCH}/bookings/{code}/check-in", {"version": 1}, token=token)
    stale = api.post(f"{BRANCH}/bookings/{code}/served", {"version": 1}, token=token)
    served = api.post(f"{BRANCH}/bookings/{code}/served", {"version": 2}, token=token)
    unknown_action = api.post(f"{BRANCH}/bookings/{code}/teleport", {"version": 3}, token=token)
    detail = api.get(f"{BRANCH}/bookings/{code}", token=token)

    assert checked_in.status == 200 and checked_in.body["status"] == "checked_in"
    assert_problem(stale, 409, "version-conflict")
    assert served.status == 200 and served.body["status"] == "served"
    assert_problem(unknown_action, 404, "not-found")
    assert detail.body["booked_by"] == "katerina" and detail.body["channel"] == "phone"


def test_the_desk_records_a_no_show_once_the_grace_period_has_passed(api):
    receipt = book(api, at(TOMORROW, 10))
    token = api.token("katerina")
    path = f"{BRANCH}/bookings/{receipt['code']}/no-show"

    too_early = api.post(path, {"version": 1}, token=token)
    api.runtime.clock.set(at(TOMORROW, 10, 16))  # past the 15-minute grace period
    recorded = api.post(path, {"version": 1}, token=token)
    again = api.post(path, {"version": 2}, token=token)
    mine = api.get(
        f"/api/v1/bookings/{receipt['code']}", headers={"X-Manage-Token": receipt["manage_token"]}
    )

    assert_problem(too_early, 409, "invalid-state")
    assert recorded.status == 200 and recorded.body["status"] == "no_show"
    assert_problem(again, 409, "invalid-state")
    assert mine.body["status"] == "no_show"


def test_check_in_outside_its_window_is_a_409(api):
    receipt = book(api, at(TOMORROW, 10))

    response = api.post(
        f"{BRANCH}/bookings/{receipt['code']}/check-in",
        {"version": 1},
        token=api.token("katerina"),
    )

    assert_problem(response, 409, "check-in-window")


def test_staff_change_capacity_hours_and_closures_with_versions(api):
    token = api.token("katerina")

    capacity = api.request(
        "PUT",
        f"{BRANCH}/capacity",
        {"version": 0, "service": CERTIFICATE, "in_person": 4},
        token=token,
    )
    stale = api.request(
        "PUT",
        f"{BRANCH}/capacity",
        {"version": 0, "service": CERTIFICATE, "in_person": 1},
        token=token,
    )
    hours = api.request(
        "PUT",
        f"{BRANCH}/hours",
        {"version": 1, "hours": {"wed": [["09:00", "12:00"]]}, "walk_in": {}},
        token=token,
    )
    closed = api.post(
        f"{BRANCH}/closures",
        {"version": 2, "date": TOMORROW.isoformat(), "reason": "Τοπική αργία"},
        token=token,
    )
    reopened = api.request("DELETE", f"{BRANCH}/closures/{TOMORROW}?version=3", token=token)

    assert capacity.status == 200 and capacity.body["capacity"][CERTIFICATE]["in_person"] == 4
    assert_problem(stale, 409, "version-conflict")
    assert hours.status == 200 and hours.body["hours"] == {"wed": [["09:00", "12:00"]]}
    assert closed.status == 201 and closed.body["cancelled_bookings"] == 0
    assert reopened.status == 200 and reopened.body["version"] == 4
    slots = api.get(
        f"/api/v1/branches/{SYNTAGMA}/availability?service={CERTIFICATE}"
        f"&from={TOMORROW}&to={TOMORROW}"
    ).body["slots"]
    assert slots[0]["remaining"] == 4 and slots[-1]["end"] == "2026-12-02T12:00:00+02:00"


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("PUT", "hours", {"version": 0, "hours": {"wed": [["12:00", "09:00"]]}}, "hours"),
        (
            "PUT",
            "hours",
            {"version": 0, "hours": {"funday": [["09:00", "12:00"]]}},
            "hours.funday.[key]",
        ),
        ("PUT", "capacity", {"version": 0, "service": CERTIFICATE, "in_person": -1}, "in_person"),
        ("PUT", "capacity", {"version": 0, "service": "nothing", "in_person": 1}, "service"),
        ("POST", "closures", {"version": 0, "date": "2026-02-30", "reason": "x"}, "date"),
        ("POST", "closures", {"version": 0, "date": TOMORROW.isoformat()}, "reason"),
    ],
)
def test_bad_settings_edits_are_422_and_change_nothing(api, method, path, body, field):
    token = api.token("katerina")

    response = api.request(method, f"{BRANCH}/{path}", body, token=token)

    assert_problem(response, 422, "validation")
    assert field in response.problem_fields
    assert api.get(f"{BRANCH}/settings", token=token).body["version"] == 0


def test_closing_a_booked_day_cancels_and_counts_its_bookings(api):
    receipt = book(api, at(TOMORROW, 10))

    closed = api.post(
        f"{BRANCH}/closures",
        {"version": 0, "date": TOMORROW.isoformat(), "reason": "Απεργία"},
        token=api.token("katerina"),
    )

    assert closed.body["cancelled_bookings"] == 1
    shown = api.get(
        f"/api/v1/bookings/{receipt['code']}", headers={"X-Manage-Token": receipt["manage_token"]}
    )
    assert shown.body["status"] == "cancelled"


def test_staff_lift_a_no_show_block_so_the_citizen_can_book_again(api):
    until = at(TOMORROW, 9) + timedelta(days=30)
    api.runtime.ctx.bookings.block(amka(5), CERTIFICATE, until)
    path = f"{BRANCH}/no-show-blocks/lift"
    body = {"amka": amka(5), "service": CERTIFICATE, "reason": "Νοσηλεία, με βεβαίωση"}
    refused_before = api.post("/api/v1/bookings", booking_body(at(TOMORROW, 10), 5))

    not_staff = api.post(path, body, token=api.token("maria"))
    no_reason = api.post(path, {**body, "reason": ""}, token=api.token("katerina"))
    lifted = api.post(path, body, token=api.token("katerina"))
    again = api.post(path, body, token=api.token("katerina"))
    booked_after = api.post("/api/v1/bookings", booking_body(at(TOMORROW, 10), 5))

    assert_problem(refused_before, 409, "booking-blocked")
    assert_problem(not_staff, 403, "forbidden")
    assert no_reason.status == 422 and no_reason.problem_fields == {"reason"}
    assert lifted.status == 200 and lifted.body == {"lifted": True}
    assert_problem(again, 404, "not-found")
    assert booked_after.status == 201


def test_the_day_list_offers_each_booking_the_staff_actions_that_can_work_now(api):
    booking = book(api, at(TOMORROW, 10))
    token = api.token("katerina")
    api.runtime.clock.set(at(TOMORROW, 9, 45))

    listed = api.get(f"{BRANCH}/day?date={TOMORROW}", token=token).body["bookings"]

    assert listed[0]["code"] == booking["code"]
    assert listed[0]["allowed_actions"] == ["check-in", "cancel", "reschedule"]


def test_staff_check_in_a_late_arrival_after_the_system_marked_a_no_show(api):
    receipt = book(api, at(TODAY, 12))
    token = api.token("katerina")
    path = f"{BRANCH}/bookings/{receipt['code']}/late-check-in"
    api.post("/api/v1/dev/clock", {"set": at(TODAY, 12, 40).isoformat()})
    listed = api.get(f"{BRANCH}/day?date={TODAY}", token=token).body["bookings"]
    version = listed[0]["version"]

    no_reason = api.post(path, {"version": version}, token=token, headers={"Accept-Language": "en"})
    late = api.post(path, {"version": version, "note": "Ήρθε με καθυστέρηση"}, token=token)

    assert listed[0]["status"] == "no_show" and listed[0]["allowed_actions"] == ["late-check-in"]
    assert_problem(no_reason, 422, "validation")
    assert no_reason.body["errors"][0]["field"] == "note"
    assert late.status == 200 and late.body["status"] == "checked_in"
    assert late.body["allowed_actions"] == ["served"]
    assert late.body["history"][-1]["action"] == "late_check_in"
    assert late.body["history"][-1]["note"] == "Ήρθε με καθυστέρηση"
